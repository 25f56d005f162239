//! The NGSI-LD built-in mappings over HTTP: every NGSI-LD file of the Smart Data Models corpus
//! ingests through `builtin/ngsi-ld-normalized` or `builtin/ngsi-ld-concise` and passes the
//! shipped observation and sensor shapes; named examples hold the values, units, times,
//! sensors and locations their payloads carry.

use awc::http::Method;
use serde_json::{Value, json};

use crate::builtins::{assert_conforms, observations, payload, select_one};
use crate::helpers::{Reply, TestApp, spawn_app};

const SDM: &str = "fiware-sdm";
const SOSA: &str = "PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX cprop: <https://w3id.org/citykg/property/>";

/// Every NGSI-LD file of the corpus, its built-in, its media type, and how many observations
/// it makes (numbers with a time; a number with no time at all is no observation).
const CORPUS: &[(&str, &str, &str, usize)] = &[
    (
        "AirQualityObserved.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        17,
    ),
    (
        "Device.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        0,
    ),
    (
        "DeviceMeasurement.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        1,
    ),
    (
        "ParkingSpot.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        0,
    ),
    (
        "Streetlight.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        0,
    ),
    (
        "ThreePhaseAcMeasurement.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        36,
    ),
    (
        "TrafficFlowObserved.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        6,
    ),
    (
        "WaterQualityObserved.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        37,
    ),
    (
        "WeatherObserved.ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
        11,
    ),
    (
        "DeviceMeasurement.ngsi-ld.keyvalues.jsonld",
        "ngsi-ld-concise",
        "application/ld+json",
        1,
    ),
    (
        "ParkingSpot.ngsi-ld.keyvalues.jsonld",
        "ngsi-ld-concise",
        "application/ld+json",
        0,
    ),
    (
        "ThreePhaseAcMeasurement.ngsi-ld.keyvalues.jsonld",
        "ngsi-ld-concise",
        "application/ld+json",
        0,
    ),
    (
        "WaterConsumptionObserved.ngsi-ld.keyvalues.jsonld",
        "ngsi-ld-concise",
        "application/ld+json",
        0,
    ),
    (
        "AirQualityObserved.ngsi-ld.geojsonfeature.json",
        "ngsi-ld-concise",
        "application/geo+json",
        12,
    ),
];

async fn post(app: &TestApp, format: &str, query: &str, media: &str, body: &Value) -> Reply {
    let request = app.admin(
        Method::POST,
        &format!("/ingest/builtin/{format}{query}"),
        Some(media),
    );
    app.send(request, body.to_string()).await
}

