//! Group commit: writes waiting for the writer's turn are applied together
//! in ONE SQLite transaction, each under a SAVEPOINT of its own, with one
//! COMMIT (one fsync) for all of them. A write that fails rolls back only
//! its savepoint and gets its own error; the others are unaffected. Every
//! caller is answered only after the COMMIT that holds its write (or that
//! failed, and then every caller of the group gets that failure: nothing
//! of it is on disk, and a write's own answer may have depended on an
//! earlier write of the group). A crash therefore loses a whole group or
//! nothing, and a caller told "done" is on disk.

use super::{Db, DbError};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::oneshot;

/// At most this many writes in one group.
pub(super) const MAX_WRITES: usize = 64;
/// At most this much weight (for a push: changes) in one group, unless a
/// single write weighs more (it then goes alone).
pub(super) const MAX_WEIGHT: usize = 5_000;

/// Answers a write's caller once the group's fate is known: `Ok` when the
/// COMMIT succeeded, the failure otherwise.
type Finish = Box<dyn FnOnce(Result<(), &str>) + Send>;

/// Runs a write given the group's transaction (inside the write's
/// savepoint), or why the group failed before it ran; says whether it
/// succeeded and how to answer it.
type Run = Box<dyn FnOnce(Result<&Connection, &str>) -> (bool, Finish) + Send>;

/// A write waiting for a group, with its weight.
pub(super) struct Job {
    weight: usize,
    run: Run,
}

/// The queue of writes waiting for a group.
#[derive(Default)]
pub(super) struct Queue(Mutex<VecDeque<Job>>);

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Queue({} waiting)", self.lock().len())
    }
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Job>> {
        match self.0.lock() {
            Ok(q) => q,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The next group: the oldest waiting writes, within the bounds.
    fn next_group(&self) -> Vec<Job> {
        let mut queue = self.lock();
        let mut group = Vec::new();
        let mut weight = 0usize;
        while let Some(front) = queue.front() {
            let full =
                group.len() >= MAX_WRITES || weight.saturating_add(front.weight) > MAX_WEIGHT;
            if !group.is_empty() && full {
                break;
            }
            weight = weight.saturating_add(front.weight);
            group.extend(queue.pop_front());
        }
        group
    }
}

impl Db {
    /// Runs the write `f` in the next group commit (see the module docs),
    /// on a blocking thread, after the writers queued before it. `weight`
    /// bounds the group (a push gives its number of changes). `f` runs
    /// inside the group's IMMEDIATE transaction; it must not commit.
    ///
    /// # Errors
    /// Whatever `f` returns (its savepoint is then rolled back); when the
    /// group's COMMIT fails, [`DbError::GroupCommit`] converted into `E`.
    pub async fn call_write_group<T, E, F>(&self, weight: usize, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        self.inner.group.lock().push_back(job(weight, f, answer));
        // The turn is taken by a task of its own, not by this future: a
        // caller that goes away (the phone hung up) still leaves the turn
        // for the write it queued, so no write waits for a turn that never
        // comes. Each turn runs at least one waiting write.
        let db = self.clone();
        tokio::spawn(async move { db.write_next_group().await });
        match answered.await {
            Ok(out) => out,
            Err(_) => Err(E::from(DbError::Task(
                "the write was dropped before its commit (see the server log)".into(),
            ))),
        }
    }

    /// One writer's turn: takes the next group and runs it.
    async fn write_next_group(&self) {
        let _turn = self.inner.writer.lock().await;
        let group = self.inner.group.next_group();
        if group.is_empty() {
            return; // An earlier turn took this write with its group.
        }
        let db = self.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || db.run_group(group)).await {
            tracing::error!(error = %e, "group commit task failed");
        }
    }

    fn run_group(&self, group: Vec<Job>) {
        let mut conn = match self.take() {
            Ok(conn) => conn,
            Err(e) => return fail_all(group, &e.to_string()),
        };
        commit_group(&mut conn, group);
        self.give_back(conn);
    }
}

