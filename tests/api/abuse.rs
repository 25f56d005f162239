//! Hostile and careless requests against the real service: each answers with a problem, the
//! server stays up and keeps answering, and nothing is stored or lost. One test per finding of
//! the security review (issue 16), each of which failed before its fix.

use crate::helpers::{TestApp, form, spawn_app};
use awc::http::Method;
use std::time::{Duration, Instant};

/// The server still answers a cheap request.
async fn assert_alive(app: &TestApp) {
    let reply = app.get("/health", "application/json").await;
    assert_eq!(reply.status, 200, "the server stopped answering");
}

/// A query by direct POST.
async fn post_query(app: &TestApp, query: impl Into<Vec<u8>>) -> crate::helpers::Reply {
    app.send(
        app.client
            .post(app.url("/query"))
            .insert_header(("Content-Type", "application/sparql-query")),
        query,
    )
    .await
}

fn nested_filter(levels: usize) -> String {
    format!(
        "ASK {{ FILTER({}1{}) }}",
        "(".repeat(levels),
        ")".repeat(levels)
    )
}

#[actix_web::test]
async fn deeply_nested_queries_and_updates_are_refused_not_fatal() {
    let app = spawn_app().await;
    // About 2 KB; before the fix this overflowed the worker's stack and aborted the process.
    let deep = nested_filter(1000);
    let problem = app
        .query(&deep, "application/sparql-results+json")
        .await
        .problem(400);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/sparql-too-deep"
    );
    assert_eq!(problem["errors"][0]["line"], 1);
    assert!(problem["errors"][0]["column"].as_u64().unwrap() > 13);
    let by_post = post_query(&app, deep.clone()).await;
    by_post.problem(400);
    let update = format!(
        "INSERT {{ <http://example.com/s> <http://example.com/p> 1 }} WHERE {{ FILTER({}1{}) }}",
        "(".repeat(1000),
        ")".repeat(1000)
    );
    app.update(&update).await.problem(400);
    // Groups nest in the algebra too.
    let groups = format!("SELECT * {{ {}{} }}", "{".repeat(1000), "}".repeat(1000));
    app.query(&groups, "application/sparql-results+json")
        .await
        .problem(400);
    // Moderate nesting still runs, on a stack sized for it.
    let reply = app
        .query(&nested_filter(200), "application/sparql-results+json")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["boolean"], true);
    assert_alive(&app).await;
}

#[actix_web::test]
async fn long_operator_chains_are_refused_not_fatal() {
    let app = spawn_app().await;
    // No brackets at all, but a left-deep tree 50,000 levels deep that evaluating or dropping
    // would recurse through.
    let sum = format!("ASK {{ FILTER(1{} > 0) }}", "+1".repeat(50_000));
    let problem = post_query(&app, sum).await.problem(400);
    assert!(problem["detail"].as_str().unwrap().contains("nest"));
    // Groups in sequence are joined left-deep (empty ones are merged away, these are not).
    let joins = format!("SELECT * {{ {} }}", "{ FILTER(true) } ".repeat(50_000));
    post_query(&app, joins).await.problem(400);
    let alternatives = format!(
        "SELECT * {{ ?s <http://example.com/p>{} ?o }}",
        "|<http://example.com/p>".repeat(50_000)
    );
    post_query(&app, alternatives).await.problem(400);
    let update = format!(
        "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?o{}) }}",
        " || ?o".repeat(50_000)
    );
    app.update(&update).await.problem(400);
    // A chain within the limit evaluates.
    let short = format!("ASK {{ FILTER(1{} = 500) }}", "+1".repeat(499));
    let reply = app.query(&short, "application/sparql-results+json").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["boolean"], true);
    assert_alive(&app).await;
}

#[actix_web::test]
async fn huge_timeouts_are_bounded_not_a_panic() {
    let app = spawn_app().await;
    for timeout in ["1e300", "1.8e19", "18446744073709551616"] {
        let path = format!(
            "/query?{}",
            form(&[("query", "ASK {}"), ("timeout", timeout)])
        );
        let reply = app.get(&path, "application/sparql-results+json").await;
        assert_eq!(reply.status, 200, "timeout={timeout}: {}", reply.text());
    }
    for timeout in ["inf", "NaN", "-1", "0"] {
        let path = format!(
            "/query?{}",
            form(&[("query", "ASK {}"), ("timeout", timeout)])
        );
        app.get(&path, "application/sparql-results+json")
            .await
            .problem(400);
    }
    let update = app
        .send(
            app.admin(
                Method::POST,
                "/update?timeout=1e300",
                Some("application/sparql-update"),
            ),
            "INSERT DATA { <http://example.com/s> <http://example.com/p> 1 }",
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.text());
    assert_alive(&app).await;
}

