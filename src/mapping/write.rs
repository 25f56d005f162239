//! The model written back out (`citykg mapping convert FILE --to rml|yarrrml`): canonical
//! RML-Core Turtle (`http://w3id.org/rml/`, RML-IO sources, RML-FNML functions, RML-CC gather
//! maps) or YARRRML.
//!
//! Output is deterministic: the model's order, one fixed layout, prefixes declared only when
//! used. Triples maps keep their names (IRIs, or blank node labels made Turtle-safe); every other
//! node is written as a nested `[ ... ]`. The text is produced by two small tree writers of our
//! own (Turtle and block-style YAML) that escape every string and IRI; this module must not parse,
//! check or run anything.

use std::fmt::Write as _;

use oxigraph::model::{NamedNode, Term};

use crate::mapping::functions;
use crate::mapping::model::{
    Compression, CsvDialect, DatabaseSource, Expression, FileSource, FunctionExecution, Gather,
    GatherStrategy, JoinCondition, LogicalSource, MapName, Mapping, ObjectMap, PredicateObjectMap,
    ReferenceFormulation, Source, SourceRoot, SubjectMap, Template, TemplatePart, TermMap,
    TermType, TriplesMap,
};

/// A model that one of the output syntaxes cannot express.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("`{iri}` is not an IRI and cannot be written as one")]
    InvalidIri { iri: String },
    #[error("triples map {map}: {what} cannot be written in {syntax}")]
    NotExpressible {
        map: String,
        what: &'static str,
        syntax: &'static str,
    },
}

const RML: &str = "http://w3id.org/rml/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Prefixes the writers may use, in declaration order.
const PREFIXES: &[(&str, &str)] = &[
    ("rml", RML),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("csvw", "http://www.w3.org/ns/csvw#"),
    (
        "d2rq",
        "http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#",
    ),
    ("grel", functions::GREL_NAMESPACE),
    ("idlab-fn", functions::IDLAB_NAMESPACE),
];

// =============================================================================================
// RML-Core Turtle

