//! Prometheus metrics kept by hand (a few counters and one histogram do not need a crate):
//! requests by route, method and status; query durations; committed writes by origin (a
//! consumer of the storage's change events); store size at scrape time.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::storage::{Change, Consumer};

const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    queries: Mutex<BTreeMap<&'static str, Histogram>>,
    /// Committed writes by `Origin::label`.
    changes: Mutex<BTreeMap<&'static str, u64>>,
    /// Requests received and not yet answered.
    in_flight: AtomicU64,
}

/// One request being served: counted in flight until dropped, whether it was answered or its
/// client went away.
pub struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Every committed write, whatever carried it, counts once under its origin.
impl Consumer for Metrics {
    fn name(&self) -> &'static str {
        "metrics"
    }

    fn committed(&self, change: &Change) {
        *self
            .changes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(change.cause.origin.label())
            .or_default() += 1;
    }
}

/// The method label: one of the methods the service answers, else `OTHER`, so that a client
/// inventing method names cannot add series without bound.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("OTHER")
}

impl Metrics {
    /// `route` is a route pattern (or `(unmatched)`) and `method` a `method_label`: both from
    /// fixed sets, so the number of series is bounded.
    pub fn record_request(&self, route: &str, method: &'static str, status: u16) {
        let mut requests = self
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
    }

    /// Counts a request in flight until the returned guard is dropped.
    pub fn start_request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }

    /// Requests received and not yet answered.
    pub fn requests_in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// `kind`: select, ask, construct, describe or update.
    pub fn record_query(&self, kind: &'static str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut queries = self
            .queries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let histogram = queries.entry(kind).or_default();
        for (bucket, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self, store_quads: Option<usize>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP citykg_http_requests_total HTTP requests by route, method and status."
        );
        let _ = writeln!(out, "# TYPE citykg_http_requests_total counter");
        for ((route, method, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(
                out,
                "citykg_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        let _ = writeln!(
            out,
            "# HELP citykg_query_duration_seconds SPARQL query and update evaluation time."
        );
        let _ = writeln!(out, "# TYPE citykg_query_duration_seconds histogram");
        for (kind, h) in self
            .queries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            for (count, bound) in h.counts.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "citykg_query_duration_seconds_bucket{{kind=\"{kind}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "citykg_query_duration_seconds_bucket{{kind=\"{kind}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "citykg_query_duration_seconds_sum{{kind=\"{kind}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "citykg_query_duration_seconds_count{{kind=\"{kind}\"}} {}",
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP citykg_writes_total Committed writes by origin (Graph Store, update, ingest...)."
        );
        let _ = writeln!(out, "# TYPE citykg_writes_total counter");
        for (origin, n) in self
            .changes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(out, "citykg_writes_total{{origin=\"{origin}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP citykg_http_requests_in_flight HTTP requests received and not yet answered."
        );
        let _ = writeln!(out, "# TYPE citykg_http_requests_in_flight gauge");
        let _ = writeln!(
            out,
            "citykg_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        if let Some(quads) = store_quads {
            let _ = writeln!(out, "# HELP citykg_store_quads Quads in the store.");
            let _ = writeln!(out, "# TYPE citykg_store_quads gauge");
            let _ = writeln!(out, "citykg_store_quads {quads}");
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_render_in_prometheus_text_format() {
        let metrics = Arc::new(Metrics::default());
        let answered = metrics.start_request();
        let pending = metrics.start_request();
        drop(answered);
        metrics.record_request("/query", "GET", 200);
        metrics.record_request("/query", "GET", 200);
        metrics.record_query("select", Duration::from_millis(3));
        let text = metrics.render(Some(42));
        assert!(text.contains(
            "citykg_http_requests_total{route=\"/query\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(
            text.contains("citykg_query_duration_seconds_bucket{kind=\"select\",le=\"0.001\"} 0")
        );
        assert!(
            text.contains("citykg_query_duration_seconds_bucket{kind=\"select\",le=\"0.005\"} 1")
        );
        assert!(text.contains("citykg_query_duration_seconds_count{kind=\"select\"} 1"));
        assert!(text.contains("citykg_store_quads 42"));
        assert!(text.contains("citykg_http_requests_in_flight 1\n"));
        drop(pending);
        assert!(
            metrics
                .render(None)
                .contains("citykg_http_requests_in_flight 0\n")
        );
    }
}
