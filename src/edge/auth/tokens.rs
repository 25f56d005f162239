//! The token registry: a JSON file of names, roles and SHA-256 hashes in the data folder (or
//! memory only), reread when another process (`citykg token create`) changed it.

use super::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::SystemTime;

const SECRET_PREFIX: &str = "ckg_";

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot read or write the token file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the token file {path} is damaged: {source}")]
    Damaged {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("a token named {0:?} already exists; revoke it first or pick another name")]
    Duplicate(String),
    #[error("no token is named {0:?}")]
    NotFound(String),
    #[error("a token name must be 1-64 letters, digits, '-', '_' or '.', got {0:?}")]
    BadName(String),
    #[error("the system random number generator failed: {0}")]
    Random(String),
}

/// What may be shown of a token: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub name: String,
    pub role: Role,
    /// Seconds since the Unix epoch.
    pub created: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenRecord {
    #[serde(flatten)]
    info: TokenInfo,
    sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<TokenRecord>,
}

#[derive(Debug, Default)]
struct State {
    persisted: Vec<TokenRecord>,
    /// Tokens given through the environment: valid for this process only, never written.
    ephemeral: Vec<TokenRecord>,
    by_hash: HashMap<String, TokenInfo>,
    file_stamp: Option<FileStamp>,
}

/// What tells a changed file: every save renames a new file into place, so the inode changes
/// even when two writes fall in the same mtime tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

impl FileStamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Self {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        }
    }
}

impl State {
    fn reindex(&mut self) {
        self.by_hash = self
            .persisted
            .iter()
            .chain(&self.ephemeral)
            .map(|r| (r.sha256.clone(), r.info.clone()))
            .collect();
    }
}

#[derive(Debug)]
pub struct TokenStore {
    path: Option<PathBuf>,
    state: RwLock<State>,
}

impl TokenStore {
    /// A registry kept in `path` (created on first write), or in memory when `None`.
    pub fn open(path: Option<PathBuf>) -> Result<Self, TokenError> {
        let store = Self {
            path,
            state: RwLock::new(State::default()),
        };
        store.reload_if_changed()?;
        Ok(store)
    }

    /// Like `open`, for the server: a damaged file does not stop the service. It is kept aside
    /// as `tokens.json.damaged-{seconds}` for the operator, the error is logged, and the server
    /// starts with no stored token (so it creates and prints a new admin token).
    pub fn open_for_server(path: Option<PathBuf>) -> Result<Self, TokenError> {
        match Self::open(path.clone()) {
            Err(TokenError::Damaged { path, source }) => {
                let seconds = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let mut aside = path.clone().into_os_string();
                aside.push(format!(".damaged-{seconds}"));
                let aside = PathBuf::from(aside);
                std::fs::rename(&path, &aside).map_err(|source| TokenError::Io {
                    path: path.clone(),
                    source,
                })?;
                tracing::error!(
                    file = %path.display(),
                    kept_as = %aside.display(),
                    error = %source,
                    "the token file is damaged: it was set aside and no stored token is valid; \
                     restore it from the copy or create new tokens"
                );
                Self::open(Some(path))
            }
            other => other,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.read_state().by_hash.is_empty()
    }

    /// Registers a token for this process only (`CITYKG_ADMIN_TOKEN`).
    pub fn register_ephemeral(&self, name: &str, role: Role, secret: &str) {
        let mut state = self.write_state();
        state.ephemeral.push(TokenRecord {
            info: TokenInfo {
                name: name.to_owned(),
                role,
                created: now(),
            },
            sha256: hash(secret),
        });
        state.reindex();
    }

    /// Creates a token, stores its hash and returns the secret (shown once, never again).
    pub fn create(&self, name: &str, role: Role) -> Result<String, TokenError> {
        check_name(name)?;
        self.reload_if_changed()?;
        let mut state = self.write_state();
        if state
            .persisted
            .iter()
            .chain(&state.ephemeral)
            .any(|r| r.info.name == name)
        {
            return Err(TokenError::Duplicate(name.to_owned()));
        }
        let secret = new_secret()?;
        state.persisted.push(TokenRecord {
            info: TokenInfo {
                name: name.to_owned(),
                role,
                created: now(),
            },
            sha256: hash(&secret),
        });
        self.save(&mut state)?;
        state.reindex();
        Ok(secret)
    }

    pub fn revoke(&self, name: &str) -> Result<(), TokenError> {
        self.reload_if_changed()?;
        let mut state = self.write_state();
        let before = state.persisted.len();
        state.persisted.retain(|r| r.info.name != name);
        if state.persisted.len() == before {
            return Err(TokenError::NotFound(name.to_owned()));
        }
        self.save(&mut state)?;
        state.reindex();
        Ok(())
    }

    pub fn list(&self) -> Result<Vec<TokenInfo>, TokenError> {
        self.reload_if_changed()?;
        let state = self.read_state();
        Ok(state
            .persisted
            .iter()
            .chain(&state.ephemeral)
            .map(|r| r.info.clone())
            .collect())
    }

    /// The token a presented secret belongs to, if any.
    pub fn authenticate(&self, secret: &str) -> Option<TokenInfo> {
        if let Err(e) = self.reload_if_changed() {
            tracing::error!(error = %e, "keeping the last good token list");
        }
        self.read_state().by_hash.get(&hash(secret)).cloned()
    }

    fn reload_if_changed(&self) -> Result<(), TokenError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let stamp = match std::fs::metadata(path) {
            Ok(meta) => Some(FileStamp::of(&meta)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(TokenError::Io {
                    path: path.clone(),
                    source,
                });
            }
        };
        if stamp.is_some() && stamp == self.read_state().file_stamp {
            return Ok(());
        }
        let file = match stamp {
            None => TokenFile::default(),
            Some(_) => {
                let text = std::fs::read(path).map_err(|source| TokenError::Io {
                    path: path.clone(),
                    source,
                })?;
                serde_json::from_slice(&text).map_err(|source| TokenError::Damaged {
                    path: path.clone(),
                    source,
                })?
            }
        };
        let mut state = self.write_state();
        state.persisted = file.tokens;
        state.file_stamp = stamp;
        state.reindex();
        Ok(())
    }

