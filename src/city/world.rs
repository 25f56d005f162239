//! The data as it is after a write, as the derivation reads it: where nodes are placed
//! (`geo:sfWithin`), and, to recount a bucket or a current value after a removal, every
//! reading of a sensor or feature.

use super::areas::AreaMap;
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

/// The world a reader (the store, or a transaction) sees, with the areas of the profile.
pub struct Read<'a, R: ReadQuads> {
    pub reader: &'a R,
    pub areas: &'a AreaMap,
}

impl<'a, R: ReadQuads> Read<'a, R> {
    pub fn new(reader: &'a R, areas: &'a AreaMap) -> Self {
        Self { reader, areas }
    }
}

/// The smaller of two optional coordinates: a node with several values for one coordinate
/// is placed by the smallest, whatever order they were stored in.
fn smaller(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A node's WGS84 position (longitude, latitude): its smallest numeric `wgs:long` and
/// `wgs:lat`.
pub fn position(
    reader: &impl ReadQuads,
    node: &NamedNode,
) -> Result<Option<(f64, f64)>, StoreError> {
    let (long, lat) = coordinates(reader, node)?;
    Ok(long.zip(lat))
}

/// A node's smallest `wgs:long` and smallest `wgs:lat`, each when it has one.
fn coordinates(
    reader: &impl ReadQuads,
    node: &NamedNode,
) -> Result<(Option<f64>, Option<f64>), StoreError> {
    let coordinate = |predicate| -> Result<Option<f64>, StoreError> {
        let mut least = None;
        for quad in reader.read(Some(node.as_ref().into()), Some(predicate), None, None) {
            if let Term::Literal(l) = quad?.object {
                least = smaller(least, super::readings::numeric(&l));
            }
        }
        Ok(least)
    };
    Ok((
        coordinate(vocab::WGS84_LONG)?,
        coordinate(vocab::WGS84_LAT)?,
    ))
}

/// Where a node is placed: its explicit `geo:sfWithin` areas, else the profile's areas that
/// hold its position.
fn placement(
    explicit: Vec<NamedNode>,
    position: impl FnOnce() -> Result<Option<(f64, f64)>, StoreError>,
    areas: &AreaMap,
) -> Result<Vec<NamedNode>, StoreError> {
    if !explicit.is_empty() || areas.areas().is_empty() {
        return Ok(explicit);
    }
    Ok(position()?.map_or_else(Vec::new, |(long, lat)| areas.locate(long, lat)))
}

/// The predicates that place a node: an explicit link, or a position.
pub fn is_placement_predicate(predicate: oxigraph::model::NamedNodeRef<'_>) -> bool {
    predicate == vocab::GEO_SF_WITHIN
        || predicate == vocab::WGS84_LAT
        || predicate == vocab::WGS84_LONG
}

/// Every node placed in `area`, explicitly or by its position.
fn placed_in(
    reader: &impl ReadQuads,
    areas: &AreaMap,
    area: &NamedNode,
) -> Result<Vec<NamedNode>, StoreError> {
    let mut out = named_subjects(reader, vocab::GEO_SF_WITHIN, area)?;
    if areas.areas().iter().any(|a| &a.node == area) {
        let mut seen: HashSet<NamedNode> = out.iter().cloned().collect();
        for quad in reader.read(None, Some(vocab::WGS84_LAT), None, None) {
            let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
                continue;
            };
            if seen.contains(&node) {
                continue;
            }
            let explicit = named_objects(reader, &node, vocab::GEO_SF_WITHIN)?;
            if placement(explicit, || position(reader, &node), areas)?.contains(area) {
                seen.insert(node.clone());
                out.push(node);
            }
        }
    }
    Ok(out)
}

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
        let explicit = named_objects(self.reader, node, vocab::GEO_SF_WITHIN)?;
        placement(explicit, || position(self.reader, node), self.areas)
    }

    fn readings_of(&self, key: &Key) -> Option<Result<Vec<Reading>, StoreError>> {
        Some(readings_of(self.reader, key))
    }

    fn placed_in(&self, area: &NamedNode) -> Option<Result<Vec<NamedNode>, StoreError>> {
        Some(placed_in(self.reader, self.areas, area))
    }
}

/// The store with an ingest batch added on top (before the batch is stored).
pub struct WithBatch<'a, R: ReadQuads> {
    pub store: &'a R,
    areas: &'a AreaMap,
    placements: HashMap<NamedNode, Vec<NamedNode>>,
    positions: HashMap<NamedNode, (Option<f64>, Option<f64>)>,
}

impl<'a, R: ReadQuads> WithBatch<'a, R> {
    pub fn new(store: &'a R, areas: &'a AreaMap, batch: &[Quad]) -> Self {
        let mut placements: HashMap<NamedNode, Vec<NamedNode>> = HashMap::new();
        let mut positions: HashMap<NamedNode, (Option<f64>, Option<f64>)> = HashMap::new();
        for quad in batch {
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else {
                continue;
            };
            let predicate = quad.predicate.as_ref();
            match &quad.object {
                Term::NamedNode(o) if predicate == vocab::GEO_SF_WITHIN => {
                    let areas = placements.entry(s.clone()).or_default();
                    if !areas.contains(o) {
                        areas.push(o.clone());
                    }
                }
                Term::Literal(l)
                    if predicate == vocab::WGS84_LONG || predicate == vocab::WGS84_LAT =>
                {
                    let at = positions.entry(s.clone()).or_default();
                    let slot = if predicate == vocab::WGS84_LONG {
                        &mut at.0
                    } else {
                        &mut at.1
                    };
                    *slot = smaller(*slot, super::readings::numeric(l));
                }
                _ => {}
            }
        }
        Self {
            store,
            areas,
            placements,
            positions,
        }
    }
}

impl<R: ReadQuads> World for WithBatch<'_, R> {
    fn areas(&self, node: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        let mut explicit = named_objects(self.store, node, vocab::GEO_SF_WITHIN)?;
        for area in self.placements.get(node).into_iter().flatten() {
            if !explicit.contains(area) {
                explicit.push(area.clone());
            }
        }
        placement(
            explicit,
            || {
                let (long, lat) = self.positions.get(node).copied().unwrap_or_default();
                let (stored_long, stored_lat) = coordinates(self.store, node)?;
                Ok(smaller(long, stored_long).zip(smaller(lat, stored_lat)))
            },
            self.areas,
        )
    }

    fn readings_of(&self, _: &Key) -> Option<Result<Vec<Reading>, StoreError>> {
        None
    }

    fn placed_in(&self, _: &NamedNode) -> Option<Result<Vec<NamedNode>, StoreError>> {
        None
    }
}
