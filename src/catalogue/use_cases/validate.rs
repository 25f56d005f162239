//! Every problem of a use case at once: the structure (`input::shape_input`), the shipped
//! `use-case` SHACL shape, and the registry mappings it names. Nothing is written here.

use oxigraph::model::{Graph, Term, Triple};

use super::input::{Prepared, shape_input};
use super::{CatalogError, InputProblem};
use crate::core::config::BaseIri;
use crate::core::ids::UseCaseId;
use crate::core::vocab as v;
use crate::standards::shacl::{Path, Severity, Shapes, ValidationResult};

pub(super) fn prepare(
    base: &BaseIri,
    shapes: &Shapes,
    triples: Vec<Triple>,
    given: Option<&UseCaseId>,
    mapping_exists: &dyn Fn(&str) -> bool,
) -> Result<Prepared, CatalogError> {
    let mut problems = Vec::new();
    let shaped = shape_input(base, triples, given, &mut problems);
    let Some((id, iri, graph)) = shaped else {
        return Err(CatalogError::Invalid { problems });
    };
    problems.extend(against_shape(shapes, &graph));
    problems.extend(unknown_mappings(&graph, mapping_exists));
    if problems.is_empty() {
        Ok(Prepared { id, iri, graph })
    } else {
        Err(CatalogError::Invalid { problems })
    }
}

/// Violations of the use-case shape (warnings do not stop a write).
pub fn against_shape(shapes: &Shapes, graph: &Graph) -> Vec<InputProblem> {
    let report = match crate::standards::shacl::validate(shapes, graph) {
        Ok(report) => report,
        Err(never) => match never {},
    };
    report
        .results
        .iter()
        .filter(|r| r.severity == Severity::Violation)
        .map(problem)
        .collect()
}

fn problem(result: &ValidationResult) -> InputProblem {
    let message = result
        .messages
        .iter()
        .find(|m| m.language().is_none_or(|l| l == "en"))
        .or(result.messages.first())
        .map_or_else(
            || format!("{} failed", result.source_constraint_component),
            |m| m.value().to_owned(),
        );
    InputProblem {
        message,
        focus_node: Some(term_text(&result.focus_node)),
        path: result.result_path.as_ref().map(|p| match p {
            Path::Predicate(p) => p.as_str().to_owned(),
            other => other.to_string(),
        }),
        value: result.value.as_ref().map(term_text),
    }
}

fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}

/// `citykg:usesMapping` values that are not registry mappings.
fn unknown_mappings(graph: &Graph, mapping_exists: &dyn Fn(&str) -> bool) -> Vec<InputProblem> {
    graph
        .triples_for_predicate(v::USES_MAPPING)
        .filter_map(|t| match t.object {
            oxigraph::model::TermRef::NamedNode(n) if !mapping_exists(n.as_str()) => {
                Some(InputProblem {
                    message: format!(
                        "<{}> is not a mapping of the registry (GET /mappings lists them)",
                        n.as_str()
                    ),
                    focus_node: Some(t.subject.to_string().trim_matches(['<', '>']).to_owned()),
                    path: Some(v::USES_MAPPING.as_str().to_owned()),
                    value: Some(n.as_str().to_owned()),
                })
            }
            _ => None,
        })
        .collect()
}
