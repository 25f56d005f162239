//! [`Tx`]: one write transaction. It reads what it has written, records which graphs it
//! touches (the change event's graph list) and, when a consumer follows quads inside
//! transactions, the quads it actually added and removed ([`Delta`]).

use super::StoreError;
use super::events::ChangedGraphs;
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef,
};
use oxigraph::store::{QuadIter, Store, Transaction};
use std::collections::HashSet;

/// Quads read from the store or a transaction.
pub struct Quads<'a> {
    inner: QuadIter<'a>,
}

impl<'a> Quads<'a> {
    pub(super) fn new(inner: QuadIter<'a>) -> Self {
        Self { inner }
    }
}

impl Iterator for Quads<'_> {
    type Item = Result<Quad, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|q| q.map_err(StoreError::from))
    }
}

/// The quads a transaction really added (absent before) and removed (present before).
#[derive(Debug, Default, Clone)]
pub struct Delta {
    pub inserted: Vec<Quad>,
    pub removed: Vec<Quad>,
}

/// A failed load of RDF text into a transaction.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Parse(#[from] RdfParseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Tx<'a> {
    inner: Transaction<'a>,
    graphs: HashSet<GraphName>,
    unknown: bool,
    delta: Option<Delta>,
}

impl<'a> Tx<'a> {
    pub(super) fn start(store: &'a Store, track_quads: bool) -> Result<Self, StoreError> {
        Ok(Self {
            inner: store.start_transaction()?,
            graphs: HashSet::new(),
            unknown: false,
            delta: track_quads.then(Delta::default),
        })
    }

    fn touch(&mut self, graph: GraphNameRef<'_>) {
        // Writes touch few graphs: a scan spares the allocation per quad.
        if self.graphs.len() < 16 && self.graphs.iter().any(|g| g.as_ref() == graph) {
            return;
        }
        self.graphs.insert(graph.into_owned());
    }

    /// The quads an update changed are not known: a consumer recomputes from the graphs.
    pub(super) fn forget_delta(&mut self) {
        self.delta = None;
    }

    pub(super) fn touch_all(&mut self, graphs: ChangedGraphs) {
        match graphs {
            ChangedGraphs::Listed(listed) => self.graphs.extend(listed),
            ChangedGraphs::Unknown => self.unknown = true,
        }
    }

    pub(super) fn is_untouched(&self) -> bool {
        self.graphs.is_empty() && !self.unknown
    }

    pub(super) fn changed_graphs(&self) -> ChangedGraphs {
        if self.unknown {
            ChangedGraphs::Unknown
        } else {
            ChangedGraphs::Listed(self.graphs.clone())
        }
    }

    /// The quads added and removed so far, when a consumer follows them; `None` when they are
    /// not known (no exact consumer, or a SPARQL update: recompute from the changed graphs).
    pub fn delta(&self) -> Option<&Delta> {
        self.delta.as_ref()
    }

    pub(super) fn inner_mut(&mut self) -> &mut Transaction<'a> {
        &mut self.inner
    }

    pub(super) fn into_inner(self) -> Transaction<'a> {
        self.inner
    }

    pub fn insert<'b>(&mut self, quad: impl Into<QuadRef<'b>>) -> Result<(), StoreError> {
        let quad = quad.into();
        self.touch(quad.graph_name);
        if self.delta.is_some() && !self.inner.contains(quad)? {
            if let Some(delta) = &mut self.delta {
                delta.inserted.push(quad.into_owned());
            }
        }
        self.inner.insert(quad);
        Ok(())
    }

    pub fn remove<'b>(&mut self, quad: impl Into<QuadRef<'b>>) -> Result<(), StoreError> {
        let quad = quad.into();
        self.touch(quad.graph_name);
        if self.delta.is_some() && self.inner.contains(quad)? {
            if let Some(delta) = &mut self.delta {
                delta.removed.push(quad.into_owned());
            }
        }
        self.inner.remove(quad);
        Ok(())
    }

    /// The quads matching a pattern, this transaction's writes included.
    pub fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_> {
        Quads::new(
            self.inner
                .quads_for_pattern(subject, predicate, object, graph),
        )
    }

    pub fn contains<'b>(&self, quad: impl Into<QuadRef<'b>>) -> Result<bool, StoreError> {
        Ok(self.inner.contains(quad)?)
    }

    pub fn contains_graph<'b>(
        &self,
        graph: impl Into<NamedOrBlankNodeRef<'b>>,
    ) -> Result<bool, StoreError> {
        Ok(self.inner.contains_named_graph(graph)?)
    }

    /// Declares an (empty) named graph.
    pub fn insert_graph<'b>(&mut self, graph: impl Into<NamedOrBlankNodeRef<'b>>) {
        let graph = graph.into();
        self.touch(graph.into());
        self.inner.insert_named_graph(graph);
    }

    /// Removes every quad of a graph (the graph's name stays declared).
    pub fn clear_graph<'b>(
        &mut self,
        graph: impl Into<GraphNameRef<'b>>,
    ) -> Result<(), StoreError> {
        let graph = graph.into();
        self.touch(graph);
        if self.delta.is_some() {
            let old: Vec<Quad> = self
                .quads(None, None, None, Some(graph))
                .collect::<Result<_, _>>()?;
            for quad in &old {
                self.remove(quad.as_ref())?;
            }
            return Ok(());
        }
        Ok(self.inner.clear_graph(graph)?)
    }

    /// Removes a named graph: its quads and its name.
    pub fn remove_graph<'b>(
        &mut self,
        graph: impl Into<NamedOrBlankNodeRef<'b>>,
    ) -> Result<(), StoreError> {
        let graph = graph.into();
        if self.delta.is_some() {
            self.clear_graph(GraphNameRef::from(graph))?;
        }
        self.touch(graph.into());
        Ok(self.inner.remove_named_graph(graph)?)
    }

    /// Parses RDF text and adds its quads (blank nodes renamed apart from the store's).
    pub fn load(&mut self, parser: RdfParser, bytes: &[u8]) -> Result<(), LoadError> {
        for quad in parser.rename_blank_nodes().for_slice(bytes) {
            let quad = quad.map_err(RdfParseError::Syntax)?;
            self.insert(quad.as_ref())?;
        }
        Ok(())
    }
}
