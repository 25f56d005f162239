//! Term maps: constant, reference, template and function-valued; term types, datatypes and
//! languages (constant or maps); graph maps; RML-CC gather maps. Referencing object maps and
//! their join conditions are in `join`.

use oxigraph::model::{Literal, NamedNode, Term};

use super::doc::{Doc, show};
use super::function::{function_execution, legacy_function};
use super::name_of;
use super::vocab::{self, rml};
use crate::pipeline::mapping::model::{
    Expression, FunctionExecution, FunctionInput, Gather, GatherStrategy, ObjectMap, TermMap,
    TermType,
};
use crate::pipeline::mapping::{Diagnostic, Location, template};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Subject,
    Predicate,
    Object,
    Graph,
    /// Inside a function, a join, a language or datatype map: any value.
    Value,
    /// Inside a join condition written as a function: any value, and `rml:parentTermMap`
    /// (the side evaluated on the parent's record) is allowed.
    Join,
}

/// `rml:constant "http://..."` (a string) where only an IRI can stand (subjects, predicates,
/// graphs) is that IRI: yarrrml-parser writes graph constants this way. Anything that is not a
/// valid IRI is kept as written, for the checker to report.
fn iri_position_constant(constant: &Term, position: Position) -> Term {
    let iri_only = matches!(
        position,
        Position::Subject | Position::Predicate | Position::Graph
    );
    match constant {
        Term::Literal(literal)
            if iri_only
                && literal.language().is_none()
                && literal.datatype().as_str() == XSD_STRING =>
        {
            NamedNode::new(literal.value())
                .map(Term::NamedNode)
                .unwrap_or_else(|_| constant.clone())
        }
        other => other.clone(),
    }
}

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// `rml:subject ex:a` and friends: a constant term map.
pub fn constant_shortcut(
    term: &Term,
    position: Position,
    at: &Location,
) -> Result<TermMap, Diagnostic> {
    if !matches!(
        position,
        Position::Object | Position::Value | Position::Join
    ) && !matches!(term, Term::NamedNode(_))
    {
        return Err(Diagnostic::new(
            format!("a constant in {position:?} position must be an IRI, found {term}"),
            at.clone(),
        ));
    }
    Ok(TermMap::constant(term.clone()))
}

