//! The NGSI-LD benchmark (a command, not a timed test): a citykg server on an on-disk store
//! (durable writes) on loopback, loaded by client threads on the same machine. Measures batch
//! upserts of 100-entity batches, single-attribute updates, retrieval by id, queries by type with
//! `q` over the whole set, and the latency of notifications from the write's acknowledgement.
//! Prints Markdown. Run through `bench/ngsi-ld.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use citykg::core::config::{Settings, StoreLocation};
use citykg::edge::http::Application;
use clap::Parser;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Entities loaded (and queried over).
    #[arg(long, default_value_t = 10_000)]
    entities: usize,
    /// Entities per batch upsert.
    #[arg(long, default_value_t = 100)]
    batch: usize,
    /// Client threads.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Seconds each request-rate phase runs.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Notifications timed.
    #[arg(long, default_value_t = 500)]
    notifications: usize,
    #[arg(long, hide = true)]
    bench: bool,
}

fn vehicle(n: usize, speed: usize) -> Value {
    json!({
        "id": format!("urn:ngsi-ld:Vehicle:{n:06}"),
        "type": "Vehicle",
        "speed": {"type": "Property", "value": speed, "unitCode": "KMH", "observedAt": "2026-12-07T10:00:00Z"},
        "brandName": {"type": "Property", "value": format!("Brand {}", n % 50)},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [16.3 + (n % 100) as f64 * 0.001, 48.2 + (n / 100) as f64 * 0.001]}},
        "isParked": {"type": "Relationship", "object": format!("urn:ngsi-ld:OffStreetParking:{}", n % 20)}
    })
}

/// Runs the service on its own thread; returns its address.
fn start(settings: Settings) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).expect("the app builds");
            sender
                .send(format!("http://127.0.0.1:{}", app.port()))
                .unwrap();
            app.run_until_stopped().await.unwrap();
        });
    });
    receiver.recv().unwrap()
}

/// One request: method, URL, JSON body, the status expected.
type Call = (awc::http::Method, String, Option<Value>, u16);

/// Makes the n-th request, or none when the phase is over.
type MakeCall = Arc<dyn Fn(u64) -> Option<Call> + Send + Sync>;

/// Runs `clients` threads, each sending requests made by `make(n)` for `seconds` (or until
/// `make` gives none); returns requests done, elapsed time and sorted latencies.
fn load(clients: usize, seconds: u64, make: MakeCall) -> (u64, Duration, Vec<Duration>) {
    let counter = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (counter, latencies, make) = (counter.clone(), latencies.clone(), make.clone());
            std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let client = awc::Client::builder()
                        .timeout(Duration::from_secs(30))
                        .finish();
                    let mut mine = Vec::new();
                    while Instant::now() < deadline {
                        let n = counter.fetch_add(1, Ordering::Relaxed);
                        let Some((method, url, body, expected)) = make(n) else {
                            break;
                        };
                        let sent = Instant::now();
                        let request = client
                            .request(method, &url)
                            .insert_header(("Content-Type", "application/json"));
                        let response = match body {
                            Some(body) => request.send_body(body.to_string()).await,
                            None => request.send().await,
                        };
                        let mut response = response.unwrap();
                        let bytes = response.body().limit(64 << 20).await.unwrap();
                        assert_eq!(
                            response.status().as_u16(),
                            expected,
                            "{url}: {}",
                            String::from_utf8_lossy(&bytes)
                        );
                        mine.push(sent.elapsed());
                    }
                    latencies.lock().unwrap().extend(mine);
                });
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let elapsed = started.elapsed();
    let mut latencies = Arc::try_unwrap(latencies).unwrap().into_inner().unwrap();
    latencies.sort();
    (latencies.len() as u64, elapsed, latencies)
}

