//! Writing the placed checkouts of a batch: one multi-row insert per table for the whole batch,
//! then the carts they came from are emptied and the ledger's transactions recorded. What locks
//! rows every batch shares (the balances, the outbox's sequence) is left to the caller, to run
//! last.

use super::records::{Phases, Placement};
use crate::dialect::in_keys;
use crate::dialect::insert_rows;
use crate::exec::Exec;
use crate::idempotency::{store_answers, NewAnswer};
use crate::journal::{append_events, move_balances, record_ledger, LedgerTx, Moves, NewEvent};
use crate::sql::{Sql, Val};
use crate::StoreError;

/// What a batch still has to write on rows every batch shares: the balances its ledger moves
/// and its outbox events (which take numbers from the one sequence).
pub(super) struct Shared {
    moves: Moves,
    events: Vec<NewEvent>,
    now: i64,
}

impl Shared {
    /// Moves the balances, then appends the events: the first two of the writer's lock order.
    pub(super) async fn write<E: Exec>(
        self,
        tx: &mut E,
        phases: &mut Phases,
    ) -> Result<(), StoreError> {
        move_balances(tx, &self.moves).await?;
        phases.mark("move balances");
        append_events(tx, &self.events, self.now).await?;
        phases.mark("append events");
        Ok(())
    }
}

/// Writes everything `placed` holds but what locks shared rows: that is returned (and stock,
/// deals and coupon budgets are taken separately, last).
pub(super) async fn write_placed<E: Exec>(
    tx: &mut E,
    placed: &[&Placement],
    phases: &mut Phases,
) -> Result<Option<Shared>, StoreError> {
    if placed.is_empty() {
        return Ok(None);
    }
    let now = placed.iter().map(|p| p.now).max().unwrap_or(0);
    insert_groups(tx, placed).await?;
    phases.mark("insert groups");
    insert_orders(tx, placed).await?;
    phases.mark("insert orders");
    insert_lines(tx, placed).await?;
    phases.mark("insert lines");
    insert_discounts(tx, placed).await?;
    phases.mark("insert discounts");
    insert_coupon_uses(tx, placed).await?;
    phases.mark("insert coupon uses");
    insert_commissions(tx, placed).await?;
    phases.mark("insert commissions");
    insert_payments(tx, placed).await?;
    phases.mark("insert payments");
    insert_donations(tx, placed).await?;
    let answers: Vec<&NewAnswer> = placed.iter().map(|p| &p.answer).collect();
    store_answers(tx, &answers, now).await?;
    phases.mark("insert answers");
    empty_carts(tx, placed).await?;
    phases.mark("empty carts");
    journal(tx, placed, now, phases).await.map(Some)
}

const GROUP_COLS: &[&str] = &[
    "id",
    "buyer_id",
    "cart_id",
    "currency",
    "total_minor",
    "address",
    "country",
    "payment_id",
    "placed_at",
];

async fn insert_groups<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
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
    insert_rows(tx, "order_groups", GROUP_COLS, &rows).await
}

const ORDER_COLS: &[&str] = &[
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
    "platform_discount_minor",
    "presentment_currency",
    "presentment_total_minor",
    "fx_rate_e9",
    "shipping_method",
    "min_days",
    "max_days",
    "placed_at",
    "paid_at",
    "creator_id",
    "commission_minor",
    "cause_id",
    "pledge_minor",
];

/// The orders and the first entry of each one's history.
async fn insert_orders<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
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
            o.platform_discount_minor.into(),
            (&o.presentment_currency).into(),
            o.presentment_total_minor.into(),
            o.fx_rate_e9.into(),
            (&o.shipping_method).into(),
            o.min_days.into(),
            o.max_days.into(),
            o.placed_at.into(),
            o.paid_at.into(),
            Val::OptText(o.creator_id.as_deref().map(std::borrow::Cow::Borrowed)),
            o.commission_minor.into(),
            Val::OptText(o.cause_id.as_deref().map(std::borrow::Cow::Borrowed)),
            o.pledge_minor.into(),
        ]);
        history.push(vec![
            (&o.id).into(),
            Val::Int(0),
            (&o.status).into(),
            Val::OptText(None),
            o.placed_at.into(),
        ]);
    }
    insert_rows(tx, "orders", ORDER_COLS, &orders).await?;
    let history_cols = &["order_id", "seq", "status", "note", "at"];
    insert_rows(tx, "order_history", history_cols, &history).await
}

const LINE_COLS: &[&str] = &[
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
    "discount_minor",
    "deal_id",
    "commission_bps",
    "commission_minor",
    "pledge_minor",
];

async fn insert_lines<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
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
                l.discount_minor.into(),
                Val::OptText(l.deal_id.as_deref().map(std::borrow::Cow::Borrowed)),
                l.commission_bps.into(),
                l.commission_minor.into(),
                l.pledge_minor.into(),
            ]
        })
        .collect();
    insert_rows(tx, "order_lines", LINE_COLS, &rows).await
}

