//! `builtin/sensorthings` over HTTP: every SensorThings payload of the shared corpus (FROST
//! server's examples) ingests and passes the observation and sensor shapes; the deep insert's
//! observations keep value, unit, UTC time, sensor and property; each entity type is told from
//! its members; what the mapping cannot map faithfully goes to the quarantine.

use awc::http::Method;
use serde_json::{Value, json};

use crate::builtins::{assert_conforms, ingest, observations, payload, select_one};
use crate::helpers::{TestApp, spawn_app};

const FORMAT: &str = "sensorthings";
const DEEP_INSERT: &str = "frost-server/sta-deep-insert.entitiesDefault.json";
const CORPUS: &[&str] = &[
    DEEP_INSERT,
    "frost-server/sta-example.Datastream.json",
    "frost-server/sta-example.ObservedProperty.json",
    "frost-server/sta-example.Sensor.json",
    "frost-server/sta-example.Thing.json",
];
const OM_MEASUREMENT: &str = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
const PREFIXES: &str = "PREFIX sosa: <http://www.w3.org/ns/sosa/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX qudt: <http://qudt.org/schema/qudt/>
    PREFIX geo: <http://www.opengis.net/ont/geosparql#>
    PREFIX citykg: <https://w3id.org/citykg/ns#>";

/// The IRIs of the instances of `class` in `graph`, sorted.
async fn instances(app: &TestApp, graph: &str, class: &str) -> Vec<String> {
    let reply = app
        .query(
            &format!("SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a <{class}> }} }} ORDER BY ?s"),
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|binding| binding["s"]["value"].as_str().unwrap().to_owned())
        .collect()
}

