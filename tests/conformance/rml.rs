//! The RML conformance cases of `../shared/conformance/rml/manifest.json`: RML-Core, legacy
//! RML, RML-FNML, RML-IO and RML-CC (and YARRRML translation pairs). Outputs are compared with
//! the expected N-Quads as datasets up to blank-node renaming; expected-error cases must fail
//! with an error. Counts per suite go to stderr; failures not in `rml-skip.txt` fail the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citykg::pipeline::engine::{self, RunOptions, SourceOpener};
use citykg::pipeline::mapping::check::{self, Purpose};
use citykg::pipeline::payload::PayloadError;
use citykg::pipeline::payload::source::{FileSource, SourceRoot};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Dataset;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use serde_json::Value;

fn skip_list() -> BTreeMap<String, String> {
    crate::parse_skip_list(include_str!("rml-skip.txt"))
}

/// Reads case files from the case folder only, as the CLI's resolver would.
struct CaseFiles<'a> {
    dir: &'a Path,
}

impl SourceOpener for CaseFiles<'_> {
    fn open(&self, source: &FileSource) -> Result<Box<dyn std::io::BufRead + '_>, PayloadError> {
        // Cases are run as if from their own folder, so the working directory is the case's.
        let mut source = source.clone();
        source.root = SourceRoot::MappingDirectory;
        let policy =
            citykg::pipeline::payload::resolve::SourcePolicy::new(vec![self.dir.to_path_buf()]);
        citykg::pipeline::payload::resolve::open(&source, self.dir, &policy)
    }
}

/// Runs one RML case; `Ok` when the outcome is the expected one.
fn run_case(root: &Path, case: &Value) -> Result<(), String> {
    let dir = root.join(case["dir"].as_str().unwrap_or_default());
    let base = case["base_iri"].as_str().unwrap_or("http://example.com/");
    let expect_error = case["expected_error"].as_bool().unwrap_or(false);
    let mapping_file = dir.join(case["mapping"].as_str().unwrap_or("mapping.ttl"));
    let text = std::fs::read_to_string(&mapping_file).map_err(|e| e.to_string())?;
    let outcome = (|| -> Result<Vec<oxigraph::model::Quad>, String> {
        let mapping =
            citykg::pipeline::mapping::rml::parse(&text, Some(base)).map_err(|e| e.to_string())?;
        let checked = check::check(mapping, Purpose::Run).map_err(|e| e.to_string())?;
        let mut quads = Vec::new();
        let opener = CaseFiles { dir: &dir };
        engine::run(
            &checked,
            &RunOptions {
                calls: citykg::pipeline::mapping::functions::CallContext::default(),
                base_iri: base,
                sources: &opener,
            },
            &mut quads,
        )
        .map_err(|e| e.to_string())?;
        Ok(quads)
    })();
    match (outcome, expect_error) {
        (Err(_), true) => Ok(()),
        (Ok(quads), true) => Err(format!("expected an error, got {} quads", quads.len())),
        (Err(e), false) => Err(e),
        (Ok(quads), false) => {
            let expected_file = dir.join(case["expected_output"].as_str().unwrap_or("output.nq"));
            let expected = std::fs::read(&expected_file).map_err(|e| e.to_string())?;
            // Unchecked: rml:UnsafeIRI cases expect IRIs with spaces, which strict N-Quads refuses.
            let mut want: Dataset = RdfParser::from_format(RdfFormat::NQuads)
                .lenient()
                .for_slice(&expected)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("expected output: {e}"))?;
            let mut got: Dataset = quads.into_iter().collect();
            want.canonicalize(CanonicalizationAlgorithm::Unstable);
            got.canonicalize(CanonicalizationAlgorithm::Unstable);
            if want == got {
                Ok(())
            } else {
                let missing: Vec<String> = want
                    .iter()
                    .filter(|q| !got.contains(*q))
                    .take(3)
                    .map(|q| q.to_string())
                    .collect();
                let extra: Vec<String> = got
                    .iter()
                    .filter(|q| !want.contains(*q))
                    .take(3)
                    .map(|q| q.to_string())
                    .collect();
                Err(format!(
                    "{} quads expected, {} produced; missing e.g. {missing:?}; unexpected e.g. {extra:?}",
                    want.len(),
                    got.len()
                ))
            }
        }
    }
}

pub fn suite_root(conformance: &Path) -> PathBuf {
    conformance.join("rml")
}

pub fn run_all(conformance: &Path) {
    let root = suite_root(conformance);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).expect("manifest.json"))
            .expect("manifest JSON");
    let skips = skip_list();
    let mut per_suite: BTreeMap<String, (usize, Vec<String>, usize)> = BTreeMap::new();
    let mut stale_skips = Vec::new();
    for case in manifest["cases"].as_array().expect("cases") {
        let suite = case["suite"].as_str().unwrap_or("?").to_owned();
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        let outcome = if suite == "yarrrml" {
            crate::yarrrml::run_case(&root, case)
        } else {
            run_case(&root, case)
        };
        let entry = per_suite.entry(suite).or_default();
        match (outcome, skips.get(&id)) {
            (Ok(()), None) => entry.0 += 1,
            (Ok(()), Some(_)) => stale_skips.push(id),
            (Err(_), Some(_)) => entry.2 += 1,
            (Err(e), None) => entry.1.push(format!("{id}: {e}")),
        }
    }
    let mut report = String::new();
    for (suite, (passed, failed, skipped)) in &per_suite {
        report.push_str(&format!(
            "RML {suite}: {passed} passed, {} failed, {skipped} skipped\n",
            failed.len()
        ));
        for f in failed {
            report.push_str(&format!("  FAILED {f}\n"));
        }
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    let failures: usize = per_suite.values().map(|(_, f, _)| f.len()).sum();
    assert_eq!(
        failures, 0,
        "RML conformance: {failures} failures not in rml-skip.txt"
    );
    assert!(
        stale_skips.is_empty(),
        "skip-listed RML cases now pass, remove them: {stale_skips:?}"
    );
}

