//! Recomputation off the request path. The scheduler is a consumer of the storage's change
//! events: a change to data graphs (ingest, replay, Graph Store, SPARQL Update, loads) or to
//! registry mappings only marks them (a set insert under a lock, microseconds); one background
//! thread per service waits [`super::DEBOUNCE`] after the first mark, takes every mark gathered
//! by then, and recomputes the use cases that name them (each data graph read once per batch).
//! A burst of ingests into one graph therefore costs one recomputation, and ingest latency
//! none. A change whose graphs are unknown, and a start after a stop that was not clean (marks
//! may have been lost), recompute every use case.
//!
//! The thread holds the store only while the service runs: dropping the [`Scheduler`] (with the
//! service's state) stops it, so the store's files can be reopened.

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use oxigraph::model::{GraphName, NamedNode};

use crate::core::config::BaseIri;
use crate::core::ids::MappingId;
use crate::storage::{Change, ChangedGraphs, Consumer, Origin, Storage};

pub struct Scheduler {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

struct State {
    store: Option<Storage>,
    graphs: BTreeSet<NamedNode>,
    mappings: BTreeSet<MappingId>,
    /// Every use case is to be recomputed.
    everything: bool,
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
    pub fn start(store: Storage, base: BaseIri, delay: Duration) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                store: Some(store),
                graphs: BTreeSet::new(),
                mappings: BTreeSet::new(),
                everything: false,
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

    fn mark(&self, marks: impl FnOnce(&mut State)) {
        let mut state = self.shared.lock();
        marks(&mut state);
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

impl Consumer for Scheduler {
    fn name(&self) -> &'static str {
        "assessment scheduler"
    }

    fn committed(&self, change: &Change) {
        match &change.cause.origin {
            // Its own results, and use-case writes (the catalogue assesses those at once).
            Origin::Assessment | Origin::UseCases | Origin::Ontologies => {}
            Origin::Registry { mappings } => {
                self.mark(|state| state.mappings.extend(mappings.iter().cloned()));
            }
            _ => match &change.graphs {
                ChangedGraphs::Unknown => self.mark(|state| state.everything = true),
                ChangedGraphs::Listed(graphs) => {
                    let named: Vec<NamedNode> = graphs
                        .iter()
                        .filter_map(|g| match g {
                            GraphName::NamedNode(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect();
                    if !named.is_empty() {
                        self.mark(|state| state.graphs.extend(named));
                    }
                }
            },
        }
    }

    fn recover(&self) {
        self.mark(|state| state.everything = true);
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
        let marks = Marks {
            graphs: std::mem::take(&mut state.graphs),
            mappings: std::mem::take(&mut state.mappings),
            everything: std::mem::take(&mut state.everything),
        };
        state.since = None;
        state.running = true;
        drop(state);
        batch(&store, base, &marks);
        drop(store);
        state = shared.lock();
        state.running = false;
        state.batches += 1;
    }
}

/// What changed since the last batch.
struct Marks {
    graphs: BTreeSet<NamedNode>,
    mappings: BTreeSet<MappingId>,
    everything: bool,
}

/// Recomputes the use cases naming any of the marked graphs or mappings, each once.
fn batch(store: &Storage, base: &BaseIri, marks: &Marks) {
    let started = Instant::now();
    let result = (|| -> Result<usize, super::AssessmentError> {
        if marks.everything {
            return Ok(super::recompute_all(store, base)?.use_cases);
        }
        let mut use_cases = BTreeSet::new();
        for graph in &marks.graphs {
            use_cases.extend(super::usecase::naming(
                store,
                base,
                crate::core::vocab::DATA_GRAPH,
                graph.as_ref(),
            )?);
        }
        for id in &marks.mappings {
            let mapping = crate::core::ids::mapping_iri(base, id);
            use_cases.extend(super::usecase::naming(
                store,
                base,
                crate::core::vocab::USES_MAPPING,
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
            graphs = marks.graphs.len(),
            mappings = marks.mappings.len(),
            everything = marks.everything,
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            "assessments recomputed"
        ),
        Err(error) => tracing::error!(%error, "recomputing assessments failed"),
    }
}
