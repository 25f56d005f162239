//! SIGKILL during every write path besides ingest (which `crash.rs` covers): use-case writes,
//! mapping registration, kit import, harvest runs and token changes. After a restart on the same
//! location, everything that was acknowledged is whole, nothing is half applied, and the server
//! starts. Kill times vary per round so that kills land at different points of the writes.

use std::process::{Child, Command};
use std::time::Duration;

use awc::http::Method;

use crate::crash::{SECRET, count, serve, serve_with};

fn client() -> awc::Client {
    awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish()
}

/// Sends `body` as admin; the status, or `None` when the server went away.
async fn send(
    client: &awc::Client,
    method: Method,
    url: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Option<u16> {
    let mut response = client
        .request(method, url)
        .insert_header(("Authorization", format!("Bearer {SECRET}")))
        .insert_header(("Content-Type", content_type))
        .send_body(body)
        .await
        .ok()?;
    response.body().limit(16 << 20).await.ok()?;
    Some(response.status().as_u16())
}

async fn status(client: &awc::Client, url: &str) -> u16 {
    send(client, Method::GET, url, "text/plain", Vec::new())
        .await
        .unwrap_or(0)
}

/// Kills `server` with SIGKILL after `after`, from another thread.
fn kill_after(server: &Child, after: Duration) -> std::thread::JoinHandle<()> {
    let pid = server.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    })
}

fn stop(mut server: Child) {
    let _ = server.kill();
    let _ = server.wait();
}

/// Every part of the use case a write puts in one transaction.
fn whole_use_case(id: &str, title: &str) -> String {
    format!(
        "PREFIX dct: <http://purl.org/dc/terms/> PREFIX citykg: <https://w3id.org/citykg/ns#> \
         PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
         SELECT (COUNT(*) AS ?n) {{ GRAPH <http://citykg.test/graph/catalog> {{ \
           <http://citykg.test/id/use-case/{id}> dct:title \"{title}\"@en ; dct:description ?d ; \
             citykg:vertical ?v ; citykg:sdg ?s ; dct:spatial ?place ; dct:publisher ?agent ; \
             citykg:stakeholder ?holder . \
           ?place skos:prefLabel ?label . ?agent foaf:name ?name . ?holder foaf:name ?holder_name }} }}"
    )
}

#[actix_web::test]
async fn sigkill_during_use_case_writes_leaves_each_whole_or_absent() {
    let client = client();
    for (round, after_ms) in [700u64, 1100, 1600].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().to_str().unwrap().to_owned();
        let (server, address) = serve(&location);
        let killer = kill_after(&server, Duration::from_millis(after_ms));
        let mut acknowledged = Vec::new();
        for n in 0..10_000 {
            let id = format!("crash-{n}");
            let body = crate::use_cases::minimal(
                &format!("Crash {n}"),
                "environment",
                "\"2025-01-02\"^^<http://www.w3.org/2001/XMLSchema#date>",
            );
            let url = format!("{address}/use-cases/{id}");
            match send(&client, Method::PUT, &url, "text/turtle", body.into_bytes()).await {
                Some(200 | 201) => acknowledged.push(n),
                Some(other) => panic!("round {round}, write {n}: {other}"),
                None => break,
            }
        }
        killer.join().unwrap();
        stop(server);
        assert!(
            !acknowledged.is_empty(),
            "round {round}: nothing written before the kill"
        );

        let (server, address) = serve(&location);
        let attempted = acknowledged.len() + 1;
        for n in 0..attempted {
            let id = format!("crash-{n}");
            let whole = count(
                &client,
                &address,
                &whole_use_case(&id, &format!("Crash {n}")),
            )
            .await;
            let any = count(
                &client,
                &address,
                &format!("SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ <http://citykg.test/id/use-case/{id}> ?p ?o }} }}"),
            )
            .await;
            if n < acknowledged.len() {
                assert_eq!(whole, 1, "round {round}: acknowledged {id} is not whole");
            } else {
                assert!(
                    (whole == 1) == (any > 0),
                    "round {round}: the unacknowledged {id} is half there ({any} triples)"
                );
            }
        }
        stop(server);
    }
}

