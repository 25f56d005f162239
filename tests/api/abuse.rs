//! Hostile and careless requests against the real service: each answers with a problem, the
//! server stays up and keeps answering, and nothing is stored or lost. One test per finding of
//! the security review (issue 16), each of which failed before its fix.

use crate::helpers::{TestApp, form, spawn_app};
use awc::http::Method;

/// The server still answers a cheap request.
async fn assert_alive(app: &TestApp) {
    let reply = app.get("/health", "application/json").await;
    assert_eq!(reply.status, 200, "the server stopped answering");
}

fn nested_filter(levels: usize) -> String {
    format!(
        "ASK {{ FILTER({}1{}) }}",
        "(".repeat(levels),
        ")".repeat(levels)
    )
}

#[actix_web::test]
async fn deeply_nested_queries_and_updates_are_refused_not_fatal() {
    let app = spawn_app().await;
    // About 2 KB; before the fix this overflowed the worker's stack and aborted the process.
    let deep = nested_filter(1000);
    let problem = app
        .query(&deep, "application/sparql-results+json")
        .await
        .problem(400);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/sparql-too-deep"
    );
    assert_eq!(problem["errors"][0]["line"], 1);
    assert!(problem["errors"][0]["column"].as_u64().unwrap() > 13);
    let by_post = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "application/sparql-query")),
            deep.clone(),
        )
        .await;
    by_post.problem(400);
    let update = format!(
        "INSERT {{ <http://example.com/s> <http://example.com/p> 1 }} WHERE {{ FILTER({}1{}) }}",
        "(".repeat(1000),
        ")".repeat(1000)
    );
    app.update(&update).await.problem(400);
    // Groups nest in the algebra too.
    let groups = format!("SELECT * {{ {}{} }}", "{".repeat(1000), "}".repeat(1000));
    app.query(&groups, "application/sparql-results+json")
        .await
        .problem(400);
    // Moderate nesting still runs, on a stack sized for it.
    let reply = app
        .query(&nested_filter(200), "application/sparql-results+json")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["boolean"], true);
    assert_alive(&app).await;
}

#[actix_web::test]
async fn long_operator_chains_are_refused_not_fatal() {
    let app = spawn_app().await;
    // No brackets at all, but a left-deep tree 50,000 levels deep that evaluating or dropping
    // would recurse through.
    let sum = format!("ASK {{ FILTER(1{} > 0) }}", "+1".repeat(50_000));
    let problem = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "application/sparql-query")),
            sum,
        )
        .await
        .problem(400);
    assert!(problem["detail"].as_str().unwrap().contains("nest"));
    // Groups in sequence are joined left-deep (empty ones are merged away, these are not).
    let joins = format!("SELECT * {{ {} }}", "{ FILTER(true) } ".repeat(50_000));
    app.send(
        app.client
            .post(app.url("/query"))
            .insert_header(("Content-Type", "application/sparql-query")),
        joins,
    )
    .await
    .problem(400);
    let alternatives = format!(
        "SELECT * {{ ?s <http://example.com/p>{} ?o }}",
        "|<http://example.com/p>".repeat(50_000)
    );
    app.send(
        app.client
            .post(app.url("/query"))
            .insert_header(("Content-Type", "application/sparql-query")),
        alternatives,
    )
    .await
    .problem(400);
    let update = format!(
        "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?o{}) }}",
        " || ?o".repeat(50_000)
    );
    app.update(&update).await.problem(400);
    // A chain within the limit evaluates.
    let short = format!("ASK {{ FILTER(1{} = 500) }}", "+1".repeat(499));
    let reply = app.query(&short, "application/sparql-results+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["boolean"], true);
    assert_alive(&app).await;
}

#[actix_web::test]
async fn huge_timeouts_are_bounded_not_a_panic() {
    let app = spawn_app().await;
    for timeout in ["1e300", "1.8e19", "18446744073709551616"] {
        let path = format!(
            "/query?{}",
            form(&[("query", "ASK {}"), ("timeout", timeout)])
        );
        let reply = app.get(&path, "application/sparql-results+json").await;
        assert_eq!(reply.status, 200, "timeout={timeout}: {}", reply.text());
    }
    for timeout in ["inf", "NaN", "-1", "0"] {
        let path = format!(
            "/query?{}",
            form(&[("query", "ASK {}"), ("timeout", timeout)])
        );
        app.get(&path, "application/sparql-results+json")
            .await
            .problem(400);
    }
    let update = app
        .send(
            app.admin(
                Method::POST,
                "/update?timeout=1e300",
                Some("application/sparql-update"),
            ),
            "INSERT DATA { <http://example.com/s> <http://example.com/p> 1 }",
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text());
    assert_alive(&app).await;
}
