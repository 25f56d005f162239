//! The SPARQL benchmark: the shared workload's queries timed in process and over HTTP, and
//! requests/s under concurrent load, for citykg and (with `--peer`) another SPARQL server such
//! as `oxigraph serve`, in the same run. Run through `bench/run.sh`; it prints Markdown tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use citykg::config::{Settings, StoreLocation};
use citykg::http::Application;
use citykg::sparql::{self, ProtocolDataset, ResultFormat, RunOptions};
use clap::Parser;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Store folder, already loaded (`citykg load`).
    #[arg(long)]
    location: PathBuf,
    /// Folder of .rq files.
    #[arg(long)]
    queries: PathBuf,
    /// Timed runs per query (after one warm-up).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Concurrent connections for the throughput figures.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Seconds of load per throughput figure (0: no throughput figures).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Query endpoint of a peer server to measure in the same run (e.g. http://127.0.0.1:7878/query).
    #[arg(long)]
    peer: Option<String>,
    /// Queries whose throughput is measured (file name prefixes).
    #[arg(long, value_delimiter = ',', default_value = "05,01")]
    load: Vec<String>,
    #[arg(long, hide = true)]
    bench: bool,
}

struct Query {
    name: String,
    text: String,
    graph: bool,
}

fn main() {
    let args = Args::parse();
    let mut queries: Vec<Query> = std::fs::read_dir(&args.queries)
        .expect("queries folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let graph = text
                .lines()
                .any(|l| l.trim_start().to_ascii_uppercase().starts_with("CONSTRUCT"));
            Query {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                text,
                graph,
            }
        })
        .collect();
    queries.sort_by(|a, b| a.name.cmp(&b.name));

    let mut settings = Settings::for_tests();
    settings.location = StoreLocation::Disk(args.location.clone());
    settings.limits.query_timeout = Duration::from_secs(600);
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).expect("citykg starts");
        let store = app.store();
        let ours = format!("http://127.0.0.1:{}/query", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = Rc::new(awc::Client::builder().timeout(Duration::from_secs(600)).finish());

        println!("| query | rows/triples | in process (median) | citykg HTTP (median) | HTTP overhead | peer HTTP (median) |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for q in &queries {
            let format = if q.graph { ResultFormat::Rdf(RdfFormat::NTriples) } else { ResultFormat::Results(QueryResultsFormat::Json) };
            let accept = if q.graph { "application/n-triples" } else { "application/sparql-results+json" };
            let mut size = 0;
            let in_process = median(args.runs, || {
                let allow = Default::default();
                let options = RunOptions { allow: &allow, cancel: None, timeout: None };
                let parsed = sparql::parse_query(&q.text, None, &allow).unwrap();
                let results = parsed.evaluate(&store, &ProtocolDataset::default(), &options).unwrap();
                let bytes = sparql::write_results(results, format, Vec::new(), None).unwrap();
                size = count_items(&bytes, q.graph);
            });
            let http = median_async(args.runs, || post(&client, &ours, &q.text, accept)).await;
            let peer = match &args.peer {
                Some(url) => Some(median_async(args.runs, || post(&client, url, &q.text, accept)).await),
                None => None,
            };
            let overhead = (http.as_secs_f64() / in_process.as_secs_f64() - 1.0) * 100.0;
            println!(
                "| {} | {size} | {} | {} | {overhead:+.1} % | {} |",
                q.name,
                ms(in_process),
                ms(http),
                peer.map_or("-".to_owned(), ms)
            );
        }

        if args.seconds == 0 {
            return;
        }
        println!();
        println!("Throughput, GET of the URL-encoded query, {} connections, {} s each:", args.connections, args.seconds);
        println!();
        println!("| query | citykg requests/s | peer requests/s |");
        println!("| --- | --- | --- |");
        for prefix in &args.load {
            let Some(q) = queries.iter().find(|q| q.name.starts_with(prefix.as_str())) else { continue };
            let accept = if q.graph { "application/n-triples" } else { "application/sparql-results+json" };
            let duration = Duration::from_secs(args.seconds);
            let ours_rps = throughput(&client, &ours, &q.text, accept, args.connections, duration).await;
            let peer_rps = match &args.peer {
                Some(url) => format!("{:.1}", throughput(&client, url, &q.text, accept, args.connections, duration).await),
                None => "-".to_owned(),
            };
            println!("| {} | {ours_rps:.1} | {peer_rps} |", q.name);
        }
    });
}

fn count_items(bytes: &[u8], graph: bool) -> usize {
    if graph {
        return bytes.iter().filter(|b| **b == b'\n').count();
    }
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    json["results"]["bindings"].as_array().map_or(1, Vec::len)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

async fn median_async<F: std::future::Future<Output = ()>>(
    runs: usize,
    mut f: impl FnMut() -> F,
) -> Duration {
    f().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

async fn post(client: &awc::Client, url: &str, query: &str, accept: &str) {
    let mut response = client
        .post(url)
        .insert_header(("Content-Type", "application/sparql-query"))
        .insert_header(("Accept", accept))
        .send_body(query.to_owned())
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.body().limit(1 << 30).await.unwrap();
}

/// Requests per second with `connections` clients looping GETs for `duration`.
async fn throughput(
    client: &Rc<awc::Client>,
    url: &str,
    query: &str,
    accept: &str,
    connections: usize,
    duration: Duration,
) -> f64 {
    let target = format!(
        "{url}?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let target = target.clone();
        let accept = accept.to_owned();
        handles.push(actix_web::rt::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let mut response = client
                    .get(&target)
                    .insert_header(("Accept", accept.as_str()))
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                response.body().limit(1 << 30).await.unwrap();
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}
