//! Documented error codes that no journey test provokes on its way: each is asked for here
//! through the real HTTP path, with its documented status (checked by `Res::error`).

use crate::app::{product_body, TestApp, WEBHOOK_SECRET};
use crate::on_both_engines;
use crate::shop::{address, filled_cart, shop};
use caravan_market::Clock;
use serde_json::json;

on_both_engines!(
    account_and_store_input_codes,
    catalogue_and_money_setup_codes,
    order_action_codes,
    a_full_cart_and_a_full_image_library,
    a_database_that_went_away_is_not_ready_and_unavailable,
    a_body_that_cannot_be_read,
);

async fn account_and_store_input_codes(app: &TestApp) {
    let reg = |email: &str, name: &str| json!({"email": email, "password": "long enough password", "display_name": name});
    app.post("/api/v1/auth/register", None, reg("not-an-email", "Ann"))
        .await
        .error(422, "invalid_email");
    app.post("/api/v1/auth/register", None, reg("a@example.com", ""))
        .await
        .error(422, "invalid_display_name");
    let buyer = app.buyer("b@example.com").await;
    app.post(
        "/api/v1/me/tokens",
        Some(&buyer),
        json!({"name": "x".repeat(61)}),
    )
    .await
    .error(422, "invalid_name");
    let apply = |name: &str, description: &str| json!({"store_name": name, "country": "IT", "settlement_currency": "EUR", "default_locale": "it", "description": description});
    app.post("/api/v1/merchant-applications", Some(&buyer), apply("", ""))
        .await
        .error(422, "invalid_store_name");
    app.post(
        "/api/v1/merchant-applications",
        Some(&buyer),
        apply("Bottega", &"d".repeat(2001)),
    )
    .await
    .error(422, "invalid_description");
    let m = app.post(
        "/api/v1/merchant-applications",
        Some(&buyer),
        apply("Bottega", ""),
    );
    let id = m.await.ok(201)["id"].as_str().unwrap().to_owned();
    let op = app.operator().await;
    app.post(
        &format!("/api/v1/admin/merchants/{id}/decision"),
        Some(&op),
        json!({"decision": "reject", "reason": "r".repeat(501)}),
    )
    .await
    .error(422, "invalid_reason");
    let still = app
        .get("/api/v1/admin/merchants?status=pending", Some(&op))
        .await;
    assert!(still.ok(200).to_string().contains(&id), "nothing changed");
}

async fn catalogue_and_money_setup_codes(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (m, _) = app.merchant(&op, "m@example.com", "IT", "EUR").await;
    let mut bad_sku = product_body(&cat, "has space", 100, 1);
    app.post("/api/v1/merchant/products", Some(&m), bad_sku.clone())
        .await
        .error(422, "invalid_sku");
    bad_sku["variants"][0]["sku"] = json!("OK-1");
    let attributes: serde_json::Map<String, serde_json::Value> =
        (0..31).map(|i| (format!("a{i}"), json!("v"))).collect();
    bad_sku["attributes"] = json!(attributes);
    app.post("/api/v1/merchant/products", Some(&m), bad_sku)
        .await
        .error(422, "invalid_attributes");
    app.post(
        "/api/v1/categories",
        Some(&op),
        json!({"slug": "no-english", "names": {"it": "Borse"}}),
    )
    .await
    .error(422, "invalid_names");
    app.put(
        "/api/v1/admin/rates",
        Some(&op),
        json!({"rates": {"USD": "one"}}),
    )
    .await
    .error(422, "invalid_rate");
    app.put(
        &format!("/api/v1/admin/categories/{cat}/fee"),
        Some(&op),
        json!({"fee_bps": 6000}),
    )
    .await
    .error(422, "invalid_fee");
    let band = |grams: i64| json!({"up_to_grams": grams, "price_minor": 500});
    app.put(
        "/api/v1/merchant/shipping",
        Some(&m),
        json!({"rules": [{"destination": "*", "method": "standard", "bands": [band(2000), band(1000)], "min_days": 9, "max_days": 3}]}),
    )
    .await
    .error(422, "invalid_shipping");
    let products = app
        .get("/api/v1/merchant/products", Some(&m))
        .await
        .ok(200)
        .clone();
    assert_eq!(products["items"].as_array().unwrap().len(), 0);
    let rates = app.get("/api/v1/rates", None).await.ok(200).clone();
    assert!(!rates.to_string().contains("\"USD\""), "{rates}");
}

