//! Buyer protection: the buyer opens a dispute, the store answers, an operator decides.

use super::lifecycle::{event, next, refund_effects, release_effects, set_time, transition};
use super::read::Viewer;
use crate::accounts::Actor;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::id::{DisputeId, TypedId};
use caravan_domain::order::{OrderEvent, OrderStatus};
use caravan_domain::rfc3339;
use caravan_store::checkout::OrderRecord;
use caravan_store::orders::{DisputeRecord, Effects, TransitionValue};
use serde::{Deserialize, Serialize};

/// Opening a dispute.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDispute {
    /// What went wrong.
    pub reason: String,
}

/// The store's answer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeAnswer {
    /// The store's side.
    pub answer: String,
}

/// An operator's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeDecision {
    /// `refund` (all, or `amount_minor`, the rest released) or `release` (to the store).
    pub outcome: String,
    /// For a partial refund, minor units of the store's currency.
    pub amount_minor: Option<i64>,
}

/// A dispute.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisputeView {
    /// `dsp_…`.
    pub id: String,
    /// `ord_…`.
    pub order_id: String,
    /// open, answered or resolved.
    pub status: String,
    /// The buyer's reason.
    pub reason: String,
    /// The store's answer.
    pub merchant_answer: Option<String>,
    /// refund or release, once resolved.
    pub resolution: Option<String>,
    /// Refunded by the decision.
    pub refund_minor: Option<i64>,
    /// RFC 3339.
    pub opened_at: String,
}

fn view(d: DisputeRecord) -> DisputeView {
    DisputeView {
        id: d.id,
        order_id: d.order_id,
        status: d.status,
        reason: d.reason,
        merchant_answer: d.merchant_answer,
        resolution: d.resolution,
        refund_minor: d.refund_minor,
        opened_at: rfc3339(d.opened_at),
    }
}