/// A static site on a free loopback port: each path answers its status, type, body and
/// `Location`. Returns its base URL (`http://127.0.0.1:PORT`).
pub async fn static_site(pages: Vec<(&'static str, u16, &'static str, String)>) -> String {
    let pages = std::sync::Arc::new(pages);
    let server = actix_web::HttpServer::new(move || {
        let pages = pages.clone();
        actix_web::App::new().default_service(actix_web::web::to(
            move |request: actix_web::HttpRequest| {
                let pages = pages.clone();
                async move {
                    let found = pages.iter().find(|(path, ..)| *path == request.path());
                    match found {
                        Some((_, status, _, body)) if (300..400).contains(status) => {
                            actix_web::HttpResponse::build(
                                actix_web::http::StatusCode::from_u16(*status).unwrap(),
                            )
                            .insert_header(("Location", body.clone()))
                            .finish()
                        }
                        Some((_, status, kind, body)) => actix_web::HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(*status).unwrap(),
                        )
                        .content_type(*kind)
                        .body(body.clone()),
                        None => actix_web::HttpResponse::NotFound().finish(),
                    }
                }
            },
        ))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let address = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    format!("http://{address}")
}

async fn harvest(app: &TestApp, url: &str) -> crate::helpers::Reply {
    app.send(
        app.admin(Method::POST, "/admin/harvest", Some("application/json")),
        serde_json::json!({ "url": url, "full": true }).to_string(),
    )
    .await
}

/// A harvester allowed to reach `site`.
async fn harvester_of(site: &str) -> TestApp {
    let host = site.trim_start_matches("http://").to_owned();
    crate::helpers::spawn_with(move |s| s.allow_list = citykg::core::config::AllowList::new([host]))
        .await
}

const LOCAL_USE_CASE: &str = "http://citykg.test/id/use-case/kisumu-air-quality";

#[actix_web::test]
async fn a_harvest_never_writes_nor_removes_local_resources() {
    // The remote claims the local base IRI without its slash as a dataset, and with it the
    // local use case; and another dataset right under the local base.
    let page = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
         <catalog> a dcat:Catalog ; dcat:dataset <http://citykg.test> , <http://citykg.test/id/use-case/planted> , <ds/1> .\n\
         <http://citykg.test> a dcat:Dataset ; dct:title \"hijack\" ; dct:relation <{LOCAL_USE_CASE}> .\n\
         <{LOCAL_USE_CASE}> dct:title \"hijacked\" .\n\
         <http://citykg.test/id/use-case/planted> a dcat:Dataset ; dct:title \"planted\" .\n\
         <ds/1> a dcat:Dataset ; dct:title \"a remote dataset\" .\n"
    );
    let site = static_site(vec![("/catalog", 200, "text/turtle", page)]).await;
    let app = harvester_of(&site).await;
    let local = format!("SELECT * {{ GRAPH ?g {{ <{LOCAL_USE_CASE}> ?p ?o }} }}");
    let before = app.count(&local).await;
    assert!(before > 5, "the shipped use case is there: {before}");
    let url = format!("{site}/catalog");
    for run in 0..2 {
        let reply = harvest(&app, &url).await;
        assert_eq!(reply.status, 200, "run {run}: {}", reply.text());
        let report = reply.json();
        assert_eq!(report["skipped"], 2, "run {run}: {report}");
        assert_eq!(report["held"], 1, "run {run}: {report}");
        assert_eq!(app.count(&local).await, before, "run {run}");
        assert_eq!(
            app.get("/use-cases/kisumu-air-quality", "application/ld+json")
                .await
                .status,
            200,
            "run {run}"
        );
    }
    let planted = app.count("SELECT * { ?s ?p \"hijacked\" } ").await
        + app
            .count("SELECT * { <http://citykg.test/id/use-case/planted> ?p ?o }")
            .await;
    assert_eq!(planted, 0);
}