/// The mapping as canonical RML-Core Turtle.
pub fn to_rml(mapping: &Mapping) -> Result<String, WriteError> {
    let plain;
    let mapping = if mapping.core_semantics {
        mapping
    } else {
        plain = with_plain_references(mapping);
        &plain
    };
    let mut turtle = Turtle::default();
    let mut body = String::new();
    for triples_map in &mapping.triples_maps {
        let node = triples_map_node(triples_map)?;
        let subject = map_name(&triples_map.name);
        turtle.statement(&mut body, &subject, &node);
    }
    if let Some(iri) = turtle.invalid {
        return Err(WriteError::InvalidIri { iri });
    }
    let mut out = String::new();
    for (prefix, namespace) in PREFIXES {
        if turtle.used.contains(prefix) {
            let _ = writeln!(out, "@prefix {prefix}: <{namespace}> .");
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}

/// RML-Core gives a reference to a JSON number an `xsd:integer`/`xsd:double` literal; legacy RML
/// and YARRRML give a plain string. Written as RML-Core, a mapping that did not ask for natural
/// datatypes says `rml:datatype xsd:string` (the same literal as a plain one in RDF 1.1) on
/// reference-valued literal object maps, so the converted mapping makes the same triples.
fn with_plain_references(mapping: &Mapping) -> Mapping {
    let mut mapping = mapping.clone();
    mapping.core_semantics = true;
    for map in &mut mapping.triples_maps {
        for pom in &mut map.predicate_object_maps {
            for object in &mut pom.objects {
                if let ObjectMap::Term(term) = object
                    && matches!(term.expression, Expression::Reference(_))
                    && matches!(term.term_type, None | Some(TermType::Literal))
                    && term.language.is_none()
                    && term.datatype.is_none()
                {
                    term.datatype = Some(Box::new(TermMap::constant(
                        oxigraph::model::vocab::xsd::STRING.into_owned(),
                    )));
                }
            }
        }
    }
    mapping
}

/// A Turtle object in the tree the writer prints.
#[derive(Debug, Clone)]
enum T {
    Iri(String),
    /// A literal or blank node label already in Turtle syntax.
    Raw(String),
    Str(String),
    Bool(bool),
    Node(Node),
    List(Vec<T>),
}

/// Predicate IRIs and objects of one node, in writing order.
type Node = Vec<(String, T)>;

fn rml(local: &str) -> String {
    format!("{RML}{local}")
}

fn rml_iri(local: &str) -> T {
    T::Iri(rml(local))
}

fn typed(class: &str) -> (String, T) {
    (format!("{RDF}type"), rml_iri(class))
}

fn map_name(name: &MapName) -> T {
    match name {
        MapName::Iri(iri) => T::Iri(iri.clone()),
        MapName::Blank(label) => T::Raw(format!("_:{}", blank_label(label))),
    }
}

fn triples_map_node(map: &TriplesMap) -> Result<Node, WriteError> {
    let mut node = vec![typed("TriplesMap")];
    if let Some(label) = &map.label {
        node.push((format!("{RDFS}label"), T::Str(label.clone())));
    }
    node.push((
        rml("logicalSource"),
        T::Node(logical_source_node(&map.logical_source, &map.name)?),
    ));
    if let Some(base) = &map.base_iri {
        node.push((rml("baseIRI"), T::Iri(base.clone())));
    }
    node.push((rml("subjectMap"), T::Node(subject_node(&map.subject))));
    for pom in &map.predicate_object_maps {
        node.push((rml("predicateObjectMap"), T::Node(pom_node(pom))));
    }
    Ok(node)
}

fn logical_source_node(source: &LogicalSource, map: &MapName) -> Result<Node, WriteError> {
    let mut node = vec![typed("LogicalSource")];
    match &source.source {
        Source::Other(other) => {
            if !source.null_values.is_empty() {
                return Err(WriteError::NotExpressible {
                    map: map.to_string(),
                    what: "NULL values on a source that is neither a file nor a database",
                    syntax: "RML",
                });
            }
            let value = match NamedNode::new(other.as_str()) {
                Ok(iri) => T::Iri(iri.into_string()),
                Err(_) => T::Str(other.clone()),
            };
            node.push((rml("source"), value));
        }
        Source::File(_) | Source::Database(_) => {
            let mut source_node = match &source.source {
                Source::Database(database) => database_node(database),
                Source::File(file) => file_source_node(file),
                Source::Other(_) => Vec::new(),
            };
            for null in &source.null_values {
                source_node.push((rml("null"), T::Str(null.clone())));
            }
            node.push((rml("source"), T::Node(source_node)));
        }
    }
    if let Some(formulation) = &source.reference_formulation {
        node.push((
            rml("referenceFormulation"),
            reference_formulation(formulation, &source.source),
        ));
    }
    if let Some(iterator) = &source.iterator {
        node.push((rml("iterator"), T::Str(iterator.clone())));
    }
    if let Source::Database(database) = &source.source {
        if let Some(table) = &database.table_name {
            node.push((rml("tableName"), T::Str(table.clone())));
        }
        if let Some(query) = &database.query {
            node.push((rml("query"), T::Str(query.clone())));
        }
    }
    Ok(node)
}

fn file_source_node(file: &FileSource) -> Node {
    let root = match file.root {
        SourceRoot::MappingDirectory => "MappingDirectory",
        SourceRoot::CurrentWorkingDirectory => "CurrentWorkingDirectory",
    };
    let mut node = vec![
        typed("RelativePathSource"),
        (rml("root"), rml_iri(root)),
        (rml("path"), T::Str(file.path.clone())),
    ];
    let compression = match file.compression {
        Compression::None => None,
        Compression::Gzip => Some("gzip"),
        Compression::Zip => Some("zip"),
        Compression::TarGzip => Some("targz"),
        Compression::TarXz => Some("tarxz"),
    };
    if let Some(compression) = compression {
        node.push((rml("compression"), rml_iri(compression)));
    }
    if let Some(encoding) = &file.encoding {
        let value = match encoding.to_ascii_uppercase().as_str() {
            "UTF-8" => rml_iri("UTF-8"),
            "UTF-16" => rml_iri("UTF-16"),
            _ => T::Str(encoding.clone()),
        };
        node.push((rml("encoding"), value));
    }
    if file.csv != CsvDialect::default() {
        node.push((
            "http://www.w3.org/ns/csvw#dialect".to_owned(),
            T::Node(csv_dialect_node(&file.csv)),
        ));
    }
    node
}

fn csv_dialect_node(dialect: &CsvDialect) -> Node {
    let csvw = |local: &str| format!("http://www.w3.org/ns/csvw#{local}");
    vec![
        (format!("{RDF}type"), T::Iri(csvw("Dialect"))),
        (
            csvw("delimiter"),
            T::Str(char::from(dialect.delimiter).to_string()),
        ),
        (
            csvw("quoteChar"),
            T::Str(char::from(dialect.quote).to_string()),
        ),
        (csvw("header"), T::Bool(dialect.header)),
        (csvw("trim"), T::Bool(dialect.trim)),
    ]
}

fn database_node(database: &DatabaseSource) -> Node {
    let d2rq = |local: &str| format!("http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#{local}");
    let mut node = vec![(format!("{RDF}type"), T::Iri(d2rq("Database")))];
    let fields = [
        ("jdbcDSN", &database.dsn),
        ("jdbcDriver", &database.driver),
        ("username", &database.username),
        ("password", &database.password),
    ];
    for (local, value) in fields {
        if let Some(value) = value {
            node.push((d2rq(local), T::Str(value.clone())));
        }
    }
    if let Some(version) = &database.sql_version {
        let value = match NamedNode::new(version.as_str()) {
            Ok(iri) => T::Iri(iri.into_string()),
            Err(_) => T::Str(version.clone()),
        };
        node.push((rml("sqlVersion"), value));
    }
    node
}

fn reference_formulation(formulation: &ReferenceFormulation, source: &Source) -> T {
    match formulation {
        ReferenceFormulation::JsonPath => rml_iri("JSONPath"),
        ReferenceFormulation::Csv => rml_iri("CSV"),
        ReferenceFormulation::XPath { namespaces } if namespaces.is_empty() => rml_iri("XPath"),
        ReferenceFormulation::XPath { namespaces } => {
            let mut node = vec![typed("XPathReferenceFormulation")];
            for (prefix, url) in namespaces {
                node.push((
                    rml("namespace"),
                    T::Node(vec![
                        typed("Namespace"),
                        (rml("namespacePrefix"), T::Str(prefix.clone())),
                        (rml("namespaceURL"), T::Str(url.clone())),
                    ]),
                ));
            }
            T::Node(node)
        }
        ReferenceFormulation::Sql2008 => match source {
            Source::Database(DatabaseSource {
                query: None,
                table_name: Some(_),
                ..
            }) => rml_iri("SQL2008Table"),
            _ => rml_iri("SQL2008Query"),
        },
        ReferenceFormulation::Other(iri) => T::Iri(iri.clone()),
    }
}

fn subject_node(subject: &SubjectMap) -> Node {
    let mut node = vec![typed("SubjectMap")];
    node.extend(term_map_body(&subject.term));
    for class in &subject.classes {
        node.push((rml("class"), T::Iri(class.as_str().to_owned())));
    }
    for graph in &subject.graphs {
        node.push(shortcut_or_map(graph, "graph", "graphMap", "GraphMap"));
    }
    node
}

fn pom_node(pom: &PredicateObjectMap) -> Node {
    let mut node = vec![typed("PredicateObjectMap")];
    for predicate in &pom.predicates {
        node.push(shortcut_or_map(
            predicate,
            "predicate",
            "predicateMap",
            "PredicateMap",
        ));
    }
    for object in &pom.objects {
        match object {
            ObjectMap::Term(term) => {
                node.push(shortcut_or_map(term, "object", "objectMap", "ObjectMap"));
            }
            ObjectMap::Referencing(referencing) => {
                let mut object = vec![
                    typed("RefObjectMap"),
                    (rml("parentTriplesMap"), map_name(&referencing.parent)),
                ];
                for join in &referencing.joins {
                    object.push((rml("joinCondition"), T::Node(join_node(join))));
                }
                node.push((rml("objectMap"), T::Node(object)));
            }
        }
    }
    for graph in &pom.graphs {
        node.push(shortcut_or_map(graph, "graph", "graphMap", "GraphMap"));
    }
    node
}

fn join_node(join: &JoinCondition) -> Node {
    let mut node = vec![typed("Join")];
    for (expression, shortcut, map) in [
        (&join.child, "child", "childMap"),
        (&join.parent, "parent", "parentMap"),
    ] {
        match expression {
            Expression::Reference(reference) => {
                node.push((rml(shortcut), T::Str(reference.clone())));
            }
            other => node.push((rml(map), T::Node(expression_body(other)))),
        }
    }
    node
}

/// A constant-only term map as its shortcut (`rml:predicate ex:p`), anything else in full.
fn shortcut_or_map(term: &TermMap, shortcut: &str, map: &str, class: &str) -> (String, T) {
    if let Some(constant) = plain_constant(term) {
        return (rml(shortcut), constant_term(constant));
    }
    let mut node = vec![typed(class)];
    node.extend(term_map_body(term));
    (rml(map), T::Node(node))
}

fn plain_constant(term: &TermMap) -> Option<&Term> {
    match &term.expression {
        Expression::Constant(constant)
            if term.term_type.is_none()
                && term.language.is_none()
                && term.datatype.is_none()
                && term.gather.is_none() =>
        {
            Some(constant)
        }
        _ => None,
    }
}

fn term_map_body(term: &TermMap) -> Node {
    let mut node = expression_body(&term.expression);
    if let Some(term_type) = term.term_type {
        let local = match term_type {
            TermType::Iri => "IRI",
            TermType::UnsafeIri => "UnsafeIRI",
            TermType::Uri => "URI",
            TermType::BlankNode => "BlankNode",
            TermType::Literal => "Literal",
        };
        node.push((rml("termType"), rml_iri(local)));
    }
    if let Some(language) = &term.language {
        node.push(shortcut_or_map(
            language,
            "language",
            "languageMap",
            "LanguageMap",
        ));
    }
    if let Some(datatype) = &term.datatype {
        node.push(shortcut_or_map(
            datatype,
            "datatype",
            "datatypeMap",
            "DatatypeMap",
        ));
    }
    if let Some(gather) = &term.gather {
        node.extend(gather_body(gather));
    }
    node
}

fn expression_body(expression: &Expression) -> Node {
    match expression {
        Expression::Constant(constant) => vec![(rml("constant"), constant_term(constant))],
        Expression::Reference(reference) => vec![(rml("reference"), T::Str(reference.clone()))],
        Expression::Template(template) => {
            vec![(rml("template"), T::Str(rml_template(template)))]
        }
        Expression::Function(execution) => function_body(execution),
        // A fresh blank node: the term type says it all.
        Expression::Absent => Vec::new(),
    }
}

fn function_body(execution: &FunctionExecution) -> Node {
    let mut call = vec![typed("FunctionExecution")];
    call.push(shortcut_or_map(
        &execution.function,
        "function",
        "functionMap",
        "FunctionMap",
    ));
    for input in &execution.inputs {
        let mut node = vec![
            typed("Input"),
            (
                rml("parameter"),
                T::Iri(input.parameter.as_str().to_owned()),
            ),
        ];
        node.push(shortcut_or_map(
            &input.value,
            "inputValue",
            "inputValueMap",
            "InputValueMap",
        ));
        call.push((rml("input"), T::Node(node)));
    }
    let mut body = vec![(rml("functionExecution"), T::Node(call))];
    if let Some(output) = &execution.output {
        body.push((rml("return"), T::Iri(output.as_str().to_owned())));
    }
    body
}

fn gather_body(gather: &Gather) -> Node {
    let maps = gather
        .maps
        .iter()
        .map(|map| T::Node(term_map_body(map)))
        .collect();
    let mut node = vec![
        (rml("gather"), T::List(maps)),
        (
            rml("gatherAs"),
            T::Iri(gather.gather_as.as_str().to_owned()),
        ),
    ];
    if gather.strategy == GatherStrategy::CartesianProduct {
        node.push((rml("strategy"), rml_iri("cartesianProduct")));
    }
    if gather.allow_empty {
        node.push((rml("allowEmptyListAndContainer"), T::Bool(true)));
    }
    node
}

fn constant_term(term: &Term) -> T {
    match term {
        Term::NamedNode(iri) => T::Iri(iri.as_str().to_owned()),
        Term::BlankNode(blank) => T::Raw(format!("_:{}", blank_label(blank.as_str()))),
        Term::Literal(literal) => T::Raw(literal.to_string()),
        #[allow(unreachable_patterns)]
        other => T::Raw(other.to_string()),
    }
}

/// An RML template: `{`, `}` and `\` in text and references escaped with a backslash.
fn rml_template(template: &Template) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => escape_template_text(&mut out, text),
            TemplatePart::Reference(reference) => {
                out.push('{');
                escape_template_text(&mut out, reference);
                out.push('}');
            }
        }
    }
    out
}

