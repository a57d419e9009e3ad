//! The steps of a checkout after its basket is checked: price, choose each store's shipping,
//! turn the priced groups into order and line records, authorize the payment, and assemble the
//! placement the order writer commits.

use super::basket::{check_payment_method, Basket};
use super::request::{CheckoutRequest, CheckoutView, PaymentView};
use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::charity::ActivePledge;
use crate::connect::Credit;
use crate::festival::coupons::Applied;
use crate::idempotency::Guard;
use crate::orders::{donation_ledger, order_view, payment_ledger, placed_payload};
use crate::payments::Authorization;
use crate::pricing::{Destination, PricedCart, PricedGroup, PricedLine, ShipOption};
use crate::{Code, Market, MarketError};
use caravan_domain::id::{GroupId, OrderId, PaymentId, TypedId};
use caravan_domain::order::OrderStatus;
use caravan_domain::pricing::checked_sum;
use caravan_domain::pricing::{Funder, Stage};
use caravan_domain::shipping::ShippingMethod;
use caravan_domain::{attribution, charity, commission};
use caravan_domain::{Country, Currency, Locale, Money};
use caravan_store::checkout::{
    CommissionRecord, CouponUse, DiscountRecord, DonationRecord, GroupRecord, LineRecord,
    OrderRecord, PaymentRecord, Placement,
};
use caravan_store::journal::{LedgerTx, NewEvent};
use std::collections::BTreeMap;

impl Market {
    /// Everything the checkout will write, with its payment authorized.
    pub(super) async fn prepare(
        &self,
        actor: &Actor,
        guard: &Guard<'_>,
        body_hash: &str,
        req: CheckoutRequest,
        locale: Locale,
    ) -> Result<Placement, MarketError> {
        let basket = self.basket(actor, &req).await?;
        let (priced, applied) = self
            .price_checkout(&basket, &req, actor.user_id.as_str(), locale)
            .await?;
        let mut draft = Draft::new(self.now(), actor, &basket);
        draft.credit = self.attribute(actor, &req, &draft.group_id).await?;
        let tables = self.tables().await?;
        let mut order_ids = Vec::with_capacity(priced.groups.len());
        for g in &priced.groups {
            let option = ship(g, &req.shipping, basket.country)?;
            let pledge = tables.pledges.at(&g.merchant.id, draft.now);
            order_ids.push(draft.add_order(g, option, pledge)?);
        }
        draft.use_coupons(&applied, &order_ids);
        draft.donation = self.donation(req.donation.as_ref(), &draft).await?;
        let total = Money::new(draft.charged()?, basket.currency);
        let auth = self
            .inner
            .provider
            .authorize(&req.payment_method, total)
            .await;
        let (provider_ref, captured) = match auth {
            Authorization::Captured(r) => (r, true),
            Authorization::Pending(r) => (r, false),
            Authorization::Declined => {
                return Err(MarketError::new(
                    Code::PaymentDeclined,
                    "the payment was declined",
                ))
            }
        };
        let payment = draft.pay(self.inner.provider.name(), provider_ref, captured)?;
        let view = draft.view(&payment);
        let body = to_json(&view)?;
        let address = to_json(&req.address)?;
        Ok(draft.into_placement(guard.answer(body_hash, 201, &body), payment, address))
    }

    /// Prices the basket and checks it can be sold: every line on sale and (where the stock
    /// figure is fresh) in stock, shipping choices naming stores of this checkout, a payment
    /// method the provider knows; then applies the coupons it names.
    async fn price_checkout(
        &self,
        basket: &Basket,
        req: &CheckoutRequest,
        buyer: &str,
        locale: Locale,
    ) -> Result<(PricedCart, Vec<Applied>), MarketError> {
        let (country, currency) = (basket.country, basket.currency);
        // Stock older than a second is not used to refuse: the order writer decides.
        let priced = self
            .price(
                &basket.items,
                Destination {
                    country,
                    currency,
                    buyer: Some(buyer),
                },
                locale,
                false,
            )
            .await?;
        for l in priced.groups.iter().flat_map(|g| &g.lines) {
            if !l.purchasable {
                return Err(MarketError::new(
                    Code::NotPurchasable,
                    format!("{} is not on sale", l.variant_id),
                ));
            }
            if l.stock_known && l.stock < l.quantity {
                return Err(MarketError::new(
                    Code::OutOfStock,
                    format!("only {} of {} in stock", l.stock, l.variant_id),
                ));
            }
        }
        if let Some(m) = req
            .shipping
            .keys()
            .find(|m| !priced.groups.iter().any(|g| g.merchant.id == **m))
        {
            return Err(MarketError::new(
                Code::UnknownShippingMethod,
                format!("{m} is not in this checkout"),
            ));
        }
        check_payment_method(&req.payment_method)?;
        let mut priced = priced;
        let applied = self.apply_coupons(&mut priced, &req.coupons).await?;
        Ok((priced, applied))
    }
}

