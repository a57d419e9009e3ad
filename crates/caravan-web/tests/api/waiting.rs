//! The waiting room in front of a browser's checkout at the start of a flash slot: buyers who
//! arrive early wait (their place drawn by lot at the opening), are admitted when it opens,
//! find their cart as they left it and buy at the deal price; after the surge nobody waits.

use crate::app::TestApp;
use crate::festival::{campaign, cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{filled_cart, product, shop};
use caravan_market::Clock;
use reqwest::Method;
use serde_json::json;

on_both_engines!(early_buyers_wait_for_the_flash_slot_and_lose_nothing,);

const MINUTE: i64 = 60 * 1000;

/// The `caravan_ticket=…` pair of a response's cookies.
fn ticket(set: &[String]) -> String {
    let c = set
        .iter()
        .find(|c| c.starts_with("caravan_ticket="))
        .expect("a ticket");
    c.split(';').next().unwrap().to_owned()
}

async fn early_buyers_wait_for_the_flash_slot_and_lose_nothing(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let cat = crate::shop::shop_category(app).await;
    let (_, variant) = product(app, it, &cat, "FLASH-1", 1000, 1000, "EUR").await;
    let now = app.clock.now_ms();
    let cid = campaign(app, &s.op, "double-eleven", now - MINUTE).await;
    let slot = (now + 5 * MINUTE, now + 60 * MINUTE);
    let deal = json!({"campaign_id": cid, "variant_id": variant, "price_minor": 700, "cap": 20,
                      "per_buyer": 1, "slot_from": caravan_domain::rfc3339(slot.0),
                      "slot_to": caravan_domain::rfc3339(slot.1)});
    let did = app.post("/api/v1/merchant/deals", Some(it), deal).await;
    let did = did.ok(201)["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/deals/{did}/decision");
    let decided = app
        .post(&path, Some(&s.op), json!({"decision": "approve"}))
        .await;
    assert_eq!(decided.ok(200)["status"], "approved");

    // Three buyers fill their carts ten... five minutes early and open them: the waiting room.
    let mut early = Vec::new();
    for name in ["ana", "ben", "chloe"] {
        let buyer = app.buyer(&format!("{name}@example.com")).await;
        filled_cart(
            app,
            &buyer,
            ("FR", "EUR"),
            std::slice::from_ref(&variant),
            1,
        )
        .await;
        let me = cookies(&buyer, "en.EUR.FR");
        let (status, _, set) = page(app, Method::GET, "/cart", &me, &[]).await;
        assert_eq!(status, 303, "sent to the waiting room");
        let me = format!("{me}; {}", ticket(&set));
        let (status, room, _) = page(app, Method::GET, "/waiting?back=%2Fcart", &me, &[]).await;
        assert_eq!(status, 200);
        assert!(
            room.contains("You are in the waiting room") && room.contains("opens in 300 s"),
            "{room}"
        );
        assert!(
            room.contains("by lot") && room.contains("<meta http-equiv=\"refresh\" content=\"5\">"),
            "{room}"
        );
        // A checkout posted straight past the room waits too.
        let form = [
            ("csrf", CSRF),
            ("key", "k1"),
            ("name", "A"),
            ("line1", "1 rue"),
            ("city", "Paris"),
            ("postal_code", "75001"),
        ];
        let (status, _, _) = page(app, Method::POST, "/checkout", &me, &form).await;
        assert_eq!(status, 303);
        early.push((buyer, me));
    }
    let (_, ru_room, _) = page(
        app,
        Method::GET,
        "/waiting?back=%2Fcart",
        &early[0].1.replace("en.EUR.FR", "ru.EUR.FR"),
        &[],
    )
    .await;
    assert!(ru_room.contains("Вы в зале ожидания"), "{ru_room}");
    assert_eq!(
        app.get("/api/v1/orders", Some(&early[0].0))
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // The slot opens: everyone early is admitted (a second's worth of places), finds the cart
    // as it was and buys at the deal price.
    app.clock.advance(5 * MINUTE);
    for (k, (buyer, me)) in early.iter().enumerate() {
        let (status, _, set) = page(app, Method::GET, "/waiting?back=%2Fcart", me, &[]).await;
        assert_eq!(status, 303);
        assert!(set.iter().any(|c| c.starts_with("caravan_ticket=")));
        let (status, cart, _) = page(app, Method::GET, "/cart", me, &[]).await;
        assert_eq!(status, 200);
        assert!(
            cart.contains("FLASH-1") || cart.contains(&variant),
            "the cart is as it was: {cart}"
        );
        let key = format!("flash-{k}");
        let form = [
            ("csrf", CSRF),
            ("key", key.as_str()),
            ("name", "A"),
            ("line1", "1 rue"),
            ("city", "Paris"),
            ("postal_code", "75001"),
        ];
        let (status, _, _) = page(app, Method::POST, "/checkout", me, &form).await;
        assert_eq!(status, 303);
        let orders = app.get("/api/v1/orders", Some(buyer)).await;
        let o = &orders.ok(200)[0];
        let line = &o["lines"][0];
        assert_eq!(
            (
                line["total"]["amount_minor"].as_i64(),
                line["deal_id"].as_str()
            ),
            (Some(700), Some(did.as_str())),
            "{o}"
        );
    }
    // After the surge, with nobody waiting, a newcomer goes straight to the cart.
    app.clock.advance(2 * MINUTE);
    let late = app.buyer("late@example.com").await;
    filled_cart(app, &late, ("FR", "EUR"), std::slice::from_ref(&variant), 1).await;
    let (status, _, _) = page(app, Method::GET, "/cart", &cookies(&late, "en.EUR.FR"), &[]).await;
    assert_eq!(status, 200);
}
