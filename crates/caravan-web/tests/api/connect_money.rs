//! Connect's money over HTTP: who a checkout earns for (a code beats a link, the last click
//! inside the window wins, nobody earns on their own purchase), and the commission through
//! escrow — pending at sale, reversed in proportion by refunds, confirmed at completion,
//! available after the hold, paid out once, clawed back by a refund after the payout.

use crate::app::{Res, TestApp};
use crate::connect::creator;
use crate::festival::{cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{address, audit, filled_cart, shop, shop_category};
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(
    a_code_beats_a_link_and_the_last_click_wins_inside_its_window,
    nobody_earns_on_their_own_purchase,
    commission_follows_its_order_through_escrow_to_the_payout_and_back,
    the_hub_shows_the_commission_move_and_pays_it_out,
    tiers_raise_the_rate_and_the_leaderboard_ranks_confirmed_sales,
    a_creators_commissions_show_at_once_and_once_when_listed,
);

const RATES: &str = "/api/v1/merchant/commission-rates";

/// A store offering `rate_bps` on everything.
async fn offering(app: &TestApp, store: &str, rate_bps: i64) {
    let rate = json!({"scope": "store", "rate_bps": rate_bps});
    app.put(RATES, Some(store), rate).await.ok(200);
}

/// An approved creator with a checkout code; (token, creator id).
async fn coded(app: &TestApp, op: &str, email: &str, handle: &str, code: &str) -> (String, String) {
    let (token, id) = creator(app, op, email, handle).await;
    let settings = json!({"code": code});
    app.put("/api/v1/me/creator/settings", Some(&token), settings)
        .await
        .ok(200);
    (token, id)
}

/// A checkout of `variant` (×`quantity`) to `to`, carrying the attribution `cookie` (if any)
/// and the body's extra fields; the answer.
pub(crate) async fn checkout(
    app: &TestApp,
    buyer: &str,
    key: &str,
    (variant, quantity): (&str, i64),
    to: Value,
    cookie: Option<&str>,
    extra: Value,
) -> Res {
    let mut body = json!({"items": [{"variant_id": variant, "quantity": quantity}],
        "currency": "EUR", "address": to, "payment_method": "pm_sandbox_success"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let mut req = app
        .client
        .post(format!("{}/api/v1/checkout", app.base))
        .bearer_auth(buyer)
        .header("Idempotency-Key", key)
        .json(&body);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
    Res {
        status,
        headers,
        body,
    }
}

/// The creator and commission of the order a checkout placed.
async fn credit(app: &TestApp, placed: &Value) -> (Option<String>, i64) {
    let id = placed["orders"][0]["id"].as_str().unwrap();
    let o = app.market.store().order(id).await.unwrap().unwrap();
    (o.creator_id, o.commission_minor)
}

/// The attribution cookie a followed link sets (`name=value`).
async fn click(app: &TestApp, code: &str) -> String {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c
        .get(format!("{}/r/{code}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let set = r.headers()["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// An address of its own for each buyer (a shared one would be the creator's too).
pub(crate) fn to(n: u32) -> Value {
    let mut a = address("FR");
    a["line1"] = json!(format!("{n} rue des Lilas"));
    a
}

/// A link of the creator to the product of `variant`; its code.
async fn link(app: &TestApp, creator: &str, variant: &str) -> String {
    let v = app.market.store().variant(variant).await.unwrap().unwrap();
    let l = app
        .post(
            "/api/v1/creator/links",
            Some(creator),
            json!({"target": v.product_id}),
        )
        .await;
    l.ok(201)["code"].as_str().unwrap().to_owned()
}

async fn a_code_beats_a_link_and_the_last_click_wins_inside_its_window(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let (_, _, pl_var) = &s.pl;
    offering(app, it, 1000).await;
    let (marie, marie_id) = creator(app, &s.op, "marie@example.com", "marie").await;
    let (olga, olga_id) = creator(app, &s.op, "olga@example.com", "olga").await;
    let settings = "/api/v1/me/creator/settings";
    for bad in ["ab", "with space", "ÉTÉ2026"] {
        app.put(settings, Some(&marie), json!({"code": bad}))
            .await
            .error(422, "invalid_creator_code");
    }
    let set = app
        .put(settings, Some(&marie), json!({"code": "marie10"}))
        .await;
    assert_eq!(set.ok(200)["code"], "MARIE10");
    app.put(settings, Some(&olga), json!({"code": "Marie10"}))
        .await
        .error(409, "creator_code_taken");
    let (marie_link, olga_link) = (
        link(app, &marie, it_var).await,
        link(app, &olga, it_var).await,
    );
    let buyer = app.buyer("anna@example.com").await;
    let none = json!({});
    // A followed link earns its creator 10% of the line (€25.00 → €2.50).
    let cookie = click(app, &marie_link).await;
    let r = checkout(
        app,
        &buyer,
        "k1",
        (it_var, 1),
        to(1),
        Some(&cookie),
        none.clone(),
    )
    .await;
    assert_eq!(credit(app, r.ok(201)).await, (Some(marie_id.clone()), 250));
    // The visitor follows Olga's link afterwards: the last click wins.
    let _ = click(app, &marie_link).await;
    let last = click(app, &olga_link).await;
    let r = checkout(
        app,
        &buyer,
        "k2",
        (it_var, 1),
        to(1),
        Some(&last),
        none.clone(),
    )
    .await;
    assert_eq!(credit(app, r.ok(201)).await, (Some(olga_id), 250));
    // Marie's code typed at checkout beats Olga's link.
    let code = json!({"creator_code": " marie10 "});
    let r = checkout(app, &buyer, "k3", (it_var, 1), to(1), Some(&last), code).await;
    assert_eq!(credit(app, r.ok(201)).await, (Some(marie_id.clone()), 250));
    // A click 16 days old is outside the 15-day window; 14 days old is inside.
    let now = app.market.now_ms();
    for (days, earns) in [(16, false), (14, true)] {
        let old = format!("caravan_ref={marie_link}.{}", now - days * 86_400_000);
        let key = format!("old-{days}");
        let r = checkout(
            app,
            &buyer,
            &key,
            (it_var, 1),
            to(1),
            Some(&old),
            none.clone(),
        )
        .await;
        let (who, amount) = credit(app, r.ok(201)).await;
        assert_eq!((who.is_some(), amount > 0), (earns, earns), "{days} days");
    }
    // A store that offers no commission: its line earns nothing, even with a code.
    let code = json!({"creator_code": "MARIE10"});
    let mut ru = to(1);
    ru["country"] = json!("RU");
    let r = checkout(app, &buyer, "k4", (pl_var, 1), ru, None, code).await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    // A code nobody has is refused and places nothing.
    let orders = app
        .get("/api/v1/orders", Some(&buyer))
        .await
        .ok(200)
        .clone();
    let nobody = json!({"creator_code": "NOBODY99"});
    checkout(app, &buyer, "k5", (it_var, 1), to(1), None, nobody)
        .await
        .error(422, "unknown_creator_code");
    let after = app.get("/api/v1/orders", Some(&buyer)).await;
    assert_eq!(after.ok(200), &orders);
    // Marie's link: two clicks, two orders through it (her code's order counts for the code).
    let links = app.get("/api/v1/creator/links", Some(&marie)).await;
    let mine = links.ok(200).as_array().unwrap()[0].clone();
    assert_eq!(mine["code"], marie_link.as_str());
    assert_eq!(
        (
            mine["clicks"].as_i64(),
            mine["orders"].as_i64(),
            mine["conversion_bps"].as_i64()
        ),
        (Some(2), Some(2), Some(10_000))
    );
    // The store sees which creators sold what.
    let sales = app.get("/api/v1/merchant/creator-sales", Some(it)).await;
    let sales: Vec<(String, i64, i64)> = sales
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["handle"].as_str().unwrap().to_owned(),
                r["units"].as_i64().unwrap(),
                r["commission"]["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sales,
        [("marie".to_owned(), 3, 750), ("olga".to_owned(), 1, 250)]
    );
    app.get("/api/v1/merchant/creator-sales", Some(&buyer))
        .await
        .error(403, "forbidden");
    // A garbled cookie is ignored, not an error.
    let junk = "caravan_ref=<script>.1";
    let r = checkout(app, &buyer, "k6", (it_var, 1), to(1), Some(junk), none).await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    audit(app).await;
}

async fn nobody_earns_on_their_own_purchase(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    offering(app, it, 1000).await;
    let (marie, marie_id) = coded(app, &s.op, "marie.p@gmail.com", "marie", "MARIE10").await;
    let code = json!({"creator_code": "MARIE10"});
    // Her own account, her own code; her own address is now known.
    let home = to(7);
    let r = checkout(
        app,
        &marie,
        "own",
        (it_var, 1),
        home.clone(),
        None,
        code.clone(),
    )
    .await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    // A second account on the same Gmail mailbox.
    let twin = app
        .buyer("MariéP+deals@googlemail.com".replace('é', "e").as_str())
        .await;
    let r = checkout(app, &twin, "twin", (it_var, 1), to(8), None, code.clone()).await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    // Someone else shipping to her address (written differently).
    let neighbour = app.buyer("neighbour@example.com").await;
    let mut same = home.clone();
    same["line1"] = json!("7, Rue des lilas");
    let r = checkout(
        app,
        &neighbour,
        "same",
        (it_var, 1),
        same,
        None,
        code.clone(),
    )
    .await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    // A real buyer elsewhere earns her the commission.
    let r = checkout(app, &neighbour, "real", (it_var, 1), to(9), None, code).await;
    assert_eq!(credit(app, r.ok(201)).await, (Some(marie_id.clone()), 250));
    // Operators see the three refusals, newest first; nobody else does.
    let flags = app.get("/api/v1/admin/referral-flags", Some(&s.op)).await;
    let reasons: Vec<&str> = flags
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["same_address", "same_email", "same_account"]);
    assert!(flags
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["creator_id"] == marie_id.as_str()));
    app.get("/api/v1/admin/referral-flags", Some(&marie))
        .await
        .error(403, "forbidden");
    audit(app).await;
}

/// The creator's earnings line in `currency`: (pending, confirmed, available, reversed).
async fn earnings(app: &TestApp, creator: &str, currency: &str) -> (i64, i64, i64, i64) {
    let e = app.get("/api/v1/creator/earnings", Some(creator)).await;
    let lines = e.ok(200)["by_currency"].as_array().unwrap().clone();
    let line = lines.iter().find(|l| l["currency"] == currency);
    let get = |k: &str| line.map_or(0, |l| l[k]["amount_minor"].as_i64().unwrap());
    (
        get("pending"),
        get("confirmed"),
        get("available"),
        get("reversed"),
    )
}

/// Ships, delivers and confirms an order.
pub(crate) async fn complete(app: &TestApp, store: &str, buyer: &str, order: &str) {
    let ship = json!({"carrier": "DHL", "tracking_number": "T1"});
    app.post(&format!("/api/v1/orders/{order}/ship"), Some(store), ship)
        .await
        .ok(200);
    app.post(
        &format!("/api/v1/orders/{order}/deliver"),
        Some(store),
        json!({}),
    )
    .await
    .ok(200);
    app.post(
        &format!("/api/v1/orders/{order}/confirm"),
        Some(buyer),
        json!({}),
    )
    .await
    .ok(200);
}

async fn commission_follows_its_order_through_escrow_to_the_payout_and_back(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let cat = shop_category(app).await;
    app.put(
        RATES,
        Some(it),
        json!({"scope": "category", "target_id": cat, "rate_bps": 3000}),
    )
    .await
    .ok(200);
    let (marie, _) = coded(app, &s.op, "marie@example.com", "marie", "MARIE30").await;
    let buyer = app.buyer("anna@example.com").await;
    let code = json!({"creator_code": "MARIE30"});
    // Four units at €25.00: 30% of €100.00 is pending.
    let r = checkout(app, &buyer, "a", (it_var, 4), to(1), None, code.clone()).await;
    let order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(earnings(app, &marie, "EUR").await, (3000, 0, 0, 0));
    audit(app).await;
    // A quarter of the order refunded before completion: its share of the commission is
    // reversed.
    let o = app.market.store().order(&order).await.unwrap().unwrap();
    let quarter = o.total_minor / 4;
    let refund = format!("/api/v1/orders/{order}/refund");
    app.post_idem(&refund, it, "r1", json!({"amount_minor": quarter}))
        .await
        .ok(200);
    let share = caravan_domain::prorate(3000, quarter, o.total_minor).unwrap();
    assert_eq!(
        earnings(app, &marie, "EUR").await,
        (3000 - share, 0, 0, share)
    );
    audit(app).await;
    // Completed: the rest is confirmed and held; nothing can be paid out yet.
    complete(app, it, &buyer, &order).await;
    let left = 3000 - share;
    assert_eq!(earnings(app, &marie, "EUR").await, (0, left, 0, share));
    let payouts = "/api/v1/creator/payouts";
    app.post_idem(payouts, &marie, "p0", json!({}))
        .await
        .error(422, "payout_below_minimum");
    // The hold ends 14 days later.
    app.clock.advance(15 * 86_400_000);
    app.market.run_timers().await.unwrap();
    assert_eq!(earnings(app, &marie, "EUR").await, (0, 0, left, share));
    // Another buyer's order refunded in full before completion: its commission is all reversed.
    let other = app.buyer("boris@example.com").await;
    let r = checkout(app, &other, "b", (it_var, 1), to(2), None, code).await;
    let second = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    let refund2 = format!("/api/v1/orders/{second}/refund");
    app.post_idem(&refund2, it, "r2", json!({})).await.ok(200);
    let c = app
        .market
        .store()
        .commission(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.state.as_str(), c.reversed_minor), ("reversed", 750));
    // Two payouts at once: one pays everything, the other is refused; a repeat replays.
    let (a, b) = tokio::join!(
        app.post_idem(payouts, &marie, "p1", json!({})),
        app.post_idem(payouts, &marie, "p2", json!({}))
    );
    let paid: Vec<&Res> = [&a, &b].into_iter().filter(|r| r.status == 201).collect();
    assert_eq!(paid.len(), 1, "{a:?} {b:?}");
    let refused = if a.status == 201 { &b } else { &a };
    let code = refused.body["error"]["code"].as_str().unwrap();
    assert!(
        ["insufficient_balance", "payout_below_minimum"].contains(&code),
        "{refused:?}"
    );
    assert_eq!(paid[0].body["amount"]["amount_minor"], left);
    let key = if a.status == 201 { "p1" } else { "p2" };
    let again = app.post_idem(payouts, &marie, key, json!({})).await;
    assert_eq!(again.ok(201), &paid[0].body);
    let list = app.get(payouts, Some(&marie)).await;
    assert_eq!(list.ok(200).as_array().unwrap().len(), 1);
    assert_eq!(earnings(app, &marie, "EUR").await, (0, 0, 0, share + 750));
    // A third of the first order refunded after the payout: its share of the commission is
    // clawed back from the creator (her balance goes negative), not from the store.
    let merchant = format!("merchant:{}", s.it.1);
    let store_before = app.market.store().balance(&merchant, "EUR").await.unwrap();
    let third = o.total_minor / 3;
    app.post_idem(&refund, it, "r3", json!({"amount_minor": third}))
        .await
        .ok(200);
    let store_after = app.market.store().balance(&merchant, "EUR").await.unwrap();
    let clawed = caravan_domain::prorate(3000, quarter + third, o.total_minor).unwrap() - share;
    assert!(clawed > 0);
    assert_eq!(
        store_before - store_after,
        third - clawed,
        "the store gets the commission on the refund back"
    );
    assert_eq!(
        earnings(app, &marie, "EUR").await,
        (0, 0, -clawed, share + 750 + clawed)
    );
    let c = app
        .market
        .store()
        .commission(&order)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.state.as_str(), c.reversed_minor),
        ("available", share + clawed)
    );
    // Later earnings cover the debt first.
    let r = checkout(
        app,
        &other,
        "c",
        (it_var, 1),
        to(2),
        None,
        json!({"creator_code": "MARIE30"}),
    )
    .await;
    let third_order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    complete(app, it, &other, &third_order).await;
    app.clock.advance(15 * 86_400_000);
    app.market.run_timers().await.unwrap();
    assert_eq!(earnings(app, &marie, "EUR").await.2, 750 - clawed);
    audit(app).await;
}

/// A French buyer types Marie's code on the cart page; Marie's hub shows the commission
/// pending, then available, and pays it out; the operator sees her own purchase refused.
async fn the_hub_shows_the_commission_move_and_pays_it_out(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let cat = shop_category(app).await;
    let rate = json!({"scope": "category", "target_id": cat, "rate_bps": 3000});
    app.put(RATES, Some(it), rate).await.ok(200);
    let (marie, _) = creator(app, &s.op, "marie@example.com", "marie").await;
    let hub = cookies(&marie, "fr.EUR.FR");
    let form = [
        ("csrf", CSRF),
        ("code", "marie30"),
        ("payout_currency", "eur"),
    ];
    let (status, _, _) = page(app, Method::POST, "/creator/settings", &hub, &form).await;
    assert_eq!(status, 303);
    let set = app.get("/api/v1/me/creator/settings", Some(&marie)).await;
    assert_eq!(set.ok(200)["code"], "MARIE30");
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("Gains") && html.contains("Pas encore de commission"),
        "{html}"
    );
    // The buyer's cart: a wrong code is explained in French and places nothing, the right one
    // places the order.
    let buyer = app.buyer("claire@example.com").await;
    filled_cart(app, &buyer, ("FR", "EUR"), std::slice::from_ref(it_var), 4).await;
    let me = cookies(&buyer, "fr.EUR.FR");
    let checkout = |code: &'static str, key: &'static str| {
        [
            ("csrf", CSRF),
            ("key", key),
            ("name", "Claire"),
            ("line1", "3 rue Vide"),
            ("city", "Lyon"),
            ("postal_code", "69001"),
            ("creator_code", code),
        ]
    };
    let (_, cart, _) = page(app, Method::GET, "/cart", &me, &[]).await;
    assert!(cart.contains("Code créateur (facultatif)"), "{cart}");
    let wrong = checkout("NOBODY99", "00112233445566778899aabbccddee01");
    let (_, refused, _) = page(app, Method::POST, "/checkout", &me, &wrong).await;
    assert!(
        refused.contains("Aucun créateur n&#39;a ce code"),
        "{refused}"
    );
    let right = checkout("marie30", "00112233445566778899aabbccddee02");
    assert_eq!(
        page(app, Method::POST, "/checkout", &me, &right).await.0,
        303
    );
    let orders = app.get("/api/v1/orders", Some(&buyer)).await;
    let orders = orders.ok(200).as_array().unwrap().clone();
    assert_eq!(orders.len(), 1);
    let order = orders[0]["id"].as_str().unwrap().to_owned();
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("class=\"num pending\">30,00\u{a0}€"),
        "{html}"
    );
    assert!(
        html.contains("Dernières commissions") && html.contains(&order),
        "{html}"
    );
    // The chart of the last 30 days: today's bar holds the €30.00.
    assert!(
        html.contains("Commission par jour") && html.contains("<rect"),
        "{html}"
    );
    let e = app.get("/api/v1/creator/earnings", Some(&marie)).await;
    let daily = e.ok(200)["daily"].as_array().unwrap().clone();
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[29]["earned"]["amount_minor"], 3000);
    assert_eq!(daily[28]["earned"]["amount_minor"], 0);
    // Completed, then held 14 days: available, and paid out from the hub.
    complete(app, it, &buyer, &order).await;
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("class=\"num confirmed\">30,00\u{a0}€"),
        "{html}"
    );
    app.clock.advance(15 * 86_400_000);
    app.market.run_timers().await.unwrap();
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("class=\"num available\">30,00\u{a0}€"),
        "{html}"
    );
    assert!(
        html.contains("À verser maintenant : 30,00\u{a0}€"),
        "{html}"
    );
    let pay = [("csrf", CSRF), ("key", "00112233445566778899aabbccddee03")];
    let (status, _, _) = page(app, Method::POST, "/creator/payout", &hub, &pay).await;
    assert_eq!(status, 303);
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(html.contains("Versé : 30,00\u{a0}€"), "{html}");
    // The store's commission page says which creator sold what.
    let seller = cookies(it, "fr.EUR.FR");
    let (_, html, _) = page(app, Method::GET, "/seller/commission", &seller, &[]).await;
    assert!(
        html.contains("Ce que les créateurs ont vendu") && html.contains("@marie"),
        "{html}"
    );
    // Marie buys with her own code: refused, and the operator's console says why.
    let own = json!({"creator_code": "MARIE30"});
    let r = self::checkout(app, &marie, "own", (it_var, 1), to(5), None, own).await;
    assert_eq!(credit(app, r.ok(201)).await, (None, 0));
    let console = cookies(&s.op, "fr.EUR.FR");
    let (_, html, _) = page(app, Method::GET, "/admin/creators", &console, &[]).await;
    assert!(
        html.contains("Auto-parrainages refusés")
            && html.contains("même compte")
            && html.contains("@marie"),
        "{html}"
    );
}