#[actix_web::test]
async fn harvested_rdf_xml_with_entities_is_refused_and_redirects_stay_on_the_host() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">
<rdf:Description rdf:about="http://remote.example/ds"><dct:title>&b;</dct:title></rdf:Description>
</rdf:RDF>"#;
    let catalog = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<catalog> a dcat:Catalog ; dcat:dataset <ds/1> .\n<ds/1> a dcat:Dataset .\n";
    let site = static_site(vec![
        ("/laughs", 200, "application/rdf+xml", laughs.to_owned()),
        ("/catalog", 200, "text/turtle", catalog.to_owned()),
        ("/moved", 301, "", "/catalog".to_owned()),
        ("/away", 302, "", "http://127.0.0.2:9/catalog".to_owned()),
    ])
    .await;
    let app = harvester_of(&site).await;
    let refused = harvest(&app, &format!("{site}/laughs")).await.problem(502);
    assert!(
        refused["detail"].as_str().unwrap().contains("ENTITY"),
        "{refused}"
    );
    assert_eq!(app.count("SELECT * { ?s ?p \"aaaaaaaaaa\" }").await, 0);
    // The README's promise: redirects on the same host are followed, to others refused.
    let moved = harvest(&app, &format!("{site}/moved")).await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.json()["added"], 1);
    harvest(&app, &format!("{site}/away")).await.problem(403);
}

/// `_:p0` is the sequence `(_:p1 _:p1)`, ... `_:p{levels}` is `(ex:q ex:q)`.
fn doubling_path_shapes(levels: usize) -> String {
    let mut turtle = String::from(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.com/> .\n\
         @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n\
         ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:property [ sh:path _:p0 ; sh:minCount 1 ] .\n",
    );
    for level in 0..=levels {
        let member = if level == levels {
            "ex:q".to_owned()
        } else {
            format!("_:p{}", level + 1)
        };
        turtle.push_str(&format!(
            "_:p{level} rdf:first {member} ; rdf:rest _:r{level} .\n_:r{level} rdf:first {member} ; rdf:rest rdf:nil .\n"
        ));
    }
    turtle
}

fn multipart(boundary: &str, parts: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, kind, content) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n{content}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

#[actix_web::test]
async fn shapes_that_would_take_exponential_work_are_refused_at_once() {
    let app = spawn_app().await;
    // 1 KB of shapes whose path doubles per level: 8-11 s and 755 MB at 20 levels before.
    let shapes = doubling_path_shapes(30);
    let body = multipart(
        "XyZ",
        &[
            (
                "data",
                "text/turtle",
                "<http://example.com/n> <http://example.com/q> 1 .",
            ),
            ("shapes", "text/turtle", &shapes),
        ],
    );
    let started = Instant::now();
    let problem = app
        .send(
            app.client
                .post(app.url("/shacl"))
                .insert_header(("Content-Type", "multipart/form-data; boundary=XyZ"))
                .insert_header(("Accept", "application/json")),
            body,
        )
        .await
        .problem(400);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        problem.to_string().contains("expands to more than"),
        "{problem}"
    );
    assert_alive(&app).await;
}

#[actix_web::test]
async fn shacl_checks_the_role_before_reading_any_shape_and_caps_patterns() {
    let app = spawn_app().await;
    // Hundreds of heavy patterns, no data: validating the store needs the steward role, and
    // that is answered before a single pattern is compiled.
    let heavy: String = (0..300)
        .map(|i| {
            format!("ex:S{i} a sh:NodeShape ; sh:targetNode ex:n ; sh:pattern \"^a{{{i}}}b$\" .\n")
        })
        .collect();
    let shapes = format!(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.com/> .\n{heavy}"
    );
    let started = Instant::now();
    app.send(
        app.client
            .post(app.url("/shacl"))
            .insert_header(("Content-Type", "text/turtle")),
        shapes.clone(),
    )
    .await
    .problem(401);
    let names = vec!["observation"; 5000].join(",");
    app.send(
        app.client.post(app.url(&format!("/shacl?shapes={names}"))),
        "",
    )
    .await
    .problem(401);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // With data posted anyone may validate, within the caps: 300 distinct patterns are refused.
    let body = multipart(
        "XyZ",
        &[
            (
                "data",
                "text/turtle",
                "<http://example.com/n> <http://example.com/q> 1 .",
            ),
            ("shapes", "text/turtle", &shapes),
        ],
    );
    let problem = app
        .send(
            app.client
                .post(app.url("/shacl"))
                .insert_header(("Content-Type", "multipart/form-data; boundary=XyZ")),
            body,
        )
        .await
        .problem(400);
    let text = problem.to_string();
    assert!(
        text.contains("distinct sh:pattern"),
        "{}",
        &text[..text.len().min(500)]
    );
    assert_alive(&app).await;
}

