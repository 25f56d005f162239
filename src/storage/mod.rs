//! The storage boundary. Everything else reads and writes the dataset through [`Storage`]:
//! named graphs of quads, SPARQL queries, transactions ([`Tx`]) and bulk commits, and never
//! through oxigraph's store types (a test checks that no module outside this folder imports
//! `oxigraph::store`). Every write goes through [`Storage::write`], [`Storage::update`],
//! [`Storage::commit_quads`] or [`bulk::load_files`], which commit and then publish one
//! [`Change`] to the subscribed [`Consumer`]s (see `events.rs` for the contract).
//!
//! Today the one backend is the embedded oxigraph store (RocksDB on disk, or memory). What only
//! an embedded store can do (the bulk loader, in-process transactions) is said by
//! [`Capabilities`], so a remote SPARQL 1.1 backend can answer `false` and the callers fall
//! back to plain requests.

pub mod bulk;
pub mod describe;
pub mod events;

pub mod pool;
mod tx;
pub mod upkeep;

pub use events::{Cause, Change, ChangedGraphs, Consumer, Derived, Origin};
pub use tx::{Delta, LoadError, Quads, Tx};

use crate::core::config::StoreLocation;
use events::Hub;
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef,
    TermRef,
};
use oxigraph::sparql::{
    PreparedSparqlQuery, PreparedSparqlUpdate, QueryEvaluationError, QueryResults,
    UpdateEvaluationError,
};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        source: oxigraph::store::StorageError,
    },
    #[error("storage error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("the blocking task was cancelled or panicked")]
    Join,
    /// A consumer that keeps derived data inside the writing transaction could not: the write
    /// is not committed.
    #[error("{consumer} could not follow the change, so nothing was written: {message}")]
    Consumer {
        consumer: &'static str,
        message: String,
    },
    /// Something citykg stored itself cannot be read back (a damaged store).
    #[error("stored data cannot be read back: {0}")]
    Unreadable(String),
}

/// What a backend can do beyond SPARQL 1.1 Protocol and Graph Store Protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Reads and writes in one isolated, atomic transaction in this process.
    pub transactions: bool,
    /// A loader that writes large batches faster than a transaction, still atomically.
    pub bulk_load: bool,
}

/// The dataset citykg keeps, and the one way to change it. Cheap to clone (a handle).
#[derive(Clone)]
pub struct Storage {
    store: Store,
    hub: Arc<Hub>,
    order: Arc<WriteOrder>,
}

/// Keeps derived data in step with the writes while an exact consumer is subscribed: writes
/// run one at a time, and no read snapshot is taken while an ingest batch and its derived quads
/// are written in their two steps (bulk load, then the derived removals).
#[derive(Default)]
struct WriteOrder {
    writer: Mutex<()>,
    gate: RwLock<()>,
}

impl WriteOrder {
    fn serial(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn reading(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The folder inside a data location where RocksDB keeps its files.
pub fn rocksdb_dir(location: &Path) -> PathBuf {
    location.join("store")
}

/// The file that says a server is running on a data location: left behind by a stop that was
/// not clean, so the next start knows after-commit work may have been lost.
fn running_marker(location: &Path) -> PathBuf {
    location.join("citykg.running")
}

impl Storage {
    pub fn open(location: &StoreLocation) -> Result<Self, StoreError> {
        let store = match location {
            StoreLocation::Memory => Store::new()?,
            StoreLocation::Disk(dir) => open_disk(&rocksdb_dir(dir))?,
        };
        Ok(Self::over(store))
    }

    /// An empty store in memory (tests, `citykg map --validate`, previews).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self::over(Store::new()?))
    }

    fn over(store: Store) -> Self {
        Self {
            store,
            hub: Arc::new(Hub::default()),
            order: Arc::default(),
        }
    }

    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactions: true,
            bulk_load: true,
        }
    }

