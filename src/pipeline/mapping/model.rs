//! The one typed mapping model that RML-Core, legacy RML (rr/rml/ql) and YARRRML all parse into.
//!
//! Names follow the RML-Core specification. The model is *normalised*: shortcuts (`rml:class`,
//! constant shortcuts, `a`, YARRRML's short forms) are already expanded, so the checker, the
//! engine and the writer see one shape only. Fields keep the mapping author's order; comparisons
//! that should ignore order go through [`Mapping::normalized`].

use oxigraph::model::{NamedNode, Term};

use crate::pipeline::payload::source::FileSource;

/// A whole mapping document: its triples maps in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub triples_maps: Vec<TriplesMap>,
    /// Whether RML-Core's rules apply (documents in the `http://w3id.org/rml/` vocabulary):
    /// a reference to a JSON number or boolean gives an `xsd:integer`/`xsd:double`/`xsd:boolean`
    /// literal ("natural RDF literal"), and a generated IRI that is not valid is an error.
    /// Legacy RML and YARRRML, as their reference processor runs them, give plain strings and
    /// skip invalid IRIs.
    pub core_semantics: bool,
}

/// How a triples map (or logical source, term map...) is named in the document: an IRI, or a blank
/// node label from the parser. Used to resolve `parentTriplesMap` and to say *where* a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MapName {
    Iri(String),
    Blank(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriplesMap {
    pub name: MapName,
    /// A human label (`rdfs:label` in RML, the mapping key in YARRRML), for messages.
    pub label: Option<String>,
    pub logical_source: LogicalSource,
    pub subject: SubjectMap,
    pub predicate_object_maps: Vec<PredicateObjectMap>,
    /// `rml:baseIRI` on the triples map, overriding the run's base IRI.
    pub base_iri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalSource {
    pub source: Source,
    pub reference_formulation: Option<ReferenceFormulation>,
    pub iterator: Option<String>,
    /// Values that count as NULL (`rml:null`), on top of the format's own absent values.
    pub null_values: Vec<String>,
}

/// Where a logical source's bytes come from. Only `File` can run; the others are kept so that a
/// mapping written for another engine still parses, converts and reports a clear error when run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file path, relative to `root` when not absolute. `rml:source "x.csv"` (legacy) and
    /// `rml:RelativePathSource` / `rml:FilePath` (RML-IO) both become this.
    File(FileSource),
    /// A relational database (`d2rq:Database`, `rr:tableName`, `rml:query`): never run by citykg.
    Database(DatabaseSource),
    /// Anything else (SPARQL endpoint, web API, DCAT distribution...), kept as its IRI or a summary.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatabaseSource {
    pub dsn: Option<String>,
    pub driver: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub table_name: Option<String>,
    pub query: Option<String>,
    pub sql_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceFormulation {
    JsonPath,
    Csv,
    /// XPath, with the namespace prefixes the mapping declares for it.
    XPath {
        namespaces: Vec<(String, String)>,
    },
    /// SQL 2008 table or query (database sources).
    Sql2008,
    /// Anything else, by IRI: a mapping error when run.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectMap {
    pub term: TermMap,
    pub classes: Vec<NamedNode>,
    pub graphs: Vec<TermMap>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateObjectMap {
    pub predicates: Vec<TermMap>,
    pub objects: Vec<ObjectMap>,
    pub graphs: Vec<TermMap>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectMap {
    Term(TermMap),
    Referencing(ReferencingObjectMap),
}

/// `rml:parentTriplesMap` with its join conditions (none = same logical source, same record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencingObjectMap {
    pub parent: MapName,
    pub joins: Vec<JoinCondition>,
}

/// `rml:child` / `rml:parent` (references) or `rml:childMap` / `rml:parentMap` (any expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCondition {
    pub child: Expression,
    pub parent: Expression,
}

/// A term map: how a value is made from a record, and which RDF term it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMap {
    /// Where the term map came from, for messages (`None` when built by a shortcut).
    pub name: Option<MapName>,
    pub expression: Expression,
    /// `None` = the default for its position and expression (IRI for subjects, predicates, graphs;
    /// Literal for references, datatyped or language-tagged object maps; IRI otherwise).
    pub term_type: Option<TermType>,
    pub language: Option<Box<TermMap>>,
    pub datatype: Option<Box<TermMap>>,
    /// RML-CC: gather values into a collection or container instead of one term per value.
    pub gather: Option<Box<Gather>>,
}

/// What an expression map evaluates to, before it becomes an RDF term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    Constant(Term),
    Reference(String),
    Template(Template),
    Function(Box<FunctionExecution>),
    /// No expression: with term type BlankNode, a new blank node per record (a YARRRML mapping
    /// without subject, an object `{type: blank}` without value; `rr:termType rr:BlankNode`
    /// alone in RML).
    Absent,
}

/// `rml:functionExecution` (RML-FNML) or legacy `fnml:functionValue`: a function IRI and its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionExecution {
    pub function: Box<TermMap>,
    pub inputs: Vec<FunctionInput>,
    /// `rml:return`: which output to take; `None` = the function's default output.
    pub output: Option<NamedNode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInput {
    pub parameter: NamedNode,
    pub value: TermMap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermType {
    Iri,
    /// RML-Core `rml:UnsafeIRI`: an IRI built without percent-encoding template values.
    UnsafeIri,
    /// RML-Core `rml:URI`: an IRI that may be relative-free URI; treated as IRI.
    Uri,
    BlankNode,
    Literal,
}

/// RML-CC gather map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gather {
    pub maps: Vec<TermMap>,
    /// `rdf:List`, `rdf:Bag`, `rdf:Seq` or `rdf:Alt`.
    pub gather_as: NamedNode,
    pub strategy: GatherStrategy,
    pub allow_empty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatherStrategy {
    Append,
    CartesianProduct,
}

/// A string template: literal text and `{reference}` parts, in order (escapes already resolved).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    Text(String),
    Reference(String),
}

impl Template {
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Reference(reference) => Some(reference.as_str()),
            TemplatePart::Text(_) => None,
        })
    }
}

impl MapName {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Iri(iri) => iri,
            Self::Blank(label) => label,
        }
    }
}

impl std::fmt::Display for MapName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Iri(iri) => write!(f, "<{iri}>"),
            Self::Blank(label) => write!(f, "_:{label}"),
        }
    }
}

impl TermMap {
    /// A term map with only an expression, as shortcuts make them.
    pub fn of(expression: Expression) -> Self {
        Self {
            name: None,
            expression,
            term_type: None,
            language: None,
            datatype: None,
            gather: None,
        }
    }

    pub fn constant(term: impl Into<Term>) -> Self {
        Self::of(Expression::Constant(term.into()))
    }
}
