//! Crash safety: `kill -9` the server in the middle of a checkout burst, start it again, and
//! every order that got a 2xx is there, and stock + sold units equals the starting stock.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly on the first broken expectation"
)]

use serde_json::{json, Value};
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn serve(dir: &std::path::Path, demo: bool) -> (common::Server, String) {
    let (server, url, _) = common::serve(dir, if demo { &["--demo"] } else { &[] });
    (server, url)
}

async fn login(client: &reqwest::Client, url: &str, email: &str) -> String {
    let r: Value = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": "caravan-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_burst_loses_no_acknowledged_order() {
    let dir = caravan_store::testing::temp_dir();
    let client = reqwest::Client::new();
    let (server, url) = serve(&dir, true);
    let merchant = login(&client, &url, "seta-como@demo.caravan.test").await;
    let buyer = login(&client, &url, "anna@demo.caravan.test").await;
    let cats = common::get_json(&client, &format!("{url}/api/v1/categories"), None).await;
    let cat = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "scarves")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"category_id": cat, "texts": {"en": {"title": "Crash-test scarf"}}, "weight_grams": 100, "status": "published",
                      "variants": [{"sku": "CRASH-1", "price_minor": 1000, "stock": 300}]});
    let p: Value = client
        .post(format!("{url}/api/v1/merchant/products"))
        .bearer_auth(&merchant)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (product, variant) = (
        p["id"].as_str().unwrap().to_owned(),
        p["variants"][0]["id"].as_str().unwrap().to_owned(),
    );

    // 150 checkouts at once; the server is killed once some have been answered.
    let answered = Arc::new(AtomicUsize::new(0));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..150 {
        let (client, url, buyer, variant, answered) = (
            client.clone(),
            url.clone(),
            buyer.clone(),
            variant.clone(),
            answered.clone(),
        );
        set.spawn(async move {
            let body = json!({"items": [{"variant_id": variant, "quantity": 2}], "currency": "EUR",
                "address": {"name": "A", "line1": "B", "city": "C", "postal_code": "1", "country": "RU"}, "payment_method": "pm_sandbox_success"});
            let r = client.post(format!("{url}/api/v1/checkout")).bearer_auth(buyer).header("Idempotency-Key", format!("crash-{i}")).json(&body).send().await;
            let acked = match r {
                Ok(r) if r.status().is_success() => r.json::<Value>().await.ok().map(|v| {
                    v["orders"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
                }),
                _ => None,
            };
            answered.fetch_add(1, Ordering::SeqCst);
            acked
        });
    }
    while answered.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    drop(server); // SIGKILL: no graceful shutdown, no flush beyond what was committed
    let mut acknowledged = Vec::new();
    while let Some(r) = set.join_next().await {
        acknowledged.extend(r.unwrap().unwrap_or_default());
    }
    assert!(
        !acknowledged.is_empty(),
        "some checkouts were acknowledged before the kill"
    );

    let (_server, url) = serve(&dir, false);
    let buyer = login(&client, &url, "anna@demo.caravan.test").await;
    let merchant = login(&client, &url, "seta-como@demo.caravan.test").await;
    for id in &acknowledged {
        let r = client
            .get(format!("{url}/api/v1/orders/{id}"))
            .bearer_auth(&buyer)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status().as_u16(),
            200,
            "acknowledged order {id} survived the crash"
        );
    }
    let orders = common::get_json(&client, &format!("{url}/api/v1/orders"), Some(&buyer)).await;
    let sold: i64 = orders
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["lines"].as_array().unwrap().clone())
        .filter(|l| l["variant_id"] == variant.as_str())
        .map(|l| l["quantity"].as_i64().unwrap())
        .sum();
    let p = common::get_json(
        &client,
        &format!("{url}/api/v1/merchant/products/{product}"),
        Some(&merchant),
    )
    .await;
    let stock = p["variants"][0]["stock"].as_i64().unwrap();
    assert_eq!(
        stock + sold,
        300,
        "stock {stock} + sold {sold} is the starting stock"
    );
    assert!(sold >= 2 * acknowledged.len() as i64);
    eprintln!(
        "acknowledged {} orders before kill -9; {} units sold in all",
        acknowledged.len(),
        sold
    );
}
