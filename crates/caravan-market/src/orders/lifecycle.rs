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

/// The postings of refunding `amount` (store's currency) of an order. The buyer-currency amount
/// is the difference of the cumulative prorated amounts, so partial refunds never go negative
/// and a full refund returns exactly what the buyer paid.
pub(crate) fn refund_ledger(
    o: &OrderRecord,
    amount: i64,
    from_escrow: bool,
) -> Result<LedgerTx, MarketError> {
    let c = Currency::parse(&o.currency)?;
    let pc = Currency::parse(&o.presentment_currency)?;
    let paid = o.presentment_total_minor;
    let refunded_after = o
        .refunded_minor
        .checked_add(amount)
        .ok_or_else(|| MarketError::new(Code::AmountOutOfRange, "the refund overflows"))?;
    let presentment = prorate(paid, refunded_after, o.total_minor)?
        - prorate(paid, o.refunded_minor, o.total_minor)?;
    let from = if from_escrow {
        ledger::ESCROW.to_owned()
    } else {
        ledger::merchant_payable(&o.merchant_id)
    };
    Ok(ltx(
        "refund",
        &o.id,
        ledger::refund(&from, Money::new(amount, c), Money::new(presentment, pc)),
    ))
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

/// The payment postings of one order: the buyer's money into escrow in the store's currency.
pub(crate) fn payment_ledger(o: &OrderRecord) -> Result<LedgerTx, MarketError> {
    let presentment = Money::new(
        o.presentment_total_minor,
        Currency::parse(&o.presentment_currency)?,
    );
    let settlement = Money::new(o.total_minor, Currency::parse(&o.currency)?);
    Ok(LedgerTx {
        id: LedgerTxId::generate().to_string(),
        kind: "payment".into(),
        reference: o.id.clone(),
        postings: ledger::payment(presentment, settlement),
    })
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
