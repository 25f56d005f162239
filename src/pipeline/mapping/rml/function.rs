//! Function-valued term maps: RML-FNML `rml:functionExecution` and the legacy
//! `fnml:functionValue` (a function written as a triples map of `fno:executes` and inputs).

use oxigraph::model::{NamedNode, Term};

use super::doc::Doc;
use super::term::{Position, term_map};
use super::vocab::{self, rml};
use crate::pipeline::mapping::model::{Expression, FunctionExecution, FunctionInput, TermMap};
use crate::pipeline::mapping::{Diagnostic, Location};

/// RML-FNML: `rml:functionExecution [ rml:function f ; rml:input [ rml:parameter p ; rml:inputValueMap m ] ]`.
pub(super) fn function_execution(
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
pub(super) fn legacy_function(
    doc: &Doc<'_>,
    node: &Term,
    position: Position,
    at: &Location,
) -> Result<FunctionExecution, Diagnostic> {
    let (function, inputs) = legacy_parts(doc, node, position, at)?;
    Ok(FunctionExecution {
        function: Box::new(function),
        inputs: inputs.into_iter().map(|(input, _)| input).collect(),
        output: None,
    })
}

/// A legacy function's inputs, each with the object-map node it was read from.
pub(super) type LegacyInputs = Vec<(FunctionInput, Option<Term>)>;

/// The function a legacy `fnml:functionValue` executes, and its inputs with the object-map
/// node each was read from (`None` for an `rr:object` constant).
pub(super) fn legacy_parts(
    doc: &Doc<'_>,
    node: &Term,
    position: Position,
    at: &Location,
) -> Result<(TermMap, LegacyInputs), Diagnostic> {
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
            objects.push((term_map(doc, map, position, at)?, Some(map.clone())));
        }
        for constant in doc.values(pom, &rml("object")) {
            objects.push((TermMap::constant(constant.clone()), None));
        }
        for predicate in predicates {
            let Term::NamedNode(predicate) = predicate else {
                continue;
            };
            for (object, object_node) in &objects {
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
                    inputs.push((
                        FunctionInput {
                            parameter: predicate.clone(),
                            value: object.clone(),
                        },
                        object_node.clone(),
                    ));
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
    Ok((function, inputs))
}
