//! The NGSI-v2 built-ins over HTTP: every FIWARE Smart Data Models example of the shared corpus
//! in v2 key-values or normalized form ingests through `builtin/ngsi-v2-keyvalues` or
//! `builtin/ngsi-v2-normalized`, the result passes the shipped observation and sensor shapes,
//! and named examples hold the values, units, times and places their payloads carry.

use awc::http::Method;
use serde_json::{Value, json};

use crate::builtins::{assert_conforms, payload, payloads_dir, select_one};
use crate::helpers::{Reply, TestApp, spawn_app};

const SOSA: &str = "PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX cprop: <https://w3id.org/citykg/property/>
PREFIX ngsi: <https://uri.etsi.org/ngsi-ld/default-context/>
";

/// The examples' times without an offset (AirQualityObserved, TrafficFlowObserved) are Madrid
/// and Valladolid local times in winter; `+` written %2B in the query string.
const ZONE: &str = "%2B01:00";

/// Every v2 example of the corpus: (file, observations it makes). Entities without any
/// observation time (no dateObserved, no attribute timestamp) make none, by design.
const CORPUS: &[(&str, usize)] = &[
    ("AirQualityObserved.ngsi-v2.keyvalues.json", 17),
    ("Device.ngsi-v2.keyvalues.json", 0),
    ("ThreePhaseAcMeasurement.ngsi-v2.keyvalues.json", 0),
    ("TrafficFlowObserved.ngsi-v2.keyvalues.json", 7),
    ("WaterConsumptionObserved.ngsi-v2.keyvalues.json", 0),
    ("WaterQualityObserved.ngsi-v2.keyvalues.json", 37),
    ("WeatherObserved.ngsi-v2.keyvalues.json", 11),
    ("Device.ngsi-v2.normalized.json", 0),
    ("Streetlight.ngsi-v2.normalized.json", 0),
    // 8 scalar attributes and 31 phase members, each timed by its metadata.timestamp.
    ("ThreePhaseAcMeasurement.ngsi-v2.normalized.json", 39),
    ("TrafficFlowObserved.ngsi-v2.normalized.json", 7),
    ("WaterConsumptionObserved.ngsi-v2.normalized.json", 0),
    ("WaterQualityObserved.ngsi-v2.normalized.json", 37),
];

fn format_of(file: &str) -> &'static str {
    if file.ends_with(".ngsi-v2.keyvalues.json") {
        "ngsi-v2-keyvalues"
    } else {
        "ngsi-v2-normalized"
    }
}

async fn post(app: &TestApp, format: &str, query: &str, body: &Value) -> Reply {
    let request = app.admin(
        Method::POST,
        &format!("/ingest/builtin/{format}{query}"),
        Some("application/json"),
    );
    app.send(request, body.to_string()).await
}

/// Ingests under the declared zone; returns the target graph.
async fn ingest(app: &TestApp, format: &str, body: &Value) -> String {
    let reply = post(app, format, &format!("?timezone={ZONE}"), body).await;
    assert_eq!(reply.status, 200, "builtin/{format}: {}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

fn sdm(file: &str) -> Value {
    payload(&format!("fiware-sdm/{file}"))
}

#[actix_web::test]
async fn every_ngsi_v2_example_of_the_corpus_ingests_and_conforms_to_the_shapes() {
    // The table covers the corpus: a new v2 example must be added to it.
    let mut on_disk: Vec<String> = std::fs::read_dir(payloads_dir().join("fiware-sdm"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".ngsi-v2."))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(file, _)| (*file).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);

    let app = spawn_app().await;
    for (file, expected) in CORPUS {
        let body = sdm(file);
        let graph = ingest(&app, format_of(file), &body).await;
        assert_conforms(&app, &graph, file).await;
        // One target graph per mapping: count this entity's observations.
        let made = app
            .count(&format!(
                "{SOSA} SELECT ?o WHERE {{ GRAPH <{graph}> {{
                   ?o a sosa:Observation ; sosa:hasFeatureOfInterest/dcterms:identifier {id} }} }}",
                id = body["id"],
            ))
            .await;
        assert_eq!(made, *expected, "{file}");
        // The entity, whatever its model: its NGSI-LD default-context class and its v2 id.
        let found = select_one(
            &app,
            &format!(
                "{SOSA} SELECT ?class WHERE {{ GRAPH <{graph}> {{
                   ?e dcterms:identifier {id} ; a ?class .
                   FILTER(STRSTARTS(STR(?class), STR(ngsi:))) }} }}",
                id = body["id"],
            ),
        )
        .await;
        assert_eq!(
            found["class"]["value"],
            format!(
                "https://uri.etsi.org/ngsi-ld/default-context/{}",
                body["type"].as_str().unwrap()
            ),
            "{file}"
        );
    }
}

