//! The registry on disk: `<location>/mappings/{id}/` holds `v{n}.ttl` or `v{n}.yml` per version
//! and `meta.json`. Files are written to a temporary name and renamed, so a crash leaves either
//! the old or the new state. Ids may contain `/`, so folders nest; removing one id never touches
//! another id's files.

use std::path::{Path, PathBuf};

use super::RegistryError;
use super::meta::{MappingMeta, MappingSyntax};
use crate::core::ids::MappingId;

const META: &str = "meta.json";

/// A mapping read back from disk: its metadata and the text of each version.
pub struct Stored {
    pub meta: MappingMeta,
    pub texts: Vec<(u32, String)>,
}

/// A stored mapping that could not be read at start.
#[derive(Debug, Clone)]
pub struct Damaged {
    /// The mapping id its folder stands for.
    pub id: String,
    pub reason: String,
}

pub struct Files {
    root: PathBuf,
}

impl Files {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn folder(&self, id: &MappingId) -> PathBuf {
        self.root.join(id.as_str())
    }

    /// Every mapping under the root, and the folders of those that cannot be read (a damaged
    /// `meta.json`, a missing version file: left as they are for the operator to repair); a
    /// missing root is an empty registry.
    pub fn load_all(&self) -> Result<(Vec<Stored>, Vec<Damaged>), RegistryError> {
        let mut found = Vec::new();
        let mut damaged = Vec::new();
        let mut pending = vec![self.root.clone()];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(RegistryError::Io { path: dir, source }),
            };
            for entry in entries {
                let path = entry
                    .map_err(|source| RegistryError::Io {
                        path: dir.clone(),
                        source,
                    })?
                    .path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.file_name().is_some_and(|n| n == META) {
                    match self.load(&dir) {
                        Ok(stored) => found.push(stored),
                        Err(error) => damaged.push(Damaged {
                            id: dir
                                .strip_prefix(&self.root)
                                .map(|p| p.to_string_lossy().replace('\\', "/"))
                                .unwrap_or_default(),
                            reason: error.to_string(),
                        }),
                    }
                }
            }
        }
        Ok((found, damaged))
    }

    fn load(&self, dir: &Path) -> Result<Stored, RegistryError> {
        let path = dir.join(META);
        let text = read(&path)?;
        let meta: MappingMeta =
            serde_json::from_str(&text).map_err(|source| RegistryError::Meta { path, source })?;
        let mut texts = Vec::new();
        for version in &meta.versions {
            let file = dir.join(file_name(version.version, version.syntax));
            texts.push((version.version, read(&file)?));
        }
        Ok(Stored { meta, texts })
    }

    /// Writes one version's file, then the metadata that names it.
    pub fn write(
        &self,
        meta: &MappingMeta,
        version: u32,
        syntax: MappingSyntax,
        text: &str,
    ) -> Result<(), RegistryError> {
        let dir = self.folder(&meta.id);
        crate::core::durable::create_folder(&dir).map_err(|source| RegistryError::Io {
            path: dir.clone(),
            source,
        })?;
        write_atomic(&dir.join(file_name(version, syntax)), text.as_bytes())?;
        let json = serde_json::to_vec_pretty(meta).map_err(|source| RegistryError::Meta {
            path: dir.join(META),
            source,
        })?;
        write_atomic(&dir.join(META), &json)
    }

    /// Removes the mapping's metadata first (so a half-done removal reads as removed), then its files.
    pub fn remove(&self, meta: &MappingMeta) -> Result<(), RegistryError> {
        let dir = self.folder(&meta.id);
        let meta_path = dir.join(META);
        std::fs::remove_file(&meta_path)
            .and_then(|()| crate::core::durable::sync_folder(&dir))
            .map_err(|source| RegistryError::Io {
                path: meta_path,
                source,
            })?;
        for version in &meta.versions {
            let _ = std::fs::remove_file(dir.join(file_name(version.version, version.syntax)));
        }
        // Fails when nested ids live below; that is fine.
        let _ = std::fs::remove_dir(&dir);
        Ok(())
    }
}

fn file_name(version: u32, syntax: MappingSyntax) -> String {
    format!("v{version}.{}", syntax.extension())
}

fn read(path: &Path) -> Result<String, RegistryError> {
    std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
        path: path.to_owned(),
        source,
    })
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), RegistryError> {
    crate::core::durable::write_file(path, bytes).map_err(|source| RegistryError::Io {
        path: path.to_owned(),
        source,
    })
}
