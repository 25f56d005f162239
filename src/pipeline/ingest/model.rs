//! What the registry hands to ingest: a registered mapping, checked and ready to run.

use std::sync::Arc;

use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

use crate::core::ids::MappingId;
use crate::pipeline::mapping::check::CheckedMapping;

/// What ingest does with data that fails the mapping's shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ValidationPolicy {
    /// No validation.
    #[default]
    None,
    /// Validate, store anyway, report the result.
    Warn,
    /// Validate; data that does not conform is not stored (the payload goes to the quarantine).
    Reject,
}

/// One version of a registered mapping, checked and ready to run many times.
#[derive(Debug, Clone)]
pub struct RegisteredMapping {
    pub id: MappingId,
    /// 1, 2, ... — every replace makes a new version.
    pub version: u32,
    pub checked: Arc<CheckedMapping>,
    /// The file path (as the mapping writes it) of the source the request body feeds.
    pub payload_source: String,
    /// Where ingested quads go unless the mapping's graph maps say otherwise.
    pub target_graph: NamedNode,
    pub validation: ValidationPolicy,
    /// Shipped shape sets to validate against (names in `ontologies/shapes/`).
    pub shapes: Vec<String>,
    /// SHA-256 of the mapping file, hex.
    pub sha256: String,
}
