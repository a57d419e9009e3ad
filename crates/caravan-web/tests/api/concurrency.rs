//! Checkout under contention: a hot SKU never oversells, and one idempotency key never makes
//! two orders, however many requests arrive at once.

use crate::app::{TestApp, PASSWORD};
use crate::on_both_engines;
use crate::shop::{address, audit, product, shop};
use serde_json::{json, Value};
use tokio::task::JoinSet;

on_both_engines!(
    five_hundred_checkouts_for_a_hundred_units,
    twenty_identical_requests_make_one_order
);

/// Registers `n` buyers, 50 at a time; returns their tokens.
pub async fn buyers(app: &TestApp, n: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let mut set = JoinSet::new();
        for &i in chunk {
            let (client, base) = (app.client.clone(), app.base.clone());
            set.spawn(async move { register(&client, &base, i).await });
        }
        while let Some(t) = set.join_next().await {
            tokens.push(t.unwrap());
        }
    }
    tokens
}

async fn register(client: &reqwest::Client, base: &str, i: usize) -> String {
    let email = format!("buyer{i}@example.com");
    let reg = json!({"email": email, "password": PASSWORD, "display_name": format!("Buyer {i}")});
    let r = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&reg)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let login = json!({"email": email, "password": PASSWORD});
    let r: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

async fn five_hundred_checkouts_for_a_hundred_units(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let cat = crate::shop::shop_category(app).await;
    let (product_id, variant) = product(app, it, &cat, "HOT-1", 999, 100, "EUR").await;
    let tokens = buyers(app, 100).await;

    // 100 buyers, five checkouts each with their own keys: 500 requests at once.
    let mut set = JoinSet::new();
    for (b, token) in tokens.iter().enumerate() {
        for k in 0..5 {
            let (remote, token, variant) = (app.remote(), token.clone(), variant.clone());
            set.spawn(async move {
                let body = json!({"items": [{"variant_id": variant, "quantity": 1}], "address": address("FR"), "payment_method": "pm_sandbox_success"});
                let r = remote
                    .post_idem("/api/v1/checkout", &token, &format!("hot-{b}-{k}"), body)
                    .await;
                (r.status.as_u16(), r.body)
            });
        }
    }
    let (mut placed, mut sold_out) = (0, 0);
    while let Some(r) = set.join_next().await {
        let (status, body) = r.unwrap();
        match status {
            201 => placed += 1,
            409 => {
                assert_eq!(body["error"]["code"], "out_of_stock");
                sold_out += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(
        (placed, sold_out),
        (100, 400),
        "exactly the stock, never one more"
    );
    let p = app
        .get(&format!("/api/v1/merchant/products/{product_id}"), Some(it))
        .await;
    assert_eq!(p.ok(200)["variants"][0]["stock"], 0);
    let orders = app
        .market
        .store()
        .orders_by("status", "paid", 10_000)
        .await
        .unwrap();
    let lines = app
        .market
        .store()
        .order_lines(&orders.iter().map(|o| o.id.clone()).collect::<Vec<_>>())
        .await
        .unwrap();
    let sold: i64 = lines
        .iter()
        .filter(|l| l.variant_id == variant)
        .map(|l| l.quantity)
        .sum();
    assert_eq!(sold, 100, "stock + sold units = the starting stock");
    audit(app).await;
}

async fn twenty_identical_requests_make_one_order(app: &TestApp) {
    let s = shop(app).await;
    let (_, _, variant) = &s.it;
    let token = app.buyer("same@example.com").await;
    let body = json!({"items": [{"variant_id": variant, "quantity": 2}], "address": address("FR"), "payment_method": "pm_sandbox_success"});
    let mut set = JoinSet::new();
    for _ in 0..20 {
        let (remote, token, body) = (app.remote(), token.clone(), body.clone());
        set.spawn(async move {
            let r = remote
                .post_idem("/api/v1/checkout", &token, "once", body)
                .await;
            (r.status.as_u16(), r.body)
        });
    }
    let mut groups = std::collections::HashSet::new();
    while let Some(r) = set.join_next().await {
        let (status, body) = r.unwrap();
        match status {
            201 => {
                groups.insert(body["group_id"].as_str().unwrap().to_owned());
            }
            409 => assert_eq!(body["error"]["code"], "idempotency_key_in_use"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(groups.len(), 1, "every success is the same checkout");
    let mine = app.get("/api/v1/orders", Some(&token)).await;
    assert_eq!(
        mine.ok(200).as_array().unwrap().len(),
        1,
        "exactly one order"
    );
    // Afterwards the key replays the one answer.
    let again = app
        .post_idem("/api/v1/checkout", &token, "once", body.clone())
        .await;
    assert_eq!(
        again.ok(201)["group_id"].as_str().unwrap(),
        groups.iter().next().unwrap()
    );

    // A repeat of the checkout that took the last units still gets its first answer (the
    // stock check before the writer fails, the stored answer wins), and buys nothing more.
    let rest = json!({"items": [{"variant_id": variant, "quantity": 8}], "address": address("FR"), "payment_method": "pm_sandbox_success"});
    let last = app
        .post_idem("/api/v1/checkout", &token, "the-rest", rest.clone())
        .await;
    let last = last.ok(201).clone();
    let repeat = app
        .post_idem("/api/v1/checkout", &token, "the-rest", rest)
        .await;
    assert_eq!(repeat.ok(201), &last, "the first answer, byte for byte");
    let mine = app.get("/api/v1/orders", Some(&token)).await;
    assert_eq!(mine.ok(200).as_array().unwrap().len(), 2, "two orders");
    app.post_idem("/api/v1/checkout", &token, "the-rest", body)
        .await
        .error(422, "idempotency_key_reused");
    audit(app).await;
}
