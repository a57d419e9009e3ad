//! The seller centre (first part): balance and the store's orders, shipped with tracking and
//! marked delivered from the browser.

use super::buy::{rows, OrderRow};
use super::chrome::Chrome;
use super::extract::{CsrfForm, NoFields, Page, Seller};
use super::i18n::Tr;
use super::session::see_other;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use caravan_domain::Currency;
use caravan_market::accounts::Actor;
use caravan_market::catalogue::{
    NewProduct, NewVariant, ProductListParams, ProductPatch, TextInput,
};
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::orders::ShipInput;
use caravan_market::payouts::PayoutInput;
use caravan_market::MarketError;
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

/// `GET /seller` (merchants only; others are sent to log in, or shown a 403 page).
pub async fn dashboard(page: Page, Seller(actor): Seller, Query(paid): Query<Paid>) -> Response {
    match dashboard_page(&page, &actor, paid.paid.is_some()).await {
        Ok(body) => page.html(body.render()),
        Err(e) => page.failed(e, "/").await,
    }
}

async fn dashboard_page(
    page: &Page,
    actor: &Actor,
    paid_out: bool,
) -> Result<Dashboard, MarketError> {
    let m = &page.state.market;
    let tr = page.tr();
    let b = m.store_balance(actor).await?;
    let balance = tr.t2(
        "seller-balance",
        (
            "available",
            &tr.money(b.available.amount_minor, &b.available.currency),
        ),
        (
            "escrow",
            &tr.money(b.in_escrow.amount_minor, &b.in_escrow.currency),
        ),
    );
    let orders = m.store_orders(actor, None).await?;
    let currency = m.my_merchant(actor).await?.settlement_currency;
    let params = ProductListParams {
        limit: Some(100),
        ..ProductListParams::default()
    };
    let own = m
        .list_own_products(actor, params, page.prefs.locale)
        .await?
        .items;
    let cats = m.categories(page.prefs.locale).await?;
    let payouts = m.payouts(actor).await?;
    let mut key = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut key);
    Ok(Dashboard {
        balance,
        orders: rows(&orders, tr, false),
        paid_out,
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
        payouts: payouts.iter().map(|p| payout_row(p, tr)).collect(),
        chrome: page.chrome("/seller").await,
        tr,
    })
}

/// (date, ISO date, amount, status) of a payout.
fn payout_row(p: &caravan_market::payouts::PayoutView, tr: Tr) -> (String, String, String, String) {
    let when = super::order::millis(&p.created_at)
        .map(|ms| tr.datetime(ms))
        .unwrap_or_default();
    (
        when,
        p.created_at.clone(),
        tr.money(p.amount.amount_minor, &p.amount.currency),
        tr.t(&format!("status-{}", p.status)),
    )
}

/// The ship form.
#[derive(Debug, Deserialize)]
pub struct ShipForm {
    carrier: Option<String>,
    tracking_number: Option<String>,
}

/// `POST /seller/orders/{id}/ship`.
pub async fn ship(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ShipForm>,
) -> Response {
    let input = ShipInput {
        carrier: f.carrier.unwrap_or_default(),
        tracking_number: f.tracking_number.unwrap_or_default(),
    };
    let r = page.state.market.ship(&actor, &id, input).await;
    page.done(r.map(|_| ()), "/seller", "/seller").await
}

/// `POST /seller/orders/{id}/deliver`: the store reports the carrier delivered it.
pub async fn deliver(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let r = page.state.market.deliver(&actor, &id).await;
    page.done(r.map(|_| ()), "/seller", "/seller").await
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
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<ProductForm>,
) -> Response {
    let m = &page.state.market;
    let store = match m.my_merchant(&actor).await {
        Ok(m) => m,
        Err(e) => return page.message(&e.message, "/seller").await,
    };
    let currency = store.settlement_currency;
    let Some(price_minor) = parse_price(&f.price, &currency) else {
        let text = page.tr().t1("field-price", "currency", &currency);
        return page.message(&text, "/seller").await;
    };
    let text = TextInput {
        title: f.title,
        description: f.description.unwrap_or_default(),
    };
    let product = NewProduct {
        category_id: f.category_id,
        texts: BTreeMap::from([(store.default_locale, text)]),
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
            currency: Some(currency),
            stock: f.stock,
        }],
    };
    let r = m.create_product(&actor, product).await;
    page.done(r.map(|_| ()), "/seller", "/seller").await
}

/// Publish / unpublish.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /seller/products/{id}/status`.
pub async fn set_status(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Response {
    let patch = ProductPatch {
        status: Some(f.status),
        ..ProductPatch::default()
    };
    let r = page.state.market.update_product(&actor, &id, patch).await;
    page.done(r.map(|_| ()), "/seller", "/seller").await
}

/// The payout form (its key makes a double submit pay once).
#[derive(Debug, Deserialize)]
pub struct PayoutForm {
    key: IdempotencyKey,
}

/// `POST /seller/payout`: everything available goes out through the sandbox provider.
pub async fn payout(
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<PayoutForm>,
) -> Response {
    let hash = format!("page:payout:{}", f.key.as_str());
    let all = PayoutInput { amount_minor: None };
    match page
        .state
        .market
        .request_payout(&actor, &f.key, &hash, all)
        .await
    {
        Ok(r) if r.status < 300 => see_other("/seller?paid=1", &[]),
        Ok(r) => {
            let text = super::replay_error(&r.body, "payout failed");
            page.message(&text, "/seller").await
        }
        Err(e) => page.message(&e.message, "/seller").await,
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
