//! The data as it is after a write, as the derivation reads it: where nodes are placed
//! (`geo:sfWithin`), and, to recount a bucket or a current value after a removal, every
//! reading of a sensor or feature.

use super::readings::{Facts, Key, Reading};
use crate::core::vocab;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{HashMap, HashSet};

/// Every quad of `node` in `graph` (a derived node: a current value or a bucket).
pub fn node_quads(
    reader: &impl ReadQuads,
    node: &NamedNode,
    graph: &NamedNode,
) -> Result<Vec<Quad>, StoreError> {
    reader
        .read(
            Some(node.as_ref().into()),
            None,
            None,
            Some(graph.as_ref().into()),
        )
        .collect()
}

/// The object of the first quad with `predicate`.
pub fn object<'q>(
    quads: &'q [Quad],
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Option<&'q Term> {
    quads
        .iter()
        .find(|q| q.predicate.as_ref() == predicate)
        .map(|q| &q.object)
}

pub trait World {
    /// The areas a node is placed in.
    fn areas(&self, node: &NamedNode) -> Result<Vec<NamedNode>, StoreError>;

    /// Every reading counted for `key`, when the world can tell (a transaction or the store);
    /// `None` when it cannot (an ingest batch, which never needs it: it only adds).
    fn readings_of(&self, key: &Key) -> Option<Result<Vec<Reading>, StoreError>>;

    /// The nodes placed in an area (for recounting an area bucket).
    fn placed_in(&self, area: &NamedNode) -> Option<Result<Vec<NamedNode>, StoreError>>;
}

/// The world a reader (the store, or a transaction) sees.
pub struct Read<'a, R: ReadQuads>(pub &'a R);

fn named_objects(
    reader: &impl ReadQuads,
    subject: &NamedNode,
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Result<Vec<NamedNode>, StoreError> {
    let mut out = Vec::new();
    for quad in reader.read(Some(subject.as_ref().into()), Some(predicate), None, None) {
        if let Term::NamedNode(n) = quad?.object
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    Ok(out)
}

fn named_subjects(
    reader: &impl ReadQuads,
    predicate: oxigraph::model::NamedNodeRef<'_>,
    object: &NamedNode,
) -> Result<Vec<NamedNode>, StoreError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for quad in reader.read(None, Some(predicate), Some(object.as_ref().into()), None) {
        if let NamedOrBlankNode::NamedNode(n) = quad?.subject
            && seen.insert(n.clone())
        {
            out.push(n);
        }
    }
    Ok(out)
}

/// Every reading of the observations linked to `key` in `reader`.
pub fn readings_of(reader: &impl ReadQuads, key: &Key) -> Result<Vec<Reading>, StoreError> {
    let predicate = match key {
        Key::Sensor(_) => vocab::SOSA_MADE_BY_SENSOR,
        Key::Feature(_) => vocab::SOSA_HAS_FEATURE,
    };
    let mut out = Vec::new();
    for observation in named_subjects(reader, predicate, key.node())? {
        let facts = Facts::read(reader, &observation)?;
        out.extend(
            facts
                .readings(&observation)
                .into_iter()
                .filter(|r| &r.key == key),
        );
    }
    Ok(out)
}

impl<R: ReadQuads> World for Read<'_, R> {
    fn areas(&self, node: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        named_objects(self.0, node, vocab::GEO_SF_WITHIN)
    }

    fn readings_of(&self, key: &Key) -> Option<Result<Vec<Reading>, StoreError>> {
        Some(readings_of(self.0, key))
    }

    fn placed_in(&self, area: &NamedNode) -> Option<Result<Vec<NamedNode>, StoreError>> {
        Some(named_subjects(self.0, vocab::GEO_SF_WITHIN, area))
    }
}

/// The store with an ingest batch added on top (before the batch is stored).
pub struct WithBatch<'a, R: ReadQuads> {
    pub store: &'a R,
    placements: HashMap<NamedNode, Vec<NamedNode>>,
}

impl<'a, R: ReadQuads> WithBatch<'a, R> {
    pub fn new(store: &'a R, batch: &[Quad]) -> Self {
        let mut placements: HashMap<NamedNode, Vec<NamedNode>> = HashMap::new();
        for quad in batch {
            if quad.predicate.as_ref() == vocab::GEO_SF_WITHIN
                && let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
                    (&quad.subject, &quad.object)
            {
                let areas = placements.entry(s.clone()).or_default();
                if !areas.contains(o) {
                    areas.push(o.clone());
                }
            }
        }
        Self { store, placements }
    }
}

impl<R: ReadQuads> World for WithBatch<'_, R> {
    fn areas(&self, node: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        let mut areas = named_objects(self.store, node, vocab::GEO_SF_WITHIN)?;
        for area in self.placements.get(node).into_iter().flatten() {
            if !areas.contains(area) {
                areas.push(area.clone());
            }
        }
        Ok(areas)
    }

    fn readings_of(&self, _: &Key) -> Option<Result<Vec<Reading>, StoreError>> {
        None
    }

    fn placed_in(&self, _: &NamedNode) -> Option<Result<Vec<NamedNode>, StoreError>> {
        None
    }
}
