//! Idempotency records: the first answer of a money-moving request (checkout, refund, payout),
//! stored in the same transaction as its effects and found again by (scope, key).
//!
//! An answer longer than `PACK_ABOVE` bytes is stored packed: `lz4:` and the base64 of its LZ4
//! block. A checkout's answer is kilobytes of JSON written once and almost never read again;
//! packed it is about a third as long, which on PostgreSQL spares the array parser its quotes
//! and the table its pglz compression, and on SQLite a third of each checkout's WAL. JSON never
//! starts with `lz4:`, so answers stored plain before (or short ones) read back as they are.

use crate::dialect::in_keys;
use crate::dialect::insert_rows;
use crate::exec::{Cell, Exec, Kind};
use crate::sql::{Sql, Val};
use crate::{Store, StoreError};
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64;
use base64::Engine as _;
use std::collections::HashMap;

/// Answers up to this long are stored as they are.
const PACK_ABOVE: usize = 512;
/// What starts a packed answer.
const PACKED: &str = "lz4:";

/// The stored form of an answer.
fn pack(response: &str) -> String {
    if response.len() <= PACK_ABOVE {
        return response.to_owned();
    }
    let block = lz4_flex::compress_prepend_size(response.as_bytes());
    let mut packed = String::with_capacity(PACKED.len() + block.len().div_ceil(3) * 4);
    packed.push_str(PACKED);
    BASE64.encode_string(&block, &mut packed);
    packed
}

