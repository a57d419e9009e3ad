//! The SQL that differs per engine, in one place (ADR 0001): everything else the store runs is
//! the one portable dialect. Two kinds of statement need engine-specific text for speed on the
//! order writer's path: multi-row inserts (and guarded upserts), and the batch's guarded changes
//! to shared counters (stock, deals, coupon budgets).

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
    insert_rows_then(tx, table, cols, rows, "")
        .await
        .map(|_| ())
}

/// Inserts `rows` as [`insert_rows`] does, each statement ending in `guard` (an `ON CONFLICT
/// … DO UPDATE … WHERE`): a row the guard refused is not counted, and then the whole batch is
/// `Stale` (another node took what the batch decided on; it is decided again).
pub(crate) async fn upsert_guarded<E: Exec>(
    tx: &mut E,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val<'_>>],
    guard: &str,
) -> Result<(), StoreError> {
    let done = insert_rows_then(tx, table, cols, rows, guard).await?;
    if done != rows.len() as u64 {
        return Err(StoreError::Stale);
    }
    Ok(())
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
    insert_rows_then(tx, "balances", &cols, rows, add)
        .await
        .map(|_| ())
}

async fn insert_rows_then<E: Exec>(
    tx: &mut E,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val<'_>>],
    suffix: &str,
) -> Result<u64, StoreError> {
    if rows.is_empty() {
        return Ok(0);
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
    tx.execute(&sql, &[Val::from(payload)], true).await
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
) -> Result<u64, StoreError> {
    const MAX_ROWS: usize = 128;
    let mut done = 0;
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
        done += tx.execute(&sql, &binds, true).await?;
        rest = tail;
    }
    Ok(done)
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

/// A guarded change to counters, row by row: SQLite's statement for one row (`$1`, `$2` the
/// amounts, the id last) and PostgreSQL's for all rows at once over `want(id, a, b)`.
struct Take {
    /// One row; binds the amounts, then the id.
    each: &'static str,
    /// Every row in one statement; `$1` is a JSON array of `{id, a, b}`.
    all: &'static str,
    /// How many amounts a row binds in `each` (1 or 2).
    width: usize,
}

/// The stock a batch takes per SKU. The lock is `FOR NO KEY UPDATE`, the one an `UPDATE` of
/// non-key columns takes, so it does not wait for the `FOR KEY SHARE` locks that other
/// writers' order-line foreign-key checks hold on the same variant.
const STOCK: Take = Take {
    each: "UPDATE variants SET stock = stock - $1, sold = sold + $1 WHERE id = $2 AND stock >= $1",
    all: "WITH want AS MATERIALIZED (SELECT id, a FROM json_to_recordset($1::json) AS w(id TEXT, a BIGINT, b BIGINT)), \
          locked AS MATERIALIZED (SELECT v.id FROM variants v JOIN want w ON w.id = v.id ORDER BY v.id FOR NO KEY UPDATE OF v) \
          UPDATE variants SET stock = variants.stock - want.a, sold = variants.sold + want.a \
          FROM want JOIN locked ON locked.id = want.id \
          WHERE variants.id = want.id AND variants.stock >= want.a",
    width: 1,
};

/// The units a batch claims per deal, within each deal's cap.
const DEALS: Take = Take {
    each: "UPDATE deals SET claimed = claimed + $1 WHERE id = $2 AND claimed + $1 <= cap",
    all: "WITH want AS MATERIALIZED (SELECT id, a FROM json_to_recordset($1::json) AS w(id TEXT, a BIGINT, b BIGINT)), \
          locked AS MATERIALIZED (SELECT d.id FROM deals d JOIN want w ON w.id = d.id ORDER BY d.id FOR NO KEY UPDATE OF d) \
          UPDATE deals SET claimed = deals.claimed + want.a \
          FROM want JOIN locked ON locked.id = want.id \
          WHERE deals.id = want.id AND deals.claimed + want.a <= deals.cap",
    width: 1,
};

/// The uses and money a batch takes per coupon, within each coupon's budgets.
const COUPONS: Take = Take {
    each: "UPDATE coupons SET used_uses = used_uses + $1, used_minor = used_minor + $2 \
           WHERE id = $3 AND (budget_uses IS NULL OR used_uses + $1 <= budget_uses) \
           AND (budget_minor IS NULL OR used_minor + $2 <= budget_minor)",
    all: "WITH want AS MATERIALIZED (SELECT id, a, b FROM json_to_recordset($1::json) AS w(id TEXT, a BIGINT, b BIGINT)), \
          locked AS MATERIALIZED (SELECT c.id FROM coupons c JOIN want w ON w.id = c.id ORDER BY c.id FOR NO KEY UPDATE OF c) \
          UPDATE coupons SET used_uses = coupons.used_uses + want.a, used_minor = coupons.used_minor + want.b \
          FROM want JOIN locked ON locked.id = want.id \
          WHERE coupons.id = want.id \
          AND (coupons.budget_uses IS NULL OR coupons.used_uses + want.a <= coupons.budget_uses) \
          AND (coupons.budget_minor IS NULL OR coupons.used_minor + want.b <= coupons.budget_minor)",
    width: 2,
};

/// One guarded decrement per SKU, `taken` sorted by SKU id; `Stale` if another node took the
/// stock in between.
pub(crate) async fn take_stock<E: Exec>(
    tx: &mut E,
    taken: &[(String, i64)],
) -> Result<(), StoreError> {
    let rows: Vec<(&str, [i64; 2])> = taken.iter().map(|(id, q)| (id.as_str(), [*q, 0])).collect();
    take(tx, &STOCK, &rows).await
}

/// One guarded increment per deal, `claimed` sorted by deal id; `Stale` if another node
/// claimed past a cap in between.
pub(crate) async fn take_deals<E: Exec>(
    tx: &mut E,
    claimed: &[(String, i64)],
) -> Result<(), StoreError> {
    let rows: Vec<(&str, [i64; 2])> = claimed
        .iter()
        .map(|(id, q)| (id.as_str(), [*q, 0]))
        .collect();
    take(tx, &DEALS, &rows).await
}

/// One guarded increment per coupon, `(id, uses, money)` sorted by coupon id; `Stale` if
/// another node spent a budget in between.
pub(crate) async fn take_coupons<E: Exec>(
    tx: &mut E,
    taken: &[(&str, [i64; 2])],
) -> Result<(), StoreError> {
    take(tx, &COUPONS, taken).await
}

/// Applies `t` to `rows` (sorted by id, the lock order of every writer and transition):
/// SQLite runs one prepared statement per row (no round trips in process); PostgreSQL one
/// statement for the whole batch, which locks the rows in id order first and then changes them,
/// where one statement per row would pay a round trip each while the batch holds hot rows.
/// `Stale` if any row's guard refused.
async fn take<E: Exec>(tx: &mut E, t: &Take, rows: &[(&str, [i64; 2])]) -> Result<(), StoreError> {
    debug_assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "rows in id order");
    if rows.is_empty() {
        return Ok(());
    }
    if tx.positional() {
        for (id, amounts) in rows {
            let mut binds: Vec<Val> = amounts[..t.width].iter().map(|a| Val::Int(*a)).collect();
            binds.push(Val::from(*id));
            if tx.execute(t.each, &binds, true).await? != 1 {
                return Err(StoreError::Stale);
            }
        }
        return Ok(());
    }
    let want = serde_json::Value::Array(
        rows.iter()
            .map(|(id, [a, b])| serde_json::json!({"id": id, "a": a, "b": b}))
            .collect(),
    )
    .to_string();
    if tx.execute(t.all, &[Val::from(want)], true).await? != rows.len() as u64 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
