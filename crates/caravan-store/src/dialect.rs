//! The SQL that differs per engine, in one place (ADR 0001): everything else the store runs is
//! the one portable dialect. Two statements need engine-specific text for speed on the order
//! writer's path: multi-row inserts and the batch's stock decrement.

use crate::exec::Exec;
use crate::sql::Val;
use crate::StoreError;

/// Inserts `rows` into `table` with statements whose text does not depend on the batch, so each
/// is prepared once per connection. PostgreSQL: one statement and one parameter, the rows as
/// JSON objects typed by the table's row type (a multi-row `VALUES` was a new statement with
/// thousands of `$n` to parse and plan each time). SQLite: see `sqlite_values`. ADR 0004.
pub(crate) async fn insert_rows<E: Exec>(
    tx: &mut E,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val<'_>>],
) -> Result<(), StoreError> {
    insert_rows_then(tx, table, cols, rows, "").await
}

/// Adds each `(account, currency, delta)` to its running balance (creating it), for the whole
/// batch in as few statements as [`insert_rows`] takes: a batch touching many accounts (every
/// creator's pending commission) costs no statement per account. The rows must be distinct
/// and in key order (the lock order on PostgreSQL).
pub(crate) async fn add_to_balances<E: Exec>(
    tx: &mut E,
    rows: &[Vec<Val<'_>>],
) -> Result<(), StoreError> {
    let cols = ["account", "currency", "balance_minor"];
    let add = " ON CONFLICT (account, currency) DO UPDATE SET balance_minor = balances.balance_minor + excluded.balance_minor";
    insert_rows_then(tx, "balances", &cols, rows, add).await
}

async fn insert_rows_then<E: Exec>(
    tx: &mut E,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val<'_>>],
    suffix: &str,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    if let Some((r, row)) = rows.iter().enumerate().find(|(_, v)| v.len() != cols.len()) {
        return Err(StoreError::Corrupt(format!(
            "row {r} of {table} has {} values for {} columns",
            row.len(),
            cols.len()
        )));
    }
    let list = cols.join(", ");
    if tx.positional() {
        return sqlite_values(tx, table, &list, cols.len(), rows, suffix).await;
    }
    // An array of objects, typed by the table's own row type.
    let sql = format!(
        "INSERT INTO {table} ({list}) SELECT {list} FROM json_populate_recordset(NULL::{table}, $1::json){suffix}"
    );
    let payload = json_objects(cols, rows)?;
    tx.execute(&sql, &[Val::from(payload)], true).await?;
    Ok(())
}

/// SQLite: multi-row `VALUES` statements of 128, 64, …, 1 rows with positional `?`s, so each
/// size is prepared once per connection and cached, and the values go straight into the
/// statement. (A JSON parameter unpacked by `json_each` spent half the SQLite thread's time
/// turning each row back into text for `->>` to parse again; ADR 0004.)
async fn sqlite_values<E: Exec>(
    tx: &mut E,
    table: &str,
    list: &str,
    width: usize,
    rows: &[Vec<Val<'_>>],
    suffix: &str,
) -> Result<(), StoreError> {
    const MAX_ROWS: usize = 128;
    let one = format!("({})", vec!["?"; width].join(", "));
    let mut rest = rows;
    let mut binds = Vec::with_capacity(rows.len().min(MAX_ROWS) * width);
    while !rest.is_empty() {
        let n = 1usize << rest.len().min(MAX_ROWS).ilog2();
        let (chunk, tail) = rest.split_at(n);
        let sql = format!(
            "INSERT INTO {table} ({list}) VALUES {}{suffix}",
            vec![one.as_str(); n].join(", ")
        );
        binds.clear();
        binds.extend(chunk.iter().flatten().map(Val::reborrow));
        tx.execute(&sql, &binds, true).await?;
        rest = tail;
    }
    Ok(())
}

/// The rows as one JSON array of objects keyed by column. Written straight into one buffer: no
/// JSON tree, one copy of each value.
fn json_objects(cols: &[&str], rows: &[Vec<Val<'_>>]) -> Result<String, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
    let mut payload = Vec::with_capacity(rows.len() * cols.len() * 24 + 2);
    payload.push(b'[');
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            payload.push(b',');
        }
        payload.push(b'{');
        for (c, (v, name)) in row.iter().zip(cols).enumerate() {
            if c > 0 {
                payload.push(b',');
            }
            serde_json::to_writer(&mut payload, name).map_err(corrupt)?;
            payload.push(b':');
            match v {
                Val::Int(i) | Val::OptInt(Some(i)) => {
                    serde_json::to_writer(&mut payload, i).map_err(corrupt)?
                }
                Val::Text(s) | Val::OptText(Some(s)) => {
                    serde_json::to_writer(&mut payload, s).map_err(corrupt)?
                }
                Val::OptInt(None) | Val::OptText(None) => payload.extend_from_slice(b"null"),
            }
        }
        payload.push(b'}');
    }
    payload.push(b']');
    String::from_utf8(payload).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// One guarded decrement per SKU, `taken` sorted by SKU id; `Stale` if another node took the
/// stock in between. SQLite runs one prepared statement per SKU (no round trips in process);
/// PostgreSQL one statement for the whole batch, which locks the rows in id order first (the
/// lock order of every writer and transition) and then decrements them: a batch over many
/// SKUs would otherwise pay one round trip per SKU. The lock is `FOR NO KEY UPDATE`, the one an
/// `UPDATE` of non-key columns takes, so it does not wait for the `FOR KEY SHARE` locks that
/// other writers' order-line foreign-key checks hold on the same variant.
pub(crate) async fn take_stock<E: Exec>(
    tx: &mut E,
    taken: &[(String, i64)],
) -> Result<(), StoreError> {
    if taken.is_empty() {
        return Ok(());
    }
    if tx.positional() {
        for (variant, qty) in taken {
            let done = tx
                .execute(
                    "UPDATE variants SET stock = stock - $1, sold = sold + $1 WHERE id = $2 AND stock >= $1",
                    &[Val::Int(*qty), variant.into()],
                    true,
                )
                .await?;
            if done != 1 {
                return Err(StoreError::Stale);
            }
        }
        return Ok(());
    }
    let want = serde_json::Value::Array(
        taken
            .iter()
            .map(|(id, q)| serde_json::json!({"id": id, "q": q}))
            .collect(),
    )
    .to_string();
    let done = tx
        .execute(
            "WITH want AS MATERIALIZED (SELECT id, q FROM json_to_recordset($1::json) AS w(id TEXT, q BIGINT)), \
             locked AS MATERIALIZED (SELECT v.id FROM variants v JOIN want w ON w.id = v.id ORDER BY v.id FOR NO KEY UPDATE OF v) \
             UPDATE variants SET stock = variants.stock - want.q, sold = variants.sold + want.q \
             FROM want JOIN locked ON locked.id = want.id \
             WHERE variants.id = want.id AND variants.stock >= want.q",
            &[Val::from(want)],
            true,
        )
        .await?;
    if done != taken.len() as u64 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
