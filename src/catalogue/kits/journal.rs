//! Kit imports are all or nothing, across crashes too. Before the first write, the import
//! records what it is about to create (`kit-import.pending.json` in the data folder); it removes
//! the record once the use case, its last write, is committed. A record found at start belongs
//! to an import that stopped half-way: if its use case is not there, the mappings it created
//! are removed, so no half kit stays installed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalogue::use_cases::Catalog;
use crate::core::ids::MappingId;
use crate::core::ids::UseCaseId;
use crate::pipeline::ingest::registry::{Registry, RegistryError};

pub const FILE_NAME: &str = "kit-import.pending.json";

/// What one import is creating.
#[derive(Debug, Serialize, Deserialize)]
pub struct Pending {
    pub use_case: String,
    pub mappings: Vec<String>,
}

/// The record of an import in progress; `None` path: a memory store, nothing to recover.
pub struct Journal {
    path: Option<PathBuf>,
}

impl Journal {
    pub fn begin(folder: Option<&Path>, pending: &Pending) -> std::io::Result<Self> {
        let path = folder.map(|f| f.join(FILE_NAME));
        if let Some(path) = &path {
            let bytes = serde_json::to_vec_pretty(pending).map_err(std::io::Error::other)?;
            crate::core::durable::write_file(path, &bytes)?;
        }
        Ok(Self { path })
    }

    /// The import is complete (or undone): forget it.
    pub fn end(self) -> std::io::Result<()> {
        match &self.path {
            Some(path) => remove(path),
            None => Ok(()),
        }
    }
}

fn remove(path: &Path) -> std::io::Result<()> {
    std::fs::remove_file(path)?;
    match path.parent() {
        Some(folder) => crate::core::durable::sync_folder(folder),
        None => Ok(()),
    }
}

/// At start: finishes or undoes an import a crash interrupted. Returns the mappings removed.
pub fn recover(
    folder: &Path,
    registry: &Registry,
    catalog: &Catalog,
) -> Result<Vec<String>, RecoverError> {
    let path = folder.join(FILE_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(RecoverError::Io(e)),
    };
    let pending: Pending =
        serde_json::from_slice(&bytes).map_err(|e| RecoverError::Damaged(e.to_string()))?;
    let use_case =
        UseCaseId::parse(&pending.use_case).map_err(|e| RecoverError::Damaged(e.0.clone()))?;
    let mut removed = Vec::new();
    if catalog
        .get(&use_case)
        .map_err(RecoverError::Catalog)?
        .is_none()
    {
        for id in &pending.mappings {
            let Ok(id) = MappingId::parse(id) else {
                continue;
            };
            match registry.delete(&id, "citykg") {
                Ok(()) => removed.push(id.to_string()),
                Err(RegistryError::NotFound(_)) => {}
                Err(e) => return Err(RecoverError::Registry(e)),
            }
        }
    }
    remove(&path).map_err(RecoverError::Io)?;
    Ok(removed)
}

#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    #[error("cannot read or remove the pending kit import record: {0}")]
    Io(std::io::Error),
    #[error("the pending kit import record is damaged ({0}); remove {FILE_NAME} by hand")]
    Damaged(String),
    #[error(transparent)]
    Registry(RegistryError),
    #[error(transparent)]
    Catalog(crate::catalogue::use_cases::CatalogError),
}
