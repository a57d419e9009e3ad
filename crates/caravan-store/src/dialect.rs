//! The SQL that differs per engine, in one place (ADR 0001): everything else the store runs is
//! the one portable dialect. Two kinds of statement need engine-specific text for speed on the
//! order writer's path: multi-row inserts (and guarded upserts), and the batch's guarded changes
//! to shared counters (stock, deals, coupon budgets).

use crate::exec::{Cell, Exec, Kind};
use crate::sql::{in_list, Sql, Val};
use crate::StoreError;
use std::borrow::Cow;

/// Inserts `rows` into `table` with statements whose text does not depend on the batch, so each
/// is prepared once per connection. PostgreSQL: one statement with one parameter per column,
/// the column's values as an array, unnested into rows (a multi-row `VALUES` was a new
/// statement with thousands of `$n` to parse and plan each time; JSON objects cost a sixth of
/// PostgreSQL's CPU to parse). SQLite: see `sqlite_values`. ADR 0004.
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
    // One array per column, unnested into rows side by side.
    let (shapes, arrays) = column_arrays(table, rows, true)?;
    let unnest: Vec<String> = (1..).zip(&shapes).map(|(n, s)| s.expr(n)).collect();
    let sql = format!(
        "INSERT INTO {table} ({list}) SELECT * FROM unnest({}){suffix}",
        unnest.join(", ")
    );
    let binds: Vec<Val> = arrays.into_iter().map(Val::from).collect();
    tx.execute(&sql, &binds, true).await
}

/// A membership test for a batch's keys (`column {in_keys}`) whose text, on PostgreSQL, does not
/// depend on how many keys there are: `= ANY($k::text[])`, the keys as one array. The statement
/// is then prepared once per connection ([`Sql::fixed`]) and each use is one round trip, where
/// an unprepared one is two (parse and describe, then bind and run) plus a plan for a list of
/// hundreds of parameters. SQLite: `IN (?, …)`, prepared in-process. `keys` must not be empty.
pub(crate) fn in_keys<'a, K>(sql: &mut Sql<'a>, keys: impl IntoIterator<Item = K>) -> String
where
    K: Into<Cow<'a, str>>,
{
    let keys = keys.into_iter().map(|k| Val::Text(k.into()));
    if sql.is_positional() {
        return format!("IN ({})", in_list(sql, keys));
    }
    format!("= ANY({}::text[])", sql.bind(text_array(keys)))
}

/// A two-column table of a batch's key pairs, for `WITH w (a, b) AS ({pairs})`: on PostgreSQL
/// two arrays unnested side by side (a text that does not depend on the count, as [`in_keys`]),
/// on SQLite `VALUES (?, ?), …`.
pub(crate) fn key_pairs<'a>(sql: &mut Sql<'a>, pairs: &[(&'a str, &'a str)]) -> String {
    if sql.is_positional() {
        let rows: Vec<String> = pairs
            .iter()
            .map(|(a, b)| format!("({}, {})", sql.bind(*a), sql.bind(*b)))
            .collect();
        return format!("VALUES {}", rows.join(", "));
    }
    let first = text_array(pairs.iter().map(|(a, _)| Val::from(*a)));
    let second = text_array(pairs.iter().map(|(_, b)| Val::from(*b)));
    let (a, b) = (sql.bind(first), sql.bind(second));
    format!("SELECT * FROM unnest({a}::text[], {b}::text[])")
}

/// Key pairs looked up per statement: two parameters a pair on SQLite, far under its
/// limit.
const PAIRS_PER_READ: usize = 2_000;

