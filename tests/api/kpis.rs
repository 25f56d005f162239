//! The city profile and the KPIs over HTTP: a profile is checked by its shape, versioned, and
//! places sensors by their position; KPIs come out of the rollups and the profile with the
//! values worked out by hand below; operators report the others; the report lists all 91.

use crate::helpers::spawn_app;
use awc::http::Method;

fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

const PM25: &str = "https://w3id.org/citykg/property/pm25";

/// Two square districts side by side, D01 west of D02, with populations and city figures.
fn profile(d01: &str, d02: &str) -> String {
    format!(
        r#"@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<id/city> a citykg:City , geo:Feature ; rdfs:label "Testville" .
<id/district/D01> a citykg:Area , geo:Feature ; rdfs:label "West" ; geo:hasGeometry [ geo:asWKT "{d01}"^^geo:wktLiteral ] .
<id/district/D02> a citykg:Area , geo:Feature ; rdfs:label "East" ; geo:hasGeometry [ geo:asWKT "{d02}"^^geo:wktLiteral ] .
<id/f/pop1> a citykg:ReferenceFigure ; citykg:figureOf <id/district/D01> ; citykg:figure citykg:population ; citykg:year "2025"^^xsd:gYear ; rdf:value 1000 .
<id/f/pop2> a citykg:ReferenceFigure ; citykg:figureOf <id/district/D02> ; citykg:figure citykg:population ; citykg:year "2025"^^xsd:gYear ; rdf:value 3000 .
<id/f/streets> a citykg:ReferenceFigure ; citykg:figureOf <id/city> ; citykg:figure citykg:majorStreetLength ; citykg:year "2025"^^xsd:gYear ; rdf:value 10 .
<id/f/per> a citykg:ReferenceFigure ; citykg:figureOf <id/city> ; citykg:figure citykg:monitoredLengthPerTrafficSensor ; citykg:year "2025"^^xsd:gYear ; rdf:value 0.5 .
<id/f/wm> a citykg:ReferenceFigure ; citykg:figureOf <id/city> ; citykg:figure citykg:waterMeters ; citykg:year "2024"^^xsd:gYear ; rdf:value 4 .
<id/f/em> a citykg:ReferenceFigure ; citykg:figureOf <id/city> ; citykg:figure citykg:electricityMeters ; citykg:year "2025"^^xsd:gYear ; rdf:value 10 .
<id/building/B1> a citykg:PublicBuilding , geo:Feature ; rdfs:label "Town hall" ; citykg:floorArea 400.0 ; citykg:meteredBy <id/sensor/en-1> .
"#
    )
}

const WEST: &str = "POLYGON((16.0 48.0, 16.1 48.0, 16.1 48.1, 16.0 48.1, 16.0 48.0))";
const EAST: &str = "POLYGON((16.1 48.0, 16.2 48.0, 16.2 48.1, 16.1 48.1, 16.1 48.0))";

#[actix_web::test]
async fn a_profile_is_checked_versioned_and_places_sensors_by_their_position() {
    let app = spawn_app().await;
    let put = |body: String, token: Option<String>| {
        let mut request = app
            .client
            .put(app.url("/city/profile"))
            .insert_header(("Content-Type", "text/turtle"));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        app.send(request, body)
    };

    // Only an admin uploads; a broken profile is refused with every problem and stores nothing.
    let anonymous = put(profile(WEST, EAST), None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());
    let writer = app.token("writer", citykg::edge::auth::Role::Write);
    assert_eq!(put(profile(WEST, EAST), Some(writer)).await.status, 403);
    let broken = profile("POINT(16.05 48.05)", EAST).replace("rdf:value 3000", "rdf:value -3");
    let admin = crate::helpers::ADMIN.to_owned();
    let refused = put(broken, Some(admin.clone())).await;
    let problem = refused.problem(422);
    let errors = problem["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{problem}");
    assert!(
        errors.iter().any(|e| e["path"]
            .as_str()
            .is_some_and(|p| p.contains("hasGeometry"))),
        "{problem}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["value"].as_str().is_some_and(|v| v.contains("-3"))),
        "{problem}"
    );
    assert_eq!(app.get("/city/profile", "text/turtle").await.status, 404);
    let open_ring = put(
        profile("POLYGON((16.0 48.0, 16.1 48.0, 16.0 48.0))", EAST),
        Some(admin.clone()),
    )
    .await;
    let problem = open_ring.problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("at least four points"),
        "{problem}"
    );
    let syntax = put("<a> <b> .".to_owned(), Some(admin.clone())).await;
    assert_eq!(syntax.status, 400, "{}", syntax.text());

    let first = put(profile(WEST, EAST), Some(admin.clone())).await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.json()["number"], 1);

    // A sensor with a position and no explicit area, written through the Graph Store.
    let sensor = r#"@prefix sosa: <http://www.w3.org/ns/sosa/> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://citykg.test/id/sensor/free> a sosa:Sensor ; wgs:lat 48.05 ; wgs:long 16.05 .
