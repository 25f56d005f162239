//! The W3C WoT Thing Description built-in (`builtin/wot-td`) over HTTP: every TD of the shared
//! corpus ingests, conforms to the shipped sensor shapes and makes no observations (a TD has no
//! readings); named TDs keep their device, types, units, hrefs and security as written.

use awc::http::Method;
use serde_json::{Value, json};

use crate::builtins::{assert_conforms, ingest, observations, payload, select_one};
use crate::helpers::{TestApp, spawn_app};

const WEBTHINGS_TEMPERATURE: &str = "w3c-wot-testing/webthings-temperature-sensor.td.jsonld";
const WEBTHINGS_LEAK: &str = "w3c-wot-testing/webthings-leak-sensor.td.jsonld";
const UNIBO_SOIL: &str = "w3c-wot-testing/unibo-farm-SoilSensor0.td.jsonld";
const ECHONET: &str = "w3c-wot-testing/echonet-temperaturesensor.td.jsonld";

const PREFIXES: &str = "PREFIX td: <https://www.w3.org/2019/wot/td#>
PREFIX hctl: <https://www.w3.org/2019/wot/hypermedia#>
PREFIX wotsec: <https://www.w3.org/2019/wot/security#>
PREFIX jsonschema: <https://www.w3.org/2019/wot/json-schema#>
PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX ssn: <http://www.w3.org/ns/ssn/>
PREFIX saref: <https://saref.etsi.org/core/>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX unit: <http://qudt.org/vocab/unit/>
PREFIX cprop: <https://w3id.org/citykg/property/>
";

async fn select(app: &TestApp, graph: &str, pattern: &str, vars: &str) -> Value {
    select_one(
        app,
        &format!("{PREFIXES} SELECT {vars} WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"),
    )
    .await
}

async fn count(app: &TestApp, graph: &str, pattern: &str) -> usize {
    app.count(&format!(
        "{PREFIXES} SELECT * WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"
    ))
    .await
}

#[actix_web::test]
async fn every_thing_description_of_the_corpus_ingests_as_a_sensor_without_observations() {
    let app = spawn_app().await;
    // (file, title, property affordances)
    for (file, title, properties) in [
        (WEBTHINGS_TEMPERATURE, "Virtual Temperature Sensor", 1),
        (WEBTHINGS_LEAK, "Virtual Leak Sensor", 1),
        (UNIBO_SOIL, "SoilSensor0", 2),
        (ECHONET, "temperatureSensor", 6),
    ] {
        let graph = ingest(&app, "wot-td", &payload(file)).await;
        assert_conforms(&app, &graph, file).await;
        assert_eq!(observations(&app, &graph).await, 0, "{file}");
        let device = format!(
            "?d a td:Thing, sosa:Sensor, saref:Device ; rdfs:label \"{title}\" ;
                dcterms:identifier ?id ; td:hasSecurityConfiguration ?sec .
             ?sec a wotsec:SecurityScheme ."
        );
        assert_eq!(count(&app, &graph, &device).await, 1, "{file}");
        // Every TD lands in the built-in's one target graph: select by the device's label.
        let with_forms = count(
            &app,
            &graph,
            &format!(
                "{{ SELECT DISTINCT ?p WHERE {{ ?d rdfs:label \"{title}\" ; td:hasPropertyAffordance ?p .
                   ?p a td:PropertyAffordance ; td:name ?n ; ssn:forProperty ?prop ; td:hasForm ?f .
                   ?f hctl:hasTarget ?href . FILTER(isIRI(?href)) }} }}"
            ),
        )
        .await;
        assert_eq!(with_forms, properties, "{file}");
    }
}

