//! Slowing online password guessing without locking anyone out, after
//! OWASP's "device cookies" guidance.
//!
//! - Failures are counted per account (`user:<name>`), per address
//!   (`addr:<ip>`, the socket's peer: the server trusts no forwarded
//!   header) and per known browser (`device:<id>`).
//! - A browser that signed in to an account before holds a device cookie
//!   bound to that account ([`crate::db::known_browsers`]). Its tries on
//!   that account count only against its own allowance, so strangers'
//!   failures on the account or from a shared address never lock it out.
//! - Every other try counts against the account and the address.
//! - Check and count are one step: in one `BEGIN IMMEDIATE` transaction
//!   the waits are checked and, if there are none, a failure is counted
//!   under every key *before* the password is verified (a reservation).
//!   A success gives the reservation back. So a burst of parallel tries
//!   sees each other's reservations: no more than `free` are ever checked
//!   before the first delay.
//! - Past `free` failures the next try waits `base`, then 2×, 4×… up to
//!   `max`. A success gives back only its own reservation (another
//!   account's success resets nothing); a known browser's success clears
//!   its own count. Counts left alone for [`FORGET_MS`] start over.

use crate::db::login_attempts::{self, Attempts};
use rusqlite::{Connection, Transaction};

/// How many failures a key is allowed and how the delay after them grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Failures checked before the first delay.
    pub free: i64,
    /// The first delay, ms.
    pub base_ms: i64,
    /// The longest delay, ms.
    pub max_ms: i64,
}

/// Per account, for browsers the account does not know.
pub const ACCOUNT: Limit = Limit {
    free: 5,
    base_ms: 15_000,
    max_ms: 15 * 60_000,
};
/// Per address, for browsers not known to the account tried.
pub const ADDRESS: Limit = Limit {
    free: 20,
    base_ms: 15_000,
    max_ms: 15 * 60_000,
};
/// Per known browser (its own allowance on its own account).
pub const DEVICE: Limit = Limit {
    free: 5,
    base_ms: 15_000,
    max_ms: 15 * 60_000,
};
/// A count untouched this long starts over (a day).
pub const FORGET_MS: i64 = feltlogg_core::time::DAY_MS;

/// One counter a try is held to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// `user:…`, `addr:…` or `device:…`.
    pub name: String,
    /// Its limit.
    pub limit: Limit,
}

impl Key {
    /// The account's counter (names compared case-insensitively).
    pub fn account(username: &str) -> Self {
        Self {
            name: format!("user:{}", username.to_lowercase()),
            limit: ACCOUNT,
        }
    }

    /// The address's counter.
    pub fn address(addr: &str) -> Self {
        Self {
            name: format!("addr:{addr}"),
            limit: ADDRESS,
        }
    }

    /// A known browser's counter.
    pub fn device(id: &str) -> Self {
        Self {
            name: format!("device:{id}"),
            limit: DEVICE,
        }
    }
}

/// Milliseconds until a key with `a` may be tried again, 0 when now.
pub fn wait_ms(a: Option<Attempts>, limit: Limit, now_ms: i64) -> i64 {
    let Some(a) = a else { return 0 };
    if a.failures < limit.free || now_ms - a.last_failure_ms >= FORGET_MS {
        return 0;
    }
    let exp = u32::try_from((a.failures - limit.free).min(20)).unwrap_or(20);
    let delay = limit.base_ms.saturating_mul(1 << exp).min(limit.max_ms);
    (a.last_failure_ms + delay - now_ms).max(0)
}

/// Checks every key and, when none must wait, counts a failure under each
/// (the reservation), in one immediate transaction. `Ok(0)`: reserved, go
/// on and verify; `Ok(ms)`: refused, try again in `ms`.
///
/// # Errors
/// SQLite errors.
pub fn reserve(tx: &Transaction<'_>, keys: &[Key], now_ms: i64) -> rusqlite::Result<i64> {
    let mut wait = 0;
    for k in keys {
        wait = wait.max(wait_ms(login_attempts::get(tx, &k.name)?, k.limit, now_ms));
    }
    if wait == 0 {
        for k in keys {
            login_attempts::fail(tx, &k.name, now_ms, now_ms - FORGET_MS)?;
        }
    }
    Ok(wait)
}

/// After a success: gives back the reservation under every key; a known
/// browser's own count is cleared.
///
/// # Errors
/// SQLite errors.
pub fn succeeded(conn: &Connection, keys: &[Key]) -> rusqlite::Result<()> {
    for k in keys {
        if k.limit == DEVICE && k.name.starts_with("device:") {
            login_attempts::clear(conn, &k.name)?;
        } else {
            login_attempts::give_back(conn, &k.name)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_the_free_tries_and_is_capped() {
        let at = |failures| {
            let a = Attempts {
                failures,
                last_failure_ms: 0,
            };
            wait_ms(Some(a), ACCOUNT, 0)
        };
        assert_eq!(at(4), 0);
        assert_eq!(at(5), 15_000);
        assert_eq!(at(6), 30_000);
        assert_eq!(at(8), 120_000);
        assert_eq!(at(60), ACCOUNT.max_ms);
        assert_eq!(wait_ms(None, ACCOUNT, 0), 0);
    }

    #[test]
    fn a_quiet_day_forgets() {
        // (`fail` also starts such a count over at one: see login_attempts.)
        let a = Attempts {
            failures: 50,
            last_failure_ms: 0,
        };
        assert!(wait_ms(Some(a), ADDRESS, 60_000) > 0);
        assert_eq!(wait_ms(Some(a), ADDRESS, FORGET_MS), 0);
    }
}
