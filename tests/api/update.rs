//! SPARQL 1.1 Update over HTTP.

use crate::helpers::{form, spawn_app};
use awc::http::Method;

#[actix_web::test]
async fn updates_by_direct_and_form_post_change_the_data() {
    let app = spawn_app().await;
    let reply = app.update("INSERT DATA { GRAPH <http://example.com/g> { <http://example.com/s> <http://example.com/p> 1 } }").await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(
        app.count("SELECT * WHERE { ?s <http://example.com/p> ?o }")
            .await,
        1
    );
    let by_form = app
        .send(
            app.admin(
                Method::POST,
                "/update",
                Some("application/x-www-form-urlencoded"),
            ),
            form(&[(
                "update",
                "DELETE WHERE { GRAPH ?g { ?s <http://example.com/p> ?o } }",
            )]),
        )
        .await;
    assert_eq!(by_form.status, 204, "{}", by_form.text());
    assert_eq!(
        app.count("SELECT * WHERE { ?s <http://example.com/p> ?o }")
            .await,
        0
    );
}

#[actix_web::test]
async fn update_where_clauses_see_the_union_and_using_parameters_narrow_it() {
    let app = spawn_app().await;
    app.two_graphs().await;
    let copy = "INSERT { GRAPH <http://example.com/copy> { ?s <http://example.com/q> ?o } } WHERE { ?s <http://example.com/p> ?o }";
    assert_eq!(app.update(copy).await.status, 204);
    assert_eq!(
        app.count("SELECT * WHERE { ?s <http://example.com/q> ?o }")
            .await,
        2
    );
    let narrowed = format!(
        "/update?{}",
        form(&[("using-graph-uri", "http://example.com/g1")])
    );
    let reply = app
        .send(
            app.admin(Method::POST, &narrowed, Some("application/sparql-update")),
            "INSERT { GRAPH <http://example.com/copy> { ?s <http://example.com/r> ?o } } WHERE { ?s <http://example.com/p> ?o }",
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(
        app.count("SELECT * WHERE { ?s <http://example.com/r> ?o }")
            .await,
        1
    );
}

#[actix_web::test]
async fn bad_updates_are_problems_and_change_nothing() {
    let app = spawn_app().await;
    let problem = app
        .update("INSERT DATA { <http://example.com/s> <http://example.com/p> }")
        .await
        .problem(400);
    assert_eq!(problem["errors"][0]["line"], 1);
    app.update("LOAD <http://example.org/data.ttl>")
        .await
        .problem(403);
    let by_get = app
        .get(
            &format!("/update?{}", form(&[("update", "CLEAR ALL")])),
            "*/*",
        )
        .await;
    by_get.problem(405);
    assert!(
        app.count("SELECT * WHERE { GRAPH ?g { ?s a ?t } }").await > 0,
        "ontologies still there"
    );
}
