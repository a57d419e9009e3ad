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
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_domain::Currency;
use caravan_market::catalogue::{
    NewProduct, NewVariant, ProductListParams, ProductPatch, TextInput,
};
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::orders::ShipInput;
use caravan_market::payouts::PayoutInput;
use rand::RngCore;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "seller.html")]
struct Dashboard {
    tr: Tr,
    chrome: Chrome,
    balance: String,
    orders: Vec<OrderRow>,
    paid_out: bool,
    key: String,
    products: Vec<(String, String, String, String, String)>,
    categories: Vec<(String, String)>,
    price_label: String,
    /// (date, ISO date, amount, status) of the store's payouts, newest first.
    payouts: Vec<(String, String, String, String)>,
}

/// Shows that a payout was just sent.
#[derive(Debug, Default, Deserialize)]
pub struct Paid {
    paid: Option<String>,
}

/// `GET /seller`.
pub async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(paid): Query<Paid>,
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
    let currency = state
        .market
        .my_merchant(actor)
        .await
        .map(|m| m.settlement_currency)
        .unwrap_or_default();
    let own = state
        .market
        .list_own_products(
            actor,
            ProductListParams {
                limit: Some(100),
                ..ProductListParams::default()
            },
            prefs.locale,
        )
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let cats = state
        .market
        .categories(prefs.locale)
        .await
        .unwrap_or_default();
    let payouts = state.market.payouts(actor).await.unwrap_or_default();
    let mut key = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut key);
    let page = Dashboard {
        balance,
        orders: rows(&orders, tr, false),
        paid_out: paid.paid.is_some(),
        key: hex::encode(key),
        products: own
            .into_iter()
            .map(|p| {
                let price = tr.money(p.price_from.amount_minor, &p.price_from.currency);
                let label = tr.t(&format!("status-{}", p.status));
                (p.id, p.title, price, p.status, label)
            })
            .collect(),
        categories: cats
            .iter()
            .filter(|c| {
                !cats
                    .iter()
                    .any(|k| k.parent_id.as_deref() == Some(c.id.as_str()))
            })
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        price_label: tr.t1("field-price", "currency", &currency),
        payouts: payouts
            .iter()
            .map(|p| {
                let when = super::order::millis(&p.created_at)
                    .map(|ms| tr.datetime(ms))
                    .unwrap_or_default();
                (
                    when,
                    p.created_at.clone(),
                    tr.money(p.amount.amount_minor, &p.amount.currency),
                    tr.t(&format!("status-{}", p.status)),
                )
            })
            .collect(),
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

/// Parses a decimal price typed by a seller (`12.50`, `12,5`, `12`) into minor units.
pub fn parse_price(text: &str, currency: &str) -> Option<i64> {
    let exponent = Currency::parse(currency).ok()?.exponent() as usize;
    let text = text.trim().replace(',', ".");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty()
        || frac.len() > exponent
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{whole}{frac:0<exponent$}");
    digits.parse().ok()
}

/// The new-product form.
#[derive(Debug, Deserialize)]
pub struct ProductForm {
    csrf: String,
    title: String,
    description: Option<String>,
    category_id: String,
    price: String,
    stock: i64,
    sku: String,
    weight_grams: i64,
}

/// `POST /seller/products`: a published product with one variant, titled in the store's language.
pub async fn create_product(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<ProductForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let store = match state.market.my_merchant(actor).await {
        Ok(m) => m,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    };
    let Some(price_minor) = parse_price(&f.price, &store.settlement_currency) else {
        let tr = Tr::new(prefs.locale);
        return message(
            &state,
            &headers,
            &prefs,
            &session,
            &tr.t1("field-price", "currency", &store.settlement_currency),
            "/seller",
        )
        .await;
    };
    let product = NewProduct {
        category_id: f.category_id,
        texts: BTreeMap::from([(
            store.default_locale.clone(),
            TextInput {
                title: f.title,
                description: f.description.unwrap_or_default(),
            },
        )]),
        images: Vec::new(),
        attributes: BTreeMap::new(),
        hs_code: None,
        origin_country: None,
        ship_from_country: None,
        weight_grams: f.weight_grams,
        status: Some("published".to_owned()),
        variants: vec![NewVariant {
            sku: f.sku,
            options: BTreeMap::new(),
            price_minor,
            currency: Some(store.settlement_currency.clone()),
            stock: f.stock,
        }],
    };
    match state.market.create_product(actor, product).await {
        Ok(_) => see_other("/seller", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}

/// Publish / unpublish.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    csrf: String,
    status: String,
}

/// `POST /seller/products/{id}/status`.
pub async fn set_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let patch = ProductPatch {
        status: Some(f.status),
        ..ProductPatch::default()
    };
    match state.market.update_product(actor, &id, patch).await {
        Ok(_) => see_other("/seller", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}

/// The payout form (its key makes a double submit pay once).
#[derive(Debug, Deserialize)]
pub struct PayoutForm {
    csrf: String,
    key: IdempotencyKey,
}

/// `POST /seller/payout`: everything available goes out through the sandbox provider.
pub async fn payout(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<PayoutForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let hash = format!("page:payout:{}", f.key.as_str());
    match state
        .market
        .request_payout(actor, &f.key, &hash, PayoutInput { amount_minor: None })
        .await
    {
        Ok(r) if r.status < 300 => see_other("/seller?paid=1", &[]),
        Ok(r) => {
            let text = super::replay_error(&r.body, "payout failed");
            message(&state, &headers, &prefs, &session, &text, "/seller").await
        }
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_price;

    #[test]
    fn prices_typed_by_sellers() {
        assert_eq!(parse_price("12.50", "EUR"), Some(1250));
        assert_eq!(parse_price("12,5", "EUR"), Some(1250));
        assert_eq!(parse_price("12", "EUR"), Some(1200));
        assert_eq!(parse_price("500", "JPY"), Some(500));
        assert_eq!(parse_price("1.5", "JPY"), None);
        assert_eq!(parse_price("1.2345", "KWD"), None);
        assert_eq!(parse_price("-3", "EUR"), None);
        assert_eq!(parse_price("abc", "EUR"), None);
        assert_eq!(parse_price("", "EUR"), None);
    }
}
