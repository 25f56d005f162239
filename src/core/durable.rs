//! Small files written so that a crash or a power cut leaves either the old content or the new,
//! never a mix or nothing: a temporary file beside the target (readable by the owner only),
//! written and flushed to disk, renamed over the target, then the folder flushed so the rename
//! itself survives. The one way citykg writes the files it keeps beside the store.

use std::fs::File;
use std::io::Write;
use std::path::Path;

const TEMPORARY_SUFFIX: &str = ".tmp";

/// Whether `path` is a temporary file a crash left behind (safe to remove at start).
pub fn is_leftover(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tmp")
}

/// Replaces `path` with `bytes`, durably.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = folder_of(path);
    // `.{random}.tmp`: a leftover from a crash is recognisable (`is_leftover`).
    let mut file = tempfile::Builder::new()
        .prefix(".")
        .suffix(TEMPORARY_SUFFIX)
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    sync_folder(folder)
}

/// Creates `folder` and its missing parents, each made durable in its own parent.
pub fn create_folder(folder: &Path) -> std::io::Result<()> {
    if folder.is_dir() {
        return Ok(());
    }
    if let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_folder(parent)?;
    }
    match std::fs::create_dir(folder) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(e),
    }
    sync_folder(folder_of(folder))
}

/// Flushes a folder's entries (a rename, a new or removed file) to disk.
pub fn sync_folder(folder: &Path) -> std::io::Result<()> {
    File::open(folder)?.sync_all()
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_private() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a/b/tokens.json");
        create_folder(path.parent().unwrap()).unwrap();
        write_file(&path, b"first").unwrap();
        write_file(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let files: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(
            files,
            std::slice::from_ref(&path),
            "no temporary file is left behind"
        );
        let stray = tempfile::Builder::new()
            .prefix(".")
            .suffix(TEMPORARY_SUFFIX)
            .tempfile_in(folder.path())
            .unwrap();
        assert!(is_leftover(stray.path()));
        assert!(!is_leftover(&path));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read it");
        }
    }
}