<http://citykg.test/id/observation/free/1> a sosa:Observation ; sosa:madeBySensor <http://citykg.test/id/sensor/free> ;
  sosa:observedProperty <https://w3id.org/citykg/property/pm25> ; sosa:hasSimpleResult 12.5 ;
  sosa:resultTime "2025-03-03T10:00:00Z"^^xsd:dateTime .
"#;
    let stored = app.put_graph("http://citykg.test/graph/free", sensor).await;
    assert!(stored.status.is_success(), "{}", stored.text());
    let app = &app;
    let area_series = |area: &'static str| {
        let path = format!(
            "/series?area={}&property={}&size=day",
            enc(&format!("http://citykg.test/id/district/{area}")),
            enc(PM25)
        );
        async move { app.get(&path, "application/json").await.json()["series"].clone() }
    };
    assert_eq!(
        area_series("D01").await[0]["sum"],
        12.5,
        "placed in the west by its position"
    );
    assert_eq!(area_series("D02").await.as_array().unwrap().len(), 0);
    let in_west = app
        .get(
            &format!("/state?area={}", enc("http://citykg.test/id/district/D01")),
            "application/json",
        )
        .await;
    assert_eq!(in_west.json()["values"].as_array().unwrap().len(), 1);

    // A second version swaps the polygons: the sensor's readings move with it, exactly.
    let second = put(profile(EAST, WEST), Some(admin)).await;
    assert_eq!(second.status, 201, "{}", second.text());
    assert_eq!(second.json()["number"], 2);
    assert_eq!(area_series("D01").await.as_array().unwrap().len(), 0);
    assert_eq!(area_series("D02").await[0]["sum"], 12.5);
    let versions = app.get("/city/profile/versions", "application/json").await;
    let versions = versions.json()["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["triples"], versions[1]["triples"]);
    let old = app.get("/city/profile/versions/1", "text/turtle").await;
    assert_eq!(old.status, 200);
    let old = crate::helpers::parse_rdf(oxigraph::io::RdfFormat::Turtle, &old.body);
    let current = app.get("/city/profile", "application/ld+json").await;
    assert_eq!(current.status, 200, "{}", current.text());
    assert!(old.len() > 20);
    assert!(
        old.iter()
            .any(|q| q.object.to_string().contains("16.0 48.0, 16.1 48.0"))
    );
    assert_eq!(
        app.get("/city/profile/versions/9", "text/turtle")
            .await
            .status,
        404
    );
}

const READINGS: &str = "sensor_id,district,lat,lon,property,value,unit,timestamp
aq-1,D01,48.05,16.05,pm25,10,ug/m3,2025-03-03T10:00:00Z
aq-1,D01,48.05,16.05,pm25,20,ug/m3,2025-03-03T10:30:00Z
aq-2,D02,48.05,16.15,pm25,30,ug/m3,2025-03-03T11:00:00Z
wt-1,D01,48.05,16.05,water_consumption,100,L,2025-03-03T10:00:00Z
wt-1,D01,48.05,16.05,water_consumption,60,L,2025-03-04T10:00:00Z
wi-1,D01,48.05,16.05,water_inflow,200,L,2025-03-03T10:15:00Z
wi-1,D01,48.05,16.05,water_inflow,100,L,2025-03-05T10:00:00Z
en-1,D01,48.05,16.05,active_power,2,kW,2025-03-03T10:00:00Z
en-1,D01,48.05,16.05,active_power,4,kW,2025-03-03T10:30:00Z
en-1,D01,48.05,16.05,active_power,5,kW,2025-03-03T11:00:00Z
tr-1,D02,48.05,16.15,avg_speed,60,km/h,2025-03-03T02:00:00Z
tr-1,D02,48.05,16.15,avg_speed,30,km/h,2025-03-03T08:00:00Z
tr-1,D02,48.05,16.15,avg_speed,20,km/h,2025-03-03T17:00:00Z
tr-1,D02,48.05,16.15,vehicle_count,100,1,2025-03-03T08:00:00Z
ns-1,D01,48.05,16.05,noise,60,dB,2025-03-03T10:00:00Z
ns-2,D02,48.05,16.15,noise,50,dB,2025-03-03T10:00:00Z
";

