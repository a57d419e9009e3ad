//! Idempotency records: the first answer of a money-moving request (checkout, refund, payout),
//! stored in the same transaction as its effects and found again by (scope, key).

use crate::dialect::insert_rows;
use crate::exec::{Cell, Exec, Kind};
use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};
use std::collections::HashMap;

/// An answer as it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// Hash of the request body that got this answer.
    pub request_hash: String,
    /// HTTP status.
    pub status: i64,
    /// JSON body.
    pub response: String,
}

/// An answer to store with the effects of its request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAnswer {
    /// Whose key (the caller's user id): two callers may use the same key.
    pub scope: String,
    /// The `Idempotency-Key`.
    pub key: String,
    /// Hash of the request body.
    pub request_hash: String,
    /// HTTP status to replay.
    pub status: i64,
    /// JSON body to replay.
    pub response: String,
}

/// The primary key of an idempotency record: the key first, then a space (which a key never
/// contains), then the scope. Key first so that time-ordered keys (UUIDv7 and the like, which
/// the storefront sends) append to the index instead of landing on a random page of it.
pub(crate) fn key_id(scope: &str, key: &str) -> String {
    let mut id = String::with_capacity(key.len() + 1 + scope.len());
    id.push_str(key);
    id.push(' ');
    id.push_str(scope);
    id
}

impl Store {
    /// The stored answer for `(scope, key)`, if any.
    pub async fn idempotency_record(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT request_hash, status_code, response FROM idempotency_keys WHERE id = $1",
        )
        .bind(key_id(scope, key))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(request_hash, status, response)| StoredAnswer {
            request_hash,
            status,
            response,
        }))
    }

    /// Forgets idempotency records older than `before` (they are kept at least 24 hours).
    pub async fn expire_idempotency(&self, before: i64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}

/// The stored answers among `keys` (scope, key), in one query, keyed by (scope, key).
pub(crate) async fn stored_answers<E: Exec>(
    tx: &mut E,
    keys: &[(&str, &str)],
) -> Result<HashMap<(String, String), StoredAnswer>, StoreError> {
    let mut found = HashMap::new();
    if keys.is_empty() {
        return Ok(found);
    }
    let mut sql = Sql::positional(tx.positional());
    let ids = in_list(
        &mut sql,
        keys.iter()
            .map(|(scope, key)| Val::from(key_id(scope, key))),
    );
    sql.push(&format!(
        "SELECT scope, idem_key, request_hash, status_code, response FROM idempotency_keys WHERE id IN ({ids})"
    ));
    use Kind::{Int, Text};
    for row in tx
        .fetch(&sql.text, &sql.binds, &[Text, Text, Text, Int, Text], false)
        .await?
    {
        let mut cells = row.into_iter();
        let mut next = || cells.next().unwrap_or(Cell::Null);
        let (scope, key) = (next().text()?, next().text()?);
        let answer = StoredAnswer {
            request_hash: next().text()?,
            status: next().int()?,
            response: next().text()?,
        };
        found.insert((scope, key), answer);
    }
    Ok(found)
}

/// Stores `answers` in one multi-row insert; a key stored meanwhile is `Conflict`.
pub(crate) async fn store_answers<E: Exec>(
    tx: &mut E,
    answers: &[&NewAnswer],
    now: i64,
) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = answers
        .iter()
        .map(|a| {
            vec![
                key_id(&a.scope, &a.key).into(),
                (&a.scope).into(),
                (&a.key).into(),
                (&a.request_hash).into(),
                a.status.into(),
                (&a.response).into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "idempotency_keys",
        &[
            "id",
            "scope",
            "idem_key",
            "request_hash",
            "status_code",
            "response",
            "created_at",
        ],
        &rows,
    )
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::StoredAnswer;
    use crate::testing::TestDb;

    /// Migration 0008 rewrites records stored under the old id (scope, U+001F, key), so a key
    /// used before the upgrade still replays its answer after it, on both engines.
    #[tokio::test]
    async fn key_first_migration_keeps_old_records_reachable() {
        for db in TestDb::engines().await.unwrap() {
            let store = &db.store;
            for (scope, key, body) in [("usr_a", "k-1", "{\"a\":1}"), ("usr_b", "k-1", "{\"b\":2}")]
            {
                sqlx::query(
                    "INSERT INTO idempotency_keys (id, scope, idem_key, request_hash, status_code, response, created_at) \
                     VALUES ($1, $2, $3, 'h', 201, $4, 1)",
                )
                .bind(format!("{scope}\u{1f}{key}"))
                .bind(scope)
                .bind(key)
                .bind(body)
                .execute(store.pool())
                .await
                .unwrap();
            }
            assert_eq!(
                store.idempotency_record("usr_a", "k-1").await.unwrap(),
                None
            );
            sqlx::raw_sql(include_str!("../migrations/0008_idempotency_key_first.sql"))
                .execute(store.pool())
                .await
                .unwrap();
            let stored = |response: &str| StoredAnswer {
                request_hash: "h".to_owned(),
                status: 201,
                response: response.to_owned(),
            };
            let a = store.idempotency_record("usr_a", "k-1").await.unwrap();
            assert_eq!(a, Some(stored("{\"a\":1}")));
            let b = store.idempotency_record("usr_b", "k-1").await.unwrap();
            assert_eq!(b, Some(stored("{\"b\":2}")));
            assert_eq!(
                store.idempotency_record("usr_c", "k-1").await.unwrap(),
                None
            );
            db.cleanup().await;
        }
    }
}
