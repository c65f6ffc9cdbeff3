//! Time as the whole system counts it: Unix milliseconds ([`UnixMs`]), the
//! units to build durations from, and the wall clock. Rules take the time
//! as an argument so tests are deterministic; only the edges (store
//! commands, server handlers, the CLI) read the clock, through [`now_ms`].

use crate::record::UnixMs;

/// One second in ms.
pub const SECOND_MS: i64 = 1_000;
/// One minute in ms.
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
/// One hour in ms.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// One day (24 hours; calendar days in Oslo come from `jiff`) in ms.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// The wall clock now, in Unix ms; 0 for a clock before 1970.
pub fn now_ms() -> UnixMs {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_clock() {
        assert_eq!(DAY_MS, 86_400_000);
        assert_eq!(HOUR_MS, 3_600_000);
        // After 2020-01-01: the clock is read, not a constant.
        assert!(now_ms() > 1_577_836_800_000);
    }
}