async fn order_action_codes(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let buyer = app.buyer("anna@example.ru").await;
    let body = json!({"items": [{"variant_id": it_var, "quantity": 1}], "address": address("RU"), "payment_method": "pm_sandbox_success", "currency": "EUR"});
    let placed = app
        .post_idem("/api/v1/checkout", &buyer, "codes-1", body)
        .await;
    let placed = placed.ok(201).clone();
    let oid = placed["orders"][0]["id"].as_str().unwrap().to_owned();
    let payment_ref = placed["payment"]["provider_ref"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(it),
        json!({"carrier": "DHL", "tracking_number": " "}),
    )
    .await
    .error(422, "invalid_tracking");
    app.post_idem(
        &format!("/api/v1/orders/{oid}/refund"),
        it,
        "refund-too-much",
        json!({"amount_minor": 1_000_000}),
    )
    .await
    .error(422, "invalid_amount");
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(it),
        json!({"carrier": "DHL", "tracking_number": "JD1"}),
    )
    .await
    .ok(200);
    app.post(
        &format!("/api/v1/orders/{oid}/dispute"),
        Some(&buyer),
        json!({"reason": "arrived broken"}),
    )
    .await
    .ok(201);
    app.post(
        &format!("/api/v1/admin/orders/{oid}/dispute/decision"),
        Some(&s.op),
        json!({"outcome": "maybe"}),
    )
    .await
    .error(422, "invalid_outcome");
    let order = app
        .get(&format!("/api/v1/orders/{oid}"), Some(&buyer))
        .await;
    let order = order.ok(200).clone();
    assert_eq!(
        (
            order["status"].as_str(),
            order["refunded"]["amount_minor"].as_i64()
        ),
        (Some("shipped"), Some(0))
    );
    let event = json!({"id": "evt_odd", "type": "payment.teleported", "payment_ref": payment_ref});
    let event = event.to_string();
    let now = app.clock.now_ms() / 1000;
    let sig = caravan_market::payments::sign(WEBHOOK_SECRET, now, event.as_bytes());
    let r = app
        .client
        .post(format!("{}/api/v1/payments/webhook", app.base))
        .header("Caravan-Signature", sig)
        .header("content-type", "application/json")
        .body(event)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r: serde_json::Value = r.json().await.unwrap();
    assert_eq!(r["error"]["code"], "unknown_event");
}