impl Market {
    /// The checkout's donation, if it asks for one.
    async fn donation(
        &self,
        d: Option<&super::request::DonationInput>,
        draft: &Draft,
    ) -> Result<Option<DonationRecord>, MarketError> {
        match d {
            Some(d) => {
                let who = (draft.group_id.as_str(), draft.buyer.as_str());
                self.checkout_donation(d, who, (draft.total()?, draft.currency))
                    .await
            }
            None => Ok(None),
        }
    }
}

/// The shipping option of one store's parcel: the one chosen, else the cheapest.
fn ship<'g>(
    g: &'g PricedGroup,
    chosen: &BTreeMap<String, String>,
    country: Country,
) -> Result<&'g ShipOption, MarketError> {
    let store = &g.merchant.store_name;
    if g.options.is_empty() {
        return Err(MarketError::new(
            Code::NotShippable,
            format!("{store} does not ship to {country}"),
        ));
    }
    let Some(m) = chosen.get(&g.merchant.id) else {
        return g
            .options
            .iter()
            .min_by_key(|o| o.price_minor)
            .ok_or_else(|| MarketError::internal("no option"));
    };
    let method = ShippingMethod::parse(m)?;
    g.options
        .iter()
        .find(|o| o.method == method)
        .ok_or_else(|| {
            MarketError::new(
                Code::UnknownShippingMethod,
                format!("{store} does not offer {m} to {country}"),
            )
        })
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, MarketError> {
    serde_json::to_string(v).map_err(|e| MarketError::internal(e.to_string()))
}

/// A checkout's records while they are being built.
struct Draft {
    now: i64,
    group_id: String,
    payment_id: String,
    buyer: String,
    cart_id: String,
    country: Country,
    currency: Currency,
    orders: Vec<OrderRecord>,
    lines: Vec<LineRecord>,
    discounts: Vec<DiscountRecord>,
    coupons: Vec<CouponUse>,
    /// Whom the checkout earns commission for.
    credit: Credit,
    commissions: Vec<CommissionRecord>,
    /// The buyer's donation to a cause.
    donation: Option<DonationRecord>,
    ledger: Vec<LedgerTx>,
    events: Vec<NewEvent>,
}

/// A line's rate for the checkout's creator: the better of the merchant's rate and a per-sale
/// collaboration's that accepted the creator; the merchant's rate when nobody is credited.
fn line_rate(credit: &Credit, l: &PricedLine, now: i64) -> i64 {
    match credit {
        Credit::Creator { collabs, .. } => collabs.rate(&l.product_id, now).max(l.commission_bps),
        _ => l.commission_bps,
    }
}

/// A line's commission at `rate`, plus the creator's tier bonus, on the line after all
/// discounts; nothing if no rate is offered.
fn line_commission(credit: &Credit, l: &PricedLine, rate: i64) -> i64 {
    match credit {
        Credit::Creator { bonus_bps, .. } if rate > 0 => {
            let rate = (rate + bonus_bps).min(commission::MAX_BPS);
            attribution::line_commission(l.total_minor, rate, l.fee_minor)
        }
        _ => 0,
    }
}

/// One order line frozen as priced, with the commission and pledge it carries.
fn line_record(
    (order_id, position, presentment): (&str, i64, &str),
    g: &PricedGroup,
    l: &PricedLine,
    (commission_bps, commission_minor, pledge_minor): (i64, i64, i64),
) -> LineRecord {
    LineRecord {
        order_id: order_id.to_owned(),
        position,
        variant_id: l.variant_id.clone(),
        product_id: l.product_id.clone(),
        sku: l.sku.clone(),
        title: l.title.clone(),
        quantity: l.quantity,
        unit_price_minor: l.unit_minor,
        total_minor: l.total_minor,
        currency: g.currency.code().to_owned(),
        presentment_total_minor: l.presentment_minor,
        presentment_currency: presentment.to_owned(),
        fx_rate_e9: g.rate_e9.max(1),
        fee_bps: l.fee_bps,
        fee_minor: l.fee_minor,
        discount_minor: l.discount_minor,
        deal_id: l.deal.as_ref().map(|d| d.id.clone()),
        commission_bps,
        commission_minor,
        pledge_minor,
    }
}

/// What a line pledges to its store's cause: at most what the store keeps of it after the fee
/// and the creator's commission.
fn line_pledge(pledge: Option<&ActivePledge>, l: &PricedLine, commission: i64) -> i64 {
    pledge.map_or(0, |p| {
        let room = l.total_minor - l.fee_minor - commission;
        charity::line_pledge(p.terms, l.total_minor, l.quantity, room)
    })
}

