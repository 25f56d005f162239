//! The sensor.community archive built-in over HTTP: every CSV file of the shared corpus ingests
//! through `builtin/sensor-community-csv` as `text/csv`, conforms to the shipped observation,
//! sensor and measurement shapes, and named rows hold the values, units and times the files
//! carry. Columns that depend on the sensor type are optional; the others are not.

use awc::http::Method;

use crate::builtins::{payloads_dir, select_one};
use crate::helpers::{Reply, TestApp, form, spawn_app};

const MAPPING: &str = "builtin/sensor-community-csv";
const SDS011: &str = "sensor-community-csv/2017-10-20_sds011_sensor_5331.csv";
const DHT22: &str = "sensor-community-csv/2017-10-20_dht22_sensor_5332.csv";
const DHT22_2018: &str = "sensor-community-csv/2018-01-15_dht22_sensor_8555.csv";

const PREFIXES: &str = "PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX saref: <https://saref.etsi.org/core/>
PREFIX cprop: <https://w3id.org/citykg/property/>
PREFIX unit: <http://qudt.org/vocab/unit/>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
";

fn csv(file: &str) -> String {
    let path = payloads_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (set CITYKG_SHARED to the shared folder)",
            path.display()
        )
    })
}

async fn post(app: &TestApp, body: &str) -> Reply {
    let request = app.admin(
        Method::POST,
        &format!("/ingest/{MAPPING}"),
        Some("text/csv"),
    );
    app.send(request, body.to_owned()).await
}

/// Ingests `body`; returns the target graph.
async fn ingest(app: &TestApp, body: &str) -> String {
    let reply = post(app, body).await;
    assert_eq!(reply.status, 200, "{MAPPING}: {}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

/// No violation of the observation, sensor and measurement shapes in `graph`.
async fn assert_conforms(app: &TestApp, graph: &str, what: &str) {
    let path = format!(
        "/shacl?{}&shapes=observation,sensor,measurement",
        form(&[("graph", graph)])
    );
    let request = app
        .admin(Method::POST, &path, None)
        .insert_header(("Accept", "application/json"));
    let reply = app.send(request, "").await;
    assert_eq!(reply.status, 200, "{what}: {}", reply.text());
    let summary = reply.json();
    let violations: u64 = summary["by_severity"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(severity, _)| severity.contains("Violation"))
        .map(|(_, count)| count.as_u64().unwrap())
        .sum();
    assert_eq!(violations, 0, "{what}: {summary}");
}

/// Observations in `graph` per observed property, with a double result, a unit and a UTC time.
async fn observations_of(app: &TestApp, graph: &str, property: &str) -> usize {
    app.count(&format!(
        "{PREFIXES} SELECT ?o WHERE {{ GRAPH <{graph}> {{
           ?o a sosa:Observation, saref:Measurement ; sosa:observedProperty cprop:{property} ;
              sosa:hasSimpleResult ?v ; saref:isMeasuredIn ?unit ; sosa:resultTime ?t .
           FILTER(datatype(?v) = xsd:double && datatype(?t) = xsd:dateTime
                  && STRENDS(STR(?t), \"Z\"))
         }} }}"
    ))
    .await
}

async fn all_observations(app: &TestApp, graph: &str) -> usize {
    app.count(&format!(
        "{PREFIXES} SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?o a sosa:Observation }} }}"
    ))
    .await
}

#[actix_web::test]
async fn every_archive_file_ingests_conforms_and_has_one_observation_per_measurement_cell() {
    // (file, [(property, rows)]): every row of these files has both measurements.
    let cases: [(&str, [(&str, usize); 2]); 3] = [
        (SDS011, [("pm10", 579), ("pm25", 579)]),
        (DHT22, [("temperature", 581), ("humidity", 581)]),
        (DHT22_2018, [("temperature", 580), ("humidity", 580)]),
    ];
    for (file, expected) in cases {
        // A service of its own per file: ingests through one mapping share its target graph.
        let app = spawn_app().await;
        let graph = ingest(&app, &csv(file)).await;
        assert_conforms(&app, &graph, file).await;
        let mut total = 0;
        for (property, rows) in expected {
            assert_eq!(
                observations_of(&app, &graph, property).await,
                rows,
                "{file}: {property}"
            );
            total += rows;
        }
        // Nothing else: the empty durP*/ratioP* cells store nothing.
        assert_eq!(all_observations(&app, &graph).await, total, "{file}");
    }
}

