//! What happens without a user: the payment provider's webhook, and the timers (unpaid orders
//! cancelled, delivered orders completed, old idempotency records forgotten).

use super::lifecycle::{
    donation_ledger, event, next, payment_ledger, put_back, set_time, transition,
    unpaid_cancel_effects,
};
use crate::payments::{verify, SignatureError, WebhookEvent};
use crate::Code;
use crate::{Market, MarketError, DAY_MS};
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_store::orders::Effects;
use caravan_store::StoreError;

/// What one run of the timers did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TimerReport {
    /// Unpaid orders cancelled.
    pub cancelled: usize,
    /// Creator commissions whose hold ended.
    pub commissions_available: usize,
    /// Delivered orders completed.
    pub completed: usize,
}

impl Market {
    /// `invalid_signature` unless `body` carries the provider's signature from the last five
    /// minutes.
    fn check_signature(&self, signature: Option<&str>, body: &[u8]) -> Result<(), MarketError> {
        let now_s = self.now() / 1000;
        let secret = self.inner.provider.webhook_secret();
        verify(secret, signature.unwrap_or_default(), body, now_s).map_err(|e| {
            let message = match e {
                SignatureError::Malformed => "missing or malformed Caravan-Signature",
                SignatureError::Expired => {
                    "the signature timestamp is outside the five-minute tolerance"
                }
                SignatureError::Mismatch => "the signature does not match",
            };
            MarketError::new(Code::InvalidSignature, message)
        })
    }