#[actix_web::test]
async fn an_air_quality_reading_keeps_its_value_utc_time_and_entity() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "ngsi-v2-keyvalues",
        &sdm("AirQualityObserved.ngsi-v2.keyvalues.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?time ?id ?sensor ?entity WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:no ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:hasFeatureOfInterest ?entity ;
                  sosa:madeBySensor ?sensor .
               ?entity a sosa:FeatureOfInterest , ngsi:AirQualityObserved ;
                  dcterms:identifier ?id }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "45");
    assert_eq!(
        found["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    // "2016-03-15T11:00:00" at +01:00.
    assert_eq!(found["time"]["value"], "2016-03-15T10:00:00Z");
    assert_eq!(
        found["id"]["value"],
        "Madrid-AmbientObserved-28079004-2016-03-15T11:00:00"
    );
    // No refDevice: the station is its own sensor.
    assert_eq!(found["sensor"], found["entity"]);
    let location = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?wkt WHERE {{ GRAPH <{graph}> {{
               ?e a ngsi:AirQualityObserved ; geo:hasGeometry/geo:asWKT ?wkt }} }}"
        ),
    )
    .await;
    // Longitude first, as GeoJSON writes it.
    assert_eq!(
        location["wkt"]["value"],
        "POINT(-3.712247222222222 40.423852777777775)"
    );
}

#[actix_web::test]
async fn a_naive_time_without_a_declared_zone_is_quarantined() {
    let app = spawn_app().await;
    let body = sdm("AirQualityObserved.ngsi-v2.keyvalues.json");
    let reply = post(&app, "ngsi-v2-keyvalues", "", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("timezone"), "{}", reply.text());
    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    let entries = listed
        .as_array()
        .or_else(|| listed["entries"].as_array())
        .unwrap()
        .clone();
    assert_eq!(entries.len(), 1, "{listed}");
    assert_eq!(entries[0]["mapping"], "builtin/ngsi-v2-keyvalues");
    // Nothing of the payload was stored.
    let stored = app
        .count(&format!(
            "{SOSA} SELECT ?e WHERE {{ GRAPH ?g {{ ?e a ngsi:AirQualityObserved }} }}"
        ))
        .await;
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn a_traffic_interval_ends_at_its_result_time_and_the_road_stays_lon_lat() {
    let app = spawn_app().await;
    for file in [
        "TrafficFlowObserved.ngsi-v2.keyvalues.json",
        "TrafficFlowObserved.ngsi-v2.normalized.json",
    ] {
        let graph = ingest(&app, format_of(file), &sdm(file)).await;
        let found = select_one(
            &app,
            &format!(
                "{SOSA} SELECT ?value ?time ?wkt WHERE {{ GRAPH <{graph}> {{
                   ?o sosa:observedProperty cprop:intensity ; sosa:hasSimpleResult ?value ;
                      sosa:resultTime ?time ; sosa:hasFeatureOfInterest ?road .
                   ?road geo:hasGeometry/geo:asWKT ?wkt }} }}"
            ),
        )
        .await;
        assert_eq!(found["value"]["value"], "197", "{file}");
        // "2016-12-07T11:10:00/2016-12-07T11:15:00" at +01:00.
        assert_eq!(found["time"]["value"], "2016-12-07T10:15:00Z", "{file}");
        assert_eq!(
            found["wkt"]["value"],
            "LINESTRING(-4.73735395519672 41.6538181849672, -4.73414858659993 41.6600594193478, -4.73447575302641 41.659585195093)",
            "{file}"
        );
        // The boolean attribute is an observation too, typed as a boolean.
        let lane = select_one(
            &app,
            &format!(
                "{SOSA} SELECT ?value WHERE {{ GRAPH <{graph}> {{
                   ?o sosa:observedProperty cprop:reversedlane ; sosa:hasSimpleResult ?value }} }}"
            ),
        )
        .await;
        assert_eq!(lane["value"]["value"], "false", "{file}");
        assert_eq!(
            lane["value"]["datatype"],
            "http://www.w3.org/2001/XMLSchema#boolean"
        );
    }
}

