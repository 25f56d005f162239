//! The use-case catalogue: the shipped use cases (every vertical, a rural community, valid,
//! naming only declared terms and existing mappings), CRUD with roles, every filter, paging,
//! 422 with every problem and nothing stored, deletions that survive a restart, the pages.

use std::collections::BTreeSet;
use std::path::Path;

use awc::http::Method;
use citykg::core::config::{Settings, StoreLocation};
use citykg::edge::auth::Role;
use citykg::edge::http::Application;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, TermRef, Triple};

use crate::helpers::{ADMIN, TestApp, parse_rdf, spawn_app};

const BASE: &str = "http://citykg.test/";
const VERTICALS: &[&str] = &[
    "energy",
    "transportation",
    "health",
    "agriculture",
    "education",
    "environment",
    "water",
    "buildings",
    "manufacturing",
    "public-services",
    "crisis-response",
    "rural-development",
    "citizen-engagement",
    "digital-twins",
    "citiverse",
];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_ids() -> BTreeSet<String> {
    std::fs::read_dir(crate_dir().join("usecases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The ids of `GET path` (a JSON list), in order.
async fn ids(app: &TestApp, path: &str) -> Vec<String> {
    let reply = app.get(path, "application/json").await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn send_use_case(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    slug: Option<&str>,
    body: &str,
) -> crate::helpers::Reply {
    let mut request = app
        .client
        .request(method, app.url(path))
        .insert_header(("Content-Type", "text/turtle"));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    if let Some(slug) = slug {
        request = request.insert_header(("Slug", slug));
    }
    app.send(request, body.to_owned()).await
}

const PREFIXES: &str = "@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

pub fn minimal(title: &str, vertical: &str, issued: &str) -> String {
    format!(
        "{PREFIXES}
[] a citykg:UseCase ;
  dct:title \"{title}\"@en ;
  dct:description \"Bins report their fill level so trucks only visit full ones.\"@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/{vertical}> ;
  citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  citykg:sdg <http://metadata.un.org/sdg/11> ;
  citykg:supportsKpi <https://w3id.org/citykg/kpi/EC-I-WA-1C> ;
  citykg:usesMapping <mappings/builtin/ttn-v3> ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ;
  dct:issued {issued} ;
  dct:spatial [ skos:prefLabel \"Nakuru\"@en ; citykg:countryCode \"KE\" ] ;
  dct:publisher [ a foaf:Agent ; foaf:name \"Nakuru County\" ] ;
  citykg:stakeholder [ foaf:name \"Waste pickers' cooperative\" ; citykg:stakeholderRole \"operator\"@en ] .
"
    )
}

#[actix_web::test]
async fn a_fresh_instance_lists_the_shipped_use_cases_with_every_vertical_and_a_rural_community() {
    let app = spawn_app().await;
    let all = ids(&app, "/use-cases?page_size=200").await;
    assert_eq!(
        all.iter().cloned().collect::<BTreeSet<_>>(),
        shipped_ids(),
        "every file of usecases/ is seeded"
    );
    assert!(all.len() >= 16, "{all:?}");
    for vertical in VERTICALS {
        let found = ids(&app, &format!("/use-cases?vertical={vertical}")).await;
        assert!(
            !found.is_empty(),
            "no shipped use case in vertical {vertical}"
        );
    }
    let rural = ids(
        &app,
        "/use-cases?vertical=rural-development&q=rural%20community",
    )
    .await;
    assert!(
        rural.contains(&"cusco-highland-farm-weather".to_owned()),
        "{rural:?}"
    );
    let seed_source =
        std::fs::read_to_string(crate_dir().join("src/catalogue/use_cases/seed.rs")).unwrap();
    for id in shipped_ids() {
        assert!(
            seed_source.contains(&format!("\"/usecases/{id}.ttl\"")),
            "usecases/{id}.ttl is not compiled in (src/catalogue/use_cases/seed.rs SHIPPED)"
        );
    }
}

fn ontology_declarations() -> BTreeSet<String> {
    let mut declared = BTreeSet::new();
    for entry in std::fs::read_dir(crate_dir().join("ontologies")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ttl") {
            continue;
        }
        let text = std::fs::read(&path).unwrap();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
            let quad = quad.unwrap();
            if quad.predicate == rdf::TYPE {
                declared.insert(quad.subject.to_string().trim_matches(['<', '>']).to_owned());
            }
        }
    }
    declared
}

fn objects<'a>(graph: &'a Graph, predicate: &str) -> Vec<TermRef<'a>> {
    graph
        .triples_for_predicate(NamedNodeRef::new_unchecked(predicate))
        .map(|t| t.object)
        .collect()
}

#[actix_web::test]
async fn every_shipped_use_case_conforms_and_names_only_declared_terms_and_existing_mappings() {
    let app = spawn_app().await;
    let shapes = citykg::standards::shacl::shipped::load(
        &crate_dir().join("ontologies"),
        &["use-case".into()],
    )
    .expect("the use-case shape compiles");
    let declared = ontology_declarations();
    let mut problems = Vec::new();
    for id in shipped_ids() {
        let reply = app.get(&format!("/use-cases/{id}"), "text/turtle").await;
        assert_eq!(reply.status, 200, "{id}");
        let graph: Graph = parse_rdf(RdfFormat::Turtle, &reply.body)
            .iter()
            .map(|q| Triple::from(q.into_owned()))
            .collect();
        let report = citykg::standards::shacl::validate(&shapes, &graph).unwrap();
        if !report.conforms {
            problems.push(format!("{id}: {:?}", report.summary()));
        }
        for (predicate, what) in [
            ("https://w3id.org/citykg/ns#vertical", "vertical"),
            ("https://w3id.org/citykg/ns#sdg", "SDG"),
            ("https://w3id.org/citykg/ns#supportsKpi", "KPI"),
            ("https://w3id.org/citykg/ns#requiresProperty", "property"),
            ("https://w3id.org/citykg/ns#maturity", "maturity"),
            ("http://purl.org/dc/terms/conformsTo", "standard"),
            ("http://purl.org/dc/terms/license", "licence"),
        ] {
            for object in objects(&graph, predicate) {
                let TermRef::NamedNode(iri) = object else {
                    problems.push(format!("{id}: {what} {object} is not an IRI"));
                    continue;
                };
                if !declared.contains(iri.as_str()) {
                    problems.push(format!("{id}: {what} <{}> is not declared", iri.as_str()));
                }
            }
        }
        let mappings = objects(&graph, "https://w3id.org/citykg/ns#usesMapping");
        if mappings.is_empty() {
            problems.push(format!("{id}: names no mapping"));
        }
        for mapping in mappings {
            let TermRef::NamedNode(iri) = mapping else {
                continue;
            };
            let path = iri.as_str().strip_prefix(BASE).unwrap_or(iri.as_str());
            let reply = app.get(&format!("/{path}"), "application/json").await;
            if reply.status != 200 {
                problems.push(format!("{id}: mapping <{}> does not exist", iri.as_str()));
            }
        }
        for graph_iri in objects(&graph, "https://w3id.org/citykg/ns#dataGraph") {
            if !graph_iri
                .to_string()
                .starts_with("<http://citykg.test/graph/source/builtin/")
            {
                problems.push(format!("{id}: data graph {graph_iri}"));
            }
        }
        let titles = objects(&graph, "http://purl.org/dc/terms/title");
        if !titles
            .iter()
            .any(|t| matches!(t, TermRef::Literal(l) if l.language().is_some_and(|l| l != "en")))
        {
            problems.push(format!("{id}: no title in a second language"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_shape_lists_exactly_the_verticals_of_the_code_list() {
    let shape =
        std::fs::read_to_string(crate_dir().join("ontologies/shapes/use-case.ttl")).unwrap();
    let code_list = std::fs::read_to_string(crate_dir().join("ontologies/verticals.ttl")).unwrap();
    for vertical in VERTICALS {
        assert!(
            shape.contains(&format!("vertical:{vertical} ")),
            "{vertical}"
        );
        assert!(
            code_list.contains(&format!(
                "<https://w3id.org/citykg/vertical/{vertical}> a skos:Concept"
            )),
            "{vertical}"
        );
    }
    assert_eq!(
        code_list.matches("a skos:Concept ;").count(),
        VERTICALS.len() + 4,
        "15 verticals and 4 maturity levels"
    );
    let u4ssc = std::fs::read_to_string(crate_dir().join("ontologies/u4ssc.ttl")).unwrap();
    assert_eq!(
        u4ssc
            .matches("a skos:Concept , s4city:KeyPerformanceIndicator")
            .count(),
        91
    );
    assert!(u4ssc.contains("<https://w3id.org/citykg/kpi/EC-ICT-ICT-1C> a skos:Concept"));
    assert!(u4ssc.contains("skos:notation \"EC: ICT: ICT: 1C\""));
    let sdg = std::fs::read_to_string(crate_dir().join("ontologies/sdg.ttl")).unwrap();
    assert_eq!(sdg.matches("a skos:Concept ;").count(), 17);
}

#[actix_web::test]
async fn writes_need_a_steward_and_a_use_case_is_created_replaced_read_and_deleted() {
    let app = spawn_app().await;
    let body = minimal(
        "Smart bins in Nakuru",
        "public-services",
        "\"2025-01-02\"^^xsd:date",
    );
    let reader = app.token("reader", Role::Read);
    let steward = app.token("steward", Role::Steward);
    send_use_case(
        &app,
        Method::POST,
        "/use-cases",
        None,
        Some("nakuru-bins"),
        &body,
    )
    .await
    .problem(401);
    send_use_case(
        &app,
        Method::POST,
        "/use-cases",
        Some(&reader),
        Some("nakuru-bins"),
        &body,
    )
    .await
    .problem(403);
    send_use_case(
        &app,
        Method::DELETE,
        "/use-cases/kisumu-air-quality",
        Some(&reader),
        None,
        "",
    )
    .await
    .problem(403);
    let created = send_use_case(
        &app,
        Method::POST,
        "/use-cases",
        Some(&steward),
        Some("nakuru-bins"),
        &body,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created.headers.get("location").unwrap(),
        "/use-cases/nakuru-bins"
    );
    send_use_case(
        &app,
        Method::POST,
        "/use-cases",
        Some(&steward),
        Some("nakuru-bins"),
        &body,
    )
    .await
    .problem(409);

    let read = app
        .get("/use-cases/nakuru-bins", "application/n-triples")
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.content_type(), "application/n-triples");
    let graph: Graph = parse_rdf(RdfFormat::NTriples, &read.body)
        .iter()
        .map(|q| Triple::from(q.into_owned()))
        .collect();
    let uc = "http://citykg.test/id/use-case/nakuru-bins";
    let has = |s: &str, p: &str, o: &str| {
        graph
            .triples_for_subject(NamedNodeRef::new_unchecked(s))
            .any(|t| t.predicate.as_str() == p && t.object.to_string() == o)
    };
    // Blank nodes became sub-resource IRIs; the server wrote themes, distributions, record.
    assert!(has(
        uc,
        "http://purl.org/dc/terms/spatial",
        &format!("<{uc}/place>")
    ));
    assert!(has(
        &format!("{uc}/place"),
        "https://w3id.org/citykg/ns#countryCode",
        "\"KE\""
    ));
    assert!(has(
        uc,
        "http://purl.org/dc/terms/publisher",
        &format!("<{uc}/publisher>")
    ));
    assert!(has(
        uc,
        "https://w3id.org/citykg/ns#stakeholder",
        &format!("<{uc}/stakeholder/1>")
    ));
    assert!(has(
        uc,
        "http://www.w3.org/ns/dcat#theme",
        "<https://w3id.org/citykg/vertical/public-services>"
    ));
    assert!(has(
        uc,
        "http://purl.org/dc/terms/identifier",
        "\"nakuru-bins\""
    ));
    assert!(has(
        uc,
        "http://www.w3.org/ns/dcat#distribution",
        &format!("<{uc}/distribution/sparql>")
    ));
    assert!(has(
        &format!("{uc}/distribution/graph-store"),
        "http://www.w3.org/ns/dcat#accessURL",
        "<http://citykg.test/store>"
    ));
    assert!(has(
        &format!("{uc}/distribution/sparql"),
        "http://purl.org/dc/terms/license",
        "<http://creativecommons.org/licenses/by/4.0/>"
    ));
    assert!(has(
        &format!("{uc}/record"),
        "http://xmlns.com/foaf/0.1/primaryTopic",
        &format!("<{uc}>")
    ));
    assert!(has(
        uc,
        "https://w3id.org/citykg/ns#usesMapping",
        "<http://citykg.test/mappings/builtin/ttn-v3>"
    ));
    let record_time = |graph: &Graph, p: &str| {
        graph
            .object_for_subject_predicate(
                NamedNodeRef::new_unchecked(&format!("{uc}/record")),
                NamedNodeRef::new_unchecked(p),
            )
            .map(|o| o.to_string())
            .unwrap()
    };
    let issued = record_time(&graph, "http://purl.org/dc/terms/issued");

    for (accept, parse) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/rdf+xml", RdfFormat::RdfXml),
        // Expanded: oxigraph's parser cannot load citykg's context for the compacted form.
        (
            "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let reply = app.get("/use-cases/nakuru-bins", accept).await;
        let media_type = accept.split(';').next().unwrap_or(accept);
        assert!(
            reply.content_type().starts_with(media_type),
            "{accept}: {}",
            reply.content_type()
        );
        assert_eq!(parse_rdf(parse, &reply.body).len(), graph.len(), "{accept}");
    }

    std::thread::sleep(std::time::Duration::from_millis(20));
    let replaced = send_use_case(
        &app,
        Method::PUT,
        "/use-cases/nakuru-bins",
        Some(&steward),
        None,
        &minimal(
            "Smart bins in Nakuru town",
            "environment",
            "\"2025-01-02\"^^xsd:date",
        ),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let after: Graph = parse_rdf(
        RdfFormat::NTriples,
        &app.get("/use-cases/nakuru-bins", "application/n-triples")
            .await
            .body,
    )
    .iter()
    .map(|q| Triple::from(q.into_owned()))
    .collect();
    assert_eq!(
        record_time(&after, "http://purl.org/dc/terms/issued"),
        issued
    );
    assert_ne!(
        record_time(&after, "http://purl.org/dc/terms/modified"),
        record_time(&graph, "http://purl.org/dc/terms/modified")
    );
    assert_eq!(
        after.len(),
        graph.len(),
        "the old description was replaced, not added to"
    );
    assert_eq!(
        ids(&app, "/use-cases?vertical=public-services&q=nakuru").await,
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&app, "/use-cases?vertical=environment&q=nakuru").await,
        ["nakuru-bins"]
    );

    let gone = send_use_case(
        &app,
        Method::DELETE,
        "/use-cases/nakuru-bins",
        Some(ADMIN),
        None,
        "",
    )
    .await;
    assert_eq!(gone.status, 204);
    app.get("/use-cases/nakuru-bins", "text/turtle")
        .await
        .problem(404);
    send_use_case(
        &app,
        Method::DELETE,
        "/use-cases/nakuru-bins",
        Some(ADMIN),
        None,
        "",
    )
    .await
    .problem(404);
    assert_eq!(
        app.count(&format!(
            "SELECT * WHERE {{ GRAPH <{BASE}graph/catalog> {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{uc}\")) }} }}"
        ))
        .await,
        0
    );
}

#[actix_web::test]
async fn the_id_comes_from_the_slug_or_the_body_and_they_must_agree() {
    let app = spawn_app().await;
    let body = minimal(
        "Smart bins in Nakuru",
        "public-services",
        "\"2025-01-02\"^^xsd:date",
    )
    .replacen(
        "[] a citykg:UseCase ;",
        "[] a citykg:UseCase ; dct:identifier \"from-body\" ;",
        1,
    );
    let created = send_use_case(&app, Method::POST, "/use-cases", Some(ADMIN), None, &body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created.headers.get("location").unwrap(),
        "/use-cases/from-body"
    );
    let clash = send_use_case(
        &app,
        Method::POST,
        "/use-cases",
        Some(ADMIN),
        Some("other"),
        &body,
    )
    .await
    .problem(422);
    assert!(
        clash["detail"].as_str().unwrap().contains("\"from-body\""),
        "{clash}"
    );
    send_use_case(
        &app,
        Method::PUT,
        "/use-cases/Bad_Id",
        Some(ADMIN),
        None,
        &body,
    )
    .await
    .problem(400);
    let wrong_type = app
        .send(
            app.admin(Method::PUT, "/use-cases/x", Some("application/xml")),
            body.clone(),
        )
        .await
        .problem(415);
    assert!(
        wrong_type["detail"]
            .as_str()
            .unwrap()
            .contains("text/turtle")
    );
}

#[actix_web::test]
async fn an_invalid_use_case_gets_a_422_listing_every_problem_with_its_path_and_nothing_is_stored()
{
    let app = spawn_app().await;
    let body = format!(
        "{PREFIXES}
[] a citykg:UseCase ;
  dct:description \"A description that is long enough.\"@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/space-mining> ;
  citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  citykg:usesMapping <mappings/no-such-mapping> ;
  dct:issued \"last spring\" ;
  dct:spatial [ skos:prefLabel \"Nakuru\"@en ; citykg:countryCode \"Kenya\" ] .
"
    );
    let reply = send_use_case(
        &app,
        Method::PUT,
        "/use-cases/broken",
        Some(ADMIN),
        None,
        &body,
    )
    .await;
    let problem = reply.problem(422);
    let errors = problem["errors"].as_array().unwrap();
    let at = |path: &str| -> Vec<&serde_json::Value> {
        errors.iter().filter(|e| e["path"] == path).collect()
    };
    let uc = "http://citykg.test/id/use-case/broken";
    for (path, focus, words) in [
        ("http://purl.org/dc/terms/title", uc, "title"),
        ("https://w3id.org/citykg/ns#vertical", uc, "vertical"),
        ("http://purl.org/dc/terms/issued", uc, "xsd:date"),
        (
            "https://w3id.org/citykg/ns#countryCode",
            &format!("{uc}/place") as &str,
            "country code",
        ),
        (
            "https://w3id.org/citykg/ns#usesMapping",
            uc,
            "not a mapping",
        ),
    ] {
        let found = at(path);
        assert_eq!(found.len(), 1, "{path}: {problem}");
        assert_eq!(found[0]["focus_node"], focus, "{path}");
        assert!(
            found[0]["detail"].as_str().unwrap().contains(words),
            "{path}: {}",
            found[0]
        );
    }
    assert_eq!(errors.len(), 5, "{problem}");
    assert_eq!(
        at("https://w3id.org/citykg/ns#vertical")[0]["value"],
        "https://w3id.org/citykg/vertical/space-mining"
    );
    app.get("/use-cases/broken", "text/turtle")
        .await
        .problem(404);
    assert_eq!(
        app.count(&format!("SELECT * WHERE {{ GRAPH <{BASE}graph/catalog> {{ ?s ?p ?o FILTER(CONTAINS(STR(?s), \"broken\")) }} }}")).await,
        0
    );
    // Not RDF at all: 400 with the parser's location.
    let syntax = send_use_case(
        &app,
        Method::PUT,
        "/use-cases/broken",
        Some(ADMIN),
        None,
        "<a> <b> .",
    )
    .await;
    syntax.problem(400);
    // Statements about other resources are refused, not stored beside the use case.
    let stray = minimal("Smart bins in Nakuru", "water", "\"2025-01-02\"^^xsd:date")
        + "<http://example.org/elsewhere> dct:title \"x\"@en .\n";
    let problem = send_use_case(
        &app,
        Method::PUT,
        "/use-cases/stray",
        Some(ADMIN),
        None,
        &stray,
    )
    .await
    .problem(422);
    assert!(
        problem["errors"][0]["focus_node"]
            .as_str()
            .unwrap()
            .contains("elsewhere"),
        "{problem}"
    );
}

#[actix_web::test]
async fn every_filter_selects_the_expected_shipped_use_cases() {
    let app = spawn_app().await;
    let cases: &[(&str, &[&str])] = &[
        (
            "vertical=water",
            &["dar-es-salaam-water-loss", "kasese-village-solar-water"],
        ),
        (
            "vertical=https%3A%2F%2Fw3id.org%2Fcitykg%2Fvertical%2Fcitiverse",
            &["seoul-citiverse-environment-layer"],
        ),
        ("country=ke", &["kisumu-air-quality"]),
        (
            "country=UG&country=PE",
            &["cusco-highland-farm-weather", "kasese-village-solar-water"],
        ),
        ("sdg=14", &["mekong-shrimp-pond-monitoring"]),
        (
            "sdg=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F17",
            &["sofia-citizen-science-air"],
        ),
        (
            "kpi=EN%3A%20EN%3A%20AQ%3A%201C",
            &[
                "kisumu-air-quality",
                "seoul-citiverse-environment-layer",
                "sofia-citizen-science-air",
            ],
        ),
        ("kpi=EC-I-WS-3C", &["dar-es-salaam-water-loss"]),
        (
            "standard=DATEX%20II",
            &["bogota-traffic-flow", "rotterdam-noise-traffic-twin"],
        ),
        (
            "standard=https%3A%2F%2Fwww.itu.int%2Frec%2FT-REC-Y.4600",
            &[
                "rotterdam-noise-traffic-twin",
                "seoul-citiverse-environment-layer",
            ],
        ),
        ("maturity=retired", &["montevideo-open-sensor-data"]),
        ("maturity=idea", &["seoul-citiverse-environment-layer"]),
        ("q=SHRIMP", &["mekong-shrimp-pond-monitoring"]),
        ("q=heladas", &["cusco-highland-farm-weather"]),
        (
            "vertical=environment&country=BG",
            &["sofia-citizen-science-air"],
        ),
        (
            "vertical=energy&maturity=deployed",
            &[
                "lyon-public-buildings-comfort",
                "porto-public-lighting-energy",
            ],
        ),
        ("vertical=energy&q=nothing-like-this", &[]),
    ];
    for (query, expected) in cases {
        let found = ids(&app, &format!("/use-cases?{query}")).await;
        assert_eq!(found, *expected, "{query}");
    }
}

#[actix_web::test]
async fn pages_cover_the_catalogue_once_with_links_and_a_bounded_size() {
    let app = spawn_app().await;
    let total = shipped_ids().len();
    let mut seen = Vec::new();
    let mut path = "/use-cases?page_size=5".to_owned();
    loop {
        let reply = app.get(&path, "application/json").await;
        let json = reply.json();
        assert_eq!(json["total"], total);
        assert_eq!(json["page_size"], 5);
        assert_eq!(json["last_page"], total.div_ceil(5));
        for item in json["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match json["links"]["next"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        total,
        "no duplicates"
    );
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    let first = app
        .get("/use-cases?page_size=2&vertical=energy", "application/json")
        .await
        .json();
    assert_eq!(first["total"], 3);
    assert_eq!(
        first["links"]["next"],
        "/use-cases?vertical=energy&page=2&page_size=2"
    );
    assert_eq!(
        first["links"]["last"],
        "/use-cases?vertical=energy&page=2&page_size=2"
    );
    assert!(first["links"].get("prev").is_none());
    let beyond = app
        .get("/use-cases?page=99", "application/json")
        .await
        .json();
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
    for bad in ["page_size=0", "page_size=201", "page=abc"] {
        app.get(&format!("/use-cases?{bad}"), "application/json")
            .await
            .problem(400);
    }
}

#[actix_web::test]
async fn a_deleted_shipped_use_case_stays_deleted_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let settings = || {
        let mut settings = Settings::for_tests();
        settings.admin_token = Some(ADMIN.to_owned());
        settings.location = StoreLocation::Disk(dir.path().to_owned());
        settings
    };
    let client = awc::Client::default();
    for round in 0..3 {
        let app = Application::build(settings()).unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let running = actix_web::rt::spawn(app.run_until_stopped());
        let status = |path: &'static str| {
            let client = client.clone();
            let base = base.clone();
            async move {
                client
                    .get(format!("{base}{path}"))
                    .insert_header(("Accept", "text/turtle"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        match round {
            0 => {
                assert_eq!(status("/use-cases/kisumu-air-quality").await, 200);
                let reply = client
                    .delete(format!("{base}/use-cases/kisumu-air-quality"))
                    .insert_header(("Authorization", format!("Bearer {ADMIN}")))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(reply.status().as_u16(), 204);
            }
            _ => {
                assert_eq!(
                    status("/use-cases/kisumu-air-quality").await,
                    404,
                    "round {round}"
                );
                assert_eq!(status("/use-cases/sofia-citizen-science-air").await, 200);
            }
        }
        handle.stop(true).await;
        running.await.unwrap().unwrap();
    }
}

#[actix_web::test]
async fn harvested_use_cases_are_readable_but_refused_to_local_writes() {
    let app = spawn_app().await;
    let update = format!(
        "PREFIX dct: <http://purl.org/dc/terms/>
         PREFIX citykg: <https://w3id.org/citykg/ns#>
         PREFIX foaf: <http://xmlns.com/foaf/0.1/>
         INSERT DATA {{ GRAPH <{BASE}graph/catalog> {{
           <https://other.example.org/id/use-case/remote-x> a citykg:UseCase ;
             dct:identifier \"remote-x\" ; dct:title \"Remote parking\"@en .
           <{BASE}id/harvest/other/record/abc> foaf:primaryTopic <https://other.example.org/id/use-case/remote-x> ;
             citykg:harvestedFrom <https://other.example.org/catalog> ;
             dct:modified \"2025-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
         }} }}"
    );
    assert_eq!(app.update(&update).await.status, 204);
    let read = app.get("/use-cases/remote-x", "text/turtle").await;
    assert_eq!(read.status, 200);
    assert!(read.text().contains("Remote parking"));
    let list = app
        .get("/use-cases?q=remote%20parking", "application/json")
        .await
        .json();
    assert_eq!(
        list["items"][0]["harvested_from"],
        "https://other.example.org/catalog"
    );
    let body = minimal(
        "Local parking",
        "transportation",
        "\"2025-01-02\"^^xsd:date",
    );
    let refused = send_use_case(
        &app,
        Method::PUT,
        "/use-cases/remote-x",
        Some(ADMIN),
        None,
        &body,
    )
    .await
    .problem(409);
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("https://other.example.org/catalog")
    );
    send_use_case(
        &app,
        Method::DELETE,
        "/use-cases/remote-x",
        Some(ADMIN),
        None,
        "",
    )
    .await
    .problem(409);
}

#[actix_web::test]
async fn the_pages_show_the_use_case_with_labels_links_and_its_measurements() {
    let app = spawn_app().await;
    let uc = format!("{BASE}id/use-case/kisumu-air-quality");
    let update = format!(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#>
         PREFIX citykg: <https://w3id.org/citykg/ns#>
         INSERT DATA {{ GRAPH <{BASE}graph/catalog> {{
           <{uc}> dqv:hasQualityMeasurement <{uc}/measurement/openLicence> .
           <{uc}/measurement/openLicence> dqv:isMeasurementOf citykg:openLicence ;
             dqv:value true ; citykg:level <https://w3id.org/citykg/level/3> .
         }} }}"
    );
    assert_eq!(app.update(&update).await.status, 204);
    let page = app.get("/use-cases/kisumu-air-quality", "text/html").await;
    assert_eq!(page.status, 200);
    // Tera escapes `/` in text and attributes as `&#x2F;`; browsers read both the same.
    let html = page.text().replace("&#x2F;", "/");
    for expected in [
        "Neighbourhood air quality in Kisumu",
        "Ubora wa hewa katika mitaa ya Kisumu",
        "Environmental protection",
        "Air Pollution",
        "EN: EN: AQ: 1C",
        "Goal 11: Sustainable cities and communities",
        "Pilot",
        "Kisumu (KE)",
        "County Government of Kisumu, Department of Environment",
        "air@kisumu.example.org",
        "Maseno University",
        "LoRaWAN",
        "<a href=\"/mappings/builtin/ttn-v3\">builtin/ttn-v3</a>",
        "/store?graph=http%3A%2F%2Fcitykg.test%2Fgraph%2Fsource%2Fbuiltin%2Fttn-v3",
        "CC BY 4.0",
        "PM2.5",
        "<td>open licence</td><td>true</td><td>3</td>",
    ] {
        assert!(html.contains(expected), "the page lacks {expected:?}");
    }
    let list = app.get("/use-cases?vertical=water", "text/html").await;
    assert_eq!(list.status, 200);
    let html = list.text().replace("&#x2F;", "/");
    assert!(html.contains("<form method=\"get\" action=\"/use-cases\">"));
    assert!(html.contains("<option value=\"water\" selected>"));
    assert!(html.contains("href=\"/use-cases/dar-es-salaam-water-loss\""));
    assert!(!html.contains("kisumu-air-quality"));
    app.get("/use-cases/no-such-case", "text/html")
        .await
        .problem(404);
}
