//! Pages for people, health and metrics.

use crate::helpers::{form, spawn_app};

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[actix_web::test]
async fn the_home_page_lists_the_graphs() {
    let app = spawn_app().await;
    let home = app.get("/", BROWSER).await;
    assert_eq!(home.status, 200);
    assert!(home.content_type().starts_with("text/html"));
    assert!(
        home.text()
            .contains("graph=http%3A%2F%2Fcitykg.test%2Fgraph%2Fontology%2Fsosa"),
        "{}",
        home.text()
    );
}

#[actix_web::test]
async fn the_query_page_works_without_javascript() {
    let app = spawn_app().await;
    let form_page = app.get("/query", BROWSER).await;
    assert_eq!(form_page.status, 200);
    let text = form_page.text();
    assert!(
        text.contains("<form method=\"get\" action=\"/query\">") && text.contains("name=\"query\"")
    );
    assert!(!text.contains("<script"));
    let q =
        "SELECT ?class WHERE { ?class a <http://www.w3.org/2002/07/owl#Class> } ORDER BY ?class";
    let results = app
        .get(&format!("/query?{}", form(&[("query", q)])), BROWSER)
        .await;
    assert_eq!(results.status, 200);
    let text = results.text();
    assert!(text.contains("<th>class</th>"), "{text}");
    assert!(
        text.contains("&lt;http:&#x2F;&#x2F;www.w3.org&#x2F;ns&#x2F;sosa&#x2F;Observation&gt;")
            || text.contains("sosa/Observation"),
        "{text}"
    );
    let error = app
        .get(
            &format!("/query?{}", form(&[("query", "SELECT nonsense")])),
            BROWSER,
        )
        .await;
    assert_eq!(error.status, 400);
    assert!(error.text().contains("role=\"alert\""));
}

#[actix_web::test]
async fn health_and_metrics_answer() {
    let app = spawn_app().await;
    let health = app.get("/health", "*/*").await;
    assert_eq!(health.json()["status"], "ok");
    app.query("ASK {}", "*/*").await;
    app.get("/nowhere", "*/*").await.problem(404);
    let metrics = app.get("/metrics", "*/*").await.text();
    assert!(
        metrics.contains(
            "citykg_http_requests_total{route=\"/query\",method=\"GET\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("citykg_query_duration_seconds_count{kind=\"ask\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("citykg_store_quads "), "{metrics}");
}

/// Every committed write reaches the storage's change events once, whatever carried it: the
/// metrics consumer counts them by origin, and failed or read-only requests count nothing.
#[actix_web::test]
async fn every_write_path_is_counted_once_under_its_origin() {
    let app = spawn_app().await;
    crate::ingest::register(&app, "city/air", "", crate::ingest::OBSERVATIONS).await;
    let stored =
        crate::ingest::ingest(&app, "city/air", &crate::ingest::readings(0, 2), None).await;
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(
        app.put_graph("http://example.org/g", "<a:s> <a:p> 1 .")
            .await
            .status,
        201
    );
    assert_eq!(
        app.update("INSERT DATA { GRAPH <http://example.org/g> { <a:s> <a:p> 2 } }")
            .await
            .status,
        204
    );
    let steward = app.token("steward", citykg::edge::auth::Role::Steward);
    let created = app
        .send(
            app.client
                .post(app.url("/use-cases"))
                .insert_header(("Content-Type", "text/turtle"))
                .insert_header(("Authorization", format!("Bearer {steward}")))
                .insert_header(("Slug", "counted")),
            crate::use_cases::minimal("Counted", "environment", "\"2025-01-02\"^^xsd:date"),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    // Refused and read-only requests write nothing.
    app.update("INSERT DATA { GRAPH <http://example.org/g> { <a:s> <a:p> }")
        .await
        .problem(400);
    app.query("ASK {}", "*/*").await;

    let metrics = app.get("/metrics", "*/*").await.text();
    for (origin, count) in [
        ("registry", 1),
        ("ingest", 1),
        ("graph_store", 1),
        ("update", 1),
    ] {
        assert!(
            metrics.contains(&format!(
                "citykg_writes_total{{origin=\"{origin}\"}} {count}\n"
            )),
            "{origin}: {metrics}"
        );
    }
    // The use case, and the assessment the catalogue computes for it at once.
    assert!(
        metrics.contains("citykg_writes_total{origin=\"use_cases\"} 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("citykg_writes_total{origin=\"assessment\"} 1\n"),
        "{metrics}"
    );
}