/// POSTs `body` as JSON-LD under a declared zone (`Z`); returns the target graph.
async fn ingest(app: &TestApp, format: &str, body: &Value) -> String {
    let reply = post(app, format, "?timezone=Z", "application/ld+json", body).await;
    assert_eq!(reply.status, 200, "builtin/{format}: {}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

async fn all_observations(app: &TestApp) -> usize {
    app.count("SELECT * WHERE { GRAPH ?g { ?o a <http://www.w3.org/ns/sosa/Observation> } }")
        .await
}

#[actix_web::test]
async fn every_ngsi_ld_file_of_the_corpus_ingests_and_conforms_to_the_shapes() {
    let app = spawn_app().await;
    for (file, format, media, expected) in CORPUS {
        let body = payload(&format!("{SDM}/{file}"));
        // Every ingest of a built-in lands in the same graph: count what this file adds.
        let before = all_observations(&app).await;
        let reply = post(&app, format, "?timezone=Z", media, &body).await;
        assert_eq!(reply.status, 200, "{file}: {}", reply.text());
        let graph = reply.json()["target_graph"].as_str().unwrap().to_owned();
        assert_conforms(&app, &graph, file).await;
        assert_eq!(all_observations(&app).await - before, *expected, "{file}");
        // The entity is stored under its own id, typed in the NGSI-LD default context.
        let id = body["id"].as_str().unwrap();
        let kind = body["properties"]["type"]
            .as_str()
            .or(body["type"].as_str())
            .unwrap();
        let typed = app
            .count(&format!(
                "SELECT * WHERE {{ GRAPH <{graph}> {{
                   <{id}> a <https://uri.etsi.org/ngsi-ld/default-context/{kind}> ;
                          <http://purl.org/dc/terms/identifier> \"{id}\" }} }}"
            ))
            .await;
        assert_eq!(typed, 1, "{file}: entity {id} not stored as a {kind}");
    }
}

#[actix_web::test]
async fn air_quality_normalized_keeps_value_unit_time_entity_and_location() {
    let app = spawn_app().await;
    let body = payload(&format!(
        "{SDM}/AirQualityObserved.ngsi-ld.normalized.jsonld"
    ));
    // dateObserved is written without a zone: Madrid in March is at +01:00.
    let reply = post(
        &app,
        "ngsi-ld-normalized",
        "?timezone=%2B01:00",
        "application/ld+json",
        &body,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let graph = reply.json()["target_graph"].as_str().unwrap().to_owned();
    let entity =
        "urn:ngsi-ld:AirQualityObserved:Madrid-AmbientObserved-28079004-2016-03-15T11:00:00";
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?unit ?number ?time ?sensor WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:no2 ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:madeBySensor ?sensor ;
                  sosa:hasFeatureOfInterest <{entity}> ;
                  sosa:hasResult [ a qudt:QuantityValue ; qudt:unit ?unit ; qudt:numericValue ?number ] }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "69");
    assert_eq!(
        found["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    assert_eq!(found["number"]["value"], "69");
    // unitCode "GQ" (UN/CEFACT) -> µg/m³.
    assert_eq!(
        found["unit"]["value"],
        "http://qudt.org/vocab/unit/MicroGM-PER-M3"
    );
    assert_eq!(found["time"]["value"], "2016-03-15T10:00:00Z");
    // No refDevice: the entity is its own sensor.
    assert_eq!(found["sensor"]["value"], entity);
    // "GP" on co.
    let co = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?unit WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:co ; sosa:hasResult/qudt:unit ?unit }} }}"
        ),
    )
    .await;
    assert_eq!(
        co["unit"]["value"],
        "http://qudt.org/vocab/unit/MilliGM-PER-M3"
    );
    // A number without unitCode has no result node; text (airQualityLevel) is no observation.
    let temperature = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value (COUNT(?r) AS ?nodes) WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:temperature ; sosa:hasSimpleResult ?value .
               OPTIONAL {{ ?o sosa:hasResult ?r }} }} }} GROUP BY ?value"
        ),
    )
    .await;
    assert_eq!(temperature["value"]["value"], "12.2");
    assert_eq!(temperature["nodes"]["value"], "0");
    let text = app
        .count(&format!(
            "{SOSA} SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?o sosa:observedProperty cprop:airqualitylevel }} }}"
        ))
        .await;
    assert_eq!(text, 0);
    // GeoJSON [lon, lat] -> WKT in the same order.
    let place = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?wkt WHERE {{ GRAPH <{graph}> {{
               <{entity}> a sosa:FeatureOfInterest ; geo:hasGeometry/geo:asWKT ?wkt ;
                 <https://w3id.org/citykg/ns#relationship>
                   <urn:ngsi-ld:PointOfInterest:28079004-Pza.deEspanya> }} }}"
        ),
    )
    .await;
    assert_eq!(
        place["wkt"]["value"],
        "POINT(-3.712247222222222 40.423852777777775)"
    );
    // Re-ingesting the same entity names the same observations.
    let again = post(
        &app,
        "ngsi-ld-normalized",
        "?timezone=%2B01:00",
        "application/ld+json",
        &body,
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.text());
    let total = app
        .count(&format!(
            "{SOSA} SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?o sosa:observedProperty cprop:no2 }} }}"
        ))
        .await;
    assert_eq!(total, 1);
}