async fn tiers_raise_the_rate_and_the_leaderboard_ranks_confirmed_sales(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    offering(app, it, 1000).await;
    let (marie, _) = coded(app, &s.op, "marie@example.com", "marie", "MARIE10").await;
    let ladder = app.get("/api/v1/creator-tiers", None).await;
    let names: Vec<&str> = ladder
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Starter", "Rising", "Star", "Icon"]);
    let e = app.get("/api/v1/creator/earnings", Some(&marie)).await;
    assert_eq!(e.ok(200)["tier"]["tier"], "Starter");
    assert_eq!(e.body["tier"]["next"]["name"], "Rising");
    // One completed order through her code: €2.50 confirmed.
    let buyer = app.buyer("anna@example.com").await;
    let code = json!({"creator_code": "MARIE10"});
    let r = checkout(app, &buyer, "t1", (it_var, 1), to(1), None, code.clone()).await;
    let order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    complete(app, it, &buyer, &order).await;
    // The operator's ladder: bad ones are refused; Rising from €1.00 with +5%.
    let tiers = "/api/v1/admin/creator-tiers";
    let rising = |from: i64, bonus: i64| {
        json!({"tiers": [
        {"name": "Starter", "min_eur_minor": 0, "bonus_bps": 0},
        {"name": "Rising", "min_eur_minor": from, "bonus_bps": bonus}]})
    };
    app.put(tiers, Some(&marie), rising(100, 500))
        .await
        .error(403, "forbidden");
    for bad in [rising(0, 500), rising(100, 2001), json!({"tiers": []})] {
        app.put(tiers, Some(&s.op), bad)
            .await
            .error(422, "invalid_tiers");
    }
    app.put(tiers, Some(&s.op), rising(100, 500)).await.ok(200);
    let e = app.get("/api/v1/creator/earnings", Some(&marie)).await;
    assert_eq!(e.ok(200)["tier"]["tier"], "Rising");
    assert_eq!(e.body["tier"]["bonus_bps"], 500);
    assert_eq!(e.body["tier"]["earned_90d"]["amount_minor"], 250);
    // Her next sale earns the store's 10% plus the tier's 5%.
    app.clock.advance(3_000);
    let r = checkout(app, &buyer, "t2", (it_var, 1), to(1), None, code).await;
    assert_eq!(credit(app, r.ok(201)).await.1, 375);
    // The month's leaderboard: her confirmed sale, overall and for her audience's countries.
    let board = app.get("/api/v1/creator/leaderboard", Some(&marie)).await;
    let first = board.ok(200)[0].clone();
    assert_eq!(
        (first["rank"].as_i64(), first["handle"].as_str()),
        (Some(1), Some("marie"))
    );
    let o = app.market.store().order(&order).await.unwrap().unwrap();
    assert_eq!(first["sales"]["amount_minor"], o.total_minor);
    let be = app
        .get("/api/v1/creator/leaderboard?country=BE", Some(&marie))
        .await;
    assert_eq!(be.ok(200).as_array().unwrap().len(), 1);
    let jp = app
        .get("/api/v1/creator/leaderboard?country=JP", Some(&marie))
        .await;
    assert!(jp.ok(200).as_array().unwrap().is_empty());
    let last_year = app
        .get("/api/v1/creator/leaderboard?month=2020-01", Some(&marie))
        .await;
    assert!(last_year.ok(200).as_array().unwrap().is_empty());
    app.get("/api/v1/creator/leaderboard?month=2026-13", Some(&marie))
        .await
        .error(422, "invalid_month");
    app.get("/api/v1/creator/leaderboard", Some(&buyer))
        .await
        .error(403, "forbidden");
    // The console's form sets the ladder the way people write it.
    let console = cookies(&s.op, "fr.EUR.FR");
    let form = [
        ("csrf", CSRF),
        ("name_0", "Débutant"),
        ("from_0", "0"),
        ("bonus_0", "0"),
        ("name_1", "Étoile"),
        ("from_1", "1000"),
        ("bonus_1", "1,5"),
    ];
    let (status, _, _) = page(app, Method::POST, "/admin/tiers", &console, &form).await;
    assert_eq!(status, 303);
    let ladder = app.get("/api/v1/creator-tiers", None).await;
    assert_eq!(ladder.ok(200)[1]["name"], "Étoile");
    assert_eq!(
        (
            ladder.body[1]["min_eur_minor"].as_i64(),
            ladder.body[1]["bonus_bps"].as_i64()
        ),
        (Some(100_000), Some(150))
    );
    let hub = cookies(&marie, "fr.EUR.FR");
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("Niveau : Débutant") && html.contains("Classement du mois"),
        "{html}"
    );
}