fn escape_template_text(out: &mut String, text: &str) {
    for character in text.chars() {
        if matches!(character, '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(character);
    }
}

/// A blank node label Turtle accepts: ASCII letters, digits and `-` kept, anything else
/// (including `_`) as `_xHH..` so that different labels stay different.
fn blank_label(label: &str) -> String {
    let mut out = String::from("b");
    for character in label.chars() {
        if character.is_ascii_alphanumeric() || character == '-' {
            out.push(character);
        } else {
            let _ = write!(out, "_x{:X}_", u32::from(character));
        }
    }
    out
}

/// The Turtle printer: records which prefixes it used.
#[derive(Default)]
struct Turtle {
    used: Vec<&'static str>,
    /// The first IRI that did not parse (names and sources are plain strings in the model).
    invalid: Option<String>,
}

impl Turtle {
    fn statement(&mut self, out: &mut String, subject: &T, node: &Node) {
        self.object(out, subject, 0);
        self.properties(out, node, 1);
        out.push_str(" .\n\n");
    }

    fn properties(&mut self, out: &mut String, node: &Node, depth: usize) {
        for (index, (predicate, object)) in node.iter().enumerate() {
            if index > 0 {
                out.push_str(" ;");
            }
            out.push('\n');
            indent(out, depth);
            if predicate == &format!("{RDF}type") {
                out.push('a');
            } else {
                self.iri(out, predicate);
            }
            out.push(' ');
            self.object(out, object, depth);
        }
    }

    fn object(&mut self, out: &mut String, object: &T, depth: usize) {
        match object {
            T::Iri(iri) => self.iri(out, iri),
            T::Raw(raw) => {
                // Literals carry their datatype IRI in full; compact it when we can.
                match raw.rsplit_once("^^<") {
                    Some((lexical, datatype)) if raw.starts_with('"') => {
                        out.push_str(lexical);
                        out.push_str("^^");
                        self.iri(out, datatype.trim_end_matches('>'));
                    }
                    _ => out.push_str(raw),
                }
            }
            T::Str(text) => turtle_string(out, text),
            T::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            T::Node(node) if node.is_empty() => out.push_str("[]"),
            T::Node(node) => {
                out.push('[');
                self.properties(out, node, depth + 1);
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            T::List(items) => {
                out.push('(');
                for item in items {
                    out.push('\n');
                    indent(out, depth + 1);
                    self.object(out, item, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(')');
            }
        }
    }

    fn iri(&mut self, out: &mut String, iri: &str) {
        for (prefix, namespace) in PREFIXES {
            if let Some(local) = iri.strip_prefix(namespace)
                && is_safe_local(local)
            {
                if !self.used.contains(prefix) {
                    self.used.push(prefix);
                }
                let _ = write!(out, "{prefix}:{local}");
                return;
            }
        }
        if self.invalid.is_none() && oxiri::Iri::parse(iri).is_err() {
            self.invalid = Some(iri.to_owned());
        }
        out.push('<');
        for character in iri.chars() {
            match character {
                '\u{0}'..='\u{20}' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => {
                    let _ = write!(out, "\\u{:04X}", u32::from(character));
                }
                other => out.push(other),
            }
        }
        out.push('>');
    }
}

/// Local names written as prefixed names without escapes: letters, digits, `_`, `-`, and not
/// starting with `-` (a conservative subset of PN_LOCAL).
fn is_safe_local(local: &str) -> bool {
    !local.is_empty()
        && !local.starts_with('-')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn turtle_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7F}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// =============================================================================================
// YARRRML

/// The mapping as YARRRML (block-style YAML; every scalar double-quoted). Fails on what YARRRML
/// cannot say (gather maps, unsafe IRIs, compressed or non-UTF-8 files, CSV dialects, ...)
/// rather than dropping it.
pub fn to_yarrrml(mapping: &Mapping) -> Result<String, WriteError> {
    let keys = mapping_keys(mapping);
    let mut writer = Yarrrml {
        used: Vec::new(),
        keys: &keys,
        names: mapping.triples_maps.iter().map(|map| &map.name).collect(),
        map: String::new(),
    };
    let mut mappings = Vec::new();
    for (triples_map, key) in mapping.triples_maps.iter().zip(&keys) {
        writer.map = triples_map.name.to_string();
        mappings.push((key.clone(), writer.triples_map(triples_map)?));
    }
    let prefixes = PREFIXES
        .iter()
        .filter(|(prefix, _)| writer.used.contains(prefix))
        .map(|(prefix, namespace)| ((*prefix).to_owned(), Y::Str((*namespace).to_owned())))
        .collect();
    let document = vec![
        ("prefixes".to_owned(), Y::Map(prefixes)),
        ("mappings".to_owned(), Y::Map(mappings)),
    ];
    let mut out = String::new();
    yaml_map(&mut out, &document, 0, false);
    Ok(out)
}

/// A YAML value in the tree the writer prints.
#[derive(Debug, Clone)]
enum Y {
    Str(String),
    Map(Vec<(String, Y)>),
    List(Vec<Y>),
}

/// One unique key per triples map: its label, else the end of its name, made unique.
fn mapping_keys(mapping: &Mapping) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for map in &mapping.triples_maps {
        let base = map.label.clone().unwrap_or_else(|| {
            let name = map.name.as_str();
            let tail = name.rsplit(['/', '#']).find(|part| !part.is_empty());
            tail.unwrap_or("map").to_owned()
        });
        let mut key = base.clone();
        let mut counter = 2;
        while keys.contains(&key) {
            key = format!("{base}_{counter}");
            counter += 1;
        }
        keys.push(key);
    }
    keys
}

struct Yarrrml<'a> {
    used: Vec<&'static str>,
    keys: &'a [String],
    names: Vec<&'a MapName>,
    /// The triples map being written, for errors.
    map: String,
}

impl Yarrrml<'_> {
    fn unsupported(&self, what: &'static str) -> WriteError {
        WriteError::NotExpressible {
            map: self.map.clone(),
            what,
            syntax: "YARRRML",
        }
    }

    fn triples_map(&mut self, map: &TriplesMap) -> Result<Y, WriteError> {
        if map.base_iri.is_some() {
            return Err(self.unsupported("a per-triples-map base IRI"));
        }
        let mut entries = vec![(
            "sources".to_owned(),
            Y::List(vec![self.source(&map.logical_source)?]),
        )];
        entries.push(("s".to_owned(), self.subject(&map.subject.term)?));
        if !map.subject.graphs.is_empty() {
            let graphs = self.term_values(&map.subject.graphs)?;
            entries.push(("graphs".to_owned(), Y::List(graphs)));
        }
        let mut po = Vec::new();
        for class in &map.subject.classes {
            po.push(Y::Map(vec![
                ("p".to_owned(), Y::Str("a".to_owned())),
                (
                    "o".to_owned(),
                    Y::Map(vec![
                        ("value".to_owned(), Y::Str(self.iri(class.as_str()))),
                        ("type".to_owned(), Y::Str("iri".to_owned())),
                    ]),
                ),
            ]));
        }
        for pom in &map.predicate_object_maps {
            po.push(self.predicate_object(pom)?);
        }
        if !po.is_empty() {
            entries.push(("po".to_owned(), Y::List(po)));
        }
        Ok(Y::Map(entries))
    }

    fn source(&mut self, source: &LogicalSource) -> Result<Y, WriteError> {
        if !source.null_values.is_empty() {
            return Err(self.unsupported("NULL values (rml:null)"));
        }
        let mut entries = Vec::new();
        match &source.source {
            Source::File(file) => {
                if file.root == SourceRoot::CurrentWorkingDirectory {
                    return Err(self.unsupported("a path relative to the working directory"));
                }
                if file.compression != Compression::None {
                    return Err(self.unsupported("a compressed source"));
                }
                if file
                    .encoding
                    .as_deref()
                    .is_some_and(|encoding| !encoding.eq_ignore_ascii_case("UTF-8"))
                {
                    return Err(self.unsupported("a source encoding other than UTF-8"));
                }
                if file.csv != CsvDialect::default() {
                    return Err(self.unsupported("a CSV dialect"));
                }
                entries.push(("access".to_owned(), Y::Str(file.path.clone())));
            }
            Source::Database(database) => {
                if let Some(dsn) = &database.dsn {
                    entries.push(("access".to_owned(), Y::Str(dsn.clone())));
                }
                let driver = database
                    .driver
                    .as_deref()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let kind = ["mysql", "postgresql", "sqlserver", "oracle"]
                    .into_iter()
                    .find(|kind| driver.contains(kind));
                if let Some(kind) = kind {
                    entries.push(("type".to_owned(), Y::Str(kind.to_owned())));
                }
                let mut credentials = Vec::new();
                if let Some(username) = &database.username {
                    credentials.push(("username".to_owned(), Y::Str(username.clone())));
                }
                if let Some(password) = &database.password {
                    credentials.push(("password".to_owned(), Y::Str(password.clone())));
                }
                if !credentials.is_empty() {
                    entries.push(("credentials".to_owned(), Y::Map(credentials)));
                }
                entries.push(("queryFormulation".to_owned(), Y::Str("sql2008".to_owned())));
                if let Some(query) = &database.query {
                    entries.push(("query".to_owned(), Y::Str(query.clone())));
                }
                if let Some(table) = &database.table_name {
                    entries.push(("table".to_owned(), Y::Str(table.clone())));
                }
            }
            Source::Other(other) => entries.push(("access".to_owned(), Y::Str(other.clone()))),
        }
        let formulation = match &source.reference_formulation {
            None => None,
            Some(ReferenceFormulation::JsonPath) => Some("jsonpath".to_owned()),
            Some(ReferenceFormulation::Csv) => Some("csv".to_owned()),
            Some(ReferenceFormulation::XPath { namespaces }) if namespaces.is_empty() => {
                Some("xpath".to_owned())
            }
            Some(ReferenceFormulation::XPath { .. }) => {
                return Err(self.unsupported("XPath namespace declarations"));
            }
            // The YARRRML database form: rows are read as CSV.
            Some(ReferenceFormulation::Sql2008) => Some("csv".to_owned()),
            Some(ReferenceFormulation::Other(iri)) => Some(self.iri(iri)),
        };
        if let Some(formulation) = formulation {
            entries.push(("referenceFormulation".to_owned(), Y::Str(formulation)));
        }
        if let Some(iterator) = &source.iterator {
            entries.push(("iterator".to_owned(), Y::Str(iterator.clone())));
        }
        Ok(Y::Map(entries))
    }

    fn subject(&mut self, term: &TermMap) -> Result<Y, WriteError> {
        match (&term.expression, term.term_type) {
            (Expression::Function(_), _) | (_, Some(TermType::BlankNode)) => self.term_map(term),
            _ => {
                self.check_plain(term)?;
                self.value(&term.expression)
            }
        }
    }

    /// Graph or predicate values: plain strings when they can be, long form otherwise.
    fn term_values(&mut self, terms: &[TermMap]) -> Result<Vec<Y>, WriteError> {
        terms
            .iter()
            .map(|term| match &term.expression {
                Expression::Function(_) => self.term_map(term),
                expression => {
                    self.check_plain(term)?;
                    self.value(expression)
                }
            })
            .collect()
    }

    fn check_plain(&self, term: &TermMap) -> Result<(), WriteError> {
        match term.term_type {
            None | Some(TermType::Iri) | Some(TermType::Uri) => {}
            Some(_) => return Err(self.unsupported("a term type here")),
        }
        if term.gather.is_some() {
            return Err(self.unsupported("a gather map (RML-CC)"));
        }
        Ok(())
    }

    fn predicate_object(&mut self, pom: &PredicateObjectMap) -> Result<Y, WriteError> {
        let predicates = self.term_values(&pom.predicates)?;
        let mut objects = Vec::new();
        for object in &pom.objects {
            objects.push(match object {
                ObjectMap::Term(term) => self.term_map(term)?,
                ObjectMap::Referencing(referencing) => {
                    let parent = self.parent_key(&referencing.parent)?;
                    let mut entries = vec![("mapping".to_owned(), Y::Str(parent))];
                    let mut conditions = Vec::new();
                    for join in &referencing.joins {
                        conditions.push(self.join(join)?);
                    }
                    if !conditions.is_empty() {
                        entries.push(("condition".to_owned(), Y::List(conditions)));
                    }
                    Y::Map(entries)
                }
            });
        }
        let mut entries = vec![
            ("predicates".to_owned(), Y::List(predicates)),
            ("objects".to_owned(), Y::List(objects)),
        ];
        if !pom.graphs.is_empty() {
            let graphs = self.term_values(&pom.graphs)?;
            entries.push(("graphs".to_owned(), Y::List(graphs)));
        }
        Ok(Y::Map(entries))
    }

    fn parent_key(&self, parent: &MapName) -> Result<String, WriteError> {
        self.names
            .iter()
            .position(|name| *name == parent)
            .and_then(|index| self.keys.get(index))
            .cloned()
            .ok_or_else(|| self.unsupported("a parent triples map that is not in the mapping"))
    }

    /// `function: equal` with the child value from the subject side, the parent's from the object.
    fn join(&mut self, join: &JoinCondition) -> Result<Y, WriteError> {
        let child = self.value(&join.child)?;
        let parent = self.value(&join.parent)?;
        let parameter = |name: &str, value: Y, from: &str| {
            Y::Map(vec![
                ("parameter".to_owned(), Y::Str(name.to_owned())),
                ("value".to_owned(), value),
                ("from".to_owned(), Y::Str(from.to_owned())),
            ])
        };
        Ok(Y::Map(vec![
            ("function".to_owned(), Y::Str("equal".to_owned())),
            (
                "parameters".to_owned(),
                Y::List(vec![
                    parameter("str1", child, "subject"),
                    parameter("str2", parent, "object"),
                ]),
            ),
        ]))
    }

    /// A term map in long form: `value` (or `function` ...), `type`, `datatype`, `language`.
    fn term_map(&mut self, term: &TermMap) -> Result<Y, WriteError> {
        if term.gather.is_some() {
            return Err(self.unsupported("a gather map (RML-CC)"));
        }
        let mut entries = match self.value(&term.expression)? {
            Y::Map(function) => function,
            value => vec![("value".to_owned(), value)],
        };
        let term_type = match term.term_type {
            None => None,
            Some(TermType::Iri | TermType::Uri) => Some("iri"),
            Some(TermType::BlankNode) => Some("blank"),
            Some(TermType::Literal) => Some("literal"),
            Some(TermType::UnsafeIri) => return Err(self.unsupported("an unsafe IRI term type")),
        };
        // A constant IRI object is an IRI only when YARRRML is told so.
        let term_type = term_type.or(match &term.expression {
            Expression::Constant(Term::NamedNode(_)) => Some("iri"),
            Expression::Constant(Term::BlankNode(_)) => Some("blank"),
            _ => None,
        });
        if let Some(term_type) = term_type {
            entries.push(("type".to_owned(), Y::Str(term_type.to_owned())));
        }
        if let Expression::Constant(Term::Literal(literal)) = &term.expression {
            if let Some(language) = literal.language() {
                entries.push(("language".to_owned(), Y::Str(language.to_owned())));
            } else if literal.datatype().as_str() != format!("{XSD}string") {
                let datatype = self.iri(literal.datatype().as_str());
                entries.push(("datatype".to_owned(), Y::Str(datatype)));
            }
        }
        if let Some(datatype) = &term.datatype {
            let value = self.attribute(datatype)?;
            entries.push(("datatype".to_owned(), value));
        }
        if let Some(language) = &term.language {
            let value = self.attribute(language)?;
            entries.push(("language".to_owned(), value));
        }
        Ok(Y::Map(entries))
    }

    /// A datatype or language map: its value as text (constant, `$(reference)`, template).
    fn attribute(&mut self, term: &TermMap) -> Result<Y, WriteError> {
        match &term.expression {
            Expression::Function(_) => Err(self.unsupported("a function as datatype or language")),
            expression => self.value(expression),
        }
    }

    /// An expression's value: text for constants, references and templates; the long function
    /// form (a map) for functions.
    fn value(&mut self, expression: &Expression) -> Result<Y, WriteError> {
        Ok(match expression {
            Expression::Constant(Term::NamedNode(iri)) => Y::Str(self.iri(iri.as_str())),
            Expression::Constant(Term::Literal(literal)) => {
                let mut text = String::new();
                escape_yarrrml_text(&mut text, literal.value());
                Y::Str(text)
            }
            Expression::Constant(_) => {
                return Err(self.unsupported("a constant blank node or triple"));
            }
            Expression::Absent => return Err(self.unsupported("a blank node without a value")),
            Expression::Reference(reference) => {
                let mut text = String::new();
                yarrrml_reference(&mut text, reference);
                Y::Str(text)
            }
            Expression::Template(template) => {
                let mut text = String::new();
                for part in &template.parts {
                    match part {
                        TemplatePart::Text(part) => escape_yarrrml_text(&mut text, part),
                        TemplatePart::Reference(reference) => {
                            yarrrml_reference(&mut text, reference);
                        }
                    }
                }
                Y::Str(text)
            }
            Expression::Function(execution) => self.function(execution)?,
        })
    }

    fn function(&mut self, execution: &FunctionExecution) -> Result<Y, WriteError> {
        let Expression::Constant(Term::NamedNode(function)) = &execution.function.expression else {
            return Err(self.unsupported("a function chosen per record (rml:functionMap)"));
        };
        if let Some(output) = &execution.output {
            let default = functions::lookup(function.as_str())
                .is_some_and(|def| def.output_index(Some(output.as_str())) == Ok(0));
            if !default {
                return Err(self.unsupported("a function output other than the default one"));
            }
        }
        let mut parameters = Vec::new();
        for input in &execution.inputs {
            let mut entries = vec![(
                "parameter".to_owned(),
                Y::Str(self.iri(input.parameter.as_str())),
            )];
            match self.term_map(&input.value)? {
                Y::Map(value) => entries.extend(value),
                value => entries.push(("value".to_owned(), value)),
            }
            // A nested function is written under `value`.
            if entries.iter().any(|(key, _)| key == "function") {
                let (head, nested): (Vec<_>, Vec<_>) =
                    entries.into_iter().partition(|(key, _)| key == "parameter");
                entries = head;
                entries.push(("value".to_owned(), Y::Map(nested)));
            }
            parameters.push(Y::Map(entries));
        }
        Ok(Y::Map(vec![
            ("function".to_owned(), Y::Str(self.iri(function.as_str()))),
            ("parameters".to_owned(), Y::List(parameters)),
        ]))
    }

    /// An IRI as `prefix:local` when a known prefix fits, else in full.
    fn iri(&mut self, iri: &str) -> String {
        for (prefix, namespace) in PREFIXES {
            if let Some(local) = iri.strip_prefix(namespace)
                && is_safe_local(local)
            {
                if !self.used.contains(prefix) {
                    self.used.push(prefix);
                }
                return format!("{prefix}:{local}");
            }
        }
        iri.to_owned()
    }
}

/// Template text for YARRRML: `\` and `$(` escaped with a backslash.
fn escape_yarrrml_text(out: &mut String, text: &str) {
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\\' => out.push_str("\\\\"),
            '$' if characters.peek() == Some(&'(') => out.push_str("\\$"),
            other => out.push(other),
        }
    }
}