#[actix_web::test]
async fn a_naive_date_observed_without_a_declared_zone_is_quarantined() {
    let app = spawn_app().await;
    let body = payload(&format!(
        "{SDM}/AirQualityObserved.ngsi-ld.normalized.jsonld"
    ));
    let reply = post(&app, "ngsi-ld-normalized", "", "application/ld+json", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
}

#[actix_web::test]
async fn three_phase_members_become_observations_with_their_observed_at_and_device() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "ngsi-ld-normalized",
        &payload(&format!(
            "{SDM}/ThreePhaseAcMeasurement.ngsi-ld.normalized.jsonld"
        )),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?time ?sensor WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:current_l1 ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:madeBySensor ?sensor .
               ?sensor a sosa:Sensor , <https://saref.etsi.org/core/Device> }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "56.126038");
    assert_eq!(found["time"]["value"], "2019-01-24T22:00:00.173Z");
    assert_eq!(
        found["sensor"]["value"],
        "urn:ngsi-ld:Device:Device:eQL-EDF3GL-2006201705"
    );
    // The neutral conductor is a member like the phases; sub-properties are not observations.
    for property in [
        "current_n",
        "phasetophasevoltage_l12",
        "totalactiveenergyimport",
    ] {
        let count = app
            .count(&format!(
                "{SOSA} SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?o sosa:observedProperty cprop:{property} }} }}"
            ))
            .await;
        assert_eq!(count, 1, "{property}");
    }
    let sub = app
        .count(&format!(
            "{SOSA} SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?o sosa:observedProperty ?p .
               FILTER(CONTAINS(STR(?p), \"measurementinterval\")) }} }}"
        ))
        .await;
    assert_eq!(sub, 0);
}

#[actix_web::test]
async fn parking_spot_and_device_keep_what_they_say() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        "ngsi-ld-normalized",
        &payload(&format!("{SDM}/ParkingSpot.ngsi-ld.normalized.jsonld")),
    )
    .await;
    let spot = select_one(
        &app,
        &format!(
            "{SOSA} PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT ?label ?wkt ?site WHERE {{ GRAPH <{graph}> {{
               <urn:ngsi-ld:ParkingSpot:santander:daoiz_velarde_1_5:3> a sosa:FeatureOfInterest ;
                 rdfs:label ?label ; geo:hasGeometry/geo:asWKT ?wkt ;
                 <https://w3id.org/citykg/ns#relationship> ?site }} }}"
        ),
    )
    .await;
    assert_eq!(spot["label"]["value"], "A-13");
    assert_eq!(
        spot["wkt"]["value"],
        "POINT(-3.80356167695194 43.46296641666926)"
    );
    assert_eq!(
        spot["site"]["value"],
        "urn:ngsi-ld:ParkingSite:santander:daoiz_velarde_1_5"
    );

    // A Device is a sensor, not a feature of interest.
    let graph = ingest(
        &app,
        "ngsi-ld-normalized",
        &payload(&format!("{SDM}/Device.ngsi-ld.normalized.jsonld")),
    )
    .await;
    let kinds = app
        .count(&format!(
            "{SOSA} SELECT ?k WHERE {{ GRAPH <{graph}> {{ <urn:ngsi-ld:Device:device-9845A> a ?k }} }}"
        ))
        .await;
    assert_eq!(kinds, 3, "default-context type, sosa:Sensor, saref:Device");
    let feature = app
        .count(&format!(
            "{SOSA} SELECT * WHERE {{ GRAPH <{graph}> {{ <urn:ngsi-ld:Device:device-9845A> a sosa:FeatureOfInterest }} }}"
        ))
        .await;
    assert_eq!(feature, 0);

    // DeviceMeasurement writes [lat, lon] in a [lon, lat] slot: stored as written, not swapped.
    let graph = ingest(
        &app,
        "ngsi-ld-normalized",
        &payload(&format!(
            "{SDM}/DeviceMeasurement.ngsi-ld.normalized.jsonld"
        )),
    )
    .await;
    let measurement = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?wkt ?value ?time WHERE {{ GRAPH <{graph}> {{
               <urn:ngsi-ld:MEASUREMENT:id:PMZY:77452386> geo:hasGeometry/geo:asWKT ?wkt .
               ?o sosa:observedProperty cprop:numvalue ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time }} }}"
        ),
    )
    .await;
    assert_eq!(measurement["wkt"]["value"], "POINT(60.170833 24.9375)");
    assert_eq!(measurement["value"]["value"], "55.2");
    assert_eq!(measurement["time"]["value"], "2021-09-03T07:33:18Z");
}

