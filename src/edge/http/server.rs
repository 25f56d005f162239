//! Building and running the service: `Application::build` opens the store, loads ontologies,
//! sets up tokens and binds (port 0 in tests); `run_until_stopped` serves until SIGINT or
//! SIGTERM, lets in-flight requests finish, then flushes the store.

use super::metrics::Metrics;
use super::routes;
use super::state::AppState;
use crate::core::config::{Settings, StoreLocation};
use crate::edge::auth::{Role, TokenError, TokenStore};
use crate::standards::ontologies::{self, OntologyError};
use crate::storage::pool::EvalPool;
use crate::storage::{Storage, StoreError};
use actix_web::dev::{Server, Service};
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long in-flight requests may take to finish after a stop signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error("cannot load the ontologies: {0}")]
    Ontology(#[from] OntologyError),
    #[error(transparent)]
    Tokens(#[from] TokenError),
    #[error("cannot listen on {bind}: {source}")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error("cannot start the query threads: {0}")]
    Threads(std::io::Error),
    #[error("cannot open the mapping registry: {0}")]
    Registry(#[from] crate::pipeline::ingest::registry::RegistryError),
    #[error("cannot open the quarantine: {0}")]
    Quarantine(#[from] crate::pipeline::ingest::quarantine::QuarantineError),
    #[error("cannot set up the use-case catalogue: {0}")]
    Catalog(#[from] crate::catalogue::use_cases::CatalogError),
    #[error("the page templates are broken: {0}")]
    Templates(#[from] tera::Error),
    #[error("a shipped file of the live city is broken: {0}")]
    Shapes(String),
    #[error("cannot note that the service runs on its data folder: {0}")]
    Marker(std::io::Error),
    #[error("the NGSI-LD service cannot start: {0}")]
    NgsiLd(String),
}

pub struct Application {
    port: u16,
    server: Server,
    store: Storage,
    location: StoreLocation,
    tokens: Arc<TokenStore>,
    /// Counts the requests in flight, which a stop waits for.
    metrics: Arc<Metrics>,
    /// The admin secret created on first start, to be shown once.
    pub first_admin_token: Option<String>,
}

impl Application {
    pub fn build(settings: Settings) -> Result<Self, AppError> {
        let store = Storage::open(&settings.location)?;
        let report = ontologies::sync(&store, &settings.base_iri, &settings.ontologies)?;
        tracing::info!(loaded = ?report.loaded, unchanged = report.unchanged.len(), removed = ?report.removed, "ontologies");
        let registry = Arc::new(crate::pipeline::ingest::registry::Registry::open(
            store.clone(),
            &settings,
        )?);
        tracing::info!(mappings = registry.list().len(), "mapping registry");
        let catalog = Arc::new(crate::catalogue::use_cases::Catalog::open(
            store.clone(),
            settings.base_iri.clone(),
            &settings.ontologies,
        )?);
        catalog.describe_catalog()?;
        let seeded = catalog.seed(&|iri| registry.knows_iri(iri))?;
        tracing::info!(added = ?seeded.added, already = seeded.already.len(), "use-case catalogue");
        if let StoreLocation::Disk(dir) = &settings.location {
            match crate::catalogue::kits::journal::recover(dir, &registry, &catalog) {
                Ok(removed) if !removed.is_empty() => {
                    tracing::warn!(
                        ?removed,
                        "undid the mappings of a kit import a stop interrupted"
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(%error, "a kit import a stop interrupted could not be undone")
                }
            }
        }
        let quarantine = Arc::new(crate::pipeline::ingest::quarantine::Quarantine::open(
            match &settings.location {
                StoreLocation::Memory => None,
                StoreLocation::Disk(dir) => Some(dir.join("quarantine")),
            },
            settings.limits.quarantine_bytes,
        )?);
        let tokens = TokenStore::open_for_server(match &settings.location {
            StoreLocation::Memory => None,
            StoreLocation::Disk(dir) => Some(dir.join("tokens.json")),
        })?;
        if let Some(secret) = &settings.admin_token {
            tokens.register_ephemeral("env-admin", Role::Admin, secret);
        }
        let first_admin_token = if tokens.is_empty() {
            Some(tokens.create("admin", Role::Admin)?)
        } else {
            None
        };

        let listener = TcpListener::bind(&settings.bind).map_err(|source| AppError::Bind {
            bind: settings.bind.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| AppError::Bind {
                bind: settings.bind.clone(),
                source,
            })?
            .port();
        let tokens = Arc::new(tokens);
        let location = settings.location.clone();
        // Consumers of the change events, subscribed before the first request; a start after a
        // stop that was not clean has them rebuild what they may have lost.
        let stats = Arc::new(super::stats::StatsCache::default());
        store.subscribe(&stats);
        let metrics = Arc::new(Metrics::default());
        store.subscribe(&metrics);
        let metrics_for_shutdown = metrics.clone();
        let assessment = Arc::new(
            crate::catalogue::assessment::schedule::Scheduler::start(
                store.clone(),
                settings.base_iri.clone(),
                crate::catalogue::assessment::DEBOUNCE,
            )
            .map_err(AppError::Threads)?,
        );
        store.subscribe(&assessment);
        // The live city follows every write exactly, inside it.
        let city = Arc::new(crate::city::CityState::new(
            store.clone(),
            settings.base_iri.clone(),
        ));
        if settings.live_state {
            if let StoreLocation::Disk(dir) = &location
                && crate::city::is_stale(dir)
            {
                tracing::info!(
                    "observations were written without their upkeep: rebuilding current values and rollups"
                );
                city.rebuild()?;
                crate::city::clear_stale(dir).map_err(AppError::Marker)?;
            } else {
                city.describe_datasets()?;
                city.start()?;
            }
            store.subscribe(&city);
        } else if let StoreLocation::Disk(dir) = &location {
            crate::city::mark_stale(dir).map_err(AppError::Marker)?;
        }
        let profile_shapes = Arc::new(
            crate::standards::shacl::shipped::load(
                &settings.ontologies,
                &["city-profile".to_owned()],
            )
            .map_err(|e| AppError::Shapes(format!("the city-profile shape: {e}")))?,
        );
        let kpis = Arc::new(
            crate::city::kpi::Kpis::new(store.clone(), settings.base_iri.clone())
                .map_err(|e| AppError::Shapes(e.to_string()))?,
        );
        let kpi_upkeep =
            Arc::new(crate::city::kpi::KpiUpkeep::start(kpis.clone()).map_err(AppError::Threads)?);
        store.subscribe(&kpi_upkeep);
        let flusher = match &location {
            StoreLocation::Disk(_) => {
                let flusher = Arc::new(
                    crate::storage::upkeep::Flusher::start(
                        store.clone(),
                        crate::storage::upkeep::FLUSH_INTERVAL,
                    )
                    .map_err(AppError::Threads)?,
                );
                store.subscribe(&flusher);
                Some(flusher)
            }
            StoreLocation::Memory => None,
        };
        // NGSI-LD: the entities mirrored in memory, refreshed after other writers' changes.
        let ngsi_ld = Arc::new(
            crate::ngsild::NgsiLd::open(
                store.clone(),
                settings.base_iri.clone(),
                settings.allow_list.clone(),
                settings.live_state.then(|| city.clone()),
            )
            .map_err(AppError::NgsiLd)?,
        );
        store.subscribe(&ngsi_ld.broker);
        if store.mark_running(&location).map_err(AppError::Marker)? {
            tracing::warn!("the last stop was not clean: assessments are recomputed");
        }
        let state = AppState {
            store: store.clone(),
            query_slots: Arc::new(Semaphore::new(settings.limits.max_concurrent_queries)),
            task_slots: Arc::new(Semaphore::new(settings.limits.max_concurrent_tasks)),
            eval_pool: EvalPool::new(settings.limits.max_concurrent_queries)
                .map_err(AppError::Threads)?,
            settings: Arc::new(settings),
            tokens: tokens.clone(),
            metrics,
            templates: Arc::new(super::render::templates()?),
            stats,
            registry,
            quarantine,
            catalog,
            feed_records: Arc::default(),
            _assessment: assessment,
            _flusher: flusher,
            city,
            profile_shapes,
            kpis,
            _kpi_upkeep: kpi_upkeep,
            ngsi_ld,
        };
        let data = web::Data::new(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(actix_web::middleware::from_fn(super::disk::free_space_gate))
                .wrap(actix_web::middleware::from_fn(super::auth::private_gate))
                .wrap(security_headers())
                .wrap_fn(|request, service| {
                    let started = Instant::now();
                    let method = super::metrics::method_label(request.method());
                    let path = request.path().to_owned();
                    let metrics = request.app_data::<web::Data<AppState>>().map(|s| s.metrics.clone());
                    let in_flight = metrics.as_ref().map(|metrics| metrics.start_request());
                    let response = service.call(request);
                    async move {
                        let response = response.await;
                        drop(in_flight);
                        let response = response?;
                        let status = response.status().as_u16();
                        let route = response.request().match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
                        let elapsed = started.elapsed();
                        tracing::info!(%method, %path, status, duration_ms = elapsed.as_secs_f64() * 1000.0, "request");
                        if let Some(metrics) = metrics {
                            metrics.record_request(&route, method, status);
                        }
                        Ok(response)
                    }
                })
                .configure(routes::configure)
        })
        // Responses go out in several writes (headers, chunks); without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK stall each keep-alive request by up to 40 ms.
        .on_connect(|connection, _| {
            if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .listen(listener)
        .map_err(|source| AppError::Bind { bind: "listener".to_owned(), source })?
        .shutdown_timeout(SHUTDOWN_GRACE.as_secs())
        // Signals are ours (`stop_on_signals`), registered before the service says it is up.
        .disable_signals()
        .run();
        Ok(Self {
            port,
            server,
            store,
            location,
            tokens,
            metrics: metrics_for_shutdown,
            first_admin_token,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store the server runs on (benchmarks compare in-process evaluation on it).
    pub fn store(&self) -> Storage {
        self.store.clone()
    }

    /// The token registry, to create tokens in tests and embeddings.
    pub fn tokens(&self) -> Arc<TokenStore> {
        self.tokens.clone()
    }

    /// A handle to stop the server from elsewhere (tests, benchmarks).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Stops gracefully on SIGINT or SIGTERM: no new connections, in-flight requests finish
    /// (up to 30 s), then `run_until_stopped` flushes the store. The handlers are in place when
    /// this returns, so a signal right after start is not lost.
    ///
    /// The wait for in-flight requests is ours, on the request gauge: actix's own graceful
    /// stop now and then stops its workers at once, dropping a request being answered.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        let metrics = self.metrics.clone();
        actix_web::rt::spawn(async move {
            let name = tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            };
            tracing::info!("{name} received; finishing in-flight requests");
            handle.pause().await;
            let deadline = Instant::now() + SHUTDOWN_GRACE;
            while metrics.requests_in_flight() > 0 && Instant::now() < deadline {
                actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            }
            handle.stop(true).await;
        });
        Ok(())
    }

    /// Serves until stopped, then flushes the store to disk.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let outcome = self.server.await;
        let store = self.store;
        let location = self.location;
        match crate::storage::run_blocking(move || store.close(&location)).await {
            Ok(Ok(())) => tracing::info!("store flushed; bye"),
            Ok(Err(e)) => tracing::error!(error = %e, "flushing the store failed"),
            Err(e) => tracing::error!(error = %e, "flushing the store failed"),
        }
        outcome
    }
}

/// Headers on every response: pages run no script and load nothing from elsewhere (their one
/// `<style>` is inline), no response is sniffed into another type, and no page can be framed
/// or leak its address to the sites it links to.
fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
}