/// Wraps `f` and the channel to its caller into a [`Job`].
fn job<T, E, F>(weight: usize, f: F, answer: oneshot::Sender<Result<T, E>>) -> Job
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
    F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
{
    let run = move |conn: Result<&Connection, &str>| -> (bool, Finish) {
        let out = match conn {
            Ok(conn) => f(conn),
            Err(why) => Err(E::from(DbError::GroupCommit(why.to_owned()))),
        };
        let ok = out.is_ok();
        let finish: Finish = Box::new(move |commit: Result<(), &str>| {
            let out = match commit {
                Ok(()) => out,
                Err(why) => Err(E::from(DbError::GroupCommit(why.to_owned()))),
            };
            // A caller that went away is not waiting: its phone retries
            // with the same bytes and gets the stored ack.
            let _ = answer.send(out);
        });
        (ok, finish)
    };
    Job {
        weight,
        run: Box::new(run),
    }
}

/// Answers every write of a group that could not run with `why`.
fn fail_all(group: Vec<Job>, why: &str) {
    for job in group {
        let (_, finish) = (job.run)(Err(why));
        finish(Err(why));
    }
}

/// Runs the group in one transaction, each write in its own savepoint,
/// commits once, then answers every caller.
fn commit_group(conn: &mut Connection, group: Vec<Job>) {
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => return fail_all(group, &e.to_string()),
    };
    let mut finishes = Vec::with_capacity(group.len());
    let mut jobs = group.into_iter();
    let mut broken = None;
    for job in jobs.by_ref() {
        let (finish, result) = run_in_savepoint(&mut tx, job);
        finishes.push(finish);
        if let Err(e) = result {
            broken = Some(e);
            break;
        }
    }
    let outcome = match broken {
        // Dropping the transaction rolls all of it back.
        Some(e) => Err(e),
        None => tx.commit().map_err(|e| e.to_string()),
    };
    if let Err(why) = &outcome {
        tracing::error!(error = %why, writes = finishes.len(), "group commit failed; nothing of it was written");
        fail_all(jobs.collect(), why);
    }
    let commit = outcome.as_ref().copied().map_err(String::as_str);
    for finish in finishes {
        finish(commit);
    }
}

