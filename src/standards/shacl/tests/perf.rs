//! Validation scales linearly: 100,000 triples of SOSA observations against every shipped
//! shapes file (`ontologies/shapes/*.ttl`), from a `Graph` and from a store's named graph.

use crate::standards::shacl::{Shapes, validate};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Graph, Literal, NamedNode, Triple};
use std::time::Instant;

const SOSA: &str = "http://www.w3.org/ns/sosa/";

fn sosa(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SOSA}{local}"))
}

/// `n` observations of 6 triples each, every 100th one missing its result time.
pub fn observations(n: usize) -> Graph {
    let mut g = Graph::new();
    let sensors: Vec<NamedNode> = (0..50)
        .map(|i| NamedNode::new_unchecked(format!("http://example.org/sensor/{i}")))
        .collect();
    for s in &sensors {
        g.insert(&Triple::new(s.clone(), rdf::TYPE, sosa("Sensor")));
    }
    for i in 0..n {
        let o = NamedNode::new_unchecked(format!("http://example.org/obs/{i}"));
        let sensor = sensors[i % sensors.len()].clone();
        g.insert(&Triple::new(o.clone(), rdf::TYPE, sosa("Observation")));
        g.insert(&Triple::new(o.clone(), sosa("madeBySensor"), sensor));
        g.insert(&Triple::new(
            o.clone(),
            sosa("observedProperty"),
            NamedNode::new_unchecked("http://example.org/property/temperature"),
        ));
        g.insert(&Triple::new(
            o.clone(),
            sosa("hasFeatureOfInterest"),
            NamedNode::new_unchecked(format!("http://example.org/street/{}", i % 500)),
        ));
        g.insert(&Triple::new(
            o.clone(),
            sosa("hasSimpleResult"),
            Literal::new_typed_literal(format!("{}.5", i % 40), xsd::DECIMAL),
        ));
        if i % 100 != 0 {
            g.insert(&Triple::new(
                o,
                sosa("resultTime"),
                Literal::new_typed_literal("2026-11-25T12:00:00Z", xsd::DATE_TIME),
            ));
        }
    }
    g
}

/// Results for observations without `sosa:resultTime` (every 100th one).
fn missing_result_times(report: &crate::standards::shacl::ValidationReport) -> usize {
    let path = crate::standards::shacl::Path::Predicate(sosa("resultTime"));
    report
        .results
        .iter()
        .filter(|r| {
            r.source_constraint_component == crate::standards::shacl::vocab::component::MIN_COUNT
                && r.result_path.as_ref() == Some(&path)
        })
        .count()
}

/// Every file of `ontologies/shapes/`, as one shapes graph.
fn shipped_shapes() -> Shapes {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies/shapes");
    let mut graph = Graph::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ttl") {
            let text = std::fs::read_to_string(&path).unwrap();
            // Each file compiles on its own, too.
            Shapes::from_turtle(&text, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
                graph.insert(quad.unwrap().as_ref());
            }
            files += 1;
        }
    }
    assert!(files >= 1, "no shapes in {}", dir.display());
    Shapes::parse(&graph).unwrap()
}

#[test]
fn the_shipped_shapes_compile() {
    assert!(shipped_shapes().len() > 10);
}

#[test]
fn a_hundred_thousand_triples_validate_in_seconds() {
    let shapes = shipped_shapes();
    let data = observations(16_700);
    assert!(data.len() > 100_000);
    let start = Instant::now();
    let Ok(report) = validate(&shapes, &data);
    let elapsed = start.elapsed();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "SHACL: {} triples validated in {elapsed:?}: {:?}\n",
            data.len(),
            report.summary()
        )
        .as_bytes(),
    );
    assert_eq!(missing_result_times(&report), 167);
    // Generous for unoptimised test builds on a 2-core machine; release builds are far faster.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
}

#[test]
fn a_hundred_thousand_triples_in_a_store_validate_in_place() {
    use crate::standards::shacl::{GraphScope, StoreGraph};
    use crate::storage::{Cause, Origin, Storage};
    use oxigraph::model::NamedNodeRef;
    let shapes = shipped_shapes();
    let data = observations(16_700);
    let store = Storage::in_memory().unwrap();
    let name = NamedNodeRef::new("http://example.org/graph/observations").unwrap();
    store
        .extend(
            Cause::service(Origin::Load),
            data.iter().map(|t| t.in_graph(name)),
        )
        .unwrap();
    let start = Instant::now();
    let report = validate(
        &shapes,
        &StoreGraph::new(&store, GraphScope::Graph(name.into())),
    )
    .unwrap();
    let elapsed = start.elapsed();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "SHACL: {} stored triples validated in {elapsed:?}\n",
            data.len()
        )
        .as_bytes(),
    );
    assert_eq!(missing_result_times(&report), 167);
    let Ok(in_memory) = validate(&shapes, &data);
    assert_eq!(report.summary(), in_memory.summary());
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}

/// Shapes that share a shape twice per level (`_:s{n} sh:and (_:s{n+1} _:s{n+1})`), nested past
/// the validator's depth limit: each pair is checked once, so the work stays linear in the
/// levels instead of doubling per level (2^100 before the depth-cut answers were memoised).
#[test]
fn shared_shapes_nested_past_the_depth_limit_stay_linear() {
    let mut turtle = String::from(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
         @prefix ex: <http://example.org/> .\n\
         ex:Root a sh:NodeShape ; sh:targetNode ex:n ; sh:node ex:S0 .\n",
    );
    for level in 0..100 {
        let next = level + 1;
        turtle.push_str(&format!(
            "ex:S{level} a sh:NodeShape ; sh:and ( ex:S{next} ex:S{next} ) .\n"
        ));
    }
    turtle.push_str("ex:S100 a sh:NodeShape ; sh:minCount 0 .\n");
    let shapes = Shapes::from_turtle(&turtle, None).unwrap();
    let data = Graph::new();
    let started = Instant::now();
    let report = validate(&shapes, &data).unwrap();
    assert!(report.conforms);
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
}
