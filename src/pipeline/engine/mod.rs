//! The engine: a checked mapping x records -> quads, pushed one at a time into a [`QuadSink`].
//!
//! `plan` compiles the mapping once (grouping maps by source, interning references); `run`
//! reads each source once, builds join indexes first, and writes through `dedup` so the
//! output is a set. Errors say which side failed: the mapping or payload (fix the input) or the
//! sink (fix the disk or store).

mod dedup;
mod functions;
mod gather;
mod join;
pub mod plan;
mod terms;
mod writer;

use std::io::BufRead;

use std::collections::HashMap;

use self::dedup::Dedup;
use self::gather::Collections;
use self::join::JoinIndexes;
use self::plan::{IteratorPlan, Plan};
use self::terms::TermContext;
use self::writer::{Buffers, Writer};
use crate::pipeline::mapping::check::CheckedMapping;
use crate::pipeline::mapping::functions::CallContext;
use crate::pipeline::payload::source::FileSource;
use crate::pipeline::payload::{PayloadError, ReadError, Record, Value};
use crate::pipeline::quads::{QuadSink, SinkError};

pub use self::terms::percent_encode;

/// Gives the bytes of a file source: the CLI resolves paths under allowed folders, the service
/// hands over the request body. The engine never opens files itself.
pub trait SourceOpener {
    fn open(&self, source: &FileSource) -> Result<Box<dyn BufRead + '_>, PayloadError>;
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Payload(#[from] PayloadError),
    /// A source could not be opened or read; says which.
    #[error("{path}: {error}")]
    Source { path: String, error: PayloadError },
    #[error("record {record} of {source_path}: {error}")]
    InRecord {
        record: u64,
        source_path: String,
        #[source]
        error: Box<EngineError>,
    },
    #[error("{place}: {message}")]
    Data { place: String, message: String },
    #[error("{place}: {message}")]
    InvalidIri { place: String, message: String },
    #[error("{place}: {message}")]
    Function { place: String, message: String },
    #[error("cannot run this mapping: {0}")]
    Unsupported(String),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

impl EngineError {
    /// Whether the sink (disk, store) failed rather than the mapping or the payload.
    pub fn is_sink(&self) -> bool {
        match self {
            Self::Sink(_) => true,
            Self::InRecord { error, .. } => error.is_sink(),
            _ => false,
        }
    }
}

pub struct RunOptions<'a> {
    /// Base IRI for relative generated IRIs (a triples map's `rml:baseIRI` wins).
    pub base_iri: &'a str,
    pub sources: &'a dyn SourceOpener,
    /// What the run declares to functions (the zone of naive times).
    pub calls: CallContext,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Records read by output passes (a record seen by two iterators counts twice).
    pub records: u64,
    pub quads: u64,
    /// Quads held for de-duplication at the end of the run.
    pub remembered: usize,
}

/// Compiles and runs a mapping. Nothing is pushed into `sink` before the mapping compiled.
pub fn run(
    checked: &CheckedMapping,
    options: &RunOptions<'_>,
    sink: &mut dyn QuadSink,
) -> Result<RunStats, EngineError> {
    let plan = plan::build(checked, options.base_iri, options.calls)?;
    run_plan(&plan, options, sink)
}

pub fn run_plan(
    plan: &Plan,
    options: &RunOptions<'_>,
    sink: &mut dyn QuadSink,
) -> Result<RunStats, EngineError> {
    let mut indexes = JoinIndexes::new(plan.join_count);
    let mut fresh = 0u64;
    let mut unused_collections = Collections::default();
    for pass in &plan.index_passes {
        read_pass(pass, options, |iterator, record| {
            let mut context = TermContext {
                base_iri: options.base_iri,
                fresh: &mut fresh,
                collections: &mut unused_collections,
            };
            for builder in &iterator.index_builders {
                indexes.add(builder, record, &mut context)?;
            }
            Ok(())
        })?;
    }
    let mut writer = Writer {
        sink,
        dedup: Dedup::default(),
        stats: RunStats::default(),
        fresh: &mut fresh,
        indexes: &indexes,
        buffers: Buffers::default(),
        collections: Collections::default(),
        collection_graphs: HashMap::new(),
    };
    for pass in &plan.output_passes {
        read_pass(pass, options, |iterator, record| {
            writer.stats.records += 1;
            for map in &iterator.maps {
                writer.map(map, record)?;
            }
            Ok(())
        })?;
    }
    writer.finish_collections()?;
    writer.stats.remembered = writer.dedup.remembered();
    Ok(writer.stats)
}

fn read_pass(
    pass: &plan::SourcePass,
    options: &RunOptions<'_>,
    mut each: impl FnMut(&IteratorPlan, &dyn Record) -> Result<(), EngineError>,
) -> Result<(), EngineError> {
    let input = options
        .sources
        .open(&pass.source)
        .map_err(|error| EngineError::Source {
            path: pass.source.path.clone(),
            error,
        })?;
    let specs: Vec<_> = pass.iterators.iter().map(|i| i.spec.clone()).collect();
    let mut record_number = 0u64;
    let result =
        crate::pipeline::payload::read_records(&pass.format, input, &specs, |index, record| {
            record_number += 1;
            let Some(iterator) = pass.iterators.get(index) else {
                return Ok(());
            };
            let outcome = if iterator.null_values.is_empty() {
                each(iterator, record)
            } else {
                each(
                    iterator,
                    &WithoutNulls {
                        record,
                        nulls: &iterator.null_values,
                    },
                )
            };
            outcome.map_err(|error| match error {
                EngineError::Sink(sink) => EngineError::Sink(sink),
                error => EngineError::InRecord {
                    record: record_number,
                    source_path: pass.source.path.clone(),
                    error: Box::new(error),
                },
            })
        });
    match result {
        Ok(()) => Ok(()),
        Err(ReadError::Payload(error)) => Err(EngineError::Source {
            path: pass.source.path.clone(),
            error,
        }),
        Err(ReadError::Visit(e)) => Err(e),
    }
}

/// `rml:null`: values equal to one of the source's NULL markers count as absent.
struct WithoutNulls<'a> {
    record: &'a dyn Record,
    nulls: &'a [String],
}

impl Record for WithoutNulls<'_> {
    fn values<'r>(&'r self, reference: usize, out: &mut Vec<Value<'r>>) {
        let start = out.len();
        self.record.values(reference, out);
        let mut i = start;
        while i < out.len() {
            if out
                .get(i)
                .is_some_and(|v| self.nulls.iter().any(|n| *n == v.text))
            {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
}
