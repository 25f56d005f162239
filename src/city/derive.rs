//! From what a write changed to what the derived graphs must change: the readings and the
//! (reading, bucket) pairs before and after the write are compared, and only the difference
//! is applied to the current values and the buckets. Exact for any write: additions,
//! removals, replays, out-of-order arrivals and sensors moved between areas.

use super::known::{Known, Learned};
use super::readings::{Facts, Key, Reading};
use super::rollups::{self, Bucket};
use super::state;
use super::world::World;
use crate::core::config::BaseIri;
use crate::storage::describe::ReadQuads;
use crate::storage::{Derived, StoreError};
use oxigraph::model::NamedNode;
use std::collections::{BTreeMap, HashMap};

/// One observation the write may have changed.
pub struct Touched {
    pub observation: NamedNode,
    pub before: Facts,
    pub after: Facts,
}

/// Caches the areas of each node in one world during one write.
struct Areas<'a> {
    world: &'a dyn World,
    known: HashMap<NamedNode, Vec<NamedNode>>,
}

impl<'a> Areas<'a> {
    fn new(world: &'a dyn World) -> Self {
        Self {
            world,
            known: HashMap::new(),
        }
    }

    fn of(&mut self, node: &NamedNode) -> Result<&[NamedNode], StoreError> {
        if !self.known.contains_key(node) {
            let areas = self.world.areas(node)?;
            self.known.insert(node.clone(), areas);
        }
        Ok(self.known.get(node).map(Vec::as_slice).unwrap_or_default())
    }
}

fn same(a: &Reading, b: &Reading) -> bool {
    a.observation == b.observation
        && a.key == b.key
        && a.property == b.property
        && a.time_literal == b.time_literal
        && a.result == b.result
}

/// Removes from both lists what is in both.
fn cancel<T>(before: &mut Vec<T>, after: &mut Vec<T>, eq: impl Fn(&T, &T) -> bool) {
    let mut i = 0;
    while i < before.len() {
        if let Some(j) = after.iter().position(|a| eq(&before[i], a)) {
            before.swap_remove(i);
            after.swap_remove(j);
        } else {
            i += 1;
        }
    }
}

/// The readings of one key and property that a write removed and added.
type Changed<'r> = (Vec<&'r Reading>, Vec<&'r Reading>);

/// The derived quads to remove and add for a write, and the values it leaves (for [`Known`]).
/// Derived values are read from `known`, else from `current` (the store before the write).
pub fn plan(
    base: &BaseIri,
    current: &impl ReadQuads,
    known: &Known,
    before: &dyn World,
    after: &dyn World,
    touched: &[Touched],
) -> Result<(Derived, Learned), StoreError> {
    let mut before_areas = Areas::new(before);
    let mut after_areas = Areas::new(after);
    let mut removed: Vec<Reading> = Vec::new();
    let mut added: Vec<Reading> = Vec::new();
    let mut counts: BTreeMap<Bucket, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for t in touched {
        let mut old = t.before.readings(&t.observation);
        let mut new = t.after.readings(&t.observation);
        let mut old_pairs = Vec::new();
        for r in &old {
            let areas = before_areas.of(r.key.node())?.to_vec();
            for b in rollups::buckets_of(r, &areas) {
                old_pairs.push((b, r.number().unwrap_or_default()));
            }
        }
        let mut new_pairs = Vec::new();
        for r in &new {
            let areas = after_areas.of(r.key.node())?.to_vec();
            for b in rollups::buckets_of(r, &areas) {
                new_pairs.push((b, r.number().unwrap_or_default()));
            }
        }
        cancel(&mut old_pairs, &mut new_pairs, |a, b| {
            a.0 == b.0 && a.1.to_bits() == b.1.to_bits()
        });
        for (bucket, value) in old_pairs {
            counts.entry(bucket).or_default().1.push(value);
        }
        for (bucket, value) in new_pairs {
            counts.entry(bucket).or_default().0.push(value);
        }
        cancel(&mut old, &mut new, same);
        removed.extend(old);
        added.extend(new);
    }

    let mut derived = Derived::default();
    let mut pairs: BTreeMap<(Key, NamedNode), Changed<'_>> = BTreeMap::new();
    for r in &removed {
        pairs
            .entry((r.key.clone(), r.property.clone()))
            .or_default()
            .0
            .push(r);
    }
    for r in &added {
        pairs
            .entry((r.key.clone(), r.property.clone()))
            .or_default()
            .1
            .push(r);
    }
    let mut learned = Learned::default();
    for ((key, property), (gone, new)) in pairs {
        let stored = known.state(current, base, &key, &property)?;
        let (old, next) = state::follow(stored, &gone, &new, after, &key, &property)?;
        derived.remove.extend(old);
        if let Some(reading) = &next {
            derived.insert.extend(state::quads(base, reading));
        }
        learned.states.push(((key, property), next));
    }

    let mut recounter = rollups::Recounter::new(after);
    for (bucket, (adds, removes)) in counts {
        let stored = known.bucket(current, base, &bucket)?;
        let (mut acc, old) = (stored.value, stored.quads);
        let mut exact = !old.is_empty() || removes.is_empty();
        if !old.is_empty() && acc.is_empty() {
            exact = false; // unreadable measures
        }
        for v in &removes {
            exact &= acc.remove(*v);
        }
        for v in &adds {
            acc.add(*v);
        }
        if !exact {
            acc = recounter.recount(&bucket)?;
        }
        derived.remove.extend(old);
        if !acc.is_empty() {
            derived.insert.extend(rollups::structure(base, &bucket));
            derived
                .insert
                .extend(rollups::measures(base, &bucket, &acc));
        }
        learned.buckets.push((bucket, acc));
    }
    Ok((derived, learned))
}
