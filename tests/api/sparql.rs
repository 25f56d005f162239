//! SPARQL 1.1 Protocol: query forms, content negotiation, datasets, description, errors.

use crate::helpers::{form, parse_rdf, spawn_app, spawn_with};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};

const DATA: &str = "@prefix ex: <http://example.com/> . ex:s1 ex:p 1 . ex:s2 ex:p 2 .";
const SELECT: &str = "SELECT ?s WHERE { ?s <http://example.com/p> ?o } ORDER BY ?s";

#[actix_web::test]
async fn get_form_post_and_direct_post_give_the_same_answer() {
    let app = spawn_app().await;
    app.put_graph("http://example.com/g", DATA).await;
    let accept = "application/sparql-results+json";
    let by_get = app.query(SELECT, accept).await;
    let by_form = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                .insert_header(("Accept", accept)),
            form(&[("query", SELECT)]),
        )
        .await;
    let direct = app
        .send(
            app.client
                .post(app.url("/sparql"))
                .insert_header(("Content-Type", "application/sparql-query"))
                .insert_header(("Accept", accept)),
            SELECT,
        )
        .await;
    for reply in [&by_get, &by_form, &direct] {
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            reply.json()["results"]["bindings"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
    assert_eq!(by_get.body, by_form.body);
    assert_eq!(by_get.body, direct.body);
}

#[actix_web::test]
async fn select_results_come_in_json_xml_csv_and_tsv() {
    let app = spawn_app().await;
    app.put_graph("http://example.com/g", DATA).await;
    let cases = [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", "text/csv", "s\r\nhttp://example.com/s1"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?s\n<http://example.com/s1>",
        ),
        ("*/*", "application/sparql-results+json", "\"bindings\""),
    ];
    for (accept, content_type, marker) in cases {
        let reply = app.query(SELECT, accept).await;
        assert_eq!(reply.status, 200, "{accept}");
        assert!(
            reply.content_type().starts_with(content_type),
            "{accept} -> {}",
            reply.content_type()
        );
        assert!(reply.text().contains(marker), "{accept}: {}", reply.text());
    }
    let ask = app
        .query("ASK { ?s ?p 2 }", "application/sparql-results+json")
        .await;
    assert_eq!(ask.json()["boolean"], true);
}

#[actix_web::test]
async fn construct_and_describe_come_in_every_rdf_format() {
    let app = spawn_app().await;
    app.put_graph("http://example.com/g", DATA).await;
    let construct =
        "CONSTRUCT { ?s <http://example.com/p> ?o } WHERE { ?s <http://example.com/p> ?o }";
    let formats = [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/n-quads", RdfFormat::NQuads),
        ("application/trig", RdfFormat::TriG),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        ),
    ];
    for (accept, format) in formats {
        let reply = app.query(construct, accept).await;
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        assert!(
            reply.content_type().starts_with(accept),
            "{accept} -> {}",
            reply.content_type()
        );
        assert_eq!(parse_rdf(format, &reply.body).len(), 2, "{accept}");
    }
    let describe = app
        .query("DESCRIBE <http://example.com/s1>", "text/turtle")
        .await;
    assert_eq!(parse_rdf(RdfFormat::Turtle, &describe.body).len(), 1);
    let refused = app
        .query(construct, "application/sparql-results+json")
        .await;
    refused.problem(406);
}

#[actix_web::test]
async fn the_default_graph_is_the_union_and_protocol_parameters_narrow_it() {
    let app = spawn_app().await;
    app.two_graphs().await;
    let q = "SELECT * WHERE { ?s <http://example.com/p> ?o }";
    assert_eq!(app.count(q).await, 2, "union of both graphs");
    let path = format!(
        "/query?{}",
        form(&[("query", q), ("default-graph-uri", "http://example.com/g1")])
    );
    let one = app.get(&path, "application/sparql-results+json").await;
    assert_eq!(
        one.json()["results"]["bindings"].as_array().unwrap().len(),
        1
    );
    let named = "SELECT ?g WHERE { GRAPH ?g { ?s <http://example.com/p> ?o } }";
    let path = format!(
        "/query?{}",
        form(&[
            ("query", named),
            ("named-graph-uri", "http://example.com/g2")
        ])
    );
    let reply = app.get(&path, "application/sparql-results+json").await;
    let bindings = reply.json()["results"]["bindings"].clone();
    assert_eq!(bindings.as_array().unwrap().len(), 1);
    assert_eq!(bindings[0]["g"]["value"], "http://example.com/g2");
    let bad = format!(
        "/query?{}",
        form(&[("query", q), ("default-graph-uri", "not an iri")])
    );
    app.get(&bad, "*/*").await.problem(400);
}