#[actix_web::test]
async fn a_normalized_unit_code_becomes_a_qudt_unit_and_a_string_number_a_number() {
    let app = spawn_app().await;
    let mut entity = sdm("WaterQualityObserved.ngsi-v2.normalized.json");
    // The example's own measurand says NO3 is in M1 (mg/l); as Orion would carry it.
    entity["NO3"]["metadata"] = json!({"unitCode": {"type": "Text", "value": "M1"}});
    entity["temperature"] = json!({"type": "Number", "value": " 24.4 "});
    let graph = ingest(&app, "ngsi-v2-normalized", &json!([entity])).await;
    assert_conforms(&app, &graph, "WaterQualityObserved with a unitCode").await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?simple ?number ?unit ?time WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:no3 ; sosa:hasSimpleResult ?simple ;
                  sosa:resultTime ?time ;
                  sosa:hasResult [ a qudt:QuantityValue ; qudt:numericValue ?number ;
                                   qudt:unit ?unit ] }} }}"
        ),
    )
    .await;
    assert_eq!(found["simple"]["value"], "0.01");
    assert_eq!(found["number"]["value"], "0.01");
    assert_eq!(
        found["unit"]["value"],
        "http://qudt.org/vocab/unit/MilliGM-PER-L"
    );
    assert_eq!(found["time"]["value"], "2017-01-31T06:45:00Z");
    let temperature = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:temperature ; sosa:hasSimpleResult ?value }} }}"
        ),
    )
    .await;
    assert_eq!(temperature["value"]["value"], "24.4");
    assert_eq!(
        temperature["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    // Without a unit code, no result node.
    let nodes = app
        .count(&format!(
            "{SOSA} SELECT ?r WHERE {{ GRAPH <{graph}> {{ ?o sosa:hasResult ?r }} }}"
        ))
        .await;
    assert_eq!(nodes, 1);

    // An unknown unit code, or a Number that is not one, is not guessed: quarantined.
    let mut unknown = sdm("WaterQualityObserved.ngsi-v2.normalized.json");
    unknown["NO3"]["metadata"] = json!({"unitCode": {"value": "NOT-A-CODE"}});
    let reply = post(&app, "ngsi-v2-normalized", "", &unknown).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let mut not_a_number = sdm("WaterQualityObserved.ngsi-v2.normalized.json");
    not_a_number["pH"] = json!({"type": "Number", "value": "n/a"});
    let reply = post(&app, "ngsi-v2-normalized", "", &not_a_number).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
}

#[actix_web::test]
async fn a_three_phase_member_is_an_observation_of_its_device_at_its_attribute_time() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "ngsi-v2-normalized",
        &sdm("ThreePhaseAcMeasurement.ngsi-v2.normalized.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} PREFIX saref: <https://saref.etsi.org/core/>
             SELECT ?value ?time ?device ?feature WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:activepower_l1 ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:madeBySensor ?d ; sosa:hasFeatureOfInterest ?f .
               ?d a sosa:Sensor , saref:Device ; dcterms:identifier ?device .
               ?f a ngsi:ThreePhaseAcMeasurement ; dcterms:identifier ?feature }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "11996.416016");
    assert_eq!(found["time"]["value"], "2019-01-24T22:00:00.173Z");
    assert_eq!(found["device"]["value"], "Device:eQL-EDF3GL-2006201705");
    assert_eq!(
        found["feature"]["value"],
        "ThreePhaseAcMeasurement:LV3_Ventilation"
    );
    // The neutral current is a member like the phases.
    let neutral = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:current_n ; sosa:hasSimpleResult ?value }} }}"
        ),
    )
    .await;
    assert_eq!(neutral["value"]["value"], "0");
}

