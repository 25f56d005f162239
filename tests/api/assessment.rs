//! The interoperability assessment over HTTP: use cases written into `graph/catalog` (with the
//! Graph Store Protocol, as the shared catalogue model has them) with data ingested through
//! built-in mappings get DQV measurements with exact values; an ingest and a mapping deletion
//! are followed by a background recomputation; `/use-cases/compare` shows use cases side by
//! side; `/use-cases/rubric` publishes the thresholds.

use std::time::{Duration, Instant};

use awc::http::Method;
use serde_json::Value;

use crate::builtins::{ingest as ingest_json, payload};
use crate::helpers::{ADMIN, TestApp, form, spawn_app};

const BASE: &str = "http://citykg.test/";
const CATALOG: &str = "http://citykg.test/graph/catalog";
const READINGS_GRAPH: &str = "http://citykg.test/graph/source/builtin/readings-csv";

/// Three readings of two located sensors in two districts (districts have no geometry).
const READINGS: &str = "sensor_id,district,lat,lon,property,value,unit,timestamp
s1,centre,52.1,4.3,pm25,12.5,ug/m3,2025-06-10T08:00:00Z
s1,centre,52.1,4.3,pm10,20.1,ug/m3,2025-06-10T08:00:00Z
s2,harbour,52.2,4.4,pm25,8.0,ug/m3,2025-06-10T08:05:00Z
";

/// A use case as the catalogue model writes it, naming `mappings` and `graphs`.
fn use_case(id: &str, title: &str, mappings: &[&str], graphs: &[&str]) -> String {
    let uc = format!("<{BASE}id/use-case/{id}>");
    let mut turtle = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix citykg: <https://w3id.org/citykg/ns#> .
{uc} a dcat:Dataset, citykg:UseCase ;
  dct:identifier \"{id}\" ;
  dct:title \"{title}\"@en ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ;
  citykg:vertical <https://w3id.org/citykg/vertical/environment> ;
  citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  dcat:distribution <{BASE}id/use-case/{id}/distribution/sparql> .
<{BASE}id/use-case/{id}/distribution/sparql> a dcat:Distribution ;
  dct:title \"SPARQL endpoint\"@en ;
  dcat:accessURL <{BASE}query> ;
  dcat:accessService <{BASE}id/service/sparql> .
"
    );
    for mapping in mappings {
        turtle.push_str(&format!(
            "{uc} citykg:usesMapping <{BASE}mappings/{mapping}> .\n"
        ));
    }
    for graph in graphs {
        turtle.push_str(&format!("{uc} citykg:dataGraph <{graph}> .\n"));
    }
    turtle
}

