//! Moving an order along: ship, deliver, confirm receipt, cancel, refund.

use super::lifecycle::{
    event, next, put_back, refund_effects, release_effects, set_time, transition,
    unpaid_cancel_effects,
};
use super::read::Viewer;
use super::views::OrderView;
use crate::accounts::Actor;
use crate::idempotency::{Claim, IdempotencyKey, Replayable};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::clean_name;
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_domain::{Currency, Money};
use caravan_store::orders::{Effects, TransitionValue};
use serde::Deserialize;

/// Handing a parcel to a carrier.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipInput {
    /// Carrier name.
    pub carrier: String,
    /// Tracking number.
    pub tracking_number: String,
}

/// Why an order is cancelled.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// Reason, kept in the history.
    pub reason: Option<String>,
}

/// A refund (store's currency).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// Minor units to refund; everything not yet refunded if absent.
    pub amount_minor: Option<i64>,
    /// Reason, kept in the history.
    pub reason: Option<String>,
}

fn note(s: Option<&str>) -> Result<Option<String>, MarketError> {
    s.filter(|r| !r.trim().is_empty())
        .map(|r| clean_name(r, 500, Code::InvalidReason, "a reason"))
        .transpose()
        .map_err(Into::into)
}

impl Market {
    /// The store ships a paid order.
    pub async fn ship(
        &self,
        actor: &Actor,
        id: &str,
        s: ShipInput,
    ) -> Result<OrderView, MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer != Viewer::Merchant {
            return Err(MarketError::new(
                Code::Forbidden,
                "only the store ships its orders",
            ));
        }
        let carrier = clean_name(&s.carrier, 60, Code::InvalidTracking, "a carrier")?;
        let tracking = clean_name(
            &s.tracking_number,
            80,
            Code::InvalidTracking,
            "a tracking number",
        )?;
        let to = next(&o, OrderEvent::Ship)?;
        let mut t = transition(&o, to, Some(format!("{carrier} {tracking}")));
        set_time(&mut t, "shipped_at", self.now());
        t.set.push(("carrier", TransitionValue::Text(carrier)));
        t.set
            .push(("tracking_number", TransitionValue::Text(tracking)));
        let effects = Effects {
            events: vec![event(&o, "order.shipped", to)],
            ..Effects::default()
        };
        self.commit(t, effects).await?;
        self.order(actor, id).await
    }

    /// The carrier delivered a shipped order (reported by the store or an operator).
    pub async fn deliver(&self, actor: &Actor, id: &str) -> Result<OrderView, MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer == Viewer::Buyer {
            return Err(MarketError::new(
                Code::Forbidden,
                "the buyer confirms receipt instead",
            ));
        }
        let to = next(&o, OrderEvent::Deliver)?;
        let mut t = transition(&o, to, None);
        set_time(&mut t, "delivered_at", self.now());
        self.commit(
            t,
            Effects {
                events: vec![event(&o, "order.delivered", to)],
                ..Effects::default()
            },
        )
        .await?;
        self.order(actor, id).await
    }

    /// The buyer confirms receipt: the order completes and escrow is released to the store.
    pub async fn confirm_receipt(&self, actor: &Actor, id: &str) -> Result<OrderView, MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer != Viewer::Buyer {
            return Err(MarketError::new(
                Code::Forbidden,
                "only the buyer confirms receipt",
            ));
        }
        if self
            .store
            .dispute_of(&o.id)
            .await?
            .is_some_and(|d| d.status != "resolved")
        {
            return Err(MarketError::new(
                Code::DisputeOpen,
                "an open dispute decides this order",
            ));
        }
        self.complete(&o, Some("confirmed by the buyer".into()))
            .await?;
        self.order(actor, id).await
    }

    pub(crate) async fn complete(
        &self,
        o: &caravan_store::checkout::OrderRecord,
        note: Option<String>,
    ) -> Result<(), MarketError> {
        let to = next(o, OrderEvent::Complete)?;
        let mut t = transition(o, to, note);
        set_time(&mut t, "completed_at", self.now());
        let (release, commissions) = release_effects(o)?;
        let effects = Effects {
            ledger: vec![release],
            events: vec![event(o, "order.completed", to)],
            commissions,
            ..Effects::default()
        };
        self.commit(t, effects).await
    }

    /// Cancels an order before it ships: stock goes back, a paid order is refunded in full.
    pub async fn cancel(
        &self,
        actor: &Actor,
        id: &str,
        c: CancelInput,
    ) -> Result<OrderView, MarketError> {
        let (o, _) = self.visible_order(actor, id).await?;
        let reason = note(c.reason.as_deref())?;
        self.cancel_order(&o, reason).await?;
        self.order(actor, id).await
    }

    pub(crate) async fn cancel_order(
        &self,
        o: &caravan_store::checkout::OrderRecord,
        reason: Option<String>,
    ) -> Result<(), MarketError> {
        let to = next(o, OrderEvent::Cancel)?;
        let was_paid = o.status == OrderStatus::Paid.as_str();
        let mut t = transition(o, to, reason);
        set_time(&mut t, "cancelled_at", self.now());
        put_back(self, o, &mut t).await?;
        let mut effects = Effects {
            events: vec![event(o, "order.cancelled", to)],
            ..Effects::default()
        };
        let left = o.total_minor - o.refunded_minor;
        if was_paid && left > 0 {
            let (refund, commissions) = refund_effects(self, o, left, true).await?;
            effects.ledger.push(refund);
            effects.commissions = commissions;
            t.set
                .push(("refunded_minor", TransitionValue::Int(o.total_minor)));
        } else if !was_paid {
            effects.commissions = unpaid_cancel_effects(o);
        }
        self.commit(t, effects).await?;
        if was_paid && left > 0 {
            self.provider_refund(o, left).await?;
        }
        Ok(())
    }

    /// Gives the buyer their share of a refund of `amount` of `o` (as it was before the refund)
    /// through the provider, in the currency they paid.
    pub(crate) async fn provider_refund(
        &self,
        o: &caravan_store::checkout::OrderRecord,
        amount: i64,
    ) -> Result<(), MarketError> {
        let back = super::lifecycle::refund_shares(o, amount)?.presentment;
        if let Some(p) = self.store.payment_of_group(&o.group_id).await? {
            let currency = Currency::parse(&o.presentment_currency)?;
            self.inner
                .provider
                .refund(&p.provider_ref, Money::new(back, currency))
                .await;
        }
        Ok(())
    }

    /// The store (or an operator) refunds some or all of an order. Before completion the money
    /// comes out of escrow; after, out of the store's balance. Needs an `Idempotency-Key`.
    pub async fn refund(
        &self,
        actor: &Actor,
        id: &str,
        key: &IdempotencyKey,
        body_hash: &str,
        r: RefundInput,
    ) -> Result<Replayable, MarketError> {
        let scope = actor.user_id.to_string();
        let guard = match self.claim(&scope, key, body_hash).await? {
            Claim::Fresh(g) => g,
            Claim::Replay(replay) => return Ok(replay),
        };
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer == Viewer::Buyer {
            return Err(MarketError::new(
                Code::Forbidden,
                "buyers ask for refunds with a dispute",
            ));
        }
        let reason = note(r.reason.as_deref())?;
        let status = OrderStatus::parse(&o.status)?;
        let left = o.total_minor - o.refunded_minor;
        let amount = r.amount_minor.unwrap_or(left);
        if amount <= 0 || amount > left {
            return Err(MarketError::new(
                Code::InvalidAmount,
                format!("a refund is 1 to {left} minor units"),
            ));
        }
        let from_escrow = refunds_from_escrow(status)?;
        let to = if from_escrow && amount == left {
            next(&o, OrderEvent::RefundAll)?
        } else {
            status
        };
        let mut t = transition(&o, to, reason.or_else(|| Some(format!("refund {amount}"))));
        t.set.push((
            "refunded_minor",
            TransitionValue::Int(o.refunded_minor + amount),
        ));
        let mut after = o.clone();
        after.status = to.as_str().to_owned();
        after.refunded_minor += amount;
        after.version += 1;
        let mut view = self.order_detail(&o).await?;
        view.status = after.status.clone();
        view.refunded = crate::catalogue::MoneyView::new(after.refunded_minor, &o.currency);
        let body =
            serde_json::to_string(&view).map_err(|e| MarketError::internal(e.to_string()))?;
        let (refund, commissions) = refund_effects(self, &o, amount, from_escrow).await?;
        let effects = Effects {
            ledger: vec![refund],
            commissions,
            events: vec![event(&after, "order.refunded", to)],
            idempotency: Some(guard.answer(body_hash, 200, &body)),
            ..Effects::default()
        };
        self.commit(t, effects).await?;
        self.provider_refund(&o, amount).await?;
        Ok(Replayable { status: 200, body })
    }
}

/// Whether a refund of an order in `status` comes out of escrow (before completion) or out of
/// the store's balance (after); other orders cannot be refunded.
fn refunds_from_escrow(status: OrderStatus) -> Result<bool, MarketError> {
    match status {
        OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered => Ok(true),
        OrderStatus::Completed => Ok(false),
        _ => Err(MarketError::new(
            Code::InvalidTransition,
            format!("a {} order cannot be refunded", status.as_str()),
        )),
    }
}