#[actix_web::test]
async fn sigkill_during_mapping_registration_keeps_every_acknowledged_version() {
    let client = client();
    for (round, after_ms) in [600u64, 1000, 1500].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().to_str().unwrap().to_owned();
        let (server, address) = serve(&location);
        let killer = kill_after(&server, Duration::from_millis(after_ms));
        // Even writes register a new mapping, odd ones a new version of one mapping.
        let (mut new_ones, mut versions) = (Vec::new(), 0u32);
        for n in 0..10_000 {
            let id = if n % 2 == 0 {
                format!("crash/m{n}")
            } else {
                "crash/shared".to_owned()
            };
            let mapping =
                crate::ingest::OBSERVATIONS.replace("http://e/pm25", &format!("http://e/p{n}"));
            let url = format!("{address}/mappings/{id}");
            match send(
                &client,
                Method::PUT,
                &url,
                "text/turtle",
                mapping.into_bytes(),
            )
            .await
            {
                Some(200 | 201) if n % 2 == 0 => new_ones.push(id),
                Some(200 | 201) => versions += 1,
                Some(other) => panic!("round {round}, write {n}: {other}"),
                None => break,
            }
        }
        killer.join().unwrap();
        stop(server);

        // The server starts past whatever the kill left, and serves every acknowledged write.
        let (server, address) = serve(&location);
        for id in &new_ones {
            assert_eq!(
                status(&client, &format!("{address}/mappings/{id}")).await,
                200,
                "round {round}: {id}"
            );
        }
        for version in 1..=versions {
            let url = format!("{address}/mappings/crash/shared/versions/{version}");
            assert_eq!(
                status(&client, &url).await,
                200,
                "round {round}: version {version}"
            );
        }
        // The RDF mirror agrees with the registry.
        let mut response = client
            .get(format!("{address}/mappings"))
            .insert_header(("Accept", "application/json"))
            .send()
            .await
            .unwrap();
        let listed: serde_json::Value = response.json().limit(16 << 20).await.unwrap();
        let listed = listed
            .as_array()
            .or_else(|| listed["mappings"].as_array())
            .map_or(0, Vec::len) as u64;
        let mirrored = count(
            &client,
            &address,
            "SELECT (COUNT(DISTINCT ?m) AS ?n) { GRAPH <http://citykg.test/graph/mappings> { ?m a <https://w3id.org/citykg/ns#Mapping> ; <http://purl.org/dc/terms/hasVersion> ?v } }",
        )
        .await;
        assert_eq!(listed, mirrored, "round {round}");
        stop(server);
    }
}

#[actix_web::test]
async fn sigkill_during_kit_import_installs_all_or_nothing() {
    let source = crate::helpers::spawn_app().await;
    crate::kits::register(&source).await;
    let kit = crate::kits::export(&source).await;
    let client = client();
    for (round, after_ms) in [5u64, 40, 80, 150, 300, 600].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().to_str().unwrap().to_owned();
        let (server, address) = serve(&location);
        let killer = kill_after(&server, Duration::from_millis(after_ms));
        let answer = send(
            &client,
            Method::POST,
            &format!("{address}/use-cases/import"),
            "application/gzip",
            kit.clone(),
        )
        .await;
        killer.join().unwrap();
        stop(server);

        let (server, address) = serve(&location);
        let use_case = status(&client, &format!("{address}/use-cases/nakuru-bins")).await;
        let mapping = status(&client, &format!("{address}/mappings/city/bins-csv")).await;
        if answer == Some(201) {
            assert_eq!(
                (use_case, mapping),
                (200, 200),
                "round {round}: acknowledged"
            );
        } else {
            assert!(
                matches!((use_case, mapping), (200, 200) | (404, 404)),
                "round {round} ({answer:?}): use case {use_case}, mapping {mapping}"
            );
        }
        stop(server);
    }
}

