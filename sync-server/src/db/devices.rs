//! `devices`: enrolled phones, their keys, token hash and batch high-water.

use feltlogg_core::ids::{DeviceId, UnitId};
use feltlogg_core::sync::{DeviceKey, KeyId, RevocationKind, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};

/// A device as the sync endpoints need it.
#[derive(Debug)]
pub struct Device {
    /// Id.
    pub id: DeviceId,
    /// Its unit.
    pub unit_id: UnitId,
    /// Public key that verifies its pushes.
    pub public_key: VerifyingKey,
    /// Symmetric key for its envelopes.
    pub device_key: DeviceKey,
    /// The device key's id.
    pub key_id: KeyId,
    /// Last batch seq applied (0 before the first).
    pub high_water: u64,
    /// When it was revoked, if it was.
    pub revoked_ms: Option<i64>,
    /// Its signed instruction's kind, if it was revoked with one (a phone
    /// revoked before instructions existed has none).
    pub revocation: Option<RevocationKind>,
    /// When it last reached the server (see [`touch`]).
    pub last_contact_ms: Option<i64>,
}

/// How stale the last contact may get before a call writes it again: a
/// phone pulls every minute, and a write per pull would queue every pull
/// behind the pushes for a time shown to the minute.
pub const CONTACT_GRAIN_MS: i64 = 5 * 60_000;

impl Device {
    /// Whether a call at `now_ms` should [`touch`] the last contact: it is
    /// older than [`CONTACT_GRAIN_MS`], or older than the revocation (so
    /// the admin sees at once that the phone came for its instruction).
    pub fn contact_is_stale(&self, now_ms: i64) -> bool {
        match self.last_contact_ms {
            None => true,
            Some(t) => now_ms - t >= CONTACT_GRAIN_MS || self.revoked_ms.is_some_and(|r| t < r),
        }
    }

    /// Whether its pushes are taken: not revoked, or retired (what a
    /// retired phone has left is still wanted before it wipes).
    pub fn may_push(&self) -> bool {
        self.revoked_ms.is_none() || self.revocation == Some(RevocationKind::Retire)
    }
}

/// A device to enrol.
#[derive(Debug)]
pub struct NewDevice<'a> {
    /// Id.
    pub id: DeviceId,
    /// Its unit.
    pub unit_id: UnitId,
    /// Name shown to admins.
    pub name: &'a str,
    /// Its Ed25519 public key.
    pub public_key: VerifyingKey,
    /// The symmetric key made for it.
    pub device_key: &'a DeviceKey,
    /// That key's id.
    pub key_id: KeyId,
    /// SHA-256 of its bearer token.
    pub token_hash: &'a [u8],
}

/// Stores a newly enrolled device.
pub fn insert(conn: &Connection, d: &NewDevice<'_>, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO devices (id, unit_id, name, public_key, device_key, key_id, token_hash, enrolled_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            d.id.to_string(),
            d.unit_id.to_string(),
            d.name,
            d.public_key.0.as_slice(),
            d.device_key.as_bytes().as_slice(),
            key_id_to_sql(d.key_id),
            d.token_hash,
            now_ms
        ],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT d.id, d.unit_id, d.public_key, d.device_key, d.key_id, d.high_water,
            d.revoked_ms, r.kind, d.last_contact_ms
       FROM devices d LEFT JOIN revocations r ON r.device_id = d.id";

/// The device whose token hashes to `token_hash`.
pub fn by_token_hash(conn: &Connection, token_hash: &[u8]) -> rusqlite::Result<Option<Device>> {
    conn.prepare_cached(&format!("{SELECT} WHERE d.token_hash = ?1"))?
        .query_row([token_hash], row)
        .optional()
}

/// A device by id.
pub fn get(conn: &Connection, id: DeviceId) -> rusqlite::Result<Option<Device>> {
    conn.prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?
        .query_row([id.to_string()], row)
        .optional()
}

