//! What a writing transaction runs its statements on. Usually a sqlx transaction; on SQLite the
//! order writer instead drives its own connection directly from the writer thread, because a
//! sqlx SQLite connection runs every statement on a worker thread, and the ~40 statements of a
//! batch then cost ~80 thread switches on the path every checkout waits on (ADR 0004). The SQL
//! text is the same either way; the ledger, outbox and bulk-insert helpers take any `Exec`.

use crate::durable::Syncer;
use crate::sql::{bind_vals, Val};
use crate::StoreError;
use sqlx::{Any, Row, Transaction};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The type of a column read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Text,
}

/// A value read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Int(i64),
    Text(String),
    Null,
}

impl Cell {
    pub fn int(&self) -> Result<i64, StoreError> {
        match self {
            Cell::Int(i) => Ok(*i),
            other => Err(StoreError::Corrupt(format!(
                "expected an integer, got {other:?}"
            ))),
        }
    }

    pub fn text(self) -> Result<String, StoreError> {
        match self {
            Cell::Text(s) => Ok(s),
            other => Err(StoreError::Corrupt(format!("expected text, got {other:?}"))),
        }
    }
}

/// Runs statements inside an open transaction.
pub(crate) trait Exec: Send {
    /// Plain `?` placeholders (SQLite) rather than `$n` (PostgreSQL).
    fn positional(&self) -> bool;

    /// Runs a statement and returns the rows it changed. `cached`: the text repeats, so keep it
    /// prepared.
    fn execute(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        cached: bool,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Runs a query and returns its rows, each column read as `kinds` says.
    fn fetch(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        kinds: &[Kind],
        cached: bool,
    ) -> impl Future<Output = Result<Vec<Vec<Cell>>, StoreError>> + Send;
}

impl Exec for Transaction<'_, Any> {
    fn positional(&self) -> bool {
        self.backend_name() == "SQLite"
    }

    async fn execute(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        cached: bool,
    ) -> Result<u64, StoreError> {
        let done = bind_vals(sqlx::query(sql), binds)
            .persistent(cached)
            .execute(&mut **self)
            .await?;
        Ok(done.rows_affected())
    }

    async fn fetch(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        kinds: &[Kind],
        cached: bool,
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let rows = bind_vals(sqlx::query(sql), binds)
            .persistent(cached)
            .fetch_all(&mut **self)
            .await?;
        rows.iter()
            .map(|row| {
                kinds
                    .iter()
                    .enumerate()
                    .map(|(i, kind)| {
                        Ok(match kind {
                            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Cell::Text),
                        }
                        .unwrap_or(Cell::Null))
                    })
                    .collect()
            })
            .collect()
    }
}

/// The SQLite order writer's own connection, used only from the writer's thread, and the
/// syncer that makes its commits durable.
#[derive(Debug)]
pub(crate) struct LiteWriter {
    pub conn: tokio::sync::Mutex<Option<rusqlite::Connection>>,
    pub syncer: Syncer,
}

/// How often the checkpointer copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// WAL frames (pages) above which the checkpointer briefly holds the writer back to finish a
/// checkpoint, so the WAL starts over from its beginning instead of growing.
const RESTART_FRAMES: i64 = 4096;

impl LiteWriter {
    /// Opens the writer's connection and starts its syncer and checkpointer threads.
    pub fn open(path: &str) -> Result<Arc<LiteWriter>, StoreError> {
        let writer = Arc::new(LiteWriter {
            conn: tokio::sync::Mutex::new(Some(open_lite(path)?)),
            syncer: Syncer::start(path)?,
        });
        let checkpoints = open_lite(path)?;
        let weak = Arc::downgrade(&writer);
        std::thread::Builder::new()
            .name("caravan-checkpoint".into())
            .spawn(move || checkpointer(&checkpoints, &weak))
            .map_err(|e| StoreError::Corrupt(format!("cannot start the checkpointer: {e}")))?;
        Ok(writer)
    }
}

/// Copies the WAL into the database file off the writer's path. The writer's connection never
/// checkpoints (a checkpoint in its commit held every waiting buyer for tens of milliseconds);
/// this thread runs a passive checkpoint every `CHECKPOINT_EVERY`, which does not block the
/// writer. But the WAL only starts over when a checkpoint has copied all of it and no commit
/// came in between, which never happens while batches commit every few milliseconds. So once
/// the WAL holds `RESTART_FRAMES`, the checkpointer takes the writer's lock (the writer pauses
/// between two batches) and checkpoints again: only what was committed since its last pass is
/// left to copy, and the writer's next batch starts a fresh WAL. Ends with the store.
fn checkpointer(conn: &rusqlite::Connection, writer: &std::sync::Weak<LiteWriter>) {
    let passive = || -> Result<i64, rusqlite::Error> {
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1))
    };
    loop {
        std::thread::sleep(CHECKPOINT_EVERY);
        let Some(writer) = writer.upgrade() else {
            return;
        };
        let started = std::time::Instant::now();
        let frames = match passive() {
            Ok(frames) => frames,
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpoint failed");
                continue;
            }
        };
        let copied = started.elapsed();
        if frames >= RESTART_FRAMES {
            let guard = writer.conn.blocking_lock();
            if guard.is_none() {
                return; // the store was closed
            }
            let held = std::time::Instant::now();
            if let Err(e) = passive() {
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
            drop(guard);
            tracing::debug!(
                frames,
                copy_us = copied.as_micros() as u64,
                held_us = held.elapsed().as_micros() as u64,
                "WAL checkpointed for a restart"
            );
        }
    }
}

