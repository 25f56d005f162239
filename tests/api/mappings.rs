//! The mapping registry over HTTP: uploads, versions, errors, lint, roles, built-ins, sources,
//! the RDF mirror and persistence.

use crate::helpers::{ADMIN, TestApp, spawn_app, spawn_with};
use awc::http::Method;
use citykg::core::config::{Settings, StoreLocation};
use citykg::edge::auth::Role;
use citykg::edge::http::Application;

const RML: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<#Obs> a rml:TriplesMap ;
  rml:logicalSource [ rml:source "payload.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://example.com/obs/{id}" ; rml:class sosa:Observation ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasSimpleResult ; rml:objectMap [ rml:reference "value" ; rml:datatype xsd:double ] ] .
"#;

const YARRRML: &str = "prefixes:
  sosa: http://www.w3.org/ns/sosa/
  xsd: http://www.w3.org/2001/XMLSchema#
mappings:
  obs:
    sources: [[payload.csv~csv]]
    s: http://example.com/obs/$(id)
    po:
      - [a, sosa:Observation]
      - [sosa:hasSimpleResult, $(value), xsd:double]
";

/// A YARRRML mapping with lint findings: an undeclared class and predicate, an untyped result,
/// a unit as a plain string.
const LINTED: &str = "prefixes:
  prov: http://www.w3.org/ns/prov#
  ex: http://example.com/
mappings:
  obs:
    sources: [[payload.csv~csv]]
    s: http://example.com/obs/$(id)
    po:
      - [a, ex:Reading]
      - [ex:madeUpProperty, $(x)]
      - [prov:generatedAtTime, $(time)]
      - [ex:unit, $(unit)]
";

fn yarrrml_with_source(source: &str) -> String {
    YARRRML.replace(
        "    sources: [[payload.csv~csv]]\n",
        &format!("    sources: [[payload.csv~csv]]\n  other:\n    sources: [['{source}~csv']]\n    s: http://example.com/x/$(id)\n    po:\n      - [a, sosa:Observation]\n  obs2:\n    sources: [[payload.csv~csv]]\n"),
    )
}

async fn put(app: &TestApp, id: &str, content_type: &str, body: &str) -> crate::helpers::Reply {
    app.send(
        app.admin(Method::PUT, &format!("/mappings/{id}"), Some(content_type)),
        body,
    )
    .await
}

#[actix_web::test]
async fn mappings_round_trip_with_versions_and_delete() {
    let app = spawn_app().await;
    let created = put(&app, "city/obs", "text/turtle", RML).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created.headers.get("location").unwrap(),
        "/mappings/city/obs"
    );
    let meta = created.json();
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["author"], "env-admin");
    assert_eq!(meta["syntax"], "rml");
    assert_eq!(meta["payload_source"], "payload.json");
    assert_eq!(
        meta["target_graph"],
        "http://citykg.test/graph/source/city/obs"
    );
    assert_eq!(meta["sha256"].as_str().unwrap().len(), 64);

    let replaced = app
        .send(
            app.admin(
                Method::PUT,
                "/mappings/city/obs?validation=reject&shapes=observation",
                Some("application/yaml"),
            ),
            YARRRML,
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let meta = replaced.json();
    assert_eq!(meta["version"], 2);
    assert_eq!(meta["validation"], "reject");
    assert_eq!(meta["shapes"][0], "observation");
    assert_eq!(meta["versions"].as_array().unwrap().len(), 2);

    let got = app.get("/mappings/city/obs", "application/json").await;
    assert_eq!(got.json()["version"], 2);
    let file = app.get("/mappings/city/obs", "application/yaml").await;
    assert_eq!(file.status, 200);
    assert!(file.content_type().starts_with("application/yaml"));
    assert_eq!(file.text(), YARRRML);
    let old = app
        .get("/mappings/city/obs/versions/1", "text/turtle")
        .await;
    assert_eq!(old.status, 200, "{}", old.text());
    assert_eq!(old.text(), RML);
    let old_meta = app
        .get("/mappings/city/obs/versions/1", "application/json")
        .await
        .json();
    assert_eq!(old_meta["version"], 1);
    assert_eq!(old_meta["syntax"], "rml");
    app.get("/mappings/city/obs/versions/3", "application/json")
        .await
        .problem(404);

    let listed = app.get("/mappings", "application/json").await.json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "city/obs")
    );

    let deleted = app
        .send(app.admin(Method::DELETE, "/mappings/city/obs", None), "")
        .await;
    assert_eq!(deleted.status, 204);
    app.get("/mappings/city/obs", "application/json")
        .await
        .problem(404);
    app.send(app.admin(Method::DELETE, "/mappings/city/obs", None), "")
        .await
        .problem(404);
}

