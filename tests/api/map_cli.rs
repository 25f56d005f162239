//! `citykg map` and `citykg mapping convert` on small files: RML and YARRRML give the same RDF,
//! sources stay inside the allowed folders, every mapping problem is reported, and a failed run
//! leaves no output file.

use std::path::Path;
use std::process::Command;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Dataset;
use oxigraph::model::dataset::CanonicalizationAlgorithm;

fn citykg(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_citykg"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn dataset(bytes: &[u8], format: RdfFormat) -> Dataset {
    let mut dataset: Dataset = RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .unwrap();
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

const READINGS: &str = r#"[
  {"sensor": "s1", "time": "2025-03-03T00:00:05Z", "pm25": 12.5, "ok": true},
  {"sensor": "s1", "time": "2025-03-03T00:10:05Z", "pm25": 14},
  {"sensor": "s2", "time": "2025-03-03T00:00:07Z", "pm25": null}
]"#;

const SENSORS: &str = "id,district\ns1,D01\ns2,D02\n";

const RML: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://city.example.org/> .
ex:Observation a rml:TriplesMap ;
  rml:logicalSource [ rml:source "readings.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "https://city.example.org/obs/{sensor}/{time}" ; rml:class sosa:Observation ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasSimpleResult ; rml:objectMap [ rml:reference "pm25" ; rml:datatype xsd:double ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:madeBySensor ; rml:objectMap [ rml:template "https://city.example.org/sensor/{sensor}" ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasFeatureOfInterest ; rml:objectMap [ rml:parentTriplesMap ex:District ; rml:joinCondition [ rml:child "sensor" ; rml:parent "id" ] ] ] .
ex:District a rml:TriplesMap ;
  rml:logicalSource [ rml:source "sensors.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "https://city.example.org/district/{district}" ; rml:class sosa:FeatureOfInterest ] .
"#;

const YARRRML: &str = r#"prefixes:
  sosa: "http://www.w3.org/ns/sosa/"
  ex: "https://city.example.org/"
mappings:
  observation:
    sources:
      - [readings.json~jsonpath, "$[*]"]
    s: ex:obs/$(sensor)/$(time)
    po:
      - [a, sosa:Observation]
      - [sosa:hasSimpleResult, $(pm25), xsd:double]
      - [sosa:madeBySensor, ex:sensor/$(sensor)~iri]
      - p: sosa:hasFeatureOfInterest
        o:
          mapping: district
          condition:
            function: equal
            parameters:
              - [str1, $(sensor)]
              - [str2, $(id)]
  district:
    sources:
      - [sensors.csv~csv]
    s: ex:district/$(district)
    po:
      - [a, sosa:FeatureOfInterest]
"#;

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readings.json"), READINGS).unwrap();
    std::fs::write(dir.path().join("sensors.csv"), SENSORS).unwrap();
    std::fs::write(dir.path().join("mapping.rml.ttl"), RML).unwrap();
    std::fs::write(dir.path().join("mapping.yml"), YARRRML).unwrap();
    dir
}

#[test]
fn rml_and_yarrrml_mappings_give_the_same_rdf() {
    let dir = fixture();
    let rml = citykg(
        dir.path(),
        &["map", "--mapping", "mapping.rml.ttl", "-o", "rml.nq"],
    );
    assert!(
        rml.status.success(),
        "{}",
        String::from_utf8_lossy(&rml.stderr)
    );
    assert!(
        String::from_utf8_lossy(&rml.stderr).contains("13 quads from"),
        "{}",
        String::from_utf8_lossy(&rml.stderr)
    );
    let from_rml = dataset(
        &std::fs::read(dir.path().join("rml.nq")).unwrap(),
        RdfFormat::NQuads,
    );
    assert_eq!(from_rml.len(), 13);
    let text = String::from_utf8(std::fs::read(dir.path().join("rml.nq")).unwrap()).unwrap();
    assert!(text.contains(r#"<https://city.example.org/obs/s1/2025-03-03T00%3A00%3A05Z> <http://www.w3.org/ns/sosa/hasSimpleResult> "12.5"^^<http://www.w3.org/2001/XMLSchema#double>"#), "{text}");
    assert!(text.contains("<https://city.example.org/obs/s2/2025-03-03T00%3A00%3A07Z> <http://www.w3.org/ns/sosa/hasFeatureOfInterest> <https://city.example.org/district/D02>"));
    assert!(
        !text.contains("s2/2025-03-03T00%3A00%3A07Z> <http://www.w3.org/ns/sosa/hasSimpleResult>"),
        "null gives no triple"
    );

    let yarrrml = citykg(
        dir.path(),
        &["map", "--mapping", "mapping.yml", "--format", "turtle"],
    );
    assert!(
        yarrrml.status.success(),
        "{}",
        String::from_utf8_lossy(&yarrrml.stderr)
    );
    assert_eq!(dataset(&yarrrml.stdout, RdfFormat::TriG), from_rml);
}

#[test]
fn convert_writes_a_mapping_that_runs_the_same() {
    let dir = fixture();
    let converted = citykg(dir.path(), &["mapping", "convert", "mapping.yml"]);
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let turtle = String::from_utf8(converted.stdout).unwrap();
    assert!(turtle.contains("<http://w3id.org/rml/>"), "{turtle}");
    std::fs::write(dir.path().join("converted.ttl"), &turtle).unwrap();
    let original = citykg(dir.path(), &["map", "--mapping", "mapping.yml"]);
    let again = citykg(dir.path(), &["map", "--mapping", "converted.ttl"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        dataset(&again.stdout, RdfFormat::NQuads),
        dataset(&original.stdout, RdfFormat::NQuads)
    );

    let back = citykg(
        dir.path(),
        &["mapping", "convert", "converted.ttl", "--to", "yarrrml"],
    );
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert!(String::from_utf8_lossy(&back.stdout).contains("mappings:"));
}

#[test]
fn sources_outside_the_allowed_folders_are_refused() {
    let dir = fixture();
    let inner = dir.path().join("mappings");
    std::fs::create_dir(&inner).unwrap();
    for (name, source) in [
        ("escape.ttl", "../sensors.csv"),
        ("absolute.ttl", "/etc/passwd"),
    ] {
        std::fs::write(inner.join(name), RML.replace("sensors.csv", source)).unwrap();
        let run = citykg(
            dir.path(),
            &[
                "map",
                "--mapping",
                &format!("mappings/{name}"),
                "--allow-dir",
                "mappings",
                "-o",
                "out.nq",
            ],
        );
        assert_eq!(run.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("outside the folders"), "{name}: {stderr}");
        assert!(
            !dir.path().join("out.nq").exists(),
            "a failed run leaves no output"
        );
    }
    // An operator's --input names the file explicitly: allowed.
    std::fs::write(
        inner.join("moved.ttl"),
        RML.replace("\"readings.json\"", "\"uplinks.json\""),
    )
    .unwrap();
    let run = citykg(
        dir.path(),
        &[
            "map",
            "--mapping",
            "mappings/moved.ttl",
            "--source-dir",
            ".",
            "--input",
            "uplinks.json=readings.json",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(dataset(&run.stdout, RdfFormat::NQuads).len(), 13);
    // The --input file is allowed as itself, not its folder: a sibling stays out of reach.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::copy(
        dir.path().join("readings.json"),
        elsewhere.join("uplinks.json"),
    )
    .unwrap();
    std::fs::write(elsewhere.join("secret.csv"), SENSORS).unwrap();
    let sibling = RML
        .replace("\"readings.json\"", "\"uplinks.json\"")
        .replace("\"sensors.csv\"", "\"../elsewhere/secret.csv\"");
    std::fs::write(inner.join("sibling.ttl"), sibling).unwrap();
    let run = citykg(
        dir.path(),
        &[
            "map",
            "--mapping",
            "mappings/sibling.ttl",
            "--input",
            "uplinks.json=elsewhere/uplinks.json",
        ],
    );
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("outside the folders"));
}

#[test]
fn every_mapping_problem_is_reported_with_its_place() {
    let dir = fixture();
    let broken = RML.replace("{sensor}/{time}", "{sensor/{time}").replace(
        "rml:parentTriplesMap ex:District",
        "rml:parentTriplesMap ex:Nowhere",
    );
    std::fs::write(dir.path().join("broken.ttl"), broken).unwrap();
    let run = citykg(
        dir.path(),
        &["map", "--mapping", "broken.ttl", "-o", "out.nq"],
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("broken.ttl"), "{stderr}");
    assert!(
        stderr.contains("`{` inside a reference must be escaped"),
        "{stderr}"
    );
    assert!(stderr.contains("line 5"), "the problem's line: {stderr}");
    assert!(
        stderr.contains("<https://city.example.org/Observation>"),
        "{stderr}"
    );
    assert!(!dir.path().join("out.nq").exists());

    let yaml = citykg(dir.path(), &["map", "--mapping", "bad.yml"]);
    assert_eq!(yaml.status.code(), Some(1));
    std::fs::write(
        dir.path().join("bad.yml"),
        "mappings:\n  x:\n    s: [unclosed\n",
    )
    .unwrap();
    let yaml = citykg(dir.path(), &["map", "--mapping", "bad.yml"]);
    assert_eq!(yaml.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&yaml.stderr).contains("line"),
        "{}",
        String::from_utf8_lossy(&yaml.stderr)
    );
}

#[test]
fn a_payload_that_cannot_be_read_fails_the_run_with_its_position() {
    let dir = fixture();
    std::fs::write(
        dir.path().join("readings.json"),
        "[\n {\"sensor\": \"s1\",,}\n]",
    )
    .unwrap();
    let run = citykg(
        dir.path(),
        &["map", "--mapping", "mapping.rml.ttl", "-o", "out.nq"],
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(!dir.path().join("out.nq").exists());
}
