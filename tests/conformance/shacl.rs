//! The W3C SHACL Core test suite (`shacl/manifest.json`): each test's data graph is validated
//! against its shapes graph, and the report is compared as upstream says: the same
//! `sh:conforms`, and the report graphs, cut down to the compared properties, isomorphic.
//! Counts go to stderr; failures not in `shacl-skip.txt` fail the test.

use citykg::standards::shacl::{Shapes, validate, vocab};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, TripleRef};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const MF_RESULT: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#result");

/// The report properties upstream compares (`sh:resultMessage` and `sh:detail` are dropped).
const COMPARED: [NamedNodeRef<'static>; 9] = [
    rdf::TYPE,
    vocab::RESULT,
    vocab::CONFORMS,
    vocab::FOCUS_NODE,
    vocab::RESULT_SEVERITY,
    vocab::SOURCE_CONSTRAINT_COMPONENT,
    vocab::SOURCE_SHAPE,
    vocab::VALUE,
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#sourceConstraint"),
];

fn skip_list() -> BTreeMap<String, String> {
    crate::parse_skip_list(include_str!("shacl-skip.txt"))
}

pub fn run_all(conformance: &Path) {
    let root = conformance.join("shacl");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).expect("manifest.json"))
            .expect("manifest JSON");
    let skips = skip_list();
    let (mut passed, mut skipped) = (0, 0);
    let mut failed = Vec::new();
    let mut stale_skips = Vec::new();
    for test in manifest["tests"].as_array().expect("tests") {
        let id = test["id"].as_str().unwrap_or("?").to_owned();
        match (run_test(&root, test), skips.get(&id)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => stale_skips.push(id),
            (Err(_), Some(_)) => skipped += 1,
            (Err(e), None) => failed.push(format!("{id}: {e}")),
        }
    }
    let mut report = format!(
        "SHACL Core: {passed} passed, {} failed, {skipped} skipped\n",
        failed.len()
    );
    for f in &failed {
        report.push_str(&format!("  FAILED {f}\n"));
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(
        failed.is_empty(),
        "SHACL Core: {} failures not in shacl-skip.txt",
        failed.len()
    );
    assert!(
        stale_skips.is_empty(),
        "skip-listed SHACL tests now pass, remove them: {stale_skips:?}"
    );
    assert!(passed > 0, "SHACL Core: no test ran");
}

