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
    states: HashMap<(Key, NamedNode), Option<Reading>>,
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
        if let Some(known) = self.states.get(&(key.clone(), property.clone())) {
            return Ok(known.as_ref().map(|reading| state::Stored {
                quads: state::quads(base, reading),
                reading: reading.clone(),
            }));
        }
        state::read(reader, base, key, property)
    }

    pub fn learn(&mut self, learned: Learned) {
        if learned.forget {
            self.buckets.clear();
            self.states.clear();
            return;
        }
        if self.buckets.len() + self.states.len() > CAPACITY {
            self.buckets.clear();
            self.states.clear();
        }
        self.buckets.extend(learned.buckets);
        self.states.extend(learned.states);
    }

    pub fn forget(&mut self) {
        self.buckets.clear();
        self.states.clear();
    }
}
