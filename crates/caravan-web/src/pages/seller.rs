//! The seller centre (first part): balance and the store's orders, shipped with tracking and
//! marked delivered from the browser.

use super::buy::{rows, OrderRow};
use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::{check_csrf, see_other, Session, TokenForm};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::orders::ShipInput;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "seller.html")]
struct Dashboard {
    tr: Tr,
    chrome: Chrome,
    balance: String,
    orders: Vec<OrderRow>,
}

/// `GET /seller`.
pub async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
) -> Response {
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Fseller", &[]);
    };
    let tr = Tr::new(prefs.locale);
    let balance = match state.market.store_balance(actor).await {
        Ok(b) => tr.t2(
            "seller-balance",
            (
                "available",
                &tr.money(b.available.amount_minor, &b.available.currency),
            ),
            (
                "escrow",
                &tr.money(b.in_escrow.amount_minor, &b.in_escrow.currency),
            ),
        ),
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/").await,
    };
    let orders = state
        .market
        .store_orders(actor, None)
        .await
        .unwrap_or_default();
    let page = Dashboard {
        balance,
        orders: rows(&orders, tr, false),
        chrome: Chrome::new(&state.market, &prefs, &session, "/seller", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The ship form.
#[derive(Debug, Deserialize)]
pub struct ShipForm {
    csrf: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
}

/// `POST /seller/orders/{id}/ship`.
pub async fn ship(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<ShipForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let input = ShipInput {
        carrier: f.carrier.unwrap_or_default(),
        tracking_number: f.tracking_number.unwrap_or_default(),
    };
    match state.market.ship(actor, &id, input).await {
        Ok(_) => see_other("/seller", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}

/// `POST /seller/orders/{id}/deliver`: the store reports the carrier delivered it.
pub async fn deliver(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    match state.market.deliver(actor, &id).await {
        Ok(_) => see_other("/seller", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}
