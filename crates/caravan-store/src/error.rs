//! Store errors.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL has a scheme Caravan does not speak.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    BadUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open the database at {url}: {source}")]
    Unreachable {
        /// The URL with any password redacted.
        url: String,
        /// Why.
        source: sqlx::Error,
    },
    /// Applying migrations failed.
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness constraint refused the write.
    #[error("conflicts with an existing row")]
    Conflict,
    /// A guarded update matched nothing (the row is gone or in another state).
    #[error("the row is not in the expected state")]
    Stale,
    /// A guarded debit would take a balance below zero.
    #[error("the balance does not cover this")]
    Insufficient,
    /// A row broke a constraint other than uniqueness (a `CHECK`, `NOT NULL` or foreign key, or a
    /// trigger refusing it): that row cannot be written as it is; retrying will not help.
    #[error("a row breaks a constraint: {0}")]
    Constraint(String),
    /// Stored data that does not parse (a bug or a hand edit).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The connection to the database was lost, or none could be had in time (a server that
    /// restarted or hung up on a pooled connection): the request did not complete, and trying
    /// again may succeed on another connection. (A commit that lost its connection has an
    /// unknown outcome; idempotency keys make the retry safe.)
    #[error("the database connection was lost: {0}")]
    Lost(sqlx::Error),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A commit could not be made durable (an fsync failed): its outcome is unknown.
    #[error("the database could not make a commit durable: {0}")]
    NotDurable(String),
    /// An error from the SQLite order writer's own connection.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::{SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE};
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.extended_code,
                    SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
            {
                StoreError::Conflict
            }
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Constraint(e.to_string())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// PostgreSQL's `deadlock_detected` and `serialization_failure`: the transaction lost a race
/// and was rolled back; trying again is the cure.
const TRANSIENT: [&str; 2] = ["40P01", "40001"];

/// SQLSTATE classes of a connection the server ended or refused: `08` (connection exception)
/// and `57P` (operator intervention: a terminated backend, a shutdown, a server starting up).
const CONNECTION_LOST: [&str; 2] = ["08", "57P"];

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            // Integrity constraint violations (SQLSTATE class 23) other than uniqueness.
            sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("23")) => {
                StoreError::Constraint(db.message().to_owned())
            }
            // Stale: the order writer retries its batch; other callers answer 409 "retry".
            sqlx::Error::Database(db)
                if db.code().is_some_and(|c| TRANSIENT.contains(&c.as_ref())) =>
            {
                StoreError::Stale
            }
            sqlx::Error::Database(db)
                if db
                    .code()
                    .is_some_and(|c| CONNECTION_LOST.iter().any(|p| c.starts_with(p))) =>
            {
                StoreError::Lost(e)
            }
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                StoreError::Lost(e)
            }
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// Redacts the password of a database URL, for messages and `caravan config`.
    pub fn redact(url: &str) -> String {
        redact_url(url)
    }
}

/// Redacts the password of a URL.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::testing::TestDb;

    /// Two transactions that lock two rows in opposite orders deadlock; PostgreSQL rolls one
    /// back, and that error is `Stale`, which the order writer retries.
    #[tokio::test]
    async fn a_postgres_deadlock_is_stale() {
        let Some(db) = TestDb::postgres().await.unwrap() else {
            eprintln!("skipped: set CARAVAN_TEST_POSTGRES to run this PostgreSQL-only test");
            return;
        };
        let pool = db.store.pool();
        sqlx::query("CREATE TABLE lock_probe (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO lock_probe (id, n) VALUES (1, 0), (2, 0)")
            .execute(pool)
            .await
            .unwrap();
        let mut a = pool.begin().await.unwrap();
        let mut b = pool.begin().await.unwrap();
        let bump = "UPDATE lock_probe SET n = n + 1 WHERE id = $1";
        sqlx::query(bump).bind(1i64).execute(&mut *a).await.unwrap();
        sqlx::query(bump).bind(2i64).execute(&mut *b).await.unwrap();
        let (ra, rb) = tokio::join!(
            sqlx::query(bump).bind(2i64).execute(&mut *a),
            sqlx::query(bump).bind(1i64).execute(&mut *b),
        );
        assert!(ra.is_ok() != rb.is_ok(), "exactly one side is rolled back");
        let lost = ra.err().or(rb.err()).unwrap();
        assert!(matches!(StoreError::from(lost), StoreError::Stale));
        drop((a, b));
        db.cleanup().await;
    }
}
