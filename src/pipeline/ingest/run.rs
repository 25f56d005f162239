//! Ingest and preview: a payload through a registered mapping. Ingest writes the mapped quads
//! and the provenance record in one atomic commit (nothing on failure); preview writes nothing.

use std::io::BufRead;
use std::path::PathBuf;

use crate::storage::{Cause, Storage, StoreError};
use oxigraph::model::{Graph, GraphNameRef, Quad, QuadRef, Triple};
use oxigraph::sparql::CancellationToken;

use super::model::{RegisteredMapping, ValidationPolicy};
use super::provenance::{self, Activity, Record};
use crate::core::config::BaseIri;
use crate::pipeline::engine::{self, EngineError, RunOptions, SourceOpener};
use crate::pipeline::mapping::functions::CallContext;
use crate::pipeline::payload::resolve::{self, SourcePolicy};
use crate::pipeline::payload::source::FileSource;
use crate::pipeline::payload::{PayloadError, PayloadFormat};
use crate::pipeline::quads::{QuadSink, SinkError};
use crate::standards::shacl::{self, ReportSummary, ValidationReport};

/// How the request body is to be read, from its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    Json,
    JsonLines,
    Csv,
    Xml,
}

impl PayloadKind {
    pub fn from_media_type(media: &str) -> Option<Self> {
        Some(match media {
            "application/json"
            | "text/json"
            | "application/ld+json"
            | "application/geo+json"
            | "application/td+json" => Self::Json,
            "application/x-ndjson"
            | "application/jsonl"
            | "application/json-lines"
            | "application/x-jsonlines" => Self::JsonLines,
            "text/csv" => Self::Csv,
            "application/xml" | "text/xml" => Self::Xml,
            _ => return None,
        })
    }

    pub const MEDIA_TYPES: &'static [&'static str] = &[
        "application/json",
        "application/x-ndjson",
        "text/csv",
        "application/xml",
    ];
}

pub struct Context<'a> {
    pub store: &'a Storage,
    pub base: &'a BaseIri,
    /// Folder other (reference-data) sources may be read from; `None`: no such sources.
    pub reference_data: Option<PathBuf>,
    /// Folder of the shipped shapes (`ontologies/`).
    pub ontologies: PathBuf,
    /// Bytes a compressed payload or reference file may inflate to.
    pub inflate_limit: u64,
    /// Cancelled when the work must stop (its time limit): mapping stops at the next quad.
    pub stop: CancellationToken,
}

impl<'a> Context<'a> {
    /// The service's context: its store, base IRI, reference-data and shapes folders; a
    /// payload decompressed may be no larger than the body limit.
    pub fn for_service(
        store: &'a Storage,
        settings: &'a crate::core::config::Settings,
        stop: CancellationToken,
    ) -> Self {
        Self {
            store,
            base: &settings.base_iri,
            reference_data: settings.reference_data_folder(),
            ontologies: settings.ontologies.clone(),
            inflate_limit: settings.limits.max_body_bytes as u64,
            stop,
        }
    }
}

pub struct Payload<'a> {
    pub bytes: &'a [u8],
    pub kind: PayloadKind,
    /// The request's `charset`, when it gave one.
    pub charset: Option<&'a str>,
    /// The zone the sender declares for times written without one (`timezone` parameter).
    pub zone: Option<oxsdatatypes::TimezoneOffset>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The payload (or the mapping on this payload) failed: keep it in the quarantine.
    #[error("{0}")]
    Mapping(EngineError),
    /// The payload's kind does not fit the mapping's payload source.
    #[error(
        "a {got:?} payload cannot feed this mapping, whose payload source is read as {expected}"
    )]
    WrongKind { got: PayloadKind, expected: String },
    /// Not one record of the payload matched the mapping's iterators: most likely a payload of
    /// another format (a DATEX II v3 file sent to the v2 mapping). Kept rather than answered
    /// "0 quads stored", which would lose it silently.
    #[error(
        "the mapping's iterators matched no record in this payload; is it the format this mapping reads?"
    )]
    NothingMatched,
    /// The mapped data has violations of the shapes and the mapping's policy is `reject`.
    #[error("the mapped data does not conform to the shapes {shapes:?}: {summary:?}")]
    Rejected {
        shapes: Vec<String>,
        summary: ReportSummary,
    },
    /// The mapping's shapes could not be loaded.
    #[error("{0}")]
    Shapes(String),
    /// The work was stopped (its time limit was reached) before anything was stored.
    #[error("the ingest was stopped at its time limit before anything was stored")]
    Stopped,
    #[error("storage error: {0}")]
    Storage(#[from] StoreError),
}

