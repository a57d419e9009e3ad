//! Orders after placement: reads, guarded transitions (with their ledger postings, stock
//! returns and events, all in one transaction), payments, disputes and payouts.

use crate::checkout::{LineRecord, OrderRecord, PaymentRecord};
use crate::idempotency::{store_answers, NewAnswer};
use crate::journal::{append_events, post_ledger, EventRecord, LedgerTx, NewEvent};
use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};
use std::collections::BTreeMap;

const ORDER_COLS: &str = "id, group_id, buyer_id, merchant_id, status, currency, goods_minor, shipping_minor, \
    total_minor, fee_minor, platform_discount_minor, presentment_currency, presentment_total_minor, fx_rate_e9, shipping_method, min_days, \
    max_days, refunded_minor, carrier, tracking_number, placed_at, paid_at, shipped_at, delivered_at, completed_at, \
    cancelled_at, version, creator_id, commission_minor, cause_id, pledge_minor";

/// One order's move to a new state, applied only if the order is still at `version`.
#[derive(Debug, Clone, Default)]
pub struct Transition {
    /// The order.
    pub order_id: String,
    /// The version read by the caller.
    pub version: i64,
    /// New status.
    pub status: String,
    /// Extra columns to set (`paid_at`, `carrier`, `refunded_minor`…).
    pub set: Vec<(&'static str, TransitionValue)>,
    /// Units to put back on the shelf.
    pub restock: Vec<(String, i64)>,
    /// Festival deal units to give back: (deal, buyer, units).
    pub unclaim: Vec<(String, String, i64)>,
    /// Note for the history.
    pub note: Option<String>,
}

/// A value a transition writes.
#[derive(Debug, Clone)]
pub enum TransitionValue {
    /// A number.
    Int(i64),
    /// A text.
    Text(String),
}

/// A dispute.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DisputeRecord {
    /// `dsp_…`.
    pub id: String,
    /// The order.
    pub order_id: String,
    /// Who opened it.
    pub buyer_id: String,
    /// Whose order.
    pub merchant_id: String,
    /// Why.
    pub reason: String,
    /// open | answered | resolved.
    pub status: String,
    /// The merchant's side.
    pub merchant_answer: Option<String>,
    /// refund | release.
    pub resolution: Option<String>,
    /// Refunded by the decision.
    pub refund_minor: Option<i64>,
    /// UTC milliseconds.
    pub opened_at: i64,
    /// UTC milliseconds.
    pub answered_at: Option<i64>,
    /// UTC milliseconds.
    pub resolved_at: Option<i64>,
}

/// A payout to a merchant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PayoutRecord {
    /// `po_…`.
    pub id: String,
    /// The merchant.
    pub merchant_id: String,
    /// Amount.
    pub amount_minor: i64,
    /// Currency.
    pub currency: String,
    /// paid.
    pub status: String,
    /// The provider's reference.
    pub provider_ref: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// Side effects written with a set of transitions.
#[derive(Debug, Clone, Default)]
pub struct Effects {
    /// Ledger postings.
    pub ledger: Vec<LedgerTx>,
    /// Outbox events.
    pub events: Vec<NewEvent>,
    /// A payment status change: (payment id, new status).
    pub payment_status: Option<(String, String)>,
    /// A webhook event id to remember (dedupe); `Conflict` if seen.
    pub webhook_event: Option<(String, String)>,
    /// A dispute to insert.
    pub new_dispute: Option<DisputeRecord>,
    /// A dispute to rewrite (guarded by its previous status).
    pub dispute_update: Option<(DisputeRecord, String)>,
    /// A payout to record.
    pub payout: Option<PayoutRecord>,
    /// An idempotent answer to store with the effects.
    pub idempotency: Option<NewAnswer>,
    /// Commissions that move (each guarded by its previous state).
    pub commissions: Vec<CommissionChange>,
    /// A creator payout to record.
    pub creator_payout: Option<CreatorPayoutRecord>,
    /// A checkout's donation moving on: (group, from state, to state).
    pub donation: Option<(String, String, String)>,
}

/// One order's commission moving on: to a state, with what a refund reversed.
#[derive(Debug, Clone, Default)]
pub struct CommissionChange {
    /// The order.
    pub order_id: String,
    /// The state read (the change is `Stale` if it moved meanwhile).
    pub from: String,
    /// The new state.
    pub to: String,
    /// Reversed by this change.
    pub reversed_add: i64,
}

