//! Use-case kits: one archive with a use case, the mappings it uses, the shapes its data is
//! checked against, sample payloads and its named queries, so that a city can copy a working use
//! case from another. This module knows the archive and its manifest; `export.rs` gathers a kit
//! from a running instance and `import.rs` checks one whole before installing anything.

pub mod archive;
pub mod export;
pub mod import;
pub mod journal;

pub mod manifest;
pub mod parts;

use std::collections::BTreeSet;

use crate::core::digest::hex_sha256;

pub use archive::{ArchiveLimits, Files};
pub use manifest::{FORMAT, MANIFEST, Manifest};

/// Archive entries holding the use case itself.
pub const USE_CASE_TURTLE: &str = "use-case.ttl";
pub const USE_CASE_JSONLD: &str = "use-case.jsonld";

#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error("the body is not a gzip-compressed tar archive: {0}")]
    NotAnArchive(String),
    #[error("the kit is too large: {0}")]
    TooLarge(String),
    #[error("archive entry `{path}` {reason}")]
    BadEntry { path: String, reason: String },
    #[error("cannot write the kit archive: {0}")]
    Write(std::io::Error),
    /// The kit is readable but wrong; every problem, each naming its file.
    #[error("the kit cannot be installed: {} problem(s)", .0.len())]
    Invalid(Vec<KitProblem>),
}

/// One thing wrong with a kit, located by archive path (and line/column when a parser gave one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KitProblem {
    pub file: String,
    pub message: String,
}

impl KitProblem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            message: message.into(),
        }
    }
}

/// A kit read from an archive whose files match its manifest.
#[derive(Debug, Clone)]
pub struct Kit {
    pub manifest: Manifest,
    pub files: Files,
}

impl Kit {
    /// Builds the manifest's file table from the files and writes the archive.
    pub fn to_archive(mut manifest: Manifest, mut files: Files) -> Result<Vec<u8>, KitError> {
        files.remove(MANIFEST);
        manifest.files = files
            .iter()
            .map(|(path, bytes)| (path.clone(), hex_sha256(bytes)))
            .collect();
        let text = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| KitError::Write(std::io::Error::other(e)))?;
        files.insert(MANIFEST.to_owned(), text);
        archive::write(&files)
    }

    /// Reads an archive and checks it is whole: a manifest in this format, every file it names
    /// present with its digest, nothing unlisted. Every problem at once.
    pub fn from_archive(bytes: &[u8], limits: ArchiveLimits) -> Result<Self, KitError> {
        let mut files = archive::read(bytes, limits)?;
        let Some(manifest_bytes) = files.remove(MANIFEST) else {
            return Err(KitError::Invalid(vec![KitProblem::new(
                MANIFEST,
                "is missing: a kit starts with its manifest",
            )]));
        };
        let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| {
            KitError::Invalid(vec![KitProblem::new(
                MANIFEST,
                format!("is not a kit manifest: {e}"),
            )])
        })?;
        let problems = check_files(&manifest, &files);
        if problems.is_empty() {
            Ok(Self { manifest, files })
        } else {
            Err(KitError::Invalid(problems))
        }
    }

    pub fn text(&self, path: &str) -> Result<&str, KitProblem> {
        let bytes = self
            .files
            .get(path)
            .ok_or_else(|| KitProblem::new(path, "is missing"))?;
        std::str::from_utf8(bytes).map_err(|_| KitProblem::new(path, "is not UTF-8 text"))
    }
}