#[actix_web::test]
async fn a_long_multipart_boundary_is_refused_and_parsing_is_linear() {
    let app = spawn_app().await;
    let long = "b".repeat(100_000);
    let mut body = format!("--{long}\r\n\r\n").into_bytes();
    body.extend(std::iter::repeat_n(b'b', 2 << 20));
    let started = Instant::now();
    let (refused, health) = tokio::join!(
        app.send(
            app.admin(
                Method::POST,
                "/store?default",
                Some(&format!("multipart/form-data; boundary={long}")),
            ),
            body,
        ),
        async {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
            app.get("/health", "application/json").await
        }
    );
    let problem = refused.problem(400);
    assert!(
        problem["detail"].as_str().unwrap().contains("70"),
        "{problem}"
    );
    assert_eq!(health.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // Within the limit, a boundary that never appears in 2 MiB costs one linear search.
    let boundary = "b".repeat(70);
    let mut body = format!("--{boundary}\r\n\r\n").into_bytes();
    body.extend(std::iter::repeat_n(b'b', 2 << 20));
    let started = Instant::now();
    app.send(
        app.admin(
            Method::POST,
            "/store?default",
            Some(&format!("multipart/form-data; boundary={boundary}")),
        ),
        body,
    )
    .await
    .problem(400);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

/// A JSON array of `n` MiB of small records, gzip-compressed (a few KB per MiB).
fn gzip_records(mebibytes: usize) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let record = br#"{"id": "1", "v": "a"},"#;
    let chunk: Vec<u8> = record.repeat((1 << 20) / record.len());
    encoder.write_all(b"[").unwrap();
    for _ in 0..mebibytes {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.write_all(br#"{"id": "1", "v": "a"}]"#).unwrap();
    encoder.finish().unwrap()
}

#[actix_web::test]
async fn a_gzip_bomb_payload_is_refused_at_the_limit_and_kept() {
    // Made first: compressing it takes longer than the server keeps an idle connection open.
    // A few MB on the wire, 512 MiB once inflated: before, all of it was inflated.
    let bomb = gzip_records(512);
    assert!(bomb.len() < 8 << 20, "{}", bomb.len());
    let sent = bomb.len();
    let app = crate::helpers::spawn_with(|s| s.limits.max_body_bytes = 8 << 20).await;
    let mapping = r#"@prefix rml: <http://w3id.org/rml/> .
<http://e/M> rml:logicalSource [ rml:source [ rml:path "payload.json" ; rml:compression rml:gzip ] ;
    rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://e/obs/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate <http://e/v> ; rml:objectMap [ rml:reference "v" ] ] ."#;
    crate::ingest::register(&app, "city/zipped", "", mapping).await;
    let started = Instant::now();
    let problem = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/city/zipped",
                Some("application/json"),
            ),
            bomb,
        )
        .await
        .problem(422);
    // 70 s before the cap (debug build); well under that on a loaded machine now.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("once decompressed"), "{problem}");
    let kept = problem["errors"][0]["detail"].as_str().unwrap();
    assert!(kept.starts_with("/quarantine/"), "{problem}");
    let entry = app
        .send(app.admin(Method::GET, &format!("{kept}?payload"), None), "")
        .await;
    assert_eq!(entry.status, 200);
    assert_eq!(entry.body.len(), sent, "the payload is kept as it was sent");
    // A small gzip payload still maps.
    let small = {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(br#"[{"id": "1", "v": "a"}]"#).unwrap();
        encoder.finish().unwrap()
    };
    let reply = app
        .send(
            app.admin(
                Method::POST,
                "/ingest/city/zipped",
                Some("application/json"),
            ),
            small,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_alive(&app).await;
}

#[actix_web::test]
async fn a_kit_whose_tar_headers_inflate_is_refused_at_the_limit() {
    let app = crate::helpers::spawn_with(|s| s.limits.max_body_bytes = 4 << 20).await;
    // A GNU long-name entry whose name is 512 MiB of zeros: the tar reader reads such a header
    // whole before any entry is seen (a 522 KB kit took 2.2 GB before).
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::GNULongName);
    let name_size: u64 = 512 << 20;
    header.set_size(name_size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut tar_bytes = header.as_bytes().to_vec();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    {
        use std::io::Write;
        encoder.write_all(&tar_bytes).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(name_size >> 20) {
            encoder.write_all(&zeros).unwrap();
        }
        tar_bytes.clear();
    }
    let kit = encoder.finish().unwrap();
    assert!(kit.len() < 1 << 20);
    let started = Instant::now();
    let problem = app
        .send(
            app.admin(Method::POST, "/use-cases/import", Some("application/gzip")),
            kit,
        )
        .await
        .problem(413);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        problem["detail"].as_str().unwrap().contains("decompressed"),
        "{problem}"
    );
    assert_alive(&app).await;
}

#[actix_web::test]
async fn a_private_server_shows_nothing_without_a_token() {
    let app = crate::helpers::spawn_with(|s| s.private = true).await;
    for path in [
        "/",
        "/metrics",
        "/use-cases",
        "/catalog",
        "/ontologies",
        "/no-such-page",
    ] {
        let reply = app.get(path, "text/html").await;
        reply.problem(401);
        assert!(
            !reply.text().contains("graph/"),
            "{path} leaks: {}",
            reply.text()
        );
    }
    assert_eq!(app.get("/health", "application/json").await.status, 200);
    let reader = app.token("reader", citykg::edge::auth::Role::Read);
    for path in ["/", "/metrics"] {
        let reply = app
            .send(
                app.client
                    .get(app.url(path))
                    .insert_header(("Authorization", format!("Bearer {reader}"))),
                "",
            )
            .await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    }
}

#[actix_web::test]
async fn invented_methods_add_no_metric_series() {
    let app = spawn_app().await;
    for i in 0..50 {
        let method = Method::from_bytes(format!("INVENTED{i}").as_bytes()).unwrap();
        let reply = app
            .send(app.client.request(method, app.url("/query")), "")
            .await;
        assert!(reply.status.is_client_error(), "{}", reply.status);
    }
    let metrics = app.get("/metrics", "text/plain").await.text();
    assert!(!metrics.contains("INVENTED"), "{metrics}");
    assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
}

#[actix_web::test]
async fn expensive_requests_stop_at_the_task_limit() {
    let app = crate::helpers::spawn_with(|s| {
        s.limits.task_timeout = Duration::from_millis(200);
    })
    .await;
    // Enough data that validating or dumping it takes longer than 200 ms in any build.
    let triples: String = (0..60_000)
        .map(|i| format!("<http://example.com/s{i}> a <http://example.com/C> ; <http://example.com/p> {i} .\n"))
        .collect();
    assert_eq!(
        app.put_graph("http://example.com/big", &triples)
            .await
            .status,
        201
    );
    let shapes = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.com/> .\n\
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p [ sh:zeroOrMorePath ex:p ] ) ; sh:maxCount 5 ] .\n";
    let started = Instant::now();
    let problem = app
        .send(
            app.admin(Method::POST, "/shacl", Some("text/turtle"))
                .insert_header(("Accept", "application/json")),
            shapes,
        )
        .await
        .problem(503);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/task-timeout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_alive(&app).await;
}

