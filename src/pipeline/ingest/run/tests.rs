use std::sync::Arc;

use crate::storage::{Origin, Storage};
use oxigraph::model::NamedNode;

use super::*;
use crate::core::ids::MappingId;
use crate::pipeline::mapping::check::{Purpose, check};

const MAPPING: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://e/M> rml:logicalSource [ rml:source "payload.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://e/obs/{id}" ; rml:class sosa:Observation ] ;
  rml:predicateObjectMap [ rml:predicate sosa:madeBySensor ; rml:objectMap [ rml:template "http://e/sensor/{sensor}" ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:observedProperty ; rml:objectMap [ rml:constant <http://e/pm25> ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasFeatureOfInterest ; rml:objectMap [ rml:constant <http://e/district/1> ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasSimpleResult ; rml:objectMap [ rml:reference "value" ; rml:datatype xsd:double ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:resultTime ; rml:objectMap [ rml:reference "time" ; rml:datatype xsd:dateTime ] ] ."#;

fn registered(validation: ValidationPolicy) -> RegisteredMapping {
    let checked = check(
        crate::pipeline::mapping::rml::parse(MAPPING, None).unwrap(),
        Purpose::Run,
    )
    .unwrap();
    RegisteredMapping {
        id: MappingId::parse("test/obs").unwrap(),
        version: 3,
        checked: Arc::new(checked),
        payload_source: "payload.json".into(),
        target_graph: NamedNode::new_unchecked("http://citykg.test/graph/source/test/obs"),
        validation,
        shapes: vec!["observation".into()],
        sha256: String::new(),
    }
}

fn by(agent: &str) -> Cause {
    Cause::new(
        agent,
        Origin::Ingest {
            mapping: MappingId::parse("test").unwrap(),
        },
    )
}

fn context(store: &Storage) -> Context<'_> {
    Context {
        store,
        base: Box::leak(Box::new(
            crate::core::config::BaseIri::parse("http://citykg.test/").unwrap(),
        )),
        reference_data: None,
        ontologies: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies"),
        inflate_limit: 1 << 20,
        stop: oxigraph::sparql::CancellationToken::new(),
    }
}

const GOOD: &str = r#"[{"id": "1", "sensor": "s1", "value": 12.5, "time": "2025-03-03T00:00:00Z"},
                      {"id": "2", "sensor": "s1", "value": 13, "time": "2025-03-03T00:10:00Z"}]"#;

#[test]
fn an_ingest_stores_the_quads_and_its_provenance_in_one_go() {
    let store = Storage::in_memory().unwrap();
    let context = context(&store);
    let mapping = registered(ValidationPolicy::Warn);
    let payload = Payload {
        bytes: GOOD.as_bytes(),
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    let outcome = ingest(&context, &mapping, &payload, by("alice"), Some("k1")).unwrap();
    assert_eq!(outcome.record.records, 2);
    assert_eq!(outcome.record.quads, 12);
    assert_eq!(outcome.record.mapping_version, 3);
    assert!(
        outcome.validation.as_ref().unwrap().conforms,
        "{:?}",
        outcome.validation
    );
    let target = GraphNameRef::NamedNode(mapping.target_graph.as_ref());
    assert_eq!(store.quads(None, None, None, Some(target)).count(), 12);
    let provenance = crate::core::graphs::provenance_graph(context.base);
    assert_eq!(
        store
            .quads(None, None, None, Some(provenance.as_ref().into()))
            .count(),
        13
    );
    // The provenance record conforms to the shipped provenance shapes.
    let shapes =
        crate::standards::shacl::shipped::load(&context.ontologies, &["provenance".into()])
            .unwrap();
    let report = crate::standards::shacl::validate(
        &shapes,
        &crate::standards::shacl::StoreGraph::graph(
            &store,
            GraphNameRef::NamedNode(provenance.as_ref()),
        ),
    )
    .unwrap();
    assert!(report.conforms, "{:?}", report.summary());

    // The same Idempotency-Key: the first answer, nothing applied twice.
    let again = ingest(&context, &mapping, &payload, by("alice"), Some("k1")).unwrap();
    assert!(again.replayed);
    assert_eq!(again.record.activity, outcome.record.activity);
    assert_eq!(again.record.quads, 12);
    assert_eq!(
        store
            .quads(None, None, None, Some(provenance.as_ref().into()))
            .count(),
        13
    );
}

#[test]
fn json_lines_feed_a_json_mapping() {
    let store = Storage::in_memory().unwrap();
    let lines = "[{\"id\": \"1\", \"sensor\": \"s\", \"value\": 1, \"time\": \"2025-03-03T00:00:00Z\"}]\n[{\"id\": \"2\", \"sensor\": \"s\", \"value\": 2, \"time\": \"2025-03-03T00:00:01Z\"}]\n";
    let payload = Payload {
        bytes: lines.as_bytes(),
        kind: PayloadKind::JsonLines,
        charset: None,
        zone: None,
    };
    let outcome = ingest(
        &context(&store),
        &registered(ValidationPolicy::None),
        &payload,
        by("a"),
        None,
    )
    .unwrap();
    assert_eq!(outcome.record.records, 2);
    let csv = Payload {
        bytes: b"id\n1\n",
        kind: PayloadKind::Csv,
        charset: None,
        zone: None,
    };
    assert!(matches!(
        ingest(
            &context(&store),
            &registered(ValidationPolicy::None),
            &csv,
            by("a"),
            None
        ),
        Err(IngestError::WrongKind { .. })
    ));
}

#[test]
fn failures_store_nothing_and_say_whether_to_quarantine() {
    let store = Storage::in_memory().unwrap();
    let context = context(&store);
    let broken = Payload {
        bytes: b"[{\"id\": \"1\",,}]",
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    let error = ingest(
        &context,
        &registered(ValidationPolicy::None),
        &broken,
        by("a"),
        None,
    )
    .unwrap_err();
    assert!(error.quarantines());
    assert!(error.to_string().contains("line 1"), "{error}");
    // No result time: the observation shapes say no, and `reject` keeps it out.
    let incomplete = Payload {
        bytes: br#"[{"id": "1", "sensor": "s", "value": 1}]"#,
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    let error = ingest(
        &context,
        &registered(ValidationPolicy::Reject),
        &incomplete,
        by("a"),
        None,
    )
    .unwrap_err();
    assert!(matches!(error, IngestError::Rejected { .. }), "{error}");
    assert!(error.quarantines());
    assert_eq!(store.len().unwrap(), 0);
    // `warn` stores it and reports.
    let outcome = ingest(
        &context,
        &registered(ValidationPolicy::Warn),
        &incomplete,
        by("a"),
        None,
    )
    .unwrap();
    assert!(!outcome.validation.unwrap().conforms);
}

#[test]
fn preview_stores_nothing() {
    let store = Storage::in_memory().unwrap();
    let payload = Payload {
        bytes: GOOD.as_bytes(),
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    let mapped = preview(
        &context(&store),
        &registered(ValidationPolicy::Warn),
        &payload,
    )
    .unwrap();
    assert_eq!(mapped.quads.len(), 12);
    assert!(mapped.report.unwrap().conforms);
    assert_eq!(store.len().unwrap(), 0);
}

#[test]
fn a_mapping_cannot_write_into_citykgs_own_graphs() {
    let store = Storage::in_memory().unwrap();
    let text = MAPPING.replace(
        "rml:subjectMap [ rml:template \"http://e/obs/{id}\" ;",
        "rml:subjectMap [ rml:template \"http://e/obs/{id}\" ; rml:graphMap [ rml:template \"http://citykg.test/graph/{sensor}\" ] ;",
    );
    let mut mapping = registered(ValidationPolicy::None);
    mapping.checked = Arc::new(
        check(
            crate::pipeline::mapping::rml::parse(&text, None).unwrap(),
            Purpose::Run,
        )
        .unwrap(),
    );
    let forged =
        br#"[{"id": "1", "sensor": "provenance", "value": 1, "time": "2025-03-03T00:00:00Z"}]"#;
    let error = ingest(
        &context(&store),
        &mapping,
        &Payload {
            bytes: forged,
            kind: PayloadKind::Json,
            charset: None,
            zone: None,
        },
        by("a"),
        None,
    )
    .unwrap_err();
    assert!(
        error.quarantines() && error.to_string().contains("own graphs"),
        "{error}"
    );
    assert_eq!(store.len().unwrap(), 0);
}

#[test]
fn concurrent_requests_with_one_key_store_the_payload_once() {
    let store = Storage::in_memory().unwrap();
    let mapping = registered(ValidationPolicy::None);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let context = context(&store);
                let payload = Payload {
                    bytes: GOOD.as_bytes(),
                    kind: PayloadKind::Json,
                    charset: None,
                    zone: None,
                };
                ingest(&context, &mapping, &payload, by("a"), Some("same-key")).unwrap();
            });
        }
    });
    let provenance = crate::core::graphs::provenance_graph(context(&store).base);
    let activities = store
        .quads(
            None,
            Some(oxigraph::model::vocab::rdf::TYPE),
            Some(
                NamedNode::new_unchecked("http://www.w3.org/ns/prov#Activity")
                    .as_ref()
                    .into(),
            ),
            Some(GraphNameRef::NamedNode(provenance.as_ref())),
        )
        .count();
    assert_eq!(activities, 1);
}

