//! The command line: load, dump, query, token, exit codes, and `serve`'s first start and stop.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn citykg(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_citykg"))
        .args(args)
        .env_remove("CITYKG_ADMIN_TOKEN")
        .output()
        .unwrap()
}

fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_dump_loaded_into_a_new_store_gives_the_same_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let nt = dir.path().join("data.nt.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&nt).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(b"<http://e/a> <http://e/p> \"1\" .\n_:b <http://e/p> \"2\"@en .\n")
        .unwrap();
    gz.finish().unwrap();
    let nq = dir.path().join("more.nq");
    std::fs::write(&nq, "<http://e/c> <http://e/p> \"3\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/g2> .\n").unwrap();
    let first = dir.path().join("first");
    let first = first.to_str().unwrap();
    let loaded = citykg(&[
        "load",
        "--location",
        first,
        "--graph",
        "http://e/g1",
        nt.to_str().unwrap(),
        nq.to_str().unwrap(),
    ]);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("loaded 3 quads"));

    let dump = dir.path().join("backup.nq.gz");
    assert!(
        citykg(&["dump", "--location", first, "-o", dump.to_str().unwrap()])
            .status
            .success()
    );
    let second = dir.path().join("second");
    let second = second.to_str().unwrap();
    assert!(
        citykg(&["load", "--location", second, dump.to_str().unwrap()])
            .status
            .success()
    );
    let a = citykg(&["dump", "--location", first]);
    let b = citykg(&["dump", "--location", second]);
    assert_eq!(sorted_lines(&a.stdout).len(), 3);
    // Blank node labels may differ between stores; compare as datasets.
    let parse = |bytes: &[u8]| {
        let mut d: oxigraph::model::Dataset =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
                .for_slice(bytes)
                .collect::<Result<_, _>>()
                .unwrap();
        d.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
        d
    };
    assert_eq!(parse(&a.stdout), parse(&b.stdout));
    let trig = citykg(&["dump", "--location", second, "--format", "trig"]);
    assert!(String::from_utf8_lossy(&trig.stdout).contains("<http://e/g2>"));

    let csv = citykg(&[
        "query",
        "--location",
        second,
        "--format",
        "csv",
        "SELECT ?o WHERE { GRAPH <http://e/g2> { ?s ?p ?o } }",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout).replace("\r\n", "\n"),
        "o\n3\n"
    );
    let table = citykg(&["query", "--location", second, "ASK { ?s ?p \"1\" }"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("true"));
}

