//! The NGSI-LD API as a FIWARE producer and consumer use it, and the same data through SPARQL:
//! an upsert with a `Link` context and a tenant, a query compacted with that context, the
//! entity's graph read with SPARQL, a SPARQL Update seen by the next NGSI-LD read, tenants
//! apart, writes refused without a token, remote contexts only from allow-listed hosts.

use crate::abuse::static_site;
use crate::helpers::{TestApp, spawn_with};
use awc::http::Method;
use serde_json::{Value, json};

const CONTEXT: &str = r#"{"@context": {
    "sdm": "https://smartdatamodels.org/dataModel.Environment/",
    "AirQualityObserved": "sdm:AirQualityObserved",
    "pm25": "sdm:pm25"
}}"#;

fn link(url: &str) -> String {
    format!("<{url}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"")
}

async fn ngsi(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, String)],
    body: Option<Value>,
) -> crate::helpers::Reply {
    let mut request = app
        .client
        .request(method, app.url(&format!("/ngsi-ld/v1/{path}")));
    for (name, value) in headers {
        request = request.insert_header((*name, value.clone()));
    }
    match body {
        Some(body) => {
            request = request.insert_header(("Content-Type", "application/json"));
            app.send(request, body.to_string()).await
        }
        None => app.send(request, Vec::new()).await,
    }
}

#[actix_web::test]
async fn a_fiware_producer_and_a_sparql_reader_see_the_same_entities() {
    let site = static_site(vec![(
        "/context.jsonld",
        200,
        "application/ld+json",
        CONTEXT.to_owned(),
    )])
    .await;
    let host = site.trim_start_matches("http://").to_owned();
    let app = spawn_with(move |s| {
        s.allow_list = citykg::core::config::AllowList::new([host]);
    })
    .await;
    let context_url = format!("{site}/context.jsonld");
    let writer = app.token("iot-agent", citykg::edge::auth::Role::Write);
    let producer = vec![
        ("Link", link(&context_url)),
        ("NGSILD-Tenant", "city".to_owned()),
        ("Authorization", format!("Bearer {writer}")),
    ];
    let batch = json!([
        {"id": "urn:ngsi-ld:AirQualityObserved:1", "type": "AirQualityObserved",
         "pm25": {"type": "Property", "value": 12.5, "unitCode": "GQ", "observedAt": "2026-12-07T10:00:00Z"}},
        {"id": "urn:ngsi-ld:AirQualityObserved:2", "type": "AirQualityObserved",
         "pm25": {"type": "Property", "value": 30, "unitCode": "GQ", "observedAt": "2026-12-07T10:00:00Z"}}
    ]);

    // Writes need a token (unless the server runs --ngsi-ld-open-writes).
    let anonymous = ngsi(
        &app,
        Method::POST,
        "entityOperations/upsert?options=update",
        &producer[..2],
        Some(batch.clone()),
    )
    .await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());

    let created = ngsi(
        &app,
        Method::POST,
        "entityOperations/upsert?options=update",
        &producer,
        Some(batch),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created.json(),
        json!([
            "urn:ngsi-ld:AirQualityObserved:1",
            "urn:ngsi-ld:AirQualityObserved:2"
        ])
    );

    // The consumer reads with the same context and tenant: short names, the query applied.
    let found = ngsi(
        &app,
        Method::GET,
        "entities?type=AirQualityObserved&q=pm25%3E20&options=keyValues&count=true",
        &producer,
        None,
    )
    .await;
    assert_eq!(found.status, 200, "{}", found.text());
    assert_eq!(
        found.json(),
        json!([{"id": "urn:ngsi-ld:AirQualityObserved:2", "type": "AirQualityObserved", "pm25": 30}])
    );
    assert_eq!(
        found
            .headers
            .get("NGSILD-Results-Count")
            .map(|v| v.to_str().unwrap_or("")),
        Some("1")
    );
    assert_eq!(
        found
            .headers
            .get("NGSILD-Tenant")
            .map(|v| v.to_str().unwrap_or("")),
        Some("city")
    );
    // Without the context, the names are the full IRIs.
    let expanded = ngsi(
        &app,
        Method::GET,
        "entities/urn:ngsi-ld:AirQualityObserved:1",
        &producer[1..2],
        None,
    )
    .await;
    assert_eq!(
        expanded.json()["https://smartdatamodels.org/dataModel.Environment/pm25"]["value"],
        json!(12.5)
    );
    // Another tenant sees nothing of it; an unknown tenant is refused.
    let default_tenant = ngsi(
        &app,
        Method::GET,
        "entities?type=AirQualityObserved",
        &[],
        None,
    )
    .await;
    assert_eq!(default_tenant.json(), json!([]));
    let unknown = ngsi(
        &app,
        Method::GET,
        "entities?type=AirQualityObserved",
        &[("NGSILD-Tenant", "nowhere".to_owned())],
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.json()["type"],
        "https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant"
    );

    // SPARQL reads the same entity: one graph per entity, the value on the attribute node.
    let pm25_of_1 = "SELECT ?g ?value WHERE { GRAPH ?g { <urn:ngsi-ld:AirQualityObserved:1> \
         <https://smartdatamodels.org/dataModel.Environment/pm25> ?a . \
         ?a <https://uri.etsi.org/ngsi-ld/hasValue> ?value } }";
    let rows = app
        .query(pm25_of_1, "application/sparql-results+json")
        .await
        .json();
    let bindings = &rows["results"]["bindings"];
    assert_eq!(bindings.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(bindings[0]["value"]["value"], "12.5");
    assert!(
        bindings[0]["g"]["value"].as_str().is_some_and(
            |g| g.ends_with("graph/ngsi-ld/city/urn%3Angsi%2Dld%3AAirQualityObserved%3A1")
        ),
        "{rows}"
    );

    // An update of the attribute through NGSI-LD is what SPARQL sees next.
    let patched = ngsi(
        &app,
        Method::PATCH,
        "entities/urn:ngsi-ld:AirQualityObserved:1/attrs/pm25",
        &producer,
        Some(json!({"value": 14.0})),
    )
    .await;
    assert_eq!(patched.status, 204, "{}", patched.text());
    let rows = app
        .query(pm25_of_1, "application/sparql-results+json")
        .await
        .json();
    assert_eq!(rows["results"]["bindings"][0]["value"]["value"], "14");
}