#[actix_web::test]
async fn concise_attributes_relationships_and_arrays_of_entities_map() {
    let app = spawn_app().await;
    let body = json!([
        {
            "id": "urn:ngsi-ld:AirQualityObserved:gent-1",
            "type": "AirQualityObserved",
            "dateObserved": {"@type": "DateTime", "@value": "2024-05-01T10:00:00+02:00"},
            "no2": {"value": 42.5, "unitCode": "GQ", "observedAt": "2024-05-01T09:30:00Z"},
            "temperature": 12,
            "pm10": "17",
            "refDevice": {"object": "urn:ngsi-ld:Device:gent-sensor"},
            "activePower": {"value": {"L1": 1.5, "L2": 2}, "unitCode": "KWT"},
            "location": {"type": "Point", "coordinates": [3.72, 51.05]},
            "@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"]
        },
        {
            "id": "urn:ngsi-ld:Thing:t2",
            "type": "https://example.org/ns/Thing",
            "dateObserved": "2024-05-01T10:00:00Z",
            "level": 3
        }
    ]);
    let graph = ingest(&app, "ngsi-ld-concise", &body).await;
    assert_conforms(&app, &graph, "concise array").await;
    // no2, temperature, activePower L1 and L2, level; the string "17" is no observation.
    assert_eq!(observations(&app, &graph).await, 5);
    let no2 = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?unit ?time ?sensor WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:no2 ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:madeBySensor ?sensor ;
                  sosa:hasResult/qudt:unit ?unit }} }}"
        ),
    )
    .await;
    assert_eq!(no2["value"]["value"], "42.5");
    assert_eq!(
        no2["unit"]["value"],
        "http://qudt.org/vocab/unit/MicroGM-PER-M3"
    );
    // observedAt wins over dateObserved.
    assert_eq!(no2["time"]["value"], "2024-05-01T09:30:00Z");
    assert_eq!(no2["sensor"]["value"], "urn:ngsi-ld:Device:gent-sensor");
    // A bare number is dated by the entity's typed dateObserved, in UTC.
    let temperature = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?time WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:temperature ; sosa:resultTime ?time }} }}"
        ),
    )
    .await;
    assert_eq!(temperature["time"]["value"], "2024-05-01T08:00:00Z");
    let power = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?unit WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:activepower_l1 ; sosa:hasSimpleResult ?value ;
                  sosa:hasResult/qudt:unit ?unit }} }}"
        ),
    )
    .await;
    assert_eq!(power["value"]["value"], "1.5");
    assert_eq!(power["unit"]["value"], "http://qudt.org/vocab/unit/KiloW");
    // An entity type that is an IRI already is kept; with no refDevice the entity is the sensor.
    let thing = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?sensor WHERE {{ GRAPH <{graph}> {{
               <urn:ngsi-ld:Thing:t2> a <https://example.org/ns/Thing> , sosa:FeatureOfInterest .
               ?o sosa:observedProperty cprop:level ; sosa:madeBySensor ?sensor }} }}"
        ),
    )
    .await;
    assert_eq!(thing["sensor"]["value"], "urn:ngsi-ld:Thing:t2");
}

