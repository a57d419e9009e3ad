//! Small helpers for portable dynamic SQL: numbered placeholders, typed binds, IN lists. The
//! statements that differ per engine (multi-row inserts, the stock decrement) are in `dialect`.

use crate::StoreError;
use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, Transaction};
use std::borrow::Cow;

/// A value to bind.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Int(i64),
    Text(Cow<'a, str>),
    OptInt(Option<i64>),
    OptText(Option<Cow<'a, str>>),
}

impl Val<'_> {
    /// The same value borrowing this one's text (no copy).
    pub fn reborrow(&self) -> Val<'_> {
        match self {
            Val::Int(i) => Val::Int(*i),
            Val::Text(s) => Val::Text(Cow::Borrowed(s.as_ref())),
            Val::OptInt(i) => Val::OptInt(*i),
            Val::OptText(s) => Val::OptText(s.as_deref().map(Cow::Borrowed)),
        }
    }
}

impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::Text(Cow::Owned(v))
    }
}
impl<'a> From<&'a String> for Val<'a> {
    fn from(v: &'a String) -> Self {
        Val::Text(Cow::Borrowed(v.as_str()))
    }
}
impl From<Option<i64>> for Val<'_> {
    fn from(v: Option<i64>) -> Self {
        Val::OptInt(v)
    }
}
impl From<Option<String>> for Val<'_> {
    fn from(v: Option<String>) -> Self {
        Val::OptText(v.map(Cow::Owned))
    }
}

/// SQL text with its binds; `bind` returns the placeholder to splice in.
#[derive(Debug, Default)]
pub(crate) struct Sql<'a> {
    pub text: String,
    pub binds: Vec<Val<'a>>,
    /// Plain `?` placeholders, bound in order of appearance. SQLite looks every named parameter
    /// (`$n`) up by scanning all of them, which makes a multi-row insert quadratic; plain `?` is
    /// positional. PostgreSQL only speaks `$n`. Each placeholder must then be bound once.
    positional: bool,
}

impl<'a> Sql<'a> {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub fn bind(&mut self, v: impl Into<Val<'a>>) -> String {
        self.binds.push(v.into());
        if self.positional {
            "?".to_owned()
        } else {
            format!("${}", self.binds.len())
        }
    }

    /// Whether the placeholders are plain `?` (SQLite).
    pub fn is_positional(&self) -> bool {
        self.positional
    }

    /// Whether the text is the same for any number of keys, so the statement may stay
    /// prepared: on PostgreSQL, when every key list went through `dialect::in_keys` or
    /// `dialect::key_pairs` (SQLite's lists are one placeholder per key).
    pub fn fixed(&self) -> bool {
        !self.positional
    }

    /// A builder with plain `?` placeholders when `positional` (SQLite), else `$n`.
    pub fn positional(positional: bool) -> Self {
        Sql {
            positional,
            ..Sql::default()
        }
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        // Generated statements rarely repeat exactly: do not fill the prepared-statement cache.
        bind_vals(sqlx::query(&self.text), &self.binds).persistent(false)
    }

    pub fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<_, T>(&self.text);
        for v in &self.binds {
            q = match v {
                Val::Int(i) => q.bind(*i),
                Val::Text(s) => q.bind(s.as_ref()),
                Val::OptInt(i) => q.bind(*i),
                Val::OptText(s) => q.bind(s.as_deref()),
            };
        }
        q
    }
}

pub(crate) fn bind_vals<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    vals: &'q [Val<'_>],
) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::Int(i) => q.bind(*i),
            Val::Text(s) => q.bind(s.as_ref()),
            Val::OptInt(i) => q.bind(*i),
            Val::OptText(s) => q.bind(s.as_deref()),
        };
    }
    q
}