/// `$(reference)`, with `\` and `)` in the reference escaped with a backslash.
fn yarrrml_reference(out: &mut String, reference: &str) {
    out.push_str("$(");
    for character in reference.chars() {
        if matches!(character, '\\' | ')') {
            out.push('\\');
        }
        out.push(character);
    }
    out.push(')');
}

/// Block-style YAML. `inline_first`: the first key goes right after a list dash.
fn yaml_map(out: &mut String, entries: &[(String, Y)], depth: usize, inline_first: bool) {
    for (index, (key, value)) in entries.iter().enumerate() {
        if !(inline_first && index == 0) {
            yaml_indent(out, depth);
        }
        yaml_key(out, key);
        out.push(':');
        yaml_value(out, value, depth);
    }
}

fn yaml_value(out: &mut String, value: &Y, depth: usize) {
    match value {
        Y::Str(text) => {
            out.push(' ');
            yaml_string(out, text);
            out.push('\n');
        }
        Y::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Y::List(items) if items.is_empty() => out.push_str(" []\n"),
        Y::Map(entries) => {
            out.push('\n');
            yaml_map(out, entries, depth + 1, false);
        }
        Y::List(items) => {
            out.push('\n');
            yaml_list(out, items, depth + 1);
        }
    }
}

fn yaml_list(out: &mut String, items: &[Y], depth: usize) {
    for item in items {
        yaml_indent(out, depth);
        out.push_str("- ");
        match item {
            Y::Str(text) => {
                yaml_string(out, text);
                out.push('\n');
            }
            Y::Map(entries) if entries.is_empty() => out.push_str("{}\n"),
            Y::List(items) if items.is_empty() => out.push_str("[]\n"),
            Y::Map(entries) => yaml_map(out, entries, depth + 1, true),
            Y::List(items) => {
                out.push('\n');
                yaml_list(out, items, depth + 1);
            }
        }
    }
}

