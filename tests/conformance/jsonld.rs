//! The W3C JSON-LD 1.1 API tests (expand, compact, toRdf; `../shared/conformance/jsonld/`),
//! run through the same functions the service calls (`citykg::standards::jsonld`), with a loader that maps
//! the suite's IRI prefix to the folder (no network).
//!
//! - expand/compact results are compared as JSON-LD values: member order never matters, array
//!   order only inside `@list`, language tags case-insensitively; compact results including
//!   their `@context`.
//! - toRdf results are compared as datasets up to blank-node renaming.
//! - Negative tests pass when processing fails with the expected JSON-LD error code.
//! - `specVersion: json-ld-1.0` tests are for 1.0 processors only; citykg is a 1.1 processor,
//!   so they are counted as skipped without running (the suite says a 1.1 processor may).
//!
//! Failures not in `jsonld-skip.txt` (`manifest:id # reason`) fail the test, and so do listed
//! tests that pass.

use citykg::standards::jsonld::{self, ContextLoader, ContextRef, Options, RdfDirection};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Dataset;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SUITE_BASE: &str = "https://w3c.github.io/json-ld-api/tests/";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Expand,
    Compact,
    ToRdf,
}

struct Case {
    id: String,
    positive: bool,
    syntax_only: bool,
    input: String,
    expect: Option<String>,
    error_code: Option<String>,
    context: Option<String>,
    option: serde_json::Map<String, Value>,
}

