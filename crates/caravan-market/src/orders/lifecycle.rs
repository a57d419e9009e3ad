//! What every order transition is made of: the next status (or 409), the guarded transition,
//! its outbox event, and its ledger postings (payment into escrow, release to the store less the
//! prorated fee, refunds in both currencies), applied in one store transaction.

use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{LedgerTxId, TypedId};
use caravan_domain::ledger;
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_domain::{prorate, Currency, Money};
use caravan_store::checkout::OrderRecord;
use caravan_store::journal::{LedgerTx, NewEvent};
use caravan_store::orders::{Transition, TransitionValue};
use caravan_store::StoreError;

impl Market {
    /// Applies one order's transition with effects; a concurrent change is `stale`.
    pub(crate) async fn commit(
        &self,
        t: Transition,
        effects: caravan_store::orders::Effects,
    ) -> Result<(), MarketError> {
        self.store
            .apply(&[t], &effects, self.now())
            .await
            .map_err(|e| match e {
                StoreError::Insufficient => MarketError::new(
                    Code::InsufficientBalance,
                    "the store's balance does not cover this",
                ),
                other => other.into(),
            })
    }
}

/// The status after `event`, or 409 `invalid_transition`.
pub(crate) fn next(o: &OrderRecord, event: OrderEvent) -> Result<OrderStatus, MarketError> {
    let from = OrderStatus::parse(&o.status)?;
    from.apply(event)
        .map_err(|e| MarketError::new(Code::InvalidTransition, e.message))
}

pub(crate) fn transition(o: &OrderRecord, to: OrderStatus, note: Option<String>) -> Transition {
    Transition {
        order_id: o.id.clone(),
        version: o.version,
        status: to.as_str().to_owned(),
        set: Vec::new(),
        restock: Vec::new(),
        unclaim: Vec::new(),
        note,
    }
}

pub(crate) fn set_time(t: &mut Transition, column: &'static str, now: i64) {
    t.set.push((column, TransitionValue::Int(now)));
}

pub(crate) fn event(o: &OrderRecord, kind: &str, status: OrderStatus) -> NewEvent {
    let mut o = o.clone();
    o.status = status.as_str().to_owned();
    NewEvent {
        kind: kind.to_owned(),
        subject: o.id.clone(),
        payload: event_payload(&o),
    }
}

fn ltx(kind: &str, reference: &str, postings: Vec<ledger::Posting>) -> LedgerTx {
    LedgerTx {
        id: LedgerTxId::generate().to_string(),
        kind: kind.to_owned(),
        reference: reference.to_owned(),
        postings,
    }
}

/// The postings that release what is left in escrow to the merchant, less the fee on it (the
/// frozen fee prorated to what was not refunded).
pub(crate) fn release_ledger(o: &OrderRecord) -> Result<LedgerTx, MarketError> {
    let c = Currency::parse(&o.currency)?;
    let released = o.total_minor - o.refunded_minor;
    let fee = prorate(o.fee_minor, released, o.total_minor)?;
    Ok(ltx(
        "release",
        &o.id,
        ledger::release(&o.merchant_id, Money::new(released, c), fee.min(released)),
    ))
}

/// How refunding `amount` (store's currency) of an order splits: the buyer's share of what
/// they paid (settlement and their currency) and the platform's share of the discount it funded.
/// Each share is the difference of cumulative prorated amounts, so partial refunds never go
/// negative and a full refund returns exactly what each paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RefundShares {
    pub buyer: i64,
    pub platform: i64,
    pub presentment: i64,
}

pub(crate) fn refund_shares(o: &OrderRecord, amount: i64) -> Result<RefundShares, MarketError> {
    let after = o
        .refunded_minor
        .checked_add(amount)
        .ok_or_else(|| MarketError::new(Code::AmountOutOfRange, "the refund overflows"))?;
    let share = |of: i64| -> Result<i64, MarketError> {
        Ok(prorate(of, after, o.total_minor)? - prorate(of, o.refunded_minor, o.total_minor)?)
    };
    let buyer = share(o.total_minor - o.platform_discount_minor)?;
    Ok(RefundShares {
        buyer,
        platform: amount - buyer,
        presentment: share(o.presentment_total_minor)?,
    })
}

/// The postings of refunding `amount` (store's currency) of an order: the buyer's share back
/// to them in both currencies, the platform's share back to its promotions account.
pub(crate) fn refund_ledger(
    o: &OrderRecord,
    amount: i64,
    from_escrow: bool,
) -> Result<LedgerTx, MarketError> {
    let c = Currency::parse(&o.currency)?;
    let pc = Currency::parse(&o.presentment_currency)?;
    let shares = refund_shares(o, amount)?;
    let from = if from_escrow {
        ledger::ESCROW.to_owned()
    } else {
        ledger::merchant_payable(&o.merchant_id)
    };
    let mut postings = Vec::new();
    if shares.buyer != 0 || shares.presentment != 0 {
        postings = ledger::refund(
            &from,
            Money::new(shares.buyer, c),
            Money::new(shares.presentment, pc),
        );
    }
    if shares.platform != 0 {
        postings.extend(ledger::promotion_back(
            &from,
            Money::new(shares.platform, c),
        ));
    }
    Ok(ltx("refund", &o.id, postings))
}

/// What a cancelled order gives back: its units to the shelf, and its festival deal units to
/// the deals and to its buyer's limits.
pub(crate) async fn put_back(
    market: &Market,
    o: &OrderRecord,
    t: &mut Transition,
) -> Result<(), MarketError> {
    let lines = market
        .store
        .order_lines(std::slice::from_ref(&o.id))
        .await?;
    for l in lines {
        if let Some(deal) = l.deal_id {
            t.unclaim.push((deal, o.buyer_id.clone(), l.quantity));
        }
        t.restock.push((l.variant_id, l.quantity));
    }
    Ok(())
}

/// The payment postings of one order: the buyer's money into escrow in the store's currency,
/// and the platform's for the discounts it funds.
pub(crate) fn payment_ledger(o: &OrderRecord) -> Result<LedgerTx, MarketError> {
    let c = Currency::parse(&o.currency)?;
    let presentment = Money::new(
        o.presentment_total_minor,
        Currency::parse(&o.presentment_currency)?,
    );
    let paid = Money::new(o.total_minor - o.platform_discount_minor, c);
    let mut postings = ledger::payment(presentment, paid);
    if o.platform_discount_minor > 0 {
        postings.extend(ledger::promotion(Money::new(o.platform_discount_minor, c)));
    }
    Ok(ltx("payment", &o.id, postings))
}

/// The outbox payload of `order.placed`: the order's, and the buyer's country (the live
/// festival screen counts orders per country from it).
pub(crate) fn placed_payload(o: &OrderRecord, country: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&event_payload(o)).unwrap_or_default();
    v["country"] = serde_json::Value::from(country);
    v.to_string()
}

/// The outbox payload of an order event.
pub(crate) fn event_payload(o: &OrderRecord) -> String {
    serde_json::json!({
        "order_id": o.id, "group_id": o.group_id, "merchant_id": o.merchant_id, "buyer_id": o.buyer_id,
        "status": o.status, "total_minor": o.total_minor, "currency": o.currency,
        "presentment_total_minor": o.presentment_total_minor, "presentment_currency": o.presentment_currency,
    })
    .to_string()
}