async fn a_full_cart_and_a_full_image_library(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (m, mid) = app.merchant(&op, "m@example.com", "IT", "EUR").await;
    let mut body = product_body(&cat, "V-0", 100, 5);
    body["variants"] = json!((0..100)
        .map(|i| json!({"sku": format!("V-{i}"), "price_minor": 100, "stock": 5}))
        .collect::<Vec<_>>());
    let p = app.post("/api/v1/merchant/products", Some(&m), body).await;
    let mut variants: Vec<String> = p.ok(201)["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    let one = app
        .post(
            "/api/v1/merchant/products",
            Some(&m),
            product_body(&cat, "W-1", 100, 5),
        )
        .await;
    variants.push(
        one.ok(201)["variants"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    let buyer = app.buyer("b@example.com").await;
    let cid = filled_cart(app, &buyer, ("IT", "EUR"), &variants[..100], 1).await;
    let line = |v: &str| json!({"variant_id": v, "quantity": 1});
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&buyer),
        line(&variants[100]),
    )
    .await
    .error(422, "cart_full");
    let view = app.get(&format!("/api/v1/carts/{cid}"), Some(&buyer)).await;
    let lines = view.ok(200)["groups"][0]["lines"].as_array().unwrap().len();
    assert_eq!(lines, 100);

    // A store keeps at most 2,000 images: fill the library in the database, then upload one.
    let pool = app.market.store().pool();
    for i in 0..2000 {
        sqlx::query("INSERT INTO images (id, merchant_id, content_type, width, height, size, data, created_at) VALUES ($1, $2, 'image/png', 1, 1, 1, $3, 1)")
            .bind(format!("img_filler{i:05}"))
            .bind(&mid)
            .bind(vec![0u8; 1])
            .execute(pool)
            .await
            .unwrap();
    }
    let png = crate::pages::PNG.to_vec();
    let r = app
        .client
        .post(format!("{}/api/v1/merchant/images", app.base))
        .bearer_auth(&m)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r: serde_json::Value = r.json().await.unwrap();
    assert_eq!(r["error"]["code"], "too_many_images");
}

/// A database that hung up on the pool's connections (PostgreSQL restarted) costs requests a
/// 503 `database_unavailable` they may retry in a second, never a 500, and the node recovers;
/// a closed pool is not ready and answers the same.
async fn a_database_that_went_away_is_not_ready_and_unavailable(app: &TestApp) {
    app.get("/readyz", None).await.ok(200);
    let buyer = app.buyer("gone@example.com").await;
    app.get("/api/v1/orders", Some(&buyer)).await.ok(200);
    if app.market.store().engine() == caravan_store::Engine::Postgres {
        let hang_up = "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()";
        let ended: i64 = sqlx::query_scalar(hang_up)
            .fetch_one(app.market.store().pool())
            .await
            .unwrap();
        assert!(ended > 0, "the server hung up on no connection");
        let mut lost = 0;
        let recovered = loop {
            let r = app.get("/api/v1/orders", Some(&buyer)).await;
            if r.status == 200 {
                break true;
            }
            r.error(503, "database_unavailable");
            lost += 1;
            if lost > 64 {
                break false;
            }
        };
        assert!(recovered, "still failing after {lost} requests");
        eprintln!("{lost} request(s) met a connection the server had hung up on");
    }
    app.market.store().close().await;
    app.get("/readyz", None).await.error(503, "not_ready");
    let closed = app.get("/api/v1/orders", Some(&buyer)).await;
    closed.error(503, "database_unavailable");
    assert_eq!(closed.headers["retry-after"], "1");
}

/// A node started without the search index answers search with 503 `search_unavailable`.
#[tokio::test]
async fn a_node_without_search_says_so() {
    use caravan_market::{ManualClock, Market, MarketConfig};
    let db = caravan_store::testing::TestDb::sqlite().await.unwrap();
    let clock = std::sync::Arc::new(ManualClock::new(1_800_000_000_000));
    let market = Market::new(db.store.clone(), clock, MarketConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = caravan_web::AppState::new(market);
    let server = tokio::spawn(caravan_web::serve(listener, state, std::future::pending()));
    let r = reqwest::get(format!("{base}/api/v1/search?q=scarf"))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "search_unavailable");
    assert!(crate::app::documented_errors().contains("| `search_unavailable` | 503 |"));
    server.abort();
    db.cleanup().await;
}

/// An upload whose body breaks off mid-way (a malformed chunk) is 400 `unreadable_body`, in
/// the JSON envelope, and stores nothing.
async fn a_body_that_cannot_be_read(app: &TestApp) {
    let op = app.operator().await;
    let (m, _) = app.merchant(&op, "m@example.com", "IT", "EUR").await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let request = format!(
        "POST /api/v1/merchant/images HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {m}\r\n\
         Content-Type: image/png\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         4\r\n\u{89}PNG\r\nZZ-not-a-size\r\n\r\n"
    );
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error"]["code"], "unreadable_body", "{answer}");
    assert!(crate::app::documented_errors().contains("| `unreadable_body` | 400 |"));
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM images")
        .fetch_one(app.market.store().pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
}
