//! Settings: defaults < TOML file < `CITYKG_` environment < command-line flags.
//!
//! Everything that crosses the edge is parsed here once into typed values (`Limits`, `AllowList`,
//! `StoreLocation`); the rest of the code never sees raw strings for them.

use crate::cli::{ServeArgs, StoreArgs};
use oxigraph::model::NamedNode;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_BIND: &str = "127.0.0.1:7700";
pub const DEFAULT_LOCATION: &str = "data";
pub const DEFAULT_QUERY_TIMEOUT_SECS: f64 = 30.0;
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// 256 MiB of payloads kept for replay.
pub const DEFAULT_QUARANTINE_BYTES: u64 = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid TOML: {source}")]
    Toml {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("the base IRI {iri:?} is not an absolute IRI: {reason}")]
    BaseIri { iri: String, reason: String },
    #[error("{name} must be a positive number, got {value}")]
    NotPositive { name: &'static str, value: String },
}

/// The keys a TOML configuration file may hold; the same names as the flags, with underscores.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub location: Option<PathBuf>,
    pub memory: Option<bool>,
    pub bind: Option<String>,
    pub base_iri: Option<String>,
    pub query_timeout: Option<f64>,
    pub max_body_bytes: Option<usize>,
    pub max_quarantine_bytes: Option<usize>,
    pub max_concurrent_queries: Option<usize>,
    pub allow_hosts: Option<Vec<String>>,
    pub ontologies: Option<PathBuf>,
    pub mappings: Option<PathBuf>,
    pub reference_data: Option<PathBuf>,
    pub private: Option<bool>,
}

impl FileSettings {
    pub fn read(path: Option<&Path>) -> Result<Self, ConfigError> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Toml {
            path: path.to_owned(),
            source,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Memory,
    /// The data folder: the RocksDB store lives in `store/`, the token file beside it.
    Disk(PathBuf),
}

impl StoreLocation {
    pub fn from_args(args: &StoreArgs) -> Result<Self, ConfigError> {
        let file = FileSettings::read(args.config.as_deref())?;
        Ok(Self::Disk(
            args.location
                .clone()
                .or(file.location)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_LOCATION)),
        ))
    }
}

/// Request limits, enforced by the HTTP layer.
#[derive(Debug, Clone)]
pub struct Limits {
    pub query_timeout: Duration,
    pub max_body_bytes: usize,
    pub max_concurrent_queries: usize,
    /// Bytes the quarantine may hold before new failed payloads are refused.
    pub quarantine_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            query_timeout: Duration::from_secs_f64(DEFAULT_QUERY_TIMEOUT_SECS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            quarantine_bytes: DEFAULT_QUARANTINE_BYTES,
            max_concurrent_queries: default_concurrency(),
        }
    }
}

fn default_concurrency() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

/// Hosts the server may contact on a caller's behalf (SPARQL SERVICE). Empty by default.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    hosts: Vec<String>,
}

impl AllowList {
    pub fn new(hosts: impl IntoIterator<Item = String>) -> Self {
        Self {
            hosts: hosts
                .into_iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Whether `host` (a host name, optionally with `:port`) is allowed. An entry without a port
    /// allows every port of that host.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let bare = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h);
        self.hosts.iter().any(|h| *h == host || *h == bare)
    }
}

/// The base IRI, always ending with `/` so that `graph/...` and `id/...` can be appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseIri(String);

impl BaseIri {
    pub fn parse(iri: &str) -> Result<Self, ConfigError> {
        let mut iri = iri.to_owned();
        if !iri.ends_with('/') {
            iri.push('/');
        }
        NamedNode::new(&iri).map_err(|e| ConfigError::BaseIri {
            iri: iri.clone(),
            reason: e.to_string(),
        })?;
        Ok(Self(iri))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `base + relative`, e.g. `graph/ontology/sosa`.
    pub fn join(&self, relative: &str) -> String {
        format!("{}{}", self.0, relative.trim_start_matches('/'))
    }
}

/// Everything `serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub location: StoreLocation,
    pub bind: String,
    pub base_iri: BaseIri,
    pub limits: Limits,
    pub allow_list: AllowList,
    pub ontologies: PathBuf,
    /// Built-in mappings, registered read-only as `builtin/{name}`.
    pub mappings: PathBuf,
    /// Where registered mappings may read reference files; `None` = `<location>/reference-data`
    /// (and no reference files at all on a memory store).
    pub reference_data: Option<PathBuf>,
    pub private: bool,
    /// `CITYKG_ADMIN_TOKEN`: registered as an admin token at start.
    pub admin_token: Option<String>,
}

impl Settings {
    /// The reference-data folder: the configured one, else `<location>/reference-data` on disk.
    pub fn reference_data_folder(&self) -> Option<PathBuf> {
        match (&self.reference_data, &self.location) {
            (Some(folder), _) => Some(folder.clone()),
            (None, StoreLocation::Disk(dir)) => Some(dir.join("reference-data")),
            (None, StoreLocation::Memory) => None,
        }
    }

