//! The SPARQL benchmark: the shared workload's queries timed in process and over HTTP, for citykg
//! and (with `--peer`) another SPARQL server such as `oxigraph serve`, in the same run. Run
//! through `bench/run.sh`, which adds the throughput figures (wrk); prints Markdown tables.
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
    /// Query endpoint of a peer server to measure in the same run (e.g. http://127.0.0.1:7878/query).
    #[arg(long)]
    peer: Option<String>,
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
    let (sender, receiver) = std::sync::mpsc::channel();
    // The server runs in its own thread and runtime; the client below is a plain blocking one,
    // the way an external tool would call.
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).expect("citykg starts");
            sender.send((app.store(), app.port())).unwrap();
            app.run_until_stopped().await.unwrap();
        });
    });
    let (store, port) = receiver.recv().unwrap();
    let ours = format!("127.0.0.1:{port}");
    let peer = args.peer.as_deref().map(|url| {
        url.trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned()
    });

    println!(
        "| query | rows/triples | in process (median) | citykg HTTP (median) | HTTP overhead | peer HTTP (median) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for q in &queries {
        let format = if q.graph {
            ResultFormat::Rdf(RdfFormat::NTriples)
        } else {
            ResultFormat::Results(QueryResultsFormat::Json)
        };
        let accept = if q.graph {
            "application/n-triples"
        } else {
            "application/sparql-results+json"
        };
        let mut size = 0;
        let in_process = median(args.runs, || {
            let allow = Default::default();
            let options = RunOptions {
                allow: &allow,
                cancel: None,
                timeout: None,
            };
            let parsed = sparql::parse_query(&q.text, None, &allow).unwrap();
            let results = parsed
                .evaluate(&store, &ProtocolDataset::default(), &options)
                .unwrap();
            let bytes = sparql::write_results(results, format, Vec::new(), None).unwrap();
            size = count_items(&bytes, q.graph);
        });
        let http = median(args.runs, || post(&ours, &q.text, accept));
        let peer_time = peer
            .as_deref()
            .map(|host| median(args.runs, || post(host, &q.text, accept)));
        let overhead = (http.as_secs_f64() / in_process.as_secs_f64() - 1.0) * 100.0;
        println!(
            "| {} | {size} | {} | {} | {overhead:+.1} % | {} |",
            q.name,
            ms(in_process),
            ms(http),
            peer_time.map_or("-".to_owned(), ms)
        );
    }
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

/// One POST of the query over a fresh connection, body read to the end.
fn post(host: &str, query: &str, accept: &str) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(host).unwrap_or_else(|e| panic!("{host}: {e}"));
    stream.set_nodelay(true).unwrap();
    let request = format!(
        "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nAccept: {accept}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{query}",
        query.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    assert!(
        response.starts_with(b"HTTP/1.1 200"),
        "{host}: {}",
        String::from_utf8_lossy(&response[..response.len().min(300)])
    );
}
