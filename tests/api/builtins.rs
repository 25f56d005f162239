//! The LoRaWAN built-in mappings over HTTP: every network-server envelope of the shared corpus
//! ingests through its `builtin/{format}` mapping, the result passes the shipped observation and
//! sensor shapes, and named examples hold the values their payloads carry.

use std::path::PathBuf;

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, form, spawn_app};

pub(crate) fn payloads_dir() -> PathBuf {
    std::env::var_os("CITYKG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("payloads")
}

/// Every LoRaWAN envelope of the corpus (see its SOURCES.md) with its built-in mapping.
const CORPUS: &[(&str, &str)] = &[
    (
        "bertrik-sensor-data-bridge/ttnv3_mqtt_message.json",
        "ttn-v3",
    ),
    ("bertrik-sensor-data-bridge/ttn_mqtt_message.json", "ttn-v2"),
    ("bertrik-sensor-data-bridge/helium_uplink.json", "helium"),
    (
        "thingsboard-data-converters/Bosch-Parking-Lot-Sensor.ttn.payload.json",
        "ttn-v3",
    ),
    (
        "thingsboard-data-converters/Decentlab-DL-MBX.tti.payload.json",
        "ttn-v3",
    ),
    (
        "thingsboard-data-converters/Ezurio-RS26x.ttn.payload.json",
        "ttn-v3",
    ),
    (
        "thingsboard-data-converters/Milesight-EM300-DI.tti.payload.json",
        "ttn-v3",
    ),
    (
        "thingsboard-data-converters/Yobiiq-EM2101.ttn.payload.json",
        "ttn-v3",
    ),
    (
        "thingsboard-data-converters/Milesight-AM319.chirpstack.payload.json",
        "chirpstack-v4",
    ),
    (
        "thingsboard-data-converters/Nwave-G4-NPS-FM.chirpstack.payload.json",
        "chirpstack-v4",
    ),
    (
        "thingsboard-data-converters/Yobiiq-EM2101.chirpstack.payload.json",
        "chirpstack-v4",
    ),
    (
        "thingsboard-data-converters/Milesight-AM319.loriot.payload.json",
        "loriot",
    ),
    (
        "thingsboard-data-converters/Decentlab-DL-ATM41.thingpark.payload.json",
        "thingpark",
    ),
];

pub(crate) fn payload(file: &str) -> Value {
    let path = payloads_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (set CITYKG_SHARED to the shared folder)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// POSTs `body` to `/ingest/builtin/{format}`; returns the target graph.
pub(crate) async fn ingest(app: &TestApp, format: &str, body: &Value) -> String {
    let request = app.admin(
        Method::POST,
        &format!("/ingest/builtin/{format}"),
        Some("application/json"),
    );
    let reply = app.send(request, body.to_string()).await;
    assert_eq!(reply.status, 200, "builtin/{format}: {}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

/// Validates a stored graph against the shipped observation and sensor shapes: no violation.
pub(crate) async fn assert_conforms(app: &TestApp, graph: &str, what: &str) {
    let path = format!(
        "/shacl?{}&shapes=observation,sensor",
        form(&[("graph", graph)])
    );
    let request = app
        .admin(Method::POST, &path, None)
        .insert_header(("Accept", "application/json"));
    let reply = app.send(request, "").await;
    assert_eq!(reply.status, 200, "{what}: {}", reply.text());
    let summary = reply.json();
    let violations = summary["by_severity"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(severity, _)| severity.contains("Violation"))
        .map(|(_, count)| count.as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(violations, 0, "{what}: {summary}");
}

/// The single solution's values of a SELECT, by variable.
pub(crate) async fn select_one(app: &TestApp, query: &str) -> Value {
    let reply = app.query(query, "application/sparql-results+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let bindings = reply.json()["results"]["bindings"].clone();
    assert_eq!(bindings.as_array().unwrap().len(), 1, "{query}: {bindings}");
    bindings[0].clone()
}

pub(crate) async fn observations(app: &TestApp, graph: &str) -> usize {
    app.count(&format!(
        "SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?o a <http://www.w3.org/ns/sosa/Observation> }} }}"
    ))
    .await
}

#[actix_web::test]
async fn every_lorawan_envelope_of_the_corpus_ingests_and_conforms_to_the_shapes() {
    let app = spawn_app().await;
    for (file, format) in CORPUS {
        let graph = ingest(&app, format, &payload(file)).await;
        assert_conforms(&app, &graph, file).await;
        // Every envelope records its uplink, sent by a device, at a UTC time.
        let uplinks = app
            .count(&format!(
                "PREFIX citykg: <https://w3id.org/citykg/ns#>
                 PREFIX prov: <http://www.w3.org/ns/prov#>
                 SELECT ?u WHERE {{ GRAPH <{graph}> {{
                   ?u a citykg:Uplink ; citykg:sentBy ?d ; prov:generatedAtTime ?t .
                   ?d a <http://www.w3.org/ns/sosa/Sensor> .
                   FILTER(datatype(?t) = <http://www.w3.org/2001/XMLSchema#dateTime>
                          && STRENDS(STR(?t), \"Z\"))
                 }} }}"
            ))
            .await;
        assert!(uplinks >= 1, "{file}: no uplink recorded");
    }
}

#[actix_web::test]
async fn the_tts_v3_decoded_temperature_keeps_its_value_time_and_device() {
    let app = spawn_app().await;
    let file = "thingsboard-data-converters/Ezurio-RS26x.ttn.payload.json";
    let graph = ingest(&app, "ttn-v3", &payload(file)).await;
    let found = select_one(
        &app,
        &format!(
            "PREFIX sosa: <http://www.w3.org/ns/sosa/>
             PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT ?value ?time ?label WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty <https://w3id.org/citykg/property/temperature> ;
                  sosa:hasSimpleResult ?value ; sosa:resultTime ?time ; sosa:madeBySensor ?d .
               ?d rdfs:label ?label }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "20.02");
    assert_eq!(
        found["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    // uplink_message.received_at, nine fractional digits kept.
    assert_eq!(found["time"]["value"], "2025-11-08T02:28:21.194747149Z");
    assert_eq!(found["label"]["value"], "rs261-erik-internal");
    // Battery Status and Temperature, plus the five members of "Device Status".
    assert_eq!(observations(&app, &graph).await, 7);
}

#[actix_web::test]
async fn gateways_do_not_multiply_observations() {
    let app = spawn_app().await;
    // The EM300-DI uplink heard by two gateways, given decoded values.
    let mut body = payload("thingsboard-data-converters/Milesight-EM300-DI.tti.payload.json");
    body["uplink_message"]["decoded_payload"] =
        json!({"battery": 92, "temperature": "27.2", "humidity": 46.5, "gpio": 1});
    let graph = ingest(&app, "ttn-v3", &body).await;
    assert_conforms(&app, &graph, "EM300-DI with decoded values").await;
    assert_eq!(observations(&app, &graph).await, 4);
    let gateways = app
        .count(&format!(
            "SELECT ?g WHERE {{ GRAPH <{graph}> {{ ?u <https://w3id.org/citykg/ns#receivedBy> ?g }} }}"
        ))
        .await;
    assert_eq!(gateways, 2);
}

#[actix_web::test]
async fn ttn_v2_and_chirpstack_decoded_values_become_observations() {
    let app = spawn_app().await;
    let mut v2 = payload("bertrik-sensor-data-bridge/ttn_mqtt_message.json");
    v2["payload_fields"] = json!({"pm10": 19.8, "pm2p5": 12, "ok": true});
    let graph = ingest(&app, "ttn-v2", &v2).await;
    assert_conforms(&app, &graph, "TTN v2 with payload_fields").await;
    assert_eq!(observations(&app, &graph).await, 3);
    let found = select_one(
        &app,
        &format!(
            "PREFIX sosa: <http://www.w3.org/ns/sosa/>
             SELECT ?value ?time ?sensor WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty <https://w3id.org/citykg/property/pm2p5> ;
                  sosa:hasSimpleResult ?value ; sosa:resultTime ?time ; sosa:madeBySensor ?sensor }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "12");
    assert_eq!(found["time"]["value"], "2019-04-21T19:11:54.660942013Z");
    assert!(
        found["sensor"]["value"]
            .as_str()
            .unwrap()
            .ends_with("/id/device/000084B14CA4AE30")
    );

    let mut chirpstack =
        payload("thingsboard-data-converters/Milesight-AM319.chirpstack.payload.json");
    chirpstack["object"] = json!({"temperature": 23.4, "humidity": 51, "co2": 612});
    let graph = ingest(&app, "chirpstack-v4", &chirpstack).await;
    assert_conforms(&app, &graph, "ChirpStack with object").await;
    assert_eq!(observations(&app, &graph).await, 3);
    let found = select_one(
        &app,
        &format!(
            "PREFIX sosa: <http://www.w3.org/ns/sosa/>
             SELECT ?value ?time WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty <https://w3id.org/citykg/property/humidity> ;
                  sosa:hasSimpleResult ?value ; sosa:resultTime ?time }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "51");
    // `+00:00` becomes `Z`.
    assert_eq!(found["time"]["value"], "2023-05-22T07:47:05.404859Z");
}

#[actix_web::test]
async fn epoch_milliseconds_and_string_coordinates_become_typed_values() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "helium",
        &payload("bertrik-sensor-data-bridge/helium_uplink.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "SELECT ?time WHERE {{ GRAPH <{graph}> {{
               ?u <http://www.w3.org/ns/prov#generatedAtTime> ?time }} }}"
        ),
    )
    .await;
    assert_eq!(found["time"]["value"], "2021-09-12T14:39:25.832Z");
    let graph = ingest(
        &app,
        "thingpark",
        &payload("thingsboard-data-converters/Decentlab-DL-ATM41.thingpark.payload.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "SELECT ?lat ?time WHERE {{ GRAPH <{graph}> {{
               ?d <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?lat ;
                  <http://purl.org/dc/terms/identifier> \"70B3D57BA000156B\" .
               ?u <http://www.w3.org/ns/prov#generatedAtTime> ?time }} }}"
        ),
    )
    .await;
    assert_eq!(found["lat"]["value"], "32.592782");
    assert_eq!(
        found["lat"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    assert_eq!(found["time"]["value"], "2024-11-28T21:08:22.138Z");
}

#[actix_web::test]
async fn a_malformed_time_is_quarantined_not_guessed() {
    let app = spawn_app().await;
    let mut body = payload("thingsboard-data-converters/Bosch-Parking-Lot-Sensor.ttn.payload.json");
    body["uplink_message"]["received_at"] = json!("2020-0327T12:39:05Z");
    let request = app.admin(
        Method::POST,
        "/ingest/builtin/ttn-v3",
        Some("application/json"),
    );
    let reply = app.send(request, body.to_string()).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
}
