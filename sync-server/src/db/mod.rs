//! The server's SQLite database: one [`open`] that sets the pragmas and runs
//! the embedded migrations, a small connection pool ([`Db`]) that runs every
//! call off the async threads (reads on read-only connections, writes in
//! one transaction each), and one query module per table. SQL lives
//! here, with two exceptions that read in bulk: the export's totals
//! (`export::query`) and the demo's closing counts (`demo`).

pub mod areas;
pub mod audit;
pub mod batches;
pub mod changelog;
pub mod copies;
pub mod decisions;
pub mod devices;
pub mod encounter_facts;
pub mod enrol_codes;
pub mod feedback_answers;
pub mod feedback_codes;
mod group;
pub mod login_attempts;
pub mod losses;
pub mod notes;
pub mod records;
pub mod refusals;
pub mod review;
pub mod revocations;
pub mod server_key;
pub mod sessions;
pub mod settings;
pub mod unit_words;
pub mod units;
pub mod users;
pub mod vocab_codes;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite refused.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The server key could not be made or read.
    #[error("server signing key: {0}")]
    ServerKey(String),
    /// The blocking task running a query died (a panic in a query).
    #[error("database task failed: {0}")]
    Task(String),
    /// The group commit holding a write failed: nothing of the group was
    /// written (see [`Db::call_write_group`]).
    #[error("database commit failed, nothing was saved; send it again: {0}")]
    GroupCommit(String),
}

// Numbered migrations, embedded in the binary. Never edit a shipped one.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/0001_init.sql")),
    M::up(include_str!("../../migrations/0002_export_facts.sql")),
    M::up(include_str!("../../migrations/0003_dashboard.sql")),
    M::up(include_str!(
        "../../migrations/0004_encounter_facts_by_merge.sql"
    )),
    M::up(include_str!("../../migrations/0005_sign_in.sql")),
    M::up(include_str!("../../migrations/0006_epoch_and_restore.sql")),
    M::up(include_str!(
        "../../migrations/0007_changelog_points_at_records.sql"
    )),
    M::up(include_str!("../../migrations/0008_unit_words.sql")),
    M::up(include_str!("../../migrations/0009_feedback.sql")),
    M::up(include_str!("../../migrations/0010_revocations.sql")),
];

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if need be) the database at `path`, sets the pragmas,
/// runs pending migrations and seeds what a fresh database needs (areas,
/// the server's signing key).
///
/// # Errors
/// [`DbError`] when the file cannot be opened, migrated or seeded.
pub fn open(path: &Path) -> Result<Connection, DbError> {
    let mut conn = connect(path)?;
    Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
    seed(&mut conn)?;
    Ok(conn)
}

/// A connection with the pragmas set, to a database [`open`] has already
/// migrated and seeded: what the pool adds under load. (Seeding takes the
/// write lock, so a burst of new connections each seeding queued behind
/// the pushes' writes.)
fn connect(path: &Path) -> Result<Connection, DbError> {
    let conn = Connection::open(path)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers (pulls, the dashboard) never block the writer (pushes).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL, not NORMAL: under WAL, NORMAL may lose the last commits on power
    // loss. The server acknowledges a batch right after its commit and the
    // phone then deletes its outbox rows, so a lost commit would be a lost
    // batch. FULL syncs the WAL on every commit; acks are worth the fsync.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A push writes a whole batch in one transaction, and every upsert
    // (with its triggers) keeps a statement journal. With SQLite's defaults
    // that journal is a temp file and the 2 MB page cache spills dirty
    // pages into the WAL mid-transaction: both were pwrite calls per
    // change. Memory for the one and 32 MB for the other keep a batch in
    // RAM until its commit; durability is unchanged (the WAL and FULL sync
    // decide that, not these).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -32_768)?;
    Ok(conn)
}

/// Seeds a fresh database; does nothing on one already seeded.
fn seed(conn: &mut Connection) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    if areas::count(&tx)? == 0 {
        for area in feltlogg_core::area::oslo_bydeler() {
            areas::insert(&tx, &area)?;
        }
    }
    vocab_codes::seed(&tx)?;
    server_key::ensure(&tx)?;
    tx.commit()?;
    Ok(())
}

/// A small pool of connections to one database file, with two doors: a
/// [`Db::read`] closure gets a [`ReadConn`] (a connection with
/// `PRAGMA query_only = ON`, so SQLite itself refuses any write through
/// it) and a [`Db::write`] closure gets a [`Transaction`] that commits only
/// when the closure succeeds. Operations that change state take a
/// `&Transaction`, which no read path has. Every call runs on tokio's
/// blocking threads, so SQLite's fsyncs never stall the async workers. The
/// mutexes guard only the idle lists and are never held while a query
/// runs, let alone across an `.await`.
#[derive(Clone, Debug)]
pub struct Db {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    /// Idle writable connections (the writer's, the CLI's, the tests').
    idle: Mutex<Vec<Connection>>,
    /// Idle read-only connections (`query_only`).
    readers: Mutex<Vec<Connection>>,
    /// One permit per connection the pool may use at once.
    permits: tokio::sync::Semaphore,
    /// Taken by [`Db::write`] and the group commit: writers queue here,
    /// first come first served, instead of in SQLite's busy handler, whose
    /// sleeps grow to 100 ms and which gives up after [`BUSY_TIMEOUT`].
    writer: tokio::sync::Mutex<()>,
    /// Writes waiting for a group commit ([`Db::call_write_group`]).
    group: group::Queue,
}

/// A connection that can only read: SQLite refuses every write through it
/// (`PRAGMA query_only = ON`, "attempt to write a readonly database"). It
/// derefs to [`Connection`] so the query modules' read functions take it;
/// the operations that change state take a [`Transaction`] instead.
#[derive(Debug)]
pub struct ReadConn(Connection);

