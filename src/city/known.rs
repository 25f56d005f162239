//! What the live city last wrote for each bucket and current value, kept in memory so that a
//! write reads the derived graphs only for what it has not seen yet. Exact because every
//! derived write goes through this consumer, one write at a time: a write's values are learned
//! only once it is committed, and a rebuild forgets everything. Bounded: past [`CAPACITY`]
//! entries it starts over (a miss reads the store).

use super::accumulator::Accumulator;
use super::readings::{Key, Reading};
use super::rollups::{self, Bucket};
use super::state;
use crate::core::config::BaseIri;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::{NamedNode, Quad};
use std::collections::HashMap;

pub const CAPACITY: usize = 200_000;

/// A derived value as it is stored: what it holds, and its quads (to remove it).
pub struct Current<T> {
    pub value: T,
    pub quads: Vec<Quad>,
}

#[derive(Default)]
pub struct Known {
    buckets: HashMap<Bucket, Accumulator>,
    /// Every current value, once loaded (they are few: one per sensor and property).
    states: HashMap<(Key, NamedNode), Reading>,
    states_loaded: bool,
}

/// The values one write leaves, learned once it is committed.
#[derive(Default)]
pub struct Learned {
    pub buckets: Vec<(Bucket, Accumulator)>,
    pub states: Vec<((Key, NamedNode), Option<Reading>)>,
    /// A rebuild: forget everything.
    pub forget: bool,
}

impl Known {
    /// A bucket's measures (empty when it does not exist) and its stored quads.
    pub fn bucket(
        &self,
        reader: &impl ReadQuads,
        base: &BaseIri,
        bucket: &Bucket,
    ) -> Result<Current<Accumulator>, StoreError> {
        if let Some(acc) = self.buckets.get(bucket) {
            let quads = if acc.is_empty() {
                Vec::new()
            } else {
                let mut quads = rollups::structure(base, bucket);
                quads.extend(rollups::measures(base, bucket, acc));
                quads
            };
            return Ok(Current { value: *acc, quads });
        }
        Ok(match rollups::read(reader, base, bucket)? {
            Some(stored) => Current {
                value: stored.acc,
                quads: stored.quads,
            },
            None => Current {
                value: Accumulator::default(),
                quads: Vec::new(),
            },
        })
    }

    /// The current value of a key and property, and its stored quads.
    pub fn state(
        &self,
        reader: &impl ReadQuads,
        base: &BaseIri,
        key: &Key,
        property: &NamedNode,
    ) -> Result<Option<state::Stored>, StoreError> {
        if !self.states_loaded {
            return state::read(reader, base, key, property);
        }
        Ok(self
            .states
            .get(&(key.clone(), property.clone()))
            .map(|reading| state::Stored {
                quads: state::quads(base, reading),
                reading: reading.clone(),
            }))
    }

    /// Takes in what a committed write left. Returns `false` when it was a rebuild: everything
    /// is forgotten, and the current values must be loaded again.
    pub fn learn(&mut self, learned: Learned) -> bool {
        if learned.forget {
            self.forget();
            return false;
        }
        if self.buckets.len() > CAPACITY {
            self.buckets.clear();
        }
        self.buckets.extend(learned.buckets);
        for (pair, reading) in learned.states {
            match reading {
                Some(reading) => self.states.insert(pair, reading),
                None => self.states.remove(&pair),
            };
        }
        true
    }

    pub fn forget(&mut self) {
        self.buckets.clear();
        self.states.clear();
        self.states_loaded = false;
    }

    /// Reads every current value from `graph/state`.
    pub fn load_states(
        &mut self,
        reader: &impl ReadQuads,
        base: &BaseIri,
    ) -> Result<(), StoreError> {
        self.states.clear();
        for reading in state::all(reader, base)? {
            self.states
                .insert((reading.key.clone(), reading.property.clone()), reading);
        }
        self.states_loaded = true;
        Ok(())
    }

    /// Every current value, when loaded.
    pub fn states(&self) -> Option<impl Iterator<Item = &Reading>> {
        self.states_loaded.then(|| self.states.values())
    }
}
