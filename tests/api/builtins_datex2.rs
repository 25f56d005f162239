//! `builtin/datex2-v2` over HTTP: the NDW DATEX II v2 excerpts of the shared corpus (two
//! MeasuredDataPublications and a MeasurementSiteTable) ingest, conform to the shipped shapes,
//! keep the values, units, times and site references they carry, store no "no data" sentinel,
//! and meet on the same IRIs so that SPARQL gives each reading its index's meaning.

use awc::http::Method;
use serde_json::Value;

use crate::builtins::{assert_conforms, observations, payloads_dir, select_one};
use crate::helpers::{TestApp, spawn_app};

const A: &str = "ndw-datex2/ndw-trafficspeed-excerpt-A.datex2v2.xml";
const B: &str = "ndw-datex2/ndw-trafficspeed-excerpt-B.datex2v2.xml";
const SITES: &str = "ndw-datex2/ndw-MeasurementSiteTable.datex2v2.xml";

const PREFIXES: &str = "PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX citykg: <https://w3id.org/citykg/ns#>
PREFIX cprop: <https://w3id.org/citykg/property/>
PREFIX unit: <http://qudt.org/vocab/unit/>
";

fn xml(file: &str) -> String {
    let path = payloads_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (set CITYKG_SHARED to the shared folder)",
            path.display()
        )
    })
}

async fn post(app: &TestApp, body: &str) -> crate::helpers::Reply {
    let request = app.admin(
        Method::POST,
        "/ingest/builtin/datex2-v2",
        Some("application/xml"),
    );
    app.send(request, body.to_owned()).await
}

