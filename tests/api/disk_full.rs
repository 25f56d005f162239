//! A full disk: the server runs on a small file system of its own (a tmpfs the test mounts, as
//! root: CI runs as root). Writes answer 507 problem+json, reads keep working, nothing is
//! corrupted, and writes work again once space is freed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use awc::http::Method;

use crate::crash::{SECRET, count, serve_with};

/// A tmpfs of `megabytes` mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    _folder: tempfile::TempDir,
    mount: PathBuf,
}

impl SmallDisk {
    fn mount(megabytes: u64) -> Self {
        let folder = tempfile::tempdir().unwrap();
        let mount = folder.path().join("disk");
        std::fs::create_dir(&mount).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&mount)
            .status()
            .expect("`mount` runs");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs .ci/run as root): {status}"
        );
        Self {
            _folder: folder,
            mount,
        }
    }

    /// Fills the disk with a file until `leave` bytes are free.
    fn fill(&self, leave: u64) -> PathBuf {
        let free = free_bytes(&self.mount);
        let filler = self.mount.join("filler");
        let size = free.saturating_sub(leave);
        let status = Command::new("fallocate")
            .args(["-l", &size.to_string()])
            .arg(&filler)
            .status()
            .unwrap();
        assert!(status.success());
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

fn free_bytes(path: &Path) -> u64 {
    let output = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

async fn send(
    client: &awc::Client,
    method: Method,
    url: String,
    kind: &str,
    body: String,
) -> (u16, String) {
    let mut response = client
        .request(method, url)
        .insert_header(("Authorization", format!("Bearer {SECRET}")))
        .insert_header(("Content-Type", kind))
        .insert_header(("Accept", "*/*"))
        .send_body(body)
        .await
        .unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body().limit(64 << 20).await.unwrap();
    let status = response.status().as_u16();
    if status == 507 {
        assert_eq!(content_type, "application/problem+json");
    }
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn triples(graph: usize, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "<http://e/g{graph}/s{i}> <http://e/p> \"{}{i}\" .\n",
                "x".repeat(100)
            )
        })
        .collect()
}

const TRIPLES: &str = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s <http://e/p> ?o } }";

fn stop(mut server: std::process::Child) {
    let _ = server.kill();
    let _ = server.wait();
}

#[actix_web::test]
async fn a_full_disk_refuses_writes_with_507_and_loses_nothing() {
    let disk = SmallDisk::mount(64);
    let location = disk.mount.join("data");
    let location = location.to_str().unwrap();
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(60))
        .finish();
    let (server, address) = serve_with(location, &["--min-free-bytes", &(16u64 << 20).to_string()]);
    let store = |graph: usize| format!("{address}/store?graph=http://e/g{graph}");
    let (status, text) = send(
        &client,
        Method::PUT,
        store(0),
        "text/turtle",
        triples(0, 1000),
    )
    .await;
    assert_eq!(status, 201, "{text}");

    // Below the free-space limit: every write is refused before any work, reads go on.
    let filler = disk.fill(8 << 20);
    let (status, problem) = send(
        &client,
        Method::PUT,
        store(1),
        "text/turtle",
        triples(1, 1000),
    )
    .await;
    assert_eq!(status, 507, "{problem}");
    assert!(
        problem.contains("disk-full") && problem.contains("min-free-bytes"),
        "{problem}"
    );
    let update = "INSERT DATA { <http://e/x> <http://e/p> 1 }".to_owned();
    let (status, _) = send(
        &client,
        Method::POST,
        format!("{address}/update"),
        "application/sparql-update",
        update.clone(),
    )
    .await;
    assert_eq!(status, 507);
    assert_eq!(count(&client, &address, TRIPLES).await, 1000);
    let (status, _) = send(&client, Method::GET, store(0), "text/plain", String::new()).await;
    assert_eq!(status, 200);
    // Space given back: writes work again, with nothing lost.
    std::fs::remove_file(&filler).unwrap();
    let (status, text) = send(
        &client,
        Method::PUT,
        store(1),
        "text/turtle",
        triples(1, 1000),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    assert_eq!(count(&client, &address, TRIPLES).await, 2000);
    stop(server);

    // Without the margin the store itself meets the full disk: still a 507, reads go on, and
    // after a restart with space free nothing acknowledged is missing or damaged.
    let (server, address) = serve_with(location, &["--min-free-bytes", "0"]);
    let store = |graph: usize| format!("{address}/store?graph=http://e/g{graph}");
    let filler = disk.fill(64 << 10);
    let mut refused = false;
    for graph in 2..40 {
        let (status, problem) = send(
            &client,
            Method::PUT,
            store(graph),
            "text/turtle",
            triples(graph, 2000),
        )
        .await;
        if status == 507 {
            assert!(problem.contains("disk-full"), "{problem}");
            refused = true;
            break;
        }
        assert_eq!(status, 201, "{problem}");
    }
    assert!(refused, "the disk never filled");
    assert!(count(&client, &address, TRIPLES).await >= 2000);
    stop(server);
    std::fs::remove_file(&filler).unwrap();
    let (server, address) = serve_with(location, &["--min-free-bytes", "1048576"]);
    let before = count(&client, &address, TRIPLES).await;
    assert!(before >= 2000, "{before}");
    let (status, text) = send(
        &client,
        Method::PUT,
        format!("{address}/store?graph=http://e/after"),
        "text/turtle",
        triples(99, 10),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    assert_eq!(count(&client, &address, TRIPLES).await, before + 10);
    stop(server);
}
