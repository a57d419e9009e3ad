//! Fresh, migrated databases for tests: a SQLite file in a temp directory, or a new database on
//! the PostgreSQL server named by `CARAVAN_TEST_POSTGRES`. Used by the contract suite and the
//! HTTP tests of the crates above.

use crate::{Store, StoreError};
use rand::RngCore;
use std::path::PathBuf;

/// The environment variable holding the PostgreSQL server URL for tests.
pub const POSTGRES_ENV: &str = "CARAVAN_TEST_POSTGRES";

/// A throwaway database; `cleanup` removes it.
#[derive(Debug)]
pub struct TestDb {
    /// The migrated store.
    pub store: Store,
    /// Its URL.
    pub url: String,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

fn suffix() -> String {
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A fresh temp directory (removed by the caller or left to the OS).
pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("caravan-test-{}", suffix()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

impl TestDb {
    /// A new migrated SQLite database in its own temp directory.
    pub async fn sqlite() -> Result<TestDb, StoreError> {
        let dir = temp_dir();
        let url = format!("sqlite://{}", dir.join("caravan.db").display());
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            dir: Some(dir),
            pg: None,
        })
    }

    /// A new migrated database on the `CARAVAN_TEST_POSTGRES` server, or `None` when the variable
    /// is not set (the caller says SKIPPED). When it is set, an unreachable server is an error,
    /// never a skip; and in CI (`CI` set) a missing variable is an error too, so no PostgreSQL
    /// test reports green without having run.
    pub async fn postgres() -> Result<Option<TestDb>, StoreError> {
        let Ok(base) = std::env::var(POSTGRES_ENV) else {
            if std::env::var_os("CI").is_some() {
                return Err(StoreError::BadUrl(format!(
                    "CI is set but {POSTGRES_ENV} is not: the PostgreSQL tests must run in CI"
                )));
            }
            return Ok(None);
        };
        Self::postgres_at(&base).await.map(Some)
    }

    /// A new SQLite database, and a PostgreSQL one when `CARAVAN_TEST_POSTGRES` is set (saying on
    /// stderr that the PostgreSQL part is skipped when it is not).
    pub async fn engines() -> Result<Vec<TestDb>, StoreError> {
        let mut dbs = vec![Self::sqlite().await?];
        match Self::postgres().await? {
            Some(pg) => dbs.push(pg),
            None => eprintln!("SKIPPED PostgreSQL part: {POSTGRES_ENV} is not set"),
        }
        Ok(dbs)
    }

    /// A new migrated database on the PostgreSQL server at `base`.
    pub async fn postgres_at(base: &str) -> Result<TestDb, StoreError> {
        let base = base.to_owned();
        let admin = Store::connect(&base).await?;
        let name = format!("caravan_t_{}", suffix());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin.pool)
            .await?;
        admin.close().await;
        let url = with_database(&base, &name);
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            dir: None,
            pg: Some((base, name)),
        })
    }

    /// Closes the store and removes the database, PostgreSQL's even while a connection the
    /// test left open (a writer or a background task of a market still running) holds it.
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((base, name)) = self.pg {
            if let Ok(admin) = Store::connect(&base).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin.pool)
                    .await;
                admin.close().await;
            }
        }
    }
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (base, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = &head[scheme_end..];
    let host = host_part.split('/').next().unwrap_or(host_part);
    format!("{}{host}/{name}{query}", &head[..scheme_end])
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
