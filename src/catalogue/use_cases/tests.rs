//! Unit tests of the catalogue without a server: preparing input (ids, skolemisation, every
//! problem), writes in one transaction, filters, and listing 10,000 use cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Instant;

use crate::storage::{Cause, Origin, Storage};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

use super::*;
use crate::core::config::BaseIri;

fn catalog() -> Catalog {
    let base = BaseIri::parse("http://c.test/").unwrap();
    Catalog::open(
        Storage::in_memory().unwrap(),
        base,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies"),
    )
    .unwrap()
}

const CASE: &str = "@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
[] a citykg:UseCase ;
  dct:title \"Bins\"@en , \"Poubelles\"@fr ;
  dct:description \"Bins report their fill level.\"@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/public-services> ;
  citykg:maturity <https://w3id.org/citykg/maturity/idea> ;
  dct:spatial [ skos:prefLabel \"Lomé\"@fr ; citykg:countryCode \"TG\" ] ;
  citykg:stakeholder [ foaf:name \"B\" ] , [ foaf:name \"A\" ] .
";

fn any_mapping(_: &str) -> bool {
    true
}

fn problems(result: Result<Prepared, CatalogError>) -> Vec<InputProblem> {
    match result {
        Err(CatalogError::Invalid { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn blank_nodes_become_stable_sub_resource_iris() {
    let catalog = catalog();
    let id = UseCaseId::parse("bins").unwrap();
    let prepared = catalog
        .prepare(CASE, InputSyntax::Turtle, Some(&id), &any_mapping)
        .unwrap();
    assert_eq!(prepared.iri.as_str(), "http://c.test/id/use-case/bins");
    let name = |s: &str| {
        let node = NamedNode::new_unchecked(format!("http://c.test/id/use-case/bins/{s}"));
        prepared
            .graph
            .object_for_subject_predicate(&node, v_name())
            .map(|o| o.to_string())
    };
    // Stakeholders are numbered by name, not by the parser's blank-node labels.
    assert_eq!(name("stakeholder/1").as_deref(), Some("\"A\""));
    assert_eq!(name("stakeholder/2").as_deref(), Some("\"B\""));
    let place = NamedNode::new_unchecked("http://c.test/id/use-case/bins/place");
    assert!(prepared.graph.triples_for_subject(&place).count() == 2);
    assert!(
        prepared
            .graph
            .iter()
            .all(|t| !t.subject.is_blank_node() && !t.object.is_blank_node())
    );
    // The server adds the identifier and the dcat:Dataset type.
    assert!(prepared.graph.contains(oxigraph::model::TripleRef::new(
        &prepared.iri,
        crate::core::vocab::DCT_IDENTIFIER,
        &Literal::new_simple_literal("bins"),
    )));
    assert!(prepared.graph.contains(oxigraph::model::TripleRef::new(
        &prepared.iri,
        rdf::TYPE,
        crate::core::vocab::DCAT_DATASET,
    )));
}

fn v_name() -> oxigraph::model::NamedNodeRef<'static> {
    crate::core::vocab::FOAF_NAME
}

#[test]
fn every_problem_is_reported_at_once() {
    let catalog = catalog();
    let text = CASE
        .replace("dct:title \"Bins\"@en , \"Poubelles\"@fr ;", "")
        .replace("vertical/public-services", "vertical/nope")
        .replace(
            "maturity/idea>",
            "maturity/idea>, <https://w3id.org/citykg/maturity/pilot>",
        )
        .replace("\"TG\"", "\"tg\"");
    let id = UseCaseId::parse("bins").unwrap();
    let found = problems(catalog.prepare(&text, InputSyntax::Turtle, Some(&id), &any_mapping));
    let mut paths: Vec<&str> = found.iter().filter_map(|p| p.path.as_deref()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "http://purl.org/dc/terms/title",
            "https://w3id.org/citykg/ns#countryCode",
            "https://w3id.org/citykg/ns#maturity",
            "https://w3id.org/citykg/ns#vertical",
        ],
        "{found:#?}"
    );
}

#[test]
fn the_use_case_node_and_id_must_be_unambiguous() {
    let catalog = catalog();
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("", Some("x"), "no use case"),
        (
            "<http://c.test/id/use-case/a> a <https://w3id.org/citykg/ns#UseCase> .",
            Some("b"),
            "gives the id",
        ),
        (
            "<http://elsewhere/x> a <https://w3id.org/citykg/ns#UseCase> .",
            Some("x"),
            "name it <http://c.test/id/use-case/x>",
        ),
        ("[] a <https://w3id.org/citykg/ns#UseCase> .", None, "no id"),
        (
            "[] a <https://w3id.org/citykg/ns#UseCase> . [] a <https://w3id.org/citykg/ns#UseCase> .",
            Some("x"),
            "2 nodes",
        ),
        (
            "<http://c.test/id/use-case/x> a <https://w3id.org/citykg/ns#UseCase> . <http://c.test/id/use-case/x/orphan> <http://purl.org/dc/terms/title> \"o\" .",
            Some("x"),
            "not linked",
        ),
    ];
    for (text, given, words) in cases {
        let given = given.map(|g| UseCaseId::parse(g).unwrap());
        let found =
            problems(catalog.prepare(text, InputSyntax::Turtle, given.as_ref(), &any_mapping));
        assert!(
            found.iter().any(|p| p.message.contains(words)),
            "{text}: {found:#?}"
        );
    }
    assert!(matches!(
        catalog.prepare("{", InputSyntax::Turtle, None, &any_mapping),
        Err(CatalogError::Syntax { .. })
    ));
    assert!(matches!(
        catalog.prepare("{\"@id\": ", InputSyntax::JsonLd, None, &any_mapping),
        Err(CatalogError::JsonLd(_))
    ));
}

#[test]
fn a_put_replaces_everything_under_the_use_case_and_a_delete_removes_it() {
    let catalog = catalog();
    let id = UseCaseId::parse("bins").unwrap();
    let first = catalog
        .prepare(CASE, InputSyntax::Turtle, Some(&id), &any_mapping)
        .unwrap();
    assert!(
        catalog
            .put(&first, true, Cause::service(Origin::UseCases))
            .unwrap()
            .created
    );
    assert!(matches!(
        catalog.put(&first, true, Cause::service(Origin::UseCases)),
        Err(CatalogError::Exists(_))
    ));
    let before = catalog.get(&id).unwrap().unwrap().len();
    let fewer = CASE.replace(" , [ foaf:name \"A\" ]", "");
    let second = catalog
        .prepare(&fewer, InputSyntax::Turtle, Some(&id), &any_mapping)
        .unwrap();
    assert!(
        !catalog
            .put(&second, false, Cause::service(Origin::UseCases))
            .unwrap()
            .created
    );
    let after = catalog.get(&id).unwrap().unwrap();
    assert_eq!(
        after.len(),
        before - 2,
        "one stakeholder (its link and name) fewer"
    );
    assert_eq!(catalog.store().len().unwrap(), after.len());
    catalog
        .delete(&id, Cause::service(Origin::UseCases))
        .unwrap();
    assert_eq!(catalog.store().len().unwrap(), 0);
    assert!(matches!(
        catalog.delete(&id, Cause::service(Origin::UseCases)),
        Err(CatalogError::NotFound(_))
    ));
}

/// 10,000 use cases written straight into the graph (the shape `put` writes), then filtered
/// and paged: every filter is a few index scans, never one query per use case.
#[test]
fn ten_thousand_use_cases_list_quickly() {
    let catalog = catalog();
    let graph = GraphName::from(catalog.graph().clone());
    let mut quads = Vec::new();
    let verticals = ["energy", "water", "health", "transportation", "education"];
    for n in 0..10_000 {
        let uc = NamedNode::new_unchecked(format!("http://c.test/id/use-case/uc-{n:05}"));
        let place = NamedNode::new_unchecked(format!("{}/place", uc.as_str()));
        let record = NamedNode::new_unchecked(format!("{}/record", uc.as_str()));
        let mut add =
            |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: oxigraph::model::Term| {
                quads.push(Quad::new(s.clone(), p, o, graph.clone()));
            };
        add(&uc, rdf::TYPE, crate::core::vocab::USE_CASE.into());
        add(
            &uc,
            crate::core::vocab::DCT_IDENTIFIER,
            Literal::new_simple_literal(format!("uc-{n:05}")).into(),
        );
        add(
            &uc,
            crate::core::vocab::DCT_TITLE,
            Literal::new_language_tagged_literal_unchecked(format!("Use case number {n}"), "en")
                .into(),
        );
        add(
            &uc,
            crate::core::vocab::DCT_DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                format!(
                    "Sensors and meters of district {} report every {} minutes.",
                    n % 97,
                    n % 13
                ),
                "en",
            )
            .into(),
        );
        add(
            &uc,
            crate::core::vocab::VERTICAL,
            NamedNode::new_unchecked(format!(
                "{}{}",
                crate::core::vocab::VERTICAL_SCHEME,
                verticals[n % 5]
            ))
            .into(),
        );
        add(
            &uc,
            crate::core::vocab::MATURITY,
            NamedNode::new_unchecked(format!("{}pilot", crate::core::vocab::MATURITY_SCHEME))
                .into(),
        );
        add(
            &uc,
            crate::core::vocab::SDG,
            NamedNode::new_unchecked(format!("{}{}", crate::core::vocab::SDG_SCHEME, 1 + n % 17))
                .into(),
        );
        add(&uc, crate::core::vocab::DCT_SPATIAL, place.clone().into());
        add(
            &place,
            crate::core::vocab::COUNTRY_CODE,
            Literal::new_simple_literal(if n % 50 == 0 { "KE" } else { "FR" }).into(),
        );
        add(
            &record,
            crate::core::vocab::FOAF_PRIMARY_TOPIC,
            uc.clone().into(),
        );
        add(
            &record,
            crate::core::vocab::DCT_MODIFIED,
            Literal::new_typed_literal("2025-01-01T00:00:00Z", xsd::DATE_TIME).into(),
        );
    }
    catalog
        .store()
        .commit_quads(Cause::service(Origin::Load), &quads)
        .unwrap();
    let queries = [
        ListQuery {
            page: 1,
            page_size: 20,
            ..ListQuery::default()
        },
        ListQuery {
            page: 401,
            page_size: 25,
            ..ListQuery::default()
        },
        ListQuery {
            vertical: vec!["water".into()],
            page: 3,
            page_size: 100,
            ..ListQuery::default()
        },
        ListQuery {
            country: vec!["ke".into()],
            sdg: vec!["1".into()],
            page: 1,
            page_size: 20,
            ..ListQuery::default()
        },
        ListQuery {
            q: Some("DISTRICT 42 ".into()),
            page: 1,
            page_size: 20,
            ..ListQuery::default()
        },
    ];
    let expected_totals = [
        10_000,
        10_000,
        2_000,
        (0..10_000).filter(|n| n % 50 == 0 && n % 17 == 0).count(),
        (0..10_000).filter(|n| n % 97 == 42).count(),
    ];
    let started = Instant::now();
    catalog.list(&ListQuery::default()).unwrap();
    #[allow(clippy::print_stderr)]
    {
        eprintln!("index built in {:?}", started.elapsed());
    }
    let mut slowest = std::time::Duration::ZERO;
    for (query, expected) in queries.iter().zip(expected_totals) {
        let started = Instant::now();
        let page = catalog.list(query).unwrap();
        slowest = slowest.max(started.elapsed());
        #[allow(clippy::print_stderr)]
        {
            eprintln!("list {query:?}: {:?}", started.elapsed());
        }
        assert_eq!(page.total, expected, "{query:?}");
    }
    let last = catalog.list(&queries[1]).unwrap();
    assert_eq!(last.items.len(), 0, "page 401 of 25 is past the end");
    let page = catalog
        .list(&ListQuery {
            page: 2,
            page_size: 3,
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(
        page.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["uc-00003", "uc-00004", "uc-00005"]
    );
    assert_eq!(page.items[0].country.as_deref(), Some("FR"));
    assert_eq!(
        page.items[0].modified.as_deref(),
        Some("2025-01-01T00:00:00Z")
    );
    // Generous for unoptimised test builds; release timings are in the report.
    assert!(slowest.as_millis() < 1_000, "slowest list took {slowest:?}");
}
