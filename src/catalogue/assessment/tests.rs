//! The assessment on small graphs with known answers: each metric's value and level, use cases
//! without data, replacement of stored measurements, the background scheduler, and the rubric
//! document quoting the thresholds the code applies.

use std::path::Path;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, QuadRef};
use std::sync::Arc;

use crate::storage::{Cause, ChangedGraphs, Origin, Storage};

use super::rubric::{count_level, rate_level, share_level};
use super::*;

const BASE: &str = "http://c.test/";
const PREFIXES: &str = "@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix saref: <https://saref.etsi.org/core/> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix ex: <http://example.org/> .
";

fn base() -> BaseIri {
    BaseIri::parse(BASE).unwrap()
}

/// A memory store with the shipped ontology modules loaded.
fn store() -> Storage {
    let store = Storage::in_memory().unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies");
    crate::standards::ontologies::sync(&store, &base(), &folder).unwrap();
    store
}

fn load(store: &Storage, graph: &str, turtle: &str) {
    let graph = NamedNode::new(graph).unwrap();
    let text = format!("{PREFIXES}{turtle}");
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .without_named_graphs()
        .with_default_graph(graph);
    let quads: Vec<_> = parser
        .for_slice(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    store.extend(fixture(), quads).unwrap();
}

/// Test data comes in as a load would.
fn fixture() -> Cause {
    Cause::service(Origin::Load)
}

fn catalog(store: &Storage, turtle: &str) {
    load(store, &format!("{BASE}graph/catalog"), turtle);
}

/// Use case `id` with the given extra Turtle (predicate-object pairs ending in `;`).
fn use_case(store: &Storage, id: &str, more: &str) -> NamedNode {
    catalog(
        store,
        &format!(
            "<{BASE}id/use-case/{id}> a dcat:Dataset, citykg:UseCase ; {more} dct:identifier \"{id}\" ."
        ),
    );
    crate::core::ids::use_case_iri(&base(), &crate::core::ids::UseCaseId::parse(id).unwrap())
}

fn value(assessment: &Assessment, metric: Metric) -> (Value, u8) {
    let m = assessment.measurement(metric).unwrap();
    (m.value, m.level.get())
}

const DATA: &str = "http://c.test/graph/source/test";

/// Four observations: three with a QUDT unit (result node, SAREF, on the observation), three
/// with a valid xsd:dateTime; four placeable things, two with a geometry.
const OBSERVATIONS: &str = "
ex:o1 a sosa:Observation ; sosa:madeBySensor ex:s1 ; sosa:hasFeatureOfInterest ex:f1 ;
  sosa:hasResult ex:r1 ; sosa:resultTime \"2025-06-10T08:00:00Z\"^^xsd:dateTime .
ex:r1 a qudt:QuantityValue ; qudt:numericValue 21.5 ; qudt:unit unit:DEG_C .
ex:o2 a sosa:Observation ; sosa:madeBySensor ex:s2 ; sosa:hasResult ex:r2 ;
  sosa:resultTime \"yesterday\"^^xsd:dateTime .
ex:r2 a qudt:QuantityValue ; qudt:numericValue 3 ; qudt:unit <http://example.org/units/C> .
ex:m3 a saref:Measurement ; saref:isMeasuredIn unit:PERCENT ;
  saref:hasTimestamp \"2025-06-10T08:00:00Z\"^^xsd:dateTime .
ex:o4 a sosa:Observation ; saref:isMeasuredIn unit:DEG_C ;
  sosa:resultTime \"2025-06-10T09:00:00+02:00\"^^xsd:dateTime .
ex:s1 a sosa:Sensor ; geo:hasGeometry ex:g1 ; sosa:isHostedBy ex:p1 .
ex:p1 geo:hasDefaultGeometry ex:g2 .
";

#[test]
fn one_pass_counts_units_times_and_places_exactly() {
    let store = store();
    load(&store, DATA, OBSERVATIONS);
    let facts = facts::scan(&store, NamedNode::new(DATA).unwrap().as_ref()).unwrap();
    assert_eq!(facts.observations, 4);
    assert_eq!(
        facts.with_unit, 3,
        "r1's unit, m3's and o4's; r2's is not QUDT"
    );
    assert_eq!(facts.with_time, 3, "\"yesterday\" is no xsd:dateTime");
    assert_eq!(facts.placeable, 4, "s1, s2, f1, p1");
    assert_eq!(facts.placed, 2, "s1 and p1");
    assert_eq!(
        facts.validated, 5,
        "4 observations and measurements, 1 typed sensor"
    );
}

#[test]
fn three_of_four_observations_with_units_is_0_75_at_level_1() {
    let store = store();
    load(&store, DATA, OBSERVATIONS);
    let uc = use_case(&store, "units", &format!("citykg:dataGraph <{DATA}> ;"));
    let assessment = assess(&store, &base(), &uc).unwrap();
    assert_eq!(
        value(&assessment, Metric::UnitCoverage),
        (Value::Decimal(0.75), 1)
    );
    assert_eq!(
        value(&assessment, Metric::TimeCoverage),
        (Value::Decimal(0.75), 1)
    );
    assert_eq!(
        value(&assessment, Metric::LocationCoverage),
        (Value::Decimal(0.5), 1)
    );
    assert_eq!(
        assessment.measurement(Metric::UnitCoverage).unwrap().of,
        Some((3, 4))
    );
    assert_eq!(
        assessment.dimension(Dimension::ObservationQuality),
        Some(Level::new(1).unwrap())
    );
}

#[test]
fn vocabulary_coverage_is_the_share_of_declared_classes_and_predicates() {
    let store = store();
    load(
        &store,
        DATA,
        "ex:o a sosa:Observation, ex:Thing ; sosa:resultTime \"2025-06-10T08:00:00Z\"^^xsd:dateTime ; ex:colour \"red\" .",
    );
    let uc = use_case(&store, "vocab", &format!("citykg:dataGraph <{DATA}> ;"));
    let assessment = assess(&store, &base(), &uc).unwrap();
    // Classes sosa:Observation, ex:Thing; predicates rdf:type, sosa:resultTime, ex:colour.
    assert_eq!(
        value(&assessment, Metric::VocabularyCoverage),
        (Value::Decimal(0.6), 1)
    );
    assert_eq!(
        assessment
            .measurement(Metric::VocabularyCoverage)
            .unwrap()
            .of,
        Some((3, 5))
    );
}

#[test]
fn shape_results_are_counted_by_severity_and_rated_per_validated_node() {
    let store = store();
    // A bare observation (named by a blank node) and a sensor with neither position nor label.
    load(&store, DATA, "[] a sosa:Observation . ex:s a sosa:Sensor .");
    let uc = use_case(&store, "shapes", &format!("citykg:dataGraph <{DATA}> ;"));
    let assessment = assess(&store, &base(), &uc).unwrap();
    let shapes = shapes().unwrap();
    let graph = NamedNode::new(DATA).unwrap();
    let report = crate::standards::shacl::validate(
        shapes,
        &crate::standards::shacl::StoreGraph::graph(
            &store,
            GraphNameRef::NamedNode(graph.as_ref()),
        ),
    )
    .unwrap();
    let by = report.summary().by_severity;
    let count = |name: &str| by.get(name).copied().unwrap_or(0) as u64;
    assert_eq!(
        value(&assessment, Metric::ShapeViolations),
        (Value::Integer(count("Violation")), 0)
    );
    assert_eq!(
        value(&assessment, Metric::ShapeWarnings).0,
        Value::Integer(count("Warning"))
    );
    assert_eq!(
        value(&assessment, Metric::ShapeInfos),
        (Value::Integer(count("Info")), 3)
    );
    // Violations: the observation has no sensor, property, result time, nor result. Warnings:
    // it is a blank node and has no feature of interest; the sensor has no position. Info: the
    // sensor has no label.
    assert_eq!(
        (count("Violation"), count("Warning"), count("Info")),
        (4, 3, 1)
    );
    assert_eq!(
        value(&assessment, Metric::ShapeWarnings).1,
        0,
        "3 per 2 nodes"
    );
    assert_eq!(
        assessment.dimension(Dimension::Conformance),
        Some(Level::NONE)
    );
}

#[test]
fn conforming_data_reaches_level_3_for_conformance() {
    let store = store();
    load(
        &store,
        DATA,
        "ex:o a sosa:Observation ; sosa:madeBySensor ex:s ; sosa:observedProperty <https://w3id.org/citykg/property/temperature> ;
           sosa:hasFeatureOfInterest ex:f ; sosa:hasSimpleResult 21.5 ;
           sosa:resultTime \"2025-06-10T08:00:00Z\"^^xsd:dateTime .",
    );
    let uc = use_case(&store, "clean", &format!("citykg:dataGraph <{DATA}> ;"));
    let assessment = assess(&store, &base(), &uc).unwrap();
    assert_eq!(
        value(&assessment, Metric::ShapeViolations),
        (Value::Integer(0), 3)
    );
    assert_eq!(
        value(&assessment, Metric::ShapeWarnings),
        (Value::Integer(0), 3)
    );
}

#[test]
fn a_use_case_without_data_gets_every_measurement_at_zero_and_level_0() {
    let store = store();
    let uc = use_case(
        &store,
        "empty",
        &format!(
            "dct:license <http://creativecommons.org/licenses/by/4.0/> ;
             dcat:distribution <{BASE}id/use-case/empty/distribution/sparql> ;"
        ),
    );
    catalog(
        &store,
        &format!(
            "<{BASE}id/use-case/empty/distribution/sparql> a dcat:Distribution ; dcat:accessURL <{BASE}query> ."
        ),
    );
    let stored = recompute(&store, &base(), &uc).unwrap().unwrap();
    assert_eq!(stored.measurements.len(), 10);
    for m in &stored.measurements {
        let expected = match m.metric {
            Metric::OpenLicence => (Value::Boolean(true), 3),
            Metric::MachineReadableAccess => (Value::Boolean(false), 0),
            metric if metric.datatype() == rubric::Datatype::Decimal => (Value::Decimal(0.0), 0),
            _ => (Value::Integer(0), 0),
        };
        assert_eq!((m.value, m.level.get()), expected, "{:?}", m.metric);
    }
    let read = record::read(&store, &base(), &uc).unwrap().unwrap();
    assert_eq!(read.measurements.len(), 10);
    assert_eq!(read.dimension(Dimension::Openness), Some(Level::NONE));
}

#[test]
fn vendor_formats_count_the_named_mappings_the_registry_holds() {
    let store = store();
    load(
        &store,
        &format!("{BASE}graph/mappings"),
        &format!(
            "<{BASE}mappings/builtin/ttn-v3> a citykg:Mapping . <{BASE}mappings/builtin/helium> a citykg:Mapping ."
        ),
    );
    let uc = use_case(
        &store,
        "formats",
        &format!(
            "citykg:usesMapping <{BASE}mappings/builtin/ttn-v3>, <{BASE}mappings/builtin/helium>, <{BASE}mappings/gone> ;"
        ),
    );
    let assessment = assess(&store, &base(), &uc).unwrap();
    assert_eq!(
        value(&assessment, Metric::VendorFormats),
        (Value::Integer(2), 2)
    );
    assert_eq!(
        value(&assessment, Metric::OpenLicence),
        (Value::Boolean(false), 0)
    );
}

#[test]
fn recompute_replaces_the_stored_measurements_and_forgets_deleted_use_cases() {
    let store = store();
    load(&store, DATA, OBSERVATIONS);
    let uc = use_case(&store, "again", &format!("citykg:dataGraph <{DATA}> ;"));
    recompute(&store, &base(), &uc).unwrap();
    let catalog_graph = NamedNode::new(format!("{BASE}graph/catalog")).unwrap();
    let measurement_quads = |store: &Storage| {
        store
            .quads(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(catalog_graph.as_ref())),
            )
            .filter(|q| {
                q.as_ref()
                    .unwrap()
                    .subject
                    .to_string()
                    .contains("/measurement/")
                    || q.as_ref().unwrap().predicate
                        == crate::core::vocab::DQV_HAS_QUALITY_MEASUREMENT
            })
            .count()
    };
    assert_eq!(measurement_quads(&store), 10 * 6 + 10);
    load(
        &store,
        DATA,
        "ex:o5 a sosa:Observation ; saref:isMeasuredIn unit:DEG_C .",
    );
    let again = recompute_for_graph(&store, &base(), &NamedNode::new(DATA).unwrap()).unwrap();
    assert_eq!(again.use_cases, 1);
    let read = record::read(&store, &base(), &uc).unwrap().unwrap();
    assert_eq!(value(&read, Metric::UnitCoverage), (Value::Decimal(0.8), 2));
    assert_eq!(
        measurement_quads(&store),
        10 * 6 + 10,
        "replaced, not added"
    );
    store
        .write(fixture(), |tx| {
            tx.remove(QuadRef::new(
                &uc,
                oxigraph::model::vocab::rdf::TYPE,
                crate::core::vocab::USE_CASE,
                GraphNameRef::NamedNode(catalog_graph.as_ref()),
            ))
        })
        .unwrap();
    assert!(recompute(&store, &base(), &uc).unwrap().is_none());
    assert_eq!(measurement_quads(&store), 0);
}

