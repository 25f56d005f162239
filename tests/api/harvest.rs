//! Harvesting: instance A harvests instance B's feed through `POST /admin/harvest`, following
//! Hydra paging; later runs are incremental; a deletion on B disappears from A on the next
//! run; hosts not on A's allow-list are refused; the harvested catalogue still conforms.

use crate::feed::{add_use_cases, change_use_case, delete_use_case, harvest_all, violations};
use crate::helpers::{TestApp, spawn_app, spawn_with};
use citykg::core::config::{AllowList, BaseIri};
use citykg::edge::auth::Role;

const B_BASE: &str = "http://b.test/";

async fn harvest(app: &TestApp, url: &str) -> serde_json::Value {
    let request = app.admin(
        awc::http::Method::POST,
        "/admin/harvest",
        Some("application/json"),
    );
    let reply = app
        .send(request, serde_json::json!({ "url": url }).to_string())
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

/// B (base http://b.test/) with use cases, and A allowed to contact B's loopback host:port.
async fn two_instances(ids: &[&str]) -> (TestApp, TestApp, String) {
    let b = spawn_with(|s| s.base_iri = BaseIri::parse(B_BASE).unwrap()).await;
    add_use_cases(&b, B_BASE, ids).await;
    let b_host = b.address.trim_start_matches("http://").to_owned();
    let a = spawn_with(move |s| s.allow_list = AllowList::new([b_host])).await;
    let feed = format!("{}/catalog?page_size=2", b.address);
    (a, b, feed)
}

/// The datasets of A's feed that came from B.
async fn from_b(a: &TestApp) -> Vec<String> {
    let (_, datasets, total, _) = harvest_all(a, "/catalog?page_size=50").await;
    assert_eq!(datasets.len(), total);
    let mut from_b: Vec<String> = datasets
        .into_iter()
        .filter(|d| d.starts_with(B_BASE))
        .collect();
    from_b.sort();
    from_b
}

#[actix_web::test]
async fn a_harvests_b_then_follows_its_changes_and_deletions() {
    let ids = ["b-1", "b-2", "b-3", "b-4", "b-5"];
    let (a, b, feed) = two_instances(&ids).await;
    let (_, b_datasets, b_total, _) = harvest_all(&b, "/catalog?page_size=50").await;
    assert_eq!(b_datasets.len(), b_total);

    let first = harvest(&a, &feed).await;
    assert_eq!(first["mode"], "full");
    assert_eq!(first["added"], b_total);
    assert_eq!(first["held"], b_total);
    assert_eq!(first["pages"], b_total.div_ceil(2));
    let mut expected: Vec<String> = b_datasets.clone();
    expected.sort();
    assert_eq!(from_b(&a).await, expected);

    // A's catalogue, harvested items included, is still DCAT-AP 3.0.1.
    let (graph, _, _, _) = harvest_all(&a, "/catalog?page_size=50").await;
    let problems = violations(&graph);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Each harvested record says where it came from.
    let from = a
        .count(&format!(
            "SELECT ?r WHERE {{ GRAPH <http://citykg.test/graph/catalog> {{ ?r <https://w3id.org/citykg/ns#harvestedFrom> <{feed}> ; <http://purl.org/dc/terms/source> ?s ; <https://w3id.org/citykg/ns#remoteModified> ?m }} }}"
        ))
        .await;
    assert_eq!(from, b_total);

    // Nothing changed: an incremental run writes nothing.
    let quiet = harvest(&a, &feed).await;
    assert_eq!(quiet["mode"], "incremental");
    assert_eq!(quiet["added"], 0);
    assert_eq!(quiet["updated"], 0);
    assert_eq!(quiet["removed"], 0);

    // A change on B comes through an incremental run, and only that one is written.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    change_use_case(&b, B_BASE, "b-2", "Air quality b-2, revised").await;
    let changed = harvest(&a, &feed).await;
    assert_eq!(changed["mode"], "incremental");
    assert_eq!(changed["updated"], 1);
    assert_eq!(changed["added"], 0);
    let titles = a
        .count("SELECT ?t WHERE { <http://b.test/id/use-case/b-2> <http://purl.org/dc/terms/title> ?t FILTER(STR(?t) = \"Air quality b-2, revised\") }")
        .await;
    assert_eq!(titles, 1);

    // A deletion on B disappears from A on the next run.
    delete_use_case(&b, B_BASE, "b-4").await;
    let deleted = harvest(&a, &feed).await;
    assert_eq!(deleted["mode"], "incremental+full");
    assert_eq!(deleted["removed"], 1);
    expected.retain(|d| d != "http://b.test/id/use-case/b-4");
    assert_eq!(from_b(&a).await, expected);
    let leftovers = a
        .count("SELECT ?s WHERE { GRAPH <http://citykg.test/graph/catalog> { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"http://b.test/id/use-case/b-4\")) } }")
        .await;
    assert_eq!(leftovers, 0, "everything b-4 owned is gone");
}

#[actix_web::test]
async fn hosts_off_the_allow_list_and_non_admins_are_refused() {
    let (a, b, _) = two_instances(&["r-1"]).await;
    // Not on the allow-list: refused before any connection.
    let other = spawn_app().await;
    let request = a.admin(
        awc::http::Method::POST,
        "/admin/harvest",
        Some("application/json"),
    );
    let reply = a
        .send(
            request,
            serde_json::json!({ "url": format!("{}/catalog", other.address) }).to_string(),
        )
        .await;
    let problem = reply.problem(403);
    assert_eq!(
        problem["type"],
        "https://w3id.org/citykg/problems/outbound-refused"
    );
    assert!(problem["detail"].as_str().unwrap().contains("allow-list"));
    // Not http.
    let request = a.admin(
        awc::http::Method::POST,
        "/admin/harvest",
        Some("application/json"),
    );
    let reply = a.send(request, r#"{"url": "file:///etc/passwd"}"#).await;
    reply.problem(400);
    // A steward may not harvest.
    let steward = a.token("steward", Role::Steward);
    let request = a
        .client
        .post(a.url("/admin/harvest"))
        .insert_header(("Authorization", format!("Bearer {steward}")))
        .insert_header(("Content-Type", "application/json"));
    let reply = a
        .send(
            request,
            serde_json::json!({ "url": format!("{}/catalog", b.address) }).to_string(),
        )
        .await;
    reply.problem(403);
    // Nothing was harvested by the refused calls.
    assert!(from_b(&a).await.is_empty());
}

/// `citykg harvest` does the same on an on-disk store, and its second run is incremental.
#[actix_web::test]
async fn the_cli_harvests_into_an_on_disk_store() {
    let b = spawn_with(|s| s.base_iri = BaseIri::parse(B_BASE).unwrap()).await;
    add_use_cases(&b, B_BASE, &["c-1", "c-2", "c-3"]).await;
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().to_str().unwrap().to_owned();
    let host = b.address.trim_start_matches("http://").to_owned();
    let feed = format!("{}/catalog?page_size=2", b.address);
    let run = move |allow: String, location: String, feed: String| {
        std::process::Command::new(env!("CARGO_BIN_EXE_citykg"))
            .args([
                "harvest",
                "--location",
                &location,
                "--base-iri",
                "http://a.test/",
            ])
            .args(["--allow-hosts", &allow, &feed])
            .env_remove("CITYKG_ALLOW_HOSTS")
            .output()
            .unwrap()
    };
    let (l, f, h) = (location.clone(), feed.clone(), host.clone());
    let first = actix_web::rt::task::spawn_blocking(move || run(h, l, f))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("(full)"), "{stdout}");
    // B may hold shipped use cases too: at least the three.
    assert!(!stdout.contains("read: 0 added"), "{stdout}");
    let (l, f, h) = (location.clone(), feed.clone(), host.clone());
    let second = actix_web::rt::task::spawn_blocking(move || run(h, l, f))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("(incremental)") && stdout.contains("read: 0 added"),
        "{stdout}"
    );
    // Another host is refused with a clear message and exit code 1.
    let refused = actix_web::rt::task::spawn_blocking(move || {
        run("other.example".to_owned(), location, feed)
    })
    .await
    .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not on the allow-list"));
}