#[actix_web::test]
async fn the_webthings_temperature_property_keeps_its_unit_and_absolute_hrefs() {
    let app = spawn_app().await;
    let graph = ingest(&app, "wot-td", &payload(WEBTHINGS_TEMPERATURE)).await;
    let found = select(
        &app,
        &graph,
        "?d td:hasPropertyAffordance ?p ; dcterms:identifier ?id ; sosa:observes ?observed .
         ?p td:name \"temperature\" ; qudt:unit ?unit ; schema:unitText ?text ;
            ssn:forProperty ?prop ; jsonschema:minimum ?min ; td:hasForm ?f .
         ?f hctl:hasOperationType td:observeProperty ; hctl:hasTarget ?href ;
            hctl:forSubProtocol ?sub .",
        "?d ?id ?unit ?text ?prop ?observed ?min ?href ?sub",
    )
    .await;
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/DEG_C");
    assert_eq!(found["text"]["value"], "degree celsius");
    assert_eq!(
        found["prop"]["value"],
        "https://w3id.org/citykg/property/temperature"
    );
    assert_eq!(found["observed"]["value"], found["prop"]["value"]);
    assert_eq!(found["min"]["value"], "-20");
    assert_eq!(
        found["min"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    // `/things/virtual-things-17/properties/temperature` against `base`.
    assert_eq!(found["href"]["type"], "uri");
    assert_eq!(
        found["href"]["value"],
        "https://plugfest.webthings.io/things/virtual-things-17/properties/temperature"
    );
    assert_eq!(found["sub"]["value"], "sse");
    // The device is named by the TD's id.
    assert_eq!(
        found["id"]["value"],
        "https://plugfest.webthings.io/things/virtual-things-17"
    );
    assert!(
        found["d"]["value"].as_str().unwrap().ends_with(
            "/id/device/https%3A%2F%2Fplugfest.webthings.io%2Fthings%2Fvirtual-things-17"
        ),
        "{found}"
    );
    // The Thing's own form (readallproperties) and its OAuth2 security definition.
    let found = select(
        &app,
        &graph,
        "?d td:hasForm ?f ; td:securityDefinitions ?s .
         ?f hctl:hasOperationType td:readAllProperties ; hctl:hasTarget ?href .
         ?s a wotsec:OAuth2SecurityScheme ; rdfs:label ?name .",
        "?href ?name",
    )
    .await;
    assert_eq!(
        found["href"]["value"],
        "https://plugfest.webthings.io/things/virtual-things-17/properties"
    );
    assert_eq!(found["name"]["value"], "oauth2_sc");
    // The WebThings capability needs a context citykg does not have: kept as written only.
    let found = select(&app, &graph, "?d a td:Thing ; dcterms:type ?t", "?t").await;
    assert_eq!(found["t"]["value"], "TemperatureSensor");
}

#[actix_web::test]
async fn the_unibo_soil_sensor_keeps_its_sosa_type_its_units_and_its_coap_forms() {
    let app = spawn_app().await;
    let graph = ingest(&app, "wot-td", &payload(UNIBO_SOIL)).await;
    let found = select(
        &app,
        &graph,
        "?d dcterms:identifier \"urn:uuid:40eb8f3e-0120-4635-acc8-bae336b58ced\" ;
            a sosa:Sensor ; dcterms:type ?type ; dcterms:description ?description ;
            td:hasSecurityConfiguration ?sec ; td:hasPropertyAffordance ?p .
         ?sec a wotsec:NoSecurityScheme .
         ?p td:name \"temperature\" ; qudt:unit ?unit ; schema:unitText ?text .",
        "?d ?type ?description ?unit ?text",
    )
    .await;
    assert_eq!(found["type"]["value"], "sosa:Sensor");
    assert_eq!(found["description"]["value"], "A soil sensor");
    // "Celsius", free text.
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/DEG_C");
    assert_eq!(found["text"]["value"], "Celsius");
    assert!(
        found["d"]["value"]
            .as_str()
            .unwrap()
            .ends_with("/id/device/urn%3Auuid%3A40eb8f3e-0120-4635-acc8-bae336b58ced")
    );
    // Moisture has no unit member: no unit is made up for it.
    let units = count(
        &app,
        &graph,
        "?p td:name \"moisture\" ; a jsonschema:NumberSchema . ?p qudt:unit ?u",
    )
    .await;
    assert_eq!(units, 0);
    // Two forms per property, HTTP and CoAP, both absolute as written.
    let coap = count(
        &app,
        &graph,
        "?p td:name \"moisture\" ; td:hasForm ?f . ?f hctl:hasTarget ?href .
         FILTER(STRSTARTS(STR(?href), \"coap://arces143100.arces.unibo.it:5683/\"))",
    )
    .await;
    assert_eq!(coap, 1);
    let forms = count(&app, &graph, "?p td:name ?n ; td:hasForm ?f").await;
    assert_eq!(forms, 4);
}

#[actix_web::test]
async fn echonet_readings_are_observed_and_metadata_properties_are_not() {
    let app = spawn_app().await;
    let graph = ingest(&app, "wot-td", &payload(ECHONET)).await;
    let found = select(
        &app,
        &graph,
        "?d td:hasPropertyAffordance ?p . ?p td:name \"value\" ; qudt:unit ?unit ;
            jsonschema:minimum ?min ; dcterms:description ?description ;
            td:hasForm [ hctl:hasTarget ?href ; <http://www.w3.org/2011/http#methodName> ?method ]",
        "?unit ?min ?description ?href ?method",
    )
    .await;
    assert_eq!(found["unit"]["value"], "http://qudt.org/vocab/unit/DEG_C");
    assert_eq!(found["min"]["value"], "-273.2");
    assert_eq!(found["description"]["value"], "Measured temperature value");
    assert_eq!(
        found["href"]["value"],
        "http://192.168.30.110:8081/temperaturesensor/properties/value"
    );
    assert_eq!(found["method"]["value"], "GET");
    // number and boolean properties are readings; the string and object ones are not.
    let observed = count(&app, &graph, "?d sosa:observes ?prop").await;
    assert_eq!(observed, 3);
    let metadata = count(
        &app,
        &graph,
        "?d sosa:observes ?prop . VALUES ?prop { cprop:manufacturer cprop:protocol cprop:installationlocation }",
    )
    .await;
    assert_eq!(metadata, 0);
}

#[actix_web::test]
async fn a_td_without_id_is_named_by_its_title_and_compact_types_expand() {
    let app = spawn_app().await;
    let mut td = payload(UNIBO_SOIL);
    td.as_object_mut().unwrap().remove("id");
    td["@type"] = json!(["sosa:Sensor", "ssn:System", "vendor:Gadget"]);
    let graph = ingest(&app, "wot-td", &td).await;
    assert_conforms(&app, &graph, "SoilSensor0 without id").await;
    let found = select(
        &app,
        &graph,
        "?d a td:Thing, ssn:System ; rdfs:label \"SoilSensor0\"",
        "?d",
    )
    .await;
    assert!(
        found["d"]["value"]
            .as_str()
            .unwrap()
            .ends_with("/id/device/SoilSensor0"),
        "{found}"
    );
    // A prefix only the TD's own context could bind stays text, not a made-up class.
    let guessed = count(
        &app,
        &graph,
        "?d a ?class . FILTER(CONTAINS(STR(?class), \"Gadget\"))",
    )
    .await;
    assert_eq!(guessed, 0);
    let kept = count(&app, &graph, "?d dcterms:type \"vendor:Gadget\"").await;
    assert_eq!(kept, 1);
}

#[actix_web::test]
async fn a_relative_href_without_a_base_is_quarantined_not_guessed() {
    let app = spawn_app().await;
    let mut td = payload(WEBTHINGS_TEMPERATURE);
    td.as_object_mut().unwrap().remove("base");
    let request = app.admin(
        Method::POST,
        "/ingest/builtin/wot-td",
        Some("application/json"),
    );
    let reply = app.send(request, td.to_string()).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("no base"), "{}", reply.text());
}
