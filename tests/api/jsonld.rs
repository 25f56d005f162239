//! JSON-LD everywhere: `/ns/context.jsonld`, `/id/{path}` in every format and JSON-LD profile,
//! `/def/{term}` as JSON-LD, and pyld (a third-party processor) reading what citykg writes
//! (tests/clients/jsonld_pyld.py; `CITYKG_PYTHON` picks the interpreter).

use crate::helpers::{TestApp, parse_rdf, run_python_client, spawn_app, spawn_with};
use oxigraph::io::RdfFormat;
use oxigraph::model::Dataset;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use serde_json::{Value, json};

const UC: &str = "http://citykg.test/id/use-case/demo";
const CONTEXT: &str = "http://citykg.test/ns/context.jsonld";
const NS: &str = "http://www.w3.org/ns/json-ld#";

/// A use case as the catalogue writes it (trimmed), its place and one measurement as linked
/// sub-resources, a blank-node stakeholder, one triple about it in another graph, and
/// unrelated data that must stay out of its description.
const DATA: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dqv: <http://www.w3.org/ns/dqv#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix citykg: <https://w3id.org/citykg/ns#> .
<http://citykg.test/id/use-case/demo> a dcat:Dataset, citykg:UseCase ;
  dct:identifier "demo" ;
  dct:title "Air quality"@en, "Qualité de l'air"@fr ;
  citykg:vertical <https://w3id.org/citykg/vertical/environment> ;
  dct:spatial <http://citykg.test/id/use-case/demo/place> ;
  dct:issued "2024-03-01"^^xsd:date ;
  dct:modified "2025-06-10T08:00:00Z"^^xsd:dateTime ;
  dcat:keyword "air quality"@en ;
  citykg:stakeholder [ a foaf:Agent ; foaf:name "City of Kisumu" ] ;
  dqv:hasQualityMeasurement <http://citykg.test/id/use-case/demo/measurement/unitCoverage> .
<http://citykg.test/id/use-case/demo/place> a dct:Location ;
  skos:prefLabel "Kisumu"@en ; citykg:countryCode "KE" ;
  dcat:centroid "POINT(34.76 -0.09)"^^geo:wktLiteral .
<http://citykg.test/id/use-case/demo/measurement/unitCoverage> a dqv:QualityMeasurement ;
  dqv:value "0.93"^^xsd:decimal .
<http://citykg.test/id/use-case/other> dct:title "Other"@en .
"#;

/// Triples in the description: 11 of the use case (2 types, 2 titles), 4 + 1 of the place
/// (with its type), 2 of the stakeholder, 2 of the measurement, 1 from the other graph.
const DESCRIPTION_TRIPLES: usize = 21;

async fn app_with_data() -> TestApp {
    let app = spawn_app().await;
    // Replaces the catalogue a fresh instance ships (204), so the description is only DATA's.
    let reply = app
        .put_graph("http://citykg.test/graph/catalog", DATA)
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let other = format!("<{UC}> <http://www.w3.org/2000/01/rdf-schema#label> \"demo\" .");
    assert_eq!(
        app.put_graph("http://citykg.test/graph/other", &other)
            .await
            .status,
        201
    );
    app
}

