//! The order writer's storage side: one transaction per batch of checkouts. Per SKU one guarded
//! decrement for the batch's total; first come, first served when stock runs short; orders,
//! lines, payments, idempotency records, ledger postings and outbox events as multi-row inserts.

use crate::connect::WriterConn;
use crate::durable::Durable;
use crate::exec::{Cell, Exec, Kind, LiteTx};
use crate::journal::{append_events, post_ledger, LedgerTx, NewEvent};
use crate::sql::{in_list, insert_rows, Sql, Val};
use crate::{Store, StoreError};
use std::collections::{HashMap, HashSet};

/// A checkout's order group (one per checkout, many merchants).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRecord {
    /// `grp_…`.
    pub id: String,
    /// The buyer.
    pub buyer_id: String,
    /// The cart it came from (its lines are removed in the same transaction).
    pub cart_id: String,
    /// Presentment (buyer's) currency.
    pub currency: String,
    /// Total in the presentment currency.
    pub total_minor: i64,
    /// JSON shipping address.
    pub address: String,
    /// Destination country.
    pub country: String,
    /// `pay_…`.
    pub payment_id: String,
    /// UTC milliseconds.
    pub placed_at: i64,
}

/// One merchant's order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRecord {
    /// `ord_…`.
    pub id: String,
    /// `grp_…`.
    pub group_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// The merchant.
    pub merchant_id: String,
    /// Current status.
    pub status: String,
    /// Settlement (merchant's) currency.
    pub currency: String,
    /// Goods, settlement currency.
    pub goods_minor: i64,
    /// Shipping, settlement currency.
    pub shipping_minor: i64,
    /// Goods + shipping.
    pub total_minor: i64,
    /// Platform fee frozen at sale (sum of line fees).
    pub fee_minor: i64,
    /// Buyer's currency.
    pub presentment_currency: String,
    /// Total in the buyer's currency.
    pub presentment_total_minor: i64,
    /// Buyer-currency units per merchant-currency unit × 10^9.
    pub fx_rate_e9: i64,
    /// economy | standard | express.
    pub shipping_method: String,
    /// Delivery estimate.
    pub min_days: i64,
    /// Delivery estimate.
    pub max_days: i64,
    /// Refunded so far, settlement currency.
    pub refunded_minor: i64,
    /// Set when shipped.
    pub carrier: Option<String>,
    /// Set when shipped.
    pub tracking_number: Option<String>,
    /// UTC milliseconds.
    pub placed_at: i64,
    /// When paid.
    pub paid_at: Option<i64>,
    /// When shipped.
    pub shipped_at: Option<i64>,
    /// When delivered.
    pub delivered_at: Option<i64>,
    /// When completed.
    pub completed_at: Option<i64>,
    /// When cancelled.
    pub cancelled_at: Option<i64>,
    /// Bumped by every transition (optimistic concurrency).
    pub version: i64,
}

/// One line of an order, frozen at sale.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRecord {
    /// The order.
    pub order_id: String,
    /// Position in the order.
    pub position: i64,
    /// The SKU sold.
    pub variant_id: String,
    /// Its product.
    pub product_id: String,
    /// SKU code at sale.
    pub sku: String,
    /// Title at sale.
    pub title: String,
    /// Units.
    pub quantity: i64,
    /// Unit price, settlement currency.
    pub unit_price_minor: i64,
    /// quantity × unit price.
    pub total_minor: i64,
    /// Settlement currency.
    pub currency: String,
    /// Line total in the buyer's currency.
    pub presentment_total_minor: i64,
    /// Buyer's currency.
    pub presentment_currency: String,
    /// Rate used.
    pub fx_rate_e9: i64,
    /// Platform fee rate of the category at sale.
    pub fee_bps: i64,
    /// Fee on this line.
    pub fee_minor: i64,
}

/// A payment with the provider.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRecord {
    /// `pay_…`.
    pub id: String,
    /// `grp_…`.
    pub group_id: String,
    /// Provider name.
    pub provider: String,
    /// The provider's reference.
    pub provider_ref: String,
    /// authorized | captured | failed | voided.
    pub status: String,
    /// Amount.
    pub amount_minor: i64,
    /// Currency.
    pub currency: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

/// Everything one checkout writes, prepared (validated and priced) before the writer sees it.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Idempotency scope (the caller).
    pub scope: String,
    /// Idempotency key.
    pub idem_key: String,
    /// Hash of the request body.
    pub request_hash: String,
    /// Status code to replay.
    pub response_status: i64,
    /// Response body to replay.
    pub response: String,
    /// The group.
    pub group: GroupRecord,
    /// One per merchant.
    pub orders: Vec<OrderRecord>,
    /// All lines.
    pub lines: Vec<LineRecord>,
    /// The payment.
    pub payment: PaymentRecord,
    /// Postings (when the payment was captured at once).
    pub ledger: Vec<LedgerTx>,
    /// Outbox events.
    pub events: Vec<NewEvent>,
    /// UTC milliseconds.
    pub now: i64,
}

