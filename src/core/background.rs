//! A background thread that runs one job a fixed delay after the first request for it, however
//! many requests come meanwhile (so a burst of writes costs one run), and stops when dropped.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub struct Debounced {
    shared: Arc<Shared>,
    delay: Duration,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// When the job is due, if it was asked for.
    due: Option<Instant>,
    running: bool,
    runs: u64,
    stop: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Debounced {
    /// Starts the thread; `job` runs on it, `delay` after the first [`Debounced::poke`].
    pub fn start(
        name: &str,
        delay: Duration,
        mut job: impl FnMut() + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            wake: Condvar::new(),
        });
        let worker = shared.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut state = worker.lock();
                loop {
                    if state.stop {
                        return;
                    }
                    let Some(due) = state.due else {
                        state = worker
                            .wake
                            .wait(state)
                            .unwrap_or_else(PoisonError::into_inner);
                        continue;
                    };
                    let now = Instant::now();
                    if now < due {
                        state = worker
                            .wake
                            .wait_timeout(state, due - now)
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                        continue;
                    }
                    state.due = None;
                    state.running = true;
                    drop(state);
                    job();
                    state = worker.lock();
                    state.running = false;
                    state.runs += 1;
                    worker.wake.notify_all();
                }
            })?;
        Ok(Self { shared, delay })
    }

    /// Asks for a run: due `delay` after the first request not yet served.
    pub fn poke(&self) {
        let mut state = self.shared.lock();
        state.due.get_or_insert_with(|| Instant::now() + self.delay);
        self.shared.wake.notify_all();
    }

    /// Whether a run is due or running.
    pub fn busy(&self) -> bool {
        let state = self.shared.lock();
        state.due.is_some() || state.running
    }

    /// Runs so far.
    pub fn runs(&self) -> u64 {
        self.shared.lock().runs
    }
}

impl Drop for Debounced {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn a_burst_of_pokes_runs_the_job_once_after_the_delay() {
        let count = Arc::new(AtomicU64::new(0));
        let seen = count.clone();
        let worker = Debounced::start("test", Duration::from_millis(50), move || {
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        for _ in 0..20 {
            worker.poke();
        }
        assert!(worker.busy());
        let started = Instant::now();
        while worker.busy() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert_eq!(worker.runs(), 1);
        worker.poke();
        while worker.runs() < 2 && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }
}
