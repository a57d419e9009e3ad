//! One order in the browser: what was bought, the delivery estimate, the status timeline with
//! dates in the buyer's language, receipt confirmation and buyer protection (open a dispute);
//! for its store, refunds (in full or in part) and the answer to a dispute.

use super::buy::{rows, OrderRow};
use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, SignedIn};
use super::i18n::Tr;
use super::session::see_other;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::orders::{
    DisputeAnswer, DisputeView, NewDispute, OrderView, RefundInput, Viewer,
};
use caravan_market::ErrorKind;
use rand::RngCore;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A step of the timeline.
struct Step {
    label: String,
    iso: String,
    when: String,
    note: Option<String>,
}

/// The dispute as the buyer reads it.
struct DisputeBox {
    open: bool,
    status: String,
    reason: String,
    answer: Option<String>,
    outcome: Option<String>,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    tr: Tr,
    chrome: Chrome,
    o: OrderRow,
    delivery: String,
    goods: String,
    shipping: String,
    refunded: Option<String>,
    discounts: Vec<DiscountLine>,
    steps: Vec<Step>,
    dispute: Option<DisputeBox>,
    can_dispute: bool,
    can_refund: bool,
    can_answer: bool,
    refund_label: String,
    key: String,
    /// What the order gives to a cause: (cause slug, the sentence).
    charity: Option<(String, String)>,
}

/// A discount on a line, as the order page lists it.
struct DiscountLine {
    line: String,
    stage: String,
    amount: String,
    funder: String,
}

/// Every discount of the order's lines, in stacking order.
fn discount_lines(order: &caravan_market::orders::OrderView, tr: Tr) -> Vec<DiscountLine> {
    order
        .lines
        .iter()
        .flat_map(|l| {
            l.discounts.iter().map(move |d| DiscountLine {
                line: l.title.clone(),
                stage: tr.t(&format!("discount-stage-{}", d.stage)),
                amount: format!("−{}", tr.money(d.amount.amount_minor, &d.amount.currency)),
                funder: tr.t(&format!("discount-funder-{}", d.funder)),
            })
        })
        .collect()
}

pub(super) fn millis(rfc3339: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

fn dispute_box(d: DisputeView, tr: Tr, currency: &str) -> DisputeBox {
    let outcome = d.resolution.as_deref().map(|r| match (r, d.refund_minor) {
        ("refund", Some(m)) => tr.t1("dispute-refunded", "amount", &tr.money(m, currency)),
        _ => tr.t(&format!("dispute-outcome-{r}")),
    });
    DisputeBox {
        open: d.status == "open",
        status: tr.t(&format!("dispute-status-{}", d.status)),
        reason: d.reason,
        answer: d.merchant_answer,
        outcome,
    }
}

/// `GET /orders/{id}`: the order as its buyer, its store or an operator sees it.
pub async fn show(page: Page, SignedIn(actor): SignedIn, Path(id): Path<String>) -> Response {
    let m = &page.state.market;
    let (order, viewer) = match m.order_seen_by(&actor, &id).await {
        Ok(found) => found,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Forbidden) => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => return page.failed(e, "/orders").await,
    };
    let dispute = match m.dispute(&actor, &id).await {
        Ok(d) => Some(dispute_box(d, page.tr(), &order.total.currency)),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return page.failed(e, "/orders").await,
    };
    let chrome = page.chrome(&format!("/orders/{id}")).await;
    let charity = match &order.charity {
        Some(c) => match m.cause(&c.cause_id, page.prefs.locale).await {
            Ok(cause) => Some(pledge_line(c, &cause, page.tr())),
            Err(e) => return page.failed(e, "/orders").await,
        },
        None => None,
    };
    match order_page(order, viewer, dispute, page.tr(), chrome) {
        Some(mut body) => {
            body.charity = charity;
            page.html(body.render())
        }
        None => super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await,
    }
}

/// "This order gives €10.00 to Learn to swim (confirmed)".
fn pledge_line(
    c: &caravan_market::orders::OrderPledgeView,
    cause: &caravan_market::charity::CauseView,
    tr: Tr,
) -> (String, String) {
    let amount = tr.money(c.amount.amount_minor, &c.amount.currency);
    let state = tr.t(&format!("order-pledge-{}", c.state));
    let line = tr.t2("order-pledge", ("amount", &amount), ("cause", &cause.name));
    (cause.slug.clone(), format!("{line} ({state})"))
}