#[actix_web::test]
async fn post_with_a_slug_creates_and_refuses_a_taken_id() {
    let app = spawn_app().await;
    let request = app
        .admin(Method::POST, "/mappings", Some("text/turtle"))
        .insert_header(("Slug", "vendor-a"));
    let created = app.send(request, RML).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let again = app
        .admin(Method::POST, "/mappings", Some("text/turtle"))
        .insert_header(("Slug", "vendor-a"));
    app.send(again, RML).await.problem(409);
}

#[actix_web::test]
async fn an_invalid_mapping_is_a_422_listing_every_error_with_its_location() {
    let app = spawn_app().await;
    let broken = r#"@prefix rml: <http://w3id.org/rml/> .
<#A> a rml:TriplesMap ;
  rml:logicalSource [ rml:source "payload.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.com/{id" ] .
<#B> a rml:TriplesMap ;
  rml:logicalSource [ rml:source "payload.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.com/{id}}" ] .
"#;
    let reply = put(&app, "broken", "text/turtle", broken).await;
    let problem = reply.problem(422);
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{problem}");
    assert_eq!(errors[0]["line"], 2, "{problem}");
    assert_eq!(errors[1]["line"], 5, "{problem}");
    for error in errors {
        assert!(
            error["line"].is_u64() && error["column"].is_u64(),
            "{problem}"
        );
        assert!(error["detail"].is_string());
    }
    assert!(
        errors.iter().any(|e| e["triples_map"].is_string()),
        "{problem}"
    );
    app.get("/mappings/broken", "application/json")
        .await
        .problem(404);
}

#[actix_web::test]
async fn lint_warnings_show_in_the_metadata_and_the_page() {
    let app = spawn_app().await;
    let reply = put(&app, "linted", "application/yaml", LINTED).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let warnings = reply.json()["warnings"].as_array().unwrap().clone();
    let about = |term: &str| warnings.iter().any(|w| w["term"] == term);
    assert!(about("http://example.com/Reading"), "{warnings:?}");
    assert!(about("http://example.com/madeUpProperty"), "{warnings:?}");
    assert!(
        about("http://www.w3.org/ns/prov#generatedAtTime"),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w["message"].as_str().unwrap().contains("QUDT")),
        "{warnings:?}"
    );
    assert!(about("http://example.com/unit"), "{warnings:?}");
    let clean = put(&app, "clean", "application/yaml", YARRRML).await.json();
    assert_eq!(clean["warnings"].as_array().unwrap().len(), 0, "{clean}");

    let page = app.get("/mappings/linted", "text/html").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("madeUpProperty"), "{}", page.text());
    let list = app.get("/mappings", "text/html").await;
    assert!(list.text().contains("linted") && list.text().contains("madeUpProperty"));
}

#[actix_web::test]
async fn writes_need_the_steward_role() {
    let app = spawn_app().await;
    let url = app.url("/mappings/roles");
    let anonymous = app
        .client
        .put(&url)
        .insert_header(("Content-Type", "text/turtle"));
    app.send(anonymous, RML).await.problem(401);
    let reader = app.token("reader", Role::Read);
    let as_reader = app
        .client
        .put(&url)
        .insert_header(("Content-Type", "text/turtle"))
        .insert_header(("Authorization", format!("Bearer {reader}")));
    app.send(as_reader, RML).await.problem(403);
    let steward = app.token("steward-1", Role::Steward);
    let as_steward = app
        .client
        .put(&url)
        .insert_header(("Content-Type", "text/turtle"))
        .insert_header(("Authorization", format!("Bearer {steward}")));
    let reply = app.send(as_steward, RML).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["author"], "steward-1");
    let delete = app
        .client
        .delete(&url)
        .insert_header(("Authorization", format!("Bearer {reader}")));
    app.send(delete, "").await.problem(403);
    assert_eq!(
        app.get("/mappings/roles", "application/json").await.status,
        200
    );
}

#[actix_web::test]
async fn the_builtin_readings_csv_is_listed_and_read_only() {
    let app = spawn_app().await;
    let listed = app.get("/mappings", "application/json").await.json();
    let builtin = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "builtin/readings-csv")
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    assert_eq!(builtin["read_only"], true);
    assert_eq!(builtin["payload_source"], "payload.csv");
    assert_eq!(
        builtin["warnings"].as_array().unwrap().len(),
        0,
        "{builtin}"
    );
    let file = app
        .get("/mappings/builtin/readings-csv", "application/yaml")
        .await;
    assert!(file.text().contains("sosa:Observation"));
    put(&app, "builtin/readings-csv", "text/turtle", RML)
        .await
        .problem(403);
    put(&app, "builtin/new", "text/turtle", RML)
        .await
        .problem(403);
    app.send(
        app.admin(Method::DELETE, "/mappings/builtin/readings-csv", None),
        "",
    )
    .await
    .problem(403);
}

