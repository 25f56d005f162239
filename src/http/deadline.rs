//! Query time limits: a timer that cancels the evaluation (oxigraph checks the token while it
//! evaluates), so a runaway query really stops and frees its thread.

use super::body::Params;
use super::problem::Problem;
use oxigraph::sparql::CancellationToken;
use std::time::Duration;
use tokio::task::AbortHandle;

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
    Ok(configured.min(Duration::from_secs_f64(seconds)))
}

/// Cancels its token when the time is up; `finish` disarms it.
pub struct Deadline {
    pub token: CancellationToken,
    pub limit: Duration,
    timer: AbortHandle,
}

impl Deadline {
    pub fn start(limit: Duration) -> Self {
        let token = CancellationToken::new();
        let to_cancel = token.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(limit).await;
            to_cancel.cancel();
        })
        .abort_handle();
        Self {
            token,
            limit,
            timer,
        }
    }

    pub fn seconds(&self) -> f64 {
        self.limit.as_secs_f64()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.timer.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_may_ask_for_less_time_but_not_more() {
        let configured = Duration::from_secs(30);
        let ask = |q: &str| effective_timeout(configured, &Params::parse(q.as_bytes()));
        assert_eq!(ask("").unwrap(), configured);
        assert_eq!(ask("timeout=1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(ask("timeout=300").unwrap(), configured);
        assert!(ask("timeout=0").is_err());
        assert!(ask("timeout=soon").is_err());
    }
}
