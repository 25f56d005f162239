//! The whole shared payload corpus (`../shared/payloads`, see its SOURCES.md): every payload
//! file ingests over HTTP through the built-in mapping for its format, stores something, and
//! the stored graph passes the shipped observation and sensor shapes. A file the table below
//! does not place fails the test, so a payload added to the corpus cannot be skipped silently.
//! Specific values are checked per format in the `builtins*` tests.

use std::path::Path;

use awc::http::Method;

use crate::builtins::{assert_conforms, payloads_dir};
use crate::helpers::spawn_app;

/// File name suffix -> built-in mapping and the Content-Type it is sent with.
const FORMATS: &[(&str, &str, &str)] = &[
    (".ttn.payload.json", "ttn-v3", "application/json"),
    (".tti.payload.json", "ttn-v3", "application/json"),
    ("ttnv3_mqtt_message.json", "ttn-v3", "application/json"),
    ("ttn_mqtt_message.json", "ttn-v2", "application/json"),
    (
        ".chirpstack.payload.json",
        "chirpstack-v4",
        "application/json",
    ),
    (".loriot.payload.json", "loriot", "application/json"),
    (".thingpark.payload.json", "thingpark", "application/json"),
    ("helium_uplink.json", "helium", "application/json"),
    (
        ".ngsi-v2.keyvalues.json",
        "ngsi-v2-keyvalues",
        "application/json",
    ),
    (
        ".ngsi-v2.normalized.json",
        "ngsi-v2-normalized",
        "application/json",
    ),
    (
        ".ngsi-ld.normalized.jsonld",
        "ngsi-ld-normalized",
        "application/ld+json",
    ),
    (
        ".ngsi-ld.keyvalues.jsonld",
        "ngsi-ld-concise",
        "application/ld+json",
    ),
    (
        ".ngsi-ld.geojsonfeature.json",
        "ngsi-ld-concise",
        "application/geo+json",
    ),
    (".json", "sensorthings", "application/json"),
    (".datex2v2.xml", "datex2-v2", "application/xml"),
    (".csv", "sensor-community-csv", "text/csv"),
    (".td.jsonld", "wot-td", "application/td+json"),
];

/// Folder -> the formats its files may have (a `.json` under `frost-server/` is SensorThings,
/// not anything else).
fn allowed(folder: &str, mapping: &str) -> bool {
    match folder {
        "bertrik-sensor-data-bridge" => ["ttn-v3", "ttn-v2", "helium"].contains(&mapping),
        "thingsboard-data-converters" => {
            ["ttn-v3", "chirpstack-v4", "loriot", "thingpark"].contains(&mapping)
        }
        "fiware-sdm" => mapping.starts_with("ngsi-"),
        "frost-server" => mapping == "sensorthings",
        "ndw-datex2" => mapping == "datex2-v2",
        "sensor-community-csv" => mapping == "sensor-community-csv",
        "w3c-wot-testing" => mapping == "wot-td",
        _ => false,
    }
}

/// Files that are not payloads of a built-in format, each with the reason.
const NOT_INGESTED: &[(&str, &str)] = &[
    (
        ".result.json",
        "ThingsBoard converter output (decoded values for the test), not a network-server payload",
    ),
    (
        "cdp_message.json",
        "an NB-IoT CDP report: no built-in for that platform yet",
    ),
    (
        "json_payload.json",
        "a decoded sensor payload without any envelope (no device, no time)",
    ),
    (
        ".datex2v3.xml",
        "DATEX II v3 (VMS publication): the built-in reads v2 measurements",
    ),
];

fn is_documentation(name: &str) -> bool {
    name.starts_with("LICENSE") || name.ends_with(".md") || name.ends_with(".txt")
}

#[actix_web::test]
async fn every_payload_of_the_corpus_ingests_through_its_builtin_and_conforms() {
    let root = payloads_dir();
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e} (set CITYKG_SHARED)", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    let app = spawn_app().await;
    let mut ingested = 0;
    let mut unplaced = Vec::new();
    for folder in &folders {
        let folder_name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if is_documentation(&name) || NOT_INGESTED.iter().any(|(end, _)| name.ends_with(end)) {
                continue;
            }
            let Some((_, mapping, media)) = FORMATS
                .iter()
                .find(|(end, mapping, _)| name.ends_with(end) && allowed(&folder_name, mapping))
            else {
                unplaced.push(format!("{folder_name}/{name}"));
                continue;
            };
            ingest_and_check(&app, &file, mapping, media).await;
            ingested += 1;
        }
    }
    assert!(
        unplaced.is_empty(),
        "corpus files with no built-in and no reason to skip: {unplaced:?}"
    );
    // 13 LoRaWAN envelopes, 27 Smart Data Model files, 5 SensorThings, 3 DATEX II v2, 3 CSV,
    // 4 Thing Descriptions.
    assert_eq!(ingested, 55);
}

async fn ingest_and_check(app: &crate::helpers::TestApp, file: &Path, mapping: &str, media: &str) {
    let what = file.display().to_string();
    let body = std::fs::read(file).unwrap();
    // The Smart Data Model examples carry naive times; the corpus says nothing of their zone,
    // so the test declares one (without it they are quarantined, see builtins_ngsiv2).
    let request = app.admin(
        Method::POST,
        &format!("/ingest/builtin/{mapping}?timezone=Z"),
        Some(media),
    );
    let reply = app.send(request, body).await;
    assert_eq!(
        reply.status,
        200,
        "{what} via builtin/{mapping}: {}",
        reply.text()
    );
    let outcome = reply.json();
    assert!(
        outcome["quads"].as_u64().unwrap() > 0,
        "{what}: nothing stored: {outcome}"
    );
    let graph = outcome["target_graph"].as_str().unwrap();
    assert_conforms(app, graph, &what).await;
}