#[actix_web::test]
async fn sigkill_during_a_harvest_leaves_whole_records_and_the_next_run_completes() {
    let ids: Vec<String> = (0..60).map(|i| format!("h-{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let remote = crate::helpers::spawn_with(|s| {
        s.base_iri = citykg::core::config::BaseIri::parse("http://b.test/").unwrap();
    })
    .await;
    crate::feed::add_use_cases(&remote, "http://b.test/", &ids).await;
    let host = remote.address.trim_start_matches("http://").to_owned();
    let feed = format!("{}/catalog?page_size=2", remote.address);
    let client = client();
    let body = serde_json::json!({ "url": feed }).to_string().into_bytes();
    let records = "SELECT (COUNT(DISTINCT ?r) AS ?n) { GRAPH <http://citykg.test/graph/catalog> { ?r <https://w3id.org/citykg/ns#harvestedFrom> ?from } }";
    let whole = "SELECT (COUNT(DISTINCT ?r) AS ?n) { GRAPH <http://citykg.test/graph/catalog> { ?r <https://w3id.org/citykg/ns#harvestedFrom> ?from ; <http://xmlns.com/foaf/0.1/primaryTopic> ?d . ?d <http://purl.org/dc/terms/title> ?t } }";
    for (round, after_ms) in [300u64, 900, 1500].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().to_str().unwrap().to_owned();
        let (server, address) = serve_with(&location, &["--allow-hosts", &host]);
        let killer = kill_after(&server, Duration::from_millis(after_ms));
        let url = format!("{address}/admin/harvest");
        let first = send(
            &client,
            Method::POST,
            &url,
            "application/json",
            body.clone(),
        )
        .await;
        killer.join().unwrap();
        stop(server);

        let (server, address) = serve_with(&location, &["--allow-hosts", &host]);
        let held = count(&client, &address, records).await;
        assert_eq!(
            count(&client, &address, whole).await,
            held,
            "round {round}: a record is not whole"
        );
        if first == Some(200) {
            assert!(
                held >= ids.len() as u64,
                "round {round}: acknowledged run holds {held}"
            );
        }
        // The next run completes whatever the kill cut short.
        let url = format!("{address}/admin/harvest");
        assert_eq!(
            send(
                &client,
                Method::POST,
                &url,
                "application/json",
                body.clone()
            )
            .await,
            Some(200)
        );
        let held = count(&client, &address, records).await;
        assert!(
            held >= ids.len() as u64,
            "round {round}: {held} after the next run"
        );
        assert_eq!(count(&client, &address, whole).await, held, "round {round}");
        stop(server);
    }
}

#[actix_web::test]
async fn sigkill_during_token_changes_keeps_the_token_file_readable_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap().to_owned();
    let mut created = Vec::new();
    for n in 0..40u64 {
        let name = format!("t{n}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_citykg"))
            .args([
                "token",
                "create",
                "--location",
                &location,
                "--role",
                "read",
                "--name",
                &name,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill some of them at varying points of their run; let the others finish.
        if n % 2 == 1 {
            std::thread::sleep(Duration::from_millis((n * 7) % 60));
            let _ = Command::new("kill")
                .args(["-KILL", &child.id().to_string()])
                .status();
        }
        if child.wait().unwrap().success() {
            created.push(name);
        }
    }
    assert!(!created.is_empty());
    // The file still reads, and holds every token whose creation finished.
    let tokens =
        citykg::edge::auth::TokenStore::open(Some(dir.path().join("tokens.json"))).unwrap();
    let names: Vec<String> = tokens.list().unwrap().into_iter().map(|t| t.name).collect();
    for name in &created {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    // And the server starts on it.
    let (server, address) = serve(&location);
    assert_eq!(status(&client(), &format!("{address}/health")).await, 200);
    stop(server);
}
