//! What the registry records about a mapping and each of its versions: the `meta.json` kept
//! beside the files, the JSON the API returns, and the source of the RDF mirror. Plain data, no I/O.

use serde::{Deserialize, Serialize};

use crate::core::ids::MappingId;
use crate::pipeline::ingest::model::ValidationPolicy;
use crate::pipeline::mapping::Syntax;

/// The language of a registered mapping file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MappingSyntax {
    /// RML in Turtle.
    Rml,
    Yarrrml,
}

impl MappingSyntax {
    pub fn parser(self) -> Syntax {
        match self {
            Self::Rml => Syntax::Rml,
            Self::Yarrrml => Syntax::Yarrrml,
        }
    }

    /// The extension of the stored file.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Rml => "ttl",
            Self::Yarrrml => "yml",
        }
    }

    /// The media type the file is served as.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Rml => "text/turtle",
            Self::Yarrrml => "application/yaml",
        }
    }
}

/// One interoperability warning: stored with the version, never a reason to refuse it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintWarning {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triples_map: Option<String>,
    /// The IRI (or predicate) the warning is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

/// One version of a mapping, as uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionMeta {
    pub version: u32,
    pub sha256: String,
    /// The name of the token that uploaded it (`citykg` for built-ins).
    pub author: String,
    /// xsd:dateTime, UTC.
    pub created: String,
    pub syntax: MappingSyntax,
    pub validation: ValidationPolicy,
    pub shapes: Vec<String>,
    pub target_graph: String,
    /// The source the request body feeds.
    pub payload_source: String,
    /// Every distinct source path the mapping reads.
    pub sources: Vec<String>,
    pub warnings: Vec<LintWarning>,
}

/// A mapping and all its versions (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingMeta {
    pub id: MappingId,
    pub read_only: bool,
    pub created: String,
    pub updated: String,
    pub versions: Vec<VersionMeta>,
}

impl MappingMeta {
    pub fn latest(&self) -> Option<&VersionMeta> {
        self.versions.last()
    }

    pub fn version(&self, n: u32) -> Option<&VersionMeta> {
        self.versions.iter().find(|v| v.version == n)
    }

    /// What `GET /mappings/{id}` answers: the latest version's fields at the top, every version below.
    pub fn summary(&self) -> Option<MappingSummary<'_>> {
        let latest = self.latest()?;
        Some(MappingSummary {
            id: &self.id,
            read_only: self.read_only,
            version: latest.version,
            sha256: &latest.sha256,
            author: &latest.author,
            created: &self.created,
            updated: &self.updated,
            syntax: latest.syntax,
            validation: latest.validation,
            shapes: &latest.shapes,
            target_graph: &latest.target_graph,
            payload_source: &latest.payload_source,
            sources: &latest.sources,
            warnings: &latest.warnings,
            versions: &self.versions,
        })
    }
}

#[derive(Debug, Serialize)]
pub struct MappingSummary<'a> {
    pub id: &'a MappingId,
    pub read_only: bool,
    pub version: u32,
    pub sha256: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub updated: &'a str,
    pub syntax: MappingSyntax,
    pub validation: ValidationPolicy,
    pub shapes: &'a [String],
    pub target_graph: &'a str,
    pub payload_source: &'a str,
    pub sources: &'a [String],
    pub warnings: &'a [LintWarning],
    pub versions: &'a [VersionMeta],
}
