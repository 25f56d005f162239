//! Payloads that could not be mapped, kept for replay: never dropped. On disk under
//! `<location>/quarantine/` (a payload file and its record, each written to a temporary file and
//! renamed, the record last, so a crash leaves either a whole entry or a stray payload file that
//! the next start removes), in memory for a memory store. A size cap keeps a flood of bad
//! payloads from filling the disk: past it, `keep` fails with `Full` and the client is told.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub mapping: String,
    pub mapping_version: u32,
    pub content_type: String,
    pub size: u64,
    pub received: String,
    /// Why it could not be stored.
    pub error: String,
    /// The token name that sent it.
    pub agent: String,
    /// The zone it declared for times written without one, used again on replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// What the quarantine keeps about a payload besides its bytes.
pub struct Received<'a> {
    pub mapping: &'a str,
    pub mapping_version: u32,
    pub content_type: &'a str,
    pub timezone: Option<&'a str>,
    pub error: &'a str,
    pub agent: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum QuarantineError {
    #[error(
        "the quarantine is full ({used} of {cap} bytes); replay or delete entries (GET /quarantine) before sending more"
    )]
    Full { used: u64, cap: u64 },
    #[error("quarantine storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("quarantine record {id} is unreadable: {message}")]
    Corrupt { id: String, message: String },
}

pub struct Quarantine {
    folder: Option<PathBuf>,
    cap: u64,
    /// Entries in memory (memory stores); on disk the folder is the truth.
    memory: Mutex<BTreeMap<String, (Entry, Vec<u8>)>>,
    /// Serialises writes so the size check and the write agree.
    write_lock: Mutex<()>,
}

