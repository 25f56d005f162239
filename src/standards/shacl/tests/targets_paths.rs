//! Targets select focus nodes; paths select value nodes.

use super::expect;

#[test]
fn targets_select_focus_nodes_once() {
    let data = "ex:a a ex:Sub . ex:Sub rdfs:subClassOf ex:C . ex:b ex:p ex:c . ex:d a ex:C .";
    expect(
        "ex:S sh:targetClass ex:C ; sh:targetNode ex:d ; sh:nodeKind sh:BlankNode .",
        data,
        &["ex:a NodeKind ex:a", "ex:d NodeKind ex:d"],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:BlankNode .",
        data,
        &["ex:b NodeKind ex:b", "ex:c NodeKind ex:c"],
    );
    expect(
        "ex:C a rdfs:Class, sh:NodeShape ; sh:nodeKind sh:BlankNode .",
        data,
        &["ex:a NodeKind ex:a", "ex:d NodeKind ex:d"],
    );
}

#[test]
fn every_path_kind_reaches_its_values() {
    let data = "ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:q ex:d . ex:z ex:p ex:a .";
    let table = [
        ("ex:p", vec!["ex:b"]),
        ("[ sh:inversePath ex:p ]", vec!["ex:z"]),
        ("( ex:p ex:p )", vec!["ex:c"]),
        ("( ex:p ex:p ex:q )", vec!["ex:d"]),
        (
            "[ sh:alternativePath ( ex:p [ sh:inversePath ex:p ] ) ]",
            vec!["ex:b", "ex:z"],
        ),
        ("[ sh:zeroOrMorePath ex:p ]", vec!["ex:a", "ex:b", "ex:c"]),
        ("[ sh:oneOrMorePath ex:p ]", vec!["ex:b", "ex:c"]),
        ("[ sh:zeroOrOnePath ex:p ]", vec!["ex:a", "ex:b"]),
        ("[ sh:inversePath ( ex:p ex:p ) ]", vec![]),
        ("[ sh:inversePath [ sh:oneOrMorePath ex:p ] ]", vec!["ex:z"]),
    ];
    for (path, values) in table {
        let shapes =
            format!("ex:S sh:targetNode ex:a ; sh:property [ sh:path {path} ; sh:in () ] .");
        let expected: Vec<String> = values.iter().map(|v| format!("ex:a In {v}")).collect();
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        expect(&shapes, data, &expected);
    }
}

#[test]
fn paths_over_cyclic_data_terminate() {
    expect(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:oneOrMorePath ex:p ] ; sh:in () ] .",
        "ex:a ex:p ex:b . ex:b ex:p ex:a .",
        &["ex:a In ex:a", "ex:a In ex:b"],
    );
}

#[test]
fn result_paths_and_reports_are_standard_rdf() {
    use crate::standards::shacl::{Shapes, validate, vocab};
    use oxigraph::model::vocab::rdf;
    let shapes = super::shapes(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:minCount 1 ] .",
    );
    let Ok(report) = validate(&shapes, &super::graph(""));
    let graph = report.to_graph();
    assert_eq!(graph.triples_for_predicate(vocab::CONFORMS).count(), 1);
    assert_eq!(graph.triples_for_predicate(vocab::RESULT_PATH).count(), 1);
    assert_eq!(graph.triples_for_predicate(vocab::INVERSE_PATH).count(), 1);
    assert_eq!(graph.triples_for_predicate(rdf::FIRST).count(), 2);
    let path = report.results[0].result_path.as_ref().unwrap();
    assert_eq!(
        path.to_string(),
        "(<http://example.org/p>/^<http://example.org/q>)"
    );
    let json = serde_json::to_value(report.summary()).unwrap();
    assert_eq!(json["by_component"]["MinCountConstraintComponent"], 1);
    assert!(
        Shapes::parse(&oxigraph::model::Graph::new())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_store_graph_validates_in_place_like_a_graph() {
    use crate::standards::shacl::{GraphScope, StoreGraph, validate};
    use crate::storage::{Cause, Origin, Storage};
    use oxigraph::model::{GraphNameRef, NamedNodeRef};
    let shapes = super::shapes(
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] .",
    );
    let data = super::graph("ex:a a ex:C . ex:b a ex:C ; ex:p 1, 2 .");
    let store = Storage::in_memory().unwrap();
    let name = NamedNodeRef::new("http://example.org/g").unwrap();
    store
        .extend(
            Cause::service(Origin::Load),
            data.iter()
                .flat_map(|t| [t.in_graph(name), t.in_graph(GraphNameRef::DefaultGraph)]),
        )
        .unwrap();
    let Ok(expected) = validate(&shapes, &data);
    for scope in [GraphScope::Graph(name.into()), GraphScope::Union] {
        let report = validate(&shapes, &StoreGraph::new(&store, scope)).unwrap();
        assert_eq!(report.results.len(), 2, "{scope:?}");
        assert_eq!(report.summary(), expected.summary());
    }
    let other = NamedNodeRef::new("http://example.org/other").unwrap();
    let report = validate(&shapes, &StoreGraph::graph(&store, other)).unwrap();
    assert!(report.conforms);
    let default_graph = StoreGraph::graph(&store, GraphNameRef::DefaultGraph);
    assert!(!validate(&shapes, &default_graph).unwrap().conforms);
    let union = validate(&shapes, &StoreGraph::union(&store)).unwrap();
    assert_eq!(union.results.len(), 2, "a triple in two graphs counts once");
}
