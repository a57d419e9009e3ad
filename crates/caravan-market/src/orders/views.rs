//! How orders look in the API.

use crate::catalogue::MoneyView;
use caravan_domain::fx::Rate;
use caravan_domain::{rfc3339, Currency};
use caravan_store::checkout::{DiscountRecord, LineRecord, OrderRecord};
use serde::Serialize;

/// A line of an order, frozen at sale.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderLineView {
    /// `var_…`.
    pub variant_id: String,
    /// `prd_…`.
    pub product_id: String,
    /// SKU code at sale.
    pub sku: String,
    /// Title at sale.
    pub title: String,
    /// Units.
    pub quantity: i64,
    /// Unit list price in the store's currency.
    pub unit_price: MoneyView,
    /// What the discounts took off the list total (unit price × quantity), store's currency.
    pub discount: MoneyView,
    /// The festival deal the line was sold under (its discount is the store's).
    pub deal_id: Option<String>,
    /// Each discount on the line in stacking order (deal price, store coupon, platform
    /// coupon), with who funds it; they sum to `discount`.
    pub discounts: Vec<LineDiscountView>,
    /// Line total after discounts in the store's currency.
    pub total: MoneyView,
    /// Line total in the buyer's currency.
    pub presentment_total: MoneyView,
}

/// One discount on an order line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineDiscountView {
    /// deal | store_coupon | platform_coupon.
    pub stage: String,
    /// merchant | platform.
    pub funder: String,
    /// The deal (`del_…`) or coupon (`cpn_…`).
    pub source: String,
    /// What it took off, the store's currency.
    pub amount: MoneyView,
}

/// A step in the order's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryView {
    /// Status reached.
    pub status: String,
    /// Note (tracking, reason…).
    pub note: Option<String>,
    /// RFC 3339.
    pub at: String,
}

/// One merchant's order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    /// `ord_…`.
    pub id: String,
    /// The checkout it came from.
    pub group_id: String,
    /// awaiting_payment, paid, shipped, delivered, completed, cancelled or refunded.
    pub status: String,
    /// `mer_…`.
    pub merchant_id: String,
    /// Goods, store's currency.
    pub goods: MoneyView,
    /// Shipping, store's currency.
    pub shipping: MoneyView,
    /// Goods and shipping, store's currency: what the store is settled on.
    pub total: MoneyView,
    /// The part of the discounts the platform funds (platform coupons), store's currency: the
    /// buyer pays `total` less this, the platform the rest.
    pub platform_discount: MoneyView,
    /// What the buyer pays for this order, in the buyer's currency.
    pub presentment_total: MoneyView,
    /// Buyer-currency units per store-currency unit, as used at sale.
    pub fx_rate: String,
    /// Platform fee frozen at sale.
    pub fee: MoneyView,
    /// Refunded so far, store's currency.
    pub refunded: MoneyView,
    /// economy, standard or express.
    pub shipping_method: String,
    /// Delivery estimate, days.
    pub min_days: i64,
    /// Delivery estimate, days.
    pub max_days: i64,
    /// Carrier, once shipped.
    pub carrier: Option<String>,
    /// Tracking number, once shipped.
    pub tracking_number: Option<String>,
    /// Lines.
    pub lines: Vec<OrderLineView>,
    /// Status history, oldest first (order detail only).
    pub history: Vec<HistoryView>,
    /// RFC 3339.
    pub placed_at: String,
    /// What the order contributes to a cause its store pledged to, if any.
    pub charity: Option<OrderPledgeView>,
}

/// What an order contributes to a cause.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderPledgeView {
    /// `cau_…`.
    pub cause_id: String,
    /// The pledge left after refunds, the store's currency.
    pub amount: MoneyView,
    /// pending (paid, not completed) | confirmed (completed) | reversed (refunded or cancelled)
    /// | unpaid.
    pub state: String,
}

/// The pledge an order contributes as it stands.
fn pledge_view(o: &OrderRecord) -> Option<OrderPledgeView> {
    let cause = o.cause_id.clone().filter(|_| o.pledge_minor > 0)?;
    let refunded =
        caravan_domain::prorate(o.pledge_minor, o.refunded_minor, o.total_minor).unwrap_or(0);
    let left = o.pledge_minor - refunded;
    let state = match o.status.as_str() {
        _ if left == 0 => "reversed",
        "awaiting_payment" => "unpaid",
        "completed" => "confirmed",
        "cancelled" | "refunded" => "reversed",
        _ => "pending",
    };
    Some(OrderPledgeView {
        cause_id: cause,
        amount: MoneyView::new(left, &o.currency),
        state: state.to_owned(),
    })
}

pub(crate) fn order_view(
    o: &OrderRecord,
    lines: &[LineRecord],
    discounts: &[DiscountRecord],
    history: Vec<HistoryView>,
) -> OrderView {
    let c = o.currency.as_str();
    let fx_rate = Currency::parse(&o.presentment_currency)
        .map(|cur| {
            Rate {
                currency: cur,
                per_eur_e9: o.fx_rate_e9,
            }
            .to_decimal_string()
        })
        .unwrap_or_default();
    OrderView {
        id: o.id.clone(),
        group_id: o.group_id.clone(),
        status: o.status.clone(),
        merchant_id: o.merchant_id.clone(),
        goods: MoneyView::new(o.goods_minor, c),
        shipping: MoneyView::new(o.shipping_minor, c),
        total: MoneyView::new(o.total_minor, c),
        platform_discount: MoneyView::new(o.platform_discount_minor, c),
        presentment_total: MoneyView::new(o.presentment_total_minor, &o.presentment_currency),
        fx_rate,
        fee: MoneyView::new(o.fee_minor, c),
        refunded: MoneyView::new(o.refunded_minor, c),
        shipping_method: o.shipping_method.clone(),
        min_days: o.min_days,
        max_days: o.max_days,
        carrier: o.carrier.clone(),
        tracking_number: o.tracking_number.clone(),
        lines: lines
            .iter()
            .filter(|l| l.order_id == o.id)
            .map(|l| OrderLineView {
                variant_id: l.variant_id.clone(),
                product_id: l.product_id.clone(),
                sku: l.sku.clone(),
                title: l.title.clone(),
                quantity: l.quantity,
                unit_price: MoneyView::new(l.unit_price_minor, &l.currency),
                discount: MoneyView::new(l.discount_minor, &l.currency),
                deal_id: l.deal_id.clone(),
                discounts: discounts
                    .iter()
                    .filter(|d| d.order_id == o.id && d.position == l.position)
                    .map(|d| LineDiscountView {
                        stage: d.stage.clone(),
                        funder: d.funder.clone(),
                        source: d.source.clone(),
                        amount: MoneyView::new(d.amount_minor, &l.currency),
                    })
                    .collect(),
                total: MoneyView::new(l.total_minor, &l.currency),
                presentment_total: MoneyView::new(
                    l.presentment_total_minor,
                    &l.presentment_currency,
                ),
            })
            .collect(),
        history,
        placed_at: rfc3339(o.placed_at),
        charity: pledge_view(o),
    }
}

pub(crate) fn history_views(h: Vec<(String, Option<String>, i64)>) -> Vec<HistoryView> {
    h.into_iter()
        .map(|(status, note, at)| HistoryView {
            status,
            note,
            at: rfc3339(at),
        })
        .collect()
}