#[actix_web::test]
async fn the_first_sds011_row_is_pm2_5_of_45_37_micrograms_per_cubic_metre_at_its_utc_time() {
    let app = spawn_app().await;
    let graph = ingest(&app, &csv(SDS011)).await;
    let row = select_one(
        &app,
        &format!(
            "{PREFIXES} SELECT ?v ?value ?unit ?time ?stamp ?model ?lat ?long ?wkt ?foi WHERE {{
               GRAPH <{graph}> {{
                 ?o sosa:observedProperty cprop:pm25 ; saref:relatesToProperty cprop:pm25 ;
                    sosa:madeBySensor ?d ; saref:measurementMadeBy ?d ;
                    sosa:hasSimpleResult ?v ; saref:hasValue ?value ; saref:isMeasuredIn ?unit ;
                    sosa:resultTime ?time ; saref:hasTimestamp ?stamp ;
                    sosa:hasFeatureOfInterest ?foi .
                 FILTER(?time = \"2017-10-20T00:00:26Z\"^^xsd:dateTime)
                 ?d a sosa:Sensor, saref:Device ; saref:hasModel ?model ;
                    wgs:lat ?lat ; wgs:long ?long ; geo:hasGeometry/geo:asWKT ?wkt .
                 FILTER(STRENDS(STR(?d), \"/id/device/sensor-community/5331\"))
               }} }}"
        ),
    )
    .await;
    assert_eq!(row["v"]["value"], "45.37");
    assert_eq!(
        row["v"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#double"
    );
    assert_eq!(row["value"]["value"], "45.37");
    assert_eq!(
        row["unit"]["value"],
        "http://qudt.org/vocab/unit/MicroGM-PER-M3"
    );
    assert_eq!(row["time"]["value"], "2017-10-20T00:00:26Z");
    assert_eq!(row["stamp"]["value"], "2017-10-20T00:00:26Z");
    assert_eq!(row["model"]["value"], "SDS011");
    assert_eq!(row["lat"]["value"], "57.138");
    assert_eq!(row["long"]["value"], "-2.077");
    assert_eq!(row["wkt"]["value"], "POINT(-2.077 57.138)");
    assert!(
        row["foi"]["value"]
            .as_str()
            .unwrap()
            .ends_with("/id/location/sensor-community/3121"),
        "{row}"
    );
    // P1 of the same row is PM10.
    let pm10 = select_one(
        &app,
        &format!(
            "{PREFIXES} SELECT ?v WHERE {{ GRAPH <{graph}> {{
               ?o sosa:observedProperty cprop:pm10 ; sosa:hasSimpleResult ?v ;
                  sosa:resultTime \"2017-10-20T00:00:26Z\"^^xsd:dateTime }} }}"
        ),
    )
    .await;
    assert_eq!(pm10["v"]["value"], "147.1");
}

#[actix_web::test]
async fn the_first_dht22_row_is_a_temperature_in_celsius_and_a_humidity_in_percent() {
    let app = spawn_app().await;
    let graph = ingest(&app, &csv(DHT22)).await;
    for (property, value, unit) in [
        ("temperature", "13.2", "DEG_C"),
        ("humidity", "92.5", "PERCENT"),
    ] {
        let row = select_one(
            &app,
            &format!(
                "{PREFIXES} SELECT ?v ?unit ?d WHERE {{ GRAPH <{graph}> {{
                   ?o sosa:observedProperty cprop:{property} ; sosa:hasSimpleResult ?v ;
                      saref:isMeasuredIn ?unit ; sosa:madeBySensor ?d ;
                      sosa:resultTime \"2017-10-20T00:00:27Z\"^^xsd:dateTime }} }}"
            ),
        )
        .await;
        assert_eq!(row["v"]["value"], value, "{property}");
        assert_eq!(
            row["unit"]["value"],
            format!("http://qudt.org/vocab/unit/{unit}")
        );
        assert!(
            row["d"]["value"]
                .as_str()
                .unwrap()
                .ends_with("/id/device/sensor-community/5332"),
            "{row}"
        );
    }
    // The device observes what its file measures, and nothing of the SDS011's.
    let observes = app
        .count(&format!(
            "{PREFIXES} SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?d sosa:observes ?p }} }}"
        ))
        .await;
    assert_eq!(observes, 2);
}

#[actix_web::test]
async fn an_unknown_extra_column_is_ignored() {
    let app = spawn_app().await;
    let with_extra: String = csv(DHT22)
        .lines()
        .enumerate()
        .map(|(index, line)| {
            let extra = if index == 0 {
                "firmware"
            } else {
                "NRZ-2017-099"
            };
            format!("{line};{extra}\n")
        })
        .collect();
    let graph = ingest(&app, &with_extra).await;
    assert_eq!(all_observations(&app, &graph).await, 2 * 581);
    assert_conforms(&app, &graph, "DHT22 with an extra column").await;
}

#[actix_web::test]
async fn a_misspelt_required_column_or_a_malformed_value_is_an_error_not_a_guess() {
    let app = spawn_app().await;
    let original = csv(SDS011);
    let misspelt = original.replacen(";timestamp;", ";timestmp;", 1);
    let bad_number = original.replacen(";45.37;", ";45,37;", 1);
    let bad_time = original.replacen("2017-10-20T00:00:26", "2017-10-20 00:00:26", 1);
    for (what, body, expected) in [
        ("misspelt timestamp", misspelt, "timestamp"),
        ("PM2.5 with a decimal comma", bad_number, "45,37"),
        ("time without a T", bad_time, "2017-10-20 00:00:26"),
    ] {
        let reply = post(&app, &body).await;
        let problem = reply.problem(422);
        assert!(problem.to_string().contains(expected), "{what}: {problem}");
        // The payload is kept in the quarantine.
        let location = problem["errors"][0]["detail"].as_str().unwrap();
        assert!(location.starts_with("/quarantine/"), "{what}: {problem}");
    }
    assert_eq!(
        app.count("SELECT ?o WHERE { GRAPH ?g { ?o a <http://www.w3.org/ns/sosa/Observation> } }")
            .await,
        0
    );
}

#[actix_web::test]
async fn empty_measurement_cells_and_ppd42ns_counts_store_no_observation() {
    let app = spawn_app().await;
    let body = "sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2
1;SDS011;9;;;2017-10-20T00:00:26;;;;5.50;;
2;PPD42NS;9;57.1;-2.1;2017-10-20T00:00:26;300.1;41;0.3;100.2;5;0.1
";
    let graph = ingest(&app, body).await;
    assert_conforms(&app, &graph, "empty cells").await;
    // Only sensor 1's PM2.5: its PM10 cell is empty, and a PPD42NS gives particle counts.
    assert_eq!(all_observations(&app, &graph).await, 1);
    assert_eq!(observations_of(&app, &graph, "pm25").await, 1);
    // A sensor without a position has no coordinates and no geometry.
    let positioned = app
        .count(&format!(
            "{PREFIXES} SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?d wgs:lat ?lat }} }}"
        ))
        .await;
    assert_eq!(positioned, 1);
}