/// A payout to a creator, converted from their balances into the currency they chose.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatorPayoutRecord {
    /// `pyo_…`.
    pub id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// Paid, in `currency`.
    pub amount_minor: i64,
    /// The creator's payout currency.
    pub currency: String,
    /// JSON: each balance taken `{currency, minor, converted_minor, rate_e9}`.
    pub parts: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

impl Store {
    /// The order with this id.
    pub async fn order(&self, id: &str) -> Result<Option<OrderRecord>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {ORDER_COLS} FROM orders WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Orders by one filter column (`buyer_id`, `merchant_id`, `group_id` or `status`), newest first.
    pub async fn orders_by(
        &self,
        column: &str,
        value: &str,
        limit: i64,
    ) -> Result<Vec<OrderRecord>, StoreError> {
        let column = match column {
            "buyer_id" | "merchant_id" | "group_id" | "status" => column,
            _ => return Err(StoreError::Corrupt(format!("no order filter {column}"))),
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE {column} = $1 ORDER BY placed_at DESC, id DESC LIMIT $2"
        ))
        .bind(value)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Orders in `status` whose `column` timestamp is before `before` (for timers).
    pub async fn orders_due(
        &self,
        status: &str,
        column: &str,
        before: i64,
        limit: i64,
    ) -> Result<Vec<OrderRecord>, StoreError> {
        let column = match column {
            "placed_at" | "delivered_at" => column,
            _ => return Err(StoreError::Corrupt(format!("no order timer {column}"))),
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE status = $1 AND {column} < $2 ORDER BY {column} LIMIT $3"
        ))
        .bind(status)
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The lines of these orders.
    pub async fn order_lines(&self, order_ids: &[String]) -> Result<Vec<LineRecord>, StoreError> {
        if order_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, order_ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT order_id, position, variant_id, product_id, sku, title, quantity, unit_price_minor, total_minor, \
             currency, presentment_total_minor, presentment_currency, fx_rate_e9, fee_bps, fee_minor, \
             discount_minor, deal_id, commission_bps, commission_minor, pledge_minor FROM order_lines WHERE order_id IN ({list}) ORDER BY order_id, position"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// The discounts on the lines of these orders, in stacking order.
    pub async fn line_discounts(
        &self,
        order_ids: &[String],
    ) -> Result<Vec<crate::checkout::DiscountRecord>, StoreError> {
        if order_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, order_ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT order_id, position, seq, stage, funder, source, amount_minor \
             FROM order_line_discounts WHERE order_id IN ({list}) ORDER BY order_id, position, seq"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// An order's history: (status, note, at), oldest first.
    pub async fn order_history(
        &self,
        order_id: &str,
    ) -> Result<Vec<(String, Option<String>, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT status, note, at FROM order_history WHERE order_id = $1 ORDER BY seq",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The payment with this id.
    pub async fn payment(&self, id: &str) -> Result<Option<PaymentRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, group_id, provider, provider_ref, status, amount_minor, currency, created_at, updated_at \
             FROM payments WHERE id = $1 OR provider_ref = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The payment of a checkout group (two primary-key lookups: `payments.group_id` has no
    /// index, and a scan would grow with every order ever placed).
    pub async fn payment_of_group(
        &self,
        group_id: &str,
    ) -> Result<Option<PaymentRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, group_id, provider, provider_ref, status, amount_minor, currency, created_at, updated_at \
             FROM payments WHERE id = (SELECT payment_id FROM order_groups WHERE id = $1)",
        )
        .bind(group_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The dispute on an order.
    pub async fn dispute_of(&self, order_id: &str) -> Result<Option<DisputeRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, order_id, buyer_id, merchant_id, reason, status, merchant_answer, resolution, refund_minor, \
             opened_at, answered_at, resolved_at FROM disputes WHERE order_id = $1",
        )
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Disputes in a status, oldest first.
    pub async fn disputes(
        &self,
        status: &str,
        limit: i64,
    ) -> Result<Vec<DisputeRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, order_id, buyer_id, merchant_id, reason, status, merchant_answer, resolution, refund_minor, \
             opened_at, answered_at, resolved_at FROM disputes WHERE status = $1 ORDER BY opened_at LIMIT $2",
        )
        .bind(status)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A merchant's payouts, newest first.
    pub async fn payouts_of(&self, merchant_id: &str) -> Result<Vec<PayoutRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, merchant_id, amount_minor, currency, status, provider_ref, created_at FROM payouts \
             WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(merchant_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The balance of an account in a currency (0 if never posted).
    pub async fn balance(&self, account: &str, currency: &str) -> Result<i64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT balance_minor FROM balances WHERE account = $1 AND currency = $2",
        )
        .bind(account)
        .bind(currency)
        .fetch_optional(&self.pool)
        .await?;
        Ok(v.unwrap_or(0))
    }

    /// Every running balance: (account, currency, balance).
    pub async fn balances(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT account, currency, balance_minor FROM balances ORDER BY account, currency",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Rows whose parent is missing, for every foreign key the order writer keeps itself
    /// (`keys::WRITER_KEPT`, ADR 0019): ledger entries without their transaction, order rows
    /// without their order, group, buyer or store, lines without their variant, coupon uses,
    /// commissions, claims and holders without theirs. An audit: it should always be 0.
    pub async fn orphans(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&crate::keys::orphans_sql())
            .fetch_one(&self.pool)
            .await?)
    }