#[actix_web::test]
async fn a_sparql_update_of_an_entity_graph_is_seen_by_the_next_ngsi_ld_read() {
    let app = spawn_with(|s| s.ngsi_ld_open_writes = true).await;
    let entity = json!({"id": "urn:ngsi-ld:Street:1", "type": "Street",
        "name": {"type": "Property", "value": "Main"},
        "location": {"type": "GeoProperty", "value": {"type": "LineString", "coordinates": [[16.0, 48.0], [16.1, 48.1]]}}});
    let created = ngsi(&app, Method::POST, "entities", &[], Some(entity)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created
            .headers
            .get("Location")
            .map(|v| v.to_str().unwrap_or("")),
        Some("/ngsi-ld/v1/entities/urn:ngsi-ld:Street:1")
    );
    let again = ngsi(
        &app,
        Method::POST,
        "entities",
        &[],
        Some(json!({"id": "urn:ngsi-ld:Street:1", "type": "Street"})),
    )
    .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.json()["type"],
        "https://uri.etsi.org/ngsi-ld/errors/AlreadyExists"
    );

    let update = app
        .update(
            "DELETE { GRAPH <urn:ngsi-ld:Street:1> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"Main\" } } \
             INSERT { GRAPH <urn:ngsi-ld:Street:1> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"High\" } } \
             WHERE { GRAPH <urn:ngsi-ld:Street:1> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"Main\" } }",
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text());
    let read = ngsi(
        &app,
        Method::GET,
        "entities/urn:ngsi-ld:Street:1?options=keyValues",
        &[],
        None,
    )
    .await;
    assert_eq!(read.status, 200, "{}", read.text());
    assert_eq!(read.json()["name"], "High");
    assert_eq!(read.json()["location"]["type"], "LineString");

    // A graph that is not an entity is never taken over; ids under the base IRI are refused.
    let put = app
        .put_graph("urn:ngsi-ld:Other:1", "<urn:x> <urn:y> <urn:z> .")
        .await;
    assert!(put.status.is_success(), "{}", put.text());
    let taken = ngsi(
        &app,
        Method::POST,
        "entities",
        &[],
        Some(json!({"id": "urn:ngsi-ld:Other:1", "type": "Other"})),
    )
    .await;
    assert_eq!(taken.status, 409, "{}", taken.text());
    let base = "http://citykg.test/graph/catalog";
    let reserved = ngsi(
        &app,
        Method::POST,
        "entities",
        &[],
        Some(json!({"id": base, "type": "T"})),
    )
    .await;
    assert_eq!(reserved.status, 400, "{}", reserved.text());

    // A context from a host not on the allow-list is not fetched.
    let refused = ngsi(
        &app,
        Method::GET,
        "entities?type=Street",
        &[("Link", link("http://192.0.2.1/context.jsonld"))],
        None,
    )
    .await;
    assert_eq!(refused.status, 504, "{}", refused.text());
    assert_eq!(
        refused.json()["type"],
        "https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable"
    );
    // Deleted, it is gone from SPARQL too.
    let deleted = ngsi(
        &app,
        Method::DELETE,
        "entities/urn:ngsi-ld:Street:1",
        &[],
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        app.count("SELECT * { GRAPH <urn:ngsi-ld:Street:1> { ?s ?p ?o } }")
            .await,
        0
    );
}