/// Opens an order-writer SQLite connection with the pool's settings (WAL) except
/// `synchronous = NORMAL`, whose commits are made durable by the syncer (`durable`), not by
/// the commit itself, and no automatic checkpoint (see `checkpointer`). Room to keep every
/// bulk insert prepared.
fn open_lite(path: &str) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt(format!(
            "SQLite refused WAL mode (journal_mode is {mode})"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0;",
    )?;
    // Nine tables times up to eight chunk sizes, plus the fixed statements.
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

/// A transaction on the writer's SQLite connection: `BEGIN IMMEDIATE` (the write lock at once,
/// so the batch never has to upgrade a read lock), then `COMMIT` or `ROLLBACK`.
pub(crate) struct LiteTx<'c> {
    conn: &'c mut rusqlite::Connection,
}

impl<'c> LiteTx<'c> {
    pub fn begin(conn: &'c mut rusqlite::Connection) -> Result<Self, StoreError> {
        if !conn.is_autocommit() {
            // A batch abandoned halfway (its task cancelled) left its transaction open.
            conn.execute_batch("ROLLBACK")?;
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(LiteTx { conn })
    }

    pub fn commit(self) -> Result<(), StoreError> {
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(e.into());
        }
        Ok(())
    }

    pub fn rollback(self) {
        if !self.conn.is_autocommit() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back an order batch failed");
            }
        }
    }

    fn statement(
        &self,
        sql: &str,
        binds: &[Val<'_>],
        cached: bool,
    ) -> Result<Stmt<'_>, StoreError> {
        let mut st = if cached {
            Stmt::Cached(self.conn.prepare_cached(sql)?)
        } else {
            Stmt::Once(self.conn.prepare(sql)?)
        };
        bind_lite(&mut st, binds)?;
        Ok(st)
    }
}

enum Stmt<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
}

impl<'c> std::ops::Deref for Stmt<'c> {
    type Target = rusqlite::Statement<'c>;
    fn deref(&self) -> &Self::Target {
        match self {
            Stmt::Cached(s) => s,
            Stmt::Once(s) => s,
        }
    }
}

impl std::ops::DerefMut for Stmt<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Stmt::Cached(s) => s,
            Stmt::Once(s) => s,
        }
    }
}

/// Binds `binds` to `st`: `$n` parameters by number, plain `?` ones in order.
fn bind_lite(st: &mut rusqlite::Statement<'_>, binds: &[Val<'_>]) -> Result<(), StoreError> {
    let mut next = 0;
    for i in 1..=st.parameter_count() {
        let at = match st.parameter_name(i) {
            Some(name) => name
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| n.checked_sub(1)),
            None => {
                next += 1;
                Some(next - 1)
            }
        };
        let v = at.and_then(|at| binds.get(at)).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "parameter {i} of a statement has no value ({} given)",
                binds.len()
            ))
        })?;
        match v {
            Val::Int(n) => st.raw_bind_parameter(i, *n)?,
            Val::Text(s) => st.raw_bind_parameter(i, s.as_ref())?,
            Val::OptInt(n) => st.raw_bind_parameter(i, *n)?,
            Val::OptText(s) => st.raw_bind_parameter(i, s.as_deref())?,
        }
    }
    if next > 0 && next != binds.len() {
        return Err(StoreError::Corrupt(format!(
            "a statement has {next} parameters, {} values given",
            binds.len()
        )));
    }
    Ok(())
}