    fn save(&self, state: &mut State) -> Result<(), TokenError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let io = |source| TokenError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::core::durable::create_folder(dir).map_err(io)?;
        }
        let file = TokenFile {
            tokens: state.persisted.clone(),
        };
        let text = serde_json::to_vec_pretty(&file).map_err(|source| TokenError::Damaged {
            path: path.clone(),
            source,
        })?;
        crate::core::durable::write_file(path, &text).map_err(io)?;
        state.file_stamp = std::fs::metadata(path).ok().map(|m| FileStamp::of(&m));
        Ok(())
    }

    fn read_state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn check_name(name: &str) -> Result<(), TokenError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(TokenError::BadName(name.to_owned()))
    }
}

fn new_secret() -> Result<String, TokenError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| TokenError::Random(e.to_string()))?;
    Ok(format!("{SECRET_PREFIX}{}", hex(&bytes)))
}

fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_tokens_authenticate_and_only_their_hash_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        let store = TokenStore::open(Some(path.clone())).unwrap();
        assert!(store.is_empty());
        let secret = store.create("ci", Role::Write).unwrap();
        assert!(secret.starts_with(SECRET_PREFIX));
        assert_eq!(store.authenticate(&secret).unwrap().role, Role::Write);
        assert!(store.authenticate("ckg_wrong").is_none());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&secret));
        assert!(text.contains(&hash(&secret)));

        // Another process (the CLI) sees the same registry.
        let other = TokenStore::open(Some(path)).unwrap();
        assert_eq!(other.list().unwrap()[0].name, "ci");
        other.revoke("ci").unwrap();
        assert!(
            store.authenticate(&secret).is_none(),
            "revocation is picked up from the file"
        );
        assert!(matches!(other.revoke("ci"), Err(TokenError::NotFound(_))));
    }

    #[test]
    fn names_are_unique_and_well_formed() {
        let store = TokenStore::open(None).unwrap();
        store.register_ephemeral("env-admin", Role::Admin, "s3cret");
        assert_eq!(store.authenticate("s3cret").unwrap().role, Role::Admin);
        assert!(matches!(
            store.create("env-admin", Role::Read),
            Err(TokenError::Duplicate(_))
        ));
        assert!(matches!(
            store.create("bad name", Role::Read),
            Err(TokenError::BadName(_))
        ));
        assert!(matches!(
            store.create("", Role::Read),
            Err(TokenError::BadName(_))
        ));
    }
}