#[actix_web::test]
async fn a_weather_reading_is_made_by_its_referenced_device() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "ngsi-v2-keyvalues",
        &sdm("WeatherObserved.ngsi-v2.keyvalues.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?time ?device WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:temperature ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:madeBySensor ?d .
               ?d a sosa:Sensor ; dcterms:identifier ?device }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "3.3");
    assert_eq!(found["time"]["value"], "2016-11-30T07:00:00Z");
    assert_eq!(found["device"]["value"], "device-0A3478");
    // The weather station entity is then not a sensor itself.
    let sensors = app
        .count(&format!(
            "{SOSA} SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a sosa:Sensor }} }}"
        ))
        .await;
    assert_eq!(sensors, 1);
}

#[actix_web::test]
async fn an_unknown_entity_type_maps_generically_from_an_array_or_a_notification() {
    let app = spawn_app().await;
    let hive = json!({"id": "x", "type": "BeeHive", "temperature": 31.5,
                      "dateObserved": "2024-05-01T10:00:00Z", "name": "hive x"});
    let normalized = json!({"id": "y", "type": "BeeHive",
        "temperature": {"type": "Number", "value": 33},
        "dateObserved": {"type": "DateTime", "value": "2024-05-01T11:00:00+02:00"}});
    let bodies = [
        (
            "ngsi-v2-keyvalues",
            json!([hive, {"id": "z", "type": "BeeHive"}]),
            "x",
            "31.5",
            "2024-05-01T10:00:00Z",
        ),
        (
            "ngsi-v2-normalized",
            json!({"subscriptionId": "57458eb60962ef754e7c0998", "data": [normalized]}),
            "y",
            "33",
            "2024-05-01T09:00:00Z",
        ),
    ];
    for (format, body, id, value, time) in bodies {
        let graph = ingest(&app, format, &body).await;
        assert_conforms(&app, &graph, format).await;
        let found = select_one(
            &app,
            &format!(
                "{SOSA} SELECT ?value ?time WHERE {{ GRAPH <{graph}> {{
                   ?o sosa:observedProperty cprop:temperature ; sosa:hasSimpleResult ?value ;
                      sosa:resultTime ?time ; sosa:hasFeatureOfInterest ?hive .
                   ?hive a ngsi:BeeHive , sosa:FeatureOfInterest ; dcterms:identifier \"{id}\" }} }}"
            ),
        )
        .await;
        assert_eq!(found["value"]["value"], value, "{format}");
        assert_eq!(found["time"]["value"], time, "{format}");
    }
    // Both array entities were stored, the one without readings too.
    let hives = app
        .count(&format!(
            "{SOSA} SELECT ?h WHERE {{ GRAPH ?g {{ ?h a ngsi:BeeHive }} }}"
        ))
        .await;
    assert_eq!(hives, 3);
}

#[actix_web::test]
async fn both_built_ins_are_listed_read_only_without_lint_warnings() {
    let app = spawn_app().await;
    let listed = app.get("/mappings", "application/json").await.json();
    for id in ["builtin/ngsi-v2-keyvalues", "builtin/ngsi-v2-normalized"] {
        let builtin = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {listed}"))
            .clone();
        assert_eq!(builtin["read_only"], true, "{builtin}");
        assert_eq!(builtin["payload_source"], "payload.json", "{builtin}");
        assert_eq!(
            builtin["warnings"].as_array().unwrap().len(),
            0,
            "{builtin}"
        );
    }
}
