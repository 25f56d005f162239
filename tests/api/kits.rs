//! Use-case kits: export from one instance, import into an empty one with another base IRI,
//! ingest the kit's sample through the imported mapping, find the data with SPARQL. A kit with a
//! mapping that reads what it must not, or a tampered kit, is refused whole.

use crate::helpers::{TestApp, spawn_app, spawn_with};
use awc::http::Method;
use citykg::catalogue::kits::{ArchiveLimits, Files, Kit, archive};
use citykg::core::config::BaseIri;

const MAPPING: &str = "prefixes:
  sosa: http://www.w3.org/ns/sosa/
  xsd: http://www.w3.org/2001/XMLSchema#
mappings:
  reading:
    sources: [[payload.csv~csv]]
    s: id/observation/bins/$(bin)/$(time)
    po:
      - [a, sosa:Observation]
      - [sosa:hasSimpleResult, $(fill), xsd:double]
";

const SAMPLE: &str = "bin,time,fill\nB-17,2026-05-01T06:00:00Z,81.5\n";

/// A use case with a registered mapping, a sample payload for it and a named query.
fn use_case() -> String {
    format!(
        r#"@prefix citykg: <https://w3id.org/citykg/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<id/use-case/nakuru-bins> a citykg:UseCase, dcat:Dataset ;
  dct:identifier "nakuru-bins" ;
  dct:title "Smart waste bins in Nakuru"@en ;
  dct:description "Fill-level sensors on public bins plan collection rounds."@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/environment> ;
  citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  citykg:usesMapping <mappings/city/bins-csv> ;
  citykg:dataGraph <graph/source/city/bins-csv> ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ;
  citykg:samplePayload <id/use-case/nakuru-bins/sample/morning> ;
  citykg:namedQuery <id/use-case/nakuru-bins/query/full-bins> .
<id/use-case/nakuru-bins/sample/morning> a citykg:SamplePayload ;
  citykg:forMapping <mappings/city/bins-csv> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
  citykg:content {sample:?} .
<id/use-case/nakuru-bins/query/full-bins> a citykg:NamedQuery ;
  citykg:sparql "SELECT ?o WHERE {{ ?o <http://www.w3.org/ns/sosa/hasSimpleResult> ?fill FILTER(?fill > 80) }}" .
"#,
        sample = SAMPLE
    )
}

