//! Bulk load and dump for the command line. A load is one atomic bulk-load transaction: a
//! syntax error in any file leaves the store as it was.

use super::{Cause, ChangedGraphs, Storage, StoreError};
use crate::core::rdf_file::{self, RdfFileError};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedNode};
use oxigraph::store::StorageError;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error(transparent)]
    File(#[from] RdfFileError),
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("--graph {iri:?} is not a valid IRI: {reason}")]
    BadGraph { iri: String, reason: String },
    #[error("--base-iri {iri:?} is not a valid IRI: {reason}")]
    BadBase { iri: String, reason: String },
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error("cannot write the dump: {0}")]
    Write(#[from] std::io::Error),
}

pub struct LoadOptions<'a> {
    pub graph: Option<&'a str>,
    pub base_iri: Option<&'a str>,
    /// Called from time to time with the number of quads loaded so far.
    pub on_progress: Arc<dyn Fn(u64) + Send + Sync>,
}

/// Loads every file in one transaction; returns the number of quads read.
pub fn load_files(
    storage: &Storage,
    cause: Cause,
    files: &[PathBuf],
    options: &LoadOptions<'_>,
) -> Result<u64, BulkError> {
    let graph = options
        .graph
        .map(|iri| {
            NamedNode::new(iri).map_err(|e| BulkError::BadGraph {
                iri: iri.to_owned(),
                reason: e.to_string(),
            })
        })
        .transpose()?;
    let count = Arc::new(AtomicU64::new(0));
    let parsed = |path: &PathBuf| -> Result<_, BulkError> {
        let (format, gzipped) = rdf_file::format_of(path)?;
        let mut parser = RdfParser::from_format(format);
        if let Some(base) = options.base_iri {
            parser = parser.with_base_iri(base).map_err(|e| BulkError::BadBase {
                iri: base.to_owned(),
                reason: e.to_string(),
            })?;
        }
        if let Some(graph) = &graph {
            parser = parser.with_default_graph(graph.clone());
        }
        let reader = rdf_file::open(path, gzipped)?;
        let counter = Arc::clone(&count);
        Ok(parser
            .rename_blank_nodes()
            .for_reader(reader)
            .inspect(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            }))
    };
    let syntax = |path: &PathBuf, e: &RdfParseError| BulkError::Syntax {
        path: path.clone(),
        message: describe_parse_error(e),
    };
    if !storage.capabilities().bulk_load || storage.hub.wants_transaction() {
        // A consumer follows writes inside transactions: one transaction for every file.
        storage.write(cause, |tx| {
            for path in files {
                for quad in parsed(path)? {
                    let quad = quad.map_err(|e| syntax(path, &e))?;
                    tx.insert(quad.as_ref())?;
                }
            }
            Ok::<_, BulkError>(())
        })?;
        return Ok(count.load(Ordering::Relaxed));
    }
    let graphs = Arc::new(Mutex::new(HashSet::<GraphName>::new()));
    let progress = Arc::clone(&options.on_progress);
    let mut loader = storage.bulk_loader().on_progress(move |n| progress(n));
    for path in files {
        let seen = Arc::clone(&graphs);
        let mut last_graph: Option<GraphName> = None;
        let quads = parsed(path)?.inspect(move |quad| {
            if let Ok(quad) = quad
                && last_graph.as_ref() != Some(&quad.graph_name)
            {
                last_graph = Some(quad.graph_name.clone());
                seen.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(quad.graph_name.clone());
            }
        });
        loader
            .load_ok_quads::<RdfParseError, LoadFailure>(quads)
            .map_err(|e| match e {
                LoadFailure::Parse(e) => syntax(path, &e),
                LoadFailure::Storage(e) => BulkError::Storage(e.into()),
            })?;
    }
    loader.commit().map_err(StoreError::from)?;
    let graphs = std::mem::take(
        &mut *graphs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    storage.published(cause, ChangedGraphs::Listed(graphs));
    Ok(count.load(Ordering::Relaxed))
}

enum LoadFailure {
    Parse(RdfParseError),
    Storage(StorageError),
}

impl From<RdfParseError> for LoadFailure {
    fn from(e: RdfParseError) -> Self {
        Self::Parse(e)
    }
}

impl From<StorageError> for LoadFailure {
    fn from(e: StorageError) -> Self {
        Self::Storage(e)
    }
}

/// The parser's message, which names line and column for the Turtle family; other syntaxes get
/// the location added (1-based, as editors count).
pub fn describe_parse_error(error: &RdfParseError) -> String {
    match error {
        RdfParseError::Syntax(e) => {
            let message = e.to_string();
            match e.location() {
                Some(range) if !message.contains("line") => format!(
                    "{message} (line {}, column {})",
                    range.start.line + 1,
                    range.start.column + 1
                ),
                _ => message,
            }
        }
        RdfParseError::Io(e) => format!("read error: {e}"),
    }
}

/// Writes the whole store as N-Quads or TriG; returns the number of quads written.
pub fn dump(storage: &Storage, format: RdfFormat, writer: impl Write) -> Result<u64, BulkError> {
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format).for_writer(writer);
    let mut count = 0;
    for quad in storage.all_quads() {
        serializer.serialize_quad(&quad?)?;
        count += 1;
    }
    serializer.finish()?.flush()?;
    Ok(count)
}