impl std::ops::Deref for ReadConn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// Connections the pool uses at once; they stay open between calls.
/// More requests wait for one (in tokio, holding no thread). Without the
/// bound, a burst of 500 phones opened hundreds of connections on as many
/// blocking threads, each parsing the schema and preparing its statements
/// again, and closed them after one use: the burst spent its time there and
/// in switching threads, with the CPU partly idle (issue #12's load bench).
const MAX_CONNECTIONS: usize = 8;

/// Statements each connection keeps prepared. A push alone uses about 20
/// (rusqlite keeps 16 by default), so they were evicted and parsed again.
const STATEMENT_CACHE: usize = 64;

impl Db {
    /// Opens the database (creating and migrating it) and keeps the first
    /// connection for the pool.
    ///
    /// # Errors
    /// [`DbError`] as for [`open`].
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let conn = open(path)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                idle: Mutex::new(vec![conn]),
                readers: Mutex::new(Vec::new()),
                permits: tokio::sync::Semaphore::new(MAX_CONNECTIONS),
                writer: tokio::sync::Mutex::new(()),
                group: group::Queue::default(),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` with a writable connection, synchronously, outside any
    /// transaction: for tests and benches that set up data. Code that
    /// changes state on behalf of someone uses [`Db::write`] or
    /// [`Db::write_blocking`].
    ///
    /// # Errors
    /// Whatever `f` returns, or a connection error converted into `E`.
    pub fn with<T, E>(&self, f: impl FnOnce(&mut Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.take()?;
        let out = f(&mut conn);
        self.give_back(conn);
        out
    }

    /// Runs `f` with a read-only connection inside one read transaction
    /// (one snapshot), synchronously (for the CLI and tests).
    ///
    /// # Errors
    /// Whatever `f` returns, or a connection error converted into `E`.
    pub fn read_blocking<T, E>(&self, f: impl FnOnce(&ReadConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let reader = self.take_reader()?;
        // A deferred BEGIN: the snapshot starts at the first read and no
        // write lock is ever asked for.
        let out = match reader.0.execute_batch("BEGIN") {
            Ok(()) => {
                let out = f(&reader);
                // Ending a read transaction cannot lose anything.
                let _ = reader.0.execute_batch("COMMIT");
                out
            }
            Err(e) => Err(E::from(DbError::Sqlite(e))),
        };
        self.give_back_reader(reader);
        out
    }

    /// Runs `f` in one IMMEDIATE transaction, synchronously (for the CLI
    /// and tests): committed when `f` returns `Ok`, rolled back when it
    /// returns `Err`, so a change and its audit row land together or not
    /// at all.
    ///
    /// # Errors
    /// Whatever `f` returns, or a connection or commit error converted
    /// into `E`.
    pub fn write_blocking<T, E>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        self.with(|conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| E::from(DbError::Sqlite(e)))?;
            let out = f(&tx)?;
            tx.commit().map_err(|e| E::from(DbError::Sqlite(e)))?;
            Ok(out)
        })
    }

    /// [`Db::read_blocking`] on a blocking thread: the door for every
    /// dashboard page and API read.
    ///
    /// # Errors
    /// As for [`Db::read_blocking`]; a panic in `f` converted into `E`.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&ReadConn) -> Result<T, E> + Send + 'static,
    {
        let db = self.clone();
        self.blocking(move || db.read_blocking(f)).await
    }

    /// [`Db::write_blocking`] on a blocking thread, after the writers of
    /// this process queued before it: the door for every dashboard and API
    /// write outside the push's group commit.
    ///
    /// # Errors
    /// As for [`Db::write_blocking`]; a panic in `f` converted into `E`.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, E> + Send + 'static,
    {
        let _turn = self.inner.writer.lock().await;
        let db = self.clone();
        self.blocking(move || db.write_blocking(f)).await
    }

    /// Runs `f` on a blocking thread within the pool's bound.
    async fn blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce() -> Result<T, E> + Send + 'static,
    {
        // The semaphore is never closed, so acquiring only waits.
        let permit = self.inner.permits.acquire().await.ok();
        let out = tokio::task::spawn_blocking(f).await;
        drop(permit);
        match out {
            Ok(out) => out,
            Err(join) => Err(E::from(DbError::Task(join.to_string()))),
        }
    }

    fn take(&self) -> Result<Connection, DbError> {
        match lock(&self.inner.idle).pop() {
            Some(conn) => Ok(conn),
            None => connect(&self.inner.path),
        }
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = lock(&self.inner.idle);
        // The group writer's connection comes back here too: one more than
        // the bound.
        if idle.len() <= MAX_CONNECTIONS {
            idle.push(conn);
        }
    }

    fn take_reader(&self) -> Result<ReadConn, DbError> {
        if let Some(conn) = lock(&self.inner.readers).pop() {
            return Ok(ReadConn(conn));
        }
        let conn = connect(&self.inner.path)?;
        conn.pragma_update(None, "query_only", "ON")?;
        Ok(ReadConn(conn))
    }

    fn give_back_reader(&self, reader: ReadConn) {
        let mut idle = lock(&self.inner.readers);
        if idle.len() < MAX_CONNECTIONS {
            idle.push(reader.0);
        }
    }
}

/// An idle list, also after a panic elsewhere poisoned its mutex (the
/// list itself is always whole).
fn lock(list: &Mutex<Vec<Connection>>) -> std::sync::MutexGuard<'_, Vec<Connection>> {
    match list.lock() {
        Ok(list) => list,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Reads a UUID text column as a typed id.
pub(crate) fn parse_id<T: From<uuid::Uuid>>(
    r: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(idx)?;
    uuid::Uuid::parse_str(&text).map(T::from).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}
