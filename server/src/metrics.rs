//! Prometheus metrics in the text exposition format, served at `/metrics`.
//!
//! Counted: HTTP requests by route and status, request latency as a histogram by route,
//! rejections by error id, and ingested records. Labels are route templates and catalog ids,
//! never device ids or NIPs, so the number of series stays small.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS_S: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    bucket_counts: Vec<u64>,
    count: u64,
    sum_s: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    rejections: BTreeMap<String, u64>,
    records_ingested: u64,
}

/// The metrics registry of one server.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Counts one finished HTTP request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed_s: f64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let histogram = inner.latency.entry(route.to_string()).or_default();
        if histogram.bucket_counts.is_empty() {
            histogram.bucket_counts = vec![0; LATENCY_BUCKETS_S.len()];
        }
        for (index, bound) in LATENCY_BUCKETS_S.iter().enumerate() {
            if elapsed_s <= *bound {
                histogram.bucket_counts[index] += 1;
            }
        }
        histogram.count += 1;
        histogram.sum_s += elapsed_s;
    }

    /// Counts one rejected request or record by its error id.
    pub fn count_rejection(&self, reason_id: &str) {
        if let Ok(mut inner) = self.inner.lock() {
            *inner.rejections.entry(reason_id.to_string()).or_default() += 1;
        }
    }

    /// Counts newly stored records.
    pub fn count_ingested(&self, records: u64) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.records_ingested += records;
        }
    }

    /// Renders every metric in the Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        let Ok(inner) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();

        out.push_str(
            "# HELP siperlu_records_ingested_total Attendance records stored by ingest.\n",
        );
        out.push_str("# TYPE siperlu_records_ingested_total counter\n");
        let _ = writeln!(
            out,
            "siperlu_records_ingested_total {}",
            inner.records_ingested
        );

        out.push_str(
            "# HELP siperlu_rejections_total Requests and records rejected, by reason id.\n",
        );
        out.push_str("# TYPE siperlu_rejections_total counter\n");
        for (reason, count) in &inner.rejections {
            let _ = writeln!(
                out,
                "siperlu_rejections_total{{reason=\"{}\"}} {count}",
                escape(reason)
            );
        }

        out.push_str(
            "# HELP siperlu_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE siperlu_http_requests_total counter\n");
        for ((method, route, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "siperlu_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(method),
                escape(route)
            );
        }

        out.push_str(
            "# HELP siperlu_http_request_duration_seconds HTTP request latency by route.\n",
        );
        out.push_str("# TYPE siperlu_http_request_duration_seconds histogram\n");
        for (route, histogram) in &inner.latency {
            let route = escape(route);
            for (bound, count) in LATENCY_BUCKETS_S.iter().zip(&histogram.bucket_counts) {
                let _ = writeln!(
                    out,
                    "siperlu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "siperlu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "siperlu_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum_s
            );
            let _ = writeln!(
                out,
                "siperlu_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let metrics = Metrics::default();
        metrics.observe_request("GET", "/healthz", 200, 0.003);
        metrics.observe_request("GET", "/healthz", 200, 0.2);
        metrics.count_rejection("api.bad_signature");
        let text = metrics.render();
        assert!(
            text.contains(
                "siperlu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "siperlu_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains("siperlu_http_request_duration_seconds_count{route=\"/healthz\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("siperlu_rejections_total{reason=\"api.bad_signature\"} 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "siperlu_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
            ),
            "{text}"
        );
    }
}