/// Notes that the device reached the server at `now_ms`.
pub fn touch(conn: &Connection, id: DeviceId, now_ms: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE devices SET last_contact_ms = max(coalesce(last_contact_ms, 0), ?2) WHERE id = ?1",
    )?
    .execute(params![id.to_string(), now_ms])?;
    Ok(())
}

/// Moves the device's high-water mark to `seq`.
pub fn set_high_water(conn: &Connection, id: DeviceId, seq: u64) -> rusqlite::Result<()> {
    // Cached: every push runs it.
    conn.prepare_cached("UPDATE devices SET high_water = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), u64_to_sql(seq)])?;
    Ok(())
}

/// Revokes a device; every later call from it fails. Returns false when
/// there is no such device.
pub fn revoke(conn: &Connection, id: DeviceId, now_ms: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE devices SET revoked_ms = coalesce(revoked_ms, ?2) WHERE id = ?1",
        params![id.to_string(), now_ms],
    )?;
    Ok(n == 1)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    let public: Vec<u8> = r.get(2)?;
    let key: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(r.get(3)?);
    let bad = |idx: usize, msg: String| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Blob, msg.into())
    };
    let public: [u8; 32] = public
        .as_slice()
        .try_into()
        .map_err(|_| bad(2, format!("public key of {} bytes", public.len())))?;
    Ok(Device {
        id: super::parse_id(r, 0)?,
        unit_id: super::parse_id(r, 1)?,
        public_key: VerifyingKey(public),
        device_key: DeviceKey::from_slice(&key).map_err(|e| bad(3, e.to_string()))?,
        key_id: KeyId(u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0)),
        high_water: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
        revoked_ms: r.get(6)?,
        revocation: super::revocations::kind_of(r, 7)?,
        last_contact_ms: r.get(8)?,
    })
}

// Key ids have their top bit clear (see `KeyId::generate`) and seqs stay far
// below 2^63, so both fit SQLite's signed INTEGER; saturate rather than wrap.
fn key_id_to_sql(id: KeyId) -> i64 {
    u64_to_sql(id.as_u64())
}

/// A u64 as SQLite's i64, saturating.
pub(crate) fn u64_to_sql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A device as the devices page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Id.
    pub id: DeviceId,
    /// Its name.
    pub name: String,
    /// Its unit's id.
    pub unit_id: UnitId,
    /// Its unit's name.
    pub unit: String,
    /// Enrolled, Unix ms.
    pub enrolled_ms: i64,
    /// Its last applied batch, Unix ms (pushes are what the server records).
    pub last_push_ms: Option<i64>,
    /// That batch's seq (0 before the first).
    pub high_water: u64,
    /// When it last reached the server, Unix ms.
    pub last_contact_ms: Option<i64>,
    /// Revoked, Unix ms.
    pub revoked_ms: Option<i64>,
    /// Its signed instruction's kind, if revoked with one.
    pub revocation: Option<RevocationKind>,
}

/// Every device, newest enrolment first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.name, d.unit_id, u.name, d.enrolled_ms,
                (SELECT max(b.received_ms) FROM batches b WHERE b.device_id = d.id), d.revoked_ms,
                d.high_water, d.last_contact_ms, r.kind
           FROM devices d JOIN units u ON u.id = d.unit_id
           LEFT JOIN revocations r ON r.device_id = d.id
          ORDER BY d.enrolled_ms DESC, d.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Listed {
            id: super::parse_id(r, 0)?,
            name: r.get(1)?,
            unit_id: super::parse_id(r, 2)?,
            unit: r.get(3)?,
            enrolled_ms: r.get(4)?,
            last_push_ms: r.get(5)?,
            revoked_ms: r.get(6)?,
            high_water: u64::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
            last_contact_ms: r.get(8)?,
            revocation: super::revocations::kind_of(r, 9)?,
        })
    })?;
    rows.collect()
}