impl IngestError {
    /// Whether the payload should go to the quarantine (it, not the server, is at fault).
    pub fn quarantines(&self) -> bool {
        match self {
            Self::Mapping(error) => !error.is_sink(),
            Self::WrongKind { .. } | Self::NothingMatched | Self::Rejected { .. } => true,
            Self::Shapes(_) | Self::Storage(_) | Self::Stopped => false,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub record: Record,
    /// Present when the mapping validates (`warn` or `reject`).
    pub validation: Option<ReportSummary>,
    /// Whether this answer repeats an earlier ingest with the same Idempotency-Key.
    pub replayed: bool,
}

/// The mapped quads of a payload, and the validation report when the mapping asks for one.
pub struct Mapped {
    pub quads: Vec<Quad>,
    pub records: u64,
    pub report: Option<ValidationReport>,
}

/// Idempotency keys being ingested in this process, per mapping. The service is one process, so
/// this closes the window between looking a key up and committing its record.
static KEYS_IN_FLIGHT: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
static KEY_RELEASED: std::sync::Condvar = std::sync::Condvar::new();

struct KeyClaim {
    entry: (String, String),
}

impl KeyClaim {
    /// Waits until no other ingest holds this key for this mapping, then holds it.
    fn take(mapping: &str, key: &str) -> Self {
        let entry = (mapping.to_owned(), key.to_owned());
        let mut held = KEYS_IN_FLIGHT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while held.contains(&entry) {
            held = KEY_RELEASED
                .wait(held)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        held.push(entry.clone());
        Self { entry }
    }
}

impl Drop for KeyClaim {
    fn drop(&mut self) {
        let mut held = KEYS_IN_FLIGHT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.retain(|e| *e != self.entry);
        KEY_RELEASED.notify_all();
    }
}

/// Maps the payload without storing anything.
pub fn preview(
    context: &Context<'_>,
    mapping: &RegisteredMapping,
    payload: &Payload<'_>,
) -> Result<Mapped, IngestError> {
    let (quads, records) = map(context, mapping, payload)?;
    let report = if mapping.validation == ValidationPolicy::None || mapping.shapes.is_empty() {
        None
    } else {
        Some(validate(context, mapping, &quads)?.ok_or(IngestError::Stopped)?)
    };
    Ok(Mapped {
        quads,
        records,
        report,
    })
}

/// Maps the payload and stores the quads with their provenance record, in one atomic commit.
pub fn ingest(
    context: &Context<'_>,
    mapping: &RegisteredMapping,
    payload: &Payload<'_>,
    cause: Cause,
    idempotency_key: Option<&str>,
) -> Result<Outcome, IngestError> {
    // Two requests with one key at once: the second waits for the first to commit, then finds
    // its record, instead of both storing the payload.
    let _claim = idempotency_key.map(|key| KeyClaim::take(mapping.id.as_str(), key));
    if let Some(key) = idempotency_key
        && let Some(record) =
            provenance::find_by_key(context.store, context.base, &mapping.id, key)?
    {
        return Ok(Outcome {
            record,
            validation: None,
            replayed: true,
        });
    }
    let started = crate::core::clock::now();
    let mut mapped = preview(context, mapping, payload)?;
    // `reject` keeps out data with violations; warnings and infos are reported, not refused.
    if mapping.validation == ValidationPolicy::Reject
        && let Some(report) = &mapped.report
        && report.violations() > 0
    {
        return Err(IngestError::Rejected {
            shapes: mapping.shapes.clone(),
            summary: report.summary(),
        });
    }
    let ended = crate::core::clock::now();
    let payload_sha256 = crate::core::digest::hex_sha256(payload.bytes);
    let activity_iri = provenance::new_activity_iri(context.base);
    let activity = Activity {
        base: context.base,
        mapping,
        agent: &cause.agent,
        payload_sha256: &payload_sha256,
        payload_size: payload.bytes.len() as u64,
        records: mapped.records,
        quads: mapped.quads.len() as u64,
        started: &started,
        ended: &ended,
        idempotency_key,
    };
    let quads = mapped.quads.len() as u64;
    let agent = cause.agent.clone();
    mapped.quads.extend(activity.quads(&activity_iri));
    context.store.commit_quads(cause, &mapped.quads)?;
    Ok(Outcome {
        record: Record {
            activity: activity_iri.as_str().to_owned(),
            mapping: crate::core::ids::mapping_iri(context.base, &mapping.id)
                .as_str()
                .to_owned(),
            mapping_version: mapping.version,
            records: mapped.records,
            quads,
            target_graph: mapping.target_graph.as_str().to_owned(),
            payload_sha256,
            payload_size: payload.bytes.len() as u64,
            started,
            ended,
            agent,
        },
        validation: mapped.report.as_ref().map(ValidationReport::summary),
        replayed: false,
    })
}

/// Runs the mapping over the payload into memory (a payload is bounded by the body limit).
/// Quads the mapping leaves in the default graph go to the mapping's target graph.
fn map(
    context: &Context<'_>,
    mapping: &RegisteredMapping,
    payload: &Payload<'_>,
) -> Result<(Vec<Quad>, u64), IngestError> {
    let calls = CallContext {
        naive_time_zone: payload.zone,
    };
    let mut plan = engine::plan::build(&mapping.checked, context.base.join("").as_str(), calls)
        .map_err(IngestError::Mapping)?;
    for pass in plan
        .index_passes
        .iter_mut()
        .chain(plan.output_passes.iter_mut())
    {
        if pass.source.path == mapping.payload_source {
            pass.format = payload_format(&pass.format, payload.kind)?;
        }
    }
    let opener = Opener {
        payload_source: &mapping.payload_source,
        payload: payload.bytes,
        charset: payload.charset,
        policy: SourcePolicy::new(context.reference_data.clone())
            .with_inflate_limit(context.inflate_limit),
        inflate_limit: context.inflate_limit,
        reference_data: context.reference_data.as_deref(),
    };
    let mut sink = IntoGraph {
        target: mapping.target_graph.as_ref().into(),
        quads: Vec::new(),
        stop: &context.stop,
    };
    let base = context.base.join("");
    let stats = engine::run_plan(
        &plan,
        &RunOptions {
            base_iri: &base,
            sources: &opener,
            calls,
        },
        &mut sink,
    )
    .map_err(|error| {
        if error.is_sink() && context.stop.is_cancelled() {
            IngestError::Stopped
        } else {
            IngestError::Mapping(error)
        }
    })?;
    // Graph maps filled from the payload may not reach the graphs citykg keeps itself.
    let reserved = sink.quads.iter().find(|q| match &q.graph_name {
        oxigraph::model::GraphName::NamedNode(g) => {
            crate::core::graphs::is_reserved(context.base, g.as_str())
        }
        _ => false,
    });
    if let Some(quad) = reserved {
        return Err(IngestError::Mapping(EngineError::Data {
            place: "graph map".into(),
            message: format!(
                "{} is one of citykg's own graphs; ingest writes under graph/source/ or outside graph/",
                quad.graph_name
            ),
        }));
    }
    if stats.records == 0 && !is_empty_batch(payload) {
        return Err(IngestError::NothingMatched);
    }
    Ok((sink.quads, stats.records))
}

/// A batch with no records on purpose: nothing but white space, an empty JSON array, or a CSV
/// header alone.
fn is_empty_batch(payload: &Payload<'_>) -> bool {
    let text = payload.bytes.trim_ascii();
    match payload.kind {
        PayloadKind::Json => {
            text.is_empty()
                || (text.starts_with(b"[")
                    && text.ends_with(b"]")
                    && text[1..text.len() - 1].trim_ascii().is_empty())
        }
        PayloadKind::Csv => {
            text.split(|byte| *byte == b'\n')
                .filter(|line| !line.trim_ascii().is_empty())
                .count()
                <= 1
        }
        PayloadKind::JsonLines | PayloadKind::Xml => text.is_empty(),
    }
}

/// The format the mapping reads its payload source with, adjusted to the body's kind: a JSON
/// mapping also reads JSON Lines (its iterators apply to each line).
fn payload_format(mapped: &PayloadFormat, kind: PayloadKind) -> Result<PayloadFormat, IngestError> {
    let fits = matches!(
        (mapped, kind),
        (
            PayloadFormat::Json | PayloadFormat::JsonLines,
            PayloadKind::Json | PayloadKind::JsonLines
        ) | (PayloadFormat::Csv(_), PayloadKind::Csv)
            | (PayloadFormat::Xml { .. }, PayloadKind::Xml)
    );
    if !fits {
        return Err(IngestError::WrongKind {
            got: kind,
            expected: match mapped {
                PayloadFormat::Json | PayloadFormat::JsonLines => "JSON or JSON Lines",
                PayloadFormat::Csv(_) => "CSV",
                PayloadFormat::Xml { .. } => "XML",
            }
            .to_owned(),
        });
    }
    Ok(match kind {
        PayloadKind::Json => PayloadFormat::Json,
        PayloadKind::JsonLines => PayloadFormat::JsonLines,
        _ => mapped.clone(),
    })
}

/// `None` when the work was stopped first.
fn validate(
    context: &Context<'_>,
    mapping: &RegisteredMapping,
    quads: &[Quad],
) -> Result<Option<ValidationReport>, IngestError> {
    let shapes = crate::standards::shacl::shipped::load(&context.ontologies, &mapping.shapes)
        .map_err(|e| IngestError::Shapes(e.to_string()))?;
    let graph: Graph = quads.iter().map(|q| Triple::from(q.clone())).collect();
    match shacl::validate_until(&shapes, &graph, &context.stop) {
        Ok(report) => Ok(report),
        Err(never) => match never {},
    }
}

/// The request body for the payload source; reference data from its folder; nothing else.
struct Opener<'a> {
    payload_source: &'a str,
    payload: &'a [u8],
    charset: Option<&'a str>,
    policy: SourcePolicy,
    reference_data: Option<&'a std::path::Path>,
    inflate_limit: u64,
}

impl SourceOpener for Opener<'_> {
    fn open(&self, source: &FileSource) -> Result<Box<dyn BufRead + '_>, PayloadError> {
        if source.path == self.payload_source {
            return Ok(
                match resolve::payload(self.payload, source, self.charset, self.inflate_limit)? {
                    Some(decoded) => decoded,
                    None => Box::new(self.payload),
                },
            );
        }
        let Some(folder) = self.reference_data else {
            return Err(PayloadError::Refused {
                reason: format!(
                    "the source `{}` is not the payload, and no reference-data folder is configured",
                    source.path
                ),
            });
        };
        let mut source = source.clone();
        source.root = crate::pipeline::payload::source::SourceRoot::MappingDirectory;
        resolve::open(&source, folder, &self.policy)
    }
}

struct IntoGraph<'a> {
    target: GraphNameRef<'a>,
    quads: Vec<Quad>,
    stop: &'a CancellationToken,
}

/// What a stopped sink answers; `map` turns it into `IngestError::Stopped`.
#[derive(Debug, thiserror::Error)]
#[error("stopped")]
struct Stopped;

impl QuadSink for IntoGraph<'_> {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError> {
        if self.stop.is_cancelled() {
            return Err(SinkError(Box::new(Stopped)));
        }
        let graph = if quad.graph_name.is_default_graph() {
            self.target
        } else {
            quad.graph_name
        };
        self.quads
            .push(QuadRef::new(quad.subject, quad.predicate, quad.object, graph).into_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
