//! The store's side of sync: sealed batches waiting for their ack,
//! refusals reported by the server, and small sync facts (last success,
//! last error). The sealing itself is passed in, so no key ever reaches
//! this module.

use super::Store;
use super::error::{Result, StoreError};
use super::sync_state::{self, ACKED_SEQ};
use super::{outbox, retention};
use feltlogg_core::RefusalCode;
use feltlogg_core::change::Change;
use feltlogg_core::record::RecordKind;
use feltlogg_core::sync::{Batch, Refusal};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

impl Store {
    /// Cuts the next batch from outbox changes not yet in a sealed batch (at
    /// most `limit`), seals it with `seal` and stores the sealed bytes, all
    /// in one transaction. Returns the batch seq, or `None` when nothing
    /// waits. Batch seqs are gap-free from 1.
    ///
    /// # Errors
    /// Whatever `seal` returns, or [`StoreError`] converted; nothing is
    /// stored then.
    pub fn cut_batch<E: From<StoreError>>(
        &mut self,
        limit: usize,
        seal: impl FnOnce(&Batch) -> std::result::Result<Vec<u8>, E>,
    ) -> std::result::Result<Option<u64>, E> {
        let (device, _) = self.device().ok_or(StoreError::NotEnrolled)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let (last_seq, cut_through) = last_cut(&tx)?;
        let rows = outbox::after(&tx, cut_through, limit)?;
        let Some(&(through, _)) = rows.last() else {
            return Ok(None);
        };
        let seq = last_seq + 1;
        let changes: Vec<Change> = rows.into_iter().map(|(_, c)| c).collect();
        let envelope = seal(&Batch {
            device_id: device,
            seq,
            changes,
        })?;
        tx.execute(
            "INSERT INTO sealed_batch (seq, through_seq, envelope) VALUES (?1, ?2, ?3)",
            params![to_i64(seq), through, envelope],
        )
        .map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(Some(seq))
    }

    /// Sealed batches waiting for an ack, in seq order.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn sealed_batches(&self) -> Result<Vec<(u64, Vec<u8>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, envelope FROM sealed_batch ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, bytes) = row?;
            out.push((u64::try_from(seq).unwrap_or(0), bytes));
        }
        Ok(out)
    }

    /// Records the server's ack of batch `seq`: the outbox changes it held
    /// go, the sealed batch moves to the retained ones (pruned by age and
    /// size), the refusals are kept, in one transaction.
    /// Acking a seq already acked is harmless.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn ack_batch(&mut self, seq: u64, refused: &[Refusal]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let through: Option<i64> = tx
            .query_row(
                "SELECT through_seq FROM sealed_batch WHERE seq = ?1",
                [to_i64(seq)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(through) = through {
            outbox::remove_through(&tx, through)?;
        }
        // Kept sealed for the retention: a server restored from a backup
        // gets the very same bytes again.
        let now = super::now_ms();
        retention::keep_acked(&tx, to_i64(seq), now)?;
        retention::prune(&tx, retention::retention(&tx)?, now)?;
        tx.execute("DELETE FROM sealed_batch WHERE seq <= ?1", [to_i64(seq)])?;
        let acked = sync_state::get_number::<u64>(&tx, ACKED_SEQ)?
            .unwrap_or(0)
            .max(seq);
        sync_state::set(&tx, ACKED_SEQ, &acked.to_string())?;
        insert_refusals(&tx, refused)?;
        tx.commit()?;
        Ok(())
    }

    /// Every refusal the server reported for this device's changes.
    ///
    /// # Errors
    /// [`StoreError::Db`], [`StoreError::Corrupt`].
    pub fn refusals(&self) -> Result<Vec<Refusal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id, kind, batch_seq, reason, code FROM refusal ORDER BY batch_seq, record_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, seq, reason, code) = row?;
            out.push(Refusal {
                change_id_or_record: id
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("refusal id {id:?}: {e}")))?,
                kind: RecordKind::parse(&kind)?,
                batch_seq: u64::try_from(seq).unwrap_or(0),
                reason,
                code: RefusalCode::from_wire(&code),
            });
        }
        Ok(out)
    }

    /// A small sync fact by key (last success, last error).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn sync_fact(&self, key: &str) -> Result<Option<String>> {
        sync_state::get(&self.conn, key)
    }

    /// Sets (or with `None` clears) a small sync fact.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub fn set_sync_fact(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => sync_state::set(&self.conn, key, v),
            None => sync_state::delete(&self.conn, key),
        }
    }
}

/// The last batch seq cut (or acked) and the outbox seq it reached.
fn last_cut(conn: &Connection) -> Result<(u64, i64)> {
    let sealed: Option<(i64, i64)> = conn
        .query_row(
            "SELECT seq, through_seq FROM sealed_batch ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match sealed {
        Some((seq, through)) => Ok((u64::try_from(seq).unwrap_or(0), through)),
        // Nothing sealed: every outbox row still present is uncut, and the
        // next seq follows the last acked one.
        None => Ok((
            sync_state::get_number::<u64>(conn, ACKED_SEQ)?.unwrap_or(0),
            0,
        )),
    }
}

/// Keeps refusals the server reported (on ack, and on pull).
pub(crate) fn insert_refusals(conn: &Connection, refused: &[Refusal]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO refusal (record_id, kind, batch_seq, reason, code)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in refused {
        stmt.execute(params![
            r.change_id_or_record.to_string(),
            r.kind.as_str(),
            to_i64(r.batch_seq),
            r.reason,
            r.code.as_str()
        ])?;
    }
    Ok(())
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
