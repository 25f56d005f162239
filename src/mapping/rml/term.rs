//! Term maps: constant, reference, template and function-valued; term types, datatypes and
//! languages (constant or maps); referencing object maps with join conditions; graph maps;
//! RML-CC gather maps.

use oxigraph::model::{Literal, NamedNode, Term};

use super::doc::{Doc, show};
use super::name_of;
use super::vocab::{self, rml};
use crate::mapping::model::{
    Expression, FunctionExecution, FunctionInput, Gather, GatherStrategy, JoinCondition, ObjectMap,
    ReferencingObjectMap, TermMap, TermType,
};
use crate::mapping::{Diagnostic, Location, template};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Subject,
    Predicate,
    Object,
    Graph,
    /// Inside a function, a join, a language or datatype map: any value.
    Value,
}

/// `rml:subject ex:a` and friends: a constant term map.
pub fn constant_shortcut(
    term: &Term,
    position: Position,
    at: &Location,
) -> Result<TermMap, Diagnostic> {
    if position != Position::Object
        && position != Position::Value
        && !matches!(term, Term::NamedNode(_))
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
    let Some(parent) = doc.one(node, &rml("parentTriplesMap"), at)? else {
        return term_map(doc, node, Position::Object, at).map(ObjectMap::Term);
    };
    let at = at.clone().with_term_map("referencing object map");
    let mut joins = Vec::new();
    for join in doc.values(node, &rml("joinCondition")) {
        let side = |reference: &str, map: &str| -> Result<Expression, Diagnostic> {
            match (
                doc.one_literal(join, &rml(reference), &at)?,
                doc.one(join, &rml(map), &at)?,
            ) {
                (Some(r), None) => Ok(Expression::Reference(r.value().to_owned())),
                (None, Some(m)) => Ok(term_map(doc, m, Position::Value, &at)?.expression),
                _ => Err(Diagnostic::new(
                    format!("a join condition needs exactly one of rml:{reference} or rml:{map}"),
                    at.clone(),
                )),
            }
        };
        joins.push(JoinCondition {
            child: side("child", "childMap")?,
            parent: side("parent", "parentMap")?,
        });
    }
    Ok(ObjectMap::Referencing(ReferencingObjectMap {
        parent: name_of(parent),
        joins,
    }))
}

pub fn term_map(
    doc: &Doc<'_>,
    node: &Term,
    position: Position,
    at: &Location,
) -> Result<TermMap, Diagnostic> {
    if !matches!(node, Term::NamedNode(_) | Term::BlankNode(_)) {
        // `rml:objectMap "x"`: some mappings in the wild use a literal where a constant is meant.
        return constant_shortcut(node, position, at);
    }
    let at = &doc.locate(node, at);
    let mut expressions = Vec::new();
    if let Some(constant) = doc.one(node, &rml("constant"), at)? {
        expressions.push(Expression::Constant(constant.clone()));
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
        expressions.push(Expression::Function(Box::new(legacy_function(
            doc, value, at,
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

/// RML-FNML: `rml:functionExecution [ rml:function f ; rml:input [ rml:parameter p ; rml:inputValueMap m ] ]`.
fn function_execution(
    doc: &Doc<'_>,
    node: &Term,
    output: Option<NamedNode>,
    at: &Location,
) -> Result<FunctionExecution, Diagnostic> {
    let function = match (
        doc.one(node, &rml("function"), at)?,
        doc.one(node, &rml("functionMap"), at)?,
    ) {
        (Some(constant), None) => TermMap::constant(constant.clone()),
        (None, Some(map)) => term_map(doc, map, Position::Value, at)?,
        _ => {
            return Err(Diagnostic::new(
                "a function execution needs exactly one of rml:function or rml:functionMap",
                at.clone(),
            ));
        }
    };
    let mut inputs = Vec::new();
    for input in doc.values(node, &rml("input")) {
        let parameter = match (
            doc.one(input, &rml("parameter"), at)?,
            doc.one(input, &rml("parameterMap"), at)?,
        ) {
            (Some(Term::NamedNode(p)), None) => p.clone(),
            (None, Some(map)) => match doc.one(map, &rml("constant"), at)? {
                Some(Term::NamedNode(p)) => p.clone(),
                _ => {
                    return Err(Diagnostic::new(
                        "rml:parameterMap must be a constant IRI",
                        at.clone(),
                    ));
                }
            },
            _ => {
                return Err(Diagnostic::new(
                    "a function input needs one rml:parameter IRI",
                    at.clone(),
                ));
            }
        };
        let value = match (
            doc.one(input, &rml("inputValue"), at)?,
            doc.one(input, &rml("inputValueMap"), at)?,
        ) {
            (Some(constant), None) => TermMap::constant(constant.clone()),
            (None, Some(map)) => term_map(doc, map, Position::Value, at)?,
            _ => {
                return Err(Diagnostic::new(
                    format!(
                        "the input for {parameter} needs exactly one of rml:inputValue or rml:inputValueMap"
                    ),
                    at.clone(),
                ));
            }
        };
        inputs.push(FunctionInput { parameter, value });
    }
    Ok(FunctionExecution {
        function: Box::new(function),
        inputs,
        output,
    })
}

/// Legacy `fnml:functionValue [ rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap ... ], ... ]`.
fn legacy_function(
    doc: &Doc<'_>,
    node: &Term,
    at: &Location,
) -> Result<FunctionExecution, Diagnostic> {
    let executes = format!("{}executes", vocab::FNO);
    let mut function = None;
    let mut inputs = Vec::new();
    for pom in doc.values(node, &rml("predicateObjectMap")) {
        let mut predicates: Vec<Term> = doc.values(pom, &rml("predicate")).cloned().collect();
        for map in doc.values(pom, &rml("predicateMap")) {
            if let Some(constant) = doc.one(map, &rml("constant"), at)? {
                predicates.push(constant.clone());
            }
        }
        let mut objects = Vec::new();
        for map in doc.values(pom, &rml("objectMap")) {
            objects.push(term_map(doc, map, Position::Value, at)?);
        }
        for constant in doc.values(pom, &rml("object")) {
            objects.push(TermMap::constant(constant.clone()));
        }
        for predicate in predicates {
            let Term::NamedNode(predicate) = predicate else {
                continue;
            };
            for object in &objects {
                if predicate.as_str() == executes {
                    // The function IRI is often written as a string constant; it is an IRI.
                    let mut object = object.clone();
                    if let Expression::Constant(Term::Literal(l)) = &object.expression
                        && let Ok(iri) = NamedNode::new(l.value())
                    {
                        object = TermMap::constant(iri);
                    }
                    function = Some(object);
                } else {
                    inputs.push(FunctionInput {
                        parameter: predicate.clone(),
                        value: object.clone(),
                    });
                }
            }
        }
    }
    let Some(function) = function else {
        return Err(Diagnostic::new(
            "fnml:functionValue does not say which function it executes (fno:executes)",
            at.clone(),
        ));
    };
    Ok(FunctionExecution {
        function: Box::new(function),
        inputs,
        output: None,
    })
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