pub fn graph_maps(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<Vec<TermMap>, Diagnostic> {
    let mut graphs = Vec::new();
    for map in doc.values(node, &rml("graphMap")) {
        graphs.push(term_map(doc, map, Position::Graph, at)?);
    }
    for constant in doc.values(node, &rml("graph")) {
        graphs.push(constant_shortcut(constant, Position::Graph, at)?);
    }
    Ok(graphs)
}

pub fn object_map(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<ObjectMap, Diagnostic> {
    match doc.one(node, &rml("parentTriplesMap"), at)? {
        None => term_map(doc, node, Position::Object, at).map(ObjectMap::Term),
        Some(parent) => super::join::referencing(doc, node, parent, at).map(ObjectMap::Referencing),
    }
}

/// How deep term maps may nest (functions in functions, language maps, gather members...).
/// A cycle (`ex:tm rml:languageMap ex:tm`) or a runaway chain stops here with a diagnostic
/// instead of overflowing the stack.
const MAX_NESTING: usize = 64;
/// Term maps one top-level term map may expand to. A term map used by several others (an input
/// value map shared by both inputs of a function, at every level) is read once per use, so a
/// small document could otherwise ask for 2^64 of them.
const MAX_EXPANDED: usize = 10_000;

thread_local! {
    static NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Term maps read since the current top-level term map began.
    static EXPANDED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one level of nesting while alive.
struct Nested;

impl Nested {
    fn enter(at: &Location) -> Result<Self, Diagnostic> {
        let depth = NESTING.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let guard = Self;
        let expanded = EXPANDED.with(|n| {
            n.set(if depth == 1 { 1 } else { n.get() + 1 });
            n.get()
        });
        if expanded > MAX_EXPANDED {
            return Err(Diagnostic::new(
                format!(
                    "a term map expands to more than {MAX_EXPANDED} term maps (term maps shared \
                     by several others count once per use)"
                ),
                at.clone(),
            ));
        }
        if depth > MAX_NESTING {
            return Err(Diagnostic::new(
                format!(
                    "term maps nest more than {MAX_NESTING} levels deep (a term map that refers to itself?)"
                ),
                at.clone(),
            ));
        }
        Ok(guard)
    }
}

impl Drop for Nested {
    fn drop(&mut self) {
        NESTING.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

pub fn term_map(
    doc: &Doc<'_>,
    node: &Term,
    position: Position,
    at: &Location,
) -> Result<TermMap, Diagnostic> {
    let _nested = Nested::enter(at)?;
    if !matches!(node, Term::NamedNode(_) | Term::BlankNode(_)) {
        // `rml:objectMap "x"`: some mappings in the wild use a literal where a constant is meant.
        return constant_shortcut(node, position, at);
    }
    let at = &doc.locate(node, at);
    let mut expressions = Vec::new();
    if let Some(constant) = doc.one(node, &rml("constant"), at)? {
        expressions.push(Expression::Constant(constant.clone()));
    }
    if position == Position::Join
        && let Some(parent) = doc.one(node, &rml("parentTermMap"), at)?
    {
        // yarrrml-parser's function joins: the term map evaluated on the parent's record.
        return term_map(doc, parent, Position::Join, at);
    }
    if let Some(reference) = doc.one_literal(node, &rml("reference"), at)? {
        expressions.push(Expression::Reference(reference.value().to_owned()));
    }
    if let Some(column) = doc.one_literal(node, &rml("column"), at)? {
        expressions.push(Expression::Reference(column.value().to_owned()));
    }
    if let Some(text) = doc.one_literal(node, &rml("template"), at)? {
        let parsed = template::parse(text.value())
            .map_err(|e| Diagnostic::new(e.to_string(), at.clone()))?;
        expressions.push(Expression::Template(parsed));
    }
    if let Some(execution) = doc.one(node, &rml("functionExecution"), at)? {
        let output = doc.one_iri(node, &rml("return"), at)?.cloned();
        expressions.push(Expression::Function(Box::new(function_execution(
            doc, execution, output, at,
        )?)));
    }
    if let Some(value) = doc.one(node, &format!("{}functionValue", vocab::FNML_LEGACY), at)? {
        let inner = if position == Position::Join {
            Position::Join
        } else {
            Position::Value
        };
        expressions.push(Expression::Function(Box::new(legacy_function(
            doc, value, inner, at,
        )?)));
    }
    let gather = gather(doc, node, at)?;
    let term_type = match doc.one_iri(node, &rml("termType"), at)? {
        None => None,
        Some(iri) => Some(term_type(iri, at)?),
    };
    let expression = match (expressions.len(), &gather) {
        (1, _) => expressions.remove(0),
        // A gather map without its own expression names its collection with a blank node.
        (0, Some(_)) => Expression::Absent,
        (0, None) if term_type == Some(TermType::BlankNode) => Expression::Absent,
        (0, None) => {
            return Err(Diagnostic::new(
                format!(
                    "{} gives no value: add one of rml:constant, rml:reference, rml:template or rml:functionExecution",
                    show(node)
                ),
                at.clone(),
            ));
        }
        _ => {
            return Err(Diagnostic::new(
                format!(
                    "{} has more than one of rml:constant, rml:reference, rml:template, rml:functionExecution; keep one",
                    show(node)
                ),
                at.clone(),
            ));
        }
    };
    let expression = match expression {
        Expression::Constant(constant)
            if matches!(
                term_type,
                None | Some(TermType::Iri | TermType::Uri | TermType::UnsafeIri)
            ) =>
        {
            Expression::Constant(iri_position_constant(&constant, position))
        }
        other => other,
    };
    let language = match (
        doc.one_literal(node, &rml("language"), at)?,
        doc.one(node, &rml("languageMap"), at)?,
    ) {
        (Some(tag), None) => Some(Box::new(TermMap::constant(Literal::new_simple_literal(
            tag.value(),
        )))),
        (None, Some(map)) => Some(Box::new(term_map(doc, map, Position::Value, at)?)),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(Diagnostic::new(
                "give rml:language or rml:languageMap, not both",
                at.clone(),
            ));
        }
    };
    let datatype = match (
        doc.one_iri(node, &rml("datatype"), at)?,
        doc.one(node, &rml("datatypeMap"), at)?,
    ) {
        (Some(iri), None) => Some(Box::new(TermMap::constant(iri.clone()))),
        (None, Some(map)) => Some(Box::new(term_map(doc, map, Position::Value, at)?)),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(Diagnostic::new(
                "give rml:datatype or rml:datatypeMap, not both",
                at.clone(),
            ));
        }
    };
    let expression = match doc.one(node, &rml("condition"), at)? {
        None => expression,
        Some(condition) => {
            let condition = term_map(doc, condition, Position::Value, at)?;
            conditional(expression, term_type, condition)
        }
    };
    Ok(TermMap {
        name: Some(name_of(node)),
        expression,
        term_type,
        language,
        datatype,
        gather,
    })
}

/// `rml:condition`: the term map gives its value only when the condition is true. Normalised
/// into the function YARRRML conditions use, `idlab-fn:trueCondition(strBoolean, str)`, so the
/// model has one way to say it. The value keeps the term map's term type, so a template still
/// percent-encodes for an IRI.
fn conditional(
    expression: Expression,
    term_type: Option<TermType>,
    condition: TermMap,
) -> Expression {
    let idlab = |local: &str| {
        NamedNode::new_unchecked(format!("https://w3id.org/imec/idlab/function#{local}"))
    };
    let mut value = TermMap::of(expression);
    value.term_type = term_type;
    Expression::Function(Box::new(FunctionExecution {
        function: Box::new(TermMap::constant(idlab("trueCondition"))),
        inputs: vec![
            FunctionInput {
                parameter: idlab("strBoolean"),
                value: condition,
            },
            FunctionInput {
                parameter: idlab("str"),
                value,
            },
        ],
        output: None,
    }))
}

fn term_type(iri: &NamedNode, at: &Location) -> Result<TermType, Diagnostic> {
    Ok(
        match iri
            .as_str()
            .strip_prefix(vocab::RML)
            .unwrap_or(iri.as_str())
        {
            "IRI" => TermType::Iri,
            "URI" => TermType::Uri,
            "UnsafeIRI" => TermType::UnsafeIri,
            "BlankNode" => TermType::BlankNode,
            "Literal" => TermType::Literal,
            _ => {
                return Err(Diagnostic::new(
                    format!(
                        "unknown rml:termType {iri}; use rml:IRI, rml:BlankNode or rml:Literal"
                    ),
                    at.clone(),
                ));
            }
        },
    )
}

fn gather(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<Option<Box<Gather>>, Diagnostic> {
    let Some(list) = doc.one(node, &rml("gather"), at)? else {
        return Ok(None);
    };
    let mut maps = Vec::new();
    for member in doc.list(list) {
        maps.push(term_map(doc, &member, Position::Value, at)?);
    }
    let gather_as = doc
        .one_iri(node, &rml("gatherAs"), at)?
        .cloned()
        .ok_or_else(|| {
            Diagnostic::new(
                "a gather map needs rml:gatherAs (rdf:List, rdf:Bag, rdf:Seq or rdf:Alt)",
                at.clone(),
            )
        })?;
    let strategy = match doc.one_iri(node, &rml("strategy"), at)? {
        Some(s) if s.as_str() == rml("cartesianProduct") => GatherStrategy::CartesianProduct,
        _ => GatherStrategy::Append,
    };
    let allow_empty = doc
        .one_literal(node, &rml("allowEmptyListAndContainer"), at)?
        .is_some_and(|l| l.value() == "true");
    Ok(Some(Box::new(Gather {
        maps,
        gather_as,
        strategy,
        allow_empty,
    })))
}