fn ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() {
    let args = Args::parse();
    let folder = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests();
    settings.location = StoreLocation::Disk(folder.path().to_path_buf());
    settings.ngsi_ld_open_writes = true;
    settings.bind = "127.0.0.1:0".to_owned();
    let address = start(settings);
    let api = format!("{address}/ngsi-ld/v1");
    println!(
        "# NGSI-LD benchmark: {} entities, batches of {}, {} client threads, {} s a phase, on-disk store\n",
        args.entities, args.batch, args.clients, args.seconds
    );
    println!("| operation | figure | p50 ms | p99 ms |");
    println!("| --- | --- | --- | --- |");

    // Batch upserts, until every entity exists.
    let batches = args.entities.div_ceil(args.batch) as u64;
    let (batch, url) = (args.batch, format!("{api}/entityOperations/upsert"));
    let entities = args.entities;
    let (done, elapsed, latencies) = load(
        args.clients,
        3_600,
        Arc::new(move |n| {
            (n < batches).then(|| {
                let first = n as usize * batch;
                let body: Vec<Value> = (first..(first + batch).min(entities))
                    .map(|i| vehicle(i, i % 120))
                    .collect();
                (
                    awc::http::Method::POST,
                    url.clone(),
                    Some(Value::Array(body)),
                    201,
                )
            })
        }),
    );
    let rate = (done as usize * args.batch) as f64 / elapsed.as_secs_f64();
    println!(
        "| batch upsert, {} entities a batch | {rate:.0} entities/s ({done} batches in {:.1} s) | {:.1} | {:.1} |",
        args.batch,
        elapsed.as_secs_f64(),
        ms(&latencies, 0.5),
        ms(&latencies, 0.99)
    );

    // Single-attribute updates.
    let api2 = api.clone();
    let (done, elapsed, latencies) = load(
        args.clients,
        args.seconds,
        Arc::new(move |n| {
            let id = (n as usize * 7919) % entities;
            Some((
                awc::http::Method::PATCH,
                format!("{api2}/entities/urn:ngsi-ld:Vehicle:{id:06}/attrs/speed"),
                Some(json!({"value": n % 130})),
                204,
            ))
        }),
    );
    println!(
        "| single-attribute update (`PATCH .../attrs/speed`) | {:.0} requests/s | {:.1} | {:.1} |",
        done as f64 / elapsed.as_secs_f64(),
        ms(&latencies, 0.5),
        ms(&latencies, 0.99)
    );

    // Retrieval by id.
    let api3 = api.clone();
    let (done, elapsed, latencies) = load(
        args.clients,
        args.seconds,
        Arc::new(move |n| {
            let id = (n as usize * 104_729) % entities;
            Some((
                awc::http::Method::GET,
                format!("{api3}/entities/urn:ngsi-ld:Vehicle:{id:06}"),
                None,
                200,
            ))
        }),
    );
    println!(
        "| retrieve by id | {:.0} requests/s | {:.1} | {:.1} |",
        done as f64 / elapsed.as_secs_f64(),
        ms(&latencies, 0.5),
        ms(&latencies, 0.99)
    );

    // Query by type with q over every entity.
    let api4 = api.clone();
    let (done, elapsed, latencies) = load(
        args.clients,
        args.seconds,
        Arc::new(move |n| {
            Some((
                awc::http::Method::GET,
                format!(
                    "{api4}/entities?type=Vehicle&q=speed%3E{}%3Bspeed%3C{}&limit=20",
                    n % 100,
                    n % 100 + 5
                ),
                None,
                200,
            ))
        }),
    );
    println!(
        "| query by type with `q` over {} entities (`limit=20`) | {:.0} requests/s | {:.1} | {:.1} |",
        args.entities,
        done as f64 / elapsed.as_secs_f64(),
        ms(&latencies, 0.5),
        ms(&latencies, 0.99)
    );

    // Notification latency: from the update's acknowledgement to the receiver.
    let received: Arc<Mutex<Vec<(u64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    let (receiver_sender, receiver_address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                let kept = kept.clone();
                actix_web::App::new().default_service(actix_web::web::to(
                    move |body: actix_web::web::Bytes| {
                        let kept = kept.clone();
                        async move {
                            let at = Instant::now();
                            let value: Value = serde_json::from_slice(&body).unwrap_or_default();
                            if let Some(speed) = value["data"][0]["speed"].as_u64() {
                                kept.lock().unwrap().push((speed, at));
                            }
                            actix_web::HttpResponse::Ok().finish()
                        }
                    },
                ))
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
            receiver_sender.send(server.addrs()[0]).unwrap();
            server.run().await.unwrap();
        });
    });
    let receiver_address = receiver_address.recv().unwrap();
    let api5 = api.clone();
    let timed = args.notifications;
    let acks: Vec<(u64, Instant)> = actix_web::rt::System::new().block_on(async move {
        let client = awc::Client::new();
        let subscription = json!({"id": "urn:ngsi-ld:Subscription:bench", "type": "Subscription",
            "entities": [{"type": "Vehicle", "id": "urn:ngsi-ld:Vehicle:000000"}],
            "watchedAttributes": ["speed"],
            "notification": {"format": "keyValues", "attributes": ["speed"],
                "endpoint": {"uri": format!("http://{receiver_address}/notify"), "accept": "application/json"}}});
        let response = client
            .post(format!("{api5}/subscriptions"))
            .insert_header(("Content-Type", "application/json"))
            .send_body(subscription.to_string())
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        let mut acks = Vec::new();
        for n in 0..timed {
            // Values the vehicle never had, so every update is a change.
            let speed = 1_000 + n as u64;
            let response = client
                .patch(format!(
                    "{api5}/entities/urn:ngsi-ld:Vehicle:000000/attrs/speed"
                ))
                .insert_header(("Content-Type", "application/json"))
                .send_body(json!({"value": speed}).to_string())
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 204);
            acks.push((speed, Instant::now()));
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        actix_web::rt::time::sleep(Duration::from_secs(2)).await;
        acks
    });
    let received = received.lock().unwrap().clone();
    let mut delays: Vec<Duration> = acks
        .iter()
        .filter_map(|(speed, ack)| {
            received
                .iter()
                .find(|(s, _)| s == speed)
                .map(|(_, at)| at.saturating_duration_since(*ack))
        })
        .collect();
    delays.sort();
    println!(
        "| notification latency from the write's acknowledgement ({} of {} received) | p50 {:.1} ms | {:.1} | {:.1} |",
        delays.len(),
        acks.len(),
        ms(&delays, 0.5),
        ms(&delays, 0.5),
        ms(&delays, 0.99)
    );
}
