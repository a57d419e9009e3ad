//! One order in the browser: what was bought, the delivery estimate, the status timeline with
//! dates in the buyer's language, receipt confirmation and buyer protection (open a dispute);
//! for its store, refunds (in full or in part) and the answer to a dispute.

use super::buy::{rows, OrderRow};
use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::{check_csrf, see_other, Session};
use super::{html, message, not_found};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::orders::{DisputeAnswer, DisputeView, NewDispute, RefundInput};
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
    steps: Vec<Step>,
    dispute: Option<DisputeBox>,
    can_dispute: bool,
    can_refund: bool,
    can_answer: bool,
    refund_label: String,
    key: String,
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

/// `GET /orders/{id}`: the order with its timeline, for its buyer (its store and operators
/// may look too; only the buyer can act).
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let Some(actor) = &session.0 else {
        return super::buy::login_first(&format!("/orders/{id}"));
    };
    let tr = Tr::new(prefs.locale);
    let order = match state.market.order(actor, &id).await {
        Ok(o) => o,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Forbidden) => {
            return not_found(&state, &headers, &prefs, &session).await
        }
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/orders").await,
    };
    let dispute = state
        .market
        .dispute(actor, &id)
        .await
        .ok()
        .map(|d| dispute_box(d, tr, &order.total.currency));
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
    let delivery = tr.t2(
        "order-delivery",
        (
            "method",
            &tr.t(&format!("method-{}", order.shipping_method)),
        ),
        (
            "days",
            &tr.t2(
                "product-delivery-days",
                ("min", &order.min_days.to_string()),
                ("max", &order.max_days.to_string()),
            ),
        ),
    );
    let is_buyer = state
        .market
        .my_orders(actor)
        .await
        .map(|mine| mine.iter().any(|m| m.id == order.id))
        .unwrap_or(false);
    let is_store = !is_buyer
        && state
            .market
            .my_merchant(actor)
            .await
            .is_ok_and(|m| m.id == order.merchant_id);
    let can_refund = !is_buyer
        && matches!(
            order.status.as_str(),
            "paid" | "shipped" | "delivered" | "completed"
        )
        && order.refunded.amount_minor < order.total.amount_minor;
    let can_answer = is_store && dispute.as_ref().is_some_and(|d| d.open);
    let mut key = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut key);
    let Some(row) = rows(std::slice::from_ref(&order), tr, is_buyer)
        .into_iter()
        .next()
    else {
        return not_found(&state, &headers, &prefs, &session).await;
    };
    let page = OrderPage {
        can_dispute: is_buyer
            && dispute.is_none()
            && matches!(order.status.as_str(), "shipped" | "delivered"),
        can_refund,
        can_answer,
        refund_label: tr.t1("field-refund-amount", "currency", &order.total.currency),
        key: hex::encode(key),
        delivery,
        goods: tr.money(order.goods.amount_minor, &order.goods.currency),
        shipping: tr.money(order.shipping.amount_minor, &order.shipping.currency),
        refunded: (order.refunded.amount_minor > 0)
            .then(|| tr.money(order.refunded.amount_minor, &order.refunded.currency)),
        steps,
        dispute,
        o: row,
        chrome: Chrome::new(
            &state.market,
            &prefs,
            &session,
            &format!("/orders/{id}"),
            "",
        )
        .await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The dispute form.
#[derive(Debug, Deserialize)]
pub struct DisputeForm {
    csrf: String,
    reason: String,
}

/// `POST /orders/{id}/dispute`: the buyer opens a dispute; the store is asked to answer.
pub async fn open_dispute(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<DisputeForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let back = format!("/orders/{id}");
    let Some(actor) = &session.0 else {
        return super::buy::login_first(&back);
    };
    match state
        .market
        .open_dispute(actor, &id, NewDispute { reason: f.reason })
        .await
    {
        Ok(_) => see_other(&back, &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}

/// The refund form: an amount in the store's currency (empty: everything not yet refunded).
#[derive(Debug, Deserialize)]
pub struct RefundForm {
    csrf: String,
    key: IdempotencyKey,
    amount: Option<String>,
    reason: Option<String>,
}

/// `POST /orders/{id}/refund`: the store (or an operator) refunds, once per form.
pub async fn refund(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<RefundForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let back = format!("/orders/{id}");
    let Some(actor) = &session.0 else {
        return super::buy::login_first(&back);
    };
    let tr = Tr::new(prefs.locale);
    let amount = f.amount.as_deref().map(str::trim).unwrap_or_default();
    let amount_minor = if amount.is_empty() {
        None
    } else {
        let currency = match state.market.order(actor, &id).await {
            Ok(o) => o.total.currency,
            Err(e) => return message(&state, &headers, &prefs, &session, &e.message, &back).await,
        };
        match super::seller::parse_price(amount, &currency) {
            Some(m) if m > 0 => Some(m),
            _ => {
                let text = tr.t("error-amount");
                return message(&state, &headers, &prefs, &session, &text, &back).await;
            }
        }
    };
    let hash = format!("page:refund:{id}:{amount_minor:?}:{}", f.key.as_str());
    let input = RefundInput {
        amount_minor,
        reason: f.reason,
    };
    match state.market.refund(actor, &id, &f.key, &hash, input).await {
        Ok(r) if r.status < 300 => see_other(&back, &[]),
        Ok(r) => {
            let text = super::replay_error(&r.body, "refund failed");
            message(&state, &headers, &prefs, &session, &text, &back).await
        }
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}

/// The store's answer to a dispute.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    csrf: String,
    answer: String,
}

/// `POST /orders/{id}/dispute/answer`: the store gives its side; an operator decides.
pub async fn answer_dispute(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let back = format!("/orders/{id}");
    let Some(actor) = &session.0 else {
        return super::buy::login_first(&back);
    };
    match state
        .market
        .answer_dispute(actor, &id, DisputeAnswer { answer: f.answer })
        .await
    {
        Ok(_) => see_other(&back, &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}