fn check_files(manifest: &Manifest, files: &Files) -> Vec<KitProblem> {
    let mut problems = Vec::new();
    if manifest.format != FORMAT {
        problems.push(KitProblem::new(
            MANIFEST,
            format!(
                "has format `{}`; this citykg reads `{FORMAT}`",
                manifest.format
            ),
        ));
    }
    for (path, digest) in &manifest.files {
        match files.get(path) {
            None => problems.push(KitProblem::new(
                path,
                "is listed in the manifest but not in the archive",
            )),
            Some(bytes) if hex_sha256(bytes) != *digest => problems.push(KitProblem::new(
                path,
                "does not match its SHA-256 in the manifest (altered or truncated)",
            )),
            Some(_) => {}
        }
    }
    for path in files.keys() {
        if !manifest.files.contains_key(path) {
            problems.push(KitProblem::new(path, "is not listed in the manifest"));
        }
    }
    let mut named = BTreeSet::new();
    let referenced = manifest
        .mappings
        .iter()
        .filter_map(|m| m.file.as_deref())
        .chain(manifest.shapes.iter().map(|s| s.file.as_str()))
        .chain(manifest.samples.iter().map(|s| s.file.as_str()))
        .chain(manifest.queries.iter().map(|q| q.file.as_str()))
        .chain([USE_CASE_TURTLE]);
    for path in referenced {
        if !named.insert(path) {
            problems.push(KitProblem::new(path, "is named twice in the manifest"));
        } else if !files.contains_key(path) {
            problems.push(KitProblem::new(
                path,
                "is named in the manifest but missing",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.to_owned(),
            use_case: "air".to_owned(),
            source_base: "http://a.test/".to_owned(),
            exported: "2026-11-25T00:00:00Z".to_owned(),
            generator: "citykg test".to_owned(),
            mappings: vec![],
            shapes: vec![],
            samples: vec![],
            queries: vec![manifest::NamedFile {
                name: "daily".to_owned(),
                file: "queries/daily.rq".to_owned(),
            }],
            files: Default::default(),
        }
    }

    fn files() -> Files {
        [
            (USE_CASE_TURTLE, "<a> <b> <c> ."),
            ("queries/daily.rq", "SELECT * {}"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.as_bytes().to_vec()))
        .collect()
    }

    #[test]
    fn a_kit_round_trips_through_its_archive() {
        let bytes = Kit::to_archive(manifest(), files()).unwrap();
        let kit = Kit::from_archive(&bytes, ArchiveLimits::default()).unwrap();
        assert_eq!(kit.files, files());
        assert_eq!(kit.manifest.files.len(), 2);
        assert_eq!(kit.text("queries/daily.rq").unwrap(), "SELECT * {}");
    }

    #[test]
    fn altered_missing_and_unlisted_files_are_all_reported() {
        let bytes = Kit::to_archive(manifest(), files()).unwrap();
        let mut entries = archive::read(&bytes, ArchiveLimits::default()).unwrap();
        entries.insert("queries/daily.rq".to_owned(), b"DROP ALL".to_vec());
        entries.insert("extra.txt".to_owned(), b"?".to_vec());
        entries.remove(USE_CASE_TURTLE);
        let tampered = archive::write(&entries).unwrap();
        let Err(KitError::Invalid(problems)) =
            Kit::from_archive(&tampered, ArchiveLimits::default())
        else {
            panic!("a tampered kit must be refused");
        };
        let files: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
        assert!(files.contains(&"queries/daily.rq"), "{problems:?}");
        assert!(files.contains(&"extra.txt"), "{problems:?}");
        assert!(files.contains(&USE_CASE_TURTLE), "{problems:?}");
    }

    #[test]
    fn an_unknown_format_or_no_manifest_is_refused() {
        let mut other = manifest();
        other.format = "https://example.org/kit/9".to_owned();
        let bytes = Kit::to_archive(other, files()).unwrap();
        let Err(KitError::Invalid(problems)) = Kit::from_archive(&bytes, ArchiveLimits::default())
        else {
            panic!("an unknown format must be refused");
        };
        assert_eq!(problems[0].file, MANIFEST);
        let bare = archive::write(&files()).unwrap();
        assert!(matches!(
            Kit::from_archive(&bare, ArchiveLimits::default()),
            Err(KitError::Invalid(_))
        ));
    }
}