/// Runs one write in a savepoint: released when it succeeds, rolled back
/// when it fails. `Err` means the transaction itself is no longer usable
/// (a savepoint could not be taken, released or rolled back, or SQLite
/// rolled the whole transaction back), so the group must fail.
fn run_in_savepoint(tx: &mut Transaction<'_>, job: Job) -> (Finish, Result<(), String>) {
    let mut sp = match tx.savepoint() {
        Ok(sp) => sp,
        Err(e) => {
            let why = e.to_string();
            let (_, finish) = (job.run)(Err(&why));
            return (finish, Err(why));
        }
    };
    let (ok, finish) = (job.run)(Ok(&sp));
    let ended = if ok {
        sp.commit()
    } else {
        sp.rollback().and_then(|()| sp.commit())
    };
    if let Err(e) = ended {
        return (finish, Err(e.to_string()));
    }
    if tx.is_autocommit() {
        // Some failures (disk full, I/O) make SQLite roll back the whole
        // transaction; the writes before this one are gone with it.
        return (
            finish,
            Err("the transaction was rolled back by the database".into()),
        );
    }
    (finish, Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Answer = oneshot::Receiver<Result<i64, DbError>>;

    fn temp_db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("group.db")).expect("open");
        db.with(|c| -> Result<(), DbError> {
            Ok(c.execute_batch("CREATE TABLE t (x INTEGER PRIMARY KEY)")?)
        })
        .expect("table");
        (dir, db)
    }

    /// Queues a write that inserts `x` and runs `then` after it.
    fn queue(db: &Db, x: i64, then: &'static str) -> Answer {
        let (answer, answered) = oneshot::channel();
        let f = move |c: &Connection| -> Result<i64, DbError> {
            c.execute("INSERT INTO t (x) VALUES (?1)", [x])?;
            c.execute_batch(then)?;
            Ok(x)
        };
        db.inner.group.lock().push_back(job(1, f, answer));
        answered
    }

    fn stored(db: &Db) -> Vec<i64> {
        db.with(|c| -> Result<Vec<i64>, DbError> {
            let mut st = c.prepare("SELECT x FROM t ORDER BY x")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
        })
        .expect("read")
    }

    #[test]
    fn a_failing_write_rolls_back_only_its_savepoint() {
        let (_dir, db) = temp_db();
        let mut a = queue(&db, 1, "");
        let mut b = queue(&db, 2, "SELECT * FROM no_such_table");
        let mut c = queue(&db, 3, "");
        let group = db.inner.group.next_group();
        assert_eq!(group.len(), 3, "the three waiting writes form one group");
        db.run_group(group);
        assert_eq!(a.try_recv().expect("answered").expect("a applied"), 1);
        let err = b.try_recv().expect("answered").expect_err("b fails");
        assert!(err.to_string().contains("no_such_table"), "{err}");
        assert_eq!(c.try_recv().expect("answered").expect("c applied"), 3);
        assert_eq!(stored(&db), vec![1, 3]);
    }

    #[test]
    fn a_broken_transaction_fails_the_whole_group_and_writes_nothing() {
        let (_dir, db) = temp_db();
        let mut a = queue(&db, 1, "");
        // Ends the group's transaction from inside a write: what SQLite
        // does on disk-full or I/O errors.
        let mut b = queue(&db, 2, "ROLLBACK");
        let mut c = queue(&db, 3, "");
        db.run_group(db.inner.group.next_group());
        for (name, rx) in [("a", &mut a), ("b", &mut b), ("c", &mut c)] {
            let out = rx.try_recv().expect("answered");
            assert!(
                matches!(out, Err(DbError::GroupCommit(_))),
                "{name}: {out:?}"
            );
        }
        assert_eq!(stored(&db), Vec::<i64>::new());
    }

    #[test]
    fn groups_are_bounded_by_count_and_weight() {
        let (_dir, db) = temp_db();
        let mut answers = Vec::new();
        for x in 0..70 {
            answers.push(queue(&db, x, ""));
        }
        assert_eq!(db.inner.group.next_group().len(), MAX_WRITES);
        assert_eq!(db.inner.group.next_group().len(), 70 - MAX_WRITES);
        let (answer, _answered) = oneshot::channel::<Result<(), DbError>>();
        let heavy = |_: &Connection| -> Result<(), DbError> { Ok(()) };
        for _ in 0..3 {
            let (answer, _) = oneshot::channel::<Result<(), DbError>>();
            db.inner
                .group
                .lock()
                .push_back(job(MAX_WEIGHT / 2, heavy, answer));
        }
        db.inner.group.lock().push_back(job(0, heavy, answer));
        assert_eq!(db.inner.group.next_group().len(), 2, "within the weight");
        assert_eq!(db.inner.group.next_group().len(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_concurrent_writes_each_land_once() {
        let (_dir, db) = temp_db();
        let mut tasks = Vec::new();
        for x in 0..300_i64 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                db.call_write_group(1, move |c| -> Result<i64, DbError> {
                    // Every tenth write fails on its own.
                    if x % 10 == 0 {
                        c.execute_batch("SELECT * FROM no_such_table")?;
                    }
                    c.execute("INSERT INTO t (x) VALUES (?1)", [x])?;
                    Ok(x)
                })
                .await
            }));
        }
        let mut ok = 0;
        for (x, task) in tasks.into_iter().enumerate() {
            match task.await.expect("task") {
                Ok(got) => {
                    assert_eq!(got, i64::try_from(x).expect("small"));
                    ok += 1;
                }
                Err(e) => assert!(x % 10 == 0, "write {x} failed: {e}"),
            }
        }
        assert_eq!(ok, 270);
        let want: Vec<i64> = (0..300).filter(|x| x % 10 != 0).collect();
        assert_eq!(stored(&db), want);
    }
}