/// POSTs a payload that must be refused: 422, kept in the quarantine, its problem naming `why`.
async fn assert_quarantined(app: &TestApp, body: &Value, why: &str) {
    let request = app.admin(
        Method::POST,
        &format!("/ingest/builtin/{FORMAT}"),
        Some("application/json"),
    );
    let reply = app.send(request, body.to_string()).await;
    let problem = reply.problem(422);
    assert!(problem.to_string().contains(why), "{problem}");
    let location = problem["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(location.starts_with("/quarantine/"), "{problem}");
}

#[actix_web::test]
async fn every_sensorthings_payload_of_the_corpus_ingests_and_conforms_to_the_shapes() {
    let app = spawn_app().await;
    for file in CORPUS {
        let graph = ingest(&app, FORMAT, &payload(file)).await;
        assert_conforms(&app, &graph, file).await;
    }
}

#[actix_web::test]
async fn the_deep_insert_keeps_each_observations_value_unit_time_sensor_and_property() {
    let app = spawn_app().await;
    let graph = ingest(&app, FORMAT, &payload(DEEP_INSERT)).await;
    assert_eq!(observations(&app, &graph).await, 4);
    let found = select_one(
        &app,
        &format!(
            "{PREFIXES}
             SELECT ?simple ?value ?unit ?time ?sensor ?property ?datastream WHERE {{ GRAPH <{graph}> {{
               ?o a sosa:Observation ; sosa:hasSimpleResult ?simple ; sosa:resultTime ?time ;
                  sosa:madeBySensor ?s ; sosa:observedProperty ?property ;
                  citykg:datastream ?d ; sosa:hasResult ?r .
               ?r a qudt:QuantityValue ; qudt:numericValue ?value ; qudt:unit ?unit .
               ?s a sosa:Sensor ; rdfs:label ?sensor .
               ?d rdfs:label ?datastream .
               FILTER(?time = \"2015-03-03T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>)
             }} }}"
        ),
    )
    .await;
    assert_eq!(found["simple"]["value"], "3");
    assert_eq!(
        found["simple"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    assert_eq!(found["value"]["value"], "3");
    // The QUDT 1.0 documentation URL of the lumen, matched by the shipped QUDT profile.
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/LM");
    assert_eq!(found["sensor"]["value"], "sensor name 1");
    assert_eq!(found["datastream"]["value"], "datastream name 1");
    // The ObservedProperty's definition is an IRI: it names the property.
    assert_eq!(
        found["property"]["value"],
        "http://www.qudt.org/qudt/owl/1.0.0/quantity/Instances.html/LuminousFlux"
    );
    // Each observation: its value at its time, by its datastream's sensor; the feature of
    // interest is the Thing's Location, as a SensorThings service would make it.
    let reply = app
        .query(
            &format!(
                "{PREFIXES}
                 SELECT ?time ?value ?sensor ?feature WHERE {{ GRAPH <{graph}> {{
                   ?o sosa:resultTime ?time ; sosa:hasSimpleResult ?value ; sosa:madeBySensor ?s ;
                      sosa:hasFeatureOfInterest ?f .
                   ?s rdfs:label ?sensor . ?f rdfs:label ?feature }} }} ORDER BY ?time"
            ),
            "application/sparql-results+json",
        )
        .await;
    let rows: Vec<String> = reply.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            format!(
                "{} {} {} {}",
                row["time"]["value"].as_str().unwrap(),
                row["value"]["value"].as_str().unwrap(),
                row["sensor"]["value"].as_str().unwrap(),
                row["feature"]["value"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "2015-03-03T00:00:00Z 3 sensor name 1 location name 1",
            "2015-03-04T00:00:00Z 4 sensor name 1 location name 1",
            "2015-03-05T00:00:00Z 5 sensor name 2 location name 1",
            "2015-03-06T00:00:00Z 6 sensor name 2 location name 1",
        ]
    );
    // The Thing hosts both sensors and is where its Location is, longitude first.
    let thing = select_one(
        &app,
        &format!(
            "{PREFIXES}
             SELECT ?wkt (COUNT(DISTINCT ?s) AS ?sensors) WHERE {{ GRAPH <{graph}> {{
               ?t a sosa:Platform ; rdfs:label \"thing name 1\" ; sosa:hosts ?s ;
                  geo:hasGeometry/geo:asWKT ?wkt }} }} GROUP BY ?wkt"
        ),
    )
    .await;
    assert_eq!(thing["wkt"]["value"], "POINT(-117.05 51.05)");
    assert_eq!(
        thing["wkt"]["datatype"],
        "http://www.opengis.net/ont/geosparql#wktLiteral"
    );
    assert_eq!(thing["sensors"]["value"], "2");

    // Minted IRIs are stable: the same deep insert again adds nothing.
    let before = app
        .count(&format!(
            "SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        ))
        .await;
    ingest(&app, FORMAT, &payload(DEEP_INSERT)).await;
    let after = app
        .count(&format!(
            "SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        ))
        .await;
    assert_eq!(before, after);
}

#[actix_web::test]
async fn the_example_datastream_has_its_ucum_unit_and_links_its_references() {
    let app = spawn_app().await;
    let graph = ingest(
        &app,
        FORMAT,
        &payload("frost-server/sta-example.Datastream.json"),
    )
    .await;
    let found = select_one(
        &app,
        &format!(
            "{PREFIXES}
             SELECT ?d ?unit ?type ?thing ?sensor ?property WHERE {{ GRAPH <{graph}> {{
               ?d a citykg:Datastream ; rdfs:label \"Temperature in the Kitchen\" ; qudt:unit ?unit ;
                  citykg:observationType ?type ; citykg:thing ?thing ; citykg:sensor ?sensor ;
                  citykg:observedProperty ?property }} }}"
        ),
    )
    .await;
    // `ucum:Cel`; the symbol "°C" is only a label.
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/DEG_C");
    assert_eq!(found["type"]["value"], OM_MEASUREMENT);
    for (member, iri) in [
        ("thing", "id/sta/Thing/999"),
        ("sensor", "id/sta/Sensor/999"),
        ("property", "id/sta/ObservedProperty/999"),
    ] {
        let value = found[member]["value"].as_str().unwrap();
        assert!(value.ends_with(iri), "{member}: {value}");
    }
    // No @iot.id: minted from its name.
    let datastream = found["d"]["value"].as_str().unwrap();
    assert!(
        datastream.ends_with("id/sta/Datastream/name/Temperature%20in%20the%20Kitchen"),
        "{datastream}"
    );
    // The sensor observes the property on the thing.
    let links = app
        .count(&format!(
            "{PREFIXES} SELECT * WHERE {{ GRAPH <{graph}> {{
               <{}> sosa:observes <{}> ; sosa:isHostedBy <{}> . <{}> sosa:hosts <{}> }} }}",
            found["sensor"]["value"].as_str().unwrap(),
            found["property"]["value"].as_str().unwrap(),
            found["thing"]["value"].as_str().unwrap(),
            found["thing"]["value"].as_str().unwrap(),
            found["sensor"]["value"].as_str().unwrap(),
        ))
        .await;
    assert_eq!(links, 1);
}

#[actix_web::test]
async fn each_entity_type_is_told_from_its_members() {
    let app = spawn_app().await;
    // A collection answer, as a service gives it ({"value": [...]}), one entity of each type.
    let body = json!({
        "@iot.count": 7,
        "value": [
            {"@iot.id": 1, "name": "Kitchen", "description": "The kitchen", "properties": {"oven": true}},
            {"@iot.id": 2, "name": "Kitchen window", "encodingType": "application/geo+json",
             "location": {"type": "Point", "coordinates": [4.9041, 52.3676]}},
            {"@iot.id": 3, "name": "DHT22", "encodingType": "application/pdf",
             "metadata": "https://example.org/dht22.pdf"},
            {"@iot.id": 4, "name": "Temperature",
             "definition": "http://dd.eionet.europa.eu/vocabularyconcept/aq/meteoparameter/54"},
            {"@iot.id": 5, "name": "Kitchen temperature", "observationType": OM_MEASUREMENT,
             "unitOfMeasurement": {"name": "Kelvin", "symbol": "K", "definition": "http://qudt.org/vocab/unit#Kelvin"},
             "Thing": {"@iot.id": 1}, "Sensor": {"@iot.id": 3}, "ObservedProperty": {"@iot.id": 4}},
            {"@iot.id": 6, "name": "Garden", "encodingType": "application/vnd.geo+json",
             "feature": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.91, 52.37]}}},
            {"@iot.id": 7, "phenomenonTime": "2024-05-01T10:00:00+02:00/2024-05-01T10:15:00+02:00",
             "result": 294.15,
             "Datastream": {"@iot.id": 5, "observationType": OM_MEASUREMENT,
                            "unitOfMeasurement": {"symbol": "K"},
                            "Sensor": {"@iot.id": 3}, "ObservedProperty": {"@iot.id": 4}},
             "FeatureOfInterest": {"@iot.id": 6}}
        ]
    });
    let graph = ingest(&app, FORMAT, &body).await;
    assert_conforms(&app, &graph, "one entity of each type").await;
    let ends = |iris: Vec<String>, suffix: &str| {
        assert!(
            iris.iter().any(|iri| iri.ends_with(suffix)),
            "{suffix} not in {iris:?}"
        );
    };
    ends(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/Platform").await,
        "id/sta/Thing/1",
    );
    ends(
        instances(&app, &graph, "http://www.opengis.net/ont/geosparql#Feature").await,
        "id/sta/Location/2",
    );
    ends(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/Sensor").await,
        "id/sta/Sensor/3",
    );
    ends(
        instances(&app, &graph, "https://w3id.org/citykg/ns#Datastream").await,
        "id/sta/Datastream/5",
    );
    ends(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/FeatureOfInterest").await,
        "id/sta/FeatureOfInterest/6",
    );
    ends(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/Observation").await,
        "id/observation/sta/7",
    );
    // ObservedProperty 4 is named by its definition; the Datastream inside the Observation
    // refers to it by id only, and the definition says it is the same property.
    let properties = instances(&app, &graph, "http://www.w3.org/ns/sosa/ObservableProperty").await;
    assert_eq!(properties.len(), 2, "{properties:?}");
    ends(properties.clone(), "id/sta/ObservedProperty/4");
    ends(
        properties,
        "http://dd.eionet.europa.eu/vocabularyconcept/aq/meteoparameter/54",
    );
    let same = app
        .count(&format!(
            "SELECT * WHERE {{ GRAPH <{graph}> {{
               <http://dd.eionet.europa.eu/vocabularyconcept/aq/meteoparameter/54>
                 <http://www.w3.org/2004/02/skos/core#exactMatch> ?id .
               ?o <http://www.w3.org/ns/sosa/observedProperty> ?id }} }}"
        ))
        .await;
    assert_eq!(same, 1);
    // Nothing else was typed: the Thing is not also a Sensor, the Observation not a Datastream.
    assert_eq!(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/Sensor")
            .await
            .len(),
        1
    );
    assert_eq!(
        instances(&app, &graph, "https://w3id.org/citykg/ns#Datastream")
            .await
            .len(),
        1
    );

    // The observation: the end of its interval in UTC, its unit from the bare UCUM symbol,
    // its feature of interest given by reference.
    let found = select_one(
        &app,
        &format!(
            "{PREFIXES}
             SELECT ?time ?unit ?feature ?wkt WHERE {{ GRAPH <{graph}> {{
               ?o a sosa:Observation ; sosa:resultTime ?time ; sosa:hasResult/qudt:unit ?unit ;
                  sosa:hasFeatureOfInterest ?feature .
               OPTIONAL {{ ?feature geo:hasGeometry/geo:asWKT ?wkt }} }} }}"
        ),
    )
    .await;
    assert_eq!(found["time"]["value"], "2024-05-01T08:15:00Z");
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/K");
    assert!(
        found["feature"]["value"]
            .as_str()
            .unwrap()
            .ends_with("id/sta/FeatureOfInterest/6")
    );
    // The Feature's GeoJSON `geometry`, and the Location's point, longitude first.
    assert_eq!(found["wkt"]["value"], "POINT(4.91 52.37)");
    let location = select_one(
        &app,
        &format!(
            "{PREFIXES} SELECT ?wkt WHERE {{ GRAPH <{graph}> {{
               ?l rdfs:label \"Kitchen window\" ; geo:hasGeometry/geo:asWKT ?wkt }} }}"
        ),
    )
    .await;
    assert_eq!(location["wkt"]["value"], "POINT(4.9041 52.3676)");
    // The Datastream's QUDT 1.1 unit IRI.
    let unit = select_one(
        &app,
        &format!(
            "{PREFIXES} SELECT ?unit WHERE {{ GRAPH <{graph}> {{ ?d a citykg:Datastream ; qudt:unit ?unit }} }}"
        ),
    )
    .await;
    assert_eq!(unit["unit"]["value"], "http://qudt.org/vocab/unit/K");
}

#[actix_web::test]
async fn a_bare_array_of_entities_is_read_entity_by_entity() {
    let app = spawn_app().await;
    let body = json!([
        payload("frost-server/sta-example.Thing.json"),
        payload("frost-server/sta-example.Sensor.json"),
        payload("frost-server/sta-example.ObservedProperty.json"),
    ]);
    let graph = ingest(&app, FORMAT, &body).await;
    assert_conforms(&app, &graph, "an array of entities").await;
    let things = instances(&app, &graph, "http://www.w3.org/ns/sosa/Platform").await;
    assert_eq!(things.len(), 1);
    assert!(
        things[0].ends_with("id/sta/Thing/name/Kitchen"),
        "{things:?}"
    );
    let sensors = instances(&app, &graph, "http://www.w3.org/ns/sosa/Sensor").await;
    assert_eq!(sensors.len(), 1);
    assert!(
        sensors[0].ends_with("id/sta/Sensor/name/HDT22"),
        "{sensors:?}"
    );
    assert_eq!(
        instances(&app, &graph, "http://www.w3.org/ns/sosa/ObservableProperty").await,
        ["http://dd.eionet.europa.eu/vocabularyconcept/aq/meteoparameter/54"]
    );
}

#[actix_web::test]
async fn what_cannot_be_mapped_faithfully_goes_to_the_quarantine() {
    let app = spawn_app().await;
    // A UCUM code the shipped QUDT units do not know.
    let mut datastream = payload("frost-server/sta-example.Datastream.json");
    datastream["unitOfMeasurement"]["definition"] = json!("ucum:[degF]x");
    assert_quarantined(&app, &datastream, "ucum:[degF]x").await;
    // No definition and a symbol that is not UCUM: no unit is guessed from "°C".
    datastream["unitOfMeasurement"] = json!({"name": "Degree Celsius", "symbol": "°C"});
    assert_quarantined(&app, &datastream, "°C").await;
    // An Observation whose Datastream is a bare reference: its sensor, property and unit are
    // not in the payload.
    let observation = json!({
        "phenomenonTime": "2024-05-01T10:00:00Z", "result": 21.5, "Datastream": {"@iot.id": 5}
    });
    assert_quarantined(&app, &observation, "bare Datastream reference").await;
    // Nesting the mapping does not follow.
    let sensor = json!({
        "name": "DHT22", "encodingType": "application/pdf", "metadata": "m",
        "Datastreams": [{"name": "t", "observationType": OM_MEASUREMENT,
                         "unitOfMeasurement": {"definition": "ucum:Cel"}}]
    });
    assert_quarantined(&app, &sensor, "Datastreams nested in a Sensor").await;
    // Nothing was stored.
    assert_eq!(
        app.count("SELECT * WHERE { GRAPH ?g { ?s a <https://w3id.org/citykg/ns#Datastream> } }")
            .await,
        0
    );
}
