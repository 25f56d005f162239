//! The only way from a mapping's file source to bytes. A path is resolved against its root,
//! normalised, checked against the allowed folders, canonicalised (following symbolic links)
//! and checked again; anything outside is refused, whether it exists or not. Then the bytes are
//! decompressed and decoded to UTF-8 as the source says.
//!
//! Overrides (`citykg map --input NAME=PATH`) replace a source's path by one the operator gave;
//! they are trusted operator input and are not checked against the allowed folders.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Component, Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::core::capped::{CappedReader, CappedVec};

use super::PayloadError;
use crate::pipeline::payload::source::{Compression, FileSource, SourceRoot};

mod archive;
mod decode;

/// Where source files may be read from, and which sources are replaced by other files.
#[derive(Debug, Clone, Default)]
pub struct SourcePolicy {
    allowed: Vec<PathBuf>,
    overrides: Vec<(String, PathBuf)>,
    /// Bytes a compressed source may inflate to (the service's; none for the CLI's own files).
    inflate_limit: Option<u64>,
}

impl SourcePolicy {
    /// A policy allowing the files under `folders` (and nothing else).
    pub fn new(folders: impl IntoIterator<Item = PathBuf>) -> Self {
        Self {
            allowed: folders.into_iter().collect(),
            overrides: Vec::new(),
            inflate_limit: None,
        }
    }

    /// Refuses compressed sources that inflate to more than `limit` bytes.
    #[must_use]
    pub fn with_inflate_limit(mut self, limit: u64) -> Self {
        self.inflate_limit = Some(limit);
        self
    }

    /// Reads `path` instead of the source whose path or file name is `name`.
    #[must_use]
    pub fn with_override(mut self, name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.overrides.push((name.into(), path.into()));
        self
    }

    fn override_for(&self, source_path: &str) -> Option<&Path> {
        let file_name = Path::new(source_path)
            .file_name()
            .and_then(|name| name.to_str());
        self.overrides
            .iter()
            .find(|(name, _)| name == source_path || Some(name.as_str()) == file_name)
            .map(|(_, path)| path.as_path())
    }

    /// The canonical path of `path` if it lies inside an allowed folder.
    fn check(&self, path: &Path) -> Result<PathBuf, PayloadError> {
        let refused = |why: &str| PayloadError::Refused {
            reason: format!("the source `{}` {why}", path.display()),
        };
        let folders: Vec<PathBuf> = self
            .allowed
            .iter()
            .filter_map(|folder| folder.canonicalize().ok())
            .collect();
        // The lexical check compares with each folder as written too: an allowed folder may
        // itself be (or sit under) a symbolic link, which only the canonical check resolves.
        let written: Vec<PathBuf> = self
            .allowed
            .iter()
            .filter_map(|folder| std::path::absolute(folder).ok())
            .map(|folder| normalize(&folder))
            .collect();
        let lexical = normalize(path);
        if !folders
            .iter()
            .chain(&written)
            .any(|folder| lexical.starts_with(folder))
        {
            return Err(refused("is outside the folders sources may be read from"));
        }
        let canonical = path.canonicalize().map_err(PayloadError::Io)?;
        if !folders.iter().any(|folder| canonical.starts_with(folder)) {
            return Err(refused(
                "leads (through a symbolic link) outside the allowed folders",
            ));
        }
        if !canonical.is_file() {
            return Err(refused("is not a file"));
        }
        Ok(canonical)
    }
}

/// `path` with `.` and `..` resolved without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// Opens `source` as UTF-8 bytes: resolved against `mapping_dir` (or the working directory),
/// allowed by `policy`, decompressed and decoded.
pub fn open(
    source: &FileSource,
    mapping_dir: &Path,
    policy: &SourcePolicy,
) -> Result<Box<dyn BufRead>, PayloadError> {
    let path = match policy.override_for(&source.path) {
        Some(replacement) => absolute(replacement)?,
        None => {
            let root = match source.root {
                SourceRoot::MappingDirectory => absolute(mapping_dir)?,
                SourceRoot::CurrentWorkingDirectory => std::env::current_dir()?,
            };
            policy.check(&root.join(&source.path))?
        }
    };
    let file = File::open(&path)?;
    let bytes = decompress(
        BufReader::new(file),
        source.compression,
        &path,
        policy.inflate_limit,
    )?;
    decode::utf8(bytes, source.encoding.as_deref())
}

fn absolute(path: &Path) -> Result<PathBuf, PayloadError> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// The decompressed bytes of `input`; more than `limit` of them (when given) is an error while
/// reading, so a small archive cannot inflate without bound.
pub(crate) fn decompress(
    input: impl BufRead + 'static,
    compression: Compression,
    path: &Path,
    limit: Option<u64>,
) -> Result<Box<dyn BufRead>, PayloadError> {
    let limit = limit.unwrap_or(u64::MAX);
    let capped = |reader| CappedReader::new(reader, limit);
    Ok(match compression {
        Compression::None => Box::new(input),
        Compression::Gzip => Box::new(BufReader::new(capped(MultiGzDecoder::new(input)))),
        Compression::Zip => Box::new(BufReader::new(CappedReader::new(
            archive::first_zip_entry(input, path)?,
            limit,
        ))),
        Compression::TarGzip => Box::new(BufReader::new(archive::first_tar_entry(
            capped(MultiGzDecoder::new(input)),
            path,
        )?)),
        Compression::TarXz => {
            let mut input = input;
            let mut tar = CappedVec::new(limit);
            let invalid = |error: String| PayloadError::Refused {
                reason: format!("`{}` is not a valid xz archive: {error}", path.display()),
            };
            // lzma-rs 0.3 adds index sizes unchecked: a crafted stream panics on the overflow
            // (found by the `decompress` fuzz target). That is an invalid archive, not a crash,
            // and the payload must still reach the quarantine.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lzma_rs::xz_decompress(&mut input, &mut tar)
            }))
            .map_err(|_| invalid("its index overflows".to_owned()))?
            .map_err(|error| invalid(error.to_string()))?;
            Box::new(BufReader::new(archive::first_tar_entry(
                std::io::Cursor::new(tar.bytes),
                path,
            )?))
        }
    })
}

/// A request body as the mapping's payload source reads it: decompressed as the source says,
/// and decoded from the request's charset (else the source's declared encoding) to UTF-8.
/// `None` when the bytes can be read as they are.
pub fn payload(
    bytes: &[u8],
    source: &FileSource,
    charset: Option<&str>,
    inflate_limit: u64,
) -> Result<Option<Box<dyn BufRead>>, PayloadError> {
    let encoding = charset.or(source.encoding.as_deref());
    let utf8 =
        encoding.is_none_or(|e| e.eq_ignore_ascii_case("utf-8") || e.eq_ignore_ascii_case("utf8"));
    if source.compression == Compression::None && utf8 {
        return Ok(None);
    }
    let input = std::io::Cursor::new(bytes.to_vec());
    let decompressed = decompress(
        input,
        source.compression,
        Path::new("the request body"),
        Some(inflate_limit),
    )?;
    decode::utf8(decompressed, encoding).map(Some)
}

/// Reads everything (for tests and small sources).
#[cfg(test)]
pub(crate) fn read_all(mut input: Box<dyn BufRead>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests;