/// POSTs an XML body to `builtin/datex2-v2`; returns the target graph.
async fn ingest(app: &TestApp, body: &str) -> String {
    let reply = post(app, body).await;
    assert_eq!(reply.status, 200, "builtin/datex2-v2: {}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

async fn select(app: &TestApp, graph: &str, pattern: &str) -> Value {
    select_one(
        app,
        &format!("{PREFIXES} SELECT * WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"),
    )
    .await
}

async fn count(app: &TestApp, graph: &str, pattern: &str) -> usize {
    app.count(&format!(
        "{PREFIXES} SELECT * WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"
    ))
    .await
}

fn ends_with(value: &Value, suffix: &str) -> bool {
    value["value"].as_str().is_some_and(|v| v.ends_with(suffix))
}

#[actix_web::test]
async fn both_excerpts_and_the_site_table_ingest_and_conform_to_the_shapes() {
    let app = spawn_app().await;
    let graph = ingest(&app, &xml(A)).await;
    assert_conforms(&app, &graph, A).await;
    // A: 92 flows, all kept; 92 speeds of which 71 are -1 (no data), 21 kept.
    assert_eq!(observations(&app, &graph).await, 92 + 21);
    // Every reading has its number, its unit and a UTC time.
    let complete = count(
        &app,
        &graph,
        "?o a sosa:Observation ; sosa:hasSimpleResult ?v ; sosa:resultTime ?t ;
            sosa:hasResult [ qudt:numericValue ?n ; qudt:unit ?u ] .
         FILTER(datatype(?v) = <http://www.w3.org/2001/XMLSchema#double> && ?v = ?n
                && STRENDS(STR(?t), 'Z'))",
    )
    .await;
    assert_eq!(complete, 113);

    let graph_b = ingest(&app, &xml(B)).await;
    assert_eq!(graph_b, graph, "one built-in, one target graph");
    assert_conforms(&app, &graph, B).await;
    // B: 144 flows, 24 flagged dataError -> 120; 144 speeds, of which 24 flagged and 101
    // averaged over no vehicle (numberOfInputValuesUsed="0", sent as 0) -> 19.
    assert_eq!(observations(&app, &graph).await, 113 + 120 + 19);

    ingest(&app, &xml(SITES)).await;
    assert_conforms(&app, &graph, SITES).await;
    // The table adds sites and index meanings, never observations.
    assert_eq!(observations(&app, &graph).await, 252);
    // Only warnings are left: the corpus table gives no location, so the sensors have none.
    let severities = severities(&app, &graph).await;
    assert_eq!(
        severities.keys().map(String::as_str).collect::<Vec<_>>(),
        ["Warning"],
        "{severities:?}"
    );
}

#[actix_web::test]
async fn a_named_sites_flow_keeps_its_value_unit_time_and_site_reference() {
    let app = spawn_app().await;
    let graph = ingest(&app, &xml(A)).await;
    // Site PZH01_MST_0065_00 version 11, measuredValue index 2: vehicleFlowRate 120.
    let found = select(
        &app,
        &graph,
        "?site dcterms:identifier 'PZH01_MST_0065_00' .
         ?o sosa:hasFeatureOfInterest ?site ; sosa:madeBySensor ?sensor ;
            sosa:observedProperty cprop:traffic_flow ; sosa:hasSimpleResult ?value ;
            sosa:resultTime ?time ; sosa:hasResult [ qudt:numericValue ?number ; qudt:unit ?unit ] .
         ?sensor citykg:measuredValueIndex 2 ; citykg:siteRecordVersion ?version ;
            sosa:isHostedBy ?site ; sosa:observes ?observes .",
    )
    .await;
    assert_eq!(found["value"]["value"], "120");
    assert_eq!(
        found["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    assert_eq!(found["number"]["value"], "120");
    assert_eq!(
        found["unit"]["value"],
        "http://qudt.org/vocab/unit/NUM-PER-HR"
    );
    // measurementTimeDefault, as xsd:dateTime in UTC.
    assert_eq!(found["time"]["value"], "2025-08-15T21:48:00Z");
    assert_eq!(
        found["time"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#dateTime"
    );
    assert_eq!(found["version"]["value"], "11");
    assert!(ends_with(&found["site"], "/id/site/PZH01_MST_0065_00"));
    assert!(ends_with(
        &found["sensor"],
        "/id/site/PZH01_MST_0065_00/v11/index/2"
    ));
    assert_eq!(
        found["observes"]["value"],
        "https://w3id.org/citykg/property/traffic_flow"
    );

    // Index 8 of the same site: averageVehicleSpeed 72 km/h.
    let speed = select(
        &app,
        &graph,
        "?o sosa:madeBySensor ?sensor ; sosa:observedProperty cprop:avg_speed ;
            sosa:hasSimpleResult ?value ; sosa:hasResult [ qudt:unit ?unit ] .
         ?sensor citykg:measuredValueIndex 8 ;
            sosa:isHostedBy [ dcterms:identifier 'PZH01_MST_0065_00' ] .",
    )
    .await;
    assert_eq!(speed["value"]["value"], "72");
    assert_eq!(
        speed["unit"]["value"],
        "http://qudt.org/vocab/unit/KiloM-PER-HR"
    );
}

#[actix_web::test]
async fn no_data_sentinels_never_become_observation_values() {
    let app = spawn_app().await;
    let graph = ingest(&app, &xml(A)).await;
    ingest(&app, &xml(B)).await;
    // Nothing negative is stored, as a simple result or as a quantity value.
    assert_eq!(
        count(&app, &graph, "?o sosa:hasSimpleResult ?v FILTER(?v < 0)").await,
        0
    );
    assert_eq!(
        count(&app, &graph, "?r qudt:numericValue ?v FILTER(?v < 0)").await,
        0
    );
    // A, PZH01_MST_0065_00 index 7: speed -1. Its sensor exists; it made no observation.
    let sensor = "?sensor sosa:isHostedBy [ dcterms:identifier 'PZH01_MST_0065_00' ] ;
        citykg:measuredValueIndex 7 .";
    assert_eq!(
        count(
            &app,
            &graph,
            &format!("{sensor} ?sensor sosa:observes cprop:avg_speed")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            &graph,
            &format!("{sensor} ?o sosa:madeBySensor ?sensor")
        )
        .await,
        0
    );
    // B, GEO0B_R_RWSTI4479: every value flagged <dataError>true</dataError>.
    assert_eq!(
        count(
            &app,
            &graph,
            "?o sosa:hasFeatureOfInterest [ dcterms:identifier 'GEO0B_R_RWSTI4479' ]"
        )
        .await,
        0
    );
    // B, GEO0B_R_RWSTI4237: index 7 is a speed of 0 over no vehicle (dropped), index 8 a speed
    // of 93 over one; index 1 a flow of 0 over no vehicle, a real zero count (kept).
    let readings = |index: u32| {
        format!(
            "?o sosa:madeBySensor ?sensor ; sosa:hasSimpleResult ?v .
             ?sensor citykg:measuredValueIndex {index} ;
                sosa:isHostedBy [ dcterms:identifier 'GEO0B_R_RWSTI4237' ] ."
        )
    };
    assert_eq!(count(&app, &graph, &readings(7)).await, 0);
    assert_eq!(select(&app, &graph, &readings(8)).await["v"]["value"], "93");
    assert_eq!(select(&app, &graph, &readings(1)).await["v"]["value"], "0");
}

#[actix_web::test]
async fn after_the_site_table_a_reading_gets_its_index_meaning_by_a_join() {
    let app = spawn_app().await;
    let graph = ingest(&app, &xml(A)).await;
    ingest(&app, &xml(SITES)).await;
    // A's reading of PZH01_MST_0629_00 (version 2) index 2, and what the table says index 2 of
    // that record version measures: lane1, vehicles from 5.6 m to 12.2 m, one-minute flow.
    let found = select(
        &app,
        &graph,
        "?o sosa:madeBySensor ?sensor ; sosa:hasSimpleResult ?value ;
            sosa:observedProperty ?property ; sosa:hasFeatureOfInterest ?site .
         ?sensor citykg:measuredValueIndex 2 ; citykg:lane ?lane ;
            citykg:vehicleLengthGreaterThanOrEqualTo ?from ;
            citykg:vehicleLengthLessThanOrEqualTo ?to ; citykg:measurementPeriod ?period .
         ?site rdfs:label ?name ; citykg:numberOfLanes ?lanes .",
    )
    .await;
    assert_eq!(found["value"]["value"], "0");
    assert_eq!(
        found["property"]["value"],
        "https://w3id.org/citykg/property/traffic_flow"
    );
    assert!(ends_with(
        &found["sensor"],
        "/id/site/PZH01_MST_0629_00/v2/index/2"
    ));
    assert_eq!(found["lane"]["value"], "lane1");
    assert_eq!(found["from"]["value"], "5.6");
    assert_eq!(found["to"]["value"], "12.2");
    // period 60 (seconds), as xsd:duration (the store writes it canonically).
    assert_eq!(found["period"]["value"], "PT1M");
    assert_eq!(found["name"]["value"], "N457 hmp 4.75 Re");
    assert_eq!(found["name"]["xml:lang"], "nl");
    assert_eq!(found["lanes"]["value"], "1");
    // Index 1 is the short-vehicle class, index 4 any vehicle.
    let short = select(
        &app,
        &graph,
        "?sensor citykg:measuredValueIndex 1 ; citykg:vehicleLengthLessThan ?max ;
            sosa:isHostedBy [ dcterms:identifier 'PZH01_MST_0629_00' ] .",
    )
    .await;
    assert_eq!(short["max"]["value"], "5.6");
    let any = select(
        &app,
        &graph,
        "?sensor citykg:measuredValueIndex 4 ; citykg:vehicleType ?type ;
            sosa:isHostedBy [ dcterms:identifier 'PZH01_MST_0629_00' ] .",
    )
    .await;
    assert_eq!(any["type"]["value"], "anyVehicle");
}

#[actix_web::test]
async fn a_point_location_becomes_a_crs84_wkt_geometry_of_the_site() {
    let app = spawn_app().await;
    // The corpus table has no location (its upstream reads positions from a shapefile), so this
    // test inserts a DATEX II v2 Point into the record; the coordinates are made up.
    let point = r#"<measurementSiteLocation xsi:type="Point"><pointByCoordinates><pointCoordinates><latitude>51.98532</latitude><longitude>4.65127</longitude></pointCoordinates></pointByCoordinates></measurementSiteLocation></measurementSiteRecord>"#;
    let table = xml(SITES);
    assert_eq!(table.matches("</measurementSiteRecord>").count(), 1);
    let graph = ingest(&app, &table.replace("</measurementSiteRecord>", point)).await;
    assert_conforms(&app, &graph, "site table with a Point").await;
    let found = select(
        &app,
        &graph,
        "?site dcterms:identifier 'PZH01_MST_0629_00' ; a geo:Feature ;
            geo:hasGeometry ?geometry . ?geometry geo:asWKT ?wkt .",
    )
    .await;
    assert_eq!(found["wkt"]["value"], "POINT(4.65127 51.98532)");
    assert_eq!(
        found["wkt"]["datatype"],
        "http://www.opengis.net/ont/geosparql#wktLiteral"
    );
    assert!(ends_with(
        &found["geometry"],
        "/id/site/PZH01_MST_0629_00/v2/geometry"
    ));
    // The site's four index sensors are where the site is: no sensor-location warning left.
    let located = count(
        &app,
        &graph,
        "?sensor a sosa:Sensor ; geo:hasGeometry ?g .
         ?site dcterms:identifier 'PZH01_MST_0629_00' ; geo:hasGeometry ?g .",
    )
    .await;
    assert_eq!(located, 4);
    assert_eq!(severities(&app, &graph).await.get("Warning"), None);
}

/// The SHACL summary of a graph against the observation and sensor shapes, by severity.
async fn severities(app: &TestApp, graph: &str) -> serde_json::Map<String, Value> {
    let path = format!(
        "/shacl?{}&shapes=observation,sensor",
        crate::helpers::form(&[("graph", graph)])
    );
    let request = app
        .admin(Method::POST, &path, None)
        .insert_header(("Accept", "application/json"));
    let reply = app.send(request, "").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["by_severity"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(severity, count)| {
            let short = severity.rsplit(['#', '/']).next().unwrap_or(severity);
            (short.to_owned(), count.clone())
        })
        .collect()
}

#[actix_web::test]
async fn a_reading_that_is_not_a_number_or_a_bad_time_goes_to_the_quarantine() {
    let app = spawn_app().await;
    let text = xml(A);
    let first_flow = "<vehicleFlowRate>0</vehicleFlowRate>";
    assert!(text.contains(first_flow));
    for (what, body) in [
        (
            "a flow that is not a number",
            text.replacen(first_flow, "<vehicleFlowRate>n/a</vehicleFlowRate>", 1),
        ),
        (
            "a time without a zone",
            text.replacen(
                "<measurementTimeDefault>2025-08-15T21:48:00Z<",
                "<measurementTimeDefault>2025-08-15T21:48:00<",
                1,
            ),
        ),
    ] {
        let problem = post(&app, &body).await.problem(422);
        let location = problem["errors"][0]["detail"].as_str().unwrap_or_default();
        assert!(location.starts_with("/quarantine/"), "{what}: {problem}");
    }
    let listed = app
        .send(app.admin(Method::GET, "/quarantine", None), Vec::new())
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(
        app.count("SELECT * { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        0,
        "nothing of a failed payload is stored"
    );
}

#[actix_web::test]
async fn a_publication_without_the_soap_envelope_maps_the_same() {
    let app = spawn_app().await;
    let text = xml(A);
    let start = text.find("<d2LogicalModel").unwrap();
    let end = text.find("</SOAP:Body>").unwrap();
    let bare = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
        &text[start..end]
    );
    let graph = ingest(&app, &bare).await;
    assert_eq!(observations(&app, &graph).await, 113);
}