impl Exec for LiteTx<'_> {
    fn positional(&self) -> bool {
        true
    }

    // No await inside: the statements run right here, on the writer's thread.
    async fn execute(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        cached: bool,
    ) -> Result<u64, StoreError> {
        let mut st = self.statement(sql, binds, cached)?;
        Ok(st.raw_execute()? as u64)
    }

    async fn fetch(
        &mut self,
        sql: &str,
        binds: &[Val<'_>],
        kinds: &[Kind],
        cached: bool,
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let mut st = self.statement(sql, binds, cached)?;
        let mut rows = st.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                cells.push(
                    match kind {
                        Kind::Int => row.get::<_, Option<i64>>(i)?.map(Cell::Int),
                        Kind::Text => row.get::<_, Option<String>>(i)?.map(Cell::Text),
                    }
                    .unwrap_or(Cell::Null),
                );
            }
            out.push(cells);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::connect::WriterConn;
    use crate::testing::TestDb;

    /// A new SQLite database with one table made by `create`, and its order writer's connection.
    async fn sqlite_with(create: &str) -> (TestDb, Arc<LiteWriter>) {
        let db = TestDb::sqlite().await.unwrap();
        let WriterConn::Sqlite(lite) = &db.store.writer else {
            panic!("a SQLite store has its own writer connection");
        };
        let lite = lite.clone();
        sqlx::query(create).execute(db.store.pool()).await.unwrap();
        (db, lite)
    }

    /// The writer's own SQLite connection binds `$n` by number (repeats included) and `?` in
    /// order, reads cells by kind, maps a duplicate key to `Conflict`, and rolls back cleanly.
    #[tokio::test]
    async fn writer_connection_binds_reads_and_rolls_back() {
        let (db, lite) =
            sqlite_with("CREATE TABLE probe (id TEXT PRIMARY KEY, n BIGINT, note TEXT)").await;
        let mut guard = lite.conn.lock().await;
        let conn = guard.as_mut().unwrap();

        let mut tx = LiteTx::begin(conn).unwrap();
        let n = tx
            .execute(
                "INSERT INTO probe (id, n, note) VALUES ($2, $1, $3), ($4, $1 + 1, NULL)",
                &[Val::Int(41), "a".into(), "ünï".into(), "b".into()],
                true,
            )
            .await
            .unwrap();
        assert_eq!(n, 2);
        let rows = tx
            .fetch(
                "SELECT id, n, note FROM probe WHERE n >= ? ORDER BY id",
                &[Val::Int(0)],
                &[Kind::Text, Kind::Int, Kind::Text],
                false,
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![
                vec![
                    Cell::Text("a".into()),
                    Cell::Int(41),
                    Cell::Text("ünï".into())
                ],
                vec![Cell::Text("b".into()), Cell::Int(42), Cell::Null],
            ]
        );
        // Too few values is an error, not a NULL.
        assert!(tx
            .execute("UPDATE probe SET n = ? WHERE id = ?", &[Val::Int(1)], false)
            .await
            .is_err());
        tx.commit().unwrap();

        let mut tx = LiteTx::begin(conn).unwrap();
        tx.execute("DELETE FROM probe WHERE id = $1", &["b".into()], true)
            .await
            .unwrap();
        let dup = tx
            .execute(
                "INSERT INTO probe (id, n) VALUES ($1, $2)",
                &["a".into(), Val::Int(0)],
                true,
            )
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "{dup:?}");
        tx.rollback();
        drop(guard);

        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM probe")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert_eq!(count, 2, "the rolled-back delete is undone");
        db.cleanup().await;
    }

    /// The writer's connection never checkpoints, yet its WAL does not grow without end: the
    /// checkpointer copies it into the database file and, past `RESTART_FRAMES`, makes the
    /// writer's next transaction start the WAL over, even while the writer writes without a
    /// pause. (Nothing else writes here and the pool never checkpoints, so only the
    /// checkpointer can do either.)
    #[tokio::test]
    async fn the_checkpointer_keeps_the_wal_short() {
        let (db, lite) =
            sqlite_with("CREATE TABLE probe (n BIGINT NOT NULL, pad TEXT NOT NULL)").await;
        let lite = &lite;
        let file = db.url.strip_prefix("sqlite://").unwrap().to_owned();
        let size = |path: String| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let pad = "x".repeat(3000);
        // ~6,000 pages (about 24 MB) through the writer, more than RESTART_FRAMES.
        let write = |from: i64| {
            let pad = pad.clone();
            async move {
                for chunk in 0..60i64 {
                    let mut guard = lite.conn.lock().await;
                    let mut tx = LiteTx::begin(guard.as_mut().unwrap()).unwrap();
                    for i in 0..100 {
                        tx.execute(
                            "INSERT INTO probe (n, pad) VALUES (?, ?)",
                            &[Val::Int(from + chunk * 100 + i), pad.as_str().into()],
                            true,
                        )
                        .await
                        .unwrap();
                    }
                    tx.commit().unwrap();
                }
            }
        };
        write(0).await;
        // The checkpointer copies the WAL into the database file.
        let mut copied = false;
        for _ in 0..100 {
            if size(file.clone()) >= 6000 * 3000 {
                copied = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(copied, "the WAL was never copied into the database file");
        let first = size(format!("{file}-wal"));
        assert!(
            first >= 6000 * 3000,
            "the first round went to the WAL ({first} bytes)"
        );
        // Under continuous writes a passive checkpoint never catches up with the writer; the
        // checkpointer's second pass, holding the writer back, still lets the WAL start over.
        // Each start-over bumps the checkpoint sequence number in the WAL header (bytes 12..16).
        let restarts = || {
            let header = std::fs::read(format!("{file}-wal")).unwrap_or_default();
            header
                .get(12..16)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .unwrap_or(0)
        };
        let before = restarts();
        let started = std::time::Instant::now();
        let mut rounds = 0;
        while started.elapsed() < CHECKPOINT_EVERY * 12 {
            rounds += 1;
            write(rounds * 10_000).await;
        }
        let after = restarts();
        assert!(
            after >= before + 2,
            "the WAL started over {} times in {rounds} rounds of writes without a pause",
            after - before
        );
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM probe")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert_eq!(count, 6_000 * (1 + rounds));
        db.cleanup().await;
    }
}
