//! Token-bucket rate limits per device and per client address.
//!
//! Each key (a device id or an IP address) has a bucket that refills at `rate_per_s` tokens a
//! second up to `burst`, and each request takes one token. The buckets live in memory, so a restart
//! refills them all.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets older than this are dropped when the map is swept.
const IDLE_SWEEP_S: f64 = 600.0;
/// The map is swept once it contains this many keys.
const SWEEP_AT_KEYS: usize = 10_000;

/// One limiter with its buckets.
pub struct RateLimiter {
    rate_per_s: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// Creates a limiter that refills `rate_per_s` tokens a second up to `burst` tokens.
    pub fn new(rate_per_s: f64, burst: u32) -> RateLimiter {
        RateLimiter {
            rate_per_s: rate_per_s.max(0.001),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `key`; on refusal returns the seconds until one is available.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a panic elsewhere; fail open rather than lock every client out.
            return Ok(());
        };
        if buckets.len() >= SWEEP_AT_KEYS {
            buckets.retain(|_, bucket| {
                now.duration_since(bucket.updated).as_secs_f64() < IDLE_SWEEP_S
            });
        }

        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed_s = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed_s * self.rate_per_s).min(self.burst);
        bucket.updated = now;

        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait_s = (1.0 - bucket.tokens) / self.rate_per_s;
            Err(wait_s.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill() {
        let limiter = RateLimiter::new(2.0, 3);
        let start = Instant::now();
        for _ in 0..3 {
            limiter.check_at("device-a", start).expect("within burst");
        }
        let wait_s = limiter
            .check_at("device-a", start)
            .expect_err("burst used up");
        assert_eq!(wait_s, 1);
        limiter
            .check_at("device-b", start)
            .expect("other keys have their own bucket");
        limiter
            .check_at("device-a", start + Duration::from_millis(500))
            .expect("one token refilled after 0.5 s at 2/s");
    }
}
