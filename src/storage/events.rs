//! Change events: after every write the storage publishes one [`Change`] (which graphs, by
//! whom, through what, and for an ingest the subjects it wrote) to the subscribed
//! [`Consumer`]s. The contract:
//!
//! - A consumer that must never lag (derived graphs such as current state or rollups) says
//!   [`Consumer::exact`] and gets [`Consumer::in_transaction`] inside the writing
//!   transaction, before the commit, with the quads really added and removed when the write
//!   went through quads ([`Tx::delta`]). What it writes through the `Tx` commits with the
//!   write; an error it returns aborts the write. While such a consumer is subscribed, bulk
//!   commits become transactions so that it sees them too.
//! - An exact consumer that says [`Consumer::follows_batches`] is not handed a transaction for
//!   an ingest: [`Consumer::in_batch`] reads the store as it is before the batch and says which
//!   derived quads to remove and add ([`Derived`]); the batch and the derived quads then commit
//!   together through the bulk loader, so ingest keeps its speed. Readers never see the batch
//!   without its derived quads (the storage holds new snapshots back while both are written).
//! - Writes are serialised while an exact consumer is subscribed, so what it reads before a
//!   write is what the write changes.
//! - Every consumer gets [`Consumer::committed`] after the commit, in the writer's thread, in
//!   commit order per writer. It must be quick (mark, invalidate, enqueue): work that takes
//!   longer runs on the consumer's own thread. A panic there is logged and contained.
//! - A stop that was not clean may lose after-commit work that a consumer had queued; the
//!   next start calls [`Consumer::recover`] on each consumer before the first request.
//!
//! Adding a consumer is one file: implement the trait and subscribe it where the service is
//! built (`Storage::subscribe`); no handler changes. The storage holds consumers weakly: one
//! lives as long as its owner keeps it (a background thread stops when the service goes).

use super::{StoreError, Tx};
use crate::core::ids::MappingId;
use oxigraph::model::{GraphName, GraphNameRef, NamedOrBlankNode, Quad};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, Weak};

/// Through what a write came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// SPARQL 1.1 Graph Store Protocol (`/store`).
    GraphStore,
    /// SPARQL 1.1 Update (`/update`).
    Update,
    /// A payload ingested through a registry mapping.
    Ingest { mapping: MappingId },
    /// A quarantined payload replayed through its mapping.
    Replay { mapping: MappingId },
    /// The registry's mirror in `graph/mappings`: these mappings were created, replaced or
    /// deleted (empty: the whole mirror was rewritten at start).
    Registry { mappings: Vec<MappingId> },
    /// The use-case catalogue: a use case written, deleted or seeded.
    UseCases,
    /// Use-case assessments recomputed.
    Assessment,
    /// A use-case kit imported.
    Kit,
    /// A harvest of another catalogue.
    Harvest,
    /// The shipped ontologies synchronised at start.
    Ontologies,
    /// `citykg load`.
    Load,
    /// A new version of the city profile.
    Profile,
    /// KPI assessments computed or reported.
    Kpi,
    /// The NGSI-LD API (entities, batch operations).
    NgsiLd,
}

impl Origin {
    /// A short, fixed name: a metrics label or a log field.
    pub fn label(&self) -> &'static str {
        match self {
            Self::GraphStore => "graph_store",
            Self::Update => "update",
            Self::Ingest { .. } => "ingest",
            Self::Replay { .. } => "replay",
            Self::Registry { .. } => "registry",
            Self::UseCases => "use_cases",
            Self::Assessment => "assessment",
            Self::Kit => "kit",
            Self::Harvest => "harvest",
            Self::Ontologies => "ontologies",
            Self::Load => "load",
            Self::Profile => "profile",
            Self::Kpi => "kpi",
            Self::NgsiLd => "ngsi_ld",
        }
    }
}

/// Who and through what: given by the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The token's name, `anonymous` for an open write, `citykg` for the service's own work.
    pub agent: String,
    pub origin: Origin,
}

impl Cause {
    pub fn new(agent: impl Into<String>, origin: Origin) -> Self {
        Self {
            agent: agent.into(),
            origin,
        }
    }

    /// Work the service does on its own (start-up, background recomputation).
    pub fn service(origin: Origin) -> Self {
        Self::new("citykg", origin)
    }
}

/// Which graphs a write changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedGraphs {
    Listed(HashSet<GraphName>),
    /// Could not be told (an update whose templates name their graph with a variable, `CLEAR
    /// ALL`): any graph may have changed.
    Unknown,
}

impl ChangedGraphs {
    /// Whether `graph` may have changed.
    pub fn may_include(&self, graph: GraphNameRef<'_>) -> bool {
        match self {
            Self::Listed(graphs) => graphs.iter().any(|g| g.as_ref() == graph),
            Self::Unknown => true,
        }
    }
}

