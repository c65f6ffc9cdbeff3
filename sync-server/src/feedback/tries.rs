//! What the public form keeps in memory, and only there: how many
//! unusable codes each address tried lately, and the key of the form's
//! token. Neither is ever written to the database or the log; a restart
//! forgets both (a form open across a restart asks to send again).

use ring::hmac;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Unusable codes one address may try per window.
pub const MAX_FAILED: u32 = 20;

/// The window: a quarter of an hour.
pub const WINDOW_MS: i64 = 15 * 60_000;

/// Addresses remembered at most; past that, windows that ended are
/// forgotten first, then the oldest, so memory stays bounded.
const MAX_ADDRESSES: usize = 10_000;

/// The public form's in-memory state (one per server).
#[derive(Debug)]
pub struct Door {
    failed: Mutex<HashMap<String, Window>>,
    key: hmac::Key,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    started_ms: i64,
    failed: u32,
}

impl Door {
    /// A door with a fresh random token key.
    ///
    /// # Errors
    /// The system random source failed.
    pub fn new() -> Result<Self, ring::error::Unspecified> {
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &ring::rand::SystemRandom::new())?;
        Ok(Self {
            failed: Mutex::new(HashMap::new()),
            key,
        })
    }

    /// Whether `addr` has used up its tries in the current window.
    pub fn blocked(&self, addr: &str, now_ms: i64) -> bool {
        let map = lock(&self.failed);
        map.get(&key_of(addr))
            .is_some_and(|w| now_ms - w.started_ms < WINDOW_MS && w.failed >= MAX_FAILED)
    }

    /// Counts one unusable code tried from `addr`.
    pub fn failed(&self, addr: &str, now_ms: i64) {
        let mut map = lock(&self.failed);
        if map.len() >= MAX_ADDRESSES {
            map.retain(|_, w| now_ms - w.started_ms < WINDOW_MS);
        }
        if map.len() >= MAX_ADDRESSES
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, w)| w.started_ms)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        let w = map.entry(key_of(addr)).or_insert(Window {
            started_ms: now_ms,
            failed: 0,
        });
        if now_ms - w.started_ms >= WINDOW_MS {
            *w = Window {
                started_ms: now_ms,
                failed: 0,
            };
        }
        w.failed = w.failed.saturating_add(1);
    }

    /// The form's token for a code (by its hash): proves a post comes from
    /// a form this server served for that code. Stateless, so the form
    /// needs no cookie.
    pub fn token(&self, code_hash: &[u8]) -> String {
        use base64::Engine as _;
        let tag = hmac::sign(
            &self.key,
            &[b"feedback-form\0".as_slice(), code_hash].concat(),
        );
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag.as_ref())
    }

    /// Whether `token` is this code's (constant time).
    pub fn token_ok(&self, code_hash: &[u8], token: &str) -> bool {
        use base64::Engine as _;
        let Ok(tag) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim()) else {
            return false;
        };
        let msg = [b"feedback-form\0".as_slice(), code_hash].concat();
        hmac::verify(&self.key, &msg, &tag).is_ok()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// An IPv6 address counts by its /64 (one household or phone gets a whole
/// /64, so single addresses would give every guesser endless tries).
fn key_of(addr: &str) -> String {
    match addr.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(ip) => ip.to_string(),
        Err(_) => addr.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_its_tries_until_the_window_ends() {
        let door = Door::new().expect("door");
        for _ in 0..MAX_FAILED {
            assert!(!door.blocked("203.0.113.7", 1_000));
            door.failed("203.0.113.7", 1_000);
        }
        assert!(door.blocked("203.0.113.7", 1_000));
        assert!(!door.blocked("203.0.113.8", 1_000), "another address");
        assert!(!door.blocked("203.0.113.7", 1_000 + WINDOW_MS));
    }

    #[test]
    fn ipv6_counts_per_64_and_memory_is_bounded() {
        let door = Door::new().expect("door");
        for i in 0..MAX_FAILED {
            door.failed(&format!("2001:db8:1:2::{i:x}"), 5);
        }
        assert!(door.blocked("2001:db8:1:2:ffff::1", 5));
        for i in 0..(MAX_ADDRESSES + 50) {
            door.failed(
                &format!("10.{}.{}.{}", i / 65_536, (i / 256) % 256, i % 256),
                10,
            );
        }
        assert!(lock(&door.failed).len() <= MAX_ADDRESSES);
    }

    #[test]
    fn tokens_belong_to_their_code_and_key() {
        let door = Door::new().expect("door");
        let t = door.token(b"hash-a");
        assert!(door.token_ok(b"hash-a", &t));
        assert!(!door.token_ok(b"hash-b", &t));
        assert!(!door.token_ok(b"hash-a", "not-a-token"));
        assert!(!Door::new().expect("other").token_ok(b"hash-a", &t));
    }
}
