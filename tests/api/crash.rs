//! SIGKILL during ingest: after a restart on the same location, every ingest that was answered
//! 2xx is fully there, and nothing is half-applied.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::ingest::{OBSERVATIONS, readings};

pub const SECRET: &str = "crash-test-admin-secret";

/// Starts `citykg serve` on `location`; returns the process and its address.
pub fn serve(location: &str) -> (Child, String) {
    serve_with(location, &[])
}

/// `serve` with more flags.
pub fn serve_with(location: &str, flags: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_citykg"))
        .args([
            "serve",
            "--location",
            location,
            "--bind",
            "127.0.0.1:0",
            "--base-iri",
            "http://citykg.test/",
        ])
        .args(flags)
        .env("CITYKG_ADMIN_TOKEN", SECRET)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut address = String::new();
    for line in BufReader::new(child.stdout.as_mut().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            address = rest.split('/').take(3).collect::<Vec<_>>().join("/");
            break;
        }
    }
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    (child, address)
}

async fn post(
    client: &awc::Client,
    url: &str,
    content_type: &str,
    key: Option<&str>,
    body: String,
) -> Result<u16, String> {
    let mut request = client
        .post(url)
        .insert_header(("Authorization", format!("Bearer {SECRET}")))
        .insert_header(("Content-Type", content_type));
    if let Some(key) = key {
        request = request.insert_header(("Idempotency-Key", key));
    }
    let response = request.send_body(body).await.map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

pub async fn count(client: &awc::Client, address: &str, query: &str) -> u64 {
    let url = format!(
        "{address}/query?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    let mut response = client
        .get(url)
        .insert_header(("Accept", "application/sparql-results+json"))
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = response.json().await.unwrap();
    json["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[actix_web::test]
async fn sigkill_during_ingest_loses_no_answered_ingest_and_applies_none_by_half() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap().to_owned();
    let (mut server, address) = serve(&location);
    let client = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .finish();
    let registered = client
        .put(format!("{address}/mappings/city/air"))
        .insert_header(("Authorization", format!("Bearer {SECRET}")))
        .insert_header(("Content-Type", "text/turtle"))
        .send_body(OBSERVATIONS)
        .await
        .unwrap();
    assert!(registered.status().is_success());

    // A client ingests batches of 100 in a loop; the server is killed under it.
    let batch = 100;
    let ingest_url = format!("{address}/ingest/city/air");
    let killer = std::thread::spawn({
        let pid = server.id();
        move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .unwrap();
        }
    });
    let mut answered = 0usize;
    for n in 0..10_000 {
        match post(
            &client,
            &ingest_url,
            "application/json",
            Some(&format!("batch-{n}")),
            readings(n * batch, batch),
        )
        .await
        {
            Ok(200) => answered += 1,
            Ok(status) => panic!("batch {n}: {status}"),
            Err(_) => break,
        }
    }
    killer.join().unwrap();
    let _ = server.wait();
    assert!(answered > 0, "no ingest was answered before the kill");

    let (mut server, address) = serve(&location);
    let observations = count(
        &client,
        &address,
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s a <http://www.w3.org/ns/sosa/Observation> } }",
    )
    .await;
    let records = count(&client, &address, "SELECT (COUNT(*) AS ?n) { GRAPH <http://citykg.test/graph/provenance> { ?a a <http://www.w3.org/ns/prov#Activity> } }").await;
    // Every answered batch is there; an unanswered one is there whole or not at all.
    assert!(
        records as usize >= answered && records as usize <= answered + 1,
        "{records} records, {answered} answered"
    );
    assert_eq!(
        observations,
        records * batch as u64,
        "{observations} observations for {records} ingests"
    );
    // The registry survived too.
    assert!(
        post(
            &client,
            &format!("{address}/ingest/city/air"),
            "application/json",
            Some("after"),
            readings(1_000_000, 1)
        )
        .await
            == Ok(200)
    );
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    let _ = server.wait();
}
