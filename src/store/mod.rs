//! The store: opening oxigraph (RocksDB on disk or memory), the one way to run store work off the
//! async executor, and the store's error type. Only this module and its children call `Store`
//! methods that touch data; the HTTP layer goes through `run_blocking`.

pub mod bulk;
pub mod graphs;
pub mod pool;
pub mod sink;

use crate::config::StoreLocation;
use oxigraph::store::{StorageError, Store};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open { path: PathBuf, source: StorageError },
    #[error("storage error: {0}")]
    Storage(#[from] StorageError),
    #[error("the blocking task was cancelled or panicked")]
    Join,
}

/// The folder inside a data location where RocksDB keeps its files.
pub fn rocksdb_dir(location: &Path) -> PathBuf {
    location.join("store")
}

pub fn open(location: &StoreLocation) -> Result<Store, StoreError> {
    match location {
        StoreLocation::Memory => Ok(Store::new()?),
        StoreLocation::Disk(dir) => open_disk(&rocksdb_dir(dir)),
    }
}

#[cfg(feature = "rocksdb")]
fn open_disk(path: &Path) -> Result<Store, StoreError> {
    std::fs::create_dir_all(path).map_err(|e| StoreError::Open {
        path: path.to_owned(),
        source: e.into(),
    })?;
    Store::open(path).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })
}

/// Without the `rocksdb` feature (the fuzz build) only the in-memory store exists.
#[cfg(not(feature = "rocksdb"))]
fn open_disk(path: &Path) -> Result<Store, StoreError> {
    Err(StoreError::Open {
        path: path.to_owned(),
        source: std::io::Error::other("citykg was built without the `rocksdb` feature").into(),
    })
}

/// Writes a disk store's buffers to disk; nothing to do for a memory store.
pub fn flush(store: &Store) -> Result<(), StorageError> {
    #[cfg(feature = "rocksdb")]
    return store.flush();
    #[cfg(not(feature = "rocksdb"))]
    {
        let _ = store;
        Ok(())
    }
}

/// Runs blocking store work on tokio's blocking pool, keeping the caller's tracing span.
pub async fn run_blocking<T, F>(work: F) -> Result<T, StoreError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|_| StoreError::Join)
}
