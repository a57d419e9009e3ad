//! Checkout: one request, one order per merchant, all or nothing. The request is validated and
//! priced here (reads only, concurrently), the payment authorized, then the placement goes to the
//! order writer, which commits it with others in one transaction.

pub(crate) mod writer;

use crate::accounts::Actor;
use crate::carts::{CartAccess, LineInput, MAX_LINES, MAX_QUANTITY};
use crate::catalogue::MoneyView;
use crate::orders::{order_view, OrderView};
use crate::payments::Authorization;
use crate::{ErrorKind, Market, MarketError};
use caravan_domain::account::clean_name;
use caravan_domain::id::{GroupId, LedgerTxId, OrderId, PaymentId, TypedId, VariantId};
use caravan_domain::ledger;
use caravan_domain::order::OrderStatus;
use caravan_domain::shipping::ShippingMethod;
use caravan_domain::{Country, Currency, Locale, Money};
use caravan_store::checkout::{
    GroupRecord, LineRecord, OrderRecord, Outcome, PaymentRecord, Placement,
};
use caravan_store::journal::{LedgerTx, NewEvent};
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

/// Checks an address (required parts 1 to 200 characters, no control characters; phone at most
/// 40) and returns its country.
pub(crate) fn check_address(a: &Address) -> Result<Country, MarketError> {
    let country = Country::parse(&a.country)?;
    for (v, what) in [
        (&a.name, "a name"),
        (&a.line1, "an address line"),
        (&a.city, "a city"),
        (&a.postal_code, "a postal code"),
    ] {
        clean_name(v, 200, "invalid_address", what)?;
    }
    if let Some(l) = a.line2.as_deref().filter(|l| !l.trim().is_empty()) {
        clean_name(l, 200, "invalid_address", "a second address line")?;
    }
    if let Some(p) = a.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        clean_name(p, 40, "invalid_address", "a phone number")?;
    }
    Ok(country)
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

/// An answer that may be replayed for the same idempotency key.
#[derive(Debug, Clone)]
pub struct Replayable {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

/// Releases an in-flight idempotency key when the request ends, however it ends.
struct InFlight<'a> {
    market: &'a Market,
    key: (String, String),
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.market.inner.in_flight.lock() {
            set.remove(&self.key);
        }
    }
}

/// Checks an `Idempotency-Key` (1..=255 visible ASCII characters).
pub fn check_key(key: Option<&str>) -> Result<&str, MarketError> {
    let key = key.ok_or_else(|| {
        MarketError::new(
            ErrorKind::BadRequest,
            "idempotency_key_required",
            "send an Idempotency-Key header",
        )
    })?;
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(MarketError::new(
            ErrorKind::BadRequest,
            "invalid_idempotency_key",
            "an Idempotency-Key has 1 to 255 visible ASCII characters",
        ));
    }
    Ok(key)
}