/// What happened to one placement of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written.
    Placed,
    /// Not enough stock of this variant; nothing written.
    SoldOut(String),
    /// The key was used before with the same request: the stored answer.
    Replay(i64, String),
    /// The key was used before with another request.
    KeyReused,
    /// The same key is earlier in this very batch.
    InFlight,
}

/// A written batch: one outcome per placement, in order, to be answered once `durable` says
/// the batch is on disk.
#[derive(Debug)]
pub struct Written {
    /// What happened to each placement.
    pub outcomes: Vec<Outcome>,
    /// When the answers may go out.
    pub durable: Durable,
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

struct KeyRow {
    scope: String,
    idem_key: String,
    request_hash: String,
    status_code: i64,
    response: String,
}

/// How often a batch is retried when another node took stock or a key in between.
const RETRIES: usize = 8;

impl Store {
    /// A stored idempotent answer: (request hash, status, response).
    pub async fn idempotency_record(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<(String, i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT request_hash, status_code, response FROM idempotency_keys WHERE id = $1",
        )
        .bind(key_id(scope, key))
        .fetch_optional(&self.pool)
        .await?)
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

    /// Writes a batch of checkouts in one transaction and one commit. Returns one outcome per
    /// placement, in order. Placements are decided first come, first served.
    pub async fn write_batch(&self, batch: &[Placement]) -> Result<Written, StoreError> {
        let mut last = StoreError::Stale;
        for _ in 0..RETRIES {
            match self.try_batch(batch).await {
                Ok(outcomes) => return Ok(outcomes),
                // Another node committed stock or a key between our read and our write.
                Err(e @ (StoreError::Stale | StoreError::Conflict)) => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    async fn try_batch(&self, batch: &[Placement]) -> Result<Written, StoreError> {
        let t0 = std::time::Instant::now();
        let ((outcomes, t_write), t_commit, durable) = match &self.writer {
            WriterConn::Pool(pool) => {
                let mut tx = pool.begin().await?;
                let done = decide_and_write(&mut tx, batch).await?;
                let t_commit = std::time::Instant::now();
                tx.commit().await?;
                (done, t_commit, Durable::now())
            }
            WriterConn::Sqlite(lite) => {
                let mut guard = lite.conn.lock().await;
                let conn = guard
                    .as_mut()
                    .ok_or_else(|| StoreError::Corrupt("the store is closed".into()))?;
                let mut tx = LiteTx::begin(conn)?;
                let done = match decide_and_write(&mut tx, batch).await {
                    Ok(done) => done,
                    Err(e) => {
                        tx.rollback();
                        return Err(e);
                    }
                };
                let t_commit = std::time::Instant::now();
                tx.commit()?;
                // Even a batch that wrote nothing waits: its answers (sold out, replays) rest
                // on commits that may not be on disk yet.
                (done, t_commit, lite.syncer.committed())
            }
        };
        tracing::debug!(
            reads_us = t_write.duration_since(t0).as_micros() as u64,
            write_us = t_commit.duration_since(t_write).as_micros() as u64,
            commit_us = t_commit.elapsed().as_micros() as u64,
            "batch phases"
        );
        Ok(Written { outcomes, durable })
    }
}

/// Decides a batch (repeats, stock first come first served) and writes what was placed, in an
/// open transaction. Returns the outcomes and when the reads ended.
async fn decide_and_write<E: Exec>(
    tx: &mut E,
    batch: &[Placement],
) -> Result<(Vec<Outcome>, std::time::Instant), StoreError> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; batch.len()];

    // Idempotency: keys seen before, and repeats within the batch.
    let mut known: Vec<KeyRow> = Vec::new();
    if !batch.is_empty() {
        let mut sql = Sql::positional(tx.positional());
        let ids = in_list(
            &mut sql,
            batch
                .iter()
                .map(|p| Val::from(key_id(&p.scope, &p.idem_key))),
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
            known.push(KeyRow {
                scope: next().text()?,
                idem_key: next().text()?,
                request_hash: next().text()?,
                status_code: next().int()?,
                response: next().text()?,
            });
        }
    }
    let known: HashMap<(&str, &str), &KeyRow> = known
        .iter()
        .map(|k| ((k.scope.as_str(), k.idem_key.as_str()), k))
        .collect();
    let mut in_batch = HashSet::new();
    for (i, p) in batch.iter().enumerate() {
        if let Some(k) = known.get(&(p.scope.as_str(), p.idem_key.as_str())) {
            outcomes[i] = Some(if k.request_hash == p.request_hash {
                Outcome::Replay(k.status_code, k.response.clone())
            } else {
                Outcome::KeyReused
            });
        } else if !in_batch.insert((p.scope.as_str(), p.idem_key.as_str())) {
            outcomes[i] = Some(Outcome::InFlight);
        }
    }

    // Stock: read once, allocate in arrival order, then one guarded decrement per SKU.
    let variants: HashSet<&str> = batch
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.is_none())
        .flat_map(|(p, _)| p.lines.iter().map(|l| l.variant_id.as_str()))
        .collect();
    let mut stock: HashMap<String, i64> = HashMap::new();
    if !variants.is_empty() {
        let mut sql = Sql::positional(tx.positional());
        let list = in_list(&mut sql, variants.iter().map(|v| Val::from(*v)));
        sql.push(&format!(
            "SELECT id, stock FROM variants WHERE id IN ({list})"
        ));
        for row in tx
            .fetch(&sql.text, &sql.binds, &[Kind::Text, Kind::Int], false)
            .await?
        {
            let mut cells = row.into_iter();
            let id = cells.next().unwrap_or(Cell::Null).text()?;
            let n = cells.next().unwrap_or(Cell::Null).int()?;
            stock.insert(id, n);
        }
    }
    let mut taken: HashMap<String, i64> = HashMap::new();
    for (i, p) in batch.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        let mut want: HashMap<&str, i64> = HashMap::new();
        for l in &p.lines {
            *want.entry(l.variant_id.as_str()).or_default() += l.quantity;
        }
        let short = want
            .iter()
            .find(|(v, q)| stock.get(**v).copied().unwrap_or(0) < **q);
        outcomes[i] = Some(match short {
            Some((v, _)) => Outcome::SoldOut((*v).to_owned()),
            None => {
                for (v, q) in want {
                    if let Some(s) = stock.get_mut(v) {
                        *s -= q;
                    }
                    *taken.entry(v.to_owned()).or_default() += q;
                }
                Outcome::Placed
            }
        });
    }
    let placed: Vec<&Placement> = batch
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| matches!(o, Some(Outcome::Placed)))
        .map(|(p, _)| p)
        .collect();
    let t_write = std::time::Instant::now();
    write_placed(tx, &placed).await?;
    // The stock decrements come last, so on PostgreSQL a hot SKU's row lock is held only for
    // them and the commit, while other writers' inserts proceed in parallel.
    let mut taken: Vec<(String, i64)> = taken.into_iter().collect();
    taken.sort(); // a fixed lock order across nodes avoids deadlocks
    take_stock(tx, &taken).await?;
    Ok((
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::InFlight))
            .collect(),
        t_write,
    ))
}

