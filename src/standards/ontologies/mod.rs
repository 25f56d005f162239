//! Ontology modules: every Turtle file in the ontologies folder is loaded into
//! `graph/ontology/{file stem}`, only when its content changed since the last start. Graphs
//! of files that were removed are dropped. When the folder does not exist, the modules built
//! into the binary are used, so a lone binary still serves the shared vocabularies. `browse`
//! reads them back for the ontology pages.

pub mod browse;

use crate::core::config::BaseIri;
use crate::core::graphs::ontology_graph;
use crate::core::vocab::SOURCE_SHA256;
use crate::storage::{Cause, LoadError, Origin, Storage, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, QuadRef, TermRef};
use std::path::{Path, PathBuf};

/// The modules shipped in `ontologies/`, compiled in for the binary-only case.
const BUILTIN: &[(&str, &str)] = &[
    (
        "kpi-methods",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/kpi-methods.ttl"
        )),
    ),
    (
        "citykg",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/citykg.ttl"
        )),
    ),
    (
        "dcat",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/dcat.ttl")),
    ),
    (
        "dcterms",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/dcterms.ttl"
        )),
    ),
    (
        "dqv",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/dqv.ttl")),
    ),
    (
        "geosparql",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/geosparql.ttl"
        )),
    ),
    (
        "prov",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/prov.ttl")),
    ),
    (
        "qudt",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/qudt.ttl")),
    ),
    (
        "saref",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/saref.ttl")),
    ),
    (
        "saref4city",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/saref4city.ttl"
        )),
    ),
    (
        "skos",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/skos.ttl")),
    ),
    (
        "qb",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/qb.ttl")),
    ),
    (
        "sdg",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/sdg.ttl")),
    ),
    (
        "sosa",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/sosa.ttl")),
    ),
    (
        "u4ssc",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/u4ssc.ttl")),
    ),
    (
        "verticals",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/verticals.ttl"
        )),
    ),
    (
        "wot",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/wot.ttl")),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum OntologyError {
    #[error("cannot read the ontology folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ontology module {name}: {message}")]
    Syntax { name: String, message: String },
    #[error("ontology module {name}: {source}")]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("ontology module name {0:?} does not make a valid graph IRI")]
    BadName(String),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// What a sync did, for the start-up log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub loaded: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

struct Module {
    name: String,
    text: Vec<u8>,
}

/// Brings the ontology graphs in line with `folder` (or the built-in modules).
pub fn sync(store: &Storage, base: &BaseIri, folder: &Path) -> Result<SyncReport, OntologyError> {
    let modules = if folder.is_dir() {
        read_folder(folder)?
    } else {
        builtin()
    };
    let mut report = SyncReport::default();
    let mut wanted = Vec::new();
    for module in &modules {
        let graph = ontology_graph(base, &module.name)
            .map_err(|_| OntologyError::BadName(module.name.clone()))?;
        let digest = crate::core::digest::hex_sha256(&module.text);
        if stored_digest(store, &graph)?.as_deref() == Some(digest.as_str()) {
            report.unchanged.push(module.name.clone());
        } else {
            replace_graph(store, &graph, module, &digest)?;
            report.loaded.push(module.name.clone());
        }
        wanted.push(graph);
    }
    report.removed = remove_stale(store, base, &wanted)?;
    Ok(report)
}

fn read_folder(folder: &Path) -> Result<Vec<Module>, OntologyError> {
    let folder_error = |source| OntologyError::Folder {
        path: folder.to_owned(),
        source,
    };
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(folder_error)? {
        let path = entry.map_err(folder_error)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ttl") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read(&path).map_err(|source| OntologyError::Io {
            name: name.clone(),
            source,
        })?;
        modules.push(Module { name, text });
    }
    modules.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(modules)
}

fn builtin() -> Vec<Module> {
    BUILTIN
        .iter()
        .map(|(name, text)| Module {
            name: (*name).to_owned(),
            text: text.as_bytes().to_vec(),
        })
        .collect()
}

