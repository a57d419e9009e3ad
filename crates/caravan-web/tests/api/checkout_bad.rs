//! Bad checkout input: every case answers a 4xx with a stable code and changes nothing.

use crate::app::TestApp;
use crate::on_both_engines;
use crate::shop::{address, audit, product, shop};
use serde_json::json;

on_both_engines!(bad_checkouts_change_nothing);

async fn bad_checkouts_change_nothing(app: &TestApp) {
    let s = shop(app).await;
    let (it, it_id, it_var) = &s.it;
    let (_, _, pl_var) = &s.pl;
    let anna = app.buyer("anna@example.ru").await;
    let boris = app.buyer("boris@example.ru").await;
    let buy = |variant: &str, qty: i64, country: &str| json!({"items": [{"variant_id": variant, "quantity": qty}], "address": address(country), "payment_method": "pm_sandbox_success"});

    // Carts: someone else's cart is 404, for users and for guests without the token.
    let cart = app
        .post("/api/v1/carts", Some(&anna), json!({"country": "RU"}))
        .await;
    let cid = cart.ok(201)["cart"]["id"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/carts/{cid}"), Some(&boris))
        .await
        .error(404, "not_found");
    app.get(&format!("/api/v1/carts/{cid}"), None)
        .await
        .error(404, "not_found");
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&boris),
        json!({"variant_id": it_var, "quantity": 1}),
    )
    .await
    .error(404, "not_found");
    app.get("/api/v1/carts/crt_nope", Some(&anna))
        .await
        .error(404, "not_found");
    let guest = app
        .post(
            "/api/v1/carts",
            None,
            json!({"country": "FR", "currency": "EUR"}),
        )
        .await;
    let guest = guest.ok(201).clone();
    let (gid, gtoken) = (
        guest["cart"]["id"].as_str().unwrap().to_owned(),
        guest["token"].as_str().unwrap().to_owned(),
    );
    let with_token = app
        .client
        .get(format!("{}/api/v1/carts/{gid}", app.base))
        .header("X-Cart-Token", &gtoken)
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status().as_u16(), 200);
    let wrong = app
        .client
        .get(format!("{}/api/v1/carts/{gid}", app.base))
        .header("X-Cart-Token", "cvc_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 404);
    // Quantities out of range, above stock, unknown variants.
    for (qty, status, code) in [
        (0, 200, ""),
        (100, 422, "invalid_quantity"),
        (-1, 422, "invalid_quantity"),
        (11, 409, "out_of_stock"),
    ] {
        let r = app
            .post(
                &format!("/api/v1/carts/{cid}/lines"),
                Some(&anna),
                json!({"variant_id": it_var, "quantity": qty}),
            )
            .await;
        if status == 200 {
            r.ok(200);
        } else {
            r.error(status, code);
        }
    }
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&anna),
        json!({"variant_id": "var_00000000000000000000000000000000000000000000", "quantity": 1}),
    )
    .await
    .error(422, "unknown_variant");
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&anna),
        json!({"variant_id": it_var, "quantity": 1, "price_minor": 1}),
    )
    .await
    .error(422, "invalid_body");

    // Checkout refusals.
    let key = |n: u32| format!("bad-{n}");
    let r = app
        .client
        .post(format!("{}/api/v1/checkout", app.base))
        .bearer_auth(&anna)
        .json(&buy(it_var, 1, "FR"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400, "no Idempotency-Key");
    app.post_idem(
        "/api/v1/checkout",
        &anna,
        &key(1),
        json!({"cart_id": cid, "address": address("RU"), "payment_method": "pm_sandbox_success"}),
    )
    .await
    .error(422, "cart_empty");
    app.post_idem(
        "/api/v1/checkout",
        &boris,
        &key(2),
        json!({"cart_id": cid, "address": address("RU"), "payment_method": "pm_sandbox_success"}),
    )
    .await
    .error(404, "not_found");
    app.post_idem("/api/v1/checkout", &anna, &key(3), buy(it_var, 100, "FR"))
        .await
        .error(422, "invalid_quantity");
    app.post_idem("/api/v1/checkout", &anna, &key(4), buy(it_var, 11, "FR"))
        .await
        .error(409, "out_of_stock");
    app.post_idem("/api/v1/checkout", &anna, &key(5), buy(pl_var, 1, "FR"))
        .await
        .error(422, "not_shippable");
    let mut m = buy(it_var, 1, "FR");
    m["shipping"] = json!({it_id.clone(): "express"});
    app.post_idem("/api/v1/checkout", &anna, &key(6), m.clone())
        .await
        .error(422, "unknown_shipping_method");
    m["shipping"] = json!({it_id.clone(): "teleport"});
    app.post_idem("/api/v1/checkout", &anna, &key(7), m)
        .await
        .error(422, "unknown_shipping_method");
    let mut m = buy(it_var, 1, "FR");
    m["payment_method"] = json!("pm_stolen_card");
    app.post_idem("/api/v1/checkout", &anna, &key(8), m)
        .await
        .error(422, "invalid_payment_method");
    let mut m = buy(it_var, 1, "FR");
    m["currency"] = json!("JPY");
    app.post_idem("/api/v1/checkout", &anna, &key(9), m)
        .await
        .error(422, "rate_unavailable");
    let mut m = buy(it_var, 1, "FR");
    m["total_minor"] = json!(1);
    app.post_idem("/api/v1/checkout", &anna, &key(10), m)
        .await
        .error(422, "invalid_body");
    let mut both = buy(it_var, 1, "FR");
    both["cart_id"] = json!(cid);
    app.post_idem("/api/v1/checkout", &anna, "both", both)
        .await
        .error(422, "invalid_checkout");
    let mut neither = buy(it_var, 1, "FR");
    neither.as_object_mut().unwrap().remove("items");
    app.post_idem("/api/v1/checkout", &anna, "neither", neither)
        .await
        .error(422, "invalid_checkout");
    let mut m = buy(it_var, 1, "FR");
    m["address"]["city"] = json!("");
    app.post_idem("/api/v1/checkout", &anna, &key(11), m)
        .await
        .error(422, "invalid_address");

    // Unpublished products and suspended stores' products cannot be bought.
    let cat = crate::shop::shop_category(app).await;
    let (draft, draft_var) = product(app, it, &cat, "DRAFT-1", 500, 5, "EUR").await;
    app.patch(
        &format!("/api/v1/merchant/products/{draft}"),
        Some(it),
        json!({"status": "draft"}),
    )
    .await
    .ok(200);
    app.post_idem(
        "/api/v1/checkout",
        &anna,
        &key(12),
        buy(&draft_var, 1, "FR"),
    )
    .await
    .error(422, "not_purchasable");
    app.post(
        &format!("/api/v1/admin/merchants/{it_id}/decision"),
        Some(&s.op),
        json!({"decision": "suspend"}),
    )
    .await
    .ok(200);
    app.post_idem("/api/v1/checkout", &anna, &key(13), buy(it_var, 1, "FR"))
        .await
        .error(422, "not_purchasable");
    app.post(
        &format!("/api/v1/admin/merchants/{it_id}/decision"),
        Some(&s.op),
        json!({"decision": "approve"}),
    )
    .await
    .ok(200);

    // Nothing of it placed an order or moved stock or money.
    assert!(app
        .get("/api/v1/orders", Some(&anna))
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());
    assert!(app
        .market
        .store()
        .ledger_entries()
        .await
        .unwrap()
        .is_empty());
    let stock = app
        .market
        .store()
        .variant(it_var)
        .await
        .unwrap()
        .unwrap()
        .stock;
    assert_eq!(stock, 10);

    // Foreign orders are 404; a forged webhook is 400.
    let placed = app
        .post_idem("/api/v1/checkout", &anna, &key(14), buy(it_var, 1, "FR"))
        .await;
    let oid = placed.ok(201)["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/v1/orders/{oid}"), Some(&boris))
        .await
        .error(404, "not_found");
    app.post(
        &format!("/api/v1/orders/{oid}/cancel"),
        Some(&boris),
        json!({}),
    )
    .await
    .error(404, "not_found");
    app.get("/api/v1/orders/ord_123", Some(&anna))
        .await
        .error(404, "not_found");
    let (pl_token, _, _) = &s.pl;
    app.post(
        &format!("/api/v1/orders/{oid}/ship"),
        Some(pl_token),
        json!({"carrier": "x", "tracking_number": "y"}),
    )
    .await
    .error(404, "not_found");
    let forged =
        json!({"id": "evt_x", "type": "payment.failed", "payment_ref": "anything"}).to_string();
    let r = app
        .client
        .post(format!("{}/api/v1/payments/webhook", app.base))
        .header("Caravan-Signature", "t=1,v1=00")
        .header("content-type", "application/json")
        .body(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "invalid_signature"
    );
    assert_eq!(
        app.get(&format!("/api/v1/orders/{oid}"), Some(&anna))
            .await
            .ok(200)["status"],
        "paid"
    );
    audit(app).await;
}
