//! Recomputation off the request path. Ingest and the mapping registry only mark a graph or a
//! mapping as changed (a set insert under a lock, microseconds); one background thread per
//! service waits [`super::DEBOUNCE`] after the first mark, takes every mark gathered by then,
//! and recomputes the use cases that name them (each data graph read once per batch). A burst
//! of ingests into one graph therefore costs one recomputation, and ingest latency none.
//!
//! The thread holds the store only while the service runs: dropping the [`Scheduler`] (with the
//! service's state) stops it, so the store's files can be reopened.

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use oxigraph::model::NamedNode;
use oxigraph::store::Store;

use crate::config::BaseIri;
use crate::ingest::model::MappingId;

pub struct Scheduler {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

struct State {
    store: Option<Store>,
    graphs: BTreeSet<NamedNode>,
    mappings: BTreeSet<String>,
    /// When the oldest pending mark was made.
    since: Option<Instant>,
    /// Batches run so far (tests wait on it).
    batches: u64,
    running: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Scheduler {
    /// Starts the background thread.
    pub fn start(store: Store, base: BaseIri, delay: Duration) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                store: Some(store),
                graphs: BTreeSet::new(),
                mappings: BTreeSet::new(),
                since: None,
                batches: 0,
                running: false,
            }),
            wake: Condvar::new(),
        });
        let worker = shared.clone();
        std::thread::Builder::new()
            .name("assessment".to_owned())
            .spawn(move || run(&worker, &base, delay))?;
        Ok(Self { shared })
    }

    /// Data was written into `graph` (an ingest committed).
    pub fn graph_changed(&self, graph: &NamedNode) {
        let mut state = self.shared.lock();
        state.graphs.insert(graph.clone());
        state.since.get_or_insert_with(Instant::now);
        self.shared.wake.notify_all();
    }

    /// Mapping `id` was created, replaced or deleted.
    pub fn mapping_changed(&self, id: &MappingId) {
        let mut state = self.shared.lock();
        state.mappings.insert(id.as_str().to_owned());
        state.since.get_or_insert_with(Instant::now);
        self.shared.wake.notify_all();
    }

    /// Whether marks are waiting or a batch is running.
    pub fn busy(&self) -> bool {
        let state = self.shared.lock();
        state.since.is_some() || state.running
    }

    /// Batches run so far.
    pub fn batches(&self) -> u64 {
        self.shared.lock().batches
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.store = None;
        self.shared.wake.notify_all();
    }
}

fn run(shared: &Shared, base: &BaseIri, delay: Duration) {
    let mut state = shared.lock();
    loop {
        let Some(store) = state.store.clone() else {
            return;
        };
        let Some(since) = state.since else {
            drop(store);
            state = shared
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        };
        let due = since + delay;
        let now = Instant::now();
        if now < due {
            drop(store);
            state = shared
                .wake
                .wait_timeout(state, due - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            continue;
        }
        let graphs = std::mem::take(&mut state.graphs);
        let mappings = std::mem::take(&mut state.mappings);
        state.since = None;
        state.running = true;
        drop(state);
        batch(&store, base, &graphs, &mappings);
        drop(store);
        state = shared.lock();
        state.running = false;
        state.batches += 1;
    }
}

/// Recomputes the use cases naming any of `graphs` or `mappings`, each once.
fn batch(store: &Store, base: &BaseIri, graphs: &BTreeSet<NamedNode>, mappings: &BTreeSet<String>) {
    let started = Instant::now();
    let result = (|| -> Result<usize, super::AssessmentError> {
        let mut use_cases = BTreeSet::new();
        for graph in graphs {
            use_cases.extend(super::usecase::naming(
                store,
                base,
                super::vocab::DATA_GRAPH,
                graph.as_ref(),
            )?);
        }
        for id in mappings {
            let mapping = NamedNode::new_unchecked(base.join(&format!("mappings/{id}")));
            use_cases.extend(super::usecase::naming(
                store,
                base,
                super::vocab::USES_MAPPING,
                mapping.as_ref(),
            )?);
        }
        if use_cases.is_empty() {
            return Ok(0);
        }
        let use_cases: Vec<NamedNode> = use_cases.into_iter().collect();
        Ok(super::Session::new(store, base)?
            .recompute_each(&use_cases)?
            .use_cases)
    })();
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            use_cases = n,
            graphs = graphs.len(),
            mappings = mappings.len(),
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            "assessments recomputed"
        ),
        Err(error) => tracing::error!(%error, "recomputing assessments failed"),
    }
}
