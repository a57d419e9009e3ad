//! Foreign keys the order writer keeps itself (ADR 0019), in one list: the audit that finds a
//! row whose parent is missing, and the PostgreSQL step that drops the keys still declared.
//!
//! Every key here is between a row the writer inserts and a parent that exists before the batch
//! (a buyer, a store, a coupon) or that the same batch inserts first (the order, its group, the
//! ledger transaction); none of those parents is ever deleted. On PostgreSQL a declared key is a
//! trigger per child row that looks the parent up and locks it (a WAL record and a dirtied page
//! per buyer and store, per batch); SQLite checks a key with one lookup in the same B-tree
//! engine. Five of the keys were dropped on both engines by rebuilding their tables (migrations
//! 0027 and 0030); the rest are parents of other tables too, and rebuilding them portably would
//! mean switching SQLite's key checks off, so SQLite keeps them declared and PostgreSQL drops
//! them after the migrations (`drop_on_postgres`). `Store::orphans` checks all of them on both.

use crate::StoreError;
use sqlx::AnyPool;

/// A child's column and the table whose `id` it names.
pub(crate) struct Key {
    pub child: &'static str,
    pub column: &'static str,
    pub parent: &'static str,
}

const fn key(child: &'static str, column: &'static str, parent: &'static str) -> Key {
    Key {
        child,
        column,
        parent,
    }
}

/// Every key the order writer keeps.
pub(crate) const WRITER_KEPT: [Key; 17] = [
    key("ledger_entries", "tx_id", "ledger_transactions"),
    key("order_line_discounts", "order_id", "orders"),
    key("order_lines", "order_id", "orders"),
    key("order_lines", "variant_id", "variants"),
    key("order_history", "order_id", "orders"),
    key("order_groups", "buyer_id", "users"),
    key("orders", "group_id", "order_groups"),
    key("orders", "buyer_id", "users"),
    key("orders", "merchant_id", "merchants"),
    key("order_coupons", "order_id", "orders"),
    key("order_coupons", "coupon_id", "coupons"),
    key("commissions", "order_id", "orders"),
    key("commissions", "creator_id", "creators"),
    key("deal_claims", "deal_id", "deals"),
    key("deal_claims", "buyer_id", "users"),
    key("coupon_holders", "coupon_id", "coupons"),
    key("coupon_holders", "buyer_id", "users"),
];

/// One query counting, for every kept key, the rows whose parent is missing (a row missing two
/// parents counts twice).
pub(crate) fn orphans_sql() -> String {
    let counts: Vec<String> = WRITER_KEPT
        .iter()
        .map(|k| {
            format!(
                "(SELECT COUNT(*) FROM {} c WHERE NOT EXISTS (SELECT 1 FROM {} p WHERE p.id = c.{}))",
                k.child, k.parent, k.column
            )
        })
        .collect();
    format!("SELECT {}", counts.join(" + "))
}

/// Drops the kept keys PostgreSQL still declares, under their default names
/// (`{child}_{column}_fkey`). Reads the catalogue first, so a started node that finds them gone
/// takes no lock on the tables; two nodes starting together both succeed (`IF EXISTS`).
pub(crate) async fn drop_on_postgres(pool: &AnyPool) -> Result<usize, StoreError> {
    let declared: Vec<String> = sqlx::query_scalar(
        "SELECT conname::text FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
    )
    .fetch_all(pool)
    .await?;
    let mut dropped = 0;
    for k in &WRITER_KEPT {
        let name = format!("{}_{}_fkey", k.child, k.column);
        if declared.contains(&name) {
            let sql = format!("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {name}", k.child);
            sqlx::query(&sql).execute(pool).await?;
            dropped += 1;
        }
    }
    Ok(dropped)
}