impl Quarantine {
    /// `folder`: where entries live (`None`: in memory). Stray payload files (a crash between
    /// the two writes) are removed.
    pub fn open(folder: Option<PathBuf>, cap: u64) -> Result<Self, QuarantineError> {
        if let Some(folder) = &folder {
            std::fs::create_dir_all(folder)?;
            for entry in std::fs::read_dir(folder)? {
                let path = entry?.path();
                let is_payload = path.extension().is_some_and(|e| e == "payload");
                if is_payload && !path.with_extension("json").exists() {
                    std::fs::remove_file(&path)?;
                }
                if crate::core::durable::is_leftover(&path) {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        Ok(Self {
            folder,
            cap,
            memory: Mutex::new(BTreeMap::new()),
            write_lock: Mutex::new(()),
        })
    }

    /// Keeps a payload; returns its entry.
    #[allow(clippy::too_many_arguments)]
    pub fn keep(&self, received: &Received<'_>, payload: &[u8]) -> Result<Entry, QuarantineError> {
        let _guard = self.write_lock.lock().map_err(|_| poisoned())?;
        let used: u64 = self.list()?.iter().map(|e| e.size).sum();
        if used + payload.len() as u64 > self.cap {
            return Err(QuarantineError::Full {
                used,
                cap: self.cap,
            });
        }
        let entry = Entry {
            id: new_id(),
            mapping: received.mapping.to_owned(),
            mapping_version: received.mapping_version,
            content_type: received.content_type.to_owned(),
            size: payload.len() as u64,
            received: crate::core::clock::now(),
            error: received.error.to_owned(),
            agent: received.agent.to_owned(),
            timezone: received.timezone.map(str::to_owned),
        };
        match &self.folder {
            None => {
                self.memory
                    .lock()
                    .map_err(|_| poisoned())?
                    .insert(entry.id.clone(), (entry.clone(), payload.to_vec()));
            }
            Some(folder) => {
                crate::core::durable::write_file(
                    &folder.join(format!("{}.payload", entry.id)),
                    payload,
                )?;
                let record = serde_json::to_vec_pretty(&entry).map_err(std::io::Error::other)?;
                crate::core::durable::write_file(
                    &folder.join(format!("{}.json", entry.id)),
                    &record,
                )?;
            }
        }
        Ok(entry)
    }

    /// Every entry, oldest first.
    pub fn list(&self) -> Result<Vec<Entry>, QuarantineError> {
        let mut entries = match &self.folder {
            None => self
                .memory
                .lock()
                .map_err(|_| poisoned())?
                .values()
                .map(|(e, _)| e.clone())
                .collect(),
            Some(folder) => {
                let mut entries = Vec::new();
                for file in std::fs::read_dir(folder)? {
                    let path = file?.path();
                    if path.extension().is_some_and(|e| e == "json") {
                        // One damaged record must not hide the others (or stop new payloads
                        // from being kept): it is logged and left for an operator.
                        match read_record(&path) {
                            Ok(entry) => entries.push(entry),
                            Err(error) => tracing::warn!(%error, "skipping a quarantine record"),
                        }
                    }
                }
                entries
            }
        };
        entries.sort_by(|a: &Entry, b: &Entry| (&a.received, &a.id).cmp(&(&b.received, &b.id)));
        Ok(entries)
    }

    /// An entry and its payload bytes.
    pub fn get(&self, id: &str) -> Result<Option<(Entry, Vec<u8>)>, QuarantineError> {
        if !valid_id(id) {
            return Ok(None);
        }
        match &self.folder {
            None => Ok(self.memory.lock().map_err(|_| poisoned())?.get(id).cloned()),
            Some(folder) => {
                let record = folder.join(format!("{id}.json"));
                if !record.exists() {
                    return Ok(None);
                }
                let entry = read_record(&record)?;
                let payload = std::fs::read(folder.join(format!("{id}.payload")))?;
                Ok(Some((entry, payload)))
            }
        }
    }

    /// Removes an entry; whether it was there.
    pub fn remove(&self, id: &str) -> Result<bool, QuarantineError> {
        if !valid_id(id) {
            return Ok(false);
        }
        let _guard = self.write_lock.lock().map_err(|_| poisoned())?;
        match &self.folder {
            None => Ok(self
                .memory
                .lock()
                .map_err(|_| poisoned())?
                .remove(id)
                .is_some()),
            Some(folder) => {
                let record = folder.join(format!("{id}.json"));
                if !record.exists() {
                    return Ok(false);
                }
                // The record first: without it the payload file is a stray the next start removes.
                std::fs::remove_file(&record)?;
                let _ = std::fs::remove_file(folder.join(format!("{id}.payload")));
                Ok(true)
            }
        }
    }
}

fn poisoned() -> QuarantineError {
    QuarantineError::Io(std::io::Error::other("a quarantine lock was poisoned"))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit())
}

fn new_id() -> String {
    let mut bytes = [0u8; 12];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes.copy_from_slice(&nanos.to_le_bytes()[..12]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_record(path: &std::path::Path) -> Result<Entry, QuarantineError> {
    let bytes = std::fs::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| QuarantineError::Corrupt {
        id: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received<'a>(
        mapping: &'a str,
        mapping_version: u32,
        content_type: &'a str,
        error: &'a str,
        agent: &'a str,
    ) -> Received<'a> {
        Received {
            mapping,
            mapping_version,
            content_type,
            timezone: None,
            error,
            agent,
        }
    }

    fn exercise(quarantine: &Quarantine) {
        let entry = quarantine
            .keep(
                &received("m", 1, "application/json", "syntax", "alice"),
                b"{bad",
            )
            .unwrap();
        assert_eq!(quarantine.list().unwrap(), vec![entry.clone()]);
        assert_eq!(quarantine.get(&entry.id).unwrap().unwrap().1, b"{bad");
        assert!(matches!(
            quarantine.keep(&received("m", 1, "application/json", "x", "a"), &[0; 100]),
            Err(QuarantineError::Full { .. })
        ));
        assert!(quarantine.get("../etc").unwrap().is_none());
        assert!(quarantine.remove(&entry.id).unwrap());
        assert!(!quarantine.remove(&entry.id).unwrap());
        assert!(quarantine.list().unwrap().is_empty());
    }

    #[test]
    fn entries_are_kept_listed_capped_and_removed_in_memory_and_on_disk() {
        exercise(&Quarantine::open(None, 64).unwrap());
        let dir = tempfile::tempdir().unwrap();
        exercise(&Quarantine::open(Some(dir.path().to_path_buf()), 64).unwrap());
    }

    #[test]
    fn entries_survive_a_restart_and_strays_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        let kept = Quarantine::open(Some(folder.clone()), 1 << 20)
            .unwrap()
            .keep(&received("m", 2, "text/csv", "e", "bob"), b"a,b")
            .unwrap();
        std::fs::write(folder.join("abcdef.payload"), b"stray").unwrap();
        let reopened = Quarantine::open(Some(folder.clone()), 1 << 20).unwrap();
        assert_eq!(reopened.list().unwrap(), vec![kept]);
        assert!(!folder.join("abcdef.payload").exists());
        // A damaged record is skipped, not fatal.
        std::fs::write(folder.join("0123.json"), b"{not json").unwrap();
        assert_eq!(reopened.list().unwrap().len(), 1);
        assert!(
            reopened
                .keep(&received("m", 2, "text/csv", "e", "bob"), b"x")
                .is_ok()
        );
    }
}