#[actix_web::test]
async fn sources_outside_the_reference_data_folder_are_refused_at_upload() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_owned();
    let app = spawn_with(|s| s.reference_data = Some(folder)).await;
    let inside = put(
        &app,
        "inside",
        "application/yaml",
        &yarrrml_with_source("sensors.csv"),
    )
    .await;
    assert_eq!(inside.status, 201, "{}", inside.text());
    assert_eq!(inside.json()["sources"].as_array().unwrap().len(), 2);
    for source in [
        "../secrets.csv",
        "/etc/passwd",
        "http://example.com/sensors.csv",
    ] {
        let reply = put(
            &app,
            "outside",
            "application/yaml",
            &yarrrml_with_source(source),
        )
        .await;
        let problem = reply.problem(422);
        assert!(
            problem["errors"].to_string().contains(source),
            "{source}: {problem}"
        );
    }
}

#[actix_web::test]
async fn the_registry_is_visible_to_sparql_in_graph_mappings() {
    let app = spawn_app().await;
    put(&app, "sparql/one", "text/turtle", RML).await;
    put(&app, "sparql/one", "application/yaml", YARRRML).await;
    let query = "PREFIX citykg: <https://w3id.org/citykg/ns#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?version ?creator WHERE { GRAPH <http://citykg.test/graph/mappings> {
          <http://citykg.test/mappings/sparql/one> a citykg:Mapping ; citykg:mappingVersion ?version ;
            dcterms:identifier \"sparql/one\" ; dcterms:creator ?creator ; dcterms:modified ?m ;
            citykg:targetGraph ?g ; dcterms:hasVersion ?v } }";
    let reply = app.query(query, "application/sparql-results+json").await;
    let bindings = reply.json()["results"]["bindings"].clone();
    assert_eq!(
        bindings.as_array().unwrap().len(),
        2,
        "two versions: {bindings}"
    );
    assert_eq!(bindings[0]["version"]["value"], "2");
    assert_eq!(bindings[0]["creator"]["value"], "env-admin");
    assert_eq!(
        app.count("SELECT ?s WHERE { GRAPH <http://citykg.test/graph/mappings> { ?s <http://purl.org/dc/terms/identifier> \"builtin/readings-csv\" } }").await,
        2,
        "the built-in and its version"
    );
    app.send(app.admin(Method::DELETE, "/mappings/sparql/one", None), "")
        .await;
    assert_eq!(
        app.count("SELECT ?s WHERE { GRAPH <http://citykg.test/graph/mappings> { ?s <http://purl.org/dc/terms/identifier> \"sparql/one\" } }").await,
        0
    );
}

#[actix_web::test]
async fn the_registry_survives_a_restart_on_the_same_location() {
    let dir = tempfile::tempdir().unwrap();
    let settings = || {
        let mut settings = Settings::for_tests();
        settings.admin_token = Some(ADMIN.to_owned());
        settings.location = StoreLocation::Disk(dir.path().to_owned());
        settings
    };
    let client = awc::Client::default();
    for round in 0..2 {
        let app = Application::build(settings()).unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let running = actix_web::rt::spawn(app.run_until_stopped());
        if round == 0 {
            for body in [RML, RML.replace("obs/{id}", "observation/{id}").as_str()] {
                let reply = client
                    .put(format!("{base}/mappings/kept"))
                    .insert_header(("Authorization", format!("Bearer {ADMIN}")))
                    .insert_header(("Content-Type", "text/turtle"))
                    .send_body(body.to_owned())
                    .await
                    .unwrap();
                assert!(reply.status().is_success());
            }
        } else {
            let mut reply = client
                .get(format!("{base}/mappings/kept"))
                .insert_header(("Accept", "application/json"))
                .send()
                .await
                .unwrap();
            let meta: serde_json::Value = reply.json().await.unwrap();
            assert_eq!(meta["version"], 2, "{meta}");
            let mut old = client
                .get(format!("{base}/mappings/kept/versions/1"))
                .insert_header(("Accept", "text/turtle"))
                .send()
                .await
                .unwrap();
            assert_eq!(old.body().await.unwrap(), RML.as_bytes());
        }
        handle.stop(true).await;
        running.await.unwrap().unwrap();
    }
}