impl Market {
    /// The buyer opens a dispute on a shipped order, or a delivered one within the protection
    /// window. It stops the order completing by itself.
    pub async fn open_dispute(
        &self,
        actor: &Actor,
        id: &str,
        d: NewDispute,
    ) -> Result<DisputeView, MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer != Viewer::Buyer {
            return Err(MarketError::new(
                Code::Forbidden,
                "only the buyer opens a dispute",
            ));
        }
        let reason = clean_name(&d.reason, 2000, Code::InvalidReason, "a reason")?;
        let now = self.now();
        let open = match OrderStatus::parse(&o.status)? {
            OrderStatus::Shipped => true,
            OrderStatus::Delivered => o
                .delivered_at
                .is_some_and(|t| now <= t + self.config.protection_window_ms),
            _ => false,
        };
        if !open {
            return Err(MarketError::new(Code::ProtectionExpired, "disputes are opened on shipped orders, or within the protection window after delivery"));
        }
        if self.store.dispute_of(&o.id).await?.is_some() {
            return Err(MarketError::new(
                Code::DisputeExists,
                "this order already has a dispute",
            ));
        }
        let record = DisputeRecord {
            id: DisputeId::generate().to_string(),
            order_id: o.id.clone(),
            buyer_id: o.buyer_id.clone(),
            merchant_id: o.merchant_id.clone(),
            reason,
            status: "open".into(),
            merchant_answer: None,
            resolution: None,
            refund_minor: None,
            opened_at: now,
            answered_at: None,
            resolved_at: None,
        };
        let mut t = transition(
            &o,
            OrderStatus::parse(&o.status)?,
            Some("dispute opened".into()),
        );
        t.set.clear();
        let effects = Effects {
            new_dispute: Some(record.clone()),
            events: vec![event(&o, "order.disputed", OrderStatus::parse(&o.status)?)],
            ..Effects::default()
        };
        self.commit(t, effects).await.map_err(|e| {
            if e.code == Code::Conflict {
                MarketError::new(Code::DisputeExists, "this order already has a dispute")
            } else {
                e
            }
        })?;
        Ok(view(record))
    }

    /// The dispute on an order, for its buyer, its store or an operator.
    pub async fn dispute(&self, actor: &Actor, id: &str) -> Result<DisputeView, MarketError> {
        let (o, _) = self.visible_order(actor, id).await?;
        Ok(view(
            self.store
                .dispute_of(&o.id)
                .await?
                .ok_or_else(|| MarketError::not_found("dispute"))?,
        ))
    }

    /// The store answers an open dispute.
    pub async fn answer_dispute(
        &self,
        actor: &Actor,
        id: &str,
        a: DisputeAnswer,
    ) -> Result<DisputeView, MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        if viewer != Viewer::Merchant {
            return Err(MarketError::new(Code::Forbidden, "only the store answers"));
        }
        let mut d = self
            .store
            .dispute_of(&o.id)
            .await?
            .ok_or_else(|| MarketError::not_found("dispute"))?;
        if d.status != "open" {
            return Err(MarketError::new(
                Code::InvalidTransition,
                format!("the dispute is {}", d.status),
            ));
        }
        d.merchant_answer = Some(clean_name(
            &a.answer,
            2000,
            Code::InvalidReason,
            "an answer",
        )?);
        d.status = "answered".into();
        d.answered_at = Some(self.now());
        let t = transition(
            &o,
            OrderStatus::parse(&o.status)?,
            Some("dispute answered".into()),
        );
        self.commit(
            t,
            Effects {
                dispute_update: Some((d.clone(), "open".into())),
                ..Effects::default()
            },
        )
        .await?;
        Ok(view(d))
    }

    /// Open disputes, oldest first (operators).
    pub async fn open_disputes(&self, actor: &Actor) -> Result<Vec<DisputeView>, MarketError> {
        actor.require(Role::Operator)?;
        let mut all = self.store.disputes("open", 200).await?;
        all.extend(self.store.disputes("answered", 200).await?);
        all.sort_by_key(|d| d.opened_at);
        Ok(all.into_iter().map(view).collect())
    }

    /// An operator decides: refund (all or part; any rest goes to the store) or release.
    pub async fn decide_dispute(
        &self,
        actor: &Actor,
        id: &str,
        d: DisputeDecision,
    ) -> Result<DisputeView, MarketError> {
        actor.require(Role::Operator)?;
        let (o, _) = self.visible_order(actor, id).await?;
        let mut dispute = self
            .store
            .dispute_of(&o.id)
            .await?
            .ok_or_else(|| MarketError::not_found("dispute"))?;
        if dispute.status == "resolved" {
            return Err(MarketError::new(
                Code::InvalidTransition,
                "the dispute is resolved",
            ));
        }
        let from = dispute.status.clone();
        let now = self.now();
        let (refund, status) = outcome(&o, &d)?;
        let mut t = transition(&o, status, Some(format!("dispute decided: {}", d.outcome)));
        let mut effects = Effects::default();
        let mut after = o.clone();
        if refund > 0 {
            let (ledger, commissions) = refund_effects(self, &o, refund, true).await?;
            effects.ledger.push(ledger);
            effects.commissions = commissions;
            after.refunded_minor += refund;
            t.set
                .push(("refunded_minor", TransitionValue::Int(after.refunded_minor)));
        }
        if status == OrderStatus::Completed {
            let (ledger, commissions) = release_effects(&after)?;
            effects.ledger.push(ledger);
            effects.commissions.extend(commissions);
            set_time(&mut t, "completed_at", now);
            effects
                .events
                .push(event(&after, "order.completed", status));
        } else {
            effects.events.push(event(&after, "order.refunded", status));
        }
        dispute.status = "resolved".into();
        dispute.resolution = Some(d.outcome.clone());
        dispute.refund_minor = Some(refund);
        dispute.resolved_at = Some(now);
        effects.dispute_update = Some((dispute.clone(), from));
        self.commit(t, effects).await?;
        if refund > 0 {
            self.provider_refund(&o, refund).await?;
        }
        Ok(view(dispute))
    }
}

/// What a decision does to the order: how much it refunds, and the order's next status.
fn outcome(o: &OrderRecord, d: &DisputeDecision) -> Result<(i64, OrderStatus), MarketError> {
    let left = o.total_minor - o.refunded_minor;
    Ok(match d.outcome.as_str() {
        "release" => (0, next(o, OrderEvent::Complete)?),
        "refund" => {
            let amount = d.amount_minor.unwrap_or(left);
            if amount <= 0 || amount > left {
                return Err(MarketError::new(
                    Code::InvalidAmount,
                    format!("a refund is 1 to {left} minor units"),
                ));
            }
            let to = if amount == left {
                next(o, OrderEvent::RefundAll)?
            } else {
                next(o, OrderEvent::Complete)?
            };
            (amount, to)
        }
        other => {
            return Err(MarketError::new(
                Code::InvalidOutcome,
                format!("unknown outcome {other:?}; use refund or release"),
            ))
        }
    })
}