impl Draft {
    fn new(now: i64, actor: &Actor, basket: &Basket) -> Self {
        Self {
            now,
            group_id: GroupId::generate().to_string(),
            payment_id: PaymentId::generate().to_string(),
            buyer: actor.user_id.to_string(),
            cart_id: basket.cart_id.clone(),
            country: basket.country,
            currency: basket.currency,
            orders: Vec::new(),
            lines: Vec::new(),
            discounts: Vec::new(),
            coupons: Vec::new(),
            credit: Credit::Nobody,
            commissions: Vec::new(),
            donation: None,
            ledger: Vec::new(),
            events: Vec::new(),
        }
    }

    /// One store's order and its lines, frozen as priced, shipped with `option`; its id. Sums
    /// that would overflow are `amount_out_of_range`. The order's goods and total are what the
    /// store earns; the buyer pays them less the platform's discounts.
    fn add_order(
        &mut self,
        g: &PricedGroup,
        option: &ShipOption,
        pledge: Option<&ActivePledge>,
    ) -> Result<String, MarketError> {
        let order_id = OrderId::generate().to_string();
        let presentment = self.currency.code();
        let (mut commission, mut pledged) = (0i64, 0i64);
        for (i, l) in g.lines.iter().enumerate() {
            let position = i64::try_from(i).unwrap_or(0);
            self.record_discounts(&order_id, position, l);
            let rate = line_rate(&self.credit, l, self.now);
            let line_commission = line_commission(&self.credit, l, rate);
            commission = checked_sum([commission, line_commission])?;
            let line_pledge = line_pledge(pledge, l, line_commission);
            pledged = checked_sum([pledged, line_pledge])?;
            let frozen = (rate, line_commission, line_pledge);
            let at = (order_id.as_str(), position, presentment);
            self.lines.push(line_record(at, g, l, frozen));
        }
        let creator_id = self.credit_order(&order_id, g, commission);
        self.orders.push(OrderRecord {
            id: order_id.clone(),
            group_id: self.group_id.clone(),
            buyer_id: self.buyer.clone(),
            merchant_id: g.merchant.id.clone(),
            status: OrderStatus::AwaitingPayment.as_str().to_owned(),
            currency: g.currency.code().to_owned(),
            goods_minor: g.goods_minor,
            shipping_minor: option.price_minor,
            total_minor: checked_sum([g.goods_minor, option.price_minor])?,
            fee_minor: checked_sum(g.lines.iter().map(|l| l.fee_minor))?,
            presentment_currency: presentment.to_owned(),
            presentment_total_minor: checked_sum([
                g.presentment_goods_minor,
                option.presentment_minor,
            ])?,
            fx_rate_e9: g.rate_e9.max(1),
            shipping_method: option.method.as_str().to_owned(),
            min_days: option.min_days,
            max_days: option.max_days,
            refunded_minor: 0,
            carrier: None,
            tracking_number: None,
            placed_at: self.now,
            paid_at: None,
            shipped_at: None,
            delivered_at: None,
            completed_at: None,
            cancelled_at: None,
            version: 0,
            platform_discount_minor: g.platform_minor,
            commission_minor: if creator_id.is_some() { commission } else { 0 },
            creator_id,
            cause_id: pledge.filter(|_| pledged > 0).map(|p| p.cause_id.clone()),
            pledge_minor: pledged,
        });
        Ok(order_id)
    }

    /// Records the commission an order earns its creator; the creator, if it earns any.
    fn credit_order(&mut self, order_id: &str, g: &PricedGroup, amount: i64) -> Option<String> {
        let Credit::Creator {
            creator_id, touch, ..
        } = &self.credit
        else {
            return None;
        };
        if amount <= 0 {
            return None;
        }
        self.commissions.push(CommissionRecord {
            order_id: order_id.to_owned(),
            creator_id: creator_id.clone(),
            merchant_id: g.merchant.id.clone(),
            buyer_id: self.buyer.clone(),
            currency: g.currency.code().to_owned(),
            amount_minor: amount,
            reversed_minor: 0,
            state: "pending".to_owned(),
            source: touch.source.as_str().to_owned(),
            reference: touch.reference.clone(),
            created_at: self.now,
            confirmed_at: None,
            available_at: None,
        });
        Some(creator_id.clone())
    }

    /// What each store order uses of each coupon's budget.
    fn use_coupons(&mut self, applied: &[Applied], order_ids: &[String]) {
        for a in applied {
            self.coupons.push(CouponUse {
                order_id: order_ids[a.group].clone(),
                group_id: self.group_id.clone(),
                coupon_id: a.coupon_id.clone(),
                amount_minor: a.amount_minor,
            });
        }
    }

