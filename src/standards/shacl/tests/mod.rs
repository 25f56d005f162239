//! Unit tests of the SHACL module, table-driven through one `check` helper: shapes and data as
//! Turtle in, results as short `focus Component value` strings out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod constraints;
mod fuzz;
mod parsing;
mod perf;
mod targets_paths;

use super::{Shapes, validate};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, Term};

pub const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
";

pub fn graph(turtle: &str) -> Graph {
    let text = format!("{PREFIXES}{turtle}");
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        graph.insert(quad.unwrap().as_ref());
    }
    graph
}

pub fn shapes(turtle: &str) -> Shapes {
    Shapes::parse(&graph(turtle)).unwrap_or_else(|e| panic!("{e}"))
}

/// `ex:x` for example.org IRIs, `"lexical"` for literals, `_` for blank nodes.
pub fn short(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => match n.as_str().strip_prefix("http://example.org/") {
            Some(local) => format!("ex:{local}"),
            None => format!("<{}>", n.as_str()),
        },
        Term::Literal(l) => format!("{:?}", l.value()),
        Term::BlankNode(_) => "_".to_owned(),
    }
}

/// The results of validating `data` against `shapes`, as sorted `focus Component [value]` lines.
pub fn check(shapes_ttl: &str, data_ttl: &str) -> Vec<String> {
    let shapes = shapes(shapes_ttl);
    let data = graph(data_ttl);
    let Ok(report) = validate(&shapes, &data);
    assert_eq!(report.conforms, report.results.is_empty());
    let mut lines: Vec<String> = report
        .results
        .iter()
        .map(|r| {
            let component = r.source_constraint_component.as_str();
            let component = component
                .trim_start_matches(crate::standards::shacl::vocab::NS)
                .trim_end_matches("ConstraintComponent");
            let mut line = format!("{} {component}", short(&r.focus_node));
            if let Some(v) = &r.value {
                line.push(' ');
                line.push_str(&short(v));
            }
            line
        })
        .collect();
    lines.sort();
    lines
}

/// Asserts `check` gives exactly `expected` (in any order).
pub fn expect(shapes_ttl: &str, data_ttl: &str, expected: &[&str]) {
    let mut expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(
        check(shapes_ttl, data_ttl),
        expected,
        "shapes:\n{shapes_ttl}\ndata:\n{data_ttl}"
    );
}