#[test]
fn harvested_use_cases_are_not_reassessed() {
    let store = store();
    catalog(
        &store,
        "<http://remote.test/id/use-case/x> a citykg:UseCase ; dct:identifier \"x\" .",
    );
    use_case(&store, "local", "");
    let done = recompute_all(&store, &base()).unwrap();
    assert_eq!(done.use_cases, 1);
}

#[test]
fn the_scheduler_recomputes_in_the_background_after_a_change() {
    let store = store();
    let uc = use_case(&store, "later", &format!("citykg:dataGraph <{DATA}> ;"));
    let scheduler = Arc::new(
        schedule::Scheduler::start(store.clone(), base(), Duration::from_millis(200)).unwrap(),
    );
    store.subscribe(&scheduler);
    // Two writes into the data graph, as two ingests would publish them.
    load(&store, DATA, OBSERVATIONS);
    load(&store, DATA, OBSERVATIONS);
    wait_for_batches(&scheduler, 1);
    assert_eq!(scheduler.batches(), 1, "two changes, one batch");
    let read = record::read(&store, &base(), &uc).unwrap().unwrap();
    assert_eq!(
        value(&read, Metric::UnitCoverage),
        (Value::Decimal(0.75), 1)
    );
}

fn wait_for_batches(scheduler: &schedule::Scheduler, batches: u64) {
    let started = Instant::now();
    while scheduler.batches() < batches || scheduler.busy() {
        assert!(started.elapsed() < Duration::from_secs(30), "no batch ran");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn writes_the_scheduler_cannot_place_recompute_every_use_case() {
    let store = store();
    load(&store, DATA, OBSERVATIONS);
    let elsewhere = "http://c.test/graph/source/elsewhere";
    load(&store, elsewhere, OBSERVATIONS);
    let here = use_case(&store, "here", &format!("citykg:dataGraph <{DATA}> ;"));
    let there = use_case(
        &store,
        "there",
        &format!("citykg:dataGraph <{elsewhere}> ;"),
    );
    // Written around the catalogue: nothing is assessed yet.
    assert!(record::read(&store, &base(), &here).unwrap().is_none());
    let scheduler = Arc::new(
        schedule::Scheduler::start(store.clone(), base(), Duration::from_millis(20)).unwrap(),
    );
    store.subscribe(&scheduler);
    // A change to one data graph: its use case only.
    load(&store, DATA, "ex:o9 a sosa:Observation .");
    wait_for_batches(&scheduler, 1);
    assert!(record::read(&store, &base(), &here).unwrap().is_some());
    assert!(record::read(&store, &base(), &there).unwrap().is_none());
    // An update whose graphs are unknown: every use case.
    store
        .update(
            Cause::service(Origin::Update),
            oxigraph::sparql::SparqlEvaluator::new()
                .parse_update("DELETE { GRAPH ?g { <a:x> <a:x> <a:x> } } WHERE { GRAPH ?g { } }")
                .unwrap(),
            ChangedGraphs::Unknown,
        )
        .unwrap();
    wait_for_batches(&scheduler, 2);
    assert!(record::read(&store, &base(), &there).unwrap().is_some());
}

#[test]
fn levels_follow_the_published_thresholds_exactly() {
    let share = [500, 800, 950];
    for (part, whole, level) in [
        (0, 0, 0),
        (0, 10, 0),
        (49, 100, 0),
        (1, 2, 1),
        (79, 100, 1),
        (4, 5, 2),
        (949, 1000, 2),
        (19, 20, 3),
        (7, 7, 3),
    ] {
        assert_eq!(
            share_level(share, part, whole).get(),
            level,
            "{part}/{whole}"
        );
    }
    let violations = [100, 10, 0];
    for (count, nodes, level) in [
        (0, 0, 0),
        (0, 5, 3),
        (1, 100, 2),
        (2, 100, 1),
        (10, 100, 1),
        (11, 100, 0),
    ] {
        assert_eq!(
            rate_level(violations, count, nodes).get(),
            level,
            "{count}/{nodes}"
        );
    }
    for (count, level) in [(0, 0), (1, 1), (2, 2), (3, 3), (9, 3)] {
        assert_eq!(count_level([1, 2, 3], count).get(), level, "{count}");
    }
}

#[test]
fn the_stored_values_have_the_metrics_datatypes() {
    let store = store();
    load(&store, DATA, OBSERVATIONS);
    let uc = use_case(&store, "types", &format!("citykg:dataGraph <{DATA}> ;"));
    let assessment = recompute(&store, &base(), &uc).unwrap().unwrap();
    let quads = record::quads(&assessment, &crate::core::graphs::catalog_graph(&base()));
    let unit = record::measurement_iri(uc.as_str(), Metric::UnitCoverage);
    let values: Vec<String> = quads
        .iter()
        .filter(|q| {
            q.subject == unit.clone().into() && q.predicate == crate::core::vocab::DQV_VALUE
        })
        .map(|q| q.object.to_string())
        .collect();
    assert_eq!(
        values,
        ["\"0.75\"^^<http://www.w3.org/2001/XMLSchema#decimal>"]
    );
    assert_eq!(
        unit.as_str(),
        "http://c.test/id/use-case/types/measurement/unitCoverage"
    );
}

#[test]
fn the_rubric_document_quotes_every_metric_and_threshold() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/assessment.md"))
            .unwrap();
    let mut missing = Vec::new();
    for metric in Metric::ALL {
        if !text.contains(&format!("`{}`", metric.name())) {
            missing.push(format!("metric `{}`", metric.name()));
        }
        for (level, threshold) in metric.thresholds().iter().enumerate() {
            if threshold != "(not used)" && !text.contains(threshold.as_str()) {
                missing.push(format!("{} level {level}: {threshold}", metric.name()));
            }
        }
    }
    for dimension in Dimension::ALL {
        if !text.contains(dimension.label()) {
            missing.push(format!("dimension {}", dimension.label()));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/assessment.md lacks:\n{}",
        missing.join("\n")
    );
}

/// `n` observations of 9 triples each (with a result node and its unit), 50 sensors, 500 streets.
fn big_graph(store: &Storage, n: usize) {
    use oxigraph::model::vocab::xsd;
    use oxigraph::model::{Literal, Quad};
    let graph = NamedNode::new(DATA).unwrap();
    let iri = |s: String| NamedNode::new_unchecked(s);
    let sosa = |l: &str| iri(format!("http://www.w3.org/ns/sosa/{l}"));
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.into_owned();
    let unit = iri("http://qudt.org/vocab/unit/DEG_C".to_owned());
    let mut quads = Vec::with_capacity(n * 9);
    for i in 0..n {
        let o = iri(format!("http://example.org/obs/{i}"));
        let r = iri(format!("http://example.org/obs/{i}/result"));
        let mut add = |s: &NamedNode, p: NamedNode, o: oxigraph::model::Term| {
            quads.push(Quad::new(s.clone(), p, o, graph.clone()));
        };
        add(&o, rdf_type.clone(), sosa("Observation").into());
        add(
            &o,
            sosa("madeBySensor"),
            iri(format!("http://example.org/sensor/{}", i % 50)).into(),
        );
        add(
            &o,
            sosa("observedProperty"),
            iri("https://w3id.org/citykg/property/temperature".to_owned()).into(),
        );
        add(
            &o,
            sosa("hasFeatureOfInterest"),
            iri(format!("http://example.org/street/{}", i % 500)).into(),
        );
        add(&o, sosa("hasResult"), r.clone().into());
        add(
            &o,
            sosa("resultTime"),
            Literal::new_typed_literal("2026-11-25T12:00:00Z", xsd::DATE_TIME).into(),
        );
        add(
            &r,
            rdf_type.clone(),
            iri("http://qudt.org/schema/qudt/QuantityValue".to_owned()).into(),
        );
        add(
            &r,
            iri("http://qudt.org/schema/qudt/numericValue".to_owned()),
            Literal::new_typed_literal(format!("{}.5", i % 40), xsd::DECIMAL).into(),
        );
        if i % 4 != 0 {
            add(
                &r,
                iri("http://qudt.org/schema/qudt/unit".to_owned()),
                unit.clone().into(),
            );
        }
    }
    store.commit_quads(fixture(), &quads).unwrap();
}

#[test]
fn a_hundred_thousand_observations_are_assessed_in_one_pass_and_one_validation() {
    let store = store();
    big_graph(&store, 100_000);
    let uc = use_case(&store, "big", &format!("citykg:dataGraph <{DATA}> ;"));
    let started = Instant::now();
    let scanned = facts::scan(&store, NamedNode::new(DATA).unwrap().as_ref()).unwrap();
    let scan = started.elapsed();
    let assessment = recompute(&store, &base(), &uc).unwrap().unwrap();
    let total = started.elapsed();
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "assessment: {} triples, {} observations: scan {scan:?}, scan + validation + store {:?}\n",
            scanned.triples,
            scanned.observations,
            total - scan
        )
        .as_bytes(),
    );
    assert_eq!(scanned.triples, 875_000);
    assert_eq!(
        value(&assessment, Metric::UnitCoverage),
        (Value::Decimal(0.75), 1)
    );
    assert_eq!(
        value(&assessment, Metric::TimeCoverage),
        (Value::Decimal(1.0), 3)
    );
    // 50 sensors and 500 streets, none placed.
    assert_eq!(
        value(&assessment, Metric::LocationCoverage),
        (Value::Decimal(0.0), 0)
    );
    // Generous for unoptimised test builds on a shared 2-core machine.
    assert!(total < Duration::from_secs(120), "{total:?}");
}
