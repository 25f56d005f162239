//! Use cases in JSON-LD: the compacted form is one object, a use case can be written in JSON-LD
//! with citykg's context, and PATCH merges a JSON merge patch into the compacted form.

use crate::helpers::{TestApp, spawn_app};
use awc::http::Method;

const BASE: &str = "http://citykg.test/";

async fn compacted(app: &TestApp, id: &str) -> serde_json::Value {
    let reply = app
        .get(&format!("/use-cases/{id}"), "application/ld+json")
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert!(
        reply.content_type().starts_with("application/ld+json"),
        "{}",
        reply.content_type()
    );
    reply.json()
}

fn english_titles(document: &serde_json::Value) -> Vec<String> {
    let titles = match &document["title"] {
        serde_json::Value::Array(values) => values.clone(),
        one => vec![one.clone()],
    };
    titles
        .iter()
        .filter(|t| t["@language"] == "en")
        .filter_map(|t| t["@value"].as_str().map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn the_compacted_form_is_one_object_with_what_the_use_case_owns_nested() {
    let app = spawn_app().await;
    let document = compacted(&app, "kisumu-air-quality").await;
    assert_eq!(document["@context"], format!("{BASE}ns/context.jsonld"));
    assert_eq!(
        document["@id"],
        format!("{BASE}id/use-case/kisumu-air-quality")
    );
    assert!(document.get("@graph").is_none(), "{document:#}");
    assert_eq!(
        english_titles(&document),
        ["Neighbourhood air quality in Kisumu"]
    );
    let place = &document["spatial"];
    assert_eq!(
        place["@id"],
        format!("{BASE}id/use-case/kisumu-air-quality/place")
    );
    assert_eq!(place["countryCode"], "KE", "{place:#}");
}

#[actix_web::test]
async fn a_use_case_written_in_json_ld_is_stored_and_patched() {
    let app = spawn_app().await;
    let body = serde_json::json!({
        "@context": format!("{BASE}ns/context.jsonld"),
        "@id": format!("{BASE}id/use-case/kigali-parking"),
        "@type": ["UseCase", "Dataset"],
        "identifier": "kigali-parking",
        "title": [{"@value": "Street parking guidance in Kigali", "@language": "en"},
                  {"@value": "Guidage au stationnement à Kigali", "@language": "fr"}],
        "description": {"@value": "Magnetometers in kerbside bays feed a parking map.", "@language": "en"},
        "vertical": "https://w3id.org/citykg/vertical/transportation",
        "maturity": "https://w3id.org/citykg/maturity/idea"
    });
    let reply = app
        .send(
            app.admin(Method::POST, "/use-cases", Some("application/ld+json")),
            body.to_string(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let turtle = app
        .get("/use-cases/kigali-parking", "text/turtle")
        .await
        .text();
    assert!(turtle.contains("Guidage au stationnement"), "{turtle}");

    // A merge patch replaces the titles and keeps everything else.
    let patch = serde_json::json!({
        "title": [{"@value": "Parking guidance in Kigali city centre", "@language": "en"}],
        "maturity": "https://w3id.org/citykg/maturity/pilot"
    });
    let reply = app
        .send(
            app.admin(
                Method::PATCH,
                "/use-cases/kigali-parking",
                Some("application/merge-patch+json"),
            ),
            patch.to_string(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let document = compacted(&app, "kigali-parking").await;
    assert_eq!(
        english_titles(&document),
        ["Parking guidance in Kigali city centre"]
    );
    assert_eq!(
        document["maturity"],
        "https://w3id.org/citykg/maturity/pilot"
    );
    assert_eq!(
        document["vertical"],
        "https://w3id.org/citykg/vertical/transportation"
    );
    assert!(
        document["description"]
            .to_string()
            .contains("Magnetometers")
    );

    // Removing the title is refused with the problem named, and nothing changes.
    let reply = app
        .send(
            app.admin(
                Method::PATCH,
                "/use-cases/kigali-parking",
                Some("application/merge-patch+json"),
            ),
            r#"{"title": null}"#,
        )
        .await;
    let problem = reply.problem(422);
    assert!(
        problem["errors"]
            .to_string()
            .contains("http://purl.org/dc/terms/title"),
        "{problem}"
    );
    assert_eq!(
        english_titles(&compacted(&app, "kigali-parking").await),
        ["Parking guidance in Kigali city centre"]
    );

    let reply = app
        .send(
            app.admin(
                Method::PATCH,
                "/use-cases/kigali-parking",
                Some("text/turtle"),
            ),
            "<a> <b> <c> .",
        )
        .await;
    reply.problem(415);
    let reply = app
        .send(
            app.admin(
                Method::PATCH,
                "/use-cases/kigali-parking",
                Some("application/merge-patch+json"),
            ),
            "{\"title\": ",
        )
        .await;
    reply.problem(400);
}

#[actix_web::test]
async fn a_remote_context_is_never_fetched() {
    let app = spawn_app().await;
    let body = r#"{"@context": "https://schema.org/", "@id": "http://example.org/x", "name": "x"}"#;
    let reply = app
        .send(
            app.admin(Method::POST, "/use-cases", Some("application/ld+json")),
            body,
        )
        .await;
    let problem = reply.problem(400);
    assert!(
        problem["detail"].to_string().contains("not allow-listed"),
        "{problem}"
    );
}
