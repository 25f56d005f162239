//! The live city over HTTP: an ingest and a Graph Store write keep `/state` and `/series`
//! (and the derived graphs behind them) exact, and the parameters are checked.

use crate::helpers::spawn_app;
use awc::http::Method;

const CSV: &str = "sensor_id,district,lat,lon,property,value,unit,timestamp
aq-1,D01,48.20,16.37,pm25,10,ug/m3,2025-03-03T10:00:00Z
aq-1,D01,48.20,16.37,pm25,20,ug/m3,2025-03-03T10:30:00Z
aq-1,D01,48.20,16.37,pm25,30,ug/m3,2025-03-04T09:00:00Z
aq-2,D01,48.21,16.38,pm25,40,ug/m3,2025-03-03T11:00:00Z
aq-3,D02,48.30,16.50,pm25,5,ug/m3,2025-03-03T12:00:00Z
";

const PM25: &str = "https://w3id.org/citykg/property/pm25";

fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[actix_web::test]
async fn an_ingest_keeps_current_values_and_series_exact() {
    let app = spawn_app().await;
    let reply = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/builtin/readings-csv",
                Some("text/csv"),
            ),
            CSV,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());

    let state = app
        .get(
            &format!("/state?property={}", enc(PM25)),
            "application/json",
        )
        .await;
    assert_eq!(state.status, 200, "{}", state.text());
    let values = state.json()["values"].as_array().unwrap().clone();
    assert_eq!(values.len(), 3, "{values:?}");
    let aq1 = values
        .iter()
        .find(|v| v["subject"].as_str().unwrap().ends_with("/aq-1"))
        .unwrap();
    assert_eq!(aq1["number"], 30.0, "the latest reading, not the last row");
    assert_eq!(aq1["time"], "2025-03-04T09:00:00Z");

    // Out of order: an older reading does not replace the current value; a newer one does.
    let late = "sensor_id,district,lat,lon,property,value,unit,timestamp\naq-1,D01,48.20,16.37,pm25,99,ug/m3,2025-03-01T00:00:00Z\n";
    app.send(
        app.admin(
            Method::POST,
            "/ingest/builtin/readings-csv",
            Some("text/csv"),
        ),
        late,
    )
    .await;
    let state = app
        .get(
            &format!("/state?property={}", enc(PM25)),
            "application/json",
        )
        .await;
    let aq1 = state.json()["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["subject"].as_str().unwrap().ends_with("/aq-1"))
        .cloned()
        .unwrap();
    assert_eq!(aq1["number"], 30.0);

    // Filters: by area and by bounding box; GeoJSON and CSV.
    let area = "http://citykg.test/id/district/D01";
    let in_area = app
        .get(&format!("/state?area={}", enc(area)), "application/json")
        .await;
    assert_eq!(in_area.json()["values"].as_array().unwrap().len(), 2);
    let boxed = app
        .get(
            "/state?bbox=16.45,48.25,16.55,48.35",
            "application/geo+json",
        )
        .await;
    assert_eq!(boxed.content_type(), "application/geo+json");
    let features = boxed.json()["features"].as_array().unwrap().clone();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["geometry"]["coordinates"][0], 16.5);
    let csv = app.get("/state", "text/csv").await;
    assert!(
        csv.text()
            .starts_with("subject,property,value,time,observation\r\n")
    );
    assert_eq!(csv.text().lines().count(), 4);

    // The same current values as RDF, which JSON-LD and Turtle clients read alike.
    for (accept, format) in [
        (
            "application/ld+json",
            oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("text/turtle", oxigraph::io::RdfFormat::Turtle),
    ] {
        let rdf = app.get("/state", accept).await;
        assert_eq!(rdf.status, 200, "{accept}: {}", rdf.text());
        assert!(
            rdf.content_type().starts_with(accept),
            "{}",
            rdf.content_type()
        );
        let dataset = crate::helpers::parse_rdf(format, &rdf.body);
        assert_eq!(
            dataset.len(),
            3 * 6,
            "{accept}: six triples per current value"
        );
    }

    // The district's daily mean: (10 + 20 + 40) / 3 on the 3rd, 30 on the 4th (and 99 on the 1st).
    let series = app
        .get(
            &format!(
                "/series?area={}&property={}&size=day&from=2025-03-02",
                enc(area),
                enc(PM25)
            ),
            "application/json",
        )
        .await;
    assert_eq!(series.status, 200, "{}", series.text());
    let points = series.json()["series"].as_array().unwrap().clone();
    assert_eq!(points.len(), 2, "{points:?}");
    assert_eq!(points[0]["period"], "2025-03-03");
    assert_eq!(points[0]["count"], 3);
    assert!((points[0]["mean"].as_f64().unwrap() - 70.0 / 3.0).abs() < 1e-9);
    assert_eq!(points[0]["min"], 10.0);
    assert_eq!(points[0]["max"], 40.0);
    assert_eq!(points[1]["mean"], 30.0);

    // The named queries give the same answers through SPARQL.
    let named = |file: &str| {
        std::fs::read_to_string(format!("{}/queries/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let latest = app
        .query(
            &named("latest-values.rq"),
            "application/sparql-results+json",
        )
        .await;
    assert_eq!(
        latest.json()["results"]["bindings"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let means = app
        .query(
            &named("area-daily-means.rq"),
            "application/sparql-results+json",
        )
        .await;
    let rows = means.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        rows.len(),
        4,
        "D01 on the 1st, 3rd and 4th, D02 on the 3rd: {rows:?}"
    );
    assert!(rows.iter().any(|r| {
        r["count"]["value"] == "3"
            && r["day"]["value"]
                .as_str()
                .unwrap()
                .ends_with("/day/2025-03-03")
    }));

    // Deleting the first batch's graph through the Graph Store takes its readings out.
    let graph = "http://citykg.test/graph/source/builtin/readings-csv";
    let deleted = app
        .send(
            app.admin(
                Method::DELETE,
                &format!("/store?graph={}", enc(graph)),
                None,
            ),
            "",
        )
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.text());
    let state = app.get("/state", "application/json").await;
    assert!(
        state.json()["values"].as_array().unwrap().is_empty(),
        "{}",
        state.text()
    );
    let series = app
        .get(
            &format!("/series?scope=area&property={}", enc(PM25)),
            "text/csv",
        )
        .await;
    assert_eq!(
        series.text().lines().count(),
        1,
        "only the header: {}",
        series.text()
    );

    // The derived graphs are plain RDF too.
    let count = app
        .count("SELECT ?b WHERE { GRAPH <http://citykg.test/graph/rollups/day> { ?b a <http://purl.org/linked-data/cube#Observation> } }")
        .await;
    assert_eq!(count, 0);
}

#[actix_web::test]
async fn bad_parameters_are_problems_that_say_what_to_send() {
    let app = spawn_app().await;
    for (path, words) in [
        ("/series?size=day", "`property`"),
        (
            &*format!("/series?property={}&size=week&scope=area", enc(PM25)),
            "hour, day or month",
        ),
        (
            &*format!("/series?property={}", enc(PM25)),
            "exactly one of",
        ),
        (
            &*format!("/series?property={}&scope=area&from=yesterday", enc(PM25)),
            "`from`",
        ),
        ("/state?bbox=1,2,3", "minLon,minLat,maxLon,maxLat"),
        ("/state?property=pm25", "absolute IRI"),
        ("/state?area=a&area=b", "more than once"),
    ] {
        let reply = app.get(path, "application/json").await;
        let problem = reply.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains(words),
            "{path}: {problem}"
        );
    }
}