/// `citykg mapping convert` writes the model back out; reading the output gives the same model
/// (canonical form). Checked on every mapping of the suite that parses: RML-Core documents
/// round-trip exactly; legacy ones gain `rml:datatype xsd:string` on plain references (to keep
/// their typing under RML-Core rules), so for them the converted output must be a fixed point.
/// YARRRML output, where YARRRML can express the mapping, must read back to the same model.
pub fn convert_round_trips(conformance: &Path) {
    use citykg::pipeline::mapping::canonical::canonical;
    use citykg::pipeline::mapping::write;
    let root = suite_root(conformance);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).expect("manifest.json"))
            .expect("manifest JSON");
    let (mut checked, mut yarrrml_checked, mut failures) = (0, 0, Vec::new());
    for case in manifest["cases"].as_array().expect("cases") {
        let dir = root.join(case["dir"].as_str().unwrap_or_default());
        let files: Vec<String> = match case["mapping"].as_str() {
            Some(m) => vec![m.to_owned()],
            None => case["pairs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["expected_mapping"].as_str().map(str::to_owned))
                .collect(),
        };
        for file in files {
            let Ok(text) = std::fs::read_to_string(dir.join(&file)) else {
                continue;
            };
            let Ok(model) =
                citykg::pipeline::mapping::rml::parse(&text, Some("http://example.com/"))
            else {
                continue;
            };
            let Ok(checked_model) = check::check(model, Purpose::Convert) else {
                continue;
            };
            let model = checked_model.mapping();
            let id = format!("{} {file}", case["id"].as_str().unwrap_or("?"));
            let once = match write::to_rml(model)
                .map_err(|e| e.to_string())
                .and_then(|t| {
                    citykg::pipeline::mapping::rml::parse(&t, None).map_err(|e| format!("{e}\n{t}"))
                }) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{id}: converted output does not read back: {e}"));
                    continue;
                }
            };
            let twice = write::to_rml(&once)
                .ok()
                .and_then(|t| citykg::pipeline::mapping::rml::parse(&t, None).ok());
            let same = if model.core_semantics {
                canonical(model) == canonical(&once)
            } else {
                Some(canonical(&once)) == twice.as_ref().map(canonical)
            };
            if same {
                checked += 1;
            } else {
                failures.push(format!(
                    "{id}: RML round trip changed the model\n  before: {:?}\n  after:  {:?}",
                    canonical(model),
                    canonical(&once)
                ));
            }
            if let Ok(yaml) = write::to_yarrrml(model) {
                match citykg::pipeline::mapping::yarrrml::parse_yarrrml(&yaml, &Default::default()) {
                    Ok(back) if canonical(&anonymous(&back)).triples_maps == canonical(&anonymous(model)).triples_maps => yarrrml_checked += 1,
                    Ok(back) => failures.push(format!("{id}: YARRRML round trip changed the model\n  before: {:?}\n  after:  {:?}\n{yaml}", canonical(&anonymous(model)), canonical(&anonymous(&back)))),
                    Err(e) => failures.push(format!("{id}: YARRRML output does not read back: {e}\n{yaml}")),
                }
            }
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "mapping convert: {checked} RML and {yarrrml_checked} YARRRML round trips, {} failed\n",
            failures.len()
        )
        .as_bytes(),
    );
    for failure in failures.iter().take(5) {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("  FAILED {failure}\n").as_bytes(),
        );
    }
    assert!(
        failures.is_empty(),
        "{} convert round trips failed",
        failures.len()
    );
    assert!(checked > 100, "too few mappings checked: {checked}");
}

/// Triples maps named by position: YARRRML names maps by key, RML by IRI, and neither name is
/// part of what a mapping means.
fn anonymous(
    mapping: &citykg::pipeline::mapping::model::Mapping,
) -> citykg::pipeline::mapping::model::Mapping {
    use citykg::pipeline::mapping::model::{MapName, ObjectMap};
    let names: Vec<MapName> = mapping
        .triples_maps
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let rename = |name: &MapName| {
        MapName::Iri(format!(
            "map{}",
            names.iter().position(|n| n == name).unwrap_or(usize::MAX)
        ))
    };
    let mut mapping = mapping.clone();
    for map in &mut mapping.triples_maps {
        map.name = rename(&map.name);
        map.label = None;
        for pom in &mut map.predicate_object_maps {
            for object in &mut pom.objects {
                if let ObjectMap::Referencing(r) = object {
                    r.parent = rename(&r.parent);
                }
            }
        }
    }
    mapping
}
