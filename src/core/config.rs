//! The service's settings as typed values (`Settings`, `Limits`, `AllowList`, `StoreLocation`,
//! `BaseIri`), with their defaults and bounds. Where they come from (flags, a TOML file, the
//! environment) is the edge's business: `src/edge/settings.rs`.

use oxigraph::model::NamedNode;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_BIND: &str = "127.0.0.1:7700";
pub const DEFAULT_LOCATION: &str = "data";
pub const DEFAULT_QUERY_TIMEOUT_SECS: f64 = 30.0;
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
pub const DEFAULT_TASK_TIMEOUT_SECS: f64 = 300.0;
/// Free space kept on the data folder's disk: room for the store's logs and compactions.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 256 << 20;
/// The most requests of one kind that may run at once (each may hold a thread).
pub const MAX_CONCURRENCY: usize = 1024;
/// The longest time limit a setting may give: one day.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
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
    #[error("{name} must be {range}, got {value}")]
    OutOfRange {
        name: &'static str,
        value: String,
        range: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Memory,
    /// The data folder: the RocksDB store lives in `store/`, the token file beside it.
    Disk(PathBuf),
}

/// Request limits, enforced by the HTTP layer.
#[derive(Debug, Clone)]
pub struct Limits {
    pub query_timeout: Duration,
    pub max_body_bytes: usize,
    pub max_concurrent_queries: usize,
    /// Bytes the quarantine may hold before new failed payloads are refused.
    pub quarantine_bytes: u64,
    /// The time limit of the other expensive requests (validation, ingest, preview, kit
    /// import, dumps), and how many of them run at once.
    pub task_timeout: Duration,
    pub max_concurrent_tasks: usize,
    /// Writes are refused (507) while the data folder's disk has less free space than this, so
    /// the store never meets a full disk (0: no check).
    pub min_free_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            query_timeout: Duration::from_secs_f64(DEFAULT_QUERY_TIMEOUT_SECS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            quarantine_bytes: DEFAULT_QUARANTINE_BYTES,
            max_concurrent_queries: default_concurrency(),
            task_timeout: Duration::from_secs_f64(DEFAULT_TASK_TIMEOUT_SECS),
            max_concurrent_tasks: default_concurrency(),
            min_free_bytes: DEFAULT_MIN_FREE_BYTES,
        }
    }
}

/// Twice the machine's threads: how many queries, and other expensive requests, run at once
/// unless configured.
pub fn default_concurrency() -> usize {
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

    /// Whether `iri` is a local IRI (under the base) or names the base itself or a parent of
    /// it (`http://host:7700` for the base `http://host:7700/`): an IRI whose namespace would
    /// take in local resources. Prefixes are cut at `/`, `#` or `?`, never inside a segment.
    pub fn covers(&self, iri: &str) -> bool {
        iri.starts_with(&self.0)
            || self
                .0
                .strip_prefix(iri)
                .is_some_and(|rest| rest.starts_with(['/', '#', '?']) || iri.ends_with(['/', '#']))
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
    /// Keep current values and rollups with each write (`src/city`).
    pub live_state: bool,
    /// NGSI-LD writes need no token (`--ngsi-ld-open-writes`).
    pub ngsi_ld_open_writes: bool,
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
            live_state: true,
            ngsi_ld_open_writes: false,
            admin_token: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_covers_local_iris_and_its_parents_not_its_neighbours() {
        let base = BaseIri::parse("http://host:7700/city").unwrap();
        assert_eq!(base.as_str(), "http://host:7700/city/");
        for covered in [
            "http://host:7700/city/",
            "http://host:7700/city/id/use-case/x",
            "http://host:7700/city",
            "http://host:7700",
            "http://host:7700/",
            "http:",
        ] {
            assert!(base.covers(covered), "{covered}");
        }
        for other in [
            "http://host:7700/cityhall",
            "http://host:770",
            "http://host:7700/other/x",
            "http://other/",
            "http://host:7700/cit",
            "http://host:7700#x",
        ] {
            assert!(!base.covers(other), "{other}");
        }
    }

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
}