/// The rows of `table` whose key columns `key` hold one of `pairs`, looked up by the key in
/// bounded statements of [`key_pairs`]: each row is the pair, then `columns` (read as
/// `kinds`; write them as `t.column`). Not every first key with every second (an `IN` list on
/// each column probes their product, and PostgreSQL's generic plan for it scans all rows of
/// a first key).
pub(crate) async fn rows_by_pairs<E: Exec>(
    tx: &mut E,
    table: &str,
    key: (&str, &str),
    columns: &str,
    kinds: &[Kind],
    pairs: &[(&str, &str)],
) -> Result<Vec<Vec<Cell>>, StoreError> {
    let (a, b) = key;
    let kinds: Vec<Kind> = [Kind::Text, Kind::Text]
        .into_iter()
        .chain(kinds.iter().copied())
        .collect();
    let mut rows = Vec::new();
    for chunk in pairs.chunks(PAIRS_PER_READ) {
        let mut sql = Sql::positional(tx.positional());
        let w = key_pairs(&mut sql, chunk);
        sql.push(&format!(
            "WITH w (a, b) AS ({w}) SELECT t.{a}, t.{b}, {columns} FROM w JOIN {table} t \
             ON t.{a} = w.a AND t.{b} = w.b"
        ));
        rows.extend(tx.fetch(&sql.text, &sql.binds, &kinds, sql.fixed()).await?);
    }
    Ok(rows)
}

/// The rows of `table t` whose `column` holds one of `keys`, as a row source (`FROM
/// {keyed_rows}`); run the statement unprepared. SQLite: an `IN` list (it probes the index of
/// its own). PostgreSQL: a lookup by the key per key. Given a list, PostgreSQL costs a
/// probe as a random read and a whole scan as sequential ones, so for a hundred keys in a
/// table of a few thousand rows that nothing analysed yet (a campaign's claims at midnight)
/// it scans the whole table; a lateral subquery that cannot be pulled up (`OFFSET 0`) can only
/// be a nested loop, and unprepared it is planned for the table's size of the moment, not
/// kept from when the table was one page. `keys` must not be empty.
pub(crate) fn keyed_rows<'a, K>(
    sql: &mut Sql<'a>,
    table: &str,
    column: &str,
    keys: impl IntoIterator<Item = K>,
) -> String
where
    K: Into<Cow<'a, str>>,
{
    if sql.is_positional() {
        let list = in_keys(sql, keys);
        return format!("(SELECT * FROM {table} WHERE {column} {list}) t");
    }
    let keys = sql.bind(text_array(keys.into_iter().map(|k| Val::Text(k.into()))));
    format!(
        "unnest({keys}::text[]) AS keyed (v) \
         CROSS JOIN LATERAL (SELECT * FROM {table} t WHERE t.{column} = keyed.v OFFSET 0) t"
    )
}

/// `vals` as one `text[]` literal.
fn text_array<'a>(vals: impl Iterator<Item = Val<'a>>) -> String {
    let mut a = String::from("{");
    for (i, v) in vals.enumerate() {
        if i > 0 {
            a.push(',');
        }
        push_element(&mut a, &v);
    }
    a.push('}');
    a
}

/// Separates the values of a joined text column; no stored text contains it.
const UNIT: char = '\u{1f}';
/// Stands for NULL in a joined text column.
const NULL_MARK: char = '\u{1e}';

/// How a column's values travel to PostgreSQL as one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An `int8[]` literal: `{1,NULL}`.
    Ints,
    /// A `text[]` literal: `{"a","b\"c"}`.
    Texts,
    /// Texts joined by [`UNIT`], NULL written as [`NULL_MARK`], split by `string_to_array`:
    /// no quoting, and PostgreSQL splits it several times faster than it parses a literal
    /// (stored answers are kilobytes of JSON full of quotes).
    Joined,
}

impl Shape {
    /// The array expression reading parameter `n`.
    fn expr(self, n: usize) -> String {
        match self {
            Shape::Ints => format!("${n}::int8[]"),
            Shape::Texts => format!("${n}::text[]"),
            Shape::Joined => format!("string_to_array(${n}, chr(31), chr(30))"),
        }
    }
}

fn kind(v: &Val<'_>) -> Shape {
    match v {
        Val::Int(_) | Val::OptInt(_) => Shape::Ints,
        Val::Text(_) | Val::OptText(_) => Shape::Texts,
    }
}

