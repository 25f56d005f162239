//! Validation scales linearly: 100,000 triples of SOSA observations with the observation shapes.

use crate::shacl::{Shapes, validate};
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

#[test]
fn a_hundred_thousand_triples_validate_in_seconds() {
    let shapes = Shapes::from_turtle(include_str!("observation-shapes.ttl"), None).unwrap();
    let data = observations(16_700);
    assert!(data.len() > 100_000);
    let start = Instant::now();
    let Ok(report) = validate(&shapes, &data);
    let elapsed = start.elapsed();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("SHACL: {} triples validated in {elapsed:?}\n", data.len()).as_bytes(),
    );
    assert_eq!(report.results.len(), 167);
    // Generous for unoptimised test builds on a 2-core machine; release builds are far faster.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
}

#[test]
fn a_hundred_thousand_triples_in_a_store_validate_in_place() {
    use crate::shacl::{GraphScope, StoreGraph};
    use oxigraph::model::NamedNodeRef;
    use oxigraph::store::Store;
    let shapes = Shapes::from_turtle(include_str!("observation-shapes.ttl"), None).unwrap();
    let data = observations(16_700);
    let store = Store::new().unwrap();
    let name = NamedNodeRef::new("http://example.org/graph/observations").unwrap();
    store.extend(data.iter().map(|t| t.in_graph(name))).unwrap();
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
    assert_eq!(report.results.len(), 167);
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}