pub async fn register(app: &TestApp) {
    let reply = app
        .send(
            app.admin(
                Method::PUT,
                "/mappings/city/bins-csv",
                Some("application/yaml"),
            ),
            MAPPING,
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let reply = app
        .send(
            app.admin(Method::POST, "/use-cases", Some("text/turtle")),
            use_case(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
}

pub async fn export(app: &TestApp) -> Vec<u8> {
    let reply = app
        .get("/use-cases/nakuru-bins/kit", "application/gzip")
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "application/gzip");
    reply.body
}

async fn import(app: &TestApp, kit: Vec<u8>) -> crate::helpers::Reply {
    app.send(
        app.admin(Method::POST, "/use-cases/import", Some("application/gzip")),
        kit,
    )
    .await
}

#[actix_web::test]
async fn a_kit_exported_from_one_city_runs_in_another() {
    let a = spawn_app().await;
    register(&a).await;
    let kit = export(&a).await;

    let files = archive::read(&kit, ArchiveLimits::default()).unwrap();
    for path in [
        "citykg-kit.json",
        "use-case.ttl",
        "use-case.jsonld",
        "mappings/city/bins-csv.yml",
        "samples/morning.csv",
        "queries/full-bins.rq",
        "shapes/use-case.ttl",
    ] {
        assert!(files.contains_key(path), "{path} in {:?}", files.keys());
    }
    assert_eq!(files["samples/morning.csv"], SAMPLE.as_bytes());
    assert_eq!(files["mappings/city/bins-csv.yml"], MAPPING.as_bytes());

    let b = spawn_with(|settings| {
        settings.base_iri = BaseIri::parse("http://other-city.test/").unwrap();
    })
    .await;
    let reply = import(&b, kit).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let imported = reply.json();
    assert_eq!(imported["useCase"], "nakuru-bins");
    assert_eq!(
        imported["iri"],
        "http://other-city.test/id/use-case/nakuru-bins"
    );
    assert_eq!(imported["mappingsInstalled"][0], "city/bins-csv");
    assert_eq!(imported["samplesChecked"], 1);
    assert_eq!(imported["queriesChecked"], 1);

    // The use case now lives under B's base, with its mapping and data graph rebased.
    let turtle = b.get("/use-cases/nakuru-bins", "text/turtle").await;
    assert_eq!(turtle.status.as_u16(), 200);
    let text = turtle.text();
    assert!(
        text.contains("http://other-city.test/mappings/city/bins-csv"),
        "{text}"
    );
    assert!(!text.contains("citykg.test/"), "{text}");

    // The imported mapping takes the sample payload, and the data appear in SPARQL.
    let reply = b
        .send(
            b.admin(Method::POST, "/ingest/city/bins-csv", Some("text/csv")),
            SAMPLE,
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let found = b
        .count(
            "SELECT ?o WHERE { GRAPH <http://other-city.test/graph/source/city/bins-csv> { \
             ?o <http://www.w3.org/ns/sosa/hasSimpleResult> ?fill FILTER(?fill = 81.5) } }",
        )
        .await;
    assert_eq!(found, 1);

    // Importing it again is a conflict, not a second copy.
    let again = import(&b, export(&a).await).await;
    assert_eq!(again.status.as_u16(), 409, "{}", again.text());
}

/// Rewrites one file of a kit and its digest, as someone editing a kit by hand would.
fn edited(kit: &[u8], path: &str, text: &str) -> Vec<u8> {
    let files = archive::read(kit, ArchiveLimits::default()).unwrap();
    let mut manifest: citykg::catalogue::kits::Manifest =
        serde_json::from_slice(&files["citykg-kit.json"]).unwrap();
    let mut files: Files = files;
    files.insert(path.to_owned(), text.as_bytes().to_vec());
    manifest.files.clear();
    Kit::to_archive(manifest, files).unwrap()
}

#[actix_web::test]
async fn a_kit_whose_mapping_reads_outside_its_payload_is_refused_whole() {
    let a = spawn_app().await;
    register(&a).await;
    let kit = export(&a).await;
    let reads_passwd = MAPPING.replace(
        "mappings:\n",
        "mappings:\n  stolen:\n    sources: [['/etc/passwd~csv']]\n    s: http://example.com/x/$(id)\n    po:\n      - [a, sosa:Observation]\n",
    );
    let bad = edited(&kit, "mappings/city/bins-csv.yml", &reads_passwd);

    let b = spawn_app().await;
    let reply = import(&b, bad).await;
    let problem = reply.problem(422);
    let errors = problem["errors"].to_string();
    assert!(errors.contains("mappings/city/bins-csv.yml"), "{problem}");
    assert!(errors.contains("/etc/passwd"), "{problem}");
    // Refused whole: neither the mapping nor the use case was installed.
    assert_eq!(
        b.get("/mappings/city/bins-csv", "application/json")
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        b.get("/use-cases/nakuru-bins", "text/turtle")
            .await
            .status
            .as_u16(),
        404
    );
}

#[actix_web::test]
async fn tampered_broken_and_unauthorised_kits_are_refused() {
    let a = spawn_app().await;
    register(&a).await;
    let kit = export(&a).await;
    let b = spawn_app().await;

    // A file changed after export no longer matches the manifest.
    let mut files = archive::read(&kit, ArchiveLimits::default()).unwrap();
    files.insert(
        "samples/morning.csv".to_owned(),
        b"bin,time,fill\n".to_vec(),
    );
    let reply = import(&b, archive::write(&files).unwrap()).await;
    assert!(
        reply.problem(422)["errors"]
            .to_string()
            .contains("samples/morning.csv"),
        "{}",
        reply.text()
    );

    // A sample that no longer maps, and a query that does not parse, each named.
    let broken = edited(&kit, "queries/full-bins.rq", "SELECT WHERE {");
    let reply = import(&b, broken).await;
    assert!(
        reply.problem(422)["errors"]
            .to_string()
            .contains("queries/full-bins.rq"),
        "{}",
        reply.text()
    );

    let reply = import(&b, b"not a kit".to_vec()).await;
    reply.problem(422);

    let anonymous = b
        .send(
            b.client
                .post(b.url("/use-cases/import"))
                .insert_header(("Content-Type", "application/gzip")),
            kit,
        )
        .await;
    anonymous.problem(401);
}

#[actix_web::test]
async fn a_shipped_use_case_kit_carries_a_sample_that_its_named_query_reads() {
    let app = spawn_app().await;
    let kit = app
        .get("/use-cases/kisumu-air-quality/kit", "application/gzip")
        .await;
    assert_eq!(kit.status.as_u16(), 200, "{}", kit.text());
    let files = archive::read(&kit.body, ArchiveLimits::default()).unwrap();
    let manifest: citykg::catalogue::kits::Manifest =
        serde_json::from_slice(&files["citykg-kit.json"]).unwrap();
    let mut builtins: Vec<&str> = manifest
        .mappings
        .iter()
        .filter(|m| m.builtin && m.file.is_none())
        .map(|m| m.id.as_str())
        .collect();
    builtins.sort_unstable();
    assert_eq!(
        builtins,
        ["builtin/sensor-community-csv", "builtin/ttn-v3"],
        "{manifest:?}"
    );
    let shapes: Vec<&str> = manifest.shapes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(shapes, ["measurement", "observation", "sensor", "use-case"]);
    let sample = std::str::from_utf8(&files["samples/market-node-uplink.json"]).unwrap();
    let query = std::str::from_utf8(&files["queries/pm25-daily-mean.rq"]).unwrap();

    let reply = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/builtin/ttn-v3",
                Some("application/json"),
            ),
            sample.to_owned(),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let rows = app
        .query(query, "application/sparql-results+json")
        .await
        .json();
    let bindings = &rows["results"]["bindings"];
    assert_eq!(bindings.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(bindings[0]["day"]["value"], "2025-06-10");
    assert_eq!(
        bindings[0]["pm25"]["value"]
            .as_str()
            .map(|v| v.parse::<f64>().unwrap()),
        Some(38.2)
    );
}