#[test]
fn a_latin1_payload_is_decoded_by_its_charset() {
    let store = Storage::in_memory().unwrap();
    let text = MAPPING.replace(
        "rml:reference \"value\" ; rml:datatype xsd:double",
        "rml:reference \"value\"",
    );
    let mut mapping = registered(ValidationPolicy::None);
    mapping.checked = Arc::new(
        check(
            crate::pipeline::mapping::rml::parse(&text, None).unwrap(),
            Purpose::Run,
        )
        .unwrap(),
    );
    // "Zürich" in ISO-8859-1: the ü is one byte, 0xFC, which is not UTF-8.
    let mut bytes = br#"[{"id": "1", "sensor": "s", "value": "Z"#.to_vec();
    bytes.push(0xFC);
    bytes.extend_from_slice(br#"rich", "time": "2025-03-03T00:00:00Z"}]"#);
    let latin1 = Payload {
        bytes: &bytes,
        kind: PayloadKind::Json,
        charset: Some("iso-8859-1"),
        zone: None,
    };
    ingest(&context(&store), &mapping, &latin1, by("a"), None).unwrap();
    let value = oxigraph::model::Literal::new_simple_literal("Zürich");
    assert_eq!(
        store
            .quads(None, None, Some(value.as_ref().into()), None)
            .count(),
        1
    );
    let as_utf8 = Payload {
        bytes: &bytes,
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    assert!(ingest(&context(&store), &mapping, &as_utf8, by("a"), None).is_err());
}

#[test]
fn a_payload_no_iterator_matches_is_kept_but_an_empty_batch_is_fine() {
    let store = Storage::in_memory().unwrap();
    let mapping = registered(ValidationPolicy::None);
    let payload = |bytes: &'static [u8]| Payload {
        bytes,
        kind: PayloadKind::Json,
        charset: None,
        zone: None,
    };
    // `$[*]` finds nothing in an empty object or a bare string: another format, kept.
    for other_format in [&b"{}"[..], b"\"text\""] {
        let error = ingest(
            &context(&store),
            &mapping,
            &payload(other_format),
            by("a"),
            None,
        )
        .unwrap_err();
        assert!(matches!(error, IngestError::NothingMatched), "{error}");
        assert!(error.quarantines());
    }
    for empty in [&b"[]"[..], b" [ ] "] {
        let outcome = ingest(&context(&store), &mapping, &payload(empty), by("a"), None).unwrap();
        assert_eq!(outcome.record.quads, 0);
    }
}