/// A notification receiver on a free loopback port: every POST body is kept.
async fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = received.clone();
    let server = actix_web::HttpServer::new(move || {
        let kept = kept.clone();
        actix_web::App::new().default_service(actix_web::web::to(
            move |body: actix_web::web::Bytes| {
                let kept = kept.clone();
                async move {
                    if let Ok(value) = serde_json::from_slice::<Value>(&body) {
                        kept.lock().unwrap().push(value);
                    }
                    actix_web::HttpResponse::Ok().finish()
                }
            },
        ))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let address = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{address}/notify"), received)
}

/// Waits up to `seconds` for the receiver to hold `n` notifications.
async fn notifications(
    received: &std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
    n: usize,
    seconds: u64,
) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let now = received.lock().unwrap().clone();
        if now.len() >= n || std::time::Instant::now() > deadline {
            return now;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn subscribers_hear_of_every_change_whatever_path_made_it_and_a_dead_one_delays_none() {
    let app = spawn_with(|s| s.ngsi_ld_open_writes = true).await;
    let (live, received) = receiver().await;
    // A receiver that never answers: a listening socket nobody accepts from.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/notify", silent.local_addr().unwrap());
    for (id, endpoint) in [
        ("urn:ngsi-ld:Subscription:dead", &dead),
        ("urn:ngsi-ld:Subscription:live", &live),
    ] {
        let subscription = json!({"id": id, "type": "Subscription",
            "entities": [{"type": "Street"}], "watchedAttributes": ["name"],
            "notification": {"format": "keyValues", "endpoint": {"uri": endpoint, "accept": "application/json"}}});
        let created = ngsi(&app, Method::POST, "subscriptions", &[], Some(subscription)).await;
        assert_eq!(created.status, 201, "{}", created.text());
    }
    let started = std::time::Instant::now();
    let entity = json!({"id": "urn:ngsi-ld:Street:9", "type": "Street",
        "name": {"type": "Property", "value": "Main"}});
    assert_eq!(
        ngsi(&app, Method::POST, "entities", &[], Some(entity))
            .await
            .status,
        201
    );
    let first = notifications(&received, 1, 10).await;
    assert_eq!(first.len(), 1, "no notification");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the live subscriber waited {:?} behind the dead one",
        started.elapsed()
    );
    assert_eq!(first[0]["subscriptionId"], "urn:ngsi-ld:Subscription:live");
    assert_eq!(first[0]["triggerReason"], "attributeCreated");
    assert_eq!(first[0]["data"][0]["name"], "Main");

    // A SPARQL Update of the entity's graph is a change too.
    let update = app
        .update(
            "DELETE { GRAPH <urn:ngsi-ld:Street:9> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"Main\" } } \
             INSERT { GRAPH <urn:ngsi-ld:Street:9> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"High\" } } \
             WHERE { GRAPH <urn:ngsi-ld:Street:9> { ?a <https://uri.etsi.org/ngsi-ld/hasValue> \"Main\" } }",
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text());
    let second = notifications(&received, 2, 10).await;
    assert_eq!(second.len(), 2, "no notification after the SPARQL Update");
    assert_eq!(second[1]["triggerReason"], "attributeUpdated");
    assert_eq!(second[1]["data"][0]["name"], "High");

    // The subscription shows what was sent; the dead one its failures, once they are known.
    let live = ngsi(
        &app,
        Method::GET,
        "subscriptions/urn:ngsi-ld:Subscription:live",
        &[],
        None,
    )
    .await;
    assert_eq!(
        live.json()["notification"]["timesSent"],
        2,
        "{}",
        live.text()
    );
    assert_eq!(live.json()["notification"]["status"], "ok");
    assert_eq!(live.json()["status"], "active");
}

#[actix_web::test]
async fn the_sensors_of_mapping_ingest_are_ngsi_ld_entities_with_their_latest_readings() {
    let context = r#"{"@context": {"Sensor": "http://www.w3.org/ns/sosa/Sensor",
        "pm25": "https://w3id.org/citykg/property/pm25"}}"#;
    let site = static_site(vec![(
        "/city.jsonld",
        200,
        "application/ld+json",
        context.to_owned(),
    )])
    .await;
    let host = site.trim_start_matches("http://").to_owned();
    let app = spawn_with(move |s| {
        s.ngsi_ld_open_writes = true;
        s.allow_list = citykg::core::config::AllowList::new([host]);
    })
    .await;
    let csv = "sensor_id,district,lat,lon,property,value,unit,timestamp\n\
               aq-1,D01,48.20,16.37,pm25,12.5,ug/m3,2025-03-01T00:00:00Z\n\
               aq-1,D01,48.20,16.37,pm25,14.5,ug/m3,2025-03-01T01:00:00Z\n\
               aq-2,D02,48.21,16.38,pm25,30,ug/m3,2025-03-01T00:30:00Z\n";
    let ingest = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/builtin/readings-csv",
                Some("text/csv"),
            ),
            csv,
        )
        .await;
    assert_eq!(ingest.status, 200, "{}", ingest.text());
    let with_context = [("Link", link(&format!("{site}/city.jsonld")))];
    let all = ngsi(
        &app,
        Method::GET,
        "entities?type=Sensor&options=keyValues",
        &with_context,
        None,
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.text());
    let sensors = all.json();
    let sensors = sensors.as_array().unwrap();
    assert_eq!(sensors.len(), 2, "{sensors:?}");
    assert_eq!(sensors[0]["type"], "Sensor");
    assert_eq!(sensors[0]["pm25"], 14.5, "the latest reading: {sensors:?}");
    assert_eq!(sensors[0]["location"]["type"], "Point");
    // q applies to them like to any entity; without the context the names are IRIs.
    let high = ngsi(
        &app,
        Method::GET,
        "entities?type=Sensor&q=pm25%3E20",
        &with_context,
        None,
    )
    .await;
    let high = high.json();
    assert_eq!(high.as_array().map(Vec::len), Some(1), "{high}");
    assert_eq!(high[0]["pm25"]["observedAt"], "2025-03-01T00:30:00Z");
    let id = high[0]["id"].as_str().unwrap().to_owned();
    let one = ngsi(
        &app,
        Method::GET,
        &format!(
            "entities/{}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        ),
        &[],
        None,
    )
    .await;
    assert_eq!(one.status, 200, "{}", one.text());
    assert_eq!(
        one.json()["https://w3id.org/citykg/property/pm25"]["value"],
        30.0
    );
}