fn parse(file: &Path) -> Result<Graph, String> {
    let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let base = format!("file://{}", file.display());
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(base)
        .map_err(|e| e.to_string())?;
    let mut graph = Graph::new();
    for quad in parser.for_slice(&text) {
        let quad = quad.map_err(|e| format!("{}: {e}", file.display()))?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

fn run_test(root: &Path, test: &Value) -> Result<(), String> {
    let field = |name: &str| test[name].as_str().ok_or(format!("no {name}"));
    let file = root.join(field("file")?);
    let dir = file.parent().ok_or("no folder")?;
    let test_graph = parse(&file)?;
    let load = |name: &str| -> Result<Graph, String> {
        let path = dir.join(field(name)?);
        if path == file {
            Ok(test_graph.clone())
        } else {
            parse(&path)
        }
    };
    // One parse when both are the same file, so their blank nodes are the same nodes.
    let data = load("data_graph")?;
    let shapes_graph = if field("shapes_graph")? == field("data_graph")? {
        data.clone()
    } else {
        load("shapes_graph")?
    };
    let shapes = Shapes::parse(&shapes_graph).map_err(|e| e.to_string())?;
    let Ok(report) = validate(&shapes, &data);
    let expected_conforms = test["expected_conforms"]
        .as_bool()
        .ok_or("no expected_conforms")?;
    if report.conforms != expected_conforms {
        return Err(format!(
            "conforms {} (expected {expected_conforms}); results: {}",
            report.conforms,
            describe(&report.to_graph())
        ));
    }
    let expected_root = test_graph
        .triples_for_predicate(MF_RESULT)
        .next()
        .ok_or("no mf:result")?
        .object;
    let mut expected = compared_part(&test_graph, expected_root, None);
    let messages: Vec<Term> = expected
        .triples_for_predicate(vocab::RESULT_MESSAGE)
        .map(|t| t.object.into_owned())
        .collect();
    let actual_graph = report.to_graph();
    let actual_root = actual_graph
        .subject_for_predicate_object(rdf::TYPE, vocab::VALIDATION_REPORT)
        .ok_or("no report node")?;
    let mut actual = compared_part(&actual_graph, actual_root.into(), Some(&messages));
    expected.canonicalize(CanonicalizationAlgorithm::Unstable);
    actual.canonicalize(CanonicalizationAlgorithm::Unstable);
    if expected != actual {
        return Err(format!(
            "reports differ:\n    expected {}\n    actual   {}",
            describe(&expected),
            describe(&actual)
        ));
    }
    Ok(())
}

/// The report node's compared triples, its results' compared triples, the full structure of
/// each `sh:resultPath`, and the `sh:resultMessage`s: all of them for the expected report, only
/// those the expected report has (`keep_messages`) for the actual one.
fn compared_part(graph: &Graph, report: TermRef<'_>, keep_messages: Option<&[Term]>) -> Graph {
    let mut out = Graph::new();
    let Some(report) = as_subject(report) else {
        return out;
    };
    for t in graph.triples_for_subject(report) {
        if COMPARED.contains(&t.predicate) {
            out.insert(t);
        }
    }
    for result in graph.objects_for_subject_predicate(report, vocab::RESULT) {
        let Some(result) = as_subject(result) else {
            continue;
        };
        for t in graph.triples_for_subject(result) {
            if COMPARED.contains(&t.predicate) {
                out.insert(t);
            } else if t.predicate == vocab::RESULT_MESSAGE {
                if keep_messages.is_none_or(|keep| keep.iter().any(|m| m.as_ref() == t.object)) {
                    out.insert(t);
                }
            } else if t.predicate == vocab::RESULT_PATH {
                out.insert(t);
                copy_structure(graph, t.object, &mut out);
            }
        }
    }
    out
}

/// Copies everything below a blank node (a path's RDF).
fn copy_structure(graph: &Graph, node: TermRef<'_>, out: &mut Graph) {
    let TermRef::BlankNode(b) = node else {
        return;
    };
    let triples: Vec<TripleRef<'_>> = graph.triples_for_subject(b).collect();
    for t in triples {
        if out.insert(t) {
            copy_structure(graph, t.object, out);
        }
    }
}

fn as_subject(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        TermRef::Literal(_) => None,
    }
}

/// The results of a report graph in one line each: focus, component, value, shape.
fn describe(graph: &Graph) -> String {
    let mut lines: Vec<String> = graph
        .triples_for_predicate(vocab::FOCUS_NODE)
        .map(|t| {
            let get = |p| {
                graph
                    .object_for_subject_predicate(t.subject, p)
                    .map(|o: TermRef<'_>| short(&o.into_owned()))
                    .unwrap_or_else(|| "-".to_owned())
            };
            format!(
                "[{} {} value={} shape={} path={}]",
                short(&t.object.into_owned()),
                get(vocab::SOURCE_CONSTRAINT_COMPONENT),
                get(vocab::VALUE),
                get(vocab::SOURCE_SHAPE),
                get(vocab::RESULT_PATH),
            )
        })
        .collect();
    lines.sort();
    format!("{} results: {}", lines.len(), lines.join(" "))
}

fn short(term: &Term) -> String {
    let text = term.to_string();
    match text.rsplit_once(['#', '/']) {
        Some((_, local)) if matches!(term, Term::NamedNode(_)) => {
            local.trim_end_matches('>').to_owned()
        }
        _ => text,
    }
}
