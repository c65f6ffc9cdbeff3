//! Hybrid logical clock (Kulkarni et al., 2014): wall-clock milliseconds,
//! a counter for events within the same millisecond (or while the wall
//! clock lags a stamp already seen), and the device id as the final tie
//! breaker. Stamps order totally, so last-writer-wins is deterministic.

use crate::ids::DeviceId;
use crate::record::UnixMs;
use serde::{Deserialize, Serialize};

/// The device id in the server's own HLC stamps (the nil UUID: no phone
/// has it). The server stamps decisions with it; the phone knows them by it.
pub const SERVER_STAMP_DEVICE: DeviceId = DeviceId(uuid::Uuid::nil());

/// How far ahead of the server's clock a stamp may be before it is clamped.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * crate::time::MINUTE_MS;

/// One HLC stamp. Ordered by wall time, then counter, then device id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Physical part, Unix ms.
    pub wall_ms: UnixMs,
    /// Logical part.
    pub counter: u32,
    /// The device that made the stamp.
    pub device: DeviceId,
}

impl Hlc {
    /// Clamps a stamp that runs more than [`MAX_CLOCK_SKEW_MS`] ahead of
    /// `server_now`, so one phone with a wrong clock cannot win every tie.
    /// Returns the stamp to use and whether it was clamped.
    pub fn clamp_to(self, server_now: UnixMs) -> (Hlc, bool) {
        let limit = server_now.saturating_add(MAX_CLOCK_SKEW_MS);
        if self.wall_ms > limit {
            (
                Hlc {
                    wall_ms: limit,
                    ..self
                },
                true,
            )
        } else {
            (self, false)
        }
    }
}

/// A device's clock: remembers the last stamp it gave or saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    /// A clock for `device` that has seen nothing yet.
    pub fn new(device: DeviceId) -> Self {
        Self {
            last: Hlc {
                wall_ms: 0,
                counter: 0,
                device,
            },
        }
    }

    /// A clock resuming from the last stamp it gave (as persisted).
    pub fn resume(last: Hlc) -> Self {
        Self { last }
    }

    /// The last stamp given or seen.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new stamp for a local event at physical time `now`; always greater
    /// than every stamp given or seen before.
    pub fn tick(&mut self, now: UnixMs) -> Hlc {
        if now > self.last.wall_ms {
            self.last.wall_ms = now;
            self.last.counter = 0;
        } else {
            self.last.counter = self.last.counter.saturating_add(1);
        }
        self.last
    }

    /// Takes in a stamp seen from elsewhere, so later local stamps order
    /// after it.
    pub fn observe(&mut self, remote: Hlc, now: UnixMs) {
        let device = self.last.device;
        let wall = now.max(self.last.wall_ms).max(remote.wall_ms);
        let counter = if wall == self.last.wall_ms && wall == remote.wall_ms {
            self.last.counter.max(remote.counter)
        } else if wall == self.last.wall_ms {
            self.last.counter
        } else if wall == remote.wall_ms {
            remote.counter
        } else {
            0
        };
        self.last = Hlc {
            wall_ms: wall,
            counter,
            device,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_increase_even_when_wall_clock_goes_back() {
        let mut c = Clock::new(DeviceId::new());
        let a = c.tick(1_000);
        let b = c.tick(900);
        let d = c.tick(1_000);
        assert!(a < b && b < d, "{a:?} {b:?} {d:?}");
    }

    #[test]
    fn observe_orders_later_ticks_after_remote() {
        let mut c = Clock::new(DeviceId::new());
        c.tick(1_000);
        let remote = Hlc {
            wall_ms: 5_000,
            counter: 7,
            device: DeviceId::new(),
        };
        c.observe(remote, 1_001);
        let next = c.tick(1_002);
        assert!(next > remote, "{next:?} must follow {remote:?}");
    }

    #[test]
    fn clamps_stamps_far_in_the_future() {
        let h = Hlc {
            wall_ms: 10 * MAX_CLOCK_SKEW_MS,
            counter: 0,
            device: DeviceId::new(),
        };
        let (c, flagged) = h.clamp_to(0);
        assert!(flagged);
        assert_eq!(c.wall_ms, MAX_CLOCK_SKEW_MS);
        assert!(!h.clamp_to(h.wall_ms).1);
    }
}