impl Market {
    /// Claims `(scope, key)` for this request, or answers the stored response, or refuses.
    pub(crate) async fn claim_key(
        &self,
        scope: &str,
        key: &str,
        hash: &str,
    ) -> Result<Result<InFlightGuard<'_>, Replayable>, MarketError> {
        if let Some(replay) = self.stored_answer(scope, key, hash).await? {
            return Ok(Err(replay));
        }
        Ok(Ok(self.claim_in_flight(scope, key)?))
    }

    /// The stored answer for `(scope, key)` if there is one (`idempotency_key_reused` when it was
    /// given for another request body).
    async fn stored_answer(
        &self,
        scope: &str,
        key: &str,
        hash: &str,
    ) -> Result<Option<Replayable>, MarketError> {
        match self.store.idempotency_record(scope, key).await? {
            Some((stored, status, body)) if stored == hash => Ok(Some(Replayable {
                status: u16::try_from(status).unwrap_or(200),
                body,
            })),
            Some(_) => Err(key_reused()),
            None => Ok(None),
        }
    }

    /// Marks `(scope, key)` as running on this node until the guard drops; a concurrent repeat
    /// is `idempotency_key_in_use`.
    fn claim_in_flight(&self, scope: &str, key: &str) -> Result<InFlightGuard<'_>, MarketError> {
        let k = (scope.to_owned(), key.to_owned());
        let fresh = self
            .inner
            .in_flight
            .lock()
            .map(|mut s| s.insert(k.clone()))
            .unwrap_or(false);
        if !fresh {
            return Err(key_in_use());
        }
        Ok(InFlightGuard(InFlight {
            market: self,
            key: k,
        }))
    }

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
        key: Option<&str>,
        body_hash: &str,
        req: CheckoutRequest,
        locale: Locale,
    ) -> Result<Replayable, MarketError> {
        let key = check_key(key)?;
        let scope = actor.user_id.to_string();
        // No read before the work: the writer looks up the whole batch's keys in its transaction
        // and answers a repeat with the stored response (docs/decisions/0004). A repeat therefore
        // prepares and authorizes again, and that new authorization is released below.
        let _guard = self.claim_in_flight(&scope, key)?;
        let placement = match self.prepare(actor, key, body_hash, req, locale).await {
            Ok(p) => p,
            // A repeat of a checkout that took the last units, or of a product unpublished
            // since, must still get its first answer.
            Err(e) => return self.stored_answer(&scope, key, body_hash).await?.ok_or(e),
        };
        let response = placement.response.clone();
        let payment_ref = placement.payment.provider_ref.clone();
        let amount = Money::new(
            placement.payment.amount_minor,
            Currency::parse(&placement.payment.currency)?,
        );
        let captured = placement.payment.status == "captured";
        let outcome = self.writer().submit(placement).await?;
        if !matches!(outcome, Outcome::Placed) {
            // Nothing was written for this authorization: give it back.
            let provider = &self.inner.provider;
            if captured {
                provider.refund(&payment_ref, amount).await;
            } else {
                provider.void(&payment_ref).await;
            }
        }
        match outcome {
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
                Err(MarketError::conflict(
                    "out_of_stock",
                    format!("{variant} sold out"),
                ))
            }
        }
    }

    async fn prepare(
        &self,
        actor: &Actor,
        key: &str,
        body_hash: &str,
        req: CheckoutRequest,
        locale: Locale,
    ) -> Result<Placement, MarketError> {
        let (items, cart_id, cart_currency) = match (&req.cart_id, &req.items) {
            (Some(id), None) => {
                let cart = self
                    .cart_for(
                        id,
                        CartAccess {
                            actor: Some(actor),
                            token: None,
                        },
                    )
                    .await?;
                (
                    self.store.cart_lines(&cart.id).await?,
                    cart.id,
                    Some(cart.currency),
                )
            }
            (None, Some(items)) => {
                let mut out: Vec<(String, i64)> = Vec::new();
                for i in items {
                    let v = VariantId::parse(&i.variant_id)?;
                    if !(1..=MAX_QUANTITY).contains(&i.quantity) {
                        return Err(MarketError::invalid(
                            "invalid_quantity",
                            "a quantity is 1 to 99",
                        ));
                    }
                    match out.iter_mut().find(|(id, _)| id == v.as_str()) {
                        Some(line) => line.1 = (line.1 + i.quantity).min(MAX_QUANTITY + 1),
                        None => out.push((v.to_string(), i.quantity)),
                    }
                }
                if out.iter().any(|(_, q)| *q > MAX_QUANTITY) {
                    return Err(MarketError::invalid(
                        "invalid_quantity",
                        "a quantity is 1 to 99",
                    ));
                }
                (out, String::new(), None)
            }
            _ => {
                return Err(MarketError::invalid(
                    "invalid_body",
                    "give either cart_id or items",
                ))
            }
        };
        if items.is_empty() {
            return Err(MarketError::invalid(
                "cart_empty",
                "there is nothing to check out",
            ));
        }
        if items.len() > MAX_LINES {
            return Err(MarketError::invalid(
                "cart_full",
                "at most 100 lines per checkout",
            ));
        }
        let country = check_address(&req.address)?;
        let currency = match req.currency.as_deref().or(cart_currency.as_deref()) {
            Some(c) => Currency::parse(c)?,
            None => Currency::EUR,
        };
        // Stock older than a second is not used to refuse: the order writer decides.
        let priced = self.price(&items, country, currency, locale, false).await?;
        for g in &priced.groups {
            for l in &g.lines {
                if !l.purchasable {
                    return Err(MarketError::invalid(
                        "not_purchasable",
                        format!("{} is not on sale", l.variant_id),
                    ));
                }
                if l.stock_known && l.stock < l.quantity {
                    return Err(MarketError::conflict(
                        "out_of_stock",
                        format!("only {} of {} in stock", l.stock, l.variant_id),
                    ));
                }
            }
        }
        for m in req.shipping.keys() {
            if !priced.groups.iter().any(|g| g.merchant.id == *m) {
                return Err(MarketError::invalid(
                    "unknown_shipping_method",
                    format!("{m} is not in this checkout"),
                ));
            }
        }
        if !crate::payments::SANDBOX_METHODS.contains(&req.payment_method.as_str()) {
            return Err(MarketError::invalid(
                "invalid_payment_method",
                "use pm_sandbox_success, pm_sandbox_delayed or pm_sandbox_decline",
            ));
        }

        let now = self.now();
        let group_id = GroupId::generate().to_string();
        let payment_id = PaymentId::generate().to_string();
        let buyer = actor.user_id.to_string();
        let mut orders = Vec::new();
        let mut lines = Vec::new();
        for g in &priced.groups {
            if g.options.is_empty() {
                return Err(MarketError::invalid(
                    "not_shippable",
                    format!("{} does not ship to {country}", g.merchant.store_name),
                ));
            }
            let option = match req.shipping.get(&g.merchant.id) {
                Some(m) => {
                    let method = ShippingMethod::parse(m)?;
                    g.options
                        .iter()
                        .find(|o| o.method == method)
                        .ok_or_else(|| {
                            MarketError::invalid(
                                "unknown_shipping_method",
                                format!(
                                    "{} does not offer {m} to {country}",
                                    g.merchant.store_name
                                ),
                            )
                        })?
                }
                None => g
                    .options
                    .iter()
                    .min_by_key(|o| o.price_minor)
                    .ok_or_else(|| MarketError::internal("no option"))?,
            };
            let order_id = OrderId::generate().to_string();
            for (i, l) in g.lines.iter().enumerate() {
                lines.push(LineRecord {
                    order_id: order_id.clone(),
                    position: i64::try_from(i).unwrap_or(0),
                    variant_id: l.variant_id.clone(),
                    product_id: l.product_id.clone(),
                    sku: l.sku.clone(),
                    title: l.title.clone(),
                    quantity: l.quantity,
                    unit_price_minor: l.unit_minor,
                    total_minor: l.total_minor,
                    currency: g.currency.code().to_owned(),
                    presentment_total_minor: l.presentment_minor,
                    presentment_currency: currency.code().to_owned(),
                    fx_rate_e9: g.rate_e9.max(1),
                    fee_bps: l.fee_bps,
                    fee_minor: l.fee_minor,
                });
            }
            orders.push(OrderRecord {
                id: order_id,
                group_id: group_id.clone(),
                buyer_id: buyer.clone(),
                merchant_id: g.merchant.id.clone(),
                status: OrderStatus::AwaitingPayment.as_str().to_owned(),
                currency: g.currency.code().to_owned(),
                goods_minor: g.goods_minor,
                shipping_minor: option.price_minor,
                total_minor: g.goods_minor + option.price_minor,
                fee_minor: g.lines.iter().map(|l| l.fee_minor).sum(),
                presentment_currency: currency.code().to_owned(),
                presentment_total_minor: g.presentment_goods_minor + option.presentment_minor,
                fx_rate_e9: g.rate_e9.max(1),
                shipping_method: option.method.as_str().to_owned(),
                min_days: option.min_days,
                max_days: option.max_days,
                refunded_minor: 0,
                carrier: None,
                tracking_number: None,
                placed_at: now,
                paid_at: None,
                shipped_at: None,
                delivered_at: None,
                completed_at: None,
                cancelled_at: None,
                version: 0,
            });
        }
        let total: i64 = orders.iter().map(|o| o.presentment_total_minor).sum();
        let auth = self
            .inner
            .provider
            .authorize(&req.payment_method, Money::new(total, currency))
            .await;
        let (provider_ref, captured) = match auth {
            Authorization::Captured(r) => (r, true),
            Authorization::Pending(r) => (r, false),
            Authorization::Declined => {
                return Err(MarketError::new(
                    ErrorKind::PaymentRequired,
                    "payment_declined",
                    "the payment was declined",
                ))
            }
        };
        let mut ledger = Vec::new();
        let mut events = Vec::new();
        for o in &mut orders {
            if captured {
                o.status = OrderStatus::Paid.as_str().to_owned();
                o.paid_at = Some(now);
                ledger.push(payment_ledger(o)?);
            }
            // One event per placed order; its status says whether it was paid at once.
            events.push(NewEvent {
                kind: "order.placed".into(),
                subject: o.id.clone(),
                payload: event_payload(o),
            });
        }
        let payment = PaymentRecord {
            id: payment_id.clone(),
            group_id: group_id.clone(),
            provider: self.inner.provider.name().to_owned(),
            provider_ref: provider_ref.clone(),
            status: if captured { "captured" } else { "authorized" }.to_owned(),
            amount_minor: total,
            currency: currency.code().to_owned(),
            created_at: now,
            updated_at: now,
        };
        let view = CheckoutView {
            group_id: group_id.clone(),
            status: if captured { "paid" } else { "awaiting_payment" }.to_owned(),
            total: MoneyView::new(total, currency.code()),
            payment: PaymentView {
                id: payment_id.clone(),
                provider_ref,
                status: payment.status.clone(),
                amount: MoneyView::new(total, currency.code()),
            },
            orders: orders
                .iter()
                .map(|o| order_view(o, &lines, Vec::new()))
                .collect(),
        };
        let address = serde_json::to_string(&req.address)
            .map_err(|e| MarketError::internal(e.to_string()))?;
        Ok(Placement {
            scope: buyer.clone(),
            idem_key: key.to_owned(),
            request_hash: body_hash.to_owned(),
            response_status: 201,
            response: serde_json::to_string(&view)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            group: GroupRecord {
                id: group_id,
                buyer_id: buyer,
                cart_id,
                currency: currency.code().to_owned(),
                total_minor: total,
                address,
                country: country.code().to_owned(),
                payment_id,
                placed_at: now,
            },
            orders,
            lines,
            payment,
            ledger,
            events,
            now,
        })
    }
}

/// The guard returned by [`Market::claim_key`].
pub(crate) struct InFlightGuard<'a>(#[allow(dead_code, reason = "held for its Drop")] InFlight<'a>);

pub(crate) fn key_reused() -> MarketError {
    MarketError::invalid(
        "idempotency_key_reused",
        "this Idempotency-Key was used with another request",
    )
}

pub(crate) fn key_in_use() -> MarketError {
    MarketError::conflict(
        "idempotency_key_in_use",
        "a request with this Idempotency-Key is still running",
    )
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

pub(crate) fn event_payload(o: &OrderRecord) -> String {
    serde_json::json!({
        "order_id": o.id, "group_id": o.group_id, "merchant_id": o.merchant_id, "buyer_id": o.buyer_id,
        "status": o.status, "total_minor": o.total_minor, "currency": o.currency,
        "presentment_total_minor": o.presentment_total_minor, "presentment_currency": o.presentment_currency,
    })
    .to_string()
}
