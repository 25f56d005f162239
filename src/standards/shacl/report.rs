//! The outcome of a validation: typed results, their standard `sh:ValidationReport` RDF, and a
//! short serde summary (counts by severity) for logs and JSON bodies.

use super::model::Severity;
use super::path::Path;
use super::vocab;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Serialize;
use std::collections::BTreeMap;

/// A SHACL validation report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// True when there is no result at all (of any severity), as SHACL defines it.
    pub conforms: bool,
    pub results: Vec<ValidationResult>,
}

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    pub focus_node: Term,
    pub result_path: Option<Path>,
    pub value: Option<Term>,
    pub source_shape: NamedOrBlankNode,
    pub source_constraint_component: NamedNode,
    pub severity: Severity,
    pub messages: Vec<Literal>,
}

/// Counts for a report, serialisable as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    pub conforms: bool,
    pub results: usize,
    /// Results per severity: `Violation`, `Warning`, `Info`, or another severity's IRI.
    pub by_severity: BTreeMap<String, usize>,
    /// Results per constraint component's local name (`MinCountConstraintComponent`, ...).
    pub by_component: BTreeMap<String, usize>,
}

impl ValidationReport {
    pub(crate) fn from_results(results: Vec<ValidationResult>) -> Self {
        Self {
            conforms: results.is_empty(),
            results,
        }
    }

    /// The number of results with severity `sh:Violation`.
    pub fn violations(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.severity == Severity::Violation)
            .count()
    }

    /// Counts by severity and by constraint component.
    pub fn summary(&self) -> ReportSummary {
        let mut by_severity = BTreeMap::new();
        let mut by_component = BTreeMap::new();
        for r in &self.results {
            *by_severity.entry(r.severity.to_string()).or_insert(0) += 1;
            let component = r.source_constraint_component.as_str();
            let name = component.strip_prefix(vocab::NS).unwrap_or(component);
            *by_component.entry(name.to_owned()).or_insert(0) += 1;
        }
        ReportSummary {
            conforms: self.conforms,
            results: self.results.len(),
            by_severity,
            by_component,
        }
    }

    /// The report as a standard `sh:ValidationReport` graph (result and path nodes are fresh
    /// blank nodes).
    pub fn to_graph(&self) -> Graph {
        let mut graph = Graph::new();
        let report = BlankNode::default();
        graph.insert(&Triple::new(
            report.clone(),
            rdf::TYPE,
            vocab::VALIDATION_REPORT,
        ));
        graph.insert(&Triple::new(
            report.clone(),
            vocab::CONFORMS,
            Literal::new_typed_literal(if self.conforms { "true" } else { "false" }, xsd::BOOLEAN),
        ));
        for r in &self.results {
            let node = BlankNode::default();
            graph.insert(&Triple::new(report.clone(), vocab::RESULT, node.clone()));
            let add = |graph: &mut Graph, p, o: Term| {
                graph.insert(&Triple::new(node.clone(), p, o));
            };
            add(
                &mut graph,
                rdf::TYPE,
                vocab::VALIDATION_RESULT.into_owned().into(),
            );
            add(&mut graph, vocab::FOCUS_NODE, r.focus_node.clone());
            if let Some(path) = &r.result_path {
                let object = path.to_rdf(&mut graph);
                add(&mut graph, vocab::RESULT_PATH, object);
            }
            if let Some(value) = &r.value {
                add(&mut graph, vocab::VALUE, value.clone());
            }
            add(
                &mut graph,
                vocab::SOURCE_SHAPE,
                r.source_shape.clone().into(),
            );
            add(
                &mut graph,
                vocab::SOURCE_CONSTRAINT_COMPONENT,
                r.source_constraint_component.clone().into(),
            );
            add(
                &mut graph,
                vocab::RESULT_SEVERITY,
                r.severity.iri().into_owned().into(),
            );
            for message in &r.messages {
                add(&mut graph, vocab::RESULT_MESSAGE, message.clone().into());
            }
        }
        graph
    }
}