    /// Adds a consumer of every later change, for as long as its owner keeps it.
    pub fn subscribe<C: Consumer + 'static>(&self, consumer: &Arc<C>) {
        let weak: std::sync::Weak<C> = Arc::downgrade(consumer);
        self.hub.subscribe(weak);
    }

    /// Notes that a server runs on `location`; returns whether the previous one did not stop
    /// cleanly, in which case every consumer is asked to [`Consumer::recover`].
    pub fn mark_running(&self, location: &StoreLocation) -> std::io::Result<bool> {
        let StoreLocation::Disk(dir) = location else {
            return Ok(false);
        };
        let marker = running_marker(dir);
        let unclean = marker.exists();
        if unclean {
            self.hub.recover();
        }
        crate::core::durable::write_file(&marker, b"")?;
        Ok(unclean)
    }

    /// Flushes the store to disk and notes the clean stop.
    pub fn close(&self, location: &StoreLocation) -> Result<(), StoreError> {
        self.flush()?;
        if let StoreLocation::Disk(dir) = location {
            match std::fs::remove_file(running_marker(dir)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    tracing::warn!(error = %e, "the running marker was not removed");
                }
                _ => {}
            }
        }
        Ok(())
    }

    // --- reads, each on a snapshot of its own ---

    /// The quads matching a pattern (`None`: any).
    pub fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'static> {
        let _reading = self.order.reading();
        Quads::new(
            self.store
                .quads_for_pattern(subject, predicate, object, graph),
        )
    }

    /// The quads of one graph.
    pub fn graph_quads(&self, graph: GraphNameRef<'_>) -> Quads<'static> {
        self.quads(None, None, None, Some(graph))
    }

    /// Every quad of the dataset.
    pub fn all_quads(&self) -> Quads<'static> {
        let _reading = self.order.reading();
        Quads::new(self.store.iter())
    }

    pub fn contains<'b>(&self, quad: impl Into<QuadRef<'b>>) -> Result<bool, StoreError> {
        let _reading = self.order.reading();
        Ok(self.store.contains(quad)?)
    }

    pub fn contains_graph<'b>(
        &self,
        graph: impl Into<NamedOrBlankNodeRef<'b>>,
    ) -> Result<bool, StoreError> {
        let _reading = self.order.reading();
        Ok(self.store.contains_named_graph(graph)?)
    }

    /// The names of the named graphs.
    pub fn named_graphs(&self) -> impl Iterator<Item = Result<NamedOrBlankNode, StoreError>> {
        let _reading = self.order.reading();
        self.store
            .named_graphs()
            .map(|g| g.map_err(StoreError::from))
    }

    /// The number of quads (walks the whole store: cache it).
    pub fn len(&self) -> Result<usize, StoreError> {
        let _reading = self.order.reading();
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let _reading = self.order.reading();
        Ok(self.store.is_empty()?)
    }

    /// Evaluates a prepared query on a snapshot; solutions are produced lazily.
    pub fn query(
        &self,
        query: PreparedSparqlQuery,
    ) -> Result<QueryResults<'static>, QueryEvaluationError> {
        // The snapshot is taken when the query is bound to the store.
        let bound = {
            let _reading = self.order.reading();
            query.on_store(&self.store)
        };
        bound.execute()
    }

    // --- writes ---

    /// Runs `work` in one transaction, commits, and publishes what it changed. Nothing is
    /// written when `work` or a consumer inside the transaction fails.
    pub fn write<T, E: From<StoreError>>(
        &self,
        cause: Cause,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let wants_quads = self.hub.wants_quads();
        let _serial = wants_quads.then(|| self.order.serial());
        let mut tx = Tx::start(&self.store, wants_quads)?;
        let value = work(&mut tx)?;
        self.commit(tx, cause, None)?;
        Ok(value)
    }

    /// Adds quads, in one transaction.
    pub fn extend(
        &self,
        cause: Cause,
        quads: impl IntoIterator<Item = impl Into<Quad>>,
    ) -> Result<(), StoreError> {
        self.write(cause, |tx| {
            for quad in quads {
                tx.insert(&quad.into())?;
            }
            Ok(())
        })
    }

    /// Removes then adds quads, in one transaction.
    pub fn apply(&self, cause: Cause, remove: &[Quad], insert: &[Quad]) -> Result<(), StoreError> {
        self.write(cause, |tx| {
            for quad in remove {
                tx.remove(quad.as_ref())?;
            }
            for quad in insert {
                tx.insert(quad.as_ref())?;
            }
            Ok(())
        })
    }

    /// Runs a SPARQL update in one transaction and publishes the change. `graphs` are those
    /// the update may touch, read from its algebra (`ChangedGraphs::Unknown` when a template
    /// names its graph by a variable). With an exact consumer subscribed, the update runs in a
    /// `Tx` so that the consumer follows it inside the same transaction.
    pub fn update(
        &self,
        cause: Cause,
        update: PreparedSparqlUpdate,
        graphs: ChangedGraphs,
    ) -> Result<(), UpdateFailure> {
        self.update_with_data(cause, update, graphs, None)
    }

    /// [`Storage::update`] for an update made only of `INSERT DATA` and `DELETE DATA`
    /// operations, given as `data` too: with an exact consumer subscribed, they are applied
    /// quad by quad, so that the consumer sees exactly what changed instead of recomputing.
    pub fn update_with_data(
        &self,
        cause: Cause,
        update: PreparedSparqlUpdate,
        graphs: ChangedGraphs,
        data: Option<&[DataOperation]>,
    ) -> Result<(), UpdateFailure> {
        if !self.hub.wants_transaction() {
            // oxigraph picks the transaction itself: a write-only one when the update reads
            // nothing (`INSERT DATA`), twice as fast on a large body as a readable one.
            update
                .on_store(&self.store)
                .execute()
                .map_err(UpdateFailure::Evaluation)?;
            if graphs != ChangedGraphs::Listed(HashSet::new()) {
                self.hub.publish(cause, graphs, None);
            }
            return Ok(());
        }
        if let Some(operations) = data {
            return Ok(self.write(cause, |tx| {
                for operation in operations {
                    match operation {
                        DataOperation::Insert(quads) => {
                            for quad in quads {
                                tx.insert(quad)?;
                            }
                        }
                        DataOperation::Delete(quads) => {
                            for quad in quads {
                                tx.remove(quad)?;
                            }
                        }
                    }
                }
                Ok::<_, StoreError>(())
            })?);
        }
        let _serial = self.order.serial();
        let mut tx = Tx::start(&self.store, self.hub.wants_quads())?;
        update
            .on_transaction(tx.inner_mut())
            .execute()
            .map_err(UpdateFailure::Evaluation)?;
        tx.forget_delta();
        tx.touch_all(graphs);
        self.commit(tx, cause, None)?;
        Ok(())
    }

    /// Stores a batch of quads atomically (one ingest) with the bulk loader, which writes
    /// sorted files instead of going through memtables (about three times faster than a
    /// transaction for a batch of records). Exact consumers that follow batches add their
    /// derived quads to the same load; one that does not makes it a transaction. The change
    /// lists the batch's graphs and subjects.
    pub fn commit_quads(&self, cause: Cause, quads: &[Quad]) -> Result<(), StoreError> {
        let subjects: HashSet<&NamedOrBlankNode> = quads.iter().map(|q| &q.subject).collect();
        let subjects: Arc<[NamedOrBlankNode]> = subjects.into_iter().cloned().collect();
        let mut graphs: HashSet<GraphName> = quads.iter().map(|q| q.graph_name.clone()).collect();
        if !self.hub.wants_transaction() {
            self.bulk_insert(quads.iter().cloned())?;
            self.hub
                .publish(cause, ChangedGraphs::Listed(graphs), Some(subjects));
            return Ok(());
        }
        let _serial = self.order.serial();
        let started = std::time::Instant::now();
        let Some(followers) = self.hub.batch_followers() else {
            let mut tx = Tx::start(&self.store, true)?;
            for quad in quads {
                tx.insert(quad.as_ref())?;
            }
            return self.commit(tx, cause, Some(subjects));
        };
        let mut change =
            self.hub
                .draft(cause, ChangedGraphs::Listed(graphs.clone()), Some(subjects));
        let mut derived = Derived::default();
        for consumer in followers {
            consumer.in_batch(quads, &change, &mut derived)?;
        }
        derived.settle();
        graphs.extend(derived.graphs().cloned());
        change.graphs = ChangedGraphs::Listed(graphs);
        let planned = std::time::Instant::now();
        {
            // No snapshot sees the batch without its derived removals.
            let _writing = self
                .order
                .gate
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            self.bulk_insert(quads.iter().chain(&derived.insert).cloned())?;
            if !derived.remove.is_empty() {
                self.remove_all(&derived.remove)?;
            }
        }
        tracing::debug!(
            plan_ms = (planned - started).as_secs_f64() * 1000.0,
            write_ms = planned.elapsed().as_secs_f64() * 1000.0,
            quads = quads.len(),
            inserted = derived.insert.len(),
            removed = derived.remove.len(),
            "batch with derived quads"
        );
        self.hub.deliver(&change);
        Ok(())
    }

    /// Replaces named graphs with what `fill` hands over (a rebuild of derived graphs): clears
    /// them (their quads must have no blank nodes), then bulk-loads the new quads in large chunks. Not atomic, so
    /// only for start-up and commands, while nothing else writes. Publishes one change;
    /// returns the number of quads written.
    pub fn rewrite_graphs(
        &self,
        cause: Cause,
        graphs: &[oxigraph::model::NamedNode],
        fill: &mut dyn FnMut(&mut Emit<'_>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        const CHUNK: usize = 200_000;
        let _serial = self.order.serial();
        // Cleared in write-only batches read from a snapshot: several times faster than a
        // readable transaction, which indexes every removal.
        for graph in graphs {
            let mut chunk = Vec::with_capacity(CHUNK);
            for quad in self
                .store
                .quads_for_pattern(None, None, None, Some(graph.into()))
            {
                chunk.push(quad?);
                if chunk.len() == CHUNK {
                    self.remove_all(&std::mem::take(&mut chunk))?;
                }
            }
            self.remove_all(&chunk)?;
        }
        let mut written = 0u64;
        let mut pending: Vec<Quad> = Vec::new();
        fill(&mut |chunk| {
            written += chunk.len() as u64;
            pending.extend(chunk);
            if pending.len() >= CHUNK {
                self.bulk_insert(std::mem::take(&mut pending))?;
            }
            Ok(())
        })?;
        if !pending.is_empty() {
            self.bulk_insert(pending)?;
        }
        let listed = graphs.iter().cloned().map(GraphName::from).collect();
        self.hub.publish(cause, ChangedGraphs::Listed(listed), None);
        Ok(written)
    }

    fn bulk_insert(&self, quads: impl IntoIterator<Item = Quad>) -> Result<(), StoreError> {
        let mut loader = self.store.bulk_loader();
        loader.load_quads(quads)?;
        Ok(loader.commit()?)
    }

    /// Removes quads without blank nodes in one write-only batch (a `DELETE DATA`, which
    /// oxigraph runs without a readable transaction).
    fn remove_all(&self, quads: &[Quad]) -> Result<(), StoreError> {
        let data = quads.iter().filter_map(ground).collect();
        let update = spargebra::Update {
            base_iri: None,
            operations: vec![spargebra::GraphUpdateOperation::DeleteData { data }],
        };
        oxigraph::sparql::SparqlEvaluator::new()
            .for_update(update)
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::Consumer {
                consumer: "derived removals",
                message: e.to_string(),
            })
    }

    fn commit(
        &self,
        mut tx: Tx<'_>,
        cause: Cause,
        subjects: Option<Arc<[NamedOrBlankNode]>>,
    ) -> Result<(), StoreError> {
        if tx.is_untouched() {
            tx.into_inner().commit()?;
            return Ok(());
        }
        let change = self.hub.draft(cause, tx.changed_graphs(), subjects);
        let change = self.hub.run_in_transaction(&mut tx, change)?;
        tx.into_inner().commit()?;
        self.hub.deliver(&change);
        Ok(())
    }

    /// Writes a disk store's buffers to disk; nothing to do for a memory store.
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        self.store.flush()?;
        Ok(())
    }

    /// The bulk loader, for `bulk::load_files`.
    fn bulk_loader(&self) -> oxigraph::store::BulkLoader<'_> {
        self.store.bulk_loader()
    }

    /// Publishes a change made outside a transaction (a bulk load).
    fn published(&self, cause: Cause, graphs: ChangedGraphs) {
        self.hub.publish(cause, graphs, None);
    }
}