#[actix_web::test]
async fn the_shipped_ontologies_are_loaded_into_their_graphs() {
    let app = spawn_app().await;
    let q = "ASK { GRAPH <http://citykg.test/graph/ontology/sosa> { <http://www.w3.org/ns/sosa/Observation> a ?t } }";
    assert_eq!(
        app.query(q, "application/sparql-results+json").await.json()["boolean"],
        true
    );
}

#[actix_web::test]
async fn the_service_description_answers_a_get_without_query() {
    let app = spawn_app().await;
    let turtle = app.get("/query", "text/turtle").await;
    assert_eq!(turtle.status, 200);
    let graph = parse_rdf(RdfFormat::Turtle, &turtle.body);
    let mut endpoints: Vec<String> = graph
        .iter()
        .filter(|q| {
            q.predicate.as_str() == "http://www.w3.org/ns/sparql-service-description#endpoint"
        })
        .map(|q| q.object.to_string())
        .collect();
    endpoints.sort();
    assert_eq!(
        endpoints,
        ["<http://citykg.test/query>", "<http://citykg.test/update>"]
    );
    let jsonld = app.get("/sparql", "application/ld+json").await;
    assert_eq!(jsonld.status, 200);
    assert!(
        !parse_rdf(
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty()
            },
            &jsonld.body
        )
        .is_empty()
    );
}

#[actix_web::test]
async fn syntax_errors_are_problems_with_line_and_column() {
    let app = spawn_app().await;
    let reply = app
        .query(
            "SELECT * WHERE {\n  ?s ?p\n}",
            "application/sparql-results+json",
        )
        .await;
    let problem = reply.problem(400);
    assert_eq!(problem["errors"][0]["line"], 3);
    assert!(problem["detail"].as_str().unwrap().contains("line 3"));
    let form_without_query = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "application/x-www-form-urlencoded")),
            "nothing=here",
        )
        .await;
    form_without_query.problem(400);
    let wrong_type = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "text/plain")),
            "ASK {}",
        )
        .await;
    wrong_type.problem(415);
    let wrong_method = app.send(app.client.put(app.url("/query")), "").await;
    wrong_method.problem(405);
    let twice = app
        .get(
            &format!(
                "/query?{}",
                form(&[("query", "ASK {}"), ("query", "ASK {}")])
            ),
            "*/*",
        )
        .await;
    twice.problem(400);
}

#[actix_web::test]
async fn service_calls_off_the_allow_list_are_refused_without_a_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = spawn_app().await;
    let q = format!("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}");
    let problem = app
        .query(&q, "application/sparql-results+json")
        .await
        .problem(403);
    assert!(
        problem["detail"].as_str().unwrap().contains("allow-list"),
        "{problem}"
    );
    let silent =
        format!("SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}");
    app.query(&silent, "*/*").await.problem(403);
    app.query("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", "*/*")
        .await
        .problem(403);
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "no connection was attempted"
    );
}

#[actix_web::test]
async fn service_calls_to_allow_listed_hosts_are_attempted() {
    // The allow-listed endpoint accepts the connection and hangs up: the call was made, and
    // SILENT turns its failure into an empty answer.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::thread::spawn(move || listener.accept().map(|_| ()).is_ok());
    let app = spawn_with(|s| {
        s.allow_list = citykg::core::config::AllowList::new(["127.0.0.1".to_owned()]);
    })
    .await;
    let q = format!(
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    );
    let reply = app.query(&q, "application/sparql-results+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        accepted.join().unwrap(),
        "the allow-listed endpoint was called"
    );
}

#[actix_web::test]
async fn large_results_stream_in_chunks() {
    let app = spawn_app().await;
    let mut turtle = String::new();
    for i in 0..20_000 {
        turtle.push_str(&format!(
            "<http://example.com/s{i}> <http://example.com/p> \"value number {i}\" .\n"
        ));
    }
    assert_eq!(
        app.put_graph("http://example.com/big", &turtle)
            .await
            .status,
        201
    );
    let response = app
        .client
        .get(app.url(&format!(
            "/query?{}",
            form(&[("query", "SELECT * WHERE { ?s <http://example.com/p> ?o }")])
        )))
        .insert_header(("Accept", "text/csv"))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers().get("content-length").is_none(),
        "a streamed body has no Content-Length"
    );
    assert_eq!(
        response.headers().get("transfer-encoding").unwrap(),
        "chunked"
    );
    let mut response = response;
    let body = response.body().limit(64 << 20).await.unwrap();
    assert_eq!(body.iter().filter(|b| **b == b'\n').count(), 20_001);
}