fn canonical(mut dataset: Dataset) -> Dataset {
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

fn json_ld_accept(profile: &str) -> String {
    format!("application/ld+json;profile=\"{NS}{profile}\"")
}

/// The RDF a JSON-LD reply reads as, through citykg's own toRdf.
fn json_ld_rdf(body: &[u8]) -> Dataset {
    let base = citykg::core::config::BaseIri::parse("http://citykg.test/").unwrap();
    let text = std::str::from_utf8(body).unwrap();
    citykg::standards::jsonld::to_rdf(text, &base)
        .unwrap()
        .into_iter()
        .collect()
}

#[actix_web::test]
async fn the_context_is_served_with_cache_headers() {
    let app = spawn_with(|s| s.private = true).await;
    // Public even on a private server: it is vocabulary, not data.
    let reply = app.get("/ns/context.jsonld", "*/*").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "application/ld+json");
    assert_eq!(
        reply.headers.get("cache-control").unwrap(),
        "public, max-age=86400"
    );
    let etag = reply
        .headers
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let context = &reply.json()["@context"];
    assert_eq!(context["sosa"], "http://www.w3.org/ns/sosa/");
    assert_eq!(context["geo"], "http://www.opengis.net/ont/geosparql#");
    assert_eq!(context["hydra"], "http://www.w3.org/ns/hydra/core#");
    assert_eq!(context["cprop"], "https://w3id.org/citykg/property/");
    assert_eq!(
        context["madeBySensor"],
        json!({ "@id": "sosa:madeBySensor", "@type": "@id" })
    );
    assert_eq!(
        context["modified"],
        json!({ "@id": "dct:modified", "@type": "xsd:dateTime" })
    );
    let again = app
        .send(
            app.client
                .get(app.url("/ns/context.jsonld"))
                .insert_header(("If-None-Match", etag.as_str())),
            "",
        )
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

#[actix_web::test]
async fn a_resource_is_described_in_every_rdf_format() {
    let app = app_with_data().await;
    let turtle = app.get("/id/use-case/demo", "text/turtle").await;
    assert_eq!(turtle.status, 200, "{}", turtle.text());
    assert_eq!(turtle.content_type(), "text/turtle");
    let expected = canonical(parse_rdf(RdfFormat::Turtle, &turtle.body));
    assert_eq!(expected.len(), DESCRIPTION_TRIPLES, "{}", turtle.text());
    let text = turtle.text();
    assert!(
        text.contains("Kisumu"),
        "the linked place is included: {text}"
    );
    assert!(
        text.contains("City of Kisumu"),
        "the blank node closure: {text}"
    );
    assert!(
        !text.contains("Other"),
        "unrelated resources stay out: {text}"
    );
    for (accept, format) in [
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let reply = app.get("/id/use-case/demo", accept).await;
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        assert_eq!(reply.content_type(), accept);
        assert_eq!(
            canonical(parse_rdf(format, &reply.body)),
            expected,
            "{accept}"
        );
    }
    // Every JSON-LD profile is the same RDF.
    for profile in ["compacted", "expanded", "flattened"] {
        let reply = app.get("/id/use-case/demo", &json_ld_accept(profile)).await;
        assert_eq!(reply.status, 200, "{profile}: {}", reply.text());
        assert_eq!(
            reply.headers.get("content-type").unwrap().to_str().unwrap(),
            format!("application/ld+json; profile=\"{NS}{profile}\"")
        );
        assert_eq!(
            canonical(json_ld_rdf(&reply.body)),
            expected,
            "{profile}: {}",
            reply.text()
        );
    }
}

fn node<'a>(document: &'a Value, id: &str) -> &'a Value {
    let nodes = document["@graph"].as_array().expect("a @graph");
    nodes
        .iter()
        .find(|n| n["@id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {document}"))
}