/// One guarded decrement per SKU, `taken` sorted by SKU id; `Stale` if another node took the
/// stock in between. SQLite runs one prepared statement per SKU (no round trips in process);
/// PostgreSQL one statement for the whole batch, which locks the rows in id order first (the
/// lock order of every writer and transition) and then decrements them: a batch over many
/// SKUs would otherwise pay one round trip per SKU. The lock is `FOR NO KEY UPDATE`, the one an
/// `UPDATE` of non-key columns takes, so it does not wait for the `FOR KEY SHARE` locks that
/// other writers' order-line foreign-key checks hold on the same variant.
async fn take_stock<E: Exec>(tx: &mut E, taken: &[(String, i64)]) -> Result<(), StoreError> {
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

async fn write_placed<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    if placed.is_empty() {
        return Ok(());
    }
    let now = placed.iter().map(|p| p.now).max().unwrap_or(0);
    let groups: Vec<Vec<Val>> = placed
        .iter()
        .map(|p| {
            let g = &p.group;
            vec![
                (&g.id).into(),
                (&g.buyer_id).into(),
                (&g.cart_id).into(),
                (&g.currency).into(),
                g.total_minor.into(),
                (&g.address).into(),
                (&g.country).into(),
                (&g.payment_id).into(),
                g.placed_at.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "order_groups",
        &[
            "id",
            "buyer_id",
            "cart_id",
            "currency",
            "total_minor",
            "address",
            "country",
            "payment_id",
            "placed_at",
        ],
        &groups,
    )
    .await?;
    let mut orders = Vec::new();
    let mut history = Vec::new();
    for o in placed.iter().flat_map(|p| &p.orders) {
        orders.push(vec![
            (&o.id).into(),
            (&o.group_id).into(),
            (&o.buyer_id).into(),
            (&o.merchant_id).into(),
            (&o.status).into(),
            (&o.currency).into(),
            o.goods_minor.into(),
            o.shipping_minor.into(),
            o.total_minor.into(),
            o.fee_minor.into(),
            (&o.presentment_currency).into(),
            o.presentment_total_minor.into(),
            o.fx_rate_e9.into(),
            (&o.shipping_method).into(),
            o.min_days.into(),
            o.max_days.into(),
            o.placed_at.into(),
            o.paid_at.into(),
        ]);
        history.push(vec![
            (&o.id).into(),
            Val::Int(0),
            (&o.status).into(),
            Val::OptText(None),
            o.placed_at.into(),
        ]);
    }
    insert_rows(
        tx,
        "orders",
        &[
            "id",
            "group_id",
            "buyer_id",
            "merchant_id",
            "status",
            "currency",
            "goods_minor",
            "shipping_minor",
            "total_minor",
            "fee_minor",
            "presentment_currency",
            "presentment_total_minor",
            "fx_rate_e9",
            "shipping_method",
            "min_days",
            "max_days",
            "placed_at",
            "paid_at",
        ],
        &orders,
    )
    .await?;
    insert_rows(
        tx,
        "order_history",
        &["order_id", "seq", "status", "note", "at"],
        &history,
    )
    .await?;
    let lines: Vec<Vec<Val>> = placed
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| {
            vec![
                (&l.order_id).into(),
                l.position.into(),
                (&l.variant_id).into(),
                (&l.product_id).into(),
                (&l.sku).into(),
                (&l.title).into(),
                l.quantity.into(),
                l.unit_price_minor.into(),
                l.total_minor.into(),
                (&l.currency).into(),
                l.presentment_total_minor.into(),
                (&l.presentment_currency).into(),
                l.fx_rate_e9.into(),
                l.fee_bps.into(),
                l.fee_minor.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "order_lines",
        &[
            "order_id",
            "position",
            "variant_id",
            "product_id",
            "sku",
            "title",
            "quantity",
            "unit_price_minor",
            "total_minor",
            "currency",
            "presentment_total_minor",
            "presentment_currency",
            "fx_rate_e9",
            "fee_bps",
            "fee_minor",
        ],
        &lines,
    )
    .await?;
    let payments: Vec<Vec<Val>> = placed
        .iter()
        .map(|p| {
            let y = &p.payment;
            vec![
                (&y.id).into(),
                (&y.group_id).into(),
                (&y.provider).into(),
                (&y.provider_ref).into(),
                (&y.status).into(),
                y.amount_minor.into(),
                (&y.currency).into(),
                y.created_at.into(),
                y.updated_at.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "payments",
        &[
            "id",
            "group_id",
            "provider",
            "provider_ref",
            "status",
            "amount_minor",
            "currency",
            "created_at",
            "updated_at",
        ],
        &payments,
    )
    .await?;
    let keys: Vec<Vec<Val>> = placed
        .iter()
        .map(|p| {
            vec![
                key_id(&p.scope, &p.idem_key).into(),
                (&p.scope).into(),
                (&p.idem_key).into(),
                (&p.request_hash).into(),
                p.response_status.into(),
                (&p.response).into(),
                p.now.into(),
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
        &keys,
    )
    .await?;
    let carts: Vec<&str> = placed.iter().map(|p| p.group.cart_id.as_str()).collect();
    let mut sql = Sql::positional(tx.positional());
    let list = in_list(&mut sql, carts.iter().map(|c| Val::from(*c)));
    sql.push(&format!("DELETE FROM cart_lines WHERE cart_id IN ({list})"));
    tx.execute(&sql.text, &sql.binds, false).await?;
    let ledger: Vec<LedgerTx> = placed
        .iter()
        .flat_map(|p| p.ledger.iter().cloned())
        .collect();
    post_ledger(tx, &ledger, now).await?;
    let events: Vec<NewEvent> = placed
        .iter()
        .flat_map(|p| p.events.iter().cloned())
        .collect();
    append_events(tx, &events, now).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
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
            let a = store.idempotency_record("usr_a", "k-1").await.unwrap();
            assert_eq!(a, Some(("h".to_owned(), 201, "{\"a\":1}".to_owned())));
            let b = store.idempotency_record("usr_b", "k-1").await.unwrap();
            assert_eq!(b, Some(("h".to_owned(), 201, "{\"b\":2}".to_owned())));
            assert_eq!(
                store.idempotency_record("usr_c", "k-1").await.unwrap(),
                None
            );
            db.cleanup().await;
        }
    }
}
