//! Checkout: one request, one order per merchant, all or nothing. The request is checked
//! (`basket`), priced and turned into records (`records`) with reads only and concurrently, the
//! payment authorized, then the placement goes to the order writer (`writer`), which commits it
//! with others in one transaction. Whatever keeps a placement from being written gives its
//! authorization back.

mod basket;
mod records;
mod request;
pub(crate) mod writer;

pub(crate) use basket::check_address;
pub use request::{Address, CheckoutRequest, CheckoutView, DonationInput, PaymentView, Referral};

use crate::accounts::Actor;
use crate::idempotency::{key_in_use, key_reused, IdempotencyKey, Replayable};
use crate::{Code, Market, MarketError};
use caravan_domain::{Currency, Locale, Money};
use caravan_store::checkout::{Outcome, PaymentRecord, Placement};
use std::sync::Arc;
use writer::Failure;

/// What a node remembers of a placement once the writer has answered it.
#[derive(Debug, Clone)]
pub struct Written {
    buyer: String,
    through_post: Option<String>,
    deal_units: Vec<(String, i64)>,
}

impl Written {
    /// Taken from the placement before it goes to the writer.
    pub fn of(p: &Placement) -> Self {
        Self {
            buyer: p.group.buyer_id.clone(),
            through_post: p
                .commissions
                .iter()
                .find(|c| c.source == "post")
                .map(|c| c.reference.clone()),
            deal_units: p
                .lines
                .iter()
                .filter_map(|l| l.deal_id.clone().map(|d| (d, l.quantity)))
                .collect(),
        }
    }
}

impl Market {
    pub(crate) fn writer(&self) -> &Arc<writer::OrderWriter> {
        self.inner.writer.get_or_init(|| {
            Arc::new(writer::OrderWriter::start(
                self.store.clone(),
                self.config.writer_queue,
                self.config.writer_batch,
            ))
        })
    }

    /// Places a checkout. `body_hash` identifies the request body for idempotency.
    pub async fn checkout(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        body_hash: &str,
        req: CheckoutRequest,
        locale: Locale,
    ) -> Result<Replayable, MarketError> {
        let scope = actor.user_id.to_string();
        // No read before the work: the writer looks up the whole batch's keys in its transaction
        // and answers a repeat with the stored response (docs/decisions/0004). A repeat therefore
        // prepares and authorizes again, and that new authorization is given back below.
        let guard = self.hold(&scope, key)?;
        let placement = match self.prepare(actor, &guard, body_hash, req, locale).await {
            Ok(p) => p,
            // A repeat of a checkout that took the last units, or of a product unpublished
            // since, must still get its first answer.
            Err(e) => return self.stored_answer(&scope, key, body_hash).await?.ok_or(e),
        };
        let response = placement.answer.response.clone();
        let payment = placement.payment.clone();
        let after = Written::of(&placement);
        let outcome = self.writer().submit(placement).await;
        if let Ok(o) = &outcome {
            self.written(&after, o);
        }
        // Kept only when its order was written (or may have been: a batch that could not be
        // made durable); any other outcome gives the authorization back at once.
        if !matches!(outcome, Ok(Outcome::Placed) | Err(Failure::Uncertain(_))) {
            self.give_back(&payment).await?;
        }
        self.answer(outcome, response)
    }

    /// What this node remembers of a placement the writer answered: a deal's units count
    /// against the buyer's limit at once (or, refused over it, their claims are read afresh);
    /// a post's sale counts in the feed's "most bought" at the next flush.
    pub fn written(&self, placement: &Written, outcome: &Outcome) {
        match outcome {
            Outcome::Placed => {
                if let Some(post) = &placement.through_post {
                    self.inner.post_orders.count(post);
                }
                self.claimed(&placement.buyer, &placement.deal_units);
            }
            Outcome::DealLimit(_) => self.forget_claims(&placement.buyer),
            _ => {}
        }
    }

    /// What the buyer is told of the writer's outcome.
    fn answer(
        &self,
        outcome: Result<Outcome, Failure>,
        response: String,
    ) -> Result<Replayable, MarketError> {
        match outcome.map_err(Failure::into_error)? {
            Outcome::Placed => Ok(Replayable {
                status: 201,
                body: response,
            }),
            Outcome::Replay(status, body) => Ok(Replayable {
                status: u16::try_from(status).unwrap_or(200),
                body,
            }),
            Outcome::KeyReused => Err(key_reused()),
            Outcome::InFlight => Err(key_in_use()),
            Outcome::SoldOut(variant) => {
                // The cached figure was too high: read it again, so the next buyers are told
                // at once.
                self.inner.cache.forget_variant(&variant);
                Err(MarketError::new(
                    Code::OutOfStock,
                    format!("{variant} sold out"),
                ))
            }
            Outcome::DealSoldOut(deal) => {
                // Told once, stop offering it: the next buyers are priced without it.
                self.deal_sold_out(&deal);
                Err(MarketError::new(
                    Code::DealSoldOut,
                    format!("deal {deal} sold out; check out again at the normal price"),
                ))
            }
            Outcome::DealLimit(deal) => Err(MarketError::new(
                Code::DealLimitReached,
                format!("you have reached the per-buyer limit of deal {deal}"),
            )),
            Outcome::CouponExhausted(c) => Err(MarketError::new(
                Code::CouponExhausted,
                format!("coupon {c} has no budget left; check out without it"),
            )),
            Outcome::CouponLimit(c) => Err(MarketError::new(
                Code::CouponLimitReached,
                format!("you have used coupon {c} as often as it allows"),
            )),
            Outcome::CouponNotCollected(c) => Err(MarketError::new(
                Code::CouponNotCollected,
                format!("collect coupon {c} before you use it"),
            )),
            Outcome::Unwritable(why) => Err(MarketError::new(
                Code::OrderNotWritable,
                format!("this order could not be recorded and nothing was charged ({why})"),
            )),
        }
    }

    /// Everything a checkout would write, prepared (priced, its payment authorized) but not
    /// written: what the order writer's benchmark feeds the store with.
    pub async fn prepare_checkout(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        body_hash: &str,
        req: CheckoutRequest,
        locale: Locale,
    ) -> Result<Placement, MarketError> {
        let guard = self.hold(&actor.user_id.to_string(), key)?;
        self.prepare(actor, &guard, body_hash, req, locale).await
    }

    /// Releases an authorization nothing was written for: a captured payment is refunded, an
    /// authorized one voided.
    async fn give_back(&self, payment: &PaymentRecord) -> Result<(), MarketError> {
        let provider = &self.inner.provider;
        if payment.status == "captured" {
            let currency = Currency::parse(&payment.currency)?;
            let amount = Money::new(payment.amount_minor, currency);
            provider.refund(&payment.provider_ref, amount).await;
        } else {
            provider.void(&payment.provider_ref).await;
        }
        Ok(())
    }
}
