//! Body size limits, the query timeout and concurrency.

use crate::helpers::{form, spawn_with};
use awc::http::Method;
use std::time::{Duration, Instant};

/// Every pair of nodes on a long chain: millions of index lookups, far more than a second.
const SLOW: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://example.com/next>* ?b }";
/// A query that builds a cross product in memory, where oxigraph checks for cancellation rarely.
const CROSS: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }";

async fn with_chain(app: &crate::helpers::TestApp) {
    let chain: String = (0..3000)
        .map(|i| {
            format!(
                "<http://example.com/n{i}> <http://example.com/next> <http://example.com/n{}> .\n",
                i + 1
            )
        })
        .collect();
    assert_eq!(
        app.put_graph("http://example.com/chain", &chain)
            .await
            .status,
        201
    );
}

#[actix_web::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let app = spawn_with(|s| s.limits.max_body_bytes = 1024).await;
    let big = "#".repeat(4096);
    let reply = app
        .send(
            app.admin(Method::PUT, "/store?default", Some("text/turtle")),
            big.clone(),
        )
        .await;
    let problem = reply.problem(413);
    assert!(problem["detail"].as_str().unwrap().contains("1024"));
    let query = app
        .send(
            app.client
                .post(app.url("/query"))
                .insert_header(("Content-Type", "application/sparql-query")),
            big,
        )
        .await;
    query.problem(413);
}

#[actix_web::test]
async fn the_timeout_stops_a_query_and_other_requests_go_on() {
    let app = spawn_with(|s| s.limits.query_timeout = Duration::from_secs(20)).await;
    with_chain(&app).await;
    let slow_path = format!("/query?{}", form(&[("query", SLOW), ("timeout", "1")]));
    let started = Instant::now();
    let (slow, health) = tokio::join!(
        app.get(&slow_path, "application/sparql-results+json"),
        async {
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
            let t = Instant::now();
            let reply = app
                .query("ASK { ?s ?p ?o }", "application/sparql-results+json")
                .await;
            (reply, t.elapsed())
        }
    );
    let elapsed = started.elapsed();
    let problem = slow.problem(503);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/query-timeout"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "stopped after {elapsed:?}"
    );
    assert_eq!(health.0.status, 200);
    assert!(
        health.1 < Duration::from_secs(1),
        "a cheap query waited {:?}",
        health.1
    );
    app.get(
        &format!("/query?{}", form(&[("query", "ASK {}"), ("timeout", "-3")])),
        "*/*",
    )
    .await
    .problem(400);
}

#[actix_web::test]
async fn the_configured_timeout_applies_without_a_request_parameter() {
    let app = spawn_with(|s| s.limits.query_timeout = Duration::from_millis(500)).await;
    with_chain(&app).await;
    let started = Instant::now();
    app.query(SLOW, "text/csv").await.problem(503);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[actix_web::test]
async fn the_answer_comes_at_the_deadline_even_when_evaluation_checks_late() {
    let app = spawn_with(|s| s.limits.query_timeout = Duration::from_millis(500)).await;
    let started = Instant::now();
    app.query(CROSS, "application/sparql-results+json")
        .await
        .problem(503);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered after {:?}",
        started.elapsed()
    );
}

#[actix_web::test]
async fn queries_beyond_the_concurrency_limit_wait_then_get_503() {
    let app = spawn_with(|s| {
        s.limits.max_concurrent_queries = 1;
        s.limits.query_timeout = Duration::from_secs(20);
    })
    .await;
    with_chain(&app).await;
    let slow_path = format!("/query?{}", form(&[("query", SLOW), ("timeout", "3")]));
    let quick_path = format!(
        "/query?{}",
        form(&[("query", "ASK {}"), ("timeout", "0.5")])
    );
    let (slow, quick) = tokio::join!(app.get(&slow_path, "text/csv"), async {
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        app.get(&quick_path, "text/csv").await
    });
    slow.problem(503);
    let problem = quick.problem(503);
    assert_eq!(
        problem["type"], "https://w3id.org/citykg/problems/busy",
        "{problem}"
    );
    // The 503 for the slow query goes out at its deadline; its slot is released when the
    // evaluation notices the cancellation, which on a loaded machine can take a moment longer.
    let started = Instant::now();
    let mut status = app.get(&quick_path, "text/csv").await.status;
    while status != 200 && started.elapsed() < Duration::from_secs(10) {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        status = app.get(&quick_path, "text/csv").await.status;
    }
    assert_eq!(status, 200, "the slot is free again");
}
