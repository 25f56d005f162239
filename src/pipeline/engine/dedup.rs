//! "No duplicate quads" with memory that follows the number of entities, not of records.
//!
//! Quads of maps that can repeat across records (see `plan::mark_keyed`) are remembered by a
//! 64-bit hash with a per-run random seed (foldhash, already in the build through hashbrown) for
//! the whole run: a payload cannot aim for a collision, and an accidental one among ten million
//! quads has odds of about one in 300,000. Quads of keyed maps carry a per-record subject, so they can
//! only repeat within one record (multi-valued references) or when the payload repeats a record
//! (a retransmitted uplink): those are caught by a per-record set and a bounded window of recent
//! quads, so memory stays flat however long the input is.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hasher};

use oxigraph::model::QuadRef;

/// How many recent keyed quads are remembered to catch repeated records.
const RECENT_WINDOW: usize = 1 << 16;

#[derive(Default)]
pub struct Dedup {
    keys: foldhash::quality::RandomState,
    remembered: HashSet<u64, PassThrough>,
    recent: HashSet<u64, PassThrough>,
    recent_order: VecDeque<u64>,
}

impl Dedup {
    /// Whether the quad is new (and should be written).
    pub fn first_time(&mut self, quad: QuadRef<'_>, keyed: bool) -> bool {
        let hash = self.keys.hash_one(quad);
        if !keyed {
            return self.remembered.insert(hash);
        }
        if !self.recent.insert(hash) {
            return false;
        }
        self.recent_order.push_back(hash);
        if self.recent_order.len() > RECENT_WINDOW
            && let Some(oldest) = self.recent_order.pop_front()
        {
            self.recent.remove(&oldest);
        }
        true
    }

    /// Entries held, for memory reporting.
    pub fn remembered(&self) -> usize {
        self.remembered.len()
    }
}

/// The keys are already hashes: use their low bits as they are.
#[derive(Default, Clone, Copy)]
pub struct PassThrough;

impl BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

pub struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, NamedNodeRef};

    #[test]
    fn remembers_repeatable_quads_for_the_whole_run_and_keyed_ones_within_the_window() {
        let s = NamedNodeRef::new_unchecked("http://e/s");
        let p = NamedNodeRef::new_unchecked("http://e/p");
        let quad = QuadRef::new(s, p, s, GraphNameRef::DefaultGraph);
        let mut dedup = Dedup::default();
        assert!(dedup.first_time(quad, false));
        assert!(!dedup.first_time(quad, false));
        assert!(dedup.first_time(quad, true));
        assert!(!dedup.first_time(quad, true));
        assert_eq!(dedup.remembered(), 1);
    }
}