/// One committed write.
#[derive(Debug, Clone)]
pub struct Change {
    /// Increases with every change this process publishes.
    pub seq: u64,
    pub graphs: ChangedGraphs,
    pub cause: Cause,
    /// For an ingest, the subjects of the quads it wrote (distinct).
    pub subjects: Option<Arc<[NamedOrBlankNode]>>,
}

/// Something kept up to date from the changes. See the module documentation.
pub trait Consumer: Send + Sync {
    /// A short name for logs and errors.
    fn name(&self) -> &'static str;

    /// Whether it must follow changes inside the writing transaction.
    fn exact(&self) -> bool {
        false
    }

    /// Inside the writing transaction, before the commit (only when [`Consumer::exact`]).
    fn in_transaction(&self, _tx: &mut Tx<'_>, _change: &Change) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether it follows an ingest batch with [`Consumer::in_batch`] instead of inside a
    /// transaction.
    fn follows_batches(&self) -> bool {
        false
    }

    /// Before an ingest batch (quads only added) is stored, with the store as it is before it
    /// (only when [`Consumer::exact`] and [`Consumer::follows_batches`]): pushes the derived
    /// quads to remove and to add. An error aborts the write.
    fn in_batch(
        &self,
        _quads: &[Quad],
        _change: &Change,
        _derived: &mut Derived,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// After the commit. Quick: mark, invalidate or enqueue.
    fn committed(&self, _change: &Change) {}

    /// At start after a stop that was not clean: rebuild what queued work may have been lost.
    fn recover(&self) {}
}

/// Derived quads an exact consumer removes and adds with an ingest batch. They must not hold
/// blank nodes.
#[derive(Debug, Default)]
pub struct Derived {
    pub remove: Vec<Quad>,
    pub insert: Vec<Quad>,
}

impl Derived {
    /// Drops what is both removed and added (unchanged): the removals run after the additions.
    pub fn settle(&mut self) {
        if self.remove.is_empty() || self.insert.is_empty() {
            return;
        }
        let kept: HashSet<&Quad> = self.insert.iter().collect();
        let unchanged: HashSet<Quad> = self
            .remove
            .iter()
            .filter(|q| kept.contains(q))
            .cloned()
            .collect();
        if unchanged.is_empty() {
            return;
        }
        self.remove.retain(|q| !unchanged.contains(q));
        self.insert.retain(|q| !unchanged.contains(q));
    }

    pub(super) fn graphs(&self) -> impl Iterator<Item = &GraphName> {
        self.remove
            .iter()
            .chain(&self.insert)
            .map(|q| &q.graph_name)
    }
}

#[derive(Default)]
pub(super) struct Hub {
    consumers: RwLock<Vec<Weak<dyn Consumer>>>,
    seq: AtomicU64,
}

impl Hub {
    fn consumers(&self) -> Vec<Arc<dyn Consumer>> {
        self.consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(Weak::upgrade)
            .collect()
    }

    pub(super) fn subscribe(&self, consumer: Weak<dyn Consumer>) {
        let mut consumers = self
            .consumers
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        consumers.retain(|c| c.strong_count() > 0);
        consumers.push(consumer);
    }

    /// Whether writes must go through a transaction that records its quads.
    pub(super) fn wants_quads(&self) -> bool {
        self.consumers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|c| c.upgrade().is_some_and(|c| c.exact()))
    }

    pub(super) fn wants_transaction(&self) -> bool {
        self.wants_quads()
    }

    /// The exact consumers, when every one of them follows ingest batches (`None`: an ingest
    /// must go through a transaction).
    pub(super) fn batch_followers(&self) -> Option<Vec<Arc<dyn Consumer>>> {
        let exact: Vec<_> = self.consumers().into_iter().filter(|c| c.exact()).collect();
        exact.iter().all(|c| c.follows_batches()).then_some(exact)
    }

    pub(super) fn draft(
        &self,
        cause: Cause,
        graphs: ChangedGraphs,
        subjects: Option<Arc<[NamedOrBlankNode]>>,
    ) -> Change {
        Change {
            seq: 0,
            graphs,
            cause,
            subjects,
        }
    }

    /// Lets every exact consumer follow the change inside `tx`; the change then also lists
    /// the graphs they wrote.
    pub(super) fn run_in_transaction(
        &self,
        tx: &mut Tx<'_>,
        mut change: Change,
    ) -> Result<Change, StoreError> {
        let exact: Vec<_> = self.consumers().into_iter().filter(|c| c.exact()).collect();
        if exact.is_empty() {
            return Ok(change);
        }
        for consumer in exact {
            consumer.in_transaction(tx, &change)?;
        }
        change.graphs = tx.changed_graphs();
        Ok(change)
    }

    /// Hands a committed change to every consumer.
    pub(super) fn deliver(&self, change: &Change) {
        let mut change = change.clone();
        change.seq = self.seq.fetch_add(1, Ordering::AcqRel) + 1;
        for consumer in self.consumers() {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                consumer.committed(&change);
            }));
            if outcome.is_err() {
                tracing::error!(
                    consumer = consumer.name(),
                    seq = change.seq,
                    "a change consumer panicked; the write itself is committed"
                );
            }
        }
    }

    /// Publishes a change committed without a transaction (bulk loads).
    pub(super) fn publish(
        &self,
        cause: Cause,
        graphs: ChangedGraphs,
        subjects: Option<Arc<[NamedOrBlankNode]>>,
    ) {
        let change = self.draft(cause, graphs, subjects);
        self.deliver(&change);
    }

    pub(super) fn recover(&self) {
        for consumer in self.consumers() {
            tracing::info!(
                consumer = consumer.name(),
                "the last stop was not clean: rebuilding"
            );
            consumer.recover();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Storage;
    use oxigraph::model::{Literal, NamedNode, Quad};
    use std::sync::Mutex;

    fn iri(text: &str) -> NamedNode {
        NamedNode::new(text).unwrap()
    }

    fn quad(graph: &str, value: i64) -> Quad {
        Quad::new(
            iri("http://e/s"),
            iri("http://e/p"),
            Literal::from(value),
            iri(graph),
        )
    }

    /// Records every change it is handed.
    #[derive(Default)]
    struct Log(Mutex<Vec<Change>>);

    impl Consumer for Log {
        fn name(&self) -> &'static str {
            "log"
        }

        fn committed(&self, change: &Change) {
            self.0.lock().unwrap().push(change.clone());
        }
    }

    impl Log {
        fn take(&self) -> Vec<Change> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }

    /// Keeps a count of the quads of `http://e/g` in `http://e/derived`, exactly, inside each
    /// write; refuses a write that would leave the graph with more than three quads.
    struct Counter;

    impl Consumer for Counter {
        fn name(&self) -> &'static str {
            "counter"
        }

        fn exact(&self) -> bool {
            true
        }

        fn in_transaction(&self, tx: &mut Tx<'_>, change: &Change) -> Result<(), StoreError> {
            let watched = iri("http://e/g");
            if !change.graphs.may_include(watched.as_ref().into()) {
                return Ok(());
            }
            let delta = tx.delta().cloned().unwrap_or_default();
            let count = tx
                .quads(None, None, None, Some(watched.as_ref().into()))
                .count();
            if count > 3 {
                return Err(StoreError::Consumer {
                    consumer: self.name(),
                    message: format!("{count} quads, at most 3"),
                });
            }
            let derived = iri("http://e/derived");
            tx.clear_graph(&derived)?;
            tx.insert(&Quad::new(
                watched.clone(),
                iri("http://e/count"),
                Literal::from(count as i64),
                derived.clone(),
            ))?;
            tx.insert(&Quad::new(
                watched,
                iri("http://e/lastDelta"),
                Literal::from((delta.inserted.len() as i64) - (delta.removed.len() as i64)),
                derived,
            ))?;
            Ok(())
        }
    }

    fn derived(store: &Storage, predicate: &str) -> Option<String> {
        store
            .quads(None, Some(iri(predicate).as_ref()), None, None)
            .next()
            .map(|q| match q.unwrap().object {
                oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
    }

    #[test]
    fn every_kind_of_write_publishes_one_change_with_its_graphs_and_cause() {
        let store = Storage::in_memory().unwrap();
        let log = Arc::new(Log::default());
        store.subscribe(&log);
        let by = |origin| Cause::new("alice", origin);

        store
            .write(by(Origin::GraphStore), |tx| {
                tx.insert(&quad("http://e/a", 1))
            })
            .unwrap();
        store
            .commit_quads(
                by(Origin::Ingest {
                    mapping: MappingId::parse("m").unwrap(),
                }),
                &[quad("http://e/b", 1), quad("http://e/b", 2)],
            )
            .unwrap();
        let update = |text: &str| {
            oxigraph::sparql::SparqlEvaluator::new()
                .parse_update(text)
                .unwrap()
        };
        store
            .update(
                by(Origin::Update),
                update("INSERT DATA { GRAPH <http://e/c> { <http://e/s> <http://e/p> 1 } }"),
                ChangedGraphs::Listed([GraphName::from(iri("http://e/c"))].into()),
            )
            .unwrap();
        // A read-only transaction publishes nothing.
        store
            .write(by(Origin::GraphStore), |tx| {
                tx.contains_graph(&iri("http://e/a"))
            })
            .unwrap();

        let changes = log.take();
        assert_eq!(changes.len(), 3, "{changes:?}");
        let graphs: Vec<_> = changes.iter().map(|c| c.graphs.clone()).collect();
        for (graphs, expected) in graphs
            .iter()
            .zip(["http://e/a", "http://e/b", "http://e/c"])
        {
            assert_eq!(
                *graphs,
                ChangedGraphs::Listed([GraphName::from(iri(expected))].into())
            );
        }
        assert!(changes.iter().all(|c| c.cause.agent == "alice"));
        assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(changes[1].subjects.as_ref().map(|s| s.len()), Some(1));
        assert!(matches!(changes[1].cause.origin, Origin::Ingest { .. }));
    }

    #[test]
    fn a_failed_write_publishes_nothing_and_stores_nothing() {
        let store = Storage::in_memory().unwrap();
        let log = Arc::new(Log::default());
        store.subscribe(&log);
        let outcome: Result<(), StoreError> = store.write(Cause::service(Origin::Load), |tx| {
            tx.insert(&quad("http://e/a", 1))?;
            Err(StoreError::Join)
        });
        assert!(outcome.is_err());
        assert!(store.is_empty().unwrap());
        assert!(log.take().is_empty());
    }

    #[test]
    fn an_exact_consumer_follows_each_write_inside_its_transaction() {
        let store = Storage::in_memory().unwrap();
        let counter = Arc::new(Counter);
        let log = Arc::new(Log::default());
        store.subscribe(&counter);
        store.subscribe(&log);
        let cause = || Cause::service(Origin::Load);

        // A bulk commit goes through a transaction while an exact consumer listens.
        store
            .commit_quads(cause(), &[quad("http://e/g", 1), quad("http://e/g", 2)])
            .unwrap();
        assert_eq!(derived(&store, "http://e/count").as_deref(), Some("2"));
        assert_eq!(derived(&store, "http://e/lastDelta").as_deref(), Some("2"));
        // Only quads that were really added count; removals count too.
        store
            .write(cause(), |tx| {
                tx.insert(&quad("http://e/g", 1))?;
                tx.remove(&quad("http://e/g", 2))
            })
            .unwrap();
        assert_eq!(derived(&store, "http://e/count").as_deref(), Some("1"));
        assert_eq!(derived(&store, "http://e/lastDelta").as_deref(), Some("-1"));
        // An update given as data is followed quad by quad: the delta is known.
        let insert = crate::storage::DataOperation::Insert(vec![quad("http://e/g", 9)]);
        let prepared = oxigraph::sparql::SparqlEvaluator::new()
            .parse_update("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 9 } }")
            .unwrap();
        store
            .update_with_data(
                cause(),
                prepared,
                ChangedGraphs::Listed([GraphName::from(iri("http://e/g"))].into()),
                Some(&[insert]),
            )
            .unwrap();
        assert_eq!(derived(&store, "http://e/count").as_deref(), Some("2"));
        assert_eq!(derived(&store, "http://e/lastDelta").as_deref(), Some("1"));
        store
            .write(cause(), |tx| tx.remove(&quad("http://e/g", 9)))
            .unwrap();
        // The published change lists the derived graph too.
        let last = log.take().pop().unwrap();
        assert!(
            last.graphs
                .may_include(iri("http://e/derived").as_ref().into())
        );
        // The consumer refuses: the whole write is undone, nothing is published.
        let refused = store.commit_quads(
            cause(),
            &[
                quad("http://e/g", 3),
                quad("http://e/g", 4),
                quad("http://e/g", 5),
            ],
        );
        assert!(matches!(refused, Err(StoreError::Consumer { .. })));
        assert_eq!(derived(&store, "http://e/count").as_deref(), Some("1"));
        assert!(!store.contains(&quad("http://e/g", 3)).unwrap());
        assert!(log.take().is_empty());
        // Dropping the consumer's owner unsubscribes it.
        drop(counter);
        store
            .commit_quads(
                cause(),
                &[
                    quad("http://e/g", 6),
                    quad("http://e/g", 7),
                    quad("http://e/g", 8),
                ],
            )
            .unwrap();
        assert_eq!(derived(&store, "http://e/count").as_deref(), Some("1"));
    }

    #[test]
    fn a_consumer_panic_is_contained_after_the_commit() {
        struct Panics;
        impl Consumer for Panics {
            fn name(&self) -> &'static str {
                "panics"
            }
            fn committed(&self, _: &Change) {
                panic!("a consumer bug");
            }
        }
        let store = Storage::in_memory().unwrap();
        let panics = Arc::new(Panics);
        let log = Arc::new(Log::default());
        store.subscribe(&panics);
        store.subscribe(&log);
        store
            .write(Cause::service(Origin::Load), |tx| {
                tx.insert(&quad("http://e/a", 1))
            })
            .unwrap();
        assert!(store.contains(&quad("http://e/a", 1)).unwrap());
        assert_eq!(
            log.take().len(),
            1,
            "the next consumer still gets the change"
        );
    }
}
