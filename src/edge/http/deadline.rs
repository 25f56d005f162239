//! Time limits and slots of expensive requests. A deadline cancels a token that the work
//! checks as it goes (oxigraph while it evaluates, the ingest per quad, validation per focus
//! node, dumps per quad), so a runaway request really stops and frees its thread. A slot bounds
//! how many run at once: SPARQL queries and updates take a query slot, the other expensive
//! requests (validation, ingest, preview, kit import, harvest, dumps) a task slot. One watchdog
//! thread per process keeps every deadline in order; arming one is a map insert, not a timer.

use super::body::Params;
use super::problem::Problem;
use super::state::AppState;
use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Waits for one of `capacity` slots, at most as long as the work itself may run.
pub async fn acquire(
    slots: &Arc<Semaphore>,
    capacity: usize,
    limit: Duration,
    what: &str,
) -> Result<OwnedSemaphorePermit, Problem> {
    match tokio::time::timeout(limit, slots.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(Problem::busy(format!(
            "all {capacity} {what} slots stayed busy for {:.1} s; retry later",
            limit.as_secs_f64()
        ))),
    }
}

/// An expensive request let in: its task slot, held until it is dropped, and its deadline.
pub struct Admitted {
    _permit: OwnedSemaphorePermit,
    pub deadline: Deadline,
}

impl Admitted {
    /// Takes a task slot and arms the configured task deadline.
    pub async fn task(state: &AppState) -> Result<Self, Problem> {
        let limits = &state.settings.limits;
        let permit = acquire(
            &state.task_slots,
            limits.max_concurrent_tasks,
            limits.task_timeout,
            "task",
        )
        .await?;
        Ok(Self {
            _permit: permit,
            deadline: Deadline::start(limits.task_timeout),
        })
    }

    pub fn token(&self) -> &CancellationToken {
        &self.deadline.token
    }

    /// The answer when the work stopped at its deadline.
    pub fn timed_out(&self, what: &str) -> Problem {
        Problem::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "task-timeout",
            "Time limit reached",
            format!(
                "{what} ran longer than its time limit of {:.0} s and was stopped",
                self.deadline.seconds()
            ),
        )
    }
}

/// The limit for this request: the server's, or less if the request's `timeout` asks for less.
pub fn effective_timeout(configured: Duration, params: &Params) -> Result<Duration, Problem> {
    let Some(requested) = params.single("timeout")? else {
        return Ok(configured);
    };
    let seconds: f64 = requested
        .trim()
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s > 0.0)
        .ok_or_else(|| {
            Problem::bad_request(
                "bad-timeout",
                format!("timeout must be a positive number of seconds, got {requested:?}"),
            )
        })?;
    // Compared as seconds first: a huge request (1e300) cannot become a `Duration`.
    if seconds >= configured.as_secs_f64() {
        return Ok(configured);
    }
    Ok(Duration::try_from_secs_f64(seconds).map_or(configured, |asked| configured.min(asked)))
}

/// Cancels its token when the time is up; dropping it disarms it.
pub struct Deadline {
    pub token: CancellationToken,
    pub limit: Duration,
    key: (Instant, u64),
}

impl Deadline {
    pub fn start(limit: Duration) -> Self {
        let token = CancellationToken::new();
        let at = Instant::now() + limit;
        let mut state = WATCHDOG.lock();
        let key = (at, state.next_id);
        state.next_id += 1;
        let earliest = state.armed.keys().next().is_none_or(|first| key < *first);
        state.armed.insert(key, token.clone());
        drop(state);
        if earliest {
            WATCHDOG.wake.notify_one();
        }
        Self { token, limit, key }
    }

    pub fn seconds(&self) -> f64 {
        self.limit.as_secs_f64()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        WATCHDOG.lock().armed.remove(&self.key);
    }
}

#[derive(Default)]
struct Armed {
    next_id: u64,
    armed: BTreeMap<(Instant, u64), CancellationToken>,
}

struct Watchdog {
    state: Mutex<Armed>,
    wake: Condvar,
}

impl Watchdog {
    fn lock(&self) -> MutexGuard<'_, Armed> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps until the earliest deadline, cancels what is due, forever.
    fn run(&self) {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            while let Some(entry) = state.armed.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                entry.remove().cancel();
            }
            state = match state.armed.keys().next().map(|(at, _)| *at - now) {
                Some(wait) => {
                    self.wake
                        .wait_timeout(state, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

static WATCHDOG: LazyLock<&'static Watchdog> = LazyLock::new(|| {
    let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
        state: Mutex::new(Armed::default()),
        wake: Condvar::new(),
    }));
    let spawned = std::thread::Builder::new()
        .name("citykg-deadlines".into())
        .spawn(move || watchdog.run());
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the deadline thread; queries will only stop at their answer deadline");
    }
    watchdog
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_cancel_when_due_and_not_before() {
        let short = Deadline::start(Duration::from_millis(50));
        let long = Deadline::start(Duration::from_secs(60));
        let dropped = Deadline::start(Duration::from_millis(10));
        let dropped_token = dropped.token.clone();
        drop(dropped);
        std::thread::sleep(Duration::from_millis(300));
        assert!(short.token.is_cancelled());
        assert!(!long.token.is_cancelled());
        assert!(
            !dropped_token.is_cancelled(),
            "a disarmed deadline never fires"
        );
    }

    #[test]
    fn a_request_may_ask_for_less_time_but_not_more() {
        let configured = Duration::from_secs(30);
        let ask = |q: &str| effective_timeout(configured, &Params::parse(q.as_bytes()));
        assert_eq!(ask("").unwrap(), configured);
        assert_eq!(ask("timeout=1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(ask("timeout=300").unwrap(), configured);
        assert!(ask("timeout=0").is_err());
        assert!(ask("timeout=soon").is_err());
        // Values no `Duration` can hold are bounded, not a panic.
        assert_eq!(ask("timeout=1e300").unwrap(), configured);
        assert_eq!(ask("timeout=1.8e19").unwrap(), configured);
        assert!(ask("timeout=inf").is_err());
        assert!(ask("timeout=NaN").is_err());
        assert_eq!(ask("timeout=1e-300").unwrap(), Duration::ZERO);
    }
}
