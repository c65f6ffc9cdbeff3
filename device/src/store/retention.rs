//! What a phone keeps so a server that went back to a backup loses
//! nothing: the sealed batches the server acknowledged (for a retention
//! period, pruned by age and total size), the server's epoch, and the last
//! signed decision on each shift (in [`super::decision`]). The sync client
//! decides when to use them; this module only stores.

use super::Store;
use super::error::Result;
use super::sync_state::{self, ACKED_SEQ, PULL_CURSOR};
use feltlogg_core::record::UnixMs;
use feltlogg_core::time::DAY_MS;
use rusqlite::{Connection, params};

const RETENTION_DAYS: &str = "retention_days";
const RETENTION_BYTES: &str = "retention_max_bytes";
const SERVER_EPOCH: &str = "server_epoch";
const REPULL: &str = "repull_after_restore";

/// How long and how much of the acknowledged batches a phone keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Days an acknowledged batch is kept (default 30).
    pub days: u32,
    /// Most bytes of acknowledged batches kept; the oldest go first
    /// (default 64 MiB).
    pub max_bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            days: 30,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Moves the sealed batches up to `seq` into the retained set (the caller's
/// transaction then deletes them from `sealed_batch`).
pub(crate) fn keep_acked(conn: &Connection, seq: i64, now: UnixMs) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO acked_batch (seq, envelope, acked_ms)
         SELECT seq, envelope, ?2 FROM sealed_batch WHERE seq <= ?1",
    )?
    .execute(params![seq, now])?;
    Ok(())
}

/// Drops retained batches older than the retention or beyond its size.
pub(crate) fn prune(conn: &Connection, r: Retention, now: UnixMs) -> Result<usize> {
    let cutoff = now.saturating_sub(i64::from(r.days).saturating_mul(DAY_MS));
    let mut gone = conn.execute("DELETE FROM acked_batch WHERE acked_ms < ?1", [cutoff])?;
    let max = i64::try_from(r.max_bytes).unwrap_or(i64::MAX);
    // Keep the newest batches whose running size fits.
    gone += conn.execute(
        "DELETE FROM acked_batch WHERE seq IN (
           SELECT seq FROM (SELECT seq, sum(length(envelope)) OVER (ORDER BY seq DESC) AS total
                            FROM acked_batch) WHERE total > ?1)",
        [max],
    )?;
    Ok(gone)
}

/// The retention in force.
pub(crate) fn retention(conn: &Connection) -> Result<Retention> {
    let d = Retention::default();
    Ok(Retention {
        days: sync_state::get_number(conn, RETENTION_DAYS)?.unwrap_or(d.days),
        max_bytes: sync_state::get_number(conn, RETENTION_BYTES)?.unwrap_or(d.max_bytes),
    })
}

impl Store {
    /// The retention of acknowledged batches.
    ///
    /// # Errors
    /// [`super::StoreError::Db`], [`super::StoreError::Corrupt`].
    pub fn retention(&self) -> Result<Retention> {
        retention(&self.conn)
    }

    /// Sets the retention and prunes to it at `now`.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn set_retention(&mut self, r: Retention, now: UnixMs) -> Result<()> {
        let tx = self.conn.transaction()?;
        sync_state::set(&tx, RETENTION_DAYS, &r.days.to_string())?;
        sync_state::set(&tx, RETENTION_BYTES, &r.max_bytes.to_string())?;
        prune(&tx, r, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Prunes the retained batches at `now`; returns how many went.
    ///
    /// # Errors
    /// [`super::StoreError::Db`], [`super::StoreError::Corrupt`].
    pub fn prune_acked(&mut self, now: UnixMs) -> Result<usize> {
        let r = retention(&self.conn)?;
        prune(&self.conn, r, now)
    }

    /// Retained acknowledged batches after seq `after`, in seq order.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn acked_batches_after(&self, after: u64) -> Result<Vec<(u64, Vec<u8>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, envelope FROM acked_batch WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([i64::try_from(after).unwrap_or(i64::MAX)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, bytes) = row?;
            out.push((u64::try_from(seq).unwrap_or(0), bytes));
        }
        Ok(out)
    }

    /// The highest batch seq the server has acknowledged (0 before any).
    ///
    /// # Errors
    /// [`super::StoreError::Db`], [`super::StoreError::Corrupt`].
    pub fn acked_seq(&self) -> Result<u64> {
        Ok(sync_state::get_number(&self.conn, ACKED_SEQ)?.unwrap_or(0))
    }

    /// The server epoch last seen (`None` before the first, or from a
    /// server that predates epochs).
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn server_epoch(&self) -> Result<Option<String>> {
        sync_state::get(&self.conn, SERVER_EPOCH)
    }

    /// Remembers the server's epoch.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn set_server_epoch(&mut self, epoch: &str) -> Result<()> {
        sync_state::set(&self.conn, SERVER_EPOCH, epoch)
    }

    /// After the server went back: the next pull starts from 0 and, once
    /// it reaches the end, settles which decisions the server still holds.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn restart_pull(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        sync_state::set(&tx, PULL_CURSOR, "0")?;
        sync_state::set(&tx, REPULL, "1")?;
        tx.commit()?;
        Ok(())
    }

    /// Whether a pull from 0 after a restore is under way.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn repull_pending(&self) -> Result<bool> {
        Ok(sync_state::get(&self.conn, REPULL)?.is_some())
    }

    /// Ends the pull after a restore.
    ///
    /// # Errors
    /// [`super::StoreError::Db`].
    pub fn finish_repull(&mut self) -> Result<()> {
        sync_state::delete(&self.conn, REPULL)
    }
}