const DISCOUNT_COLS: &[&str] = &[
    "order_id",
    "position",
    "seq",
    "stage",
    "funder",
    "source",
    "amount_minor",
];

async fn insert_discounts<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
        .iter()
        .flat_map(|p| &p.discounts)
        .map(|d| {
            vec![
                (&d.order_id).into(),
                d.position.into(),
                d.seq.into(),
                (&d.stage).into(),
                (&d.funder).into(),
                (&d.source).into(),
                d.amount_minor.into(),
            ]
        })
        .collect();
    insert_rows(tx, "order_line_discounts", DISCOUNT_COLS, &rows).await
}

async fn insert_coupon_uses<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
        .iter()
        .flat_map(|p| &p.coupons)
        .map(|c| {
            vec![
                (&c.order_id).into(),
                (&c.coupon_id).into(),
                (&c.group_id).into(),
                c.amount_minor.into(),
            ]
        })
        .collect();
    let cols = &["order_id", "coupon_id", "group_id", "amount_minor"];
    insert_rows(tx, "order_coupons", cols, &rows).await
}

const COMMISSION_COLS: &[&str] = &[
    "order_id",
    "creator_id",
    "merchant_id",
    "buyer_id",
    "currency",
    "amount_minor",
    "state",
    "source",
    "reference",
    "created_at",
];

/// The attributed orders' commissions, and the self-referrals refused one.
async fn insert_commissions<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
        .iter()
        .flat_map(|p| &p.commissions)
        .map(|c| {
            vec![
                (&c.order_id).into(),
                (&c.creator_id).into(),
                (&c.merchant_id).into(),
                (&c.buyer_id).into(),
                (&c.currency).into(),
                c.amount_minor.into(),
                (&c.state).into(),
                (&c.source).into(),
                (&c.reference).into(),
                c.created_at.into(),
            ]
        })
        .collect();
    insert_rows(tx, "commissions", COMMISSION_COLS, &rows).await?;
    let flags: Vec<Vec<Val>> = placed
        .iter()
        .filter_map(|p| p.flag.as_ref())
        .map(|f| {
            vec![
                (&f.group_id).into(),
                (&f.creator_id).into(),
                (&f.buyer_id).into(),
                (&f.reason).into(),
                (&f.source).into(),
                (&f.reference).into(),
                f.created_at.into(),
            ]
        })
        .collect();
    let cols = &[
        "group_id",
        "creator_id",
        "buyer_id",
        "reason",
        "source",
        "reference",
        "created_at",
    ];
    insert_rows(tx, "referral_flags", cols, &flags).await
}

const PAYMENT_COLS: &[&str] = &[
    "id",
    "group_id",
    "provider",
    "provider_ref",
    "status",
    "amount_minor",
    "currency",
    "created_at",
    "updated_at",
];

async fn insert_payments<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
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
    insert_rows(tx, "payments", PAYMENT_COLS, &rows).await
}

/// The carts the checkouts came from lose their lines.
async fn empty_carts<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let mut sql = Sql::positional(tx.positional());
    let carts = in_keys(&mut sql, placed.iter().map(|p| p.group.cart_id.as_str()));
    sql.push(&format!("DELETE FROM cart_lines WHERE cart_id {carts}"));
    tx.execute(&sql.text, &sql.binds, sql.fixed()).await?;
    Ok(())
}

/// The ledger postings and outbox events of the batch.
async fn journal<E: Exec>(
    tx: &mut E,
    placed: &[&Placement],
    now: i64,
    phases: &mut Phases,
) -> Result<Shared, StoreError> {
    let ledger: Vec<LedgerTx> = placed
        .iter()
        .flat_map(|p| p.ledger.iter().cloned())
        .collect();
    let moves = record_ledger(tx, &ledger, now).await?;
    phases.mark("record ledger");
    let events: Vec<NewEvent> = placed
        .iter()
        .flat_map(|p| p.events.iter().cloned())
        .collect();
    Ok(Shared { moves, events, now })
}

const DONATION_COLS: &[&str] = &[
    "group_id",
    "cause_id",
    "buyer_id",
    "kind",
    "amount_minor",
    "currency",
    "state",
    "created_at",
];

/// The buyers' donations of the batch's checkouts.
async fn insert_donations<E: Exec>(tx: &mut E, placed: &[&Placement]) -> Result<(), StoreError> {
    let rows: Vec<Vec<Val>> = placed
        .iter()
        .filter_map(|p| p.donation.as_ref())
        .map(|d| {
            vec![
                (&d.group_id).into(),
                (&d.cause_id).into(),
                (&d.buyer_id).into(),
                (&d.kind).into(),
                d.amount_minor.into(),
                (&d.currency).into(),
                (&d.state).into(),
                d.created_at.into(),
            ]
        })
        .collect();
    insert_rows(tx, "donations", DONATION_COLS, &rows).await
}