fn order_page(
    order: OrderView,
    viewer: Viewer,
    dispute: Option<DisputeBox>,
    tr: Tr,
    chrome: Chrome,
) -> Option<OrderPage> {
    let steps = order
        .history
        .iter()
        .map(|h| Step {
            label: tr.t(&format!("status-{}", h.status)),
            iso: h.at.clone(),
            when: millis(&h.at).map(|ms| tr.datetime(ms)).unwrap_or_default(),
            note: h.note.clone(),
        })
        .collect();
    let days = tr.t2(
        "product-delivery-days",
        ("min", &order.min_days.to_string()),
        ("max", &order.max_days.to_string()),
    );
    let method = tr.t(&format!("method-{}", order.shipping_method));
    let delivery = tr.t2("order-delivery", ("method", &method), ("days", &days));
    let is_buyer = viewer == Viewer::Buyer;
    let can_refund = !is_buyer
        && matches!(
            order.status.as_str(),
            "paid" | "shipped" | "delivered" | "completed"
        )
        && order.refunded.amount_minor < order.total.amount_minor;
    let can_answer = viewer == Viewer::Merchant && dispute.as_ref().is_some_and(|d| d.open);
    let mut key = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut key);
    let row = rows(std::slice::from_ref(&order), tr, is_buyer)
        .into_iter()
        .next()?;
    Some(OrderPage {
        can_dispute: is_buyer
            && dispute.is_none()
            && matches!(order.status.as_str(), "shipped" | "delivered"),
        can_refund,
        can_answer,
        refund_label: tr.t1("field-refund-amount", "currency", &order.total.currency),
        key: hex::encode(key),
        charity: None,
        delivery,
        goods: tr.money(order.goods.amount_minor, &order.goods.currency),
        shipping: tr.money(order.shipping.amount_minor, &order.shipping.currency),
        refunded: (order.refunded.amount_minor > 0)
            .then(|| tr.money(order.refunded.amount_minor, &order.refunded.currency)),
        discounts: discount_lines(&order, tr),
        steps,
        dispute,
        o: row,
        chrome,
        tr,
    })
}

/// The buyer's dispute form.
#[derive(Debug, Deserialize)]
pub struct DisputeForm {
    reason: String,
}

/// `POST /orders/{id}/dispute`.
pub async fn open_dispute(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DisputeForm>,
) -> Response {
    let back = format!("/orders/{id}");
    let r = page
        .state
        .market
        .open_dispute(&actor, &id, NewDispute { reason: f.reason });
    page.done(r.await.map(|_| ()), &back, &back).await
}

/// The store's refund form.
#[derive(Debug, Deserialize)]
pub struct RefundForm {
    key: IdempotencyKey,
    amount: Option<String>,
    reason: Option<String>,
}

/// The amount typed into the refund form, in the order's currency (`None`: everything left).
async fn refund_amount(
    page: &Page,
    actor: &Actor,
    id: &str,
    typed: Option<&str>,
) -> Result<Option<i64>, String> {
    let typed = typed.map(str::trim).unwrap_or_default();
    if typed.is_empty() {
        return Ok(None);
    }
    let order = page
        .state
        .market
        .order(actor, id)
        .await
        .map_err(|e| e.message)?;
    match super::seller::parse_price(typed, &order.total.currency) {
        Some(m) if m > 0 => Ok(Some(m)),
        _ => Err(page.tr().t("error-amount")),
    }
}

/// `POST /orders/{id}/refund` (its store or an operator).
pub async fn refund(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<RefundForm>,
) -> Response {
    let back = format!("/orders/{id}");
    let amount_minor = match refund_amount(&page, &actor, &id, f.amount.as_deref()).await {
        Ok(a) => a,
        Err(text) => return page.message(&text, &back).await,
    };
    let hash = format!("page:refund:{id}:{amount_minor:?}:{}", f.key.as_str());
    let input = RefundInput {
        amount_minor,
        reason: f.reason,
    };
    match page
        .state
        .market
        .refund(&actor, &id, &f.key, &hash, input)
        .await
    {
        Ok(r) if r.status < 300 => see_other(&back, &[]),
        Ok(r) => {
            let text = super::replay_error(&r.body, "refund failed");
            page.message(&text, &back).await
        }
        Err(e) => page.message(&e.message, &back).await,
    }
}

/// The store's answer to a dispute.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    answer: String,
}

/// `POST /orders/{id}/dispute/answer`.
pub async fn answer_dispute(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> Response {
    let back = format!("/orders/{id}");
    let r = page
        .state
        .market
        .answer_dispute(&actor, &id, DisputeAnswer { answer: f.answer });
    page.done(r.await.map(|_| ()), &back, &back).await
}
