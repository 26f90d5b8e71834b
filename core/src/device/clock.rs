//! The phone's clocks as the check-in flow reads them. Android supplies its own implementation
//! through the bindings (`System.currentTimeMillis`, `SystemClock.elapsedRealtime` and a boot
//! id); [`SystemClock`] reads the Linux equivalents for the CLI simulator and the tests.

use crate::time::ClockReading;

/// The three clock values a record carries.
pub trait PlatformClock: Send + Sync {
    /// Wall clock in ms since the Unix epoch; the owner can set it, so it is never trusted alone.
    fn wall_clock_ms(&self) -> i64;

    /// Monotonic time since boot in ms, counting deep sleep (Android `elapsedRealtime`).
    fn elapsed_since_boot_ms(&self) -> i64;

    /// Identifier of the current boot; it changes at each reboot, when the elapsed clock
    /// restarts.
    fn boot_id(&self) -> String;
}

/// Reads the clocks of the platform once, for one record.
pub fn read_clock(clock: &dyn PlatformClock) -> ClockReading {
    ClockReading {
        wall_clock_ms: clock.wall_clock_ms(),
        elapsed_ms: clock.elapsed_since_boot_ms(),
        boot_id: clock.boot_id(),
    }
}

/// Linux clocks: the system wall clock, `CLOCK_BOOTTIME` read through `/proc/uptime` (which
/// counts suspend, as Android's `elapsedRealtime` does), and the kernel's boot id.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl PlatformClock for SystemClock {
    fn wall_clock_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as i64)
            .unwrap_or(0)
    }

    /// Returns the uptime in ms with 10 ms resolution, or 0 when `/proc/uptime` is unreadable
    /// (then every reading looks like a fresh boot, and the check-in records the wall clock).
    fn elapsed_since_boot_ms(&self) -> i64 {
        match std::fs::read_to_string("/proc/uptime") {
            Ok(text) => parse_uptime_ms(&text).unwrap_or(0),
            Err(error) => {
                tracing::warn!(%error, "cannot read /proc/uptime; elapsed clock reads 0");
                0
            }
        }
    }

    /// Returns the kernel boot id, or `unknown-boot` when it is unreadable, so no anchor of an
    /// earlier boot is ever applied by mistake.
    fn boot_id(&self) -> String {
        match std::fs::read_to_string("/proc/sys/kernel/random/boot_id") {
            Ok(text) => text.trim().to_string(),
            Err(error) => {
                tracing::warn!(%error, "cannot read the kernel boot id");
                "unknown-boot".to_string()
            }
        }
    }
}

/// Parses the first field of `/proc/uptime` (seconds with a decimal fraction) into ms.
fn parse_uptime_ms(text: &str) -> Option<i64> {
    let seconds_text = text.split_whitespace().next()?;
    let (whole, fraction) = seconds_text.split_once('.').unwrap_or((seconds_text, ""));
    let whole: i64 = whole.parse().ok()?;
    let millis_text: String = fraction.chars().chain("000".chars()).take(3).collect();
    let millis: i64 = millis_text.parse().ok()?;
    Some(whole * 1000 + millis)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn uptime_parses_to_ms() {
        assert_eq!(parse_uptime_ms("12345.67 98765.43\n"), Some(12_345_670));
        assert_eq!(parse_uptime_ms("7 1"), Some(7_000));
        assert_eq!(parse_uptime_ms("abc 1"), None);
        assert_eq!(parse_uptime_ms(""), None);
    }

    #[test]
    fn system_clock_reads_linux_clocks() {
        let reading = read_clock(&SystemClock);
        assert!(reading.elapsed_ms > 0, "uptime is positive on Linux");
        assert_eq!(reading.boot_id.len(), 36, "boot id is a UUID");
        assert!(reading.wall_clock_ms > 1_700_000_000_000);
    }
}
