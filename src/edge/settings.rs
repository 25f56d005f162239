//! Settings from outside: defaults < TOML file < `CITYKG_` environment < command-line flags.
//! Everything that crosses the edge is parsed here once into the typed values of
//! `core::config`; the rest of the code never sees raw strings for them.

use crate::core::config::{
    AllowList, BaseIri, ConfigError, DEFAULT_BIND, DEFAULT_LOCATION, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MIN_FREE_BYTES, DEFAULT_QUARANTINE_BYTES, DEFAULT_QUERY_TIMEOUT_SECS,
    DEFAULT_TASK_TIMEOUT_SECS, Limits, MAX_CONCURRENCY, MAX_TIMEOUT, Settings, StoreLocation,
    default_concurrency,
};
use crate::edge::cli::{ServeArgs, StoreArgs};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    pub task_timeout: Option<f64>,
    pub max_concurrent_tasks: Option<usize>,
    pub min_free_bytes: Option<u64>,
    pub allow_hosts: Option<Vec<String>>,
    pub ontologies: Option<PathBuf>,
    pub mappings: Option<PathBuf>,
    pub reference_data: Option<PathBuf>,
    pub private: Option<bool>,
    pub no_live_state: Option<bool>,
    pub ngsi_ld_open_writes: Option<bool>,
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

/// The data folder a store command works on: `--location`, else the file's, else `data`.
pub fn store_location(args: &StoreArgs) -> Result<StoreLocation, ConfigError> {
    let file = FileSettings::read(args.config.as_deref())?;
    Ok(StoreLocation::Disk(
        args.location
            .clone()
            .or(file.location)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_LOCATION)),
    ))
}

/// `serve`'s settings: defaults < TOML file < `CITYKG_` environment < command-line flags,
/// each value checked once here.
pub fn serve_settings(args: &ServeArgs) -> Result<Settings, ConfigError> {
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
    let limits = Limits {
        query_timeout: seconds(
            "query_timeout",
            args.query_timeout.or(file.query_timeout),
            DEFAULT_QUERY_TIMEOUT_SECS,
        )?,
        task_timeout: seconds(
            "task_timeout",
            args.task_timeout.or(file.task_timeout),
            DEFAULT_TASK_TIMEOUT_SECS,
        )?,
        max_concurrent_tasks: concurrency(
            "max_concurrent_tasks",
            args.max_concurrent_tasks.or(file.max_concurrent_tasks),
        )?,
        min_free_bytes: args
            .min_free_bytes
            .or(file.min_free_bytes)
            .unwrap_or(DEFAULT_MIN_FREE_BYTES),
        max_body_bytes: positive(
            "max_body_bytes",
            args.max_body_bytes.or(file.max_body_bytes),
            DEFAULT_MAX_BODY_BYTES,
        )?,
        max_concurrent_queries: concurrency(
            "max_concurrent_queries",
            args.max_concurrent_queries.or(file.max_concurrent_queries),
        )?,
        quarantine_bytes: positive(
            "max_quarantine_bytes",
            args.max_quarantine_bytes.or(file.max_quarantine_bytes),
            DEFAULT_QUARANTINE_BYTES as usize,
        )? as u64,
    };
    Ok(Settings {
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
        live_state: !(args.no_live_state || file.no_live_state.unwrap_or(false)),
        ngsi_ld_open_writes: args.ngsi_ld_open_writes || file.ngsi_ld_open_writes.unwrap_or(false),
        admin_token: std::env::var("CITYKG_ADMIN_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()),
    })
}

/// A time limit in seconds: more than zero, at most `MAX_TIMEOUT`.
fn seconds(name: &'static str, value: Option<f64>, default: f64) -> Result<Duration, ConfigError> {
    let value = value.unwrap_or(default);
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|t| !t.is_zero() && *t <= MAX_TIMEOUT)
        .ok_or_else(|| ConfigError::OutOfRange {
            name,
            value: value.to_string(),
            range: format!("more than 0 and at most {} seconds", MAX_TIMEOUT.as_secs()),
        })
}

/// How many requests of a kind may run at once: 1 to `MAX_CONCURRENCY`.
fn concurrency(name: &'static str, value: Option<usize>) -> Result<usize, ConfigError> {
    let value = positive(name, value, default_concurrency())?;
    if value > MAX_CONCURRENCY {
        return Err(ConfigError::OutOfRange {
            name,
            value: value.to_string(),
            range: format!("at most {MAX_CONCURRENCY}"),
        });
    }
    Ok(value)
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
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("citykg.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\nquery_timeout = 5\nallow_hosts = [\"dbpedia.org\"]\nmemory = true\n").unwrap();
        let mut args = ServeArgs::default();
        args.store.config = Some(file);
        args.query_timeout = Some(2.5);
        let settings = serve_settings(&args).unwrap();
        assert_eq!(settings.bind, "0.0.0.0:9000");
        assert_eq!(settings.base_iri.as_str(), "http://0.0.0.0:9000/");
        assert_eq!(settings.limits.query_timeout, Duration::from_millis(2500));
        assert_eq!(settings.limits.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
        assert!(settings.allow_list.allows("dbpedia.org"));
        assert_eq!(settings.location, StoreLocation::Memory);
        args.max_concurrent_queries = Some(0);
        assert!(serve_settings(&args).is_err());
    }

    #[test]
    fn limits_out_of_range_are_refused_at_start_not_a_panic() {
        let mut args = ServeArgs {
            memory: true,
            ..ServeArgs::default()
        };
        for timeout in [1e300, f64::INFINITY, f64::NAN, 0.0, -1.0, 86_401.0] {
            args.query_timeout = Some(timeout);
            assert!(serve_settings(&args).is_err(), "{timeout}");
            args.query_timeout = None;
            args.task_timeout = Some(timeout);
            assert!(serve_settings(&args).is_err(), "{timeout}");
            args.task_timeout = None;
        }
        args.max_concurrent_tasks = Some(usize::MAX);
        assert!(serve_settings(&args).is_err());
        args.max_concurrent_tasks = Some(3);
        let settings = serve_settings(&args).unwrap();
        assert_eq!(settings.limits.max_concurrent_tasks, 3);
        assert_eq!(settings.limits.task_timeout, Duration::from_secs(300));
    }

    #[test]
    fn file_settings_reject_unknown_keys() {
        assert!(toml::from_str::<FileSettings>("bind = \"0.0.0.0:1\"").is_ok());
        assert!(toml::from_str::<FileSettings>("bnid = \"0.0.0.0:1\"").is_err());
    }
}