    /// Every ledger entry: (transaction id, account, currency, amount), for audits and tests.
    pub async fn ledger_entries(&self) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        Ok(sqlx::query_as("SELECT tx_id, account, currency, amount_minor FROM ledger_entries ORDER BY tx_id, position")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Events after `seq`, oldest first.
    pub async fn events_after(&self, seq: i64, limit: i64) -> Result<Vec<EventRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT seq, kind, subject, payload, created_at FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(seq)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Applies transitions and their effects in one transaction. `Stale` if any order moved
    /// meanwhile, `Insufficient` if a merchant balance would go negative, `Conflict` if the
    /// webhook event was seen before; in every case nothing is written.
    pub async fn apply(
        &self,
        transitions: &[Transition],
        effects: &Effects,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some((id, kind)) = &effects.webhook_event {
            sqlx::query("INSERT INTO webhook_events (id, kind, received_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(kind)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for t in transitions {
            let mut sql = Sql::default();
            let status = sql.bind(&t.status);
            sql.push(&format!(
                "UPDATE orders SET status = {status}, version = version + 1"
            ));
            for (col, v) in &t.set {
                let p = match v {
                    TransitionValue::Int(i) => sql.bind(*i),
                    TransitionValue::Text(s) => sql.bind(s),
                };
                sql.push(&format!(", {col} = {p}"));
            }
            let id = sql.bind(&t.order_id);
            let version = sql.bind(t.version);
            sql.push(&format!(" WHERE id = {id} AND version = {version}"));
            if sql.query().execute(&mut *tx).await?.rows_affected() != 1 {
                return Err(StoreError::Stale);
            }
            sqlx::query("INSERT INTO order_history (order_id, seq, status, note, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&t.order_id)
                .bind(t.version + 1)
                .bind(&t.status)
                .bind(&t.note)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((id, status)) = &effects.payment_status {
            sqlx::query("UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        record_disputes_and_payouts(&mut tx, effects).await?;
        if let Some(answer) = &effects.idempotency {
            store_answers(&mut tx, &[answer], now).await?;
        }
        move_commissions(&mut tx, effects, now).await?;
        move_donation(&mut tx, effects).await?;
        post_ledger(&mut tx, &effects.ledger, now).await?;
        append_events(&mut tx, &effects.events, now).await?;
        // Stock last and in id order: the order writer locks balances, then the event sequence,
        // then stock rows in id order, and on PostgreSQL both must take shared rows in the same
        // order or a cancellation and a checkout batch of the same SKU could deadlock.
        give_back(&mut tx, transitions).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A dispute opened or moved (guarded by its previous status), a merchant payout recorded.
async fn record_disputes_and_payouts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    effects: &Effects,
) -> Result<(), StoreError> {
    if let Some(d) = &effects.new_dispute {
        sqlx::query(
            "INSERT INTO disputes (id, order_id, buyer_id, merchant_id, reason, status, opened_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&d.id)
        .bind(&d.order_id)
        .bind(&d.buyer_id)
        .bind(&d.merchant_id)
        .bind(&d.reason)
        .bind(&d.status)
        .bind(d.opened_at)
        .execute(&mut **tx)
        .await?;
    }
    if let Some((d, from)) = &effects.dispute_update {
        let done = sqlx::query(
            "UPDATE disputes SET status = $1, merchant_answer = $2, resolution = $3, refund_minor = $4, \
             answered_at = $5, resolved_at = $6 WHERE id = $7 AND status = $8",
        )
        .bind(&d.status)
        .bind(&d.merchant_answer)
        .bind(&d.resolution)
        .bind(d.refund_minor)
        .bind(d.answered_at)
        .bind(d.resolved_at)
        .bind(&d.id)
        .bind(from)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
    }
    if let Some(p) = &effects.payout {
        sqlx::query(
            "INSERT INTO payouts (id, merchant_id, amount_minor, currency, status, provider_ref, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&p.id)
        .bind(&p.merchant_id)
        .bind(p.amount_minor)
        .bind(&p.currency)
        .bind(&p.status)
        .bind(&p.provider_ref)
        .bind(p.created_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Moves a checkout's donation on (guarded by the state read).
async fn move_donation(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    effects: &Effects,
) -> Result<(), StoreError> {
    let Some((group, from, to)) = &effects.donation else {
        return Ok(());
    };
    let done = sqlx::query("UPDATE donations SET state = $1 WHERE group_id = $2 AND state = $3")
        .bind(to)
        .bind(group)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

/// Moves commissions (guarded by the state read) and records a creator payout.
async fn move_commissions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    effects: &Effects,
    now: i64,
) -> Result<(), StoreError> {
    for c in &effects.commissions {
        let stamp = match (c.from == c.to, c.to.as_str()) {
            (false, "confirmed") => Some("confirmed_at"),
            (false, "available") => Some("available_at"),
            _ => None,
        };
        let set = stamp.map(|col| format!(", {col} = $5")).unwrap_or_default();
        let sql = format!(
            "UPDATE commissions SET state = $1, reversed_minor = reversed_minor + $2{set} \
             WHERE order_id = $3 AND state = $4"
        );
        let mut q = sqlx::query(&sql)
            .bind(&c.to)
            .bind(c.reversed_add)
            .bind(&c.order_id)
            .bind(&c.from);
        if stamp.is_some() {
            q = q.bind(now);
        }
        let done = q.execute(&mut **tx).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
    }
    if let Some(p) = &effects.creator_payout {
        sqlx::query(
            "INSERT INTO creator_payouts (id, creator_id, amount_minor, currency, parts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&p.id)
        .bind(&p.creator_id)
        .bind(p.amount_minor)
        .bind(&p.currency)
        .bind(&p.parts)
        .bind(p.created_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What cancelled orders give back: deal units (to the deal and to the buyer's limit), then
/// stock, each in id order — the order writer's lock order, so a cancellation and a checkout
/// batch of the same SKU cannot deadlock on PostgreSQL.
async fn give_back(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    transitions: &[Transition],
) -> Result<(), StoreError> {
    // Deals first, then stock, each in id order: the order writer's lock order.
    let mut unclaim: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (deal, buyer, units) in transitions.iter().flat_map(|t| &t.unclaim) {
        *unclaim.entry((deal.as_str(), buyer.as_str())).or_default() += *units;
    }
    for ((deal, buyer), units) in unclaim {
        sqlx::query("UPDATE deals SET claimed = claimed - $1 WHERE id = $2 AND claimed >= $1")
            .bind(units)
            .bind(deal)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
        "UPDATE deal_claims SET units = units - $1 WHERE deal_id = $2 AND buyer_id = $3 AND units >= $1",
        )
        .bind(units)
        .bind(deal)
        .bind(buyer)
        .execute(&mut **tx)
        .await?;
    }
    let cancelled: Vec<&str> = transitions
        .iter()
        .filter(|t| t.status == "cancelled")
        .map(|t| t.order_id.as_str())
        .collect();
    crate::checkout::give_back_coupons(tx, &cancelled).await?;
    let mut restock: BTreeMap<&str, i64> = BTreeMap::new();
    for (variant, qty) in transitions.iter().flat_map(|t| &t.restock) {
        *restock.entry(variant.as_str()).or_default() += *qty;
    }
    for (variant, qty) in restock {
        // Only placed orders are restocked (cancellations), so they were counted as sold.
        sqlx::query("UPDATE variants SET stock = stock + $1, sold = sold - $1 WHERE id = $2")
            .bind(qty)
            .bind(variant)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
