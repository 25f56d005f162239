//! The fuzz targets of `citykg::fuzz_targets` without nightly or instrumentation, for CI: each
//! target runs every input of `fuzz/corpus/NAME/` and `fuzz/regressions/NAME/`, then seeded
//! mutations of them for a fixed time (`CITYKG_FUZZ_SECONDS`, default 2). Every input runs on
//! its own thread under a 10 s watchdog. A panic or a hang fails the test, which names the
//! target and the file the input was saved to in `fuzz/regressions/NAME/`.
//!
//! An abort (stack overflow, out of memory) ends the whole process before anything can be
//! saved, so each mutated input is first written to `pending/NAME` in Cargo's test temporary
//! folder; the next run finds it there, moves it to the regressions and fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use citykg::fuzz_targets::{ALPHABET, TARGETS, XorShift};

const WATCHDOG: Duration = Duration::from_secs(10);
/// Mutated inputs grow by splices and repeats; past this they are cut.
const MAX_INPUT: usize = 256 << 10;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file of `dir` (none when it is absent), READMEs left out, by name.
fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && !path.ends_with("README.md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// Why one input failed, if it did.
fn run_one(target: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    let (done, finished) = mpsc::channel();
    let input = input.to_vec();
    let worker = thread::Builder::new()
        .name("fuzz-input".to_owned())
        .spawn(move || {
            target(&input);
            let _ = done.send(());
        })
        .unwrap();
    match finished.recv_timeout(WATCHDOG) {
        Ok(()) => worker.join().map_err(|_| "panicked".to_owned()),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(match worker.join() {
            Err(panic) => match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
                (Some(message), _) => format!("panicked: {message}"),
                (_, Some(message)) => format!("panicked: {message}"),
                _ => "panicked".to_owned(),
            },
            Ok(()) => "stopped without finishing".to_owned(),
        }),
        // The thread is left running: the test fails anyway.
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("ran over {WATCHDOG:?} (a hang)")),
    }
}

/// Saves a failing input under the regressions and returns its path.
fn keep(name: &str, input: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("regressions").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "crash-{}",
        &citykg::core::digest::hex_sha256(input)[..16]
    ));
    std::fs::write(&path, input).unwrap();
    path
}

fn pending(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-pending")
        .join(name)
}

/// A seed per target, so each target's mutations are the same on every run.
fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn budget() -> Duration {
    let seconds = std::env::var("CITYKG_FUZZ_SECONDS")
        .ok()
        .and_then(|text| text.parse::<f64>().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(seconds)
}

fn check(name: &str) {
    let target = TARGETS
        .iter()
        .find(|(target, _)| *target == name)
        .map(|(_, target)| *target)
        .unwrap_or_else(|| panic!("no fuzz target `{name}` in citykg::fuzz_targets::TARGETS"));
    let pending = pending(name);
    if let Ok(input) = std::fs::read(&pending) {
        let kept = keep(name, &input);
        std::fs::remove_file(&pending).unwrap();
        panic!(
            "fuzz target {name}: the previous run stopped the process on an input, now kept as {}",
            kept.display()
        );
    }
    let mut seeds = inputs(&fuzz_dir().join("corpus").join(name));
    let known = inputs(&fuzz_dir().join("regressions").join(name));
    let corpus = seeds.len();
    seeds.extend(known);
    for (path, input) in &seeds {
        if let Err(why) = run_one(target, input) {
            panic!("fuzz target {name} {why} on {}", path.display());
        }
    }
    if seeds.is_empty() {
        seeds.push((PathBuf::new(), Vec::new()));
    }

    std::fs::create_dir_all(pending.parent().unwrap()).unwrap();
    let mut random = XorShift(seed(name));
    let started = Instant::now();
    let mut runs = 0_usize;
    let mut last = Vec::new();
    while started.elapsed() < budget() {
        let from = &seeds[random.below(seeds.len())].1;
        let other = &seeds[random.below(seeds.len())].1;
        let base = if random.below(3) == 0 && !last.is_empty() {
            &last
        } else {
            from
        };
        let mut input = random.mutate_more(base, other, ALPHABET);
        input.truncate(MAX_INPUT);
        std::fs::write(&pending, &input).unwrap();
        if let Err(why) = run_one(target, &input) {
            let kept = keep(name, &input);
            let _ = std::fs::remove_file(&pending);
            panic!(
                "fuzz target {name} {why} on a mutated input, kept as {}",
                kept.display()
            );
        }
        last = input;
        runs += 1;
    }
    let _ = std::fs::remove_file(&pending);
    eprintln!(
        "fuzz {name}: {corpus} corpus and {} regression inputs, {runs} mutations in {:.1} s: no crash",
        seeds.len() - corpus,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn every_target_has_a_test_and_a_corpus() {
    let source = include_str!("main.rs");
    for (name, _) in TARGETS {
        assert!(
            source.contains(&format!("fn {name}() {{")),
            "fuzz target {name} has no test here"
        );
        assert!(
            !inputs(&fuzz_dir().join("corpus").join(name)).is_empty(),
            "fuzz target {name} has no seed corpus in fuzz/corpus/{name}/"
        );
        assert!(
            fuzz_dir()
                .join("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "fuzz target {name} has no cargo-fuzz binary in fuzz/fuzz_targets/"
        );
    }
}

#[test]
fn sparql_query() {
    check("sparql_query");
}

#[test]
fn sparql_update() {
    check("sparql_update");
}

#[test]
fn rml() {
    check("rml");
}

#[test]
fn yarrrml() {
    check("yarrrml");
}

#[test]
fn jsonpath() {
    check("jsonpath");
}

#[test]
fn xpath() {
    check("xpath");
}

#[test]
fn json_reader() {
    check("json_reader");
}

#[test]
fn csv_reader() {
    check("csv_reader");
}

#[test]
fn xml_reader() {
    check("xml_reader");
}

#[test]
fn decompress() {
    check("decompress");
}

#[test]
fn kit_archive() {
    check("kit_archive");
}

#[test]
fn kit_manifest() {
    check("kit_manifest");
}

#[test]
fn jsonld() {
    check("jsonld");
}

#[test]
fn shacl() {
    check("shacl");
}

#[test]
fn multipart() {
    check("multipart");
}

#[test]
fn harvest_page() {
    check("harvest_page");
}

#[test]
fn graph_store() {
    check("graph_store");
}

#[test]
fn wkt() {
    check("wkt");
}

#[test]
fn ngsi_ld_entity() {
    check("ngsi_ld_entity");
}

#[test]
fn ngsi_ld_query() {
    check("ngsi_ld_query");
}
