//! What the registry hands to ingest: a registered mapping, checked and ready to run.

use std::sync::Arc;

use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

use crate::mapping::check::CheckedMapping;

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

/// A mapping id: lowercase letters, digits, `-`, `_`, `.`, and `/` between segments
/// (`builtin/ttn-v3`, `city/parking-2024`), at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MappingId(String);

#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` is not a mapping id: use lowercase letters, digits, `-`, `_`, `.` and `/` between segments (at most 100 characters)"
)]
pub struct BadMappingId(pub String);

impl MappingId {
    pub fn parse(text: &str) -> Result<Self, BadMappingId> {
        let segment_ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                })
        };
        if text.len() <= 100 && text.split('/').all(segment_ok) {
            Ok(Self(text.to_owned()))
        } else {
            Err(BadMappingId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Built-in mappings (`builtin/...`) are read-only.
    pub fn is_builtin(&self) -> bool {
        self.0.starts_with("builtin/")
    }
}

impl TryFrom<String> for MappingId {
    type Error = BadMappingId;
    fn try_from(text: String) -> Result<Self, BadMappingId> {
        Self::parse(&text)
    }
}

impl From<MappingId> for String {
    fn from(id: MappingId) -> Self {
        id.0
    }
}

impl std::fmt::Display for MappingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_ids_are_plain_paths() {
        for good in ["ttn", "builtin/ttn-v3", "city/parking_2024.v2"] {
            assert!(MappingId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "A",
            "a//b",
            "../x",
            "a/../b",
            "a b",
            "/a",
            "a/",
            &"x".repeat(101),
        ] {
            assert!(MappingId::parse(bad).is_err(), "{bad}");
        }
        assert!(MappingId::parse("builtin/x").unwrap().is_builtin());
    }
}
