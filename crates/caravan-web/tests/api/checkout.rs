//! Checkout journeys: carts across stores, one checkout split per store, idempotency, payments,
//! the order lifecycle, disputes, refunds and payouts, with the ledger audited after each.

use crate::app::{TestApp, WEBHOOK_SECRET};
use crate::on_both_engines;
use crate::shop::{address, audit, shop};
use caravan_market::Clock;
use serde_json::json;

on_both_engines!(
    a_cart_across_two_stores_becomes_two_orders_and_the_money_flows,
    delayed_payments_webhooks_declines_and_the_unpaid_timer,
);

async fn a_cart_across_two_stores_becomes_two_orders_and_the_money_flows(app: &TestApp) {
    let s = shop(app).await;
    let (it, it_id, it_var) = &s.it;
    let (pl, pl_id, pl_var) = &s.pl;
    let buyer = app.buyer("anna@example.ru").await;

    let cart = app
        .post(
            "/api/v1/carts",
            Some(&buyer),
            json!({"country": "RU", "currency": "RUB"}),
        )
        .await;
    let cart = cart.ok(201).clone();
    assert!(
        cart["token"].is_null(),
        "a signed-in buyer's cart needs no token"
    );
    let cid = cart["cart"]["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&buyer),
        json!({"variant_id": it_var, "quantity": 2}),
    )
    .await
    .ok(200);
    let view = app
        .post(
            &format!("/api/v1/carts/{cid}/lines"),
            Some(&buyer),
            json!({"variant_id": pl_var, "quantity": 1}),
        )
        .await;
    let view = view.ok(200).clone();
    assert_eq!(
        view["groups"].as_array().unwrap().len(),
        2,
        "grouped by store"
    );
    // €50.00 at 95 RUB/EUR = 4750.00 RUB; 43.00 PLN at 95/4.3 = 950.00 RUB.
    let group = |id: &str| {
        view["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["merchant"]["id"] == id)
            .unwrap()
            .clone()
    };
    let (it_group, pl_group) = (group(it_id), group(pl_id));
    assert_eq!(
        it_group["goods"],
        json!({"amount_minor": 475000, "currency": "RUB", "amount": "4750.00"})
    );
    assert_eq!(pl_group["goods"]["amount_minor"], 95000);
    assert_eq!(view["goods_total"]["amount_minor"], 570000);
    let it_methods: Vec<&str> = it_group["shipping_options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["method"].as_str().unwrap())
        .collect();
    assert_eq!(it_methods, vec!["standard", "express"]);
    assert_eq!(pl_group["shipping_options"][0]["min_days"], 10);

    let body = json!({"cart_id": cid, "shipping": {it_id.clone(): "express"}, "address": address("RU"), "payment_method": "pm_sandbox_success",
                      "items": null});
    let body = {
        let mut b = body;
        b.as_object_mut().unwrap().remove("items");
        b
    };
    let placed = app
        .post_idem("/api/v1/checkout", &buyer, "chk-1", body.clone())
        .await;
    let placed = placed.ok(201).clone();
    assert_eq!(placed["status"], "paid");
    let orders = placed["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2, "one order per store");
    let it_order = orders
        .iter()
        .find(|o| o["merchant_id"] == *it_id)
        .unwrap()
        .clone();
    let pl_order = orders
        .iter()
        .find(|o| o["merchant_id"] == *pl_id)
        .unwrap()
        .clone();
    assert_eq!(
        it_order["total"],
        json!({"amount_minor": 7500, "currency": "EUR", "amount": "75.00"}),
        "€50 goods + €25 express"
    );
    assert_eq!(
        it_order["fee"]["amount_minor"], 400,
        "8 % of the goods, frozen at sale"
    );
    assert_eq!(
        pl_order["shipping_method"], "economy",
        "the cheapest when not chosen"
    );
    assert_eq!(pl_order["total"]["amount_minor"], 5800);
    let sum: i64 = orders
        .iter()
        .map(|o| o["presentment_total"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(
        placed["total"]["amount_minor"].as_i64().unwrap(),
        sum,
        "the parts sum to the total"
    );
    assert_eq!(placed["total"]["currency"], "RUB");

    // Replays, reuse with another body, and the cart is empty now.
    let again = app
        .post_idem("/api/v1/checkout", &buyer, "chk-1", body.clone())
        .await;
    assert_eq!(again.ok(201), &placed, "same key and body: the same answer");
    let mut other = body.clone();
    other["payment_method"] = json!("pm_sandbox_delayed");
    app.post_idem("/api/v1/checkout", &buyer, "chk-1", other)
        .await
        .error(422, "idempotency_key_reused");
    let empty = app.get(&format!("/api/v1/carts/{cid}"), Some(&buyer)).await;
    assert!(empty.ok(200)["groups"].as_array().unwrap().is_empty());
    let stock = app
        .get(
            &format!(
                "/api/v1/merchant/products/{}",
                it_order["lines"][0]["product_id"].as_str().unwrap()
            ),
            Some(it),
        )
        .await;
    assert_eq!(stock.ok(200)["variants"][0]["stock"], 8);
    audit(app).await;

    // The Italian order: ship, deliver, confirm; the store is credited less the fee.
    let oid = it_order["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(&buyer),
        json!({"carrier": "DHL", "tracking_number": "X"}),
    )
    .await
    .error(403, "forbidden");
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(pl),
        json!({"carrier": "DHL", "tracking_number": "X"}),
    )
    .await
    .error(404, "not_found");
    let shipped = app
        .post(
            &format!("/api/v1/orders/{oid}/ship"),
            Some(it),
            json!({"carrier": "DHL", "tracking_number": "JD0123"}),
        )
        .await;
    assert_eq!(shipped.ok(200)["tracking_number"], "JD0123");
    app.post(
        &format!("/api/v1/orders/{oid}/cancel"),
        Some(&buyer),
        json!({}),
    )
    .await
    .error(409, "invalid_transition");
    app.post(
        &format!("/api/v1/orders/{oid}/deliver"),
        Some(it),
        json!({}),
    )
    .await
    .ok(200);
    let done = app
        .post(
            &format!("/api/v1/orders/{oid}/confirm"),
            Some(&buyer),
            json!({}),
        )
        .await;
    let done = done.ok(200).clone();
    assert_eq!(done["status"], "completed");
    let history: Vec<&str> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, vec!["paid", "shipped", "delivered", "completed"]);
    let bal = app.get("/api/v1/merchant/balance", Some(it)).await;
    let bal = bal.ok(200).clone();
    assert_eq!(
        bal["available"]["amount_minor"], 7100,
        "€75.00 less the €4.00 fee"
    );
    assert_eq!(bal["in_escrow"]["amount_minor"], 0);
    audit(app).await;

    // The Polish order: shipped, disputed, answered, partly refunded by an operator.
    let pid = pl_order["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/orders/{pid}/dispute"),
        Some(&buyer),
        json!({"reason": "not shipped"}),
    )
    .await
    .error(409, "protection_expired");
    app.post(
        &format!("/api/v1/orders/{pid}/ship"),
        Some(pl),
        json!({"carrier": "Poczta", "tracking_number": "PL1"}),
    )
    .await
    .ok(200);
    let d = app
        .post(
            &format!("/api/v1/orders/{pid}/dispute"),
            Some(&buyer),
            json!({"reason": "arrived broken"}),
        )
        .await;
    assert_eq!(d.ok(201)["status"], "open");
    app.post(
        &format!("/api/v1/orders/{pid}/dispute"),
        Some(&buyer),
        json!({"reason": "again"}),
    )
    .await
    .error(409, "dispute_exists");
    app.post(
        &format!("/api/v1/orders/{pid}/confirm"),
        Some(&buyer),
        json!({}),
    )
    .await
    .error(409, "dispute_open");
    app.post(
        &format!("/api/v1/orders/{pid}/dispute/answer"),
        Some(pl),
        json!({"answer": "packed well"}),
    )
    .await
    .ok(200);
    app.post(
        &format!("/api/v1/admin/orders/{pid}/dispute/decision"),
        Some(pl),
        json!({"outcome": "release"}),
    )
    .await
    .error(403, "forbidden");
    let decided = app
        .post(
            &format!("/api/v1/admin/orders/{pid}/dispute/decision"),
            Some(&s.op),
            json!({"outcome": "refund", "amount_minor": 2000}),
        )
        .await;
    assert_eq!(decided.ok(200)["resolution"], "refund");
    let o = app
        .get(&format!("/api/v1/orders/{pid}"), Some(&buyer))
        .await;
    let o = o.ok(200).clone();
    assert_eq!(
        (o["status"].as_str(), o["refunded"]["amount_minor"].as_i64()),
        (Some("completed"), Some(2000))
    );
    let bal = app.get("/api/v1/merchant/balance", Some(pl)).await;
    // 58.00 - 20.00 refunded = 38.00; fee 8 % of 43.00 = 3.44 scaled to 38/58 → 2.25.
    assert_eq!(bal.ok(200)["available"]["amount_minor"], 3800 - 225);
    audit(app).await;

    // Payouts: a minimum, never more than available, idempotent.
    app.post_idem(
        "/api/v1/merchant/payouts",
        it,
        "po-1",
        json!({"amount_minor": 500}),
    )
    .await
    .error(422, "payout_below_minimum");
    app.post_idem(
        "/api/v1/merchant/payouts",
        it,
        "po-2",
        json!({"amount_minor": 7101}),
    )
    .await
    .error(409, "insufficient_balance");
    let po = app
        .post_idem(
            "/api/v1/merchant/payouts",
            it,
            "po-3",
            json!({"amount_minor": 5000}),
        )
        .await;
    let po = po.ok(201).clone();
    assert_eq!(
        app.post_idem(
            "/api/v1/merchant/payouts",
            it,
            "po-3",
            json!({"amount_minor": 5000})
        )
        .await
        .ok(201),
        &po
    );
    let bal = app.get("/api/v1/merchant/balance", Some(it)).await;
    assert_eq!(bal.ok(200)["available"]["amount_minor"], 2100);
    assert_eq!(
        app.get("/api/v1/merchant/payouts", Some(it))
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A refund after completion comes out of the store's balance, and never overdraws it.
    app.post_idem(
        &format!("/api/v1/orders/{oid}/refund"),
        it,
        "rf-1",
        json!({"amount_minor": 2200}),
    )
    .await
    .error(409, "insufficient_balance");
    let rf = app
        .post_idem(
            &format!("/api/v1/orders/{oid}/refund"),
            it,
            "rf-2",
            json!({"amount_minor": 1000}),
        )
        .await;
    assert_eq!(rf.ok(200)["refunded"]["amount_minor"], 1000);
    assert_eq!(
        app.get("/api/v1/merchant/balance", Some(it)).await.ok(200)["available"]["amount_minor"],
        1100
    );
    audit(app).await;

    // Everything appended outbox events, in order.
    let events = app.market.store().events_after(0, 1000).await.unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("order.") || k.starts_with("payout."))
        .collect();
    assert!(
        kinds.starts_with(&["order.placed", "order.placed"]),
        "{kinds:?}"
    );
    assert!(
        events.windows(2).all(|w| w[1].seq == w[0].seq + 1),
        "gap-free"
    );
    assert!(
        kinds.contains(&"order.completed")
            && kinds.contains(&"payout.paid")
            && kinds.contains(&"order.refunded")
    );
}

async fn delayed_payments_webhooks_declines_and_the_unpaid_timer(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let buyer = app.buyer("jan@example.pl").await;
    let buy = |method: &str, qty: i64| json!({"items": [{"variant_id": it_var, "quantity": qty}], "currency": "EUR", "address": address("PL"), "payment_method": method});

    let declined = app
        .post_idem(
            "/api/v1/checkout",
            &buyer,
            "d-1",
            buy("pm_sandbox_decline", 2),
        )
        .await;
    declined.error(402, "payment_declined");
    let pending = app
        .post_idem(
            "/api/v1/checkout",
            &buyer,
            "d-2",
            buy("pm_sandbox_delayed", 3),
        )
        .await;
    let pending = pending.ok(201).clone();
    assert_eq!(pending["status"], "awaiting_payment");
    assert_eq!(pending["orders"][0]["status"], "awaiting_payment");
    let oid = pending["orders"][0]["id"].as_str().unwrap().to_owned();
    let pref = pending["payment"]["provider_ref"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(it),
        json!({"carrier": "DHL", "tracking_number": "1"}),
    )
    .await
    .error(409, "invalid_transition");

    // Webhooks: a bad signature changes nothing; a good one pays; a repeat is ignored.
    let event = json!({"id": "evt_1", "type": "payment.captured", "payment_ref": pref}).to_string();
    let now = app.clock.now_ms() / 1000;
    let send = |sig: String, body: String| {
        app.client
            .post(format!("{}/api/v1/payments/webhook", app.base))
            .header("Caravan-Signature", sig)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let bad = send(
        caravan_market::payments::sign("wrong secret", now, event.as_bytes()),
        event.clone(),
    )
    .await
    .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let stale = send(
        caravan_market::payments::sign(WEBHOOK_SECRET, now - 301, event.as_bytes()),
        event.clone(),
    )
    .await
    .unwrap();
    assert_eq!(stale.status().as_u16(), 400);
    assert_eq!(
        app.get(&format!("/api/v1/orders/{oid}"), Some(&buyer))
            .await
            .ok(200)["status"],
        "awaiting_payment"
    );
    let ok = send(
        caravan_market::payments::sign(WEBHOOK_SECRET, now, event.as_bytes()),
        event.clone(),
    )
    .await
    .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(
        ok.json::<serde_json::Value>().await.unwrap()["changed"],
        true
    );
    let again = send(
        caravan_market::payments::sign(WEBHOOK_SECRET, now, event.as_bytes()),
        event.clone(),
    )
    .await
    .unwrap();
    assert_eq!(
        again.json::<serde_json::Value>().await.unwrap()["changed"],
        false
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{oid}"), Some(&buyer))
            .await
            .ok(200)["status"],
        "paid"
    );
    audit(app).await;

    // An unpaid order is cancelled after the timeout and its stock returns.
    let late = app
        .post_idem(
            "/api/v1/checkout",
            &buyer,
            "d-3",
            buy("pm_sandbox_delayed", 4),
        )
        .await;
    let late_id = late.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    let product_id = pending["orders"][0]["lines"][0]["product_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        stock_of(app, it, &product_id).await,
        3,
        "10 - 3 paid - 4 unpaid"
    );
    app.clock.advance(29 * 60 * 1000);
    assert_eq!(app.market.run_timers().await.unwrap().cancelled, 0);
    app.clock.advance(2 * 60 * 1000);
    assert_eq!(app.market.run_timers().await.unwrap().cancelled, 1);
    assert_eq!(
        app.get(&format!("/api/v1/orders/{late_id}"), Some(&buyer))
            .await
            .ok(200)["status"],
        "cancelled"
    );
    assert_eq!(stock_of(app, it, &product_id).await, 7);

    // A delivered order completes by itself after the protection period.
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(it),
        json!({"carrier": "DHL", "tracking_number": "1"}),
    )
    .await
    .ok(200);
    app.post(
        &format!("/api/v1/orders/{oid}/deliver"),
        Some(it),
        json!({}),
    )
    .await
    .ok(200);
    app.clock.advance(15 * caravan_market::DAY_MS + 1);
    assert_eq!(app.market.run_timers().await.unwrap().completed, 1);
    assert_eq!(
        app.get(&format!("/api/v1/orders/{oid}"), Some(&buyer))
            .await
            .ok(200)["status"],
        "completed"
    );
    // A buyer cancels a paid order before shipping: full refund, stock back.
    let paid = app
        .post_idem(
            "/api/v1/checkout",
            &buyer,
            "d-4",
            buy("pm_sandbox_success", 2),
        )
        .await;
    let paid_id = paid.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    let c = app
        .post(
            &format!("/api/v1/orders/{paid_id}/cancel"),
            Some(&buyer),
            json!({"reason": "changed my mind"}),
        )
        .await;
    let c = c.ok(200).clone();
    assert_eq!(c["status"], "cancelled");
    assert_eq!(c["refunded"]["amount_minor"], c["total"]["amount_minor"]);
    assert_eq!(stock_of(app, it, &product_id).await, 7);
    audit(app).await;
}

async fn stock_of(app: &TestApp, token: &str, product_id: &str) -> i64 {
    let res = app
        .get(
            &format!("/api/v1/merchant/products/{product_id}"),
            Some(token),
        )
        .await;
    res.ok(200)["variants"][0]["stock"].as_i64().unwrap()
}
