//! `POST /shacl`: posted or stored data against posted or shipped shapes.

use std::time::Instant;

use crate::helpers::{parse_rdf, spawn_app};
use oxigraph::io::RdfFormat;

const PREFIXES: &str = "@prefix sosa: <http://www.w3.org/ns/sosa/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <http://example.org/> .\n";

fn observation(i: usize, with_time: bool) -> String {
    let time = if with_time {
        format!(
            " ; sosa:resultTime \"2025-03-03T00:{:02}:00Z\"^^xsd:dateTime",
            i % 60
        )
    } else {
        String::new()
    };
    format!(
        "ex:obs{i} a sosa:Observation ; sosa:madeBySensor ex:s{} ; sosa:observedProperty ex:pm25 ; sosa:hasFeatureOfInterest ex:d1 ; sosa:hasSimpleResult \"{i}.5\"^^xsd:double{time} .\n",
        i % 10
    )
}

async fn post(
    app: &crate::helpers::TestApp,
    query: &str,
    content_type: &str,
    accept: &str,
    body: &str,
) -> crate::helpers::Reply {
    let request = app
        .client
        .post(app.url(&format!("/shacl{query}")))
        .insert_header(("Authorization", format!("Bearer {}", crate::helpers::ADMIN)))
        .insert_header(("Content-Type", content_type))
        .insert_header(("Accept", accept));
    app.send(request, body.as_bytes().to_vec()).await
}

#[actix_web::test]
async fn posted_data_against_shipped_shapes_gives_a_standard_report_or_a_summary() {
    let app = spawn_app().await;
    let data = format!(
        "{PREFIXES}{}{}",
        observation(1, true),
        observation(2, false)
    );
    let report = post(
        &app,
        "?shapes=observation",
        "text/turtle",
        "text/turtle",
        &data,
    )
    .await;
    assert_eq!(report.status, 200, "{}", report.text());
    assert!(report.content_type().starts_with("text/turtle"));
    let graph = parse_rdf(RdfFormat::Turtle, &report.body);
    let text = report.text();
    assert!(
        text.contains("ValidationReport") && text.contains("false"),
        "{text}"
    );
    assert!(
        text.contains("MinCountConstraintComponent") && text.contains("http://example.org/obs2"),
        "{text}"
    );
    assert!(!graph.is_empty());
    let summary = post(
        &app,
        "?shapes=observation",
        "text/turtle",
        "application/json",
        &data,
    )
    .await
    .json();
    assert_eq!(summary["conforms"], false);
    assert_eq!(
        summary["by_component"]["MinCountConstraintComponent"], 1,
        "{summary}"
    );
    let jsonld = post(
        &app,
        "?shapes=observation",
        "text/turtle",
        "application/ld+json",
        &data,
    )
    .await;
    assert!(jsonld.content_type().starts_with("application/ld+json"));
    parse_rdf(
        RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        &jsonld.body,
    );
}

#[actix_web::test]
async fn a_stored_graph_or_the_dataset_against_posted_shapes() {
    let app = spawn_app().await;
    let good = format!("{PREFIXES}{}", observation(1, true));
    assert!(
        app.put_graph("http://example.org/g", &good)
            .await
            .status
            .is_success()
    );
    let stored = post(
        &app,
        "?graph=http%3A%2F%2Fexample.org%2Fg&shapes=observation,sensor",
        "text/turtle",
        "application/json",
        "",
    )
    .await;
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(stored.json()["conforms"], true, "{}", stored.text());
    let anonymous = app
        .client
        .post(app.url("/shacl?graph=http%3A%2F%2Fexample.org%2Fg&shapes=observation"))
        .insert_header(("Content-Type", "text/turtle"));
    assert_eq!(
        app.send(anonymous, Vec::new()).await.status,
        401,
        "validating the store needs a steward"
    );
    let shapes = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\nex:S a sh:NodeShape ; sh:targetNode ex:obs1 ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .";
    let dataset = post(&app, "", "text/turtle", "application/json", shapes)
        .await
        .json();
    assert_eq!(dataset["conforms"], false, "{dataset}");
    assert_eq!(dataset["results"], 1);
    let boundary = "XyZ";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"shapes\"\r\nContent-Type: text/turtle\r\n\r\n{shapes}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: text/turtle\r\n\r\n{PREFIXES}ex:obs1 <http://example.org/label> \"x\" .\r\n--{boundary}--\r\n"
    );
    let both = post(
        &app,
        "",
        &format!("multipart/form-data; boundary={boundary}"),
        "application/json",
        &multipart,
    )
    .await;
    assert_eq!(both.json()["conforms"], true, "{}", both.text());
}

#[actix_web::test]
async fn bad_shapes_are_400_problems_that_say_where() {
    let app = spawn_app().await;
    let syntax = post(
        &app,
        "",
        "text/turtle",
        "text/turtle",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a:s> a sh:NodeShape ;\n  sh:minCount .\n",
    )
    .await;
    let problem = syntax.problem(400);
    assert_eq!(problem["errors"][0]["line"], 3, "{problem}");
    let invalid = post(&app, "", "text/turtle", "text/turtle", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a:s> a sh:NodeShape ; sh:targetNode <a:x> ; sh:property [ sh:path <a:p> ; sh:minCount \"many\" ] .\n").await;
    let problem = invalid.problem(400);
    assert!(
        problem["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("minCount"),
        "{problem}"
    );
    let unknown = post(&app, "?shapes=nope", "text/turtle", "text/turtle", "")
        .await
        .problem(400);
    assert!(
        unknown["detail"].as_str().unwrap().contains("observation"),
        "{unknown}"
    );
    let none = post(&app, "", "text/turtle", "text/turtle", "")
        .await
        .problem(400);
    assert!(
        none["detail"].as_str().unwrap().contains("?shapes="),
        "{none}"
    );
}

#[actix_web::test]
async fn a_100k_triple_graph_validates_well_within_the_time_limit() {
    let app = spawn_app().await;
    // 12,500 observations x 8 triples = 100,000 triples, one in 50 without a result time.
    let mut data = String::from(PREFIXES);
    for i in 0..12_500 {
        data.push_str(&observation(i, i % 50 != 0));
    }
    assert!(
        app.put_graph("http://example.org/big", &data)
            .await
            .status
            .is_success()
    );
    let started = Instant::now();
    let reply = post(
        &app,
        "?graph=http%3A%2F%2Fexample.org%2Fbig&shapes=observation",
        "text/turtle",
        "application/json",
        "",
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let summary = reply.json();
    assert_eq!(
        summary["by_component"]["MinCountConstraintComponent"], 250,
        "{summary}"
    );
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "SHACL: 100,000 stored triples against the observation shapes in {:.2} s\n",
            elapsed.as_secs_f64()
        )
        .as_bytes(),
    );
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}