fn value_of(assessments: &[serde_json::Value], method: &str) -> f64 {
    assessments
        .iter()
        .find(|a| a["method"] == method)
        .unwrap_or_else(|| panic!("no assessment {method}"))["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("{method} has no value: {assessments:?}"))
}

#[actix_web::test]
async fn kpis_come_from_rollups_and_the_profile_and_the_report_lists_all_91() {
    let app = spawn_app().await;
    let put = app
        .send(
            app.admin(Method::PUT, "/city/profile", Some("text/turtle")),
            profile(WEST, EAST),
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.text());
    let ingest = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/builtin/readings-csv",
                Some("text/csv"),
            ),
            READINGS,
        )
        .await;
    assert_eq!(ingest.status, 200, "{}", ingest.text());

    let computed = app
        .send(app.admin(Method::POST, "/kpis/compute?year=2025", None), "")
        .await;
    assert_eq!(computed.status, 200, "{}", computed.text());
    let all = computed.json()["computed"][0]["assessments"]
        .as_array()
        .unwrap()
        .clone();
    let close = |method: &str, expected: f64| {
        let got = value_of(&all, method);
        assert!(
            (got - expected).abs() < 1e-9,
            "{method}: {got} != {expected}"
        );
    };
    // Sensor means 15 and 30: the city's annual mean is their mean.
    close("EN-EN-AQ-1C-pm25", 22.5);
    // 160 L over two days for 4,000 people (the sum of the districts: no city figure).
    close("EN-EN-WS-2C", 160.0 / 4000.0 / 2.0);
    // Hour means 3 kW and 5 kW: 8 kWh, for 4,000 people; over 400 m2 of public building.
    close("EN-E-E-2C", 8.0 / 4000.0);
    close("EN-E-E-4A", 8.0 / 400.0);
    // Free flow 60 km/h, peak hours 30 and 20: 60 / 25.
    close("EC-I-T-5A", 2.4);
    // 300 L put in over two hours, of which 100 L metered in the same hours.
    close("EC-I-WS-3C", 100.0 * 200.0 / 300.0);
    // One traffic sensor x 0.5 km of 10 km; one of 4 water meters (the 2024 figure); 1 of 10.
    close("EC-ICT-T-2C", 5.0);
    close("EC-ICT-WS-1C", 25.0);
    close("EC-ICT-ES-1C", 10.0);
    // The west (1,000 people) averages 60 dB, above 55; the east (3,000) 50 dB.
    close("EN-EN-EQ-2A", 25.0);
    let pm25 = all
        .iter()
        .find(|a| a["method"] == "EN-EN-AQ-1C-pm25")
        .unwrap();
    assert!((pm25["capture"].as_f64().unwrap() - 1.0 / 8760.0).abs() < 1e-12);
    assert_eq!(pm25["guideline"], 5.0);
    assert!(
        pm25["notes"][0].as_str().unwrap().contains("EU rule"),
        "{pm25}"
    );
    assert!(
        pm25["derived_from"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "http://citykg.test/id/rollups/sensor-hour")
    );
    let wm = all.iter().find(|a| a["method"] == "EC-ICT-WS-1C").unwrap();
    assert!(wm["notes"].to_string().contains("of 2024 used"), "{wm}");
    assert!(
        wm["derived_from"].to_string().contains("id/profile/v1"),
        "{wm}"
    );
    let no2 = all
        .iter()
        .find(|a| a["method"] == "EN-EN-AQ-1C-no2")
        .unwrap();
    assert!(no2["value"].is_null());
    assert!(
        no2["notes"][0]
            .as_str()
            .unwrap()
            .contains("no readings of no2")
    );

    // The same assessments through SPARQL, as SAREF4CITY.
    let count = app
        .count(
            "PREFIX s4city: <https://saref.etsi.org/saref4city/> PREFIX saref: <https://saref.etsi.org/core/>
             SELECT ?a WHERE { GRAPH <http://citykg.test/graph/kpi> { ?a a s4city:KeyPerformanceIndicatorAssessment ; saref:hasValue ?v ; s4city:hasCalculationPeriod <http://reference.data.gov.uk/id/year/2025> } }",
        )
        .await;
    assert_eq!(count, 10, "twelve methods, two without data (pm10, no2)");

    // An operator reports a KPI no method computes; bad reports are refused.
    let report = |code: &str, body: &str, token: Option<&str>| {
        let mut request = app
            .client
            .request(Method::PUT, app.url(&format!("/kpis/{code}/2025")))
            .insert_header(("Content-Type", "application/json"));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        app.send(request, body.to_owned())
    };
    let body = r#"{"value": 87.5, "unit": "http://qudt.org/vocab/unit/PERCENT", "source": "National statistics office, household survey 2025"}"#;
    assert_eq!(report("EC-ICT-ICT-1C", body, None).await.status, 401);
    let admin = crate::helpers::ADMIN;
    let missing_source = report(
        "EC-ICT-ICT-1C",
        r#"{"value": 1, "source": " "}"#,
        Some(admin),
    )
    .await;
    assert!(
        missing_source.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("source")
    );
    assert_eq!(report("XX-1", body, Some(admin)).await.status, 404);
    let reported = report("EC:%20ICT:%20ICT:%201C", body, Some(admin)).await;
    assert_eq!(reported.status, 200, "{}", reported.text());
    assert_eq!(reported.json()["status"], "reported");

    let year = app.get("/kpis/report?year=2025", "application/json").await;
    assert_eq!(year.status, 200, "{}", year.text());
    let rows = year.json()["kpis"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 91);
    let standing = |code: &str| {
        rows.iter()
            .find(|r| r["kpi"]["code"] == code)
            .unwrap_or_else(|| panic!("{code}"))["standing"]
            .clone()
    };
    assert_eq!(standing("EN: EN: AQ: 1C"), "computed");
    assert_eq!(standing("EC: ICT: ICT: 1C"), "reported");
    assert_eq!(standing("SC: EH: ED: 1C"), "missing");
    let computed_rows = rows.iter().filter(|r| r["standing"] == "computed").count();
    assert_eq!(computed_rows, 10, "the ten KPIs with a method and data");
    let csv = app.get("/kpis/report?year=2025", "text/csv").await;
    assert!(
        csv.text()
            .starts_with("dimension,sub_dimension,code,name,type,status,value,unit,evidence\r\n")
    );
    assert_eq!(csv.text().lines().count(), 92);
    assert!(csv.text().contains("National statistics office"));
    let jsonld = app
        .get("/kpis/report?year=2025", "application/ld+json")
        .await;
    let dataset = crate::helpers::parse_rdf(
        oxigraph::io::RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        &jsonld.body,
    );
    let missing = dataset
        .iter()
        .filter(|q| q.predicate.as_str() == "https://w3id.org/citykg/ns#missingKpi")
        .count();
    assert_eq!(missing, 91 - 11);
    // The named queries give the same view through SPARQL.
    let named = |file: &str| {
        std::fs::read_to_string(format!("{}/queries/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let listed = app
        .query(
            &named("kpi-assessments.rq"),
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let bindings = listed.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        bindings.len(),
        13,
        "twelve computed and one reported assessment"
    );
    assert!(
        bindings
            .iter()
            .any(|b| b["status"]["value"] == "https://w3id.org/citykg/ns#Reported")
    );
    let gaps = app
        .query(&named("kpi-missing.rq"), "application/sparql-results+json")
        .await;
    assert_eq!(
        gaps.json()["results"]["bindings"].as_array().unwrap().len(),
        80
    );
    let page = app.get("/kpis/report?year=2025", "text/html").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text().matches("<tr data-code=").count(), 91);
    assert_eq!(
        app.get("/kpis/report", "application/json").await.status,
        400
    );
    assert_eq!(
        app.get("/kpis/report?year=99999", "application/json")
            .await
            .status,
        400
    );

    // New data: the KPIs are recomputed in the background, without asking.
    let more = "sensor_id,district,lat,lon,property,value,unit,timestamp\naq-3,D02,48.05,16.15,pm25,45,ug/m3,2025-03-03T12:00:00Z\n";
    let ingest = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/builtin/readings-csv",
                Some("text/csv"),
            ),
            more,
        )
        .await;
    assert_eq!(ingest.status, 200);
    let started = std::time::Instant::now();
    loop {
        let listed = app.get("/kpis?year=2025", "application/json").await.json();
        let value = value_of(
            listed["assessments"].as_array().unwrap(),
            "EN-EN-AQ-1C-pm25",
        );
        if (value - 30.0).abs() < 1e-9 {
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "still {value} after 60 s");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let page = app.get("/state", "text/html").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<table id=\"state\">"));
    assert_eq!(
        page.text().matches("<tr><td><a href=").count(),
        10,
        "one row per sensor and property"
    );
    let dashboard = app.get("/dashboard", "text/html").await;
    assert_eq!(dashboard.status, 200);
    let html = dashboard.text();
    assert_eq!(html.matches("class=\"area\"").count(), 2);
    assert_eq!(
        html.matches("class=\"sensor\"").count(),
        3,
        "three pm25 sensors"
    );
    assert_eq!(
        html.matches("class=\"tile kpi\"").count(),
        13,
        "twelve computed, one reported"
    );
}