fn yaml_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Keys stay plain when they are simple names YAML cannot misread; others are quoted.
fn yaml_key(out: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(
            key.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
        );
    if plain {
        out.push_str(key);
    } else {
        yaml_string(out, key);
    }
}

/// A double-quoted YAML scalar: `"` and `\` escaped, non-printable characters as `\uXXXX`.
fn yaml_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20
                || (0x7F..=0x9F).contains(&u32::from(c))
                || c == '\u{FEFF}'
                || c == '\u{FFFE}'
                || c == '\u{FFFF}' =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::dataset::CanonicalizationAlgorithm;
    use oxigraph::model::{Dataset, Literal, NamedNode};

    use super::*;
    use crate::mapping::model::{FunctionInput, ReferencingObjectMap};

    fn iri(text: &str) -> NamedNode {
        NamedNode::new(text).unwrap()
    }

    fn parse(turtle: &str) -> Dataset {
        let mut dataset = Dataset::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.unwrap_or_else(|error| panic!("{error}\n{turtle}"));
            dataset.insert(&quad);
        }
        dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
        dataset
    }

    /// Writes `mapping` as RML and compares it, as a graph, with `expected` (Turtle whose
    /// prefixes `rml:`, `rdf:`, `xsd:`, `ex:` are declared here).
    fn check_rml(mapping: &Mapping, expected: &str) {
        let written = to_rml(mapping).unwrap();
        let expected = format!(
            "@prefix rml: <{RML}> . @prefix rdf: <{RDF}> . @prefix rdfs: <{RDFS}> .
             @prefix xsd: <{XSD}> . @prefix ex: <http://example.com/> .
             @prefix d2rq: <http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#> .
             @prefix grel: <{}> .\n{expected}",
            functions::GREL_NAMESPACE
        );
        assert_eq!(parse(&written), parse(&expected), "written:\n{written}");
    }

    fn csv_source(path: &str) -> LogicalSource {
        LogicalSource {
            source: Source::File(FileSource {
                path: path.to_owned(),
                root: SourceRoot::MappingDirectory,
                compression: Compression::None,
                encoding: None,
                csv: CsvDialect::default(),
            }),
            reference_formulation: Some(ReferenceFormulation::Csv),
            iterator: None,
            null_values: Vec::new(),
        }
    }

    fn template(parts: &[(&str, bool)]) -> Expression {
        Expression::Template(Template {
            parts: parts
                .iter()
                .map(|(text, reference)| {
                    if *reference {
                        TemplatePart::Reference((*text).to_owned())
                    } else {
                        TemplatePart::Text((*text).to_owned())
                    }
                })
                .collect(),
        })
    }

    fn reference(name: &str) -> TermMap {
        TermMap::of(Expression::Reference(name.to_owned()))
    }

    fn triples_map(name: MapName, subject: TermMap, poms: Vec<PredicateObjectMap>) -> TriplesMap {
        TriplesMap {
            name,
            label: None,
            logical_source: csv_source("people.csv"),
            subject: SubjectMap {
                term: subject,
                classes: Vec::new(),
                graphs: Vec::new(),
            },
            predicate_object_maps: poms,
            base_iri: None,
        }
    }

    fn pom(predicate: &str, object: ObjectMap) -> PredicateObjectMap {
        PredicateObjectMap {
            predicates: vec![TermMap::constant(iri(predicate))],
            objects: vec![object],
            graphs: Vec::new(),
        }
    }

    /// Template subject with a class and a named graph, a reference object with a datatype, one
    /// with a language, a constant IRI object.
    fn people() -> Mapping {
        let mut age = reference("age");
        age.datatype = Some(Box::new(TermMap::constant(iri(&format!("{XSD}integer")))));
        let mut name = reference("name");
        name.language = Some(Box::new(TermMap::constant(Literal::new_simple_literal(
            "en",
        ))));
        let mut map = triples_map(
            MapName::Iri("http://example.com/map/Person".to_owned()),
            TermMap::of(template(&[
                ("http://example.com/person/", false),
                ("id", true),
            ])),
            vec![
                pom("http://example.com/age", ObjectMap::Term(age)),
                pom("http://example.com/name", ObjectMap::Term(name)),
                pom(
                    "http://example.com/kind",
                    ObjectMap::Term(TermMap::constant(iri("http://example.com/Human"))),
                ),
            ],
        );
        map.label = Some("person".to_owned());
        map.subject.classes.push(iri("http://example.com/Person"));
        map.subject
            .graphs
            .push(TermMap::constant(iri("http://example.com/graph/people")));
        Mapping {
            triples_maps: vec![map],
            core_semantics: true,
        }
    }

    #[test]
    fn a_template_subject_with_class_graph_datatype_and_language_is_written_as_rml_core() {
        check_rml(
            &people(),
            r#"<http://example.com/map/Person> a rml:TriplesMap ;
                rdfs:label "person" ;
                rml:logicalSource [ a rml:LogicalSource ;
                    rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "people.csv" ] ;
                    rml:referenceFormulation rml:CSV ] ;
                rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/person/{id}" ;
                    rml:class ex:Person ; rml:graph <http://example.com/graph/people> ] ;
                rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:age ;
                    rml:objectMap [ a rml:ObjectMap ; rml:reference "age" ; rml:datatype xsd:integer ] ] ;
                rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:name ;
                    rml:objectMap [ a rml:ObjectMap ; rml:reference "name" ; rml:language "en" ] ] ;
                rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:kind ;
                    rml:object ex:Human ] ."#,
        );
    }

    #[test]
    fn joins_blank_named_maps_and_blank_node_subjects_keep_their_shape() {
        let mut parent = triples_map(
            MapName::Blank("parent map".to_owned()),
            reference("id"),
            Vec::new(),
        );
        parent.subject.term.term_type = Some(TermType::BlankNode);
        let child = triples_map(
            MapName::Iri("http://example.com/map/Child".to_owned()),
            TermMap::of(template(&[("http://example.com/c/", false), ("id", true)])),
            vec![pom(
                "http://example.com/parent",
                ObjectMap::Referencing(ReferencingObjectMap {
                    parent: MapName::Blank("parent map".to_owned()),
                    joins: vec![
                        JoinCondition {
                            child: Expression::Reference("parent_id".to_owned()),
                            parent: Expression::Reference("id".to_owned()),
                        },
                        JoinCondition {
                            child: template(&[("x-", false), ("a", true)]),
                            parent: Expression::Reference("b".to_owned()),
                        },
                    ],
                }),
            )],
        );
        let source = r#"rml:logicalSource [ a rml:LogicalSource ;
                    rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "people.csv" ] ;
                    rml:referenceFormulation rml:CSV ]"#;
        check_rml(
            &Mapping {
                triples_maps: vec![parent, child],
                core_semantics: true,
            },
            &format!(
                r#"_:p a rml:TriplesMap ; {source} ;
                    rml:subjectMap [ a rml:SubjectMap ; rml:reference "id" ; rml:termType rml:BlankNode ] .
                <http://example.com/map/Child> a rml:TriplesMap ; {source} ;
                    rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/c/{{id}}" ] ;
                    rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:parent ;
                        rml:objectMap [ a rml:RefObjectMap ; rml:parentTriplesMap _:p ;
                            rml:joinCondition [ a rml:Join ; rml:child "parent_id" ; rml:parent "id" ] ;
                            rml:joinCondition [ a rml:Join ; rml:childMap [ rml:template "x-{{a}}" ] ; rml:parent "b" ] ] ] ."#
            ),
        );
    }

    fn function_mapping() -> Mapping {
        let grel = |local: &str| iri(&format!("{}{local}", functions::GREL_NAMESPACE));
        let inner = FunctionExecution {
            function: Box::new(TermMap::constant(grel("string_replace"))),
            inputs: vec![
                FunctionInput {
                    parameter: grel("valueParam"),
                    value: reference("Name"),
                },
                FunctionInput {
                    parameter: grel("param_find"),
                    value: TermMap::constant(Literal::new_simple_literal(" ")),
                },
                FunctionInput {
                    parameter: grel("param_replace"),
                    value: TermMap::constant(Literal::new_simple_literal("-")),
                },
            ],
            output: Some(grel("stringOut")),
        };
        let outer = FunctionExecution {
            function: Box::new(TermMap::constant(grel("toUpperCase"))),
            inputs: vec![FunctionInput {
                parameter: grel("valueParam"),
                value: TermMap::of(Expression::Function(Box::new(inner))),
            }],
            output: None,
        };
        let mut map = triples_map(
            MapName::Iri("http://example.com/map/F".to_owned()),
            TermMap::of(template(&[("http://example.com/", false), ("Name", true)])),
            vec![pom(
                "http://example.com/name",
                ObjectMap::Term(TermMap::of(Expression::Function(Box::new(outer)))),
            )],
        );
        map.logical_source = LogicalSource {
            source: Source::Database(DatabaseSource {
                dsn: Some("jdbc:mysql://localhost/db".to_owned()),
                driver: Some("com.mysql.cj.jdbc.Driver".to_owned()),
                username: Some("root".to_owned()),
                password: None,
                table_name: None,
                query: Some("SELECT \"Name\" FROM t;\n".to_owned()),
                sql_version: None,
            }),
            reference_formulation: Some(ReferenceFormulation::Sql2008),
            iterator: None,
            null_values: vec!["NULL".to_owned()],
        };
        Mapping {
            triples_maps: vec![map],
            core_semantics: true,
        }
    }

    #[test]
    fn nested_functions_and_database_sources_are_written_as_rml_fnml_and_d2rq() {
        check_rml(
            &function_mapping(),
            r#"<http://example.com/map/F> a rml:TriplesMap ;
                rml:logicalSource [ a rml:LogicalSource ;
                    rml:source [ a d2rq:Database ; d2rq:jdbcDSN "jdbc:mysql://localhost/db" ;
                        d2rq:jdbcDriver "com.mysql.cj.jdbc.Driver" ; d2rq:username "root" ; rml:null "NULL" ] ;
                    rml:referenceFormulation rml:SQL2008Query ;
                    rml:query "SELECT \"Name\" FROM t;\n" ] ;
                rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/{Name}" ] ;
                rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:name ;
                    rml:objectMap [ a rml:ObjectMap ;
                        rml:functionExecution [ a rml:FunctionExecution ; rml:function grel:toUpperCase ;
                            rml:input [ a rml:Input ; rml:parameter grel:valueParam ;
                                rml:inputValueMap [ a rml:InputValueMap ;
                                    rml:functionExecution [ a rml:FunctionExecution ; rml:function grel:string_replace ;
                                        rml:input [ a rml:Input ; rml:parameter grel:valueParam ;
                                            rml:inputValueMap [ a rml:InputValueMap ; rml:reference "Name" ] ] ;
                                        rml:input [ a rml:Input ; rml:parameter grel:param_find ; rml:inputValue " " ] ;
                                        rml:input [ a rml:Input ; rml:parameter grel:param_replace ; rml:inputValue "-" ] ] ;
                                    rml:return grel:stringOut ] ] ] ] ] ."#,
        );
    }

    #[test]
    fn strings_iris_templates_and_blank_labels_are_escaped() {
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} brace { }";
        let mut map = triples_map(
            MapName::Iri("http://example.com/map/A".to_owned()),
            TermMap::of(template(&[
                ("http://example.com/{x}\\/", false),
                ("we{i}rd", true),
            ])),
            vec![pom(
                "http://example.com/p",
                ObjectMap::Term(TermMap::constant(
                    Literal::new_language_tagged_literal_unchecked(odd, "en"),
                )),
            )],
        );
        map.label = Some(odd.to_owned());
        map.logical_source.iterator = Some(odd.to_owned());
        let written = to_rml(&Mapping {
            triples_maps: vec![map],
            core_semantics: true,
        })
        .unwrap();
        let dataset = parse(&written);
        let texts: Vec<String> = dataset
            .iter()
            .filter_map(|quad| match quad.object {
                oxigraph::model::TermRef::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
            .collect();
        assert!(
            texts.iter().filter(|text| *text == odd).count() >= 3,
            "{written}"
        );
        assert!(
            texts.contains(&"http://example.com/\\{x\\}\\\\/{we\\{i\\}rd}".to_owned()),
            "{written}"
        );
    }

    #[test]
    fn a_name_that_is_not_an_iri_is_an_error_not_broken_turtle() {
        let mut mapping = people();
        mapping.triples_maps[0].name = MapName::Iri("http://example.com/a b".to_owned());
        assert_eq!(
            to_rml(&mapping),
            Err(WriteError::InvalidIri {
                iri: "http://example.com/a b".to_owned()
            })
        );
    }

    #[test]
    fn output_is_deterministic_and_declares_only_the_prefixes_it_uses() {
        let first = to_rml(&people()).unwrap();
        assert_eq!(first, to_rml(&people()).unwrap());
        assert!(first.starts_with("@prefix rml: <http://w3id.org/rml/> .\n"));
        assert!(first.contains("@prefix xsd:"));
        assert!(!first.contains("@prefix grel:"));
        assert!(!first.contains("@prefix d2rq:"));
    }

    #[test]
    fn yarrrml_has_prefixes_sources_subjects_and_long_form_objects() {
        let written = to_yarrrml(&people()).unwrap();
        let expected = r#"prefixes:
  xsd: "http://www.w3.org/2001/XMLSchema#"
mappings:
  person:
    sources:
      - access: "people.csv"
        referenceFormulation: "csv"
    s: "http://example.com/person/$(id)"
    graphs:
      - "http://example.com/graph/people"
    po:
      - p: "a"
        o:
          value: "http://example.com/Person"
          type: "iri"
      - predicates:
          - "http://example.com/age"
        objects:
          - value: "$(age)"
            datatype: "xsd:integer"
      - predicates:
          - "http://example.com/name"
        objects:
          - value: "$(name)"
            language: "en"
      - predicates:
          - "http://example.com/kind"
        objects:
          - value: "http://example.com/Human"
            type: "iri"
"#;
        assert_eq!(written, expected);
    }

    #[test]
    fn yarrrml_writes_joins_as_equal_conditions_and_functions_in_long_form() {
        let mut mapping = function_mapping();
        mapping.triples_maps[0].logical_source = csv_source("student.csv");
        let parent = triples_map(
            MapName::Iri("http://example.com/map/P".to_owned()),
            reference("id"),
            Vec::new(),
        );
        mapping.triples_maps[0].predicate_object_maps.push(pom(
            "http://example.com/knows",
            ObjectMap::Referencing(ReferencingObjectMap {
                parent: parent.name.clone(),
                joins: vec![JoinCondition {
                    child: Expression::Reference("friend)".to_owned()),
                    parent: Expression::Reference("id".to_owned()),
                }],
            }),
        ));
        mapping.triples_maps.push(parent);
        let written = to_yarrrml(&mapping).unwrap();
        for part in [
            "  F:\n",
            "  P:\n",
            "          - function: \"grel:toUpperCase\"\n            parameters:\n              - parameter: \"grel:valueParam\"\n                value:\n                  function: \"grel:string_replace\"\n",
            "                    - parameter: \"grel:param_find\"\n                      value: \" \"\n",
            "          - mapping: \"P\"\n            condition:\n              - function: \"equal\"\n",
            "                  - parameter: \"str1\"\n                    value: \"$(friend\\\\))\"\n                    from: \"subject\"\n",
            "  grel: \"http://users.ugent.be/~bjdmeest/function/grel.ttl#\"\n",
        ] {
            assert!(written.contains(part), "missing {part:?} in\n{written}");
        }
    }

    #[test]
    fn yarrrml_refuses_what_it_cannot_say_instead_of_dropping_it() {
        let mut gathered = people();
        gathered.triples_maps[0].subject.term.gather = Some(Box::new(Gather {
            maps: vec![reference("a")],
            gather_as: iri(&format!("{RDF}List")),
            strategy: GatherStrategy::Append,
            allow_empty: false,
        }));
        let mut compressed = people();
        if let Source::File(file) = &mut compressed.triples_maps[0].logical_source.source {
            file.compression = Compression::Gzip;
        }
        for mapping in [gathered, compressed] {
            assert!(matches!(
                to_yarrrml(&mapping),
                Err(WriteError::NotExpressible { .. })
            ));
        }
    }

    #[test]
    fn yaml_strings_quote_what_yaml_could_misread() {
        let mut out = String::new();
        yaml_string(&mut out, "yes: \"no\" \\ #x\n\u{7f}");
        assert_eq!(out, "\"yes: \\\"no\\\" \\\\ #x\\n\\u007F\"");
        let mut key = String::new();
        yaml_key(&mut key, "on");
        assert_eq!(key, "\"on\"");
    }
}