#[actix_web::test]
async fn pages_link_only_to_http_and_say_what_may_run() {
    let app = spawn_app().await;
    let turtle = "<http://citykg.test/id/thing/x> <http://example.com/see> <javascript:alert(1)> , <data:text/html,x> , <http://example.com/fine> .";
    assert_eq!(
        app.put_graph("http://example.com/g", turtle).await.status,
        201
    );
    let page = app.get("/id/thing/x", "text/html").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(!html.contains("href=\"javascript:"));
    assert!(!html.contains("href=\"data:"));
    assert!(html.contains("<a href=\"#\">javascript:alert(1)</a>"));
    assert!(html.contains("<a href=\"#\">data:text&#x2F;html,x</a>"));
    // Tera escapes `/` in attributes; the link itself is kept.
    assert!(html.contains("href=\"http:&#x2F;&#x2F;example.com&#x2F;fine\""));
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(page.headers.get("referrer-policy").unwrap(), "no-referrer");
}

/// A request with the crash tests' admin token to a server started by `crash::serve`.
async fn as_admin(client: &awc::Client, method: Method, url: String, body: &str) -> (u16, String) {
    let mut response = client
        .request(method, url)
        .insert_header(("Authorization", format!("Bearer {}", crate::crash::SECRET)))
        .insert_header(("Content-Type", "text/turtle"))
        .send_body(body.to_owned())
        .await
        .unwrap();
    let body = response.body().limit(1 << 20).await.unwrap();
    (
        response.status().as_u16(),
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn stop(mut server: std::process::Child) {
    let _ = server.kill();
    let _ = server.wait();
}

/// A data folder where a server registered `mappings` and stopped; its location and a client.
async fn stopped_server_with_mappings(
    mappings: &[&str],
) -> (tempfile::TempDir, String, awc::Client) {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap().to_owned();
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let (server, address) = crate::crash::serve(&location);
    for id in mappings {
        let (status, text) = as_admin(
            &client,
            Method::PUT,
            format!("{address}/mappings/{id}"),
            crate::ingest::OBSERVATIONS,
        )
        .await;
        assert_eq!(status, 201, "{text}");
    }
    stop(server);
    (dir, location, client)
}

#[actix_web::test]
async fn damaged_token_and_mapping_files_do_not_stop_the_server_and_are_kept() {
    let (dir, location, client) = stopped_server_with_mappings(&["city/air", "city/noise"]).await;
    let tokens = dir.path().join("tokens.json");
    std::fs::write(&tokens, b"{\"tokens\": [ truncated").unwrap();
    let meta = dir.path().join("mappings/city/air/meta.json");
    std::fs::write(&meta, b"{ not json").unwrap();

    // It starts, says what is wrong, and serves the rest.
    let (server, address) = crate::crash::serve(&location);
    let (status, list) = as_admin(&client, Method::GET, format!("{address}/mappings"), "").await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list.contains("city/noise") && !list.contains("city/air"),
        "{list}"
    );
    // The damaged mapping is not overwritten by a new upload.
    let (status, problem) = as_admin(
        &client,
        Method::PUT,
        format!("{address}/mappings/city/air"),
        crate::ingest::OBSERVATIONS,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert!(problem.contains("mapping-damaged"), "{problem}");
    assert_eq!(std::fs::read(&meta).unwrap(), b"{ not json");
    // The damaged token file is kept beside, for the operator.
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tokens.json.damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read(dir.path().join(&kept[0])).unwrap(),
        b"{\"tokens\": [ truncated"
    );
    stop(server);
}

#[actix_web::test]
async fn a_kit_import_a_stop_interrupted_is_undone_at_the_next_start() {
    let (dir, location, client) = stopped_server_with_mappings(&["kit/half", "kit/whole"]).await;
    // The state a kill leaves between installing a kit's mapping and writing its use case.
    let journal = dir.path().join("kit-import.pending.json");
    std::fs::write(
        &journal,
        r#"{"use_case": "never-written", "mappings": ["kit/half"]}"#,
    )
    .unwrap();
    let (server, address) = crate::crash::serve(&location);
    let (status, _) = as_admin(
        &client,
        Method::GET,
        format!("{address}/mappings/kit/half"),
        "",
    )
    .await;
    assert_eq!(status, 404, "the half-installed kit's mapping is removed");
    let (status, _) = as_admin(
        &client,
        Method::GET,
        format!("{address}/mappings/kit/whole"),
        "",
    )
    .await;
    assert_eq!(status, 200);
    assert!(!journal.exists());
    stop(server);
    // A record whose use case was written: the import was complete, its mappings stay.
    std::fs::write(
        &journal,
        r#"{"use_case": "kisumu-air-quality", "mappings": ["kit/whole"]}"#,
    )
    .unwrap();
    let (server, address) = crate::crash::serve(&location);
    let (status, _) = as_admin(
        &client,
        Method::GET,
        format!("{address}/mappings/kit/whole"),
        "",
    )
    .await;
    assert_eq!(status, 200);
    assert!(!journal.exists());
    stop(server);
}

/// Every input surface against the classic bad inputs: each answers a 4xx problem+json, the
/// server stays up, and nothing is stored. (Turtle nested deeply is valid and parsed without
/// recursion, so it is no bad input.)
#[actix_web::test]
async fn every_surface_refuses_the_classic_bad_inputs() {
    let app = crate::helpers::spawn_with(|s| s.limits.max_body_bytes = 64 << 10).await;
    let quads = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }";
    let before = app.count(quads).await;
    let huge = "#".repeat(100 << 10);
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let not_utf8: &[u8] = &[0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28];
    let surfaces: &[(&str, Method, &str, &str)] = &[
        ("query", Method::POST, "/query", "application/sparql-query"),
        (
            "update",
            Method::POST,
            "/update",
            "application/sparql-update",
        ),
        (
            "graph store",
            Method::PUT,
            "/store?graph=http://e/g",
            "text/turtle",
        ),
        (
            "graph store json-ld",
            Method::PUT,
            "/store?graph=http://e/g",
            "application/ld+json",
        ),
        (
            "shacl",
            Method::POST,
            "/shacl?shapes=observation",
            "text/turtle",
        ),
        (
            "mapping rml",
            Method::PUT,
            "/mappings/bad/rml",
            "text/turtle",
        ),
        (
            "mapping yarrrml",
            Method::PUT,
            "/mappings/bad/yarrrml",
            "application/yaml",
        ),
        (
            "ingest",
            Method::POST,
            "/ingest/builtin/ttn-v3",
            "application/json",
        ),
        (
            "use case turtle",
            Method::PUT,
            "/use-cases/bad-input",
            "text/turtle",
        ),
        (
            "use case json-ld",
            Method::PUT,
            "/use-cases/bad-input",
            "application/ld+json",
        ),
        ("kit", Method::POST, "/use-cases/import", "application/gzip"),
        (
            "harvest",
            Method::POST,
            "/admin/harvest",
            "application/json",
        ),
    ];
    let inputs: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
        ("empty", Vec::new(), None),
        (
            "truncated",
            b"<http://e/s> <http://e/p> \"trunc".to_vec(),
            None,
        ),
        ("wrong encoding", not_utf8.to_vec(), None),
        ("huge", huge.into_bytes(), None),
        ("deep json", deep_json.into_bytes(), None),
        ("wrong type", b"{}".to_vec(), Some("application/x-unknown")),
    ];
    let mut failures = Vec::new();
    for (surface, method, path, media) in surfaces {
        for (input, body, other_type) in &inputs {
            let request = app.admin(method.clone(), path, Some(other_type.unwrap_or(media)));
            let reply = app.send(request, body.clone()).await;
            let status = reply.status.as_u16();
            let problem = reply.content_type() == "application/problem+json";
            // An empty body is a valid empty graph or an empty list for some surfaces.
            let accepted_empty = *input == "empty" && reply.status.is_success();
            if !(accepted_empty || ((400..500).contains(&status) && problem)) {
                failures.push(format!(
                    "{surface} / {input}: {status} {}",
                    &reply.text()[..reply.text().len().min(200)]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Path traversal and IRIs with other schemes.
    for path in [
        "/mappings/..%2F..%2Fetc%2Fpasswd",
        "/mappings/../../etc/passwd",
        "/quarantine/..%2F..%2Ftokens.json",
        "/id/..%2F..%2Fetc%2Fpasswd",
        "/ontologies/..%2F..%2FCargo.toml",
        "/use-cases/..%2F..%2Fetc",
    ] {
        let reply = app.send(app.admin(Method::GET, path, None), "").await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
        assert!(!reply.text().contains("root:"), "{path}");
    }
    for iri in ["javascript:alert(1)", "file:///etc/passwd", "ftp://e/x"] {
        let reply = app
            .send(
                app.admin(Method::POST, "/admin/harvest", Some("application/json")),
                serde_json::json!({ "url": iri }).to_string(),
            )
            .await;
        reply.problem(400);
    }
    // Nothing was stored (the empty graph PUTs aside, which store nothing either).
    assert_eq!(app.count(quads).await, before);
    assert_alive(&app).await;
}
