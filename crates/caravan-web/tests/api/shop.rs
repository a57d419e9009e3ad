//! A small two-country shop for the checkout tests.

use crate::app::{product_body, TestApp};
use serde_json::{json, Value};

pub struct Shop {
    pub op: String,
    /// Italian store, EUR: token, merchant id, variant id (stock 10, €25.00, 200 g).
    pub it: (String, String, String),
    /// Polish store, PLN: token, merchant id, variant id (stock 10, 43.00 zł).
    pub pl: (String, String, String),
}

pub fn address(country: &str) -> Value {
    json!({"name": "Анна Иванова", "line1": "ул. Тверская, 1", "city": "Москва", "postal_code": "125009", "country": country})
}

pub async fn product(
    app: &TestApp,
    token: &str,
    cat: &str,
    sku: &str,
    price: i64,
    stock: i64,
    currency: &str,
) -> (String, String) {
    let mut body = product_body(cat, sku, price, stock);
    body["variants"][0]["currency"] = json!(currency);
    body["weight_grams"] = json!(200);
    let res = app
        .post("/api/v1/merchant/products", Some(token), body)
        .await;
    let p = res.ok(201);
    (
        p["id"].as_str().unwrap().to_owned(),
        p["variants"][0]["id"].as_str().unwrap().to_owned(),
    )
}

pub async fn shop(app: &TestApp) -> Shop {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    app.put(
        "/api/v1/admin/rates",
        Some(&op),
        json!({"rates": {"PLN": "4.3", "RUB": "95", "USD": "1.08"}}),
    )
    .await
    .ok(200);
    app.put(
        &format!("/api/v1/admin/categories/{cat}/fee"),
        Some(&op),
        json!({"fee_bps": 800}),
    )
    .await;
    let (it_token, it_id) = app.merchant(&op, "it@example.com", "IT", "EUR").await;
    let (pl_token, pl_id) = app.merchant(&op, "pl@example.com", "PL", "PLN").await;
    let (_, it_var) = product(app, &it_token, &cat, "IT-1", 2500, 10, "EUR").await;
    let (_, pl_var) = product(app, &pl_token, &cat, "PL-1", 4300, 10, "PLN").await;
    app.put(
        "/api/v1/merchant/shipping",
        Some(&it_token),
        json!({"rules": [
            {"destination": "*", "method": "standard", "bands": [{"up_to_grams": 1000, "price_minor": 900}, {"up_to_grams": 5000, "price_minor": 1900}], "min_days": 7, "max_days": 14},
            {"destination": "RU", "method": "express", "bands": [{"up_to_grams": 2000, "price_minor": 2500}], "min_days": 3, "max_days": 5, "free_over_minor": 100000}
        ]}),
    )
    .await
    .ok(200);
    app.put(
        "/api/v1/merchant/shipping",
        Some(&pl_token),
        json!({"rules": [
            {"destination": "RU", "method": "economy", "bands": [{"up_to_grams": 2000, "price_minor": 1500}], "min_days": 10, "max_days": 20},
            {"destination": "PL", "method": "standard", "bands": [{"up_to_grams": 2000, "price_minor": 990}], "min_days": 1, "max_days": 2}
        ]}),
    )
    .await
    .ok(200);
    Shop {
        op,
        it: (it_token, it_id, it_var),
        pl: (pl_token, pl_id, pl_var),
    }
}

/// A cart of `buyer` shipped to `country` and priced in `currency`, with `quantity` of each of
/// `variants` added one line at a time (each must be accepted); returns its id.
pub async fn filled_cart(
    app: &TestApp,
    buyer: &str,
    (country, currency): (&str, &str),
    variants: &[String],
    quantity: i64,
) -> String {
    let body = json!({"country": country, "currency": currency});
    let cart = app.post("/api/v1/carts", Some(buyer), body).await;
    let cid = cart.ok(201)["cart"]["id"].as_str().unwrap().to_owned();
    for v in variants {
        let line = json!({"variant_id": v, "quantity": quantity});
        app.post(&format!("/api/v1/carts/{cid}/lines"), Some(buyer), line)
            .await
            .ok(200);
    }
    cid
}

/// Sums every ledger entry per currency (each must be zero) and checks escrow equals the money
/// of paid-but-not-completed orders (less their creators' pending commission), and no merchant
/// balance is negative.
pub async fn audit(app: &TestApp) {
    let store = app.market.store();
    let entries = store.ledger_entries().await.unwrap();
    let mut per_tx: std::collections::BTreeMap<(String, String), i64> = Default::default();
    for (tx, _, currency, amount) in &entries {
        *per_tx.entry((tx.clone(), currency.clone())).or_default() += amount;
    }
    assert!(
        per_tx.values().all(|v| *v == 0),
        "every ledger transaction balances per currency: {per_tx:?}"
    );
    let balances = store.balances().await.unwrap();
    for (account, currency, balance) in &balances {
        let sum: i64 = entries
            .iter()
            .filter(|e| &e.1 == account && &e.2 == currency)
            .map(|e| e.3)
            .sum();
        assert_eq!(
            *balance, sum,
            "running balance of {account} {currency} equals its entries"
        );
        if account.starts_with("merchant:") {
            assert!(*balance >= 0, "{account} is negative");
        }
    }
    let mut held: std::collections::BTreeMap<String, i64> = Default::default();
    for status in ["paid", "shipped", "delivered"] {
        for o in store.orders_by("status", status, 100_000).await.unwrap() {
            // A creator's commission and a cause's pledge still pending were set aside from
            // escrow at payment.
            let left = |set_aside: i64| {
                set_aside
                    - caravan_domain::prorate(set_aside, o.refunded_minor, o.total_minor).unwrap()
            };
            let pending = left(o.commission_minor) + left(o.pledge_minor);
            *held.entry(o.currency.clone()).or_default() +=
                o.total_minor - o.refunded_minor - pending;
        }
    }
    let escrow: std::collections::BTreeMap<String, i64> = balances
        .iter()
        .filter(|b| b.0 == "escrow")
        .map(|b| (b.1.clone(), b.2))
        .filter(|b| b.1 != 0)
        .collect();
    held.retain(|_, v| *v != 0);
    assert_eq!(
        escrow, held,
        "escrow equals the money of paid-but-not-completed orders"
    );
}

/// The id of the category the test shop's products are in (the second one the API lists).
pub async fn shop_category(app: &TestApp) -> String {
    app.get("/api/v1/categories", None).await.ok(200)[1]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}
