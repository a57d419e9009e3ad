//! Checkout: one request, one order per merchant, all or nothing. The request is checked
//! (`basket`), priced and turned into records (`records`) with reads only and concurrently, the
//! payment authorized, then the placement goes to the order writer (`writer`), which commits it
//! with others in one transaction. Whatever keeps a placement from being written gives its
//! authorization back.

mod basket;
mod records;
pub(crate) mod writer;

pub(crate) use basket::check_address;
pub(crate) use records::{event_payload, payment_ledger};

use crate::accounts::Actor;
use crate::carts::LineInput;
use crate::catalogue::MoneyView;
use crate::idempotency::{key_in_use, key_reused, IdempotencyKey, Replayable};
use crate::orders::OrderView;
use crate::{Code, Market, MarketError};
use caravan_domain::{Currency, Locale, Money};
use caravan_store::checkout::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the parcels go.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Recipient.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// More.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Alpha-2 country; shipping is priced to it.
    pub country: String,
    /// Phone for the carrier.
    pub phone: Option<String>,
}

/// A checkout: a cart, or items bought at once ("buy now"). Prices and totals are always
/// computed on the server.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutRequest {
    /// `crt_…` (the caller's cart). Give this or `items`.
    pub cart_id: Option<String>,
    /// Items to buy without a cart.
    pub items: Option<Vec<LineInput>>,
    /// Currency to pay in; the cart's, else EUR.
    pub currency: Option<String>,
    /// Shipping method per store (`mer_…` → economy|standard|express); the cheapest if absent.
    #[serde(default)]
    pub shipping: BTreeMap<String, String>,
    /// Delivery address.
    pub address: Address,
    /// Sandbox: `pm_sandbox_success`, `pm_sandbox_delayed` or `pm_sandbox_decline`.
    pub payment_method: String,
}

/// The payment of a checkout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    /// `pay_…`.
    pub id: String,
    /// The provider's reference (webhooks name it).
    pub provider_ref: String,
    /// captured or authorized.
    pub status: String,
    /// Amount in the buyer's currency.
    pub amount: MoneyView,
}

/// A placed checkout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckoutView {
    /// `grp_…`.
    pub group_id: String,
    /// paid, or awaiting_payment when the payment confirms later.
    pub status: String,
    /// Everything, in the buyer's currency.
    pub total: MoneyView,
    /// The payment.
    pub payment: PaymentView,
    /// One order per store.
    pub orders: Vec<OrderView>,
}

impl Market {
    pub(crate) fn writer(&self) -> &writer::OrderWriter {
        self.inner.writer.get_or_init(|| {
            writer::OrderWriter::start(
                self.store.clone(),
                self.config.writer_queue,
                self.config.writer_batch,
            )
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
        let outcome = self.writer().submit(placement).await;
        if !matches!(outcome, Ok(Outcome::Placed)) {
            // Nothing was written for this authorization: give it back.
            self.give_back(
                &payment.provider_ref,
                &payment.status,
                payment.amount_minor,
                &payment.currency,
            )
            .await?;
        }
        match outcome? {
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
        }
    }

    /// Releases an authorization nothing was written for: a captured payment is refunded, an
    /// authorized one voided.
    async fn give_back(
        &self,
        provider_ref: &str,
        status: &str,
        amount_minor: i64,
        currency: &str,
    ) -> Result<(), MarketError> {
        let provider = &self.inner.provider;
        if status == "captured" {
            let amount = Money::new(amount_minor, Currency::parse(currency)?);
            provider.refund(provider_ref, amount).await;
        } else {
            provider.void(provider_ref).await;
        }
        Ok(())
    }
}
