//! A background thread that runs one job a fixed delay after the first request for it, however
//! many requests come meanwhile (so a burst of writes costs one run), never sooner than a
//! minimum gap after the previous run ended, and at least four times its duration (so sustained
//! writes cost one run per gap, and at most a fifth of a core), and stops when dropped.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub struct Debounced {
    shared: Arc<Shared>,
    delay: Duration,
}

/// When a job runs: `delay` after it is asked for, at least `gap` after the last run ended.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub delay: Duration,
    pub gap: Duration,
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
    /// When the last run ended, and how long it took.
    ended: Option<Instant>,
    took: Duration,
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
        timing: Timing,
        mut job: impl FnMut() + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            wake: Condvar::new(),
        });
        let worker = shared.clone();
        let thread_name = name.to_owned();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut state = worker.lock();
                loop {
                    if state.stop {
                        return;
                    }
                    let Some(asked) = state.due else {
                        state = worker
                            .wake
                            .wait(state)
                            .unwrap_or_else(PoisonError::into_inner);
                        continue;
                    };
                    // The gap grows with the job: a run that takes a second waits at least four
                    // after it, so the job never holds more than a fifth of a core.
                    let due = match state.ended {
                        Some(ended) => asked.max(ended + timing.gap.max(state.took * 4)),
                        None => asked,
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
                    let started = Instant::now();
                    drop(state);
                    // A panicking job is logged and the worker goes on serving later requests.
                    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut job)).is_err() {
                        tracing::error!(worker = %thread_name, "a background job panicked");
                    }
                    state = worker.lock();
                    state.running = false;
                    state.runs += 1;
                    let ended = Instant::now();
                    state.took = ended.duration_since(started);
                    state.ended = Some(ended);
                    worker.wake.notify_all();
                }
            })?;
        Ok(Self {
            shared,
            delay: timing.delay,
        })
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
        let timing = Timing {
            delay: Duration::from_millis(50),
            gap: Duration::from_millis(300),
        };
        let worker = Debounced::start("test", timing, move || {
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
        let first_ended = Instant::now();
        worker.poke();
        while worker.runs() < 2 && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
        assert!(
            first_ended.elapsed() >= Duration::from_millis(250),
            "the second run waited for the gap"
        );
    }
}