fn read_manifest(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    let sequence = manifest["sequence"].as_array().unwrap();
    sequence
        .iter()
        .map(|entry| {
            let types: Vec<&str> = entry["@type"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            Case {
                id: text("@id").unwrap(),
                positive: !types.contains(&"jld:NegativeEvaluationTest"),
                syntax_only: types.contains(&"jld:PositiveSyntaxTest"),
                input: text("input").unwrap(),
                expect: text("expect"),
                error_code: text("expectErrorCode"),
                context: text("context"),
                option: entry
                    .get("option")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn loader(dir: &Path) -> ContextLoader {
    let base = citykg::core::config::BaseIri::parse("http://localhost/").unwrap();
    let mut loader = ContextLoader::new(&base);
    loader.mount(SUITE_BASE, dir.to_path_buf());
    loader
}

fn options(case: &Case) -> Options {
    let option = &case.option;
    let text = |key: &str| option.get(key).and_then(Value::as_str);
    let flag = |key: &str| option.get(key).and_then(Value::as_bool);
    Options {
        document_iri: Some(format!("{SUITE_BASE}{}", case.input)),
        base: text("base").map(str::to_owned),
        expand_context: text("expandContext").map(|c| format!("{SUITE_BASE}{c}")),
        json_ld_1_0: text("processingMode") == Some("json-ld-1.0"),
        compact_arrays: flag("compactArrays").unwrap_or(true),
        compact_to_relative: flag("compactToRelative").unwrap_or(true),
        produce_generalized_rdf: flag("produceGeneralizedRdf").unwrap_or(false),
        rdf_direction: match text("rdfDirection") {
            Some("i18n-datatype") => Some(RdfDirection::I18nDatatype),
            Some("compound-literal") => Some(RdfDirection::CompoundLiteral),
            _ => None,
        },
    }
}

/// What one test produced, for comparison.
enum Produced {
    Json(Value),
    Rdf(Vec<oxigraph::model::Quad>),
}

fn run_case(kind: Kind, case: &Case, dir: &Path, loader: &ContextLoader) -> Result<(), String> {
    let input = std::fs::read_to_string(dir.join(&case.input)).map_err(|e| e.to_string())?;
    let options = options(case);
    let produced = match kind {
        Kind::Expand => jsonld::expand(&input, loader, &options).map(Produced::Json),
        Kind::Compact => {
            let context = case.context.as_deref().ok_or("no context")?;
            let document: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(context)).unwrap())
                    .map_err(|e| e.to_string())?;
            let context = ContextRef::Inline {
                document,
                iri: Some(format!("{SUITE_BASE}{context}")),
            };
            jsonld::compact(&input, &context, loader, &options).map(Produced::Json)
        }
        Kind::ToRdf => jsonld::to_rdf_with(&input, loader, &options).map(Produced::Rdf),
    };
    if !case.positive {
        let expected = case.error_code.as_deref().unwrap_or_default();
        return match produced {
            Ok(_) => Err(format!("succeeded; expected the error `{expected}`")),
            Err(e) if e.code.as_deref() == Some(expected) => Ok(()),
            Err(e) => Err(format!(
                "failed with {:?} ({}); expected `{expected}`",
                e.code, e.message
            )),
        };
    }
    let produced = produced.map_err(|e| format!("error {:?}: {}", e.code, e.message))?;
    if case.syntax_only {
        return Ok(());
    }
    let expect = case.expect.as_deref().ok_or("no expected result")?;
    let expected_text = std::fs::read_to_string(dir.join(expect)).map_err(|e| e.to_string())?;
    match produced {
        Produced::Json(got) => {
            let expected: Value =
                serde_json::from_str(&expected_text).map_err(|e| e.to_string())?;
            if same_json(&got, &expected, false) {
                Ok(())
            } else {
                Err(format!("got {got}\n    expected {expected}"))
            }
        }
        Produced::Rdf(quads) => {
            let expected: Result<Dataset, _> = RdfParser::from_format(RdfFormat::NQuads)
                .for_slice(expected_text.as_bytes())
                .collect();
            let mut expected = expected.map_err(|e| format!("expected N-Quads: {e}"))?;
            let mut got: Dataset = quads.iter().collect();
            got.canonicalize(CanonicalizationAlgorithm::Unstable);
            expected.canonicalize(CanonicalizationAlgorithm::Unstable);
            if got == expected {
                Ok(())
            } else {
                Err(format!("got\n{got}\n    expected\n{expected}"))
            }
        }
    }
}

/// JSON-LD value comparison: unordered arrays except under `@list`, case-insensitive language
/// tags, numbers by value.
fn same_json(a: &Value, b: &Value, ordered: bool) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k).is_some_and(|w| match (k.as_str(), v, w) {
                        ("@language", Value::String(s), Value::String(t)) => {
                            s.eq_ignore_ascii_case(t)
                        }
                        _ => same_json(v, w, k == "@list"),
                    })
                })
        }
        (Value::Array(x), Value::Array(y)) if ordered => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w, false))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let mut used = vec![false; y.len()];
            x.iter().all(|v| {
                let found = y
                    .iter()
                    .enumerate()
                    .find(|(i, w)| !used[*i] && same_json(v, w, false));
                match found {
                    Some((i, _)) => {
                        used[i] = true;
                        true
                    }
                    None => false,
                }
            })
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Per manifest: (passed, failed, skipped).
pub fn run_all(suite: &Path) -> Vec<(String, usize, usize, usize)> {
    let dir: PathBuf = suite.join("jsonld");
    let skips = crate::parse_skip_list(include_str!("jsonld-skip.txt"));
    let loader = loader(&dir);
    let mut figures = Vec::new();
    let mut failures = Vec::new();
    let mut passing_but_listed = Vec::new();
    let mut report = String::new();
    for (name, kind) in [
        ("expand", Kind::Expand),
        ("compact", Kind::Compact),
        ("toRdf", Kind::ToRdf),
    ] {
        let (mut passed, mut failed, mut skipped, mut only_1_0) = (0, 0, 0, 0);
        for case in read_manifest(&dir.join(format!("{name}-manifest.jsonld"))) {
            let key = format!("{name}:{}", case.id.trim_start_matches('#'));
            if case.option.get("specVersion").and_then(Value::as_str) == Some("json-ld-1.0") {
                skipped += 1;
                only_1_0 += 1;
                continue;
            }
            // Each test on its own thread: a failure that panics inside the crate is a failure
            // of that test, not of the run.
            let outcome = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .stack_size(16 << 20)
                    .spawn_scoped(scope, || run_case(kind, &case, &dir, &loader))
                    .unwrap()
                    .join()
                    .unwrap_or_else(|_| Err("panicked".to_owned()))
            });
            match (outcome, skips.contains_key(&key)) {
                (Ok(()), false) => passed += 1,
                (Ok(()), true) => {
                    passed += 1;
                    passing_but_listed.push(key);
                }
                (Err(_), true) => skipped += 1,
                (Err(e), false) => {
                    failed += 1;
                    failures.push(format!("{key}: {e}"));
                }
            }
        }
        report.push_str(&format!(
            "JSON-LD {name}: {passed} passed, {failed} failed, {skipped} skipped ({only_1_0} json-ld-1.0 only)\n"
        ));
        figures.push((name.to_owned(), passed, failed, skipped));
    }
    for f in &failures {
        report.push_str(&format!("  FAILED {f}\n"));
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(
        failures.is_empty(),
        "{} JSON-LD failures not in jsonld-skip.txt",
        failures.len()
    );
    assert!(
        passing_but_listed.is_empty(),
        "skip-listed JSON-LD tests now pass, remove them: {passing_but_listed:?}"
    );
    figures
}