/// The answer as it was given, from its stored form.
fn unpack(stored: String) -> Result<String, StoreError> {
    let Some(encoded) = stored.strip_prefix(PACKED) else {
        return Ok(stored);
    };
    let corrupt = |why: String| StoreError::Corrupt(format!("a packed stored answer: {why}"));
    let block = BASE64.decode(encoded).map_err(|e| corrupt(e.to_string()))?;
    let bytes = lz4_flex::decompress_size_prepended(&block).map_err(|e| corrupt(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| corrupt(e.to_string()))
}

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
        row.map(|(request_hash, status, response)| {
            Ok(StoredAnswer {
                request_hash,
                status,
                response: unpack(response)?,
            })
        })
        .transpose()
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

/// Tells PostgreSQL to keep answers in their rows (`toast_tuple_target` at its maximum, 8,160
/// bytes) unless already told; whether it told it now. Packed, a festival checkout's answer
/// is 1–2.5 kB: past about 2 kB PostgreSQL first tried pglz on the base64 (which never saves
/// the quarter it asks for) and then moved it out to the TOAST table, a second row and a
/// second index entry per checkout. Reads the catalogue first, so a node that finds it set
/// takes no lock.
pub(crate) async fn answers_inline_on_postgres(pool: &sqlx::AnyPool) -> Result<bool, StoreError> {
    const TARGET: &str = "toast_tuple_target=8160";
    let options: Option<String> = sqlx::query_scalar(
        "SELECT array_to_string(reloptions, ',') FROM pg_class \
         WHERE oid = 'idempotency_keys'::regclass",
    )
    .fetch_one(pool)
    .await?;
    if options.is_some_and(|o| o.split(',').any(|x| x == TARGET)) {
        return Ok(false);
    }
    sqlx::query(&format!("ALTER TABLE idempotency_keys SET ({TARGET})"))
        .execute(pool)
        .await?;
    Ok(true)
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
    let ids = in_keys(&mut sql, keys.iter().map(|(scope, key)| key_id(scope, key)));
    sql.push(&format!(
        "SELECT scope, idem_key, request_hash, status_code, response FROM idempotency_keys WHERE id {ids}"
    ));
    use Kind::{Int, Text};
    for row in tx
        .fetch(
            &sql.text,
            &sql.binds,
            &[Text, Text, Text, Int, Text],
            sql.fixed(),
        )
        .await?
    {
        let mut cells = row.into_iter();
        let mut next = || cells.next().unwrap_or(Cell::Null);
        let (scope, key) = (next().text()?, next().text()?);
        let answer = StoredAnswer {
            request_hash: next().text()?,
            status: next().int()?,
            response: unpack(next().text()?)?,
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
                pack(&a.response).into(),
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
    use super::{store_answers, stored_answers, NewAnswer, StoredAnswer, PACKED};
    use crate::testing::TestDb;

    /// A long answer is stored packed (a fraction of its length) and reads back exactly, by
    /// key and in a batch's lookup, on both engines; a short one is stored as it is.
    #[tokio::test]
    async fn long_answers_are_stored_packed_and_read_back_exactly() {
        let lines: Vec<String> = (0..40)
            .map(|i| format!("{{\"id\":\"ord_{i:04}\",\"title\":\"Silk scarf — ünïcödé\",\"total_minor\":{i}}}"))
            .collect();
        let long = format!("{{\"orders\":[{}]}}", lines.join(","));
        let short = "{\"status\":\"placed\"}".to_owned();
        for db in TestDb::engines().await.unwrap() {
            let store = &db.store;
            let answer = |key: &str, response: &str| NewAnswer {
                scope: "usr_a".to_owned(),
                key: key.to_owned(),
                request_hash: "h".to_owned(),
                status: 201,
                response: response.to_owned(),
            };
            let (a, b) = (answer("k-long", &long), answer("k-short", &short));
            let mut tx = store.pool().begin().await.unwrap();
            store_answers(&mut tx, &[&a, &b], 1).await.unwrap();
            tx.commit().await.unwrap();
            let rows: Vec<(String, String)> =
                sqlx::query_as("SELECT idem_key, response FROM idempotency_keys ORDER BY idem_key")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            assert!(
                rows[0].1.starts_with(PACKED) && rows[0].1.len() * 2 < long.len(),
                "{rows:?}"
            );
            assert_eq!(rows[1].1, short);
            let stored = |response: &str| StoredAnswer {
                request_hash: "h".to_owned(),
                status: 201,
                response: response.to_owned(),
            };
            let got = store.idempotency_record("usr_a", "k-long").await.unwrap();
            assert_eq!(got, Some(stored(&long)));
            let mut tx = store.pool().begin().await.unwrap();
            let both = stored_answers(&mut tx, &[("usr_a", "k-long"), ("usr_a", "k-short")])
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            let key = |k: &str| ("usr_a".to_owned(), k.to_owned());
            assert_eq!(both.get(&key("k-long")), Some(&stored(&long)));
            assert_eq!(both.get(&key("k-short")), Some(&stored(&short)));
            db.cleanup().await;
        }
    }

    /// On PostgreSQL a packed answer of about 3 kB stays in its row (nothing goes to the
    /// table's TOAST relation), and a node migrating again finds the setting made.
    #[tokio::test]
    async fn a_long_packed_answer_stays_in_its_row_on_postgres() {
        let Some(db) = TestDb::postgres().await.unwrap() else {
            eprintln!("SKIPPED: CARAVAN_TEST_POSTGRES is not set");
            return;
        };
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let noise: Vec<String> = (0..300)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("{x:016x}")
            })
            .collect();
        let long = format!("{{\"noise\":{noise:?}}}");
        let answer = NewAnswer {
            scope: "usr_a".to_owned(),
            key: "k-noise".to_owned(),
            request_hash: "h".to_owned(),
            status: 201,
            response: long.clone(),
        };
        let mut tx = db.store.pool().begin().await.unwrap();
        store_answers(&mut tx, &[&answer], 1).await.unwrap();
        tx.commit().await.unwrap();
        let (stored, toasted): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT MAX(length(response)) FROM idempotency_keys), \
             pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'idempotency_keys'::regclass",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap();
        assert!(stored > 2_500, "the answer packed to {stored} bytes");
        assert_eq!(toasted, 0, "an answer of {stored} bytes left its row");
        let again = super::answers_inline_on_postgres(db.store.pool()).await;
        assert!(
            !again.unwrap(),
            "the setting was made by the first migration"
        );
        let got = db.store.idempotency_record("usr_a", "k-noise").await;
        assert_eq!(got.unwrap().map(|a| a.response), Some(long));
        db.cleanup().await;
    }

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
