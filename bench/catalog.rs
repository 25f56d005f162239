//! The catalogue benchmark (a command, not a timed test): a catalogue of N generated use cases
//! (default 10,000) on instance B; times every page of B's feed over HTTP (p50, p95), a full
//! harvest of B by instance A through Hydra paging, and an incremental (`modified_since`)
//! harvest after M changes on B (default 100). Prints Markdown. Run through `bench/catalog.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use citykg::catalogue::harvest::{self, HarvestOptions};
use citykg::core::config::{AllowList, BaseIri, Settings};
use citykg::edge::http::Application;
use citykg::storage::{Cause, Origin};
use clap::Parser;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Use cases in B's catalogue.
    #[arg(long, default_value_t = 10_000)]
    use_cases: usize,
    /// Feed page size.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Page size the harvester asks B for (the feed's maximum is 1000).
    #[arg(long, default_value_t = 1000)]
    harvest_page_size: usize,
    /// Use cases changed on B before the incremental harvest.
    #[arg(long, default_value_t = 100)]
    changes: usize,
    #[arg(long, hide = true)]
    bench: bool,
}

const VERTICALS: [&str; 5] = ["energy", "transportation", "water", "environment", "health"];

fn use_case(base: &str, n: usize, modified: &str) -> String {
    let u = format!("{base}id/use-case/uc-{n:05}");
    let vertical = VERTICALS[n % VERTICALS.len()];
    format!(
        r#"<{u}> a dcat:Dataset, citykg:UseCase ; dct:identifier "uc-{n:05}" ;
  dct:title "Use case {n}"@en, "Cas d'usage {n}"@fr ; dct:description "Generated use case {n} for the benchmark"@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/{vertical}> ; dcat:theme <https://w3id.org/citykg/vertical/{vertical}> ;
  citykg:sdg <http://metadata.un.org/sdg/11> ; citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  dct:spatial <{u}/place> ; dct:publisher <{u}/publisher> ; dcat:contactPoint <{u}/contact> ;
  dct:conformsTo <https://saref.etsi.org/core/> ; citykg:vendorFormat "TTN v3 uplink" ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ; dct:issued "2024-03-01"^^xsd:date ;
  dct:modified "{modified}"^^xsd:dateTime ; dcat:keyword "air quality"@en ;
  dcat:distribution <{u}/distribution/graph-store>, <{u}/distribution/sparql> ;
  dqv:hasQualityMeasurement <{u}/measurement/openLicence>, <{u}/measurement/unitCoverage> .
<{u}/place> a dct:Location ; skos:prefLabel "City {n}"@en ; citykg:countryCode "KE" ; dcat:centroid "POINT(34.76 -0.09)"^^geo:wktLiteral .
<{u}/publisher> a foaf:Agent ; foaf:name "Publisher {n}" .
<{u}/contact> a vcard:Organization ; vcard:fn "Contact {n}" ; vcard:hasEmail <mailto:uc{n}@example.org> .
<{u}/distribution/graph-store> a dcat:Distribution ; dct:title "Named graphs (Graph Store Protocol)"@en ;
  dcat:accessURL <{base}store> ; dcat:accessService <{base}id/service/sparql> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/text/turtle> .
<{u}/distribution/sparql> a dcat:Distribution ; dct:title "SPARQL endpoint"@en ; dcat:accessURL <{base}query> ; dcat:accessService <{base}id/service/sparql> .
<{u}/record> a dcat:CatalogRecord ; foaf:primaryTopic <{u}> ; dct:issued "{modified}"^^xsd:dateTime ; dct:modified "{modified}"^^xsd:dateTime .
<{u}/measurement/openLicence> a dqv:QualityMeasurement ; dqv:computedOn <{u}> ; dqv:isMeasurementOf citykg:openLicence ; dqv:value true .
<{u}/measurement/unitCoverage> a dqv:QualityMeasurement ; dqv:computedOn <{u}> ; dqv:isMeasurementOf citykg:unitCoverage ; dqv:value 0.93 .
"#
    )
}

const PREFIXES: &str = "@prefix citykg: <https://w3id.org/citykg/ns#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dqv: <http://www.w3.org/ns/dqv#> .
";

/// Runs the service on its own thread and actix system; returns its address, store and handle.
fn start(
    settings: Settings,
) -> (
    String,
    citykg::storage::Storage,
    actix_web::dev::ServerHandle,
    std::thread::JoinHandle<()>,
) {
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).expect("the app builds");
            sender
                .send((
                    format!("127.0.0.1:{}", app.port()),
                    app.store(),
                    app.handle(),
                ))
                .unwrap();
            app.run_until_stopped().await.unwrap();
        });
    });
    let (address, store, handle) = receiver.recv().unwrap();
    (address, store, handle, thread)
}

fn get(client: &oxhttp::Client, url: &str) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let request = oxhttp::model::Request::builder()
        .uri(url)
        .header("Accept", "text/turtle")
        .body(())
        .unwrap();
    let response = client.request(request).unwrap();
    let status = response.status();
    assert_eq!(status, 200, "{url}: {:?}", response.into_body().to_string());
    let body = response.into_body().to_vec().unwrap();
    (body, started.elapsed())
}

/// B's admin secret: the changes go through its `/update`, as a city's would, so B's caches see
/// them.
const B_ADMIN: &str = "bench-admin-secret";

