//! `citykg-kit.json`: what a kit holds and the SHA-256 of every file, so an importer can check
//! the archive is whole before it reads any of it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest's file name at the root of the archive.
pub const MANIFEST: &str = "citykg-kit.json";
/// The format this code writes and the only one it reads.
pub const FORMAT: &str = "https://w3id.org/citykg/kit/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The use case's id (`air-quality-kisumu`).
    pub use_case: String,
    /// The base IRI of the instance that exported it; the importer rebases IRIs under it.
    pub source_base: String,
    pub exported: String,
    pub generator: String,
    pub mappings: Vec<MappingEntry>,
    pub shapes: Vec<NamedFile>,
    pub samples: Vec<SampleEntry>,
    pub queries: Vec<NamedFile>,
    /// Every other file of the archive -> its SHA-256 (lowercase hex).
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MappingEntry {
    pub id: String,
    /// Built-ins travel by reference: the importer must ship the same one.
    pub builtin: bool,
    /// The mapping file in the archive (registered mappings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// SHA-256 of the mapping text, built-ins included, so a differing built-in is noticed.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedFile {
    pub name: String,
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SampleEntry {
    pub name: String,
    pub file: String,
    /// The registry id of the mapping the payload is for.
    pub mapping: String,
    pub media_type: String,
}