/// Where a rebuild hands its quads, a chunk at a time.
pub type Emit<'a> = dyn FnMut(Vec<Quad>) -> Result<(), StoreError> + 'a;

/// A quad as `DELETE DATA` takes it; `None` for one with a blank node.
fn ground(quad: &Quad) -> Option<spargebra::term::GroundQuad> {
    use spargebra::term::GroundTerm;
    let subject = match &quad.subject {
        NamedOrBlankNode::NamedNode(n) => n.clone(),
        NamedOrBlankNode::BlankNode(_) => return None,
    };
    let object = match &quad.object {
        oxigraph::model::Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
        oxigraph::model::Term::Literal(l) => GroundTerm::Literal(l.clone()),
        _ => return None,
    };
    let graph_name = match &quad.graph_name {
        GraphName::NamedNode(n) => spargebra::term::GraphName::NamedNode(n.clone()),
        GraphName::DefaultGraph => spargebra::term::GraphName::DefaultGraph,
        GraphName::BlankNode(_) => return None,
    };
    Some(spargebra::term::GroundQuad {
        subject,
        predicate: quad.predicate.clone(),
        object,
        graph_name,
    })
}

/// One `INSERT DATA` or `DELETE DATA` operation of an update, as quads (an insertion's blank
/// nodes already made fresh).
#[derive(Debug, Clone)]
pub enum DataOperation {
    Insert(Vec<Quad>),
    Delete(Vec<Quad>),
}

/// A failed SPARQL update: the update itself, or storing its result.
#[derive(Debug, thiserror::Error)]
pub enum UpdateFailure {
    #[error(transparent)]
    Evaluation(UpdateEvaluationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(feature = "rocksdb")]
fn open_disk(path: &Path) -> Result<Store, StoreError> {
    std::fs::create_dir_all(path).map_err(|e| StoreError::Open {
        path: path.to_owned(),
        source: e.into(),
    })?;
    Store::open(path).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })
}

/// Without the `rocksdb` feature (the fuzz build) only the in-memory store exists.
#[cfg(not(feature = "rocksdb"))]
fn open_disk(path: &Path) -> Result<Store, StoreError> {
    Err(StoreError::Open {
        path: path.to_owned(),
        source: std::io::Error::other("citykg was built without the `rocksdb` feature").into(),
    })
}

/// Runs blocking store work on tokio's blocking pool, keeping the caller's tracing span.
pub async fn run_blocking<T, F>(work: F) -> Result<T, StoreError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|_| StoreError::Join)
}