#[test]
fn errors_exit_with_one_and_usage_errors_with_two() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("store");
    let location = location.to_str().unwrap();
    let bad = dir.path().join("bad.ttl");
    std::fs::write(&bad, "<http://e/a> <http://e/p> .\n").unwrap();
    let failed = citykg(&["load", "--location", location, bad.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("bad.ttl") && stderr.contains("line 1"),
        "{stderr}"
    );
    assert_eq!(
        citykg(&["query", "--location", location, "SELEC"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(citykg(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(citykg(&["load"]).status.code(), Some(2));
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap();
    let created = citykg(&[
        "token",
        "create",
        "--location",
        location,
        "--role",
        "write",
        "--name",
        "ci",
    ]);
    assert!(created.status.success());
    let secret = String::from_utf8_lossy(&created.stdout).trim().to_owned();
    assert!(secret.starts_with("ckg_"));
    let listed =
        String::from_utf8_lossy(&citykg(&["token", "list", "--location", location]).stdout)
            .into_owned();
    assert!(listed.starts_with("ci\twrite\t") && !listed.contains(&secret));
    assert!(
        !std::fs::read_to_string(dir.path().join("tokens.json"))
            .unwrap()
            .contains(&secret)
    );
    assert_eq!(
        citykg(&[
            "token",
            "create",
            "--location",
            location,
            "--role",
            "root",
            "--name",
            "x"
        ])
        .status
        .code(),
        Some(1)
    );
    assert!(
        citykg(&["token", "revoke", "--location", location, "ci"])
            .status
            .success()
    );
    assert_eq!(
        citykg(&["token", "revoke", "--location", location, "ci"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn the_first_start_prints_an_admin_token_once_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_citykg"))
            .args(["serve", "--location", location, "--bind", "127.0.0.1:0"])
            .env_remove("CITYKG_ADMIN_TOKEN")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let read_until_listening = |child: &mut std::process::Child| {
        let mut out = Vec::new();
        for line in BufReader::new(child.stdout.as_mut().unwrap()).lines() {
            let line = line.unwrap();
            let done = line.contains("listening on");
            out.push(line);
            if done {
                break;
            }
        }
        out.join("\n")
    };
    let stop = |mut child: std::process::Child| {
        let killed = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        assert!(status.success(), "exit {status:?}: {stderr}");
        assert!(stderr.contains("store flushed"), "{stderr}");
    };
    let mut first = start();
    let printed = read_until_listening(&mut first);
    assert!(
        printed.contains("admin token") && printed.contains("ckg_"),
        "{printed}"
    );
    stop(first);
    let mut second = start();
    let printed = read_until_listening(&mut second);
    assert!(
        !printed.contains("ckg_"),
        "the token is shown only once: {printed}"
    );
    stop(second);
}

#[actix_web::test]
async fn sigterm_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_citykg"))
        .args([
            "serve",
            "--location",
            dir.path().to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
        ])
        .env("CITYKG_ADMIN_TOKEN", "s3cret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    let client = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .finish();
    let chain: String = (0..3000)
        .map(|i| format!("<http://e/n{i}> <http://e/next> <http://e/n{}> .\n", i + 1))
        .collect();
    let put = client
        .put(format!("{address}/store?graph=http%3A%2F%2Fe%2Fchain"))
        .insert_header(("Authorization", "Bearer s3cret"))
        .insert_header(("Content-Type", "application/n-triples"))
        .send_body(chain)
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let query = format!(
        "{address}/query?timeout=6&query={}",
        form_urlencoded::byte_serialize(
            b"SELECT (COUNT(*) AS ?n) WHERE { ?a <http://e/next>* ?b }"
        )
        .collect::<String>()
    );
    let pid = child.id().to_string();
    let metrics = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .finish();
    let (reply, ()) = tokio::join!(client.get(query).send(), async {
        // The signal goes once the server holds the query (the scrape itself is the other
        // request in flight), however loaded the machine: a request the server has not read
        // yet is not in flight and may rightly be refused.
        let started = std::time::Instant::now();
        loop {
            let text = metrics
                .get(format!("{address}/metrics"))
                .send()
                .await
                .unwrap()
                .body()
                .await
                .unwrap();
            let text = String::from_utf8_lossy(&text);
            let in_flight: u64 = text
                .lines()
                .find_map(|line| line.strip_prefix("citykg_http_requests_in_flight "))
                .expect("the in-flight gauge")
                .parse()
                .unwrap();
            if in_flight >= 2 {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "the query never reached the server"
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
    });
    let reply = reply.expect("the in-flight request gets its answer after SIGTERM");
    assert_eq!(
        reply.status(),
        503,
        "the query ran into its own time limit, not into the shutdown"
    );
    assert!(child.wait().unwrap().success());
}

#[test]
fn validate_prints_a_report_and_exits_three_when_data_does_not_conform() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/ontologies/shapes/observation.ttl"
    );
    let good = dir.path().join("good.ttl");
    let bad = dir.path().join("bad.nt");
    std::fs::write(&good, "@prefix sosa: <http://www.w3.org/ns/sosa/> .\n<http://e/o> a sosa:Observation ; sosa:madeBySensor <http://e/s> ; sosa:observedProperty <http://e/p> ; sosa:hasFeatureOfInterest <http://e/f> ; sosa:hasSimpleResult 1.5 ; sosa:resultTime \"2025-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n").unwrap();
    std::fs::write(&bad, "<http://e/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/sosa/Observation> .\n").unwrap();
    let conforms = citykg(&[
        "validate",
        "--shapes",
        shapes,
        "--data",
        good.to_str().unwrap(),
    ]);
    assert_eq!(
        conforms.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&conforms.stderr)
    );
    assert!(String::from_utf8_lossy(&conforms.stdout).contains("sh:conforms true"));
    let fails = citykg(&[
        "validate",
        "--shapes",
        shapes,
        "--data",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(
        fails.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&fails.stderr)
    );
    let report = String::from_utf8_lossy(&fails.stdout);
    assert!(
        report.contains("sh:conforms false") && report.contains("sh:MinCountConstraintComponent"),
        "{report}"
    );

    let store = dir.path().join("store");
    let store = store.to_str().unwrap();
    assert!(
        citykg(&[
            "load",
            "--location",
            store,
            "--graph",
            "http://e/g",
            bad.to_str().unwrap()
        ])
        .status
        .success()
    );
    let stored = citykg(&[
        "validate",
        "--shapes",
        shapes,
        "--location",
        store,
        "--graph",
        "http://e/g",
    ]);
    assert_eq!(
        stored.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&stored.stderr)
    );
    let empty_graph = citykg(&[
        "validate",
        "--shapes",
        shapes,
        "--location",
        store,
        "--graph",
        "http://e/other",
    ]);
    assert_eq!(empty_graph.status.code(), Some(0));
    let nothing = citykg(&["validate", "--shapes", shapes]);
    assert_eq!(nothing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("--data FILE"));
}

#[test]
fn a_bulk_load_is_followed_by_a_rebuild_of_current_values_and_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let nt = dir.path().join("obs.nt");
    let sosa = "http://www.w3.org/ns/sosa/";
    let mut text = String::new();
    for (i, value) in [3.0, 5.0, 10.0].iter().enumerate() {
        text.push_str(&format!(
            "<http://e/o{i}> <{sosa}madeBySensor> <http://e/s> .\n<http://e/o{i}> <{sosa}observedProperty> <http://e/pm25> .\n<http://e/o{i}> <{sosa}resultTime> \"2025-03-03T0{i}:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n<http://e/o{i}> <{sosa}hasSimpleResult> \"{value}\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
        ));
    }
    std::fs::write(&nt, text).unwrap();
    let location = dir.path().join("store");
    let location = location.to_str().unwrap();
    let loaded = citykg(&[
        "load",
        "--location",
        location,
        "--graph",
        "http://e/g",
        nt.to_str().unwrap(),
    ]);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("rebuild-state"));
    assert!(dir.path().join("store/citykg.state-stale").exists());

    let rebuilt = citykg(&[
        "rebuild-state",
        "--location",
        location,
        "--base-iri",
        "http://c.test/",
    ]);
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
    assert!(!dir.path().join("store/citykg.state-stale").exists());
    let query = citykg(&[
        "query",
        "--location",
        location,
        "--format",
        "csv",
        "SELECT ?n ?mean ?value WHERE { GRAPH <http://c.test/graph/rollups/day> { ?b <https://w3id.org/citykg/ns#count> ?n ; <https://w3id.org/citykg/ns#mean> ?mean } GRAPH <http://c.test/graph/state> { ?c <https://w3id.org/citykg/ns#value> ?value } }",
    ]);
    let out = String::from_utf8_lossy(&query.stdout);
    assert!(
        query.status.success(),
        "{}",
        String::from_utf8_lossy(&query.stderr)
    );
    assert_eq!(out.lines().nth(1), Some("3,6,10"), "{out}");
}