fn stored_digest(store: &Storage, graph: &NamedNode) -> Result<Option<String>, StoreError> {
    let found = store
        .quads(
            Some(graph.as_ref().into()),
            Some(SOURCE_SHA256),
            None,
            Some(graph.as_ref().into()),
        )
        .next()
        .transpose()?;
    Ok(found.and_then(|q| match q.object.as_ref() {
        TermRef::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }))
}

/// Clears the graph and loads the module with its digest, in one transaction.
fn replace_graph(
    store: &Storage,
    graph: &NamedNode,
    module: &Module,
    digest: &str,
) -> Result<(), OntologyError> {
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .without_named_graphs()
        .with_default_graph(graph.clone());
    store.write(Cause::service(Origin::Ontologies), |transaction| {
        transaction.clear_graph(graph)?;
        transaction
            .load(parser, &module.text)
            .map_err(|e| match e {
                LoadError::Parse(e) => OntologyError::Syntax {
                    name: module.name.clone(),
                    message: crate::storage::bulk::describe_parse_error(&e),
                },
                LoadError::Store(e) => OntologyError::Storage(e),
            })?;
        let literal = Literal::new_simple_literal(digest);
        transaction.insert(QuadRef::new(graph, SOURCE_SHA256, &literal, graph))?;
        Ok(())
    })
}

/// Drops ontology graphs (marked by their digest triple) whose module is gone.
fn remove_stale(
    store: &Storage,
    base: &BaseIri,
    wanted: &[NamedNode],
) -> Result<Vec<String>, StoreError> {
    let prefix = base.join("graph/ontology/");
    let mut removed = Vec::new();
    for quad in store.quads(None, Some(SOURCE_SHA256), None, None) {
        let quad = quad?;
        let oxigraph::model::GraphName::NamedNode(graph) = quad.graph_name else {
            continue;
        };
        if graph.as_str().starts_with(&prefix) && !wanted.contains(&graph) {
            removed.push(graph);
        }
    }
    store.write(Cause::service(Origin::Ontologies), |transaction| {
        for graph in &removed {
            transaction.remove_graph(graph)?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(removed
        .into_iter()
        .map(|g| g.as_str().trim_start_matches(&prefix).to_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_load_once_reload_on_change_and_go_when_removed() {
        let dir = tempfile::tempdir().unwrap();
        let base = BaseIri::parse("http://citykg.test/").unwrap();
        let store = Storage::in_memory().unwrap();
        std::fs::write(
            dir.path().join("a.ttl"),
            "<http://x/s> <http://x/p> <http://x/o> .",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.ttl"), "<http://x/s> <http://x/p> 1 .").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();

        let first = sync(&store, &base, dir.path()).unwrap();
        assert_eq!(first.loaded, ["a", "b"]);
        let second = sync(&store, &base, dir.path()).unwrap();
        assert_eq!(second.unchanged, ["a", "b"]);
        assert!(second.loaded.is_empty());

        std::fs::write(
            dir.path().join("a.ttl"),
            "<http://x/s> <http://x/p> <http://x/o2> .",
        )
        .unwrap();
        std::fs::remove_file(dir.path().join("b.ttl")).unwrap();
        let third = sync(&store, &base, dir.path()).unwrap();
        assert_eq!(third.loaded, ["a"]);
        assert_eq!(third.removed, ["b"]);
        // a: one data triple + its digest.
        assert_eq!(store.len().unwrap(), 2);
    }

    #[test]
    fn a_broken_module_names_the_file_and_position_and_loads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.ttl"), "<http://x/s> <http://x/p> .\n").unwrap();
        let store = Storage::in_memory().unwrap();
        let err = sync(
            &store,
            &BaseIri::parse("http://citykg.test/").unwrap(),
            dir.path(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("bad") && text.contains("line 1"), "{text}");
        assert!(store.is_empty().unwrap());
    }

    #[test]
    fn the_builtin_modules_parse() {
        let store = Storage::in_memory().unwrap();
        let report = sync(
            &store,
            &BaseIri::parse("http://citykg.test/").unwrap(),
            Path::new("/nonexistent"),
        )
        .unwrap();
        assert_eq!(report.loaded.len(), BUILTIN.len());
        assert!(store.len().unwrap() > 20);
    }
}