#[actix_web::test]
async fn an_unknown_entity_type_maps_generically() {
    let app = spawn_app().await;
    let body = json!({
        "id": "urn:ngsi-ld:BeeHive:hive-7",
        "type": "BeeHive",
        "name": {"type": "Property", "value": "Hive 7"},
        "broodTemperature": {"type": "Property", "value": 34.5, "unitCode": "CEL",
                   "observedAt": "2024-06-01T06:00:00Z"},
        "location": {"type": "GeoProperty",
                     "value": {"type": "Point", "coordinates": [4.4, 51.2]}}
    });
    let graph = ingest(&app, "ngsi-ld-normalized", &body).await;
    assert_conforms(&app, &graph, "BeeHive").await;
    let found = select_one(
        &app,
        &format!(
            "{SOSA} PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             SELECT ?value ?unit ?time ?wkt WHERE {{ GRAPH <{graph}> {{
               <urn:ngsi-ld:BeeHive:hive-7>
                 a <https://uri.etsi.org/ngsi-ld/default-context/BeeHive> ;
                 rdfs:label \"Hive 7\" ; geo:hasGeometry/geo:asWKT ?wkt .
               ?o sosa:observedProperty cprop:broodtemperature ; sosa:hasSimpleResult ?value ;
                  sosa:resultTime ?time ; sosa:hasResult/qudt:unit ?unit }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "34.5");
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/DEG_C");
    assert_eq!(found["time"]["value"], "2024-06-01T06:00:00Z");
    assert_eq!(found["wkt"]["value"], "POINT(4.4 51.2)");
}

#[actix_web::test]
async fn an_unknown_unit_code_or_a_non_iri_id_is_quarantined() {
    let app = spawn_app().await;
    let mut body = payload(&format!("{SDM}/WeatherObserved.ngsi-ld.normalized.jsonld"));
    body["temperature"]["unitCode"] = json!("XYZ");
    let reply = post(&app, "ngsi-ld-normalized", "", "application/ld+json", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("XYZ"), "{}", reply.text());

    // An NGSI-v2 style id is not an IRI: nothing is minted for it.
    let body = json!({"id": "Madrid-28079004", "type": "AirQualityObserved",
                      "dateObserved": "2024-01-01T00:00:00Z", "no2": 12});
    let reply = post(&app, "ngsi-ld-concise", "", "application/json", &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("Madrid-28079004"), "{}", reply.text());

    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let stored = app
        .count("SELECT * WHERE { GRAPH ?g { ?o a <http://www.w3.org/ns/sosa/Observation> } }")
        .await;
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn the_geojson_feature_maps_through_the_concise_builtin() {
    let app = spawn_app().await;
    let body = payload(&format!(
        "{SDM}/AirQualityObserved.ngsi-ld.geojsonfeature.json"
    ));
    let reply = post(
        &app,
        "ngsi-ld-concise",
        "?timezone=Z",
        "application/geo+json",
        &body,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let graph = reply.json()["target_graph"].as_str().unwrap().to_owned();
    let entity =
        "urn:ngsi-ld:AirQualityObserved:Madrid-AmbientObserved-28079004-2016-03-15T11:00:00";
    let found = select_one(
        &app,
        &format!(
            "{SOSA} SELECT ?value ?time ?wkt WHERE {{ GRAPH <{graph}> {{
               <{entity}> a <https://uri.etsi.org/ngsi-ld/default-context/AirQualityObserved> ;
                 geo:hasGeometry/geo:asWKT ?wkt .
               ?o sosa:observedProperty cprop:no2 ; sosa:hasFeatureOfInterest <{entity}> ;
                  sosa:hasSimpleResult ?value ; sosa:resultTime ?time }} }}"
        ),
    )
    .await;
    assert_eq!(found["value"]["value"], "69");
    // dateObserved is an interval here: the result time is its end.
    assert_eq!(found["time"]["value"], "2016-03-15T12:00:00Z");
    assert_eq!(
        found["wkt"]["value"],
        "POINT(-3.712247222222222 40.423852777777775)"
    );
}