/// The creator's commissions and orders per link, as the API shows them: (order ids newest
/// first, orders through each of their links).
async fn shown(app: &TestApp, creator: &str) -> (Vec<String>, Vec<i64>) {
    let e = app.get("/api/v1/creator/earnings", Some(creator)).await;
    let ids = e.ok(200)["commissions"].as_array().unwrap().iter();
    let ids = ids.map(|c| c["order_id"].as_str().unwrap().to_owned());
    let links = app.get("/api/v1/creator/links", Some(creator)).await;
    let links = links.ok(200).as_array().unwrap().iter();
    (
        ids.collect(),
        links.map(|l| l["orders"].as_i64().unwrap()).collect(),
    )
}

/// Commissions are listed under their creator apart from the order writer (ADR 0014): before,
/// between and after the listing steps the creator sees each of their orders exactly once, and
/// a step repeated lists nothing twice.
async fn a_creators_commissions_show_at_once_and_once_when_listed(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    offering(app, it, 1000).await;
    let (marie, _) = coded(app, &s.op, "marie@example.com", "marie", "MARIE10").await;
    let marie_link = link(app, &marie, it_var).await;
    let buyer = app.buyer("anna@example.com").await;
    let mut placed = Vec::new();
    for (n, code) in [(1, true), (2, false), (3, false)] {
        let (cookie, extra) = if code {
            (None, json!({"creator_code": "MARIE10"}))
        } else {
            (Some(click(app, &marie_link).await), json!({}))
        };
        let key = format!("l{n}");
        let r = checkout(
            app,
            &buyer,
            &key,
            (it_var, 1),
            to(1),
            cookie.as_deref(),
            extra,
        )
        .await;
        placed.insert(0, r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned());
    }
    let expected = (placed, vec![2]);
    assert_eq!(
        shown(app, &marie).await,
        expected,
        "shown as soon as placed"
    );
    // One outbox event a step, then whatever is left: the same three every time.
    let store = app.market.store();
    while store.list_commissions(1).await.unwrap() == 1 {
        assert_eq!(shown(app, &marie).await, expected);
    }
    assert_eq!(
        app.market.list_commissions().await.unwrap(),
        0,
        "nothing left"
    );
    sqlx::query("UPDATE sequences SET value = 0 WHERE name = 'creator_commissions'")
        .execute(store.pool())
        .await
        .unwrap();
    app.market.list_commissions().await.unwrap();
    let (cursor, last): (i64, i64) = sqlx::query_as(
        "SELECT value, (SELECT MAX(seq) FROM events) FROM sequences WHERE name = 'creator_commissions'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(cursor, last, "listed again from the start to the end");
    assert_eq!(
        shown(app, &marie).await,
        expected,
        "listed once however often listed"
    );
    audit(app).await;
}