/// Adds Turtle to `graph/catalog` through the Graph Store Protocol (POST merges).
async fn add_to_catalog(app: &TestApp, turtle: &str) {
    let path = format!("/store?{}", form(&[("graph", CATALOG)]));
    let reply = app
        .send(
            app.admin(Method::POST, &path, Some("text/turtle")),
            turtle.to_owned(),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
}

async fn ingest_csv(app: &TestApp, body: &str) -> String {
    let request = app.admin(
        Method::POST,
        "/ingest/builtin/readings-csv",
        Some("text/csv"),
    );
    let reply = app.send(request, body.to_owned()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["target_graph"].as_str().unwrap().to_owned()
}

async fn recompute_all(app: &TestApp) -> Value {
    let reply = app
        .send(app.admin(Method::POST, "/use-cases/assessment", None), "")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// The stored measurements of use case `id`: metric local name -> (value, level).
async fn measurements(app: &TestApp, id: &str) -> Vec<(String, String, u8)> {
    let query = format!(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#>
         PREFIX citykg: <https://w3id.org/citykg/ns#>
         SELECT ?metric ?value ?level WHERE {{ GRAPH <{CATALOG}> {{
           <{BASE}id/use-case/{id}> dqv:hasQualityMeasurement ?m .
           ?m a dqv:QualityMeasurement ; dqv:computedOn <{BASE}id/use-case/{id}> ;
              dqv:isMeasurementOf ?metric ; dqv:value ?value ; citykg:level ?level ;
              <http://www.w3.org/ns/prov#generatedAtTime> ?t .
         }} }} ORDER BY ?metric"
    );
    let reply = app.query(&query, "application/sparql-results+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let local = |v: &Value| {
                v["value"]
                    .as_str()
                    .unwrap()
                    .rsplit(['#', '/'])
                    .next()
                    .unwrap()
                    .to_owned()
            };
            (
                local(&b["metric"]),
                b["value"]["value"].as_str().unwrap().to_owned(),
                local(&b["level"]).parse().unwrap(),
            )
        })
        .collect()
}

fn expect(rows: &[(&str, &str, u8)]) -> Vec<(String, String, u8)> {
    let mut rows: Vec<_> = rows
        .iter()
        .map(|(m, v, l)| ((*m).to_owned(), (*v).to_owned(), *l))
        .collect();
    rows.sort();
    rows
}

/// Waits (up to 20 s) until the stored measurements of `id` are `want`.
async fn eventually(app: &TestApp, id: &str, want: &[(String, String, u8)]) {
    let started = Instant::now();
    loop {
        let got = measurements(app, id).await;
        if got == want {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the background recomputation did not reach\n{want:?}\nstill\n{got:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

fn air_after_ingest() -> Vec<(String, String, u8)> {
    expect(&[
        // sosa:Observation, sosa:Sensor, geo:Geometry; rdf:type and ten SOSA, WGS84 and
        // GeoSPARQL predicates: all declared.
        ("vocabularyCoverage", "1", 3),
        // The observations and sensors conform; each sensor lacks a label (an info).
        ("shapeViolations", "0", 3),
        ("shapeWarnings", "0", 3),
        ("shapeInfos", "2", 3),
        // The readings CSV carries units as plain strings, which the mapping leaves out.
        ("unitCoverage", "0", 0),
        ("timeCoverage", "1", 3),
        // Sensors s1 and s2 have a geometry, districts centre and harbour none.
        ("locationCoverage", "0.5", 1),
        ("vendorFormats", "2", 2),
        ("openLicence", "true", 3),
        ("machineReadableAccess", "true", 3),
    ])
}

#[actix_web::test]
async fn a_use_case_is_measured_before_and_after_data_arrives_through_a_builtin() {
    let app = spawn_app().await;
    add_to_catalog(
        &app,
        &use_case(
            "air",
            "Air quality alerts",
            &[
                "builtin/readings-csv",
                "builtin/sensor-community-csv",
                "gone/mapping",
            ],
            &[READINGS_GRAPH],
        ),
    )
    .await;
    let done = recompute_all(&app).await;
    assert_eq!(done["use_cases"], shipped(&app).await + 1, "{done}");
    assert!(done["milliseconds"].is_u64(), "{done}");
    // No data yet: every measurement is there, at zero and level 0.
    assert_eq!(
        measurements(&app, "air").await,
        expect(&[
            ("vocabularyCoverage", "0", 0),
            ("shapeViolations", "0", 0),
            ("shapeWarnings", "0", 0),
            ("shapeInfos", "0", 0),
            ("unitCoverage", "0", 0),
            ("timeCoverage", "0", 0),
            ("locationCoverage", "0", 0),
            ("vendorFormats", "2", 2),
            ("openLicence", "true", 3),
            ("machineReadableAccess", "false", 0),
        ])
    );
    // An ingest into its data graph is followed by a recomputation, without being asked.
    assert_eq!(ingest_csv(&app, READINGS).await, READINGS_GRAPH);
    eventually(&app, "air", &air_after_ingest()).await;
}

#[actix_web::test]
async fn deleting_a_mapping_a_use_case_names_lowers_its_vendor_formats() {
    let app = spawn_app().await;
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/builtin/readings-csv.yml"),
    )
    .unwrap();
    let reply = app
        .send(
            app.admin(
                Method::PUT,
                "/mappings/city/readings",
                Some("application/yaml"),
            ),
            text,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    add_to_catalog(
        &app,
        &use_case(
            "kerb",
            "Kerbside",
            &["city/readings", "builtin/readings-csv"],
            &[],
        ),
    )
    .await;
    recompute_all(&app).await;
    let vendor = |rows: Vec<(String, String, u8)>| {
        rows.into_iter()
            .find(|(m, _, _)| m == "vendorFormats")
            .unwrap()
    };
    assert_eq!(
        vendor(measurements(&app, "kerb").await),
        ("vendorFormats".to_owned(), "2".to_owned(), 2)
    );
    let reply = app
        .send(
            app.admin(Method::DELETE, "/mappings/city/readings", None),
            "",
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    let mut want = measurements(&app, "kerb").await;
    for row in &mut want {
        if row.0 == "vendorFormats" {
            *row = ("vendorFormats".to_owned(), "1".to_owned(), 1);
        }
    }
    eventually(&app, "kerb", &want).await;
}

#[actix_web::test]
async fn two_use_cases_compare_side_by_side_as_json_and_as_a_page() {
    let app = spawn_app().await;
    ingest_csv(&app, READINGS).await;
    let ttn_graph = ingest_json(
        &app,
        "ttn-v3",
        &payload("bertrik-sensor-data-bridge/ttnv3_mqtt_message.json"),
    )
    .await;
    add_to_catalog(
        &app,
        &use_case(
            "air",
            "Air quality alerts",
            &["builtin/readings-csv", "builtin/sensor-community-csv"],
            &[READINGS_GRAPH],
        ),
    )
    .await;
    add_to_catalog(
        &app,
        &use_case(
            "lora",
            "LoRaWAN sensors",
            &["builtin/ttn-v3"],
            &[&ttn_graph],
        ),
    )
    .await;
    assert_eq!(
        recompute_all(&app).await["use_cases"],
        shipped(&app).await + 2
    );

    let reply = app
        .get("/use-cases/compare?ids=air,lora", "application/json")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    let ids: Vec<&str> = json["use_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["air", "lora"]);
    assert_eq!(json["use_cases"][0]["title"], "Air quality alerts");
    assert_eq!(
        json["use_cases"][0]["iri"],
        format!("{BASE}id/use-case/air")
    );
    let dimensions = json["dimensions"].as_array().unwrap();
    let names: Vec<&str> = dimensions
        .iter()
        .map(|d| d["dimension"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "vocabulary",
            "conformance",
            "observationQuality",
            "intake",
            "openness"
        ]
    );
    let metric = |dimension: usize, metric: &str| -> Vec<Value> {
        dimensions[dimension]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == metric)
            .unwrap()["values"]
            .as_array()
            .unwrap()
            .clone()
    };
    let intake = metric(3, "vendorFormats");
    assert_eq!(
        (intake[0]["value"].clone(), intake[1]["value"].clone()),
        (2.into(), 1.into())
    );
    assert_eq!(dimensions[3]["levels"], serde_json::json!([2, 1]));
    let time = metric(2, "timeCoverage");
    assert_eq!(time[0]["value"], 1.0);
    assert_eq!(time[0]["level"], 3);
    let location = metric(2, "locationCoverage");
    assert_eq!(location[0]["value"], 0.5);
    // Observation quality is the lowest of units (0), times (3) and places (1) for air.
    assert_eq!(dimensions[2]["levels"][0], 0);
    assert_eq!(dimensions[4]["levels"], serde_json::json!([3, 3]));

    let page = app
        .get("/use-cases/compare?ids=air,lora", "text/html")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.content_type().starts_with("text/html"));
    let html = page.text();
    for text in [
        "Air quality alerts",
        "LoRaWAN sensors",
        "Observation quality",
        "unit coverage",
        "/use-cases/rubric",
    ] {
        assert!(html.contains(text), "{text} not in the page");
    }
}

#[actix_web::test]
async fn compare_names_unknown_ids_and_needs_two() {
    let app = spawn_app().await;
    add_to_catalog(&app, &use_case("air", "Air", &[], &[])).await;
    let reply = app
        .get("/use-cases/compare?ids=air,nope,gone", "application/json")
        .await;
    let problem = reply.problem(404);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("\"nope\"") && detail.contains("\"gone\""),
        "{detail}"
    );
    assert!(!detail.contains("\"air\""), "{detail}");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);

    for path in [
        "/use-cases/compare?ids=air",
        "/use-cases/compare?ids=air,air",
        "/use-cases/compare",
    ] {
        let problem = app.get(path, "application/json").await.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains("at least two"),
            "{path}: {problem}"
        );
    }
    let problem = app
        .get("/use-cases/compare?ids=air,Bad_Id", "application/json")
        .await
        .problem(400);
    assert!(
        problem["detail"].as_str().unwrap().contains("\"Bad_Id\""),
        "{problem}"
    );
}

#[actix_web::test]
async fn a_use_case_not_yet_assessed_is_compared_on_measurements_computed_for_the_answer() {
    let app = spawn_app().await;
    // Data written with the Graph Store Protocol: no ingest, so nothing triggers an assessment.
    let reply = app
        .put_graph(
            "http://example.org/data/air",
            "<http://example.org/o1> a <http://www.w3.org/ns/sosa/Observation> ;
               <http://www.w3.org/ns/sosa/resultTime> \"2025-06-10T08:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .",
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    add_to_catalog(
        &app,
        &use_case("air", "Air", &[], &["http://example.org/data/air"]),
    )
    .await;
    add_to_catalog(&app, &use_case("none", "Nothing yet", &[], &[])).await;
    let reply = app
        .get("/use-cases/compare?ids=air,none", "application/json")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(
        json["dimensions"][2]["metrics"][1]["metric"],
        "timeCoverage"
    );
    assert_eq!(
        json["dimensions"][2]["metrics"][1]["values"][0]["value"],
        1.0
    );
    assert_eq!(
        json["dimensions"][2]["metrics"][1]["values"][0]["of"],
        serde_json::json!([1, 1])
    );
    assert_eq!(
        json["dimensions"][2]["metrics"][1]["values"][1]["value"],
        0.0
    );
    assert!(
        measurements(&app, "air").await.is_empty(),
        "a read stores nothing"
    );
}

#[actix_web::test]
async fn the_rubric_is_published_as_json_and_as_a_page() {
    let app = spawn_app().await;
    let reply = app.get("/use-cases/rubric", "application/json").await;
    assert_eq!(reply.status, 200);
    let json = reply.json();
    assert_eq!(json["levels"].as_array().unwrap().len(), 4);
    assert_eq!(json["levels"][3]["iri"], "https://w3id.org/citykg/level/3");
    let metrics: Vec<&Value> = json["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["metrics"].as_array().unwrap())
        .collect();
    assert_eq!(metrics.len(), 10);
    let unit = metrics
        .iter()
        .find(|m| m["metric"] == "unitCoverage")
        .unwrap();
    assert_eq!(unit["iri"], "https://w3id.org/citykg/ns#unitCoverage");
    assert_eq!(unit["datatype"], "decimal");
    assert_eq!(
        unit["thresholds"],
        serde_json::json!([
            "no data, or below 50 %",
            "at least 50 %",
            "at least 80 %",
            "at least 95 %"
        ])
    );
    let page = app.get("/use-cases/rubric", "text/html").await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for text in [
        "Interoperability assessment rubric",
        "machine-readable access",
        "at most 1 per 100 validated nodes",
    ] {
        assert!(html.contains(text), "{text} not in the page");
    }
    // Every metric the rubric names is a term of the loaded citykg module.
    let reply = app.get("/def/unitCoverage", "application/json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[actix_web::test]
async fn recomputing_everything_is_for_admins_and_post_only() {
    let app = spawn_app().await;
    let anonymous = app
        .send(app.client.post(app.url("/use-cases/assessment")), "")
        .await;
    anonymous.problem(401);
    let reader = app.token("reader", citykg::edge::auth::Role::Read);
    let reply = app
        .send(
            app.client
                .post(app.url("/use-cases/assessment"))
                .insert_header(("Authorization", format!("Bearer {reader}"))),
            "",
        )
        .await;
    reply.problem(403);
    let reply = app
        .send(
            app.client
                .get(app.url("/use-cases/assessment"))
                .insert_header(("Authorization", format!("Bearer {ADMIN}"))),
            "",
        )
        .await;
    reply.problem(405);
    assert_eq!(recompute_all(&app).await["use_cases"], shipped(&app).await);
}

/// The use cases a fresh instance ships (seeded at start), which a recompute of all counts too.
async fn shipped(_app: &TestApp) -> u64 {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/usecases");
    std::fs::read_dir(folder)
        .expect("the shipped use cases")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "ttl"))
        })
        .count() as u64
}