fn post_update(client: &oxhttp::Client, url: &str, update: String) {
    let request = oxhttp::model::Request::builder()
        .method(oxhttp::model::Method::POST)
        .uri(url)
        .header("Content-Type", "application/sparql-update")
        .header("Authorization", format!("Bearer {B_ADMIN}"))
        .body(update)
        .unwrap();
    let response = client.request(request).unwrap();
    assert_eq!(response.status(), 204, "{url}");
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() {
    let args = Args::parse();
    let system = actix_web::rt::System::new();
    let b_base = "http://b.bench/";
    let mut settings = Settings::for_tests();
    settings.base_iri = BaseIri::parse(b_base).unwrap();
    settings.admin_token = Some(B_ADMIN.to_owned());
    let (b_address, b_store, b_handle, server) = start(settings);

    // B's catalogue, bulk-loaded (not timed).
    let started = Instant::now();
    let graph = NamedNode::new(format!("{b_base}graph/catalog")).unwrap();
    let mut text = String::from(PREFIXES);
    for n in 0..args.use_cases {
        let modified = format!(
            "2025-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            1 + n % 12,
            1 + n % 28,
            n % 24,
            n % 60,
            (n / 60) % 60
        );
        text.push_str(&use_case(b_base, n, &modified));
    }
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(graph.clone())
        .for_slice(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    b_store
        .commit_quads(Cause::service(Origin::Load), &quads)
        .unwrap();
    let triples = b_store.len().unwrap();
    println!(
        "# Catalogue benchmark: {} use cases ({} quads in B's store, loaded in {:.1} s), page_size {}\n",
        args.use_cases,
        triples,
        started.elapsed().as_secs_f64(),
        args.page_size
    );

    // Where a page's time goes, in process: the record index alone, then whole pages.
    let graph_ref = oxigraph::model::GraphNameRef::NamedNode(graph.as_ref());
    let started = Instant::now();
    let items = citykg::catalogue::feed::index::items(&b_store, graph_ref).unwrap();
    let index_time = started.elapsed();
    let query = citykg::catalogue::feed::FeedQuery {
        page: 1,
        page_size: args.page_size,
        modified_since: None,
    };
    let b_base_iri = BaseIri::parse(b_base).unwrap();
    let started = Instant::now();
    let records = citykg::catalogue::feed::index::RecordCache::default();
    let built = citykg::catalogue::feed::page(
        &b_store,
        &b_base_iri,
        &query,
        "http://b.bench",
        (&records, 0),
    )
    .unwrap();
    let page_time = started.elapsed();
    eprintln!(
        "in process: index of {} records {:.1} ms; page 1 built in {:.1} ms ({} triples)",
        items.len(),
        index_time.as_secs_f64() * 1000.0,
        page_time.as_secs_f64() * 1000.0,
        built.graph.len()
    );

    // Every page of B's feed, over HTTP, in order.
    let client = oxhttp::Client::new().with_global_timeout(Duration::from_secs(60));
    let pages = args.use_cases.div_ceil(args.page_size).max(1);
    let _ = get(
        &client,
        &format!("http://{b_address}/catalog?page_size={}", args.page_size),
    );
    let mut times = Vec::with_capacity(pages);
    let mut bytes = 0;
    for page in 1..=pages {
        let (body, elapsed) = get(
            &client,
            &format!(
                "http://{b_address}/catalog?page={page}&page_size={}",
                args.page_size
            ),
        );
        bytes += body.len();
        times.push(elapsed);
    }
    times.sort();
    println!("| measure | value |\n| --- | --- |");
    println!(
        "| feed page (Turtle, {} use cases a page), {} pages | p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; {:.1} KiB a page |",
        args.page_size,
        pages,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
        bytes as f64 / pages as f64 / 1024.0
    );

    // A harvests B: full, through Hydra paging.
    let a_store = citykg::storage::Storage::in_memory().unwrap();
    let a_base = BaseIri::parse("http://a.bench/").unwrap();
    let allow = AllowList::new([b_address.clone()]);
    let url = format!(
        "http://{b_address}/catalog?page_size={}",
        args.harvest_page_size
    );
    let options = HarvestOptions::new(url.clone());
    let started = Instant::now();
    let full = harvest::run(&a_store, &a_base, &allow, &options).unwrap();
    let full_time = started.elapsed();
    // B also holds the use cases it ships (seeded at start): every record of its feed.
    assert_eq!(full.held, items.len());
    println!(
        "| full harvest (A <- B over HTTP, {} pages of {}) | {:.2} s ({} added) |",
        full.pages,
        args.harvest_page_size,
        full_time.as_secs_f64(),
        full.added
    );

    // M changes on B, then an incremental harvest.
    std::thread::sleep(Duration::from_millis(1100));
    let changes = args.changes.min(args.use_cases);
    let step = (args.use_cases / changes.max(1)).max(1);
    let mut update = String::from("PREFIX dct: <http://purl.org/dc/terms/>\n");
    for i in 0..changes {
        let u = format!("{b_base}id/use-case/uc-{:05}", i * step);
        update.push_str(&format!(
            "DELETE {{ GRAPH {graph} {{ <{u}/record> dct:modified ?m }} }} INSERT {{ GRAPH {graph} {{ <{u}/record> dct:modified ?now }} }} WHERE {{ GRAPH {graph} {{ <{u}/record> dct:modified ?m }} BIND(NOW() AS ?now) }} ;\n"
        ));
    }
    update.push_str("INSERT DATA {}");
    post_update(&client, &format!("http://{b_address}/update"), update);
    let started = Instant::now();
    let incremental = harvest::run(&a_store, &a_base, &allow, &options).unwrap();
    let incremental_time = started.elapsed();
    println!(
        "| incremental harvest after {} changes (modified_since) | {:.3} s ({} pages, {} read, {} updated, mode {}) |",
        changes,
        incremental_time.as_secs_f64(),
        incremental.pages,
        incremental.fetched,
        incremental.updated,
        incremental.mode
    );

    system.block_on(b_handle.stop(true));
    server.join().unwrap();
}