/// Whether column `c` of `rows` (texts) can be joined: no value holds either control
/// character, and the joined text is not empty (one empty text would split into no element).
fn joinable(rows: &[Vec<Val<'_>>], c: usize) -> bool {
    let clean = |s: &str| !s.bytes().any(|b| b == UNIT as u8 || b == NULL_MARK as u8);
    let all_clean = rows.iter().all(|r| match r.get(c) {
        Some(Val::Text(s) | Val::OptText(Some(s))) => clean(s),
        _ => true,
    });
    let empty = matches!(rows, [r] if matches!(r.get(c), Some(Val::Text(s) | Val::OptText(Some(s))) if s.is_empty()));
    all_clean && !empty
}

/// Each column's [`Shape`] (from its values' kind, which must agree down the column; texts
/// joined where `join` and [`joinable`]) and its values as one parameter. PostgreSQL reads
/// arrays much faster than JSON objects: no keys repeated per row, no object to look columns
/// up in. (JSON parsing was a sixth of PostgreSQL's CPU during the festival burst.)
fn column_arrays(
    table: &str,
    rows: &[Vec<Val<'_>>],
    join: bool,
) -> Result<(Vec<Shape>, Vec<String>), StoreError> {
    let first = rows.first().map_or(&[][..], |r| r.as_slice());
    let mut shapes = Vec::with_capacity(first.len());
    let mut params = Vec::with_capacity(first.len());
    for (c, v) in first.iter().enumerate() {
        let shape = kind(v);
        if let Some(r) = rows
            .iter()
            .position(|row| row.get(c).map(kind) != Some(shape))
        {
            return Err(StoreError::Corrupt(format!(
                "row {r} of {table} mixes kinds in one column"
            )));
        }
        if shape == Shape::Texts && join && joinable(rows, c) {
            shapes.push(Shape::Joined);
            params.push(joined(rows, c));
        } else {
            shapes.push(shape);
            params.push(literal(rows, c));
        }
    }
    Ok((shapes, params))
}

/// Column `c` as an array literal.
fn literal(rows: &[Vec<Val<'_>>], c: usize) -> String {
    let mut a = String::with_capacity(literal_len(rows, c));
    a.push('{');
    for (r, v) in rows.iter().filter_map(|row| row.get(c)).enumerate() {
        if r > 0 {
            a.push(',');
        }
        push_element(&mut a, v);
    }
    a.push('}');
    a
}

/// Column `c` (texts) joined by [`UNIT`], NULL as [`NULL_MARK`].
fn joined(rows: &[Vec<Val<'_>>], c: usize) -> String {
    let mut a = String::with_capacity(literal_len(rows, c));
    for (r, v) in rows.iter().filter_map(|row| row.get(c)).enumerate() {
        if r > 0 {
            a.push(UNIT);
        }
        match v {
            Val::Text(s) | Val::OptText(Some(s)) => a.push_str(s),
            _ => a.push(NULL_MARK),
        }
    }
    a
}

/// About how long column `c`'s array literal will be, so it is allocated once: each text
/// with its quotes and separator (escapes are rare), 20 characters per number.
fn literal_len(rows: &[Vec<Val<'_>>], c: usize) -> usize {
    let element = |v: Option<&Val<'_>>| match v {
        Some(Val::Text(s) | Val::OptText(Some(s))) => s.len() + 3,
        _ => 21,
    };
    2 + rows.iter().map(|r| element(r.get(c))).sum::<usize>()
}

/// One array element: a number, `NULL`, or text in double quotes with `\` and `"` escaped.
/// Text is copied in runs between the characters that need escaping (stored answers are
/// kilobytes of JSON: one push per character cost the writer's thread a twentieth of its time).
fn push_element(a: &mut String, v: &Val<'_>) {
    use std::fmt::Write;
    match v {
        Val::Int(i) | Val::OptInt(Some(i)) => {
            let _ = write!(a, "{i}");
        }
        Val::OptInt(None) | Val::OptText(None) => a.push_str("NULL"),
        Val::Text(s) | Val::OptText(Some(s)) => {
            a.push('"');
            let mut rest: &str = s;
            while let Some(i) = rest.bytes().position(|b| b == b'"' || b == b'\\') {
                // Both are ASCII, so `i` and `i + 1` are character boundaries.
                a.push_str(&rest[..i]);
                a.push('\\');
                a.push_str(&rest[i..=i]);
                rest = &rest[i + 1..];
            }
            a.push_str(rest);
            a.push('"');
        }
    }
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

/// A guarded change to counters, row by row: SQLite's statement for one row (`$1`, `$2` the
/// amounts, the id last) and PostgreSQL's for all rows at once over `want(id, a, b)`, read
/// from arrays as multi-row inserts are.
struct Take {
    /// One row; binds the amounts, then the id.
    each: &'static str,
    /// Every row in one statement; `$1`, `$2`, `$3` are the ids and both amounts as arrays.
    all: &'static str,
    /// How many amounts a row binds in `each` (1 or 2).
    width: usize,
}

/// The stock a batch takes per SKU. The lock is `FOR NO KEY UPDATE`, the one an `UPDATE` of
/// non-key columns takes, so it does not wait for the `FOR KEY SHARE` locks that other
/// writers' order-line foreign-key checks hold on the same variant.
const STOCK: Take = Take {
    each: "UPDATE variants SET stock = stock - $1, sold = sold + $1 WHERE id = $2 AND stock >= $1",
    all: "WITH want AS MATERIALIZED (SELECT id, a FROM unnest($1::text[], $2::int8[], $3::int8[]) AS w(id, a, b)), \
          locked AS MATERIALIZED (SELECT v.id FROM variants v JOIN want w ON w.id = v.id ORDER BY v.id FOR NO KEY UPDATE OF v) \
          UPDATE variants SET stock = variants.stock - want.a, sold = variants.sold + want.a \
          FROM want JOIN locked ON locked.id = want.id \
          WHERE variants.id = want.id AND variants.stock >= want.a",
    width: 1,
};

/// The units a batch claims per deal, within each deal's cap.
const DEALS: Take = Take {
    each: "UPDATE deals SET claimed = claimed + $1 WHERE id = $2 AND claimed + $1 <= cap",
    all: "WITH want AS MATERIALIZED (SELECT id, a FROM unnest($1::text[], $2::int8[], $3::int8[]) AS w(id, a, b)), \
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
    all: "WITH want AS MATERIALIZED (SELECT id, a, b FROM unnest($1::text[], $2::int8[], $3::int8[]) AS w(id, a, b)), \
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
    let want: Vec<Vec<Val>> = rows
        .iter()
        .map(|(id, [a, b])| vec![Val::from(*id), Val::Int(*a), Val::Int(*b)])
        .collect();
    let (_, arrays) = column_arrays("want", &want, false)?;
    let binds: Vec<Val> = arrays.into_iter().map(Val::from).collect();
    if tx.execute(t.all, &binds, true).await? != rows.len() as u64 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::exec::{Cell, Kind};
    use crate::testing::TestDb;

    /// Awkward text and nulls survive a multi-row insert and a guarded upsert on both engines
    /// (PostgreSQL reads them from joined texts and array literals, SQLite from bound values), and a guard
    /// that refuses a row makes the batch `Stale`.
    #[tokio::test]
    async fn rows_go_in_exactly_as_given() {
        for db in TestDb::engines().await.unwrap() {
            sqlx::query("CREATE TABLE probe (id TEXT PRIMARY KEY, n BIGINT, note TEXT)")
                .execute(db.store.pool())
                .await
                .unwrap();
            let notes = [
                Some("\"a \"quoted\", {braced} \\ back\\slash\\\""),
                Some("NULL"),
                Some(""),
                Some("ünï 丝绸 'single'"),
                None,
            ];
            let rows: Vec<Vec<Val>> = notes
                .iter()
                .enumerate()
                .map(|(i, note)| {
                    let n = (i != 1).then_some(i as i64 - 2);
                    vec![
                        format!("r{i}").into(),
                        Val::OptInt(n),
                        Val::OptText(note.map(Into::into)),
                    ]
                })
                .collect();
            let cols = ["id", "n", "note"];
            let mut tx = db.store.pool().begin().await.unwrap();
            insert_rows(&mut tx, "probe", &cols, &rows).await.unwrap();
            let guard = " ON CONFLICT (id) DO UPDATE SET n = probe.n + excluded.n \
                 WHERE probe.n + excluded.n >= -4";
            let again = vec![rows[0].clone(), rows[3].clone()];
            upsert_guarded(&mut tx, "probe", &cols, &again, guard)
                .await
                .unwrap();
            let refused = upsert_guarded(&mut tx, "probe", &cols, &again, guard).await;
            assert!(matches!(refused, Err(StoreError::Stale)), "{refused:?}");
            let read = tx
                .fetch(
                    "SELECT id, n, note FROM probe ORDER BY id",
                    &[],
                    &[Kind::Text, Kind::Int, Kind::Text],
                    false,
                )
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            let cell = |t: Option<&str>| t.map_or(Cell::Null, |t| Cell::Text(t.to_owned()));
            let int = |n: Option<i64>| n.map_or(Cell::Null, Cell::Int);
            let want: Vec<Vec<Cell>> = vec![
                vec![cell(Some("r0")), int(Some(-4)), cell(notes[0])],
                vec![cell(Some("r1")), int(None), cell(notes[1])],
                vec![cell(Some("r2")), int(Some(0)), cell(notes[2])],
                vec![cell(Some("r3")), int(Some(3)), cell(notes[3])],
                vec![cell(Some("r4")), int(Some(2)), cell(notes[4])],
            ];
            assert_eq!(read, want, "{}", db.url);
            lone_and_separated_texts_go_in_as_given(&db).await;
            db.cleanup().await;
        }
    }

    /// A batch's keys find exactly their rows through `in_keys` and `key_pairs` on both engines,
    /// awkward texts included; on PostgreSQL the statement's text is the same for one key as
    /// for three (so it stays prepared), on SQLite it has a placeholder per key.
    #[tokio::test]
    async fn keys_find_their_rows_and_the_text_does_not_depend_on_their_count() {
        for db in TestDb::engines().await.unwrap() {
            sqlx::query("CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b))")
                .execute(db.store.pool())
                .await
                .unwrap();
            let odd = "x \"q\", {b} \\ ü";
            let rows: Vec<Vec<Val>> = [("k1", "u1"), ("k1", "u2"), (odd, "u1"), ("k3", "u3")]
                .iter()
                .map(|(a, b)| vec![Val::from(*a), Val::from(*b)])
                .collect();
            let mut tx = db.store.pool().begin().await.unwrap();
            insert_rows(&mut tx, "pairs", &["a", "b"], &rows)
                .await
                .unwrap();
            let mut texts = Vec::new();
            for keys in [vec!["k1"], vec!["k1", odd, "none"]] {
                let mut sql = Sql::positional(tx.positional());
                let cond = in_keys(&mut sql, keys.iter().copied());
                sql.push(&format!(
                    "SELECT DISTINCT a FROM pairs WHERE a {cond} ORDER BY a"
                ));
                let read = tx.fetch(&sql.text, &sql.binds, &[Kind::Text], sql.fixed());
                let read = read.await.unwrap();
                let mut want: Vec<&str> = keys.iter().copied().filter(|k| *k != "none").collect();
                want.sort_unstable();
                let want: Vec<Vec<Cell>> =
                    want.iter().map(|k| vec![Cell::Text((*k).into())]).collect();
                assert_eq!(read, want, "{}", db.url);
                texts.push(sql.text);
            }
            assert_eq!(texts[0] == texts[1], !tx.positional(), "{texts:?}");
            let mut sql = Sql::positional(tx.positional());
            let w = key_pairs(&mut sql, &[("k1", "u2"), (odd, "u1"), ("k3", "u9")]);
            sql.push(&format!(
                "WITH w (a, b) AS ({w}) SELECT p.a, p.b FROM w JOIN pairs p ON p.a = w.a AND p.b = w.b ORDER BY p.a"
            ));
            let read = tx.fetch(
                &sql.text,
                &sql.binds,
                &[Kind::Text, Kind::Text],
                sql.fixed(),
            );
            let read = read.await.unwrap();
            tx.rollback().await.unwrap();
            let pair = |a: &str, b: &str| vec![Cell::Text(a.into()), Cell::Text(b.into())];
            assert_eq!(read, vec![pair("k1", "u2"), pair(odd, "u1")], "{}", db.url);
            db.cleanup().await;
        }
    }

    /// `keyed_rows` looks its keys up by index on PostgreSQL however the table grew since it
    /// was last analysed (3 rows then, 20,000 now): the plan has no scan of the table. On both
    /// engines it and `rows_by_pairs` find exactly the rows asked for.
    #[tokio::test]
    async fn a_batch_of_keys_is_looked_up_by_index_however_the_table_grew() {
        for db in TestDb::engines().await.unwrap() {
            let pool = db.store.pool();
            for ddl in [
                "CREATE TABLE claims (a TEXT, b TEXT, n BIGINT, PRIMARY KEY (a, b))",
                "CREATE INDEX claims_b ON claims (b)",
            ] {
                sqlx::query(ddl).execute(pool).await.unwrap();
            }
            claim_rows(&db, 0..3).await;
            if db.url.starts_with("postgres") {
                sqlx::query("VACUUM ANALYZE claims")
                    .execute(pool)
                    .await
                    .unwrap();
            }
            claim_rows(&db, 3..20_000).await;
            let wanted: Vec<(String, String)> = (0..300)
                .map(|i| (format!("d{}", i * 7 % 40), format!("u{}", i * 7)))
                .chain([("d1".into(), "none".into()), ("d2".into(), "u1".into())])
                .collect();
            let pairs: Vec<(&str, &str)> = wanted
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let mut tx = pool.begin().await.unwrap();
            let found = rows_by_pairs(&mut tx, "claims", ("a", "b"), "t.n", &[Kind::Int], &pairs);
            let mut found: Vec<Cell> = found
                .await
                .unwrap()
                .into_iter()
                .map(|r| r[2].clone())
                .collect();
            found.sort_by_key(|c| match c {
                Cell::Int(n) => *n,
                _ => -1,
            });
            let want: Vec<Cell> = (0..300).map(|i| Cell::Int(i * 7)).collect();
            assert_eq!(found, want, "{}", db.url);
            let mut by_buyer = Sql::positional(tx.positional());
            let from = keyed_rows(&mut by_buyer, "claims", "b", ["u5", "u19999", "none"]);
            by_buyer.push(&format!("SELECT t.n FROM {from} ORDER BY t.n"));
            let read = tx.fetch(&by_buyer.text, &by_buyer.binds, &[Kind::Int], false);
            let want = vec![vec![Cell::Int(5)], vec![Cell::Int(19_999)]];
            assert_eq!(read.await.unwrap(), want, "{}", db.url);
            if !tx.positional() {
                let explain = format!("EXPLAIN {}", by_buyer.text);
                let plan = tx.fetch(&explain, &by_buyer.binds, &[Kind::Text], false);
                let plan: Vec<String> = plan
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|r| format!("{:?}", r[0]))
                    .collect();
                let plan = plan.join("\n");
                assert!(plan.contains("Index"), "{plan}");
                assert!(!plan.contains("Seq Scan on claims"), "{plan}");
            }
            tx.rollback().await.unwrap();
            db.cleanup().await;
        }
    }

    /// Claims `ids` into the test's table: deal `d{i % 40}`, buyer `u{i}`, `i` units.
    async fn claim_rows(db: &TestDb, ids: std::ops::Range<i64>) {
        let rows: Vec<Vec<Val>> = ids
            .map(|i| {
                vec![
                    format!("d{}", i % 40).into(),
                    format!("u{i}").into(),
                    Val::Int(i),
                ]
            })
            .collect();
        let mut tx = db.store.pool().begin().await.unwrap();
        insert_rows(&mut tx, "claims", &["a", "b", "n"], &rows)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// A lone empty text, and texts holding the joined form's separators (PostgreSQL then
    /// reads that column from a literal), go into `probe` as given.
    async fn lone_and_separated_texts_go_in_as_given(db: &TestDb) {
        let cols = ["id", "n", "note"];
        let cell = |t: &str| Cell::Text(t.to_owned());
        for batch in [vec![""], vec!["a\u{1f}b", "\u{1e}", "c"]] {
            let rows: Vec<Vec<Val>> = (0..)
                .zip(&batch)
                .map(|(i, t)| vec![format!("s{i}").into(), Val::OptInt(None), (*t).into()])
                .collect();
            let mut tx = db.store.pool().begin().await.unwrap();
            insert_rows(&mut tx, "probe", &cols, &rows).await.unwrap();
            let sql = "SELECT note FROM probe ORDER BY id";
            let read = tx.fetch(sql, &[], &[Kind::Text], false).await.unwrap();
            tx.rollback().await.unwrap();
            let want: Vec<Vec<Cell>> = batch.iter().map(|t| vec![cell(t)]).collect();
            assert_eq!(read, want, "{}", db.url);
        }
    }
}
