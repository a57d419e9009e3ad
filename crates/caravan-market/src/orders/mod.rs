//! Orders after checkout: who may see them, their lifecycle (ship, deliver, confirm, cancel,
//! refund), disputes, the provider webhook and the timers. Every change is one guarded store
//! transaction with its ledger postings, stock returns and outbox events.

mod actions;
mod disputes;
mod jobs;
mod views;

pub use actions::{CancelInput, RefundInput, ShipInput};
pub use disputes::{DisputeAnswer, DisputeDecision, DisputeView, NewDispute};
pub use jobs::TimerReport;
pub(crate) use views::order_view;
pub use views::{HistoryView, OrderLineView, OrderView};

use crate::accounts::Actor;
use crate::checkout::event_payload;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::id::{LedgerTxId, OrderId, TypedId};
use caravan_domain::ledger;
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_domain::{prorate, Currency, Money};
use caravan_store::checkout::OrderRecord;
use caravan_store::journal::{LedgerTx, NewEvent};
use caravan_store::orders::{Transition, TransitionValue};
use caravan_store::StoreError;

/// Who is looking at an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Its buyer.
    Buyer,
    /// Its store.
    Merchant,
    /// An operator.
    Operator,
}

impl Market {
    /// The order if `actor` may see it (its buyer, its store, an operator); otherwise `not_found`.
    pub(crate) async fn visible_order(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(OrderRecord, Viewer), MarketError> {
        let id = OrderId::parse(id)?;
        let o = self
            .store
            .order(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("order"))?;
        if o.buyer_id == actor.user_id.as_str() {
            return Ok((o, Viewer::Buyer));
        }
        if actor.roles.contains(&Role::Merchant) {
            if let Some(m) = self.store.merchant_of_user(actor.user_id.as_str()).await? {
                if m.id == o.merchant_id {
                    return Ok((o, Viewer::Merchant));
                }
            }
        }
        if actor.roles.contains(&Role::Operator) {
            return Ok((o, Viewer::Operator));
        }
        Err(MarketError::not_found("order"))
    }

    /// One order with its lines and history.
    pub async fn order(&self, actor: &Actor, id: &str) -> Result<OrderView, MarketError> {
        Ok(self.order_seen_by(actor, id).await?.0)
    }

    /// One order with its lines and history, and who `actor` is to it.
    pub async fn order_seen_by(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(OrderView, Viewer), MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        Ok((self.order_detail(&o).await?, viewer))
    }

    pub(crate) async fn order_detail(&self, o: &OrderRecord) -> Result<OrderView, MarketError> {
        let lines = self.store.order_lines(std::slice::from_ref(&o.id)).await?;
        let history = views::history_views(self.store.order_history(&o.id).await?);
        Ok(order_view(o, &lines, history))
    }

    /// The caller's orders as a buyer, newest first.
    pub async fn my_orders(&self, actor: &Actor) -> Result<Vec<OrderView>, MarketError> {
        let orders = self
            .store
            .orders_by("buyer_id", actor.user_id.as_str(), 200)
            .await?;
        self.order_list(orders).await
    }

    /// The acting merchant's orders, newest first, optionally in one status.
    pub async fn store_orders(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<OrderView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let status = status.map(OrderStatus::parse).transpose()?;
        let orders = self.store.orders_by("merchant_id", &m.id, 500).await?;
        let orders = orders
            .into_iter()
            .filter(|o| status.is_none_or(|s| o.status == s.as_str()))
            .collect();
        self.order_list(orders).await
    }

    async fn order_list(&self, orders: Vec<OrderRecord>) -> Result<Vec<OrderView>, MarketError> {
        let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
        let lines = self.store.order_lines(&ids).await?;
        Ok(orders
            .iter()
            .map(|o| order_view(o, &lines, Vec::new()))
            .collect())
    }

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

/// Units of each SKU to put back on the shelf when an order is cancelled.
pub(crate) async fn restock(
    market: &Market,
    o: &OrderRecord,
) -> Result<Vec<(String, i64)>, MarketError> {
    let lines = market
        .store
        .order_lines(std::slice::from_ref(&o.id))
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect())
}
