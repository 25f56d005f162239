//! Keeps a disk store small in memory and on disk under sustained writes. As oxigraph configures
//! RocksDB, each column family keeps up to 128 MiB of memtables, and the write-ahead log beside
//! them, before it flushes on its own: rewriting the same few thousand quads (a catalogue edited
//! all day) grew the server to 1 GB and its log by 350 MB in two minutes, with the data itself
//! unchanged. The flusher is a consumer of the change events: while writes come in, it flushes
//! the memtables to disk at most once per interval, off the request path, so memory and log
//! hold at most one interval of writes.

use super::{Change, Consumer, Storage};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How often a store that is being written is flushed, at most.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(20);

pub struct Flusher {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

struct State {
    /// Writes committed since the last flush.
    pending: u64,
    /// Flushes done so far (tests and logs).
    flushes: u64,
    stopping: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Flusher {
    /// Starts the flushing thread for `storage`, which it holds until the flusher is dropped.
    pub fn start(storage: Storage, interval: Duration) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pending: 0,
                flushes: 0,
                stopping: false,
            }),
            wake: Condvar::new(),
        });
        let worker = shared.clone();
        std::thread::Builder::new()
            .name("store-flush".to_owned())
            .spawn(move || run(&worker, &storage, interval))?;
        Ok(Self { shared })
    }

    /// Flushes done so far.
    pub fn flushes(&self) -> u64 {
        self.shared.lock().flushes
    }
}

impl Consumer for Flusher {
    fn name(&self) -> &'static str {
        "store flusher"
    }

    fn committed(&self, _change: &Change) {
        let mut state = self.shared.lock();
        state.pending += 1;
        self.shared.wake.notify_all();
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_all();
    }
}

fn run(shared: &Shared, storage: &Storage, interval: Duration) {
    let mut last = Instant::now();
    let mut state = shared.lock();
    loop {
        if state.stopping {
            return;
        }
        if state.pending == 0 {
            state = shared
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        let due = last + interval;
        let now = Instant::now();
        if now < due {
            state = shared
                .wake
                .wait_timeout(state, due - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            continue;
        }
        let writes = std::mem::take(&mut state.pending);
        drop(state);
        let started = Instant::now();
        match storage.flush() {
            Ok(()) => tracing::debug!(
                writes,
                duration_ms = started.elapsed().as_secs_f64() * 1000.0,
                "store flushed"
            ),
            Err(error) => tracing::warn!(%error, "flushing the store failed"),
        }
        last = Instant::now();
        state = shared.lock();
        state.flushes += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Cause, Origin};
    use oxigraph::model::{Literal, NamedNode, Quad};

    fn wait_for(flusher: &Flusher, flushes: u64) {
        let started = Instant::now();
        while flusher.flushes() < flushes {
            assert!(started.elapsed() < Duration::from_secs(30), "no flush");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn writes_are_flushed_at_most_once_per_interval_and_idle_stores_not_at_all() {
        let store = Storage::in_memory().unwrap();
        let flusher = Arc::new(Flusher::start(store.clone(), Duration::from_millis(300)).unwrap());
        store.subscribe(&flusher);
        let n = NamedNode::new("http://e/n").unwrap();
        // A burst of writes within one interval: one flush, at the interval's end.
        for i in 0..20 {
            store
                .extend(
                    Cause::service(Origin::Load),
                    [Quad::new(n.clone(), n.clone(), Literal::from(i), n.clone())],
                )
                .unwrap();
        }
        wait_for(&flusher, 1);
        // Nothing written since: no more flushes.
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(flusher.flushes(), 1);
        // Another write: one more.
        store
            .extend(
                Cause::service(Origin::Load),
                [Quad::new(
                    n.clone(),
                    n.clone(),
                    Literal::from(99),
                    n.clone(),
                )],
            )
            .unwrap();
        wait_for(&flusher, 2);
    }
}
