//! The invariants ARCHITECTURE.md states, checked on the source: the map names every folder and
//! stays short, the wings depend only on the wings below them, only the storage module touches
//! oxigraph's store, and no HTTP handler module imports another.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The wings from the leaves up: a wing may use only itself and the wings before it.
const WINGS: [&str; 7] = [
    "core",
    "storage",
    "standards",
    "pipeline",
    "catalogue",
    "city",
    "edge",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, relative to the crate root, with `/` separators.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(
                    path.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Test-only files: unit tests may reach anything.
fn is_test_file(path: &str) -> bool {
    path.ends_with("/tests.rs") || path.ends_with("_tests.rs") || path.contains("/tests/")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

#[test]
fn architecture_md_names_every_folder_and_stays_a_short_map() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut folders = BTreeSet::new();
    for file in rust_files(&root().join("src")) {
        let mut parts: Vec<&str> = file.split('/').collect();
        parts.pop();
        // A module's own test folder is part of its row.
        if parts.last() == Some(&"tests") {
            parts.pop();
        }
        if parts.len() > 1 {
            folders.insert(format!("{}/", parts.join("/")));
        }
    }
    let missing: Vec<&String> = folders
        .iter()
        .filter(|folder| {
            // Named by its path, or by its name in the row of a folder above it.
            let name = folder.trim_end_matches('/');
            let leaf = format!("{}/", name.rsplit_once('/').unwrap().1);
            let in_an_ancestor_row = map.lines().any(|line| {
                line.contains(&leaf)
                    && name
                        .match_indices('/')
                        .any(|(at, _)| line.contains(&format!("`{}/", &name[..at])))
            });
            !map.contains(folder.as_str()) && !in_an_ancestor_row
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name: {missing:?}"
    );
    assert!(
        map.len() <= 8_800,
        "ARCHITECTURE.md is a map, not an inventory: {} bytes (about 8 KB at most)",
        map.len()
    );
}

#[test]
fn each_wing_uses_only_the_wings_below_it() {
    let mut violations = Vec::new();
    for (level, wing) in WINGS.iter().enumerate() {
        for file in rust_files(&root().join("src").join(wing)) {
            if is_test_file(&file) {
                continue;
            }
            let text = read(&file);
            for (above, other) in WINGS.iter().enumerate().skip(level + 1) {
                let named = ["::", ";", " as ", ",", "}"]
                    .iter()
                    .any(|after| text.contains(&format!("crate::{other}{after}")));
                if named {
                    violations.push(format!(
                        "{file} ({wing}, level {level}) uses {other} (level {above})"
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn only_the_storage_module_touches_oxigraph_store() {
    let outside: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .filter(|f| !f.starts_with("src/storage/"))
        .chain(rust_files(&root().join("tests")))
        .chain(rust_files(&root().join("bench")))
        .filter(|f| f != "tests/api/architecture.rs")
        .filter(|f| read(f).contains(concat!("oxigraph", "::store")))
        .collect();
    assert!(
        outside.is_empty(),
        "go through citykg::storage instead of oxigraph::store: {outside:?}"
    );
}

#[test]
fn no_http_handler_module_imports_another() {
    let http = "src/edge/http";
    let routes = read(&format!("{http}/routes.rs"));
    // Handler modules: the ones the route table sends requests to (`.to(module::function)`).
    let handlers: BTreeSet<String> = routes
        .split(".to(")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("::")
                .map(|(module, _)| module.trim().to_owned())
        })
        .filter(|module| module.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert!(handlers.len() > 10, "{handlers:?}");
    let mut violations = Vec::new();
    for handler in &handlers {
        let text = read(&format!("{http}/{handler}.rs"));
        for other in handlers.iter().filter(|o| *o != handler) {
            let named = text.contains(&format!("super::{other}::"))
                || text.lines().any(|line| {
                    line.trim_start().starts_with("use super::{")
                        && line
                            .split(['{', '}', ','])
                            .any(|item| item.trim() == other.as_str())
                });
            if named {
                violations.push(format!("{handler} imports {other}"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "handlers share code through non-handler modules: {violations:?}"
    );
}
