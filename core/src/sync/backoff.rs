//! Exponential backoff with jitter between attempts of one sync request.
//!
//! The delay before retry `n` (from 0) is drawn uniformly from `[d/2, d]` with
//! `d = min(max_ms, base_ms * 2^n)`. Half of the delay is random, so thousands of phones that
//! lost the network at the same moment (a power cut at an office) do not retry in step.

use ring::rand::{SecureRandom, SystemRandom};

/// Returns the delay in ms before retry `retry` (0 for the first retry).
pub fn backoff_delay_ms(retry: u32, base_ms: u64, max_ms: u64) -> u64 {
    let ceiling = base_ms
        .saturating_mul(1u64.checked_shl(retry.min(40)).unwrap_or(u64::MAX))
        .min(max_ms);
    let half = ceiling / 2;
    half + random_below(ceiling - half + 1)
}

/// A uniform random number in `[0, bound)`; 0 when the system generator fails, which only
/// removes the jitter.
fn random_below(bound: u64) -> u64 {
    let mut bytes = [0u8; 8];
    if bound == 0 || SystemRandom::new().fill(&mut bytes).is_err() {
        return 0;
    }
    u64::from_le_bytes(bytes) % bound
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn delay_doubles_within_jitter_and_stops_at_the_cap() {
        for retry in 0..8 {
            let ceiling = (100u64 << retry).min(5_000);
            for _ in 0..50 {
                let delay = backoff_delay_ms(retry, 100, 5_000);
                assert!(
                    (ceiling / 2..=ceiling).contains(&delay),
                    "retry {retry}: {delay} outside [{}, {ceiling}]",
                    ceiling / 2
                );
            }
        }
        assert!(backoff_delay_ms(200, 100, 5_000) <= 5_000);
    }

    #[test]
    fn delays_vary() {
        let delays: std::collections::HashSet<u64> =
            (0..40).map(|_| backoff_delay_ms(6, 100, 60_000)).collect();
        assert!(delays.len() > 5, "jitter spreads the delays: {delays:?}");
    }
}