    /// The line's discounts as the pricing steps made them, in stacking order with their
    /// funders (a deal's source is the deal itself).
    fn record_discounts(&mut self, order_id: &str, position: i64, l: &PricedLine) {
        for (seq, r) in l.reductions.iter().enumerate() {
            let source = match (&r.stage, &l.deal) {
                (Stage::Deal, Some(d)) => d.id.clone(),
                _ => r.source.clone(),
            };
            self.discounts.push(DiscountRecord {
                order_id: order_id.to_owned(),
                position,
                seq: i64::try_from(seq).unwrap_or(0),
                stage: stage_name(r.stage).to_owned(),
                funder: funder_name(r.funder).to_owned(),
                source,
                amount_minor: r.amount_minor,
            });
        }
    }

    /// What the buyer pays for the orders, in their currency.
    fn total(&self) -> Result<i64, MarketError> {
        Ok(checked_sum(
            self.orders.iter().map(|o| o.presentment_total_minor),
        )?)
    }

    /// What the payment takes: the orders and the donation.
    fn charged(&self) -> Result<i64, MarketError> {
        let given = self.donation.as_ref().map_or(0, |d| d.amount_minor);
        Ok(checked_sum([self.total()?, given])?)
    }

    /// The payment record; a captured payment marks every order paid and posts its money into
    /// escrow. One `order.placed` event per order; its status says whether it was paid at once.
    fn pay(
        &mut self,
        provider: &str,
        provider_ref: String,
        captured: bool,
    ) -> Result<PaymentRecord, MarketError> {
        for o in &mut self.orders {
            if captured {
                o.status = OrderStatus::Paid.as_str().to_owned();
                o.paid_at = Some(self.now);
                self.ledger.push(payment_ledger(o)?);
            }
            self.events.push(NewEvent {
                kind: "order.placed".into(),
                subject: o.id.clone(),
                payload: placed_payload(o, self.country.code()),
            });
        }
        if let Some(d) = self.donation.as_mut().filter(|_| captured) {
            d.state = "paid".to_owned();
            self.ledger.push(donation_ledger(d)?);
        }
        Ok(PaymentRecord {
            id: self.payment_id.clone(),
            group_id: self.group_id.clone(),
            provider: provider.to_owned(),
            provider_ref,
            status: if captured { "captured" } else { "authorized" }.to_owned(),
            amount_minor: self.charged()?,
            currency: self.currency.code().to_owned(),
            created_at: self.now,
            updated_at: self.now,
        })
    }

    /// The answer the buyer gets (and a repeat replays).
    fn view(&self, payment: &PaymentRecord) -> CheckoutView {
        let total = MoneyView::new(payment.amount_minor, self.currency.code());
        let paid = payment.status == "captured";
        CheckoutView {
            group_id: self.group_id.clone(),
            status: if paid { "paid" } else { "awaiting_payment" }.to_owned(),
            total: total.clone(),
            donation: self
                .donation
                .as_ref()
                .map(|d| MoneyView::new(d.amount_minor, &d.currency)),
            payment: PaymentView {
                id: payment.id.clone(),
                provider_ref: payment.provider_ref.clone(),
                status: payment.status.clone(),
                amount: total,
            },
            orders: self
                .orders
                .iter()
                .map(|o| order_view(o, &self.lines, &self.discounts, Vec::new()))
                .collect(),
        }
    }

    fn into_placement(
        self,
        answer: caravan_store::idempotency::NewAnswer,
        payment: PaymentRecord,
        address: String,
    ) -> Placement {
        let group = GroupRecord {
            id: self.group_id,
            buyer_id: self.buyer,
            cart_id: self.cart_id,
            currency: self.currency.code().to_owned(),
            total_minor: payment.amount_minor,
            address,
            country: self.country.code().to_owned(),
            payment_id: self.payment_id,
            placed_at: self.now,
        };
        Placement {
            answer,
            group,
            orders: self.orders,
            lines: self.lines,
            discounts: self.discounts,
            coupons: self.coupons,
            commissions: self.commissions,
            donation: self.donation,
            flag: match self.credit {
                Credit::Refused(flag) => Some(flag),
                _ => None,
            },
            payment,
            ledger: self.ledger,
            events: self.events,
            now: self.now,
        }
    }
}

/// A stage's stored name.
pub(crate) fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Deal => "deal",
        Stage::StoreDiscount => "store_discount",
        Stage::StoreCoupon => "store_coupon",
        Stage::PlatformCoupon => "platform_coupon",
    }
}

/// A funder's stored name.
pub(crate) fn funder_name(funder: Funder) -> &'static str {
    match funder {
        Funder::Merchant => "merchant",
        Funder::Platform => "platform",
    }
}
