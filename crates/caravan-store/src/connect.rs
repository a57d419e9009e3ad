//! Opening the database: scheme → engine, SQLite pragmas, pool sizing, migrations.

use crate::error::{redact_url, StoreError};
use crate::exec::LiteWriter;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Connection, Executor};
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite: one file, WAL, `synchronous=FULL`.
    Sqlite,
    /// PostgreSQL, shared by several nodes.
    Postgres,
}

/// The connections the order writers write on.
#[derive(Debug, Clone)]
pub(crate) enum WriterConn {
    /// PostgreSQL: one pooled connection per writer.
    Pool(AnyPool),
    /// SQLite: one connection, driven from the writer's thread.
    Sqlite(std::sync::Arc<LiteWriter>),
}

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// The order writers' own connections: a pool on PostgreSQL, one directly driven
    /// connection on SQLite (see `exec`).
    pub(crate) writer: WriterConn,
    engine: Engine,
}

impl Store {
    /// Connects to `url`. SQLite files are created inside an existing directory; a missing
    /// directory, an unknown scheme or an unreachable server is an error, never a fallback.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (engine, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.starts_with(':') {
                return Err(StoreError::BadUrl(url.to_owned()));
            }
            let file = path.split('?').next().unwrap_or(path);
            let dir = Path::new(file)
                .parent()
                .filter(|d| !d.as_os_str().is_empty());
            if let Some(dir) = dir {
                if !dir.is_dir() {
                    return Err(StoreError::Unreachable {
                        url: url.to_owned(),
                        source: sqlx::Error::Configuration(
                            format!("directory {} does not exist", dir.display()).into(),
                        ),
                    });
                }
            }
            let url = if path.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (Engine::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_owned())
        } else {
            return Err(StoreError::BadUrl(redact_url(url)));
        };
        // SQLite readers: a read holds its connection until the task that asked has taken
        // every row, and at peak that task waits its turn behind hundreds of ready request
        // tasks at each handover of fifty rows, so eight connections were all held by slow
        // handovers and the festival's reads queued for them (p99 ÷ hot-SKU p50 7.3–9.0 with
        // eight, 4.7 and 5.5 with thirty-two, 2026-12-07). A connection is a thread and a
        // page cache that fills only with what it reads.
        let pool = open_pool(
            &url,
            engine,
            match engine {
                Engine::Sqlite => 32,
                Engine::Postgres => 16,
            },
        )
        .await?;
        // The order writer has its own connections, so a crowd of readers never makes it wait:
        // one on SQLite (one writer at a time anyway), several on PostgreSQL, which commits
        // concurrent transactions in parallel.
        let writer = match engine {
            Engine::Sqlite => {
                let path = url.strip_prefix("sqlite://").unwrap_or(&url);
                let path = path.split('?').next().unwrap_or(path);
                WriterConn::Sqlite(LiteWriter::open(path)?)
            }
            Engine::Postgres => {
                WriterConn::Pool(open_pool(&url, engine, writers(engine) as u32).await?)
            }
        };
        Ok(Store {
            pool,
            writer,
            engine,
        })
    }

    /// Applies pending migrations (idempotent; safe with several nodes on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        if self.engine == Engine::Postgres {
            let dropped = crate::keys::drop_on_postgres(&self.pool).await?;
            if dropped > 0 {
                tracing::info!(
                    dropped,
                    "foreign keys the order writer keeps dropped (ADR 0019)"
                );
            }
            if crate::idempotency::answers_inline_on_postgres(&self.pool).await? {
                tracing::info!("idempotency answers kept in their rows (ADR 0004)");
            }
        }
        Ok(())
    }

    /// The connection pool, for tools and benchmarks that measure plain SQL beside Caravan.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// How many order writers this store runs (one connection each).
    pub fn writer_connections(&self) -> usize {
        writers(self.engine)
    }

    /// The engine behind this store.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Answers when the database answers a trivial query (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: Option<AnyRow> = sqlx::query("SELECT 1").fetch_optional(&self.pool).await?;
        Ok(())
    }

    /// Whether the marketplace holds no accounts yet (the demo seeds only such a database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// Closes every connection (checkpointing SQLite's WAL).
    pub async fn close(&self) {
        self.pool.close().await;
        match &self.writer {
            WriterConn::Pool(pool) => pool.close().await,
            // Dropping the connection closes it.
            WriterConn::Sqlite(lite) => drop(lite.conn.lock().await.take()),
        }
    }
}

/// Order writers per engine: three on PostgreSQL measured best once batches held shared rows
/// only at their end (ADR 0019; four before, ADR 0004).
fn writers(engine: Engine) -> usize {
    match engine {
        Engine::Sqlite => 1,
        Engine::Postgres => 3,
    }
}

/// A pooled PostgreSQL connection idle this long is pinged before it is handed out.
const PING_WHEN_IDLE: Duration = Duration::from_secs(5);

async fn open_pool(url: &str, engine: Engine, max: u32) -> Result<AnyPool, StoreError> {
    AnyPoolOptions::new()
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(max)
        // A ping before every use was a round trip per read on the request path (a twentieth
        // of the server's CPU in the checkout burst). A connection in steady use answered a
        // moment ago; one that sat idle may have been hung up on, so only it is pinged. A
        // SQLite connection is a thread of this process, never hung up on: never pinged.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if engine != Engine::Sqlite && meta.idle_for >= PING_WHEN_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    // WAL for concurrent readers; FULL so an acknowledged write survives power loss.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA cache_size = -65536").await?;
                    // A batch of orders writes megabytes of WAL; checkpoint every ~64 MiB rather
                    // than every 4 MiB so most commits are one WAL append and one fsync.
                    conn.execute("PRAGMA wal_autocheckpoint = 16384").await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|source| StoreError::Unreachable {
            url: redact_url(url),
            source,
        })
}
