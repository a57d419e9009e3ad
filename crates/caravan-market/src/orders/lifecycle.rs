//! What every order transition is made of: the next status (or 409), the guarded transition,
//! its outbox event, and its ledger postings (payment into escrow with the creator's commission
//! and the cause's pledge set aside, release to the store less the prorated fee and those
//! carves, refunds in both currencies with their shares reversed), in one store transaction.

use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{LedgerTxId, TypedId};
use caravan_domain::ledger;
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_domain::{prorate, Currency, Money};
use caravan_store::checkout::OrderRecord;
use caravan_store::journal::{LedgerTx, NewEvent};
use caravan_store::orders::{CommissionChange, Transition, TransitionValue};
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

/// The creator and the commission frozen at sale, if the order was attributed.
fn creator_of(o: &OrderRecord) -> Option<&str> {
    o.creator_id.as_deref().filter(|_| o.commission_minor > 0)
}

/// The commission still pending on an order (what refunds have not reversed): the frozen
/// commission less its share of what was refunded.
fn commission_left(o: &OrderRecord) -> Result<i64, MarketError> {
    Ok(o.commission_minor - prorate(o.commission_minor, o.refunded_minor, o.total_minor)?)
}

/// The commission's share of refunding `amount` more of an order (the difference of
/// cumulative shares, so the shares of all refunds add up to the whole commission).
fn commission_share(o: &OrderRecord, amount: i64) -> Result<i64, MarketError> {
    let after = o.refunded_minor + amount;
    Ok(prorate(o.commission_minor, after, o.total_minor)?
        - prorate(o.commission_minor, o.refunded_minor, o.total_minor)?)
}

/// The pledge still pending on an order: the frozen pledge less its share of the refunds.
fn pledge_left(o: &OrderRecord) -> Result<i64, MarketError> {
    Ok(o.pledge_minor - prorate(o.pledge_minor, o.refunded_minor, o.total_minor)?)
}

/// The pledge's share of refunding `amount` more of an order (difference of cumulative shares).
fn pledge_share(o: &OrderRecord, amount: i64) -> Result<i64, MarketError> {
    let after = o.refunded_minor + amount;
    Ok(prorate(o.pledge_minor, after, o.total_minor)?
        - prorate(o.pledge_minor, o.refunded_minor, o.total_minor)?)
}

/// The cause an order pledges to, if it pledged anything.
fn cause_of(o: &OrderRecord) -> Option<&str> {
    o.cause_id.as_deref().filter(|_| o.pledge_minor > 0)
}

/// What completing an order writes: what is left in escrow released to the merchant, less the
/// fee on it (the frozen fee prorated to what was not refunded), less the creator's commission
/// (pending to held) and the cause's pledge (pending to confirmed), both set aside at payment.
pub(crate) fn release_effects(
    o: &OrderRecord,
) -> Result<(LedgerTx, Vec<CommissionChange>), MarketError> {
    let c = Currency::parse(&o.currency)?;
    let released = Money::new(o.total_minor - o.refunded_minor, c);
    let fee = prorate(o.fee_minor, released.minor(), o.total_minor)?;
    let mut carves = Vec::new();
    let mut changes = Vec::new();
    if let Some(creator) = creator_of(o) {
        let left = commission_left(o)?;
        carves.push(ledger::Carve {
            pending: ledger::creator_pending(creator),
            to: ledger::creator_held(creator),
            amount: left,
        });
        let to = if left > 0 { "confirmed" } else { "reversed" };
        changes.push(change(o, "pending", to, 0));
    }
    if let Some(cause) = cause_of(o) {
        carves.push(ledger::Carve {
            pending: ledger::charity_pending(cause),
            to: ledger::charity_raised(cause),
            amount: pledge_left(o)?,
        });
    }
    let carved: i64 = carves.iter().map(|k| k.amount).sum();
    assert!(
        (0..=released.minor()).contains(&carved),
        "commission and pledge within the release"
    );
    let fee = fee.min(released.minor() - carved);
    let postings = ledger::release_carved(&o.merchant_id, released, fee, &carves);
    Ok((ltx("release", &o.id, postings), changes))
}

fn change(o: &OrderRecord, from: &str, to: &str, reversed_add: i64) -> CommissionChange {
    CommissionChange {
        order_id: o.id.clone(),
        from: from.to_owned(),
        to: to.to_owned(),
        reversed_add,
    }
}

/// What refunding `amount` of an order writes: the refund's postings, and the creator's
/// commission on that part reversed — back into escrow before completion (it is refunded with
/// the rest), back to the merchant after (from the held commission, or from the creator's
/// balance, which a payout may have emptied: a clawback).
pub(crate) async fn refund_effects(
    market: &Market,
    o: &OrderRecord,
    amount: i64,
    from_escrow: bool,
) -> Result<(LedgerTx, Vec<CommissionChange>), MarketError> {
    let mut tx = refund_ledger(o, amount, from_escrow)?;
    if let Some(cause) = cause_of(o) {
        let share = Money::new(pledge_share(o, amount)?, Currency::parse(&o.currency)?);
        let mut back = if from_escrow {
            ledger::pledge_reverse(cause, share)
        } else {
            ledger::pledge_return(cause, &o.merchant_id, share)
        };
        back.append(&mut tx.postings);
        tx.postings = back;
    }
    let Some(creator) = creator_of(o) else {
        return Ok((tx, Vec::new()));
    };
    let Some(record) = market.store.commission(&o.id).await? else {
        return Err(MarketError::internal(
            "an attributed order without its commission",
        ));
    };
    let share = commission_share(o, amount)?;
    let c = Currency::parse(&o.currency)?;
    let whole = o.refunded_minor + amount == o.total_minor;
    let state = record.state.as_str();
    let to = if whole { "reversed" } else { state };
    if from_escrow {
        let mut postings = ledger::commission_reverse(creator, Money::new(share, c));
        postings.append(&mut tx.postings);
        tx.postings = postings;
    } else {
        let from = match state {
            "confirmed" => ledger::creator_held(creator),
            _ => ledger::creator_available(creator),
        };
        let back = ledger::commission_return(&from, &o.merchant_id, Money::new(share, c));
        tx.postings.extend(back);
    }
    Ok((tx, vec![change(o, state, to, share)]))
}

/// A cancelled order that was never paid: its commission was never set aside; it is reversed.
pub(crate) fn unpaid_cancel_effects(o: &OrderRecord) -> Vec<CommissionChange> {
    match creator_of(o) {
        Some(_) => vec![change(o, "pending", "reversed", o.commission_minor)],
        None => Vec::new(),
    }
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
fn refund_ledger(o: &OrderRecord, amount: i64, from_escrow: bool) -> Result<LedgerTx, MarketError> {
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
    // The creator's commission is set aside from escrow at once (pending until completion).
    if let Some(creator) = creator_of(o) {
        postings.extend(ledger::commission_accrue(
            creator,
            Money::new(o.commission_minor, c),
        ));
    }
    // So is the cause's pledge.
    if let Some(cause) = cause_of(o) {
        postings.extend(ledger::pledge_accrue(cause, Money::new(o.pledge_minor, c)));
    }
    Ok(ltx("payment", &o.id, ledger::merged(postings)))
}

/// The postings of a buyer's donation: their money, in their currency, to the cause.
pub(crate) fn donation_ledger(
    d: &caravan_store::checkout::DonationRecord,
) -> Result<LedgerTx, MarketError> {
    let amount = Money::new(d.amount_minor, Currency::parse(&d.currency)?);
    Ok(ltx(
        "donation",
        &d.group_id,
        ledger::donation(&d.cause_id, amount),
    ))
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
