//! `POST /ingest/{mapping}`, `/mappings/{id}/preview` and `/quarantine`: the steward's loop.

use awc::http::Method;

use crate::helpers::{TestApp, spawn_app};

pub const OBSERVATIONS: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://e/M> rml:logicalSource [ rml:source "payload.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://e/obs/{id}" ; rml:class sosa:Observation ] ;
  rml:predicateObjectMap [ rml:predicate sosa:madeBySensor ; rml:objectMap [ rml:template "http://e/sensor/{sensor}" ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:observedProperty ; rml:objectMap [ rml:constant <http://e/pm25> ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasFeatureOfInterest ; rml:objectMap [ rml:constant <http://e/district/1> ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:hasSimpleResult ; rml:objectMap [ rml:reference "value" ; rml:datatype xsd:double ] ] ;
  rml:predicateObjectMap [ rml:predicate sosa:resultTime ; rml:objectMap [ rml:reference "time" ; rml:datatype xsd:dateTime ] ] ."#;

pub fn readings(from: usize, count: usize) -> String {
    let items: Vec<String> = (from..from + count)
        .map(|i| format!(r#"{{"id": "{i}", "sensor": "s{}", "value": {i}.5, "time": "2025-03-03T00:00:{:02}Z"}}"#, i % 7, i % 60))
        .collect();
    format!("[{}]", items.join(","))
}

pub async fn register(app: &TestApp, id: &str, query: &str, mapping: &str) {
    let reply = app
        .send(
            app.admin(
                Method::PUT,
                &format!("/mappings/{id}{query}"),
                Some("text/turtle"),
            ),
            mapping.as_bytes().to_vec(),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
}

pub async fn ingest(
    app: &TestApp,
    id: &str,
    body: &str,
    key: Option<&str>,
) -> crate::helpers::Reply {
    let mut request = app.admin(
        Method::POST,
        &format!("/ingest/{id}"),
        Some("application/json"),
    );
    if let Some(key) = key {
        request = request.insert_header(("Idempotency-Key", key));
    }
    app.send(request, body.as_bytes().to_vec()).await
}

#[actix_web::test]
async fn a_payload_is_mapped_stored_and_recorded() {
    let app = spawn_app().await;
    register(
        &app,
        "city/air",
        "?validation=warn&shapes=observation",
        OBSERVATIONS,
    )
    .await;
    let reply = ingest(&app, "city/air", &readings(0, 3), Some("batch-1")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let outcome = reply.json();
    assert_eq!(outcome["records"], 3);
    assert_eq!(outcome["quads"], 18);
    assert_eq!(
        outcome["target_graph"],
        "http://citykg.test/graph/source/city/air"
    );
    assert!(
        outcome["activity"]
            .as_str()
            .unwrap()
            .starts_with("http://citykg.test/provenance/")
    );
    assert_eq!(outcome["validation"]["conforms"], true, "{outcome}");
    assert_eq!(app.count("SELECT * { GRAPH <http://citykg.test/graph/source/city/air> { ?s a <http://www.w3.org/ns/sosa/Observation> } }").await, 3);
    let provenance = "SELECT * { GRAPH <http://citykg.test/graph/provenance> { ?a <https://w3id.org/citykg/ns#quadCount> 18 ; <http://www.w3.org/ns/prov#used> <http://citykg.test/mappings/city/air> } }";
    assert_eq!(app.count(provenance).await, 1);
    // A retry with the same key is answered from the first ingest; nothing is applied twice.
    let again = ingest(&app, "city/air", &readings(0, 3), Some("batch-1"))
        .await
        .json();
    assert_eq!(again["activity"], outcome["activity"]);
    assert_eq!(again["replayed"], true);
    assert_eq!(app.count("SELECT * { GRAPH <http://citykg.test/graph/provenance> { ?a a <http://www.w3.org/ns/prov#Activity> } }").await, 1);
}

#[actix_web::test]
async fn writes_need_the_steward_role_and_a_known_mapping() {
    let app = spawn_app().await;
    register(&app, "city/air", "", OBSERVATIONS).await;
    let anonymous = app
        .client
        .post(app.url("/ingest/city/air"))
        .insert_header(("Content-Type", "application/json"));
    assert_eq!(app.send(anonymous, readings(0, 1)).await.status, 401);
    let reader = app.token("reader", citykg::edge::auth::Role::Read);
    let read_only = app
        .client
        .post(app.url("/ingest/city/air"))
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("Authorization", format!("Bearer {reader}")));
    assert_eq!(app.send(read_only, readings(0, 1)).await.status, 403);
    ingest(&app, "city/nowhere", &readings(0, 1), None)
        .await
        .problem(404);
    let csv = app.admin(Method::POST, "/ingest/city/air", Some("application/pdf"));
    assert_eq!(app.send(csv, b"x".to_vec()).await.status, 415);
}

#[actix_web::test]
async fn a_broken_payload_is_quarantined_then_replayed_after_the_mapping_is_fixed() {
    let app = spawn_app().await;
    // Version 1 reads the value from a key the vendor does not send, and rejects what fails.
    let wrong = OBSERVATIONS.replace("rml:reference \"time\"", "rml:reference \"timestamp\"");
    register(
        &app,
        "city/air",
        "?validation=reject&shapes=observation",
        &wrong,
    )
    .await;
    let reply = ingest(&app, "city/air", &readings(0, 2), None).await;
    let problem = reply.problem(422);
    let location = problem["errors"][0]["detail"].as_str().unwrap().to_owned();
    assert!(location.starts_with("/quarantine/"), "{problem}");
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        0
    );
    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let page = app
        .send(
            app.admin(Method::GET, "/quarantine", None)
                .insert_header(("Accept", "text/html")),
            Vec::new(),
        )
        .await;
    let id = location.trim_start_matches("/quarantine/");
    assert!(
        page.text().contains(id) && page.text().contains("city&#x2F;air"),
        "{}",
        page.text()
    );
    let kept = app
        .send(
            app.admin(Method::GET, &format!("{location}?payload"), None),
            Vec::new(),
        )
        .await;
    assert_eq!(kept.text(), readings(0, 2));
    // Replaying with the broken mapping still fails and keeps the entry.
    let still = app
        .send(
            app.admin(Method::POST, &format!("{location}/replay"), None),
            Vec::new(),
        )
        .await;
    still.problem(422);
    // Fix the mapping (version 2), replay: stored, and the entry is gone.
    register(
        &app,
        "city/air",
        "?validation=reject&shapes=observation",
        OBSERVATIONS,
    )
    .await;
    let replayed = app
        .send(
            app.admin(Method::POST, &format!("{location}/replay"), None),
            Vec::new(),
        )
        .await;
    assert_eq!(replayed.status, 200, "{}", replayed.text());
    assert_eq!(replayed.json()["mapping_version"], 2);
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        2
    );
    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    assert!(listed.as_array().unwrap().is_empty());
    // Garbage JSON: quarantined too, then discarded.
    let garbage = ingest(&app, "city/air", "[{,", None).await.problem(422);
    let location = garbage["errors"][0]["detail"].as_str().unwrap().to_owned();
    assert!(
        garbage["detail"].as_str().unwrap().contains("line 1"),
        "{garbage}"
    );
    assert_eq!(
        app.send(app.admin(Method::DELETE, &location, None), Vec::new())
            .await
            .status,
        204
    );
}

#[actix_web::test]
async fn preview_shows_what_ingest_would_store_and_stores_nothing() {
    let app = spawn_app().await;
    register(
        &app,
        "city/air",
        "?validation=warn&shapes=observation",
        OBSERVATIONS,
    )
    .await;
    let preview = app
        .send(
            app.admin(
                Method::POST,
                "/mappings/city/air/preview",
                Some("application/json"),
            )
            .insert_header(("Accept", "application/n-quads")),
            readings(0, 2),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.text().lines().count(), 12);
    let summary = app
        .send(
            app.admin(
                Method::POST,
                "/mappings/city/air/preview",
                Some("application/json"),
            )
            .insert_header(("Accept", "application/json")),
            readings(0, 2),
        )
        .await
        .json();
    assert_eq!(summary["quads"], 12);
    assert_eq!(summary["validation"]["conforms"], true);
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        0
    );
}

#[actix_web::test]
async fn eight_concurrent_clients_lose_nothing() {
    let app = spawn_app().await;
    register(&app, "city/air", "", OBSERVATIONS).await;
    let mut tasks = Vec::new();
    for client in 0..8 {
        let app = TestApp {
            address: app.address.clone(),
            client: awc::Client::default(),
            tokens: app.tokens.clone(),
        };
        tasks.push(actix_web::rt::spawn(async move {
            for batch in 0..5 {
                let reply = ingest(
                    &app,
                    "city/air",
                    &readings(client * 1000 + batch * 100, 50),
                    None,
                )
                .await;
                assert_eq!(reply.status, 200, "{}", reply.text());
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        8 * 5 * 50
    );
}

#[actix_web::test]
async fn an_unsaved_mapping_is_tried_on_a_payload() {
    let app = spawn_app().await;
    let boundary = "B0uNd";
    let body = |mapping: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"mapping\"\r\nContent-Type: text/turtle\r\n\r\n{mapping}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/json\r\n\r\n{}\r\n--{boundary}--\r\n",
            readings(0, 2)
        )
    };
    let request = || {
        app.admin(
            Method::POST,
            "/mappings/preview?validation=warn&shapes=observation",
            Some(&format!("multipart/form-data; boundary={boundary}")),
        )
        .insert_header(("Accept", "application/json"))
    };
    let reply = app.send(request(), body(OBSERVATIONS)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let summary = reply.json();
    assert_eq!(summary["quads"], 12);
    assert_eq!(summary["validation"]["conforms"], true, "{summary}");
    // A broken template: the upload checks answer, with the place.
    let broken = app
        .send(
            request(),
            body(&OBSERVATIONS.replace("{sensor}", "{sensor")),
        )
        .await
        .problem(422);
    assert!(broken["errors"][0]["line"].is_number(), "{broken}");
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        0
    );
}

/// The readings mapping with times through citykg-fn:toUtcDateTime, so naive times need a zone.
const NAIVE_TIMES: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix fn: <https://w3id.org/citykg/function#> .
<http://e/M> rml:logicalSource [ rml:source "payload.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://e/obs/{id}" ; rml:class sosa:Observation ] ;
  rml:predicateObjectMap [ rml:predicate sosa:resultTime ; rml:objectMap [ rml:datatype xsd:dateTime ;
    rml:functionExecution [ rml:function fn:toUtcDateTime ;
      rml:input [ rml:parameter fn:value ; rml:inputValueMap [ rml:reference "time" ] ] ] ] ] ."#;

#[actix_web::test]
async fn a_naive_time_needs_a_declared_zone_which_the_quarantine_keeps_for_replay() {
    let app = spawn_app().await;
    register(&app, "city/naive", "", NAIVE_TIMES).await;
    let body = r#"[{"id": "1", "time": "2016-03-15T11:00:00"}]"#;
    let time_of = |id: &'static str| {
        format!(
            "SELECT ?t WHERE {{ GRAPH ?g {{ <http://e/obs/{id}> <http://www.w3.org/ns/sosa/resultTime> ?t }} }}"
        )
    };

    // No zone: not guessed, kept.
    let reply = ingest(&app, "city/naive", body, None).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("timezone"), "{}", reply.text());

    // Declared on the request (`+` written %2B): stored in UTC.
    let request = app.admin(
        Method::POST,
        "/ingest/city/naive?timezone=%2B01:00",
        Some("application/json"),
    );
    let reply = app
        .send(
            request,
            r#"[{"id": "2", "time": "2016-03-15T11:00:00"}]"#.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let found = app
        .query(&time_of("2"), "application/sparql-results+json")
        .await
        .json();
    assert_eq!(
        found["results"]["bindings"][0]["t"]["value"],
        "2016-03-15T10:00:00Z"
    );

    // A zone that is not one is a 400, and nothing is kept.
    let request = app.admin(
        Method::POST,
        "/ingest/city/naive?timezone=CET",
        Some("application/json"),
    );
    let reply = app.send(request, body.as_bytes().to_vec()).await;
    assert_eq!(reply.status, 400, "{}", reply.text());

    // A payload quarantined for another reason keeps its declared zone, and its replay after
    // the fix uses it: version 1 reads `value` as a number, and this one sends "n/a".
    let strict = format!(
        "{} ;\n  rml:predicateObjectMap [ rml:predicate sosa:hasSimpleResult ; rml:objectMap [ {} ] ] .",
        NAIVE_TIMES.trim_end().trim_end_matches('.').trim_end(),
        "rml:functionExecution [ rml:function fn:toNumber ; rml:input [ rml:parameter fn:value ; rml:inputValueMap [ rml:reference \"value\" ] ] ]",
    );
    register(&app, "city/zoned", "", &strict).await;
    let request = app.admin(
        Method::POST,
        "/ingest/city/zoned?timezone=-05:00",
        Some("application/json"),
    );
    let reply = app
        .send(
            request,
            r#"[{"id": "3", "time": "2016-03-15T11:00:00", "value": "n/a"}]"#
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    let entries = listed
        .as_array()
        .or_else(|| listed["entries"].as_array())
        .unwrap()
        .clone();
    assert_eq!(entries.len(), 2, "{listed}");
    let entry = |mapping: &str| {
        entries
            .iter()
            .find(|entry| entry["mapping"] == mapping)
            .unwrap_or_else(|| panic!("no entry for {mapping}: {listed}"))
            .clone()
    };
    let (naive, zoned) = (entry("city/naive"), entry("city/zoned"));
    assert!(naive["timezone"].is_null(), "{naive}");
    assert_eq!(zoned["timezone"], "-05:00", "{zoned}");
    let replay = |id: &serde_json::Value, query: &str| {
        app.admin(
            Method::POST,
            &format!("/quarantine/{}/replay{query}", id.as_str().unwrap()),
            None,
        )
    };
    // The naive one, with the zone given on the replay.
    let reply = app
        .send(replay(&naive["id"], "?timezone=Z"), Vec::new())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let found = app
        .query(&time_of("1"), "application/sparql-results+json")
        .await
        .json();
    assert_eq!(
        found["results"]["bindings"][0]["t"]["value"],
        "2016-03-15T11:00:00Z"
    );
    // The other after the mapping is fixed: no zone on the replay, the kept one applies.
    register(&app, "city/zoned", "", NAIVE_TIMES).await;
    let reply = app.send(replay(&zoned["id"], ""), Vec::new()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let found = app
        .query(&time_of("3"), "application/sparql-results+json")
        .await
        .json();
    assert_eq!(
        found["results"]["bindings"][0]["t"]["value"],
        "2016-03-15T16:00:00Z"
    );
}