#[actix_web::test]
async fn json_ld_is_compacted_with_the_citykg_context_by_default() {
    let app = app_with_data().await;
    let reply = app.get("/id/use-case/demo", "application/ld+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.headers.get("content-type").unwrap(),
        "application/ld+json; profile=\"http://www.w3.org/ns/json-ld#compacted\""
    );
    let document = reply.json();
    assert_eq!(document["@context"], CONTEXT);
    let uc = node(&document, UC);
    assert_eq!(uc["@type"], json!(["Dataset", "UseCase"]));
    assert_eq!(uc["identifier"], "demo");
    assert_eq!(uc["issued"], "2024-03-01", "dates use the term's datatype");
    assert_eq!(uc["modified"], "2025-06-10T08:00:00Z");
    assert_eq!(
        uc["spatial"],
        format!("{UC}/place"),
        "object properties are @id"
    );
    assert_eq!(
        uc["vertical"],
        "https://w3id.org/citykg/vertical/environment"
    );
    assert_eq!(uc["label"], "demo", "a triple from another graph");
    let mut titles: Vec<Value> = uc["title"].as_array().unwrap().clone();
    titles.sort_by_key(|t| t["@language"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        titles,
        [
            json!({ "@language": "en", "@value": "Air quality" }),
            json!({ "@language": "fr", "@value": "Qualité de l'air" }),
        ]
    );
    // The blank-node stakeholder is nested where it is used.
    assert_eq!(
        uc["stakeholder"],
        json!({ "@type": "Agent", "name": "City of Kisumu" })
    );
    let place = node(&document, &format!("{UC}/place"));
    assert_eq!(place["countryCode"], "KE");
    assert_eq!(place["centroid"], "POINT(34.76 -0.09)");
    let measurement = node(&document, &format!("{UC}/measurement/unitCoverage"));
    assert_eq!(
        measurement["value"],
        json!({ "@type": "xsd:decimal", "@value": "0.93" })
    );
    // application/json gets the same compacted document.
    let plain = app.get("/id/use-case/demo", "application/json").await;
    assert_eq!(plain.json(), document);
    // A profile citykg does not write (framed) falls back to compacted, and says so.
    let framed = app
        .get("/id/use-case/demo", &json_ld_accept("framed"))
        .await;
    assert!(
        framed.content_type().starts_with("application/ld+json"),
        "{}",
        framed.content_type()
    );
    assert_eq!(framed.json(), document);
}

#[actix_web::test]
async fn expanded_and_flattened_profiles_have_their_shape() {
    let app = app_with_data().await;
    let expanded = app
        .get("/id/use-case/demo", &json_ld_accept("expanded"))
        .await
        .json();
    let nodes = expanded.as_array().expect("expanded JSON-LD is an array");
    let uc = nodes.iter().find(|n| n["@id"] == UC).unwrap();
    assert_eq!(
        uc["http://purl.org/dc/terms/issued"],
        json!([{ "@type": "http://www.w3.org/2001/XMLSchema#date", "@value": "2024-03-01" }])
    );
    let flattened = app
        .get("/id/use-case/demo", &json_ld_accept("flattened"))
        .await
        .json();
    assert_eq!(flattened["@context"], CONTEXT);
    let nodes = flattened["@graph"].as_array().unwrap();
    // Flat: the stakeholder is its own node, referred to by a blank node identifier.
    let uc = nodes.iter().find(|n| n["@id"] == UC).unwrap();
    // `stakeholder` is an `@id`-typed term: the reference compacts to a string.
    let stakeholder = uc["stakeholder"].as_str().unwrap();
    assert!(stakeholder.starts_with("_:"), "{flattened}");
    let agent = nodes.iter().find(|n| n["@id"] == stakeholder).unwrap();
    assert_eq!(agent["name"], "City of Kisumu");
    assert_eq!(nodes.len(), 4, "{flattened}");
}

#[actix_web::test]
async fn a_resource_page_links_its_parts_without_javascript() {
    let app = app_with_data().await;
    let reply = app
        .get("/id/use-case/demo", "text/html,application/xhtml+xml")
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type().starts_with("text/html"));
    // Tera escapes `/` and `'` in text.
    let html = reply.text().replace("&#x2F;", "/").replace("&#x27;", "'");
    assert!(html.contains(&format!("<h1>{UC}</h1>")), "{html}");
    assert!(html.contains("dcterms:title"), "{html}");
    assert!(html.contains("Qualité de l'air"), "{html}");
    assert!(html.contains("<span class=\"muted\">@fr</span>"), "{html}");
    // The place is described on the page: its link goes to its section.
    assert!(
        html.contains("<h2>http://citykg.test/id/use-case/demo/place</h2>"),
        "{html}"
    );
    assert!(html.contains("href=\"#r-"), "{html}");
    assert!(
        html.contains("href=\"https://w3id.org/citykg/vertical/environment\""),
        "{html}"
    );
    assert!(!html.contains("<script"), "no JavaScript");
}

#[actix_web::test]
async fn unknown_resources_are_404_problems() {
    let app = app_with_data().await;
    for accept in ["text/turtle", "application/ld+json", "text/html"] {
        let reply = app.get("/id/use-case/nothing-here", accept).await;
        let problem = reply.problem(404);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("http://citykg.test/id/use-case/nothing-here"),
            "{problem}"
        );
    }
    let reply = app.get("/id/use-case/demo", "text/csv").await;
    reply.problem(406);
    let private = spawn_with(|s| s.private = true).await;
    private
        .get("/id/use-case/demo", "text/turtle")
        .await
        .problem(401);
}

#[actix_web::test]
async fn ontology_terms_answer_json_ld_too() {
    let app = spawn_app().await;
    let reply = app.get("/def/UseCase", "application/ld+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let document = reply.json();
    assert_eq!(document["@context"], CONTEXT);
    assert_eq!(document["@id"], "citykg:UseCase", "{document}");
    let expanded = app.get("/def/UseCase", &json_ld_accept("expanded")).await;
    assert_eq!(expanded.status, 200);
    assert_eq!(
        expanded.json()[0]["@id"],
        "https://w3id.org/citykg/ns#UseCase"
    );
}

#[actix_web::test]
async fn pyld_reads_citykg_json_ld_as_the_same_rdf_as_turtle() {
    let app = app_with_data().await;
    run_python_client(
        "jsonld_pyld.py",
        [
            app.address.as_str(),
            "http://citykg.test/",
            "/id/use-case/demo",
            "/id/use-case/demo/place",
        ]
        .map(str::to_owned)
        .to_vec(),
        "all JSON-LD client checks passed",
    )
    .await;
}
