//! What every handler shares: the store, settings, tokens, metrics, templates, query slots,
//! the mapping registry.

use super::metrics::Metrics;
use crate::core::config::Settings;
use crate::edge::auth::TokenStore;
use crate::storage::Storage;
use std::sync::Arc;
use tera::Tera;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct AppState {
    pub store: Storage,
    pub settings: Arc<Settings>,
    pub tokens: Arc<TokenStore>,
    pub metrics: Arc<Metrics>,
    pub templates: Arc<Tera>,
    /// One permit per query allowed to evaluate at once.
    pub query_slots: Arc<Semaphore>,
    /// One permit per other expensive request (validation, ingest, kit import, dump...).
    pub task_slots: Arc<Semaphore>,
    pub stats: Arc<super::stats::StatsCache>,
    /// Threads that evaluate queries, one per query slot.
    pub eval_pool: crate::storage::pool::EvalPool,
    /// The mapping registry (issue 5).
    pub registry: Arc<crate::pipeline::ingest::registry::Registry>,
    /// Payloads that could not be stored, kept for replay.
    pub quarantine: Arc<crate::pipeline::ingest::quarantine::Quarantine>,
    /// The use-case catalogue (issue 9).
    pub catalog: Arc<crate::catalogue::use_cases::Catalog>,
    /// The feed's record list, kept while the catalogue's generation holds.
    pub feed_records: Arc<crate::catalogue::feed::index::RecordCache>,
    /// Recomputes use-case assessments after changes, off the request path. Held here only:
    /// the storage holds its consumers weakly, so the scheduler lives as long as the service.
    pub _assessment: Arc<crate::catalogue::assessment::schedule::Scheduler>,
    /// Flushes a disk store's memtables while it is written (held here for the same reason).
    pub _flusher: Option<Arc<crate::storage::upkeep::Flusher>>,
    /// The live city; also the change consumer that keeps it.
    pub city: Arc<crate::city::CityState>,
    /// The shipped `city-profile` shape, compiled once.
    pub profile_shapes: Arc<crate::standards::shacl::Shapes>,
    /// U4SSC KPIs computed from rollups and the profile, and reported ones.
    pub kpis: Arc<crate::city::kpi::Kpis>,
    /// Recomputes the KPIs after data changes (held here: consumers are held weakly).
    pub _kpi_upkeep: Arc<crate::city::kpi::KpiUpkeep>,
    /// The NGSI-LD API; its broker is also a change consumer (held here).
    pub ngsi_ld: Arc<crate::ngsild::NgsiLd>,
}
