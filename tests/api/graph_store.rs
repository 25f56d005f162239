//! SPARQL 1.1 Graph Store HTTP Protocol.

use crate::helpers::{form, parse_rdf, spawn_app};
use awc::http::Method;
use oxigraph::io::RdfFormat;

const G: &str = "http://example.com/people";

#[actix_web::test]
async fn put_get_head_post_delete_follow_the_protocol() {
    let app = spawn_app().await;
    let path = format!("/store?{}", form(&[("graph", G)]));
    assert_eq!(
        app.put_graph(
            G,
            "<http://example.com/jane> <http://example.com/name> \"Jane\" ."
        )
        .await
        .status,
        201
    );
    assert_eq!(
        app.put_graph(
            G,
            "<http://example.com/john> <http://example.com/name> \"John\" ."
        )
        .await
        .status,
        204
    );
    let got = app.get(&path, "text/turtle").await;
    assert_eq!(got.status, 200);
    assert!(got.content_type().starts_with("text/turtle"));
    let graph = parse_rdf(RdfFormat::Turtle, &got.body);
    assert_eq!(graph.len(), 1, "PUT replaced the graph");
    assert!(got.text().contains("John"));

    let head = app.send(app.client.head(app.url(&path)), "").await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    let post = app
        .send(
            app.admin(Method::POST, &path, Some("application/n-triples")),
            "<http://example.com/jane> <http://example.com/name> \"Jane\" .\n",
        )
        .await;
    assert_eq!(post.status, 204, "{}", post.text());
    assert_eq!(
        parse_rdf(
            RdfFormat::NTriples,
            &app.get(&path, "application/n-triples").await.body
        )
        .len(),
        2,
        "POST merged"
    );

    let delete = app.send(app.admin(Method::DELETE, &path, None), "").await;
    assert_eq!(delete.status, 204);
    app.get(&path, "text/turtle").await.problem(404);
    let head_missing = app.send(app.client.head(app.url(&path)), "").await;
    assert_eq!(head_missing.status, 404);
    app.send(app.admin(Method::DELETE, &path, None), "")
        .await
        .problem(404);
}

#[actix_web::test]
async fn a_body_with_a_syntax_error_changes_nothing() {
    let app = spawn_app().await;
    app.put_graph(
        G,
        "<http://example.com/jane> <http://example.com/name> \"Jane\" .",
    )
    .await;
    let broken = "<http://example.com/a> <http://example.com/b> <http://example.com/c> .\n<http://example.com/d> <http://example.com/e> .\n";
    let problem = app.put_graph(G, broken).await.problem(400);
    assert_eq!(problem["errors"][0]["line"], 2, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("nothing was changed")
    );
    let dataset = app
        .send(
            app.admin(Method::POST, "/store", Some("application/n-quads")),
            "<http://example.com/x> <http://example.com/y> <http://example.com/z> <http://example.com/g9> .\nbroken",
        )
        .await;
    dataset.problem(400);
    let after = app
        .get(
            &format!("/store?{}", form(&[("graph", G)])),
            "application/n-triples",
        )
        .await;
    assert!(after.text().contains("Jane"), "the old graph is intact");
    assert_eq!(
        app.count("SELECT * WHERE { GRAPH <http://example.com/g9> { ?s ?p ?o } }")
            .await,
        0
    );
}

#[actix_web::test]
async fn datasets_load_and_dump_with_their_graphs() {
    let app = spawn_app().await;
    let nquads = "<http://example.com/a> <http://example.com/p> \"1\" <http://example.com/g1> .\n<http://example.com/b> <http://example.com/p> \"2\" <http://example.com/g2> .\n";
    let post = app
        .send(
            app.admin(Method::POST, "/store", Some("application/n-quads")),
            nquads,
        )
        .await;
    assert_eq!(post.status, 204, "{}", post.text());
    let dump = app.get("/store", "application/n-quads").await;
    assert_eq!(dump.status, 200);
    let dataset = parse_rdf(RdfFormat::NQuads, &dump.body);
    assert!(
        dataset
            .iter()
            .any(|q| q.graph_name.to_string() == "<http://example.com/g1>")
    );
    assert!(
        dataset
            .iter()
            .any(|q| q.graph_name.to_string() == "<http://example.com/g2>")
    );
    let trig = app.get("/store", "application/trig").await;
    assert_eq!(parse_rdf(RdfFormat::TriG, &trig.body).len(), dataset.len());
    app.get("/store", "text/turtle").await.problem(406);
}

#[actix_web::test]
async fn posting_a_graph_to_the_endpoint_creates_a_new_graph() {
    let app = spawn_app().await;
    let created = app
        .send(
            app.admin(Method::POST, "/store", Some("text/turtle")),
            "<http://example.com/a> <http://example.com/p> 1 .",
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let location = created
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        location.starts_with("http://citykg.test/graph/store/"),
        "{location}"
    );
    let got = app
        .get(
            &format!("/store?{}", form(&[("graph", &location)])),
            "text/turtle",
        )
        .await;
    assert_eq!(parse_rdf(RdfFormat::Turtle, &got.body).len(), 1);
}

#[actix_web::test]
async fn the_default_graph_is_addressed_with_default() {
    let app = spawn_app().await;
    let put = app
        .send(
            app.admin(Method::PUT, "/store?default", Some("text/turtle")),
            "<http://example.com/a> <http://example.com/p> 1 .",
        )
        .await;
    assert!(put.status.is_success(), "{}", put.text());
    let got = app.get("/store?default", "application/n-triples").await;
    assert_eq!(parse_rdf(RdfFormat::NTriples, &got.body).len(), 1);
    app.get("/store?default&graph=http://example.com/x", "*/*")
        .await
        .problem(400);
    let unsupported = app
        .send(
            app.admin(Method::PUT, "/store?default", Some("text/csv")),
            "a,b",
        )
        .await;
    unsupported.problem(415);
}

#[actix_web::test]
async fn bodies_cannot_make_the_server_fetch_or_expand_entities() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = spawn_app().await;
    let put = |content_type: &'static str, body: String| {
        app.send(
            app.admin(Method::PUT, "/store?default", Some(content_type)),
            body,
        )
    };
    let remote_context = format!(
        r#"{{"@context": "http://127.0.0.1:{port}/context.jsonld", "@id": "http://example.com/a", "name": "x"}}"#
    );
    put("application/ld+json", remote_context)
        .await
        .problem(400);
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "no request for the remote context"
    );
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY a "lol"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.com/a"><rdf:value>&b;</rdf:value></rdf:Description></rdf:RDF>"#;
    let problem = put("application/rdf+xml", laughs.to_owned())
        .await
        .problem(400);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/xml-entities"
    );
}
