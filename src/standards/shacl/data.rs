//! The data graph a validation reads, as one small trait: "the triples matching an (s, p, o)
//! pattern". Implemented for an in-memory [`Graph`] and for a graph of a citykg [`Storage`] (one
//! named graph, the default graph, or the union of all graphs), so a stored graph is validated
//! in place, never copied. The validator knows nothing else of where the data lives.

use crate::storage::{Storage, StoreError};
use oxigraph::model::{
    Graph, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, Triple,
    TripleRef,
};
use std::collections::HashSet;
use std::convert::Infallible;

/// Read access to a data graph: every triple matching a pattern, `None` meaning "any".
pub trait DataGraph {
    /// Why reading failed: [`Infallible`] for an in-memory graph, [`StoreError`] for a store.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Calls `f` once for each matching triple (no duplicates).
    fn for_each_triple(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        f: &mut dyn FnMut(TripleRef<'_>),
    ) -> Result<(), Self::Error>;
}

impl DataGraph for Graph {
    type Error = Infallible;

    fn for_each_triple(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        f: &mut dyn FnMut(TripleRef<'_>),
    ) -> Result<(), Self::Error> {
        match (subject, predicate, object) {
            (Some(s), Some(p), Some(o)) => {
                let t = TripleRef::new(s, p, o);
                if self.contains(t) {
                    f(t);
                }
            }
            (Some(s), Some(p), None) => {
                for o in self.objects_for_subject_predicate(s, p) {
                    f(TripleRef::new(s, p, o));
                }
            }
            (Some(s), None, o) => {
                for t in self.triples_for_subject(s) {
                    if o.is_none_or(|o| o == t.object) {
                        f(t);
                    }
                }
            }
            (None, Some(p), Some(o)) => {
                for s in self.subjects_for_predicate_object(p, o) {
                    f(TripleRef::new(s, p, o));
                }
            }
            (None, Some(p), None) => self.triples_for_predicate(p).for_each(f),
            (None, None, Some(o)) => self.triples_for_object(o).for_each(f),
            (None, None, None) => self.iter().for_each(f),
        }
        Ok(())
    }
}

/// Which graph of a store is the data graph.
#[derive(Debug, Clone, Copy)]
pub enum GraphScope<'a> {
    /// One graph: a named graph or the default graph.
    Graph(GraphNameRef<'a>),
    /// The union of the default graph and every named graph (a triple counts once).
    Union,
}

/// A graph of an oxigraph store, read in place.
#[derive(Clone, Copy)]
pub struct StoreGraph<'a> {
    store: &'a Storage,
    scope: GraphScope<'a>,
}

impl<'a> StoreGraph<'a> {
    pub fn new(store: &'a Storage, scope: GraphScope<'a>) -> Self {
        Self { store, scope }
    }

    /// One graph of the store: a named graph, or the default graph.
    pub fn graph(store: &'a Storage, name: impl Into<GraphNameRef<'a>>) -> Self {
        Self::new(store, GraphScope::Graph(name.into()))
    }

    /// The union of all the store's graphs.
    pub fn union(store: &'a Storage) -> Self {
        Self::new(store, GraphScope::Union)
    }
}

impl DataGraph for StoreGraph<'_> {
    type Error = StoreError;

    fn for_each_triple(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        f: &mut dyn FnMut(TripleRef<'_>),
    ) -> Result<(), Self::Error> {
        match self.scope {
            GraphScope::Graph(graph) => {
                for quad in self.store.quads(subject, predicate, object, Some(graph)) {
                    let quad = quad?;
                    f(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
                }
            }
            GraphScope::Union => {
                let mut seen = HashSet::new();
                for quad in self.store.quads(subject, predicate, object, None) {
                    let quad = quad?;
                    let triple = Triple::from(quad);
                    if !seen.contains(&triple) {
                        f(triple.as_ref());
                        seen.insert(triple);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The objects of `subject`'s `predicate` triples (none for a literal subject).
pub fn objects<D: DataGraph + ?Sized>(
    data: &D,
    subject: TermRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<Term>, D::Error> {
    let Some(subject) = as_subject(subject) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    data.for_each_triple(Some(subject), Some(predicate), None, &mut |t| {
        out.push(t.object.into_owned());
    })?;
    Ok(out)
}

/// The subjects of the `predicate` triples whose object is `object`.
pub fn subjects<D: DataGraph + ?Sized>(
    data: &D,
    predicate: NamedNodeRef<'_>,
    object: TermRef<'_>,
) -> Result<Vec<Term>, D::Error> {
    let mut out = Vec::new();
    data.for_each_triple(None, Some(predicate), Some(object), &mut |t| {
        out.push(Term::from(t.subject.into_owned()));
    })?;
    Ok(out)
}

/// Every (predicate, object) of `subject`.
pub fn outgoing<D: DataGraph + ?Sized>(
    data: &D,
    subject: TermRef<'_>,
) -> Result<Vec<(NamedNode, Term)>, D::Error> {
    let Some(subject) = as_subject(subject) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    data.for_each_triple(Some(subject), None, None, &mut |t| {
        out.push((t.predicate.into_owned(), t.object.into_owned()));
    })?;
    Ok(out)
}

/// The subject form of a term, if it can be a subject.
pub fn as_subject(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        TermRef::Literal(_) => None,
    }
}
