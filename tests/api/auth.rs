//! Bearer tokens: 401 without or with a wrong token, 403 with the wrong role.

use crate::helpers::{ADMIN, spawn_app, spawn_with};
use citykg::edge::auth::Role;

const INSERT: &str = "INSERT DATA { <http://example.com/s> <http://example.com/p> 1 }";

#[actix_web::test]
async fn writes_need_a_token_with_the_write_role() {
    let app = spawn_app().await;
    let read = app.token("reader", Role::Read);
    let steward = app.token("steward", Role::Steward);
    let write = app.token("writer", Role::Write);
    let cases: [(Option<&str>, u16); 6] = [
        (None, 401),
        (Some("not-a-token"), 401),
        (Some(read.as_str()), 403),
        (Some(steward.as_str()), 403),
        (Some(write.as_str()), 204),
        (Some(ADMIN), 204),
    ];
    for (token, status) in cases {
        let mut request = app
            .client
            .post(app.url("/update"))
            .insert_header(("Content-Type", "application/sparql-update"));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let reply = app.send(request, INSERT).await;
        if status == 204 {
            assert_eq!(reply.status, 204, "{token:?}: {}", reply.text());
        } else {
            reply.problem(status);
        }
        if status == 401 {
            assert_eq!(
                reply.headers.get("www-authenticate").unwrap(),
                "Bearer realm=\"citykg\""
            );
        }
    }
    let store_write = app
        .send(
            app.client
                .put(app.url("/store?default"))
                .insert_header(("Content-Type", "text/turtle")),
            "",
        )
        .await;
    store_write.problem(401);
}

#[actix_web::test]
async fn reads_are_public_unless_the_server_is_private() {
    let public = spawn_app().await;
    assert_eq!(public.query("ASK {}", "*/*").await.status, 200);
    let private = spawn_with(|s| s.private = true).await;
    private.query("ASK {}", "*/*").await.problem(401);
    let read = private.token("reader", Role::Read);
    let reply = private
        .send(
            private
                .client
                .get(private.url("/query?query=ASK%20%7B%7D"))
                .insert_header(("Authorization", format!("Bearer {read}"))),
            "",
        )
        .await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn revoked_tokens_stop_working() {
    let app = spawn_app().await;
    let write = app.token("temporary", Role::Write);
    let send = |token: String| {
        app.send(
            app.client
                .post(app.url("/update"))
                .insert_header(("Content-Type", "application/sparql-update"))
                .insert_header(("Authorization", format!("Bearer {token}"))),
            INSERT,
        )
    };
    assert_eq!(send(write.clone()).await.status, 204);
    app.tokens.revoke("temporary").unwrap();
    send(write).await.problem(401);
}
