//! Coupons: store coupons funded by the store, platform coupons funded by the platform, stacked
//! after the deal price; budgets in uses and money and per-buyer limits that hold under a burst;
//! collect-before-use; refunds and cancellations that give each funder its share back.

use crate::app::TestApp;
use crate::concurrency::buyers;
use crate::on_both_engines;
use crate::shop::{address, audit, filled_cart, product, shop};
use caravan_market::Clock;
use serde_json::{json, Value};
use tokio::task::JoinSet;

on_both_engines!(
    a_coupon_budget_of_100_uses_holds_under_1000_checkouts,
    a_money_budget_stops_at_its_amount,
    coupons_stack_and_each_funder_pays_its_share,
    a_platform_coupon_splits_across_stores,
    collect_before_use_per_buyer_limits_and_cancellations,
    bad_coupons_are_refused_and_change_nothing,
    coupons_in_the_three_web_areas,
);

const DAY: i64 = 24 * 60 * 60 * 1000;

/// A coupon body valid from a minute ago for a day.
pub(crate) fn coupon(app: &TestApp, code: &str, kind: &str, value: i64, extra: Value) -> Value {
    let now = app.clock.now_ms();
    let mut body = json!({
        "code": code, "kind": kind, "value": value,
        "valid_from": caravan_domain::rfc3339(now - 60_000),
        "valid_to": caravan_domain::rfc3339(now + DAY), "per_buyer": 5,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn buy(variant: &str, quantity: i64, coupons: &[&str]) -> Value {
    json!({"items": [{"variant_id": variant, "quantity": quantity}], "currency": "EUR",
           "address": address("FR"), "payment_method": "pm_sandbox_success", "coupons": coupons})
}

/// The balance of a ledger account in a currency (0 when it has none).
async fn balance(app: &TestApp, account: &str, currency: &str) -> i64 {
    let all = app.market.store().balances().await.unwrap();
    all.iter()
        .find(|b| b.0 == account && b.1 == currency)
        .map_or(0, |b| b.2)
}

async fn a_coupon_budget_of_100_uses_holds_under_1000_checkouts(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let cat = crate::shop::shop_category(app).await;
    let (_, variant) = product(app, it, &cat, "CPN-1", 1000, 2000, "EUR").await;
    let body = coupon(app, "ELEVEN", "fixed", 100, json!({"budget_uses": 100}));
    let c = app.post("/api/v1/admin/coupons", Some(&s.op), body).await;
    assert_eq!(c.ok(201)["scope"], "platform");
    let tokens = buyers(app, 200).await;
    let mut set = JoinSet::new();
    for (b, token) in tokens.iter().enumerate() {
        for k in 0..5 {
            let (remote, token, body) =
                (app.remote(), token.clone(), buy(&variant, 1, &["eleven"]));
            set.spawn(async move {
                let r = remote
                    .post_idem("/api/v1/checkout", &token, &format!("c-{b}-{k}"), body)
                    .await;
                (r.status.as_u16(), r.body)
            });
        }
    }
    let (mut placed, mut refused) = (0, 0);
    while let Some(r) = set.join_next().await {
        let (status, body) = r.unwrap();
        match status {
            201 => {
                let o = &body["orders"][0];
                assert_eq!(o["platform_discount"]["amount_minor"], 100, "{body}");
                assert_eq!(body["total"]["amount_minor"], 1000 - 100 + 900, "{body}");
                placed += 1;
            }
            409 => {
                assert_eq!(body["error"]["code"], "coupon_exhausted", "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((placed, refused), (100, 900), "exactly the budget's uses");
    let listed = app.get("/api/v1/admin/coupons", Some(&s.op)).await;
    let listed = &listed.ok(200)[0];
    assert_eq!(
        (
            listed["used_uses"].as_i64(),
            listed["used"]["amount_minor"].as_i64()
        ),
        (Some(100), Some(10_000))
    );
    assert_eq!(balance(app, "platform:promotions", "EUR").await, -10_000);
    audit(app).await;
}

async fn a_money_budget_stops_at_its_amount(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, variant) = &s.it;
    let body = coupon(
        app,
        "SPRING-3",
        "fixed",
        300,
        json!({"budget_minor": 1000, "per_buyer": 99}),
    );
    let c = app.post("/api/v1/merchant/coupons", Some(it), body).await;
    assert_eq!(
        (
            c.ok(201)["scope"].as_str(),
            c.ok(201)["amount"]["amount_minor"].as_i64()
        ),
        (Some("store"), Some(300))
    );
    let buyer = app.buyer("thrifty@example.com").await;
    for k in 0..3 {
        let r = app
            .post_idem(
                "/api/v1/checkout",
                &buyer,
                &format!("m-{k}"),
                buy(variant, 1, &["SPRING-3"]),
            )
            .await;
        // A store coupon is the store's: the buyer pays less and so does what the store earns.
        let o = &r.ok(201)["orders"][0];
        assert_eq!(o["goods"]["amount_minor"], 2200);
        assert_eq!(o["platform_discount"]["amount_minor"], 0);
        assert_eq!(o["lines"][0]["discount"]["amount_minor"], 300);
    }
    app.post_idem(
        "/api/v1/checkout",
        &buyer,
        "m-3",
        buy(variant, 1, &["SPRING-3"]),
    )
    .await
    .error(409, "coupon_exhausted");
    let mine = app.get("/api/v1/merchant/coupons", Some(it)).await;
    assert_eq!(mine.ok(200)[0]["used"]["amount_minor"], 900);
    assert_eq!(
        balance(app, "platform:promotions", "EUR").await,
        0,
        "the store funds its coupons"
    );
    audit(app).await;
}

async fn coupons_stack_and_each_funder_pays_its_share(app: &TestApp) {
    let s = shop(app).await;
    let (it, it_id, variant) = &s.it;
    let store = coupon(app, "TENOFF", "percent", 1000, json!({}));
    app.post("/api/v1/merchant/coupons", Some(it), store)
        .await
        .ok(201);
    let platform = coupon(app, "FIVE", "fixed", 500, json!({"min_spend_minor": 4000}));
    app.post("/api/v1/admin/coupons", Some(&s.op), platform)
        .await
        .ok(201);
    let buyer = app.buyer("stacker@example.com").await;
    // Two at €25.00: the store's 10% first (−€5.00), then the platform's €5.00, shipping €9.00.
    let place = |key: &'static str| {
        let (remote, buyer, body) = (
            app.remote(),
            buyer.clone(),
            buy(variant, 2, &["TENOFF", "FIVE"]),
        );
        async move {
            remote
                .post_idem("/api/v1/checkout", &buyer, key, body)
                .await
        }
    };
    let first = place("s-1").await;
    let first = first.ok(201).clone();
    let o = &first["orders"][0];
    assert_eq!(
        o["goods"]["amount_minor"], 4500,
        "what the store earns: after its own coupon"
    );
    assert_eq!(o["total"]["amount_minor"], 5400);
    assert_eq!(o["platform_discount"]["amount_minor"], 500);
    assert_eq!(o["fee"]["amount_minor"], 360, "8% of what the store earns");
    assert_eq!(o["lines"][0]["discount"]["amount_minor"], 1000);
    assert_eq!(
        first["total"]["amount_minor"], 4900,
        "the buyer pays €54.00 less €5.00"
    );
    assert_eq!(balance(app, "platform:promotions", "EUR").await, -500);
    // Cancelled: the buyer gets their €49.00, the platform its €5.00.
    let oid = o["id"].as_str().unwrap();
    let c = app
        .post(
            &format!("/api/v1/orders/{oid}/cancel"),
            Some(&buyer),
            json!({}),
        )
        .await;
    assert_eq!(c.ok(200)["refunded"]["amount_minor"], 5400);
    assert_eq!(balance(app, "platform:promotions", "EUR").await, 0);
    audit(app).await;
    // Delivered and completed: the store is paid on €54.00 less its fee, whoever funded what.
    let second = place("s-2").await;
    let oid = second.ok(201)["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ship = json!({"carrier": "DHL", "tracking_number": "1"});
    app.post(&format!("/api/v1/orders/{oid}/ship"), Some(it), ship)
        .await
        .ok(200);
    app.post(
        &format!("/api/v1/orders/{oid}/deliver"),
        Some(it),
        json!({}),
    )
    .await
    .ok(200);
    // A partial refund before completion splits between the buyer and the platform.
    app.post_idem(
        &format!("/api/v1/orders/{oid}/refund"),
        it,
        "r-1",
        json!({"amount_minor": 1080}),
    )
    .await
    .ok(200);
    assert_eq!(
        balance(app, "platform:promotions", "EUR").await,
        -400,
        "a fifth of €5.00 back"
    );
    app.clock.advance(15 * caravan_market::DAY_MS + 1);
    assert_eq!(app.market.run_timers().await.unwrap().completed, 1);
    let payable = balance(app, &format!("merchant:{it_id}"), "EUR").await;
    assert_eq!(
        payable,
        4320 - 288,
        "four fifths of €54.00 less four fifths of the fee"
    );
    audit(app).await;
}

async fn a_platform_coupon_splits_across_stores(app: &TestApp) {
    let s = shop(app).await;
    let (it_var, pl_var) = (&s.it.2, &s.pl.2);
    let six = coupon(app, "SIX", "fixed", 600, json!({}));
    app.post("/api/v1/admin/coupons", Some(&s.op), six)
        .await
        .ok(201);
    let buyer = app.buyer("two-stores@example.com").await;
    // €25.00 from Italy and 43.00 zł (€10.00) from Poland, shipped to Russia, paid in euros:
    // €6.00 split five to two by what each order costs.
    let body = json!({"items": [{"variant_id": it_var, "quantity": 1}, {"variant_id": pl_var, "quantity": 1}],
        "currency": "EUR", "address": address("RU"), "payment_method": "pm_sandbox_success", "coupons": ["SIX"]});
    let r = app.post_idem("/api/v1/checkout", &buyer, "two", body).await;
    let r = r.ok(201).clone();
    let orders = r["orders"].as_array().unwrap();
    let part = |cur: &str| {
        let o = orders
            .iter()
            .find(|o| o["total"]["currency"] == cur)
            .unwrap();
        o["platform_discount"]["amount_minor"].as_i64().unwrap()
    };
    assert_eq!(
        (part("EUR"), part("PLN")),
        (429, 735),
        "€4.29, and €1.71 as złoty (4.3 to the euro)"
    );
    let paid: i64 = orders
        .iter()
        .map(|o| o["presentment_total"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(r["total"]["amount_minor"], paid);
    let listed = app.get("/api/v1/admin/coupons", Some(&s.op)).await;
    assert_eq!(
        listed.ok(200)[0]["used"]["amount_minor"],
        600,
        "the whole €6.00, in euros"
    );
    assert_eq!(balance(app, "platform:promotions", "EUR").await, -429);
    assert_eq!(balance(app, "platform:promotions", "PLN").await, -735);
    audit(app).await;
}

async fn collect_before_use_per_buyer_limits_and_cancellations(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, variant) = &s.it;
    let body = coupon(
        app,
        "FESTIVAL",
        "percent",
        2000,
        json!({"collect": true, "per_buyer": 1, "budget_uses": 1}),
    );
    app.post("/api/v1/merchant/coupons", Some(it), body)
        .await
        .ok(201);
    let anna = app.buyer("anna@example.com").await;
    let jan = app.buyer("jan@example.com").await;
    let with = |k: &str| (format!("f-{k}"), buy(variant, 1, &["FESTIVAL"]));
    let (k, b) = with("1");
    app.post_idem("/api/v1/checkout", &anna, &k, b)
        .await
        .error(409, "coupon_not_collected");
    let got = app
        .post("/api/v1/coupons/festival/collect", Some(&anna), json!({}))
        .await;
    assert_eq!(
        (
            got.ok(200)["collected"].as_bool(),
            got.ok(200)["my_uses"].as_i64()
        ),
        (Some(true), Some(0))
    );
    app.post("/api/v1/coupons/festival/collect", Some(&anna), json!({}))
        .await
        .ok(200);
    let (k, b) = with("2");
    let placed = app.post_idem("/api/v1/checkout", &anna, &k, b).await;
    let oid = placed.ok(201)["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (k, b) = with("3");
    app.post_idem("/api/v1/checkout", &anna, &k, b)
        .await
        .error(409, "coupon_limit_reached");
    app.post("/api/v1/coupons/festival/collect", Some(&jan), json!({}))
        .await
        .ok(200);
    let (k, b) = with("4");
    app.post_idem("/api/v1/checkout", &jan, &k, b)
        .await
        .error(409, "coupon_exhausted");
    let wallet = app.get("/api/v1/me/coupons", Some(&anna)).await;
    let held = wallet
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "FESTIVAL")
        .cloned();
    assert_eq!(held.map(|c| c["my_uses"].as_i64()), Some(Some(1)));
    // Cancelled: the use goes back to the budget and to Anna; Jan can use it now.
    app.post(
        &format!("/api/v1/orders/{oid}/cancel"),
        Some(&anna),
        json!({}),
    )
    .await
    .ok(200);
    let mine = app.get("/api/v1/merchant/coupons", Some(it)).await;
    assert_eq!(
        (
            mine.ok(200)[0]["used_uses"].as_i64(),
            mine.ok(200)[0]["used"]["amount_minor"].as_i64()
        ),
        (Some(0), Some(0))
    );
    let wallet = app.get("/api/v1/me/coupons", Some(&anna)).await;
    let held = wallet
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "FESTIVAL")
        .cloned();
    assert_eq!(held.map(|c| c["my_uses"].as_i64()), Some(Some(0)));
    let (k, b) = with("5");
    app.post_idem("/api/v1/checkout", &jan, &k, b).await.ok(201);
    audit(app).await;
}

async fn bad_coupons_are_refused_and_change_nothing(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let (pl, _, _) = &s.pl;
    let buyer = app.buyer("typo@example.com").await;
    let bad = [
        coupon(app, "x", "fixed", 100, json!({})),
        coupon(app, "GOOD", "percent", 9500, json!({})),
        coupon(app, "GOOD", "fixed", 0, json!({})),
        coupon(app, "GOOD", "fixed", 100, json!({"per_buyer": 0})),
        coupon(
            app,
            "GOOD",
            "fixed",
            100,
            json!({"valid_to": "2020-01-01T00:00:00Z"}),
        ),
        coupon(app, "GOOD", "fixed", 100, json!({"budget_uses": 0})),
        coupon(app, "GOOD", "gift", 100, json!({})),
    ];
    for body in bad {
        app.post("/api/v1/merchant/coupons", Some(it), body)
            .await
            .error(422, "invalid_coupon");
    }
    let good = coupon(
        app,
        "GOOD",
        "fixed",
        100,
        json!({"min_spend_minor": 10_000}),
    );
    app.post("/api/v1/merchant/coupons", Some(&buyer), good.clone())
        .await
        .error(403, "forbidden");
    app.post("/api/v1/admin/coupons", Some(it), good.clone())
        .await
        .error(403, "forbidden");
    app.post("/api/v1/merchant/coupons", Some(it), good.clone())
        .await
        .ok(201);
    app.post("/api/v1/merchant/coupons", Some(it), good)
        .await
        .error(422, "invalid_coupon");
    let zloty = coupon(app, "ZLOTY", "fixed", 500, json!({}));
    app.post("/api/v1/merchant/coupons", Some(pl), zloty)
        .await
        .ok(201);
    for k in 1..=2 {
        let p = coupon(app, &format!("ALL-{k}"), "percent", 500, json!({}));
        app.post("/api/v1/admin/coupons", Some(&s.op), p)
            .await
            .ok(201);
    }
    // Unknown, below its minimum spend, another store's, two platform coupons, expired.
    for (i, codes) in [
        vec!["NOPE"],
        vec!["GOOD"],
        vec!["ZLOTY"],
        vec!["ALL-1", "ALL-2"],
    ]
    .iter()
    .enumerate()
    {
        app.post_idem(
            "/api/v1/checkout",
            &buyer,
            &format!("b-{i}"),
            buy(it_var, 1, codes),
        )
        .await
        .error(422, "coupon_not_applicable");
    }
    app.clock.advance(2 * DAY);
    app.post_idem(
        "/api/v1/checkout",
        &buyer,
        "b-9",
        buy(it_var, 1, &["ALL-1"]),
    )
    .await
    .error(422, "coupon_not_applicable");
    app.post("/api/v1/coupons/ALL-1/collect", Some(&buyer), json!({}))
        .await
        .error(422, "coupon_not_applicable");
    let orders = app.get("/api/v1/orders", Some(&buyer)).await;
    assert_eq!(
        orders.ok(200).as_array().map(Vec::len),
        Some(0),
        "nothing was placed"
    );
    let mine = app.get("/api/v1/merchant/coupons", Some(it)).await;
    assert_eq!(mine.ok(200)[0]["used_uses"], 0);
}

const CSRF: &str = "0123456789abcdef0123456789abcdef";

fn cookies(token: &str, prefs: &str) -> String {
    format!("caravan_csrf={CSRF}; caravan_prefs={prefs}; caravan_session={token}")
}

async fn coupons_in_the_three_web_areas(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, variant) = &s.it;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = &app.base;
    let send = |path: &str, cookie: String, form: Vec<(&str, &str)>| {
        let (c, url) = (c.clone(), format!("{base}{path}"));
        let form: Vec<(String, String)> = form
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        async move {
            let mut all = vec![("csrf".to_owned(), CSRF.to_owned())];
            all.extend(form);
            let r = c
                .post(url)
                .header("cookie", cookie)
                .form(&all)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let get = |path: &str, cookie: String| {
        let (c, url) = (c.clone(), format!("{base}{path}"));
        async move {
            let r = c.get(url).header("cookie", cookie).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The console creates the marketplace's coupon; a bad code gets the error in Russian.
    let op = cookies(&s.op, "ru.EUR.IE");
    let form = |code: &'static str, kind: &'static str, value: &'static str| {
        vec![
            ("code", code),
            ("kind", kind),
            ("value", value),
            ("min_spend", "40"),
            ("days", "2"),
            ("budget_uses", "100"),
            ("per_buyer", "1"),
            ("collect", "1"),
        ]
    };
    let (status, _) = send("/admin/coupons", op.clone(), form("ELEVEN", "fixed", "5")).await;
    assert_eq!(status, 303);
    let (_, refused) = send("/admin/coupons", op.clone(), form("x", "fixed", "5")).await;
    assert!(refused.contains("Проверьте купон"), "{refused}");
    let (status, console) = get("/admin/coupons", op).await;
    assert_eq!(status, 200);
    assert!(
        console.contains("ELEVEN") && console.contains("0 / 100"),
        "{console}"
    );
    // The store creates 12.5% off from the seller centre.
    let store = cookies(it, "it.EUR.IT");
    let mut own = form("DODICI", "percent", "12,5");
    own.retain(|f| f.0 != "collect" && f.0 != "min_spend");
    assert_eq!(send("/seller/coupons", store.clone(), own).await.0, 303);
    let listed = app.get("/api/v1/merchant/coupons", Some(it)).await;
    assert_eq!(listed.ok(200)[0]["percent_bps"], 1250);
    let (_, centre) = get("/seller/coupons", store).await;
    assert!(
        centre.contains("DODICI") && centre.contains("12.5% di sconto"),
        "{centre}"
    );
    // A Polish buyer collects ELEVEN in the wallet and uses both at checkout from the cart.
    let buyer = app.buyer("ola@example.com").await;
    let me = cookies(&buyer, "pl.EUR.FR");
    let (_, wallet) = get("/coupons", me.clone()).await;
    assert!(
        wallet.contains("Kupony") && wallet.contains("Odbierz"),
        "{wallet}"
    );
    assert_eq!(
        send("/coupons/ELEVEN/collect", me.clone(), vec![]).await.0,
        303
    );
    let (_, wallet) = get("/coupons", me.clone()).await;
    assert!(wallet.contains("Odebrany"), "{wallet}");
    filled_cart(app, &buyer, ("FR", "EUR"), std::slice::from_ref(variant), 2).await;
    let checkout = |coupons: &'static str, key: &'static str| {
        vec![
            ("key", key),
            ("name", "Ola"),
            ("line1", "ul. Długa 1"),
            ("city", "Paris"),
            ("postal_code", "75001"),
            ("coupons", coupons),
        ]
    };
    let (_, refused) = send("/checkout", me.clone(), checkout("NOPE", "p-1")).await;
    assert!(refused.contains("Kupon tu nie działa"), "{refused}");
    let (status, _) = send("/checkout", me.clone(), checkout("eleven, dodici", "p-2")).await;
    assert_eq!(status, 303);
    let orders = app.get("/api/v1/orders", Some(&buyer)).await;
    let o = &orders.ok(200)[0];
    assert_eq!(o["platform_discount"]["amount_minor"], 500);
    assert_eq!(o["goods"]["amount_minor"], 5000 - 625, "12.5% off €50.00");
    // Each discount is on the line with its funder, in stacking order.
    let steps: Vec<(&str, &str, i64)> = o["lines"][0]["discounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let d = (
                d["stage"].as_str(),
                d["funder"].as_str(),
                d["amount"]["amount_minor"].as_i64(),
            );
            (d.0.unwrap(), d.1.unwrap(), d.2.unwrap())
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("store_coupon", "merchant", 625),
            ("platform_coupon", "platform", 500)
        ]
    );
    // The order page lists them in the buyer's language.
    let oid = o["id"].as_str().unwrap();
    let (_, detail) = get(&format!("/orders/{oid}"), me.clone()).await;
    assert!(
        detail.contains("Rabaty")
            && detail.contains("Kupon sklepu")
            && detail.contains("finansuje serwis"),
        "{detail}"
    );
    audit(app).await;
}