    /// Handles a signed provider event. Repeats of an event id are acknowledged and ignored.
    /// Returns whether the event changed anything.
    pub async fn payment_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<bool, MarketError> {
        self.check_signature(signature, body)?;
        let ev: WebhookEvent = serde_json::from_slice(body)
            .map_err(|e| MarketError::new(Code::MalformedJson, e.to_string()))?;
        let payment = self
            .store
            .payment(&ev.payment_ref)
            .await?
            .ok_or_else(|| MarketError::not_found("payment"))?;
        let orders = self
            .store
            .orders_by("group_id", &payment.group_id, 1000)
            .await?;
        let mut transitions = Vec::new();
        let mut effects = Effects {
            webhook_event: Some((ev.id.clone(), ev.kind.clone())),
            ..Effects::default()
        };
        let now = self.now();
        match (ev.kind.as_str(), payment.status.as_str()) {
            ("payment.captured", "authorized") => {
                capture(&orders, now, &mut transitions, &mut effects)?;
                effects.payment_status = Some((payment.id.clone(), "captured".into()));
                // The buyer's donation goes with the captured orders.
                if !transitions.is_empty() {
                    self.settle_donation(&payment.group_id, true, &mut effects)
                        .await?;
                }
            }
            ("payment.failed", "authorized") => {
                for o in orders
                    .iter()
                    .filter(|o| o.status == OrderStatus::AwaitingPayment.as_str())
                {
                    let to = next(o, OrderEvent::Cancel)?;
                    let mut t = transition(o, to, Some("payment failed".into()));
                    set_time(&mut t, "cancelled_at", now);
                    put_back(self, o, &mut t).await?;
                    transitions.push(t);
                    effects.events.push(event(o, "order.cancelled", to));
                    effects.commissions.extend(unpaid_cancel_effects(o));
                }
                effects.payment_status = Some((payment.id.clone(), "failed".into()));
                self.settle_donation(&payment.group_id, false, &mut effects)
                    .await?;
            }
            ("payment.captured" | "payment.failed", _) => {}
            (other, _) => {
                return Err(MarketError::new(
                    Code::UnknownEvent,
                    format!("unknown event type {other:?}"),
                ))
            }
        }
        match self.store.apply(&transitions, &effects, now).await {
            Ok(()) => Ok(!transitions.is_empty() || effects.payment_status.is_some()),
            // The same event id again: already handled.
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// A checkout's pending donation paid (posted to its cause) or cancelled with its payment.
    async fn settle_donation(
        &self,
        group: &str,
        captured: bool,
        effects: &mut Effects,
    ) -> Result<(), MarketError> {
        let Some(d) = self.store.donation(group).await? else {
            return Ok(());
        };
        if d.state != "pending" {
            return Ok(());
        }
        let to = if captured {
            effects.ledger.push(donation_ledger(&d)?);
            "paid"
        } else {
            "cancelled"
        };
        effects.donation = Some((d.group_id, "pending".into(), to.into()));
        Ok(())
    }

    /// Runs the timers once: cancels orders unpaid past the timeout (stock returned) and
    /// completes delivered orders whose protection period has ended without a dispute.
    pub async fn run_timers(&self) -> Result<TimerReport, MarketError> {
        let now = self.now();
        let mut report = TimerReport::default();
        let unpaid = self
            .store
            .orders_due(
                "awaiting_payment",
                "placed_at",
                now - self.config.unpaid_timeout_ms,
                500,
            )
            .await?;
        for o in unpaid {
            match self.cancel_unpaid(&o).await {
                Ok(()) => report.cancelled += 1,
                Err(e) if e.code == Code::Stale || e.code == Code::InvalidTransition => {}
                Err(e) => return Err(e),
            }
        }
        let delivered = self
            .store
            .orders_due(
                "delivered",
                "delivered_at",
                now - self.config.auto_complete_ms,
                500,
            )
            .await?;
        for o in delivered {
            if self
                .store
                .dispute_of(&o.id)
                .await?
                .is_some_and(|d| d.status != "resolved")
            {
                continue;
            }
            match self
                .complete(&o, Some("protection period ended".into()))
                .await
            {
                Ok(()) => report.completed += 1,
                Err(e) if e.code == Code::Stale || e.code == Code::InvalidTransition => {}
                Err(e) => return Err(e),
            }
        }
        report.commissions_available = self.release_held_commissions().await?;
        // Tiers move slowly: recompute them once a minute at most.
        let last = self
            .inner
            .connect
            .tiers_at
            .load(std::sync::atomic::Ordering::Relaxed);
        if now - last >= 60_000 || now < last {
            self.refresh_tiers().await?;
            self.inner
                .connect
                .tiers_at
                .store(now, std::sync::atomic::Ordering::Relaxed);
        }
        // Idempotency answers are kept at least 24 hours; forget them after two days.
        self.store.expire_idempotency(now - 2 * DAY_MS).await?;
        Ok(report)
    }

    async fn cancel_unpaid(
        &self,
        o: &caravan_store::checkout::OrderRecord,
    ) -> Result<(), MarketError> {
        let to = next(o, OrderEvent::Cancel)?;
        let mut t = transition(o, to, Some("unpaid: payment timed out".into()));
        set_time(&mut t, "cancelled_at", self.now());
        put_back(self, o, &mut t).await?;
        self.commit(
            t,
            Effects {
                events: vec![event(o, "order.cancelled", to)],
                commissions: unpaid_cancel_effects(o),
                ..Effects::default()
            },
        )
        .await
    }
}

/// The captured payment's orders still awaiting it, paid: their transitions, payment postings
/// and events.
fn capture(
    orders: &[caravan_store::checkout::OrderRecord],
    now: i64,
    transitions: &mut Vec<caravan_store::orders::Transition>,
    effects: &mut Effects,
) -> Result<(), MarketError> {
    for o in orders
        .iter()
        .filter(|o| o.status == OrderStatus::AwaitingPayment.as_str())
    {
        let to = next(o, OrderEvent::Pay)?;
        let mut t = transition(o, to, Some("payment captured".into()));
        set_time(&mut t, "paid_at", now);
        transitions.push(t);
        effects.ledger.push(payment_ledger(o)?);
        effects.events.push(event(o, "order.paid", to));
    }
    Ok(())
}
