//! Compiling shapes graphs: every problem at once, each with its shape; Turtle errors located.

use super::{PREFIXES, graph};
use crate::standards::shacl::{PathProblem, ProblemKind, Shapes, ShapesError};

fn problems(turtle: &str) -> Vec<(String, ProblemKind)> {
    match Shapes::parse(&graph(turtle)) {
        Err(ShapesError::Invalid { problems }) => {
            problems.into_iter().map(|p| (p.shape, p.kind)).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn every_problem_is_reported_with_its_shape() {
    let found = problems(
        "ex:A sh:path ex:p ; sh:minCount \"one\" .
         ex:B sh:nodeKind ex:Thing .
         ex:C sh:path [ rdf:first ex:p ; rdf:rest ex:broken ] .
         ex:D sh:property ex:NoPath .
         ex:E sh:pattern \"(\" .
         ex:F sh:path ex:p, ex:q .",
    );
    let shapes: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    for shape in ["A", "B", "C", "D", "E", "F"] {
        assert!(
            shapes.contains(&format!("<http://example.org/{shape}>").as_str()),
            "{shape} missing from {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(_, k)| matches!(k, ProblemKind::NotAnInteger { .. }))
    );
    assert!(
        found
            .iter()
            .any(|(_, k)| matches!(k, ProblemKind::UnknownNodeKind { .. }))
    );
    assert!(found.iter().any(|(_, k)| matches!(
        k,
        ProblemKind::MalformedPath {
            reason: PathProblem::List(_),
            ..
        }
    )));
    assert!(
        found
            .iter()
            .any(|(_, k)| matches!(k, ProblemKind::NotAPropertyShape { .. }))
    );
    assert!(
        found
            .iter()
            .any(|(_, k)| matches!(k, ProblemKind::InvalidPattern { .. }))
    );
    assert!(
        found
            .iter()
            .any(|(_, k)| matches!(k, ProblemKind::TooManyValues { .. }))
    );
}

#[test]
fn malformed_paths_are_named() {
    let table = [
        ("[ sh:inversePath \"p\" ]", "a literal"),
        ("( ex:p )", "at least two"),
        ("[ rdfs:label \"nothing\" ]", "none of"),
        ("[ sh:alternativePath ( ex:p ) ]", "at least two"),
    ];
    for (path, expected) in table {
        let found = problems(&format!("ex:S sh:path {path} ."));
        assert!(
            found.iter().any(|(_, k)| k.to_string().contains(expected)),
            "{path}: {found:?}"
        );
    }
    let found = problems("ex:S sh:path _:loop . _:loop sh:inversePath _:loop .");
    assert!(matches!(
        found[0].1,
        ProblemKind::MalformedPath {
            reason: PathProblem::Cyclic,
            ..
        }
    ));
}

#[test]
fn unused_malformed_paths_are_not_read() {
    assert!(Shapes::parse(&graph("_:p sh:alternativePath ( ex:p ) .")).is_ok());
}

#[test]
fn turtle_syntax_errors_have_line_and_column() {
    let text = format!("{PREFIXES}ex:S sh:targetNode ex:a ;\n  sh:minCount 1 ,, .\n");
    match Shapes::from_turtle(&text, Some("http://example.org/")) {
        Err(ShapesError::Syntax { line, column, .. }) => {
            assert_eq!(line, 7);
            assert!(column > 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(Shapes::from_turtle("<a> <b> <c> .", Some("not an iri")).is_err());
    let shapes = Shapes::from_turtle(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . <S> sh:targetNode <a> ; sh:class <C> .",
        Some("http://example.org/"),
    )
    .unwrap();
    assert_eq!(shapes.len(), 1);
}

#[test]
fn compiled_shapes_and_reports_can_cross_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Shapes>();
    shareable::<ShapesError>();
    shareable::<crate::standards::shacl::ValidationReport>();
}
