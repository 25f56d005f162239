//! The derived graphs computed from scratch, from every observation: what `citykg
//! rebuild-state` writes, what a start after an unclean stop writes, and what a write whose
//! changed quads are not known (a SPARQL update, or a write into the derived graphs themselves)
//! leads to. Incremental maintenance must give exactly these graphs.

use super::accumulator::Accumulator;
use super::areas::AreaMap;
use super::readings::{Facts, Key, Reading};
use super::rollups::{self, Bucket};
use super::state;
use super::world::Read;
use super::world::World;
use crate::core::config::BaseIri;
use crate::core::vocab;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::{NamedNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The distinct named objects of `predicate`.
fn objects(
    reader: &impl ReadQuads,
    predicate: oxigraph::model::NamedNodeRef<'_>,
) -> Result<BTreeSet<NamedNode>, StoreError> {
    let mut out = BTreeSet::new();
    for quad in reader.read(None, Some(predicate), None, None) {
        if let Term::NamedNode(n) = quad?.object {
            out.insert(n);
        }
    }
    Ok(out)
}

/// Computes every derived quad and hands them to `emit`, a sensor or feature at a time (so
/// that memory follows the buckets of one sensor, not the whole city).
pub fn compute(
    base: &BaseIri,
    reader: &impl ReadQuads,
    emit: &mut dyn FnMut(Vec<Quad>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    emit(rollups::datasets(base))?;
    let areas = AreaMap::read(reader, &super::layout::profile_graph(base))?;
    let world = Read::new(reader, &areas);
    let mut areas_of: HashMap<NamedNode, Vec<NamedNode>> = HashMap::new();
    let mut area_buckets: BTreeMap<Bucket, Accumulator> = BTreeMap::new();
    let keys = objects(reader, vocab::SOSA_MADE_BY_SENSOR)?
        .into_iter()
        .map(Key::Sensor)
        .chain(
            objects(reader, vocab::SOSA_HAS_FEATURE)?
                .into_iter()
                .map(Key::Feature),
        );
    for key in keys {
        let predicate = match key {
            Key::Sensor(_) => vocab::SOSA_MADE_BY_SENSOR,
            Key::Feature(_) => vocab::SOSA_HAS_FEATURE,
        };
        let mut seen = HashSet::new();
        let mut latest: BTreeMap<NamedNode, Reading> = BTreeMap::new();
        let mut buckets: BTreeMap<Bucket, Accumulator> = BTreeMap::new();
        if !areas_of.contains_key(key.node()) {
            areas_of.insert(key.node().clone(), world.areas(key.node())?);
        }
        let areas = areas_of.get(key.node()).cloned().unwrap_or_default();
        for quad in reader.read(
            None,
            Some(predicate),
            Some(key.node().as_ref().into()),
            None,
        ) {
            let oxigraph::model::NamedOrBlankNode::NamedNode(observation) = quad?.subject else {
                continue;
            };
            if !seen.insert(observation.clone()) {
                continue;
            }
            let facts = Facts::read(reader, &observation)?;
            for reading in facts.readings(&observation) {
                if reading.key != key {
                    continue;
                }
                for bucket in rollups::buckets_of(&reading, &areas) {
                    let value = reading.number().unwrap_or_default();
                    let target = match bucket.scope {
                        super::layout::Scope::Sensor => &mut buckets,
                        super::layout::Scope::Area => &mut area_buckets,
                    };
                    target.entry(bucket).or_default().add(value);
                }
                match latest.get(&reading.property) {
                    Some(best) if !reading.is_newer_than(best) => {}
                    _ => {
                        latest.insert(reading.property.clone(), reading);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for reading in latest.values() {
            out.extend(state::quads(base, reading));
        }
        for (bucket, acc) in &buckets {
            out.extend(rollups::structure(base, bucket));
            out.extend(rollups::measures(base, bucket, acc));
        }
        if !out.is_empty() {
            emit(out)?;
        }
    }
    let mut out = Vec::new();
    for (bucket, acc) in &area_buckets {
        out.extend(rollups::structure(base, bucket));
        out.extend(rollups::measures(base, bucket, acc));
    }
    emit(out)
}

/// Every derived quad, in memory (tests, and rebuilds inside a transaction).
pub fn all(base: &BaseIri, reader: &impl ReadQuads) -> Result<Vec<Quad>, StoreError> {
    let mut quads = Vec::new();
    compute(base, reader, &mut |chunk| {
        quads.extend(chunk);
        Ok(())
    })?;
    Ok(quads)
}