    pub fn from_serve_args(args: &ServeArgs) -> Result<Self, ConfigError> {
        let file = FileSettings::read(args.store.config.as_deref())?;
        let memory = args.memory || file.memory.unwrap_or(false);
        let location = if memory {
            StoreLocation::Memory
        } else {
            StoreLocation::Disk(
                args.store
                    .location
                    .clone()
                    .or(file.location)
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_LOCATION)),
            )
        };
        let bind = args
            .bind
            .clone()
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let base_iri = match args.base_iri.clone().or(file.base_iri) {
            Some(iri) => BaseIri::parse(&iri)?,
            None => BaseIri::parse(&format!("http://{bind}/"))?,
        };
        let timeout = args
            .query_timeout
            .or(file.query_timeout)
            .unwrap_or(DEFAULT_QUERY_TIMEOUT_SECS);
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(ConfigError::NotPositive {
                name: "query_timeout",
                value: timeout.to_string(),
            });
        }
        let limits = Limits {
            query_timeout: Duration::from_secs_f64(timeout),
            max_body_bytes: positive(
                "max_body_bytes",
                args.max_body_bytes.or(file.max_body_bytes),
                DEFAULT_MAX_BODY_BYTES,
            )?,
            max_concurrent_queries: positive(
                "max_concurrent_queries",
                args.max_concurrent_queries.or(file.max_concurrent_queries),
                default_concurrency(),
            )?,
            quarantine_bytes: positive(
                "max_quarantine_bytes",
                args.max_quarantine_bytes.or(file.max_quarantine_bytes),
                DEFAULT_QUARANTINE_BYTES as usize,
            )? as u64,
        };
        Ok(Self {
            location,
            bind,
            base_iri,
            limits,
            allow_list: AllowList::new(
                args.allow_hosts
                    .clone()
                    .or(file.allow_hosts)
                    .unwrap_or_default(),
            ),
            ontologies: args
                .ontologies
                .clone()
                .or(file.ontologies)
                .unwrap_or_else(|| PathBuf::from("ontologies")),
            mappings: args
                .mappings
                .clone()
                .or(file.mappings)
                .unwrap_or_else(|| PathBuf::from("mappings")),
            reference_data: args.reference_data.clone().or(file.reference_data),
            private: args.private || file.private.unwrap_or(false),
            admin_token: std::env::var("CITYKG_ADMIN_TOKEN")
                .ok()
                .filter(|t| !t.is_empty()),
        })
    }

    /// Settings for tests and embedding: memory store, port 0, defaults elsewhere.
    pub fn for_tests() -> Self {
        Self {
            location: StoreLocation::Memory,
            bind: "127.0.0.1:0".to_owned(),
            base_iri: BaseIri(String::from("http://citykg.test/")),
            limits: Limits::default(),
            allow_list: AllowList::default(),
            ontologies: PathBuf::from("ontologies"),
            mappings: PathBuf::from("mappings"),
            reference_data: None,
            private: false,
            admin_token: None,
        }
    }
}

fn positive(
    name: &'static str,
    value: Option<usize>,
    default: usize,
) -> Result<usize, ConfigError> {
    match value {
        Some(0) => Err(ConfigError::NotPositive {
            name,
            value: "0".into(),
        }),
        Some(v) => Ok(v),
        None => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matches_hosts_with_and_without_ports() {
        let list = AllowList::new(["Example.org".to_owned(), "dbpedia.org:8890".to_owned()]);
        for (host, allowed) in [
            ("example.org", true),
            ("example.org:8080", true),
            ("EXAMPLE.ORG", true),
            ("dbpedia.org:8890", true),
            ("dbpedia.org", false),
            ("evil.example.org", false),
            ("localhost", false),
        ] {
            assert_eq!(list.allows(host), allowed, "{host}");
        }
        assert!(AllowList::default().is_empty());
    }

    #[test]
    fn base_iri_gets_a_trailing_slash_and_joins_paths() {
        let base = BaseIri::parse("http://city.example/kg").unwrap();
        assert_eq!(base.as_str(), "http://city.example/kg/");
        assert_eq!(
            base.join("/graph/ontology/sosa"),
            "http://city.example/kg/graph/ontology/sosa"
        );
        assert!(BaseIri::parse("not an iri").is_err());
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("citykg.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\nquery_timeout = 5\nallow_hosts = [\"dbpedia.org\"]\nmemory = true\n").unwrap();
        let mut args = ServeArgs::default();
        args.store.config = Some(file);
        args.query_timeout = Some(2.5);
        let settings = Settings::from_serve_args(&args).unwrap();
        assert_eq!(settings.bind, "0.0.0.0:9000");
        assert_eq!(settings.base_iri.as_str(), "http://0.0.0.0:9000/");
        assert_eq!(settings.limits.query_timeout, Duration::from_millis(2500));
        assert_eq!(settings.limits.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
        assert!(settings.allow_list.allows("dbpedia.org"));
        assert_eq!(settings.location, StoreLocation::Memory);
        args.max_concurrent_queries = Some(0);
        assert!(Settings::from_serve_args(&args).is_err());
    }

    #[test]
    fn file_settings_reject_unknown_keys() {
        assert!(toml::from_str::<FileSettings>("bind = \"0.0.0.0:1\"").is_ok());
        assert!(toml::from_str::<FileSettings>("bnid = \"0.0.0.0:1\"").is_err());
    }
}