/// `$k, $k+1, …` for `n` values bound into `sql`.
pub(crate) fn in_list<'a>(sql: &mut Sql<'a>, vals: impl IntoIterator<Item = Val<'a>>) -> String {
    vals.into_iter()
        .map(|v| sql.bind(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Commits `tx`, which has just inserted a row owned by `owner`, if the owner's rows counted by
/// `count_sql` (one `$1` parameter) are now at most `max`; otherwise rolls it back. Inserting
/// first means SQLite takes the write lock at once instead of upgrading a read lock.
pub(crate) async fn commit_within(
    mut tx: Transaction<'_, Any>,
    count_sql: &str,
    owner: &str,
    max: i64,
) -> Result<bool, StoreError> {
    let (n,): (i64,) = sqlx::query_as(count_sql)
        .bind(owner)
        .fetch_one(&mut *tx)
        .await?;
    if n > max {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::dialect::insert_rows;
    use crate::testing::TestDb;

    type Probe = (i64, Option<String>, Option<i64>);

    /// Inserts `rows` into `bulk_probe` in one committed transaction, then reads back every row
    /// with `n >= from`, in order. `writer`: through the order writer's own connection (SQLite),
    /// else through the pool.
    async fn insert_then_read(
        store: &crate::Store,
        writer: bool,
        rows: &[Vec<Val<'_>>],
        from: i64,
    ) -> Vec<Probe> {
        let pool = store.pool();
        match (&store.writer, writer) {
            (crate::connect::WriterConn::Sqlite(lite), true) => {
                let mut guard = lite.conn.lock().await;
                let mut tx = crate::exec::LiteTx::begin(guard.as_mut().unwrap()).unwrap();
                insert_rows(&mut tx, "bulk_probe", &["n", "t", "k"], rows)
                    .await
                    .unwrap();
                tx.commit().unwrap();
            }
            _ => {
                let mut tx = pool.begin().await.unwrap();
                insert_rows(&mut tx, "bulk_probe", &["n", "t", "k"], rows)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }
        sqlx::query_as("SELECT n, t, k FROM bulk_probe WHERE n >= $1 ORDER BY n")
            .bind(from)
            .fetch_all(pool)
            .await
            .unwrap()
    }

    /// Bulk inserts carry any text and integer exactly, on both engines.
    #[tokio::test]
    async fn bulk_insert_round_trips_awkward_values() {
        let texts = [
            "plain",
            "quote \" and backslash \\ and slash /",
            "newline\nand tab\t and bell \u{7}",
            "Кружка «Москва» — 大熊猫 😀",
            "",
        ];
        for db in TestDb::engines().await.unwrap() {
            let pool = db.store.pool();
            sqlx::query("CREATE TABLE bulk_probe (n BIGINT NOT NULL, t TEXT, k BIGINT)")
                .execute(pool)
                .await
                .unwrap();
            // Through the pool, and on SQLite also through the order writer's connection.
            let vias: &[bool] = match db.store.engine() {
                crate::Engine::Sqlite => &[false, true],
                crate::Engine::Postgres => &[false],
            };
            for (v, &writer) in vias.iter().enumerate() {
                let base = v as i64 * 10_000;
                let rows: Vec<Vec<Val>> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        vec![
                            Val::Int(base + i as i64),
                            Val::OptText((i != 4).then_some(Cow::Borrowed(*t))),
                            Val::OptInt((i % 2 == 0).then_some(i64::MIN + i as i64)),
                        ]
                    })
                    .collect();
                let back = insert_then_read(&db.store, writer, &rows, base).await;
                assert_eq!(back.len(), texts.len());
                for (i, (n, t, k)) in back.iter().enumerate() {
                    assert_eq!(*n, base + i as i64);
                    assert_eq!(t.as_deref(), (i != 4).then_some(texts[i]));
                    assert_eq!(*k, (i % 2 == 0).then_some(i64::MIN + i as i64));
                }
                // 299 rows: SQLite splits them into statements of 128, 128, 32, 8, 2 and 1 rows.
                let many: Vec<Vec<Val>> = (base + 100..base + 399)
                    .map(|i: i64| vec![Val::Int(i), Val::from(format!("row {i}")), Val::Int(-i)])
                    .collect();
                let back = insert_then_read(&db.store, writer, &many, base + 100).await;
                let want: Vec<Probe> = (base + 100..base + 399)
                    .map(|i| (i, Some(format!("row {i}")), Some(-i)))
                    .collect();
                assert_eq!(back, want);
            }
            // A row of the wrong width is refused and nothing of the call is written.
            let mut tx = pool.begin().await.unwrap();
            let bad = vec![
                vec![Val::Int(1000), Val::from("x"), Val::Int(0)],
                vec![Val::Int(1001)],
            ];
            assert!(insert_rows(&mut tx, "bulk_probe", &["n", "t", "k"], &bad)
                .await
                .is_err());
            tx.rollback().await.unwrap();
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM bulk_probe WHERE n IN (1000, 1001)")
                    .fetch_one(pool)
                    .await
                    .unwrap();
            assert_eq!(count, 0);
            db.cleanup().await;
        }
    }
}
