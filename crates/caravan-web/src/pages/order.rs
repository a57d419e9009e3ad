//! One order in the browser: what was bought, the delivery estimate, the status timeline with
//! dates in the buyer's language, receipt confirmation and buyer protection (open a dispute).

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
use caravan_market::orders::{DisputeView, NewDispute};
use caravan_market::ErrorKind;
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
}

fn millis(rfc3339: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

fn dispute_box(d: DisputeView, tr: Tr, currency: &str) -> DisputeBox {
    let outcome = d.resolution.as_deref().map(|r| match (r, d.refund_minor) {
        ("refund", Some(m)) => tr.t1("dispute-refunded", "amount", &tr.money(m, currency)),
        _ => tr.t(&format!("dispute-outcome-{r}")),
    });
    DisputeBox {
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
        Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::Forbidden) => {
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
