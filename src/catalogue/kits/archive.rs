//! A kit on the wire: a gzip-compressed tar archive of plain files. Reading is defensive: the
//! archive comes from another instance or a person, so entry names, counts and sizes are
//! checked before anything is kept, and nothing is ever written to disk from it.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::KitError;

/// What a kit may hold; a kit over these is refused whole.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    pub max_entries: usize,
    /// Uncompressed bytes over all entries (a gzip bomb stops here, not in memory).
    pub max_total_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_entries: 512,
            max_total_bytes: 64 << 20,
        }
    }
}

/// Files by relative path (`mappings/city/air.yml`), in a stable order.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Writes the files as `.tar.gz`; modification times are fixed so the same kit gives the
/// same bytes.
pub fn write(files: &Files) -> Result<Vec<u8>, KitError> {
    let encoder = GzEncoder::new(Vec::new(), Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for (path, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, bytes.as_slice())
            .map_err(KitError::Write)?;
    }
    let encoder = builder.into_inner().map_err(KitError::Write)?;
    let mut bytes = encoder.finish().map_err(KitError::Write)?;
    bytes.flush().map_err(KitError::Write)?;
    Ok(bytes)
}

/// Reads a `.tar.gz` kit into memory: regular files only, safe relative names, within limits.
pub fn read(bytes: &[u8], limits: ArchiveLimits) -> Result<Files, KitError> {
    // Every byte the decoder gives counts, tar's own extension headers (GNU long names, PAX)
    // included: the crate reads those whole before the entry is seen.
    let mut archive = tar::Archive::new(crate::core::capped::CappedReader::new(
        GzDecoder::new(bytes),
        limits.max_total_bytes,
    ));
    let entries = archive.entries().map_err(archive_error)?;
    let mut files = Files::new();
    let mut total = 0_u64;
    for (index, entry) in entries.enumerate() {
        if index >= limits.max_entries {
            return Err(KitError::TooLarge(format!(
                "more than {} entries",
                limits.max_entries
            )));
        }
        let mut entry = entry.map_err(archive_error)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        let raw_path = entry
            .path()
            .map_err(|e| KitError::NotAnArchive(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        if !kind.is_file() {
            return Err(KitError::BadEntry {
                path: raw_path,
                reason: "is not a regular file (links and devices are refused)".to_owned(),
            });
        }
        let path = safe_path(&raw_path)?;
        let remaining = limits.max_total_bytes.saturating_sub(total);
        let mut content = Vec::new();
        (&mut entry)
            .take(remaining + 1)
            .read_to_end(&mut content)
            .map_err(archive_error)?;
        total += content.len() as u64;
        if total > limits.max_total_bytes {
            return Err(KitError::TooLarge(format!(
                "more than {} bytes once uncompressed",
                limits.max_total_bytes
            )));
        }
        if files.insert(path.clone(), content).is_some() {
            return Err(KitError::BadEntry {
                path,
                reason: "appears twice".to_owned(),
            });
        }
    }
    Ok(files)
}

/// An error reading the archive: past the size limit, or not a gzip-compressed tar.
fn archive_error(error: std::io::Error) -> KitError {
    if crate::core::capped::is_too_large(&error) {
        KitError::TooLarge(error.to_string())
    } else {
        KitError::NotAnArchive(error.to_string())
    }
}

/// A relative path of plain segments: no root, no `.`/`..`, no backslashes or control characters.
fn safe_path(raw: &str) -> Result<String, KitError> {
    let path = raw.strip_prefix("./").unwrap_or(raw);
    let bad = |reason: &str| KitError::BadEntry {
        path: raw.to_owned(),
        reason: reason.to_owned(),
    };
    if path.is_empty() || path.starts_with('/') {
        return Err(bad("is not a relative path"));
    }
    if path.contains('\\') || path.chars().any(char::is_control) {
        return Err(bad("holds a backslash or a control character"));
    }
    if path
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err(bad("has an empty, `.` or `..` segment"));
    }
    Ok(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_written_kit_reads_back_the_same_files_and_bytes_are_stable() {
        let original = files(&[
            ("citykg-kit.json", "{}"),
            ("mappings/city/air.yml", "mappings: {}"),
            ("queries/daily.rq", "SELECT * {}"),
        ]);
        let bytes = write(&original).unwrap();
        assert_eq!(read(&bytes, ArchiveLimits::default()).unwrap(), original);
        assert_eq!(write(&original).unwrap(), bytes);
    }

    #[test]
    fn unsafe_names_are_refused() {
        for bad in ["/etc/passwd", "../up.txt", "a/../../b", "a//b", "a\\b", ""] {
            assert!(safe_path(bad).is_err(), "{bad:?}");
        }
        assert_eq!(safe_path("./use-case.ttl").unwrap(), "use-case.ttl");
    }

    #[test]
    fn limits_stop_big_and_crowded_kits() {
        let big = files(&[("a.txt", &"x".repeat(2_000))]);
        let limits = ArchiveLimits {
            max_entries: 10,
            max_total_bytes: 1_000,
        };
        let error = read(&write(&big).unwrap(), limits).unwrap_err();
        assert!(matches!(error, KitError::TooLarge(_)), "{error}");
        let many: Files = (0..11).map(|i| (format!("f{i}"), vec![b'x'])).collect();
        let error = read(&write(&many).unwrap(), limits).unwrap_err();
        assert!(matches!(error, KitError::TooLarge(_)), "{error}");
    }

    #[test]
    fn garbage_is_not_an_archive() {
        let error = read(b"not gzip at all", ArchiveLimits::default()).unwrap_err();
        assert!(matches!(error, KitError::NotAnArchive(_)), "{error}");
    }
}
