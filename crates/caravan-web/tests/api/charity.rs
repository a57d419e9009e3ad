//! Charity programmes over HTTP: an operator's cause, stores' pledges (locked once the cause
//! starts), each sale's pledge through escrow — pending at payment, reversed in proportion by
//! refunds, confirmed at completion, returned to the store by a refund after — remitted to the
//! partner once, and a public meter that equals the ledger to the cent.

use crate::app::TestApp;
use crate::connect_money::{checkout, complete, to};
use crate::festival::{cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{audit, shop};
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(
    a_cause_takes_pledges_that_lock_when_it_starts,
    a_pledge_follows_its_order_through_escrow_and_the_meter_equals_the_ledger,
    stores_pledge_in_the_seller_centre_and_buyers_see_it_in_polish,
    the_demo_raises_money_to_teach_children_to_swim,
    buyers_give_at_checkout_and_the_gift_counts_once_paid,
);

const HOUR: i64 = 3_600_000;

/// A cause collecting from an hour from now for 30 days, in euros; its id.
pub(crate) async fn cause(app: &TestApp, op: &str, slug: &str) -> String {
    let now = 1_800_000_000_000i64;
    let body = json!({"slug": slug, "partner": "Swimming Confederation", "partner_url": "https://swim.example",
        "target_minor": 500_000, "currency": "EUR",
        "starts_at": caravan_domain::rfc3339(now + HOUR),
        "ends_at": caravan_domain::rfc3339(now + 30 * 24 * HOUR),
        "texts": {"en": {"name": "Learn to swim", "description": "Lessons for children."},
                  "pl": {"name": "Naucz się pływać"}}});
    let c = app.post("/api/v1/admin/causes", Some(op), body).await;
    c.ok(201)["id"].as_str().unwrap().to_owned()
}

fn pledges(cause: &str) -> String {
    format!("/api/v1/merchant/pledges/{cause}")
}

async fn a_cause_takes_pledges_that_lock_when_it_starts(app: &TestApp) {
    let s = shop(app).await;
    let (it, pl) = (&s.it.0, &s.pl.0);
    // Bad causes change nothing.
    let no_english = json!({"slug": "x", "partner": "P", "target_minor": 1, "currency": "EUR",
        "starts_at": "2027-01-01T00:00:00Z", "ends_at": "2027-01-02T00:00:00Z",
        "texts": {"fr": {"name": "Nager"}}});
    app.post("/api/v1/admin/causes", Some(&s.op), no_english.clone())
        .await
        .error(422, "invalid_cause");
    app.post("/api/v1/admin/causes", Some(it), no_english)
        .await
        .error(403, "forbidden");
    let id = cause(app, &s.op, "swim").await;
    let again = app.get("/api/v1/causes", None).await;
    assert_eq!(again.ok(200).as_array().unwrap().len(), 1);
    let polish = app
        .get("/api/v1/causes/swim/meter?currency=PLN", None)
        .await;
    let polish = polish.ok(200);
    assert_eq!(polish["cause"]["state"], "upcoming");
    assert_eq!(
        polish["raised"],
        json!({"amount_minor": 0, "currency": "PLN", "amount": "0.00"})
    );
    // Pledges: a share or an amount per unit; anything else is refused.
    for bad in [
        json!({"kind": "percent", "value": 5001}),
        json!({"kind": "gift", "value": 5}),
    ] {
        app.put(&pledges(&id), Some(it), bad)
            .await
            .error(422, "invalid_pledge");
    }
    let p = app
        .put(
            &pledges(&id),
            Some(it),
            json!({"kind": "percent", "value": 1000}),
        )
        .await;
    assert_eq!(p.ok(200)["cause_name"], "Learn to swim");
    let p = app
        .put(
            &pledges("swim"),
            Some(pl),
            json!({"kind": "per_unit", "value": 200}),
        )
        .await;
    assert_eq!(p.ok(200)["per_unit"]["amount"], "2.00");
    // Before the start a store may change its mind; after, the pledge stays as it is.
    let gone = app
        .call(Method::DELETE, &pledges(&id), Some(pl), None)
        .await;
    assert_eq!(gone.status, 204);
    app.put(
        &pledges(&id),
        Some(pl),
        json!({"kind": "per_unit", "value": 250}),
    )
    .await
    .ok(200);
    app.clock.advance(2 * HOUR);
    app.put(
        &pledges(&id),
        Some(it),
        json!({"kind": "percent", "value": 300}),
    )
    .await
    .error(409, "pledge_locked");
    let locked = app
        .call(Method::DELETE, &pledges(&id), Some(it), None)
        .await;
    locked.error(409, "pledge_locked");
    let mine = app.get("/api/v1/merchant/pledges", Some(it)).await;
    assert_eq!(mine.ok(200)[0]["value"], 1000);
    let meter = app.get(&format!("/api/v1/causes/{id}/meter"), None).await;
    assert_eq!(meter.ok(200)["sellers"], 2);
    assert_eq!(meter.ok(200)["cause"]["state"], "collecting");
}

/// The cause's ledger balances: (pending, confirmed) in euros.
async fn ledger(app: &TestApp, cause: &str) -> (i64, i64) {
    let store = app.market.store();
    let pending = store
        .balance(&format!("charity:{cause}:pending"), "EUR")
        .await
        .unwrap();
    let raised = store
        .balance(&format!("charity:{cause}"), "EUR")
        .await
        .unwrap();
    (pending, raised)
}

/// The meter in euros, read after its two-second cache: (raised, pledged).
async fn meter(app: &TestApp, cause: &str) -> Value {
    app.clock.advance(2_500);
    app.get(&format!("/api/v1/causes/{cause}/meter?currency=EUR"), None)
        .await
        .ok(200)
        .clone()
}

fn raised_pledged(m: &Value) -> (i64, i64) {
    (
        m["raised"]["amount_minor"].as_i64().unwrap(),
        m["pledged"]["amount_minor"].as_i64().unwrap(),
    )
}

async fn a_pledge_follows_its_order_through_escrow_and_the_meter_equals_the_ledger(app: &TestApp) {
    let s = shop(app).await;
    let (it, it_id, it_var) = &s.it;
    let id = cause(app, &s.op, "swim").await;
    app.put(
        &pledges(&id),
        Some(it),
        json!({"kind": "percent", "value": 1000}),
    )
    .await
    .ok(200);
    let buyer = app.buyer("ola@example.com").await;
    // A sale before the cause starts pledges nothing.
    let early = checkout(app, &buyer, "e", (it_var, 1), to(1), None, json!({})).await;
    assert_eq!(early.ok(201)["orders"][0]["charity"], Value::Null);
    app.clock.advance(2 * HOUR);
    let product = app
        .market
        .store()
        .variant(it_var)
        .await
        .unwrap()
        .unwrap()
        .product_id;
    let page = app.get(&format!("/api/v1/products/{product}"), None).await;
    assert_eq!(page.ok(200)["charity"]["kind"], "percent");
    assert_eq!(page.ok(200)["charity"]["cause_slug"], "swim");
    // Four units at €25.00: 10% of €100.00 is pledged, pending until the order completes.
    let r = checkout(app, &buyer, "a", (it_var, 4), to(1), None, json!({})).await;
    let placed = r.ok(201);
    assert_eq!(
        placed["orders"][0]["charity"]["amount"]["amount_minor"],
        1000
    );
    assert_eq!(placed["orders"][0]["charity"]["state"], "pending");
    let order = placed["orders"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(ledger(app, &id).await, (1000, 0));
    assert_eq!(raised_pledged(&meter(app, &id).await), (0, 1000));
    audit(app).await;
    // A quarter refunded before completion takes its share of the pledge back.
    let o = app.market.store().order(&order).await.unwrap().unwrap();
    let quarter = o.total_minor / 4;
    let refund = format!("/api/v1/orders/{order}/refund");
    app.post_idem(&refund, it, "r1", json!({"amount_minor": quarter}))
        .await
        .ok(200);
    let share = caravan_domain::prorate(1000, quarter, o.total_minor).unwrap();
    assert_eq!(ledger(app, &id).await, (1000 - share, 0));
    // Completed: the rest is confirmed, and the store is settled less it.
    let merchant = format!("merchant:{it_id}");
    complete(app, it, &buyer, &order).await;
    let left = 1000 - share;
    assert_eq!(ledger(app, &id).await, (0, left));
    let m = meter(app, &id).await;
    assert_eq!(raised_pledged(&m), (left, 0));
    assert_eq!(m["per_seller"][0]["raised"]["amount_minor"], left);
    let mine = app
        .get(&format!("/api/v1/orders/{order}"), Some(&buyer))
        .await;
    assert_eq!(mine.ok(200)["charity"]["state"], "confirmed");
    audit(app).await;
    // Remitted to the partner: the meter still counts it as raised.
    let remit = format!("/api/v1/admin/causes/{id}/remittances");
    app.post(&remit, Some(it), json!({"reference": "SWIM-1"}))
        .await
        .error(403, "forbidden");
    let sent = app
        .post(&remit, Some(&s.op), json!({"reference": "SWIM-1"}))
        .await;
    assert_eq!(sent.ok(201)["amount"]["amount_minor"], left);
    app.post(&remit, Some(&s.op), json!({"reference": "SWIM-2"}))
        .await
        .error(409, "nothing_to_remit");
    assert_eq!(ledger(app, &id).await, (0, 0));
    let m = meter(app, &id).await;
    assert_eq!(raised_pledged(&m), (left, 0));
    assert_eq!(m["remittances"].as_array().unwrap().len(), 1);
    // A third refunded after completion gives its share of the pledge back to the store, and
    // the meter stops counting it (the cause's account goes below zero until later pledges).
    let before = app.market.store().balance(&merchant, "EUR").await.unwrap();
    let third = o.total_minor / 3;
    app.post_idem(&refund, it, "r2", json!({"amount_minor": third}))
        .await
        .ok(200);
    let back = caravan_domain::prorate(1000, quarter + third, o.total_minor).unwrap() - share;
    assert!(back > 0);
    assert_eq!(ledger(app, &id).await, (0, -back));
    let after = app.market.store().balance(&merchant, "EUR").await.unwrap();
    assert_eq!(
        after - before - back,
        -third,
        "the store pays the refund less the pledge returned"
    );
    let m = meter(app, &id).await;
    assert_eq!(raised_pledged(&m), (left - back, 0));
    assert_eq!(m["raised_by_currency"][0]["amount_minor"], left - back);
    assert_eq!(m["per_seller"][0]["raised"]["amount_minor"], left - back);
    audit(app).await;
}

async fn stores_pledge_in_the_seller_centre_and_buyers_see_it_in_polish(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let id = cause(app, &s.op, "swim").await;
    let seller = cookies(it, "pl.EUR.PL");
    // A pledge from the seller centre's form: 10 % of each sale.
    let form = [("csrf", CSRF), ("kind", "percent"), ("value", "10")];
    let (status, _, _) = page(
        app,
        Method::POST,
        &format!("/seller/charity/{id}"),
        &seller,
        &form,
    )
    .await;
    assert_eq!(status, 303);
    let bad = [("csrf", CSRF), ("kind", "percent"), ("value", "ten")];
    let (status, body, _) = page(
        app,
        Method::POST,
        &format!("/seller/charity/{id}"),
        &seller,
        &bad,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (_, centre, _) = page(app, Method::GET, "/seller/charity", &seller, &[]).await;
    assert!(centre.contains("Naucz się pływać"), "{centre}");
    assert!(
        centre.contains("Twoja deklaracja: 10,00 % każdej sprzedaży"),
        "{centre}"
    );
    // Once the cause collects, a Polish buyer sees the badge and, on the order, the gift.
    app.clock.advance(2 * HOUR);
    let product = app
        .market
        .store()
        .variant(it_var)
        .await
        .unwrap()
        .unwrap()
        .product_id;
    let buyer = app.buyer("ola@example.com").await;
    let visitor = cookies(&buyer, "pl.EUR.PL");
    let (_, shown, _) = page(app, Method::GET, &format!("/p/{product}"), &visitor, &[]).await;
    assert!(
        shown.contains("10,00 % tej sprzedaży wspiera „Naucz się pływać”"),
        "{shown}"
    );
    let r = checkout(app, &buyer, "a", (it_var, 2), to(1), None, json!({})).await;
    let order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    let (_, mine, _) = page(app, Method::GET, &format!("/orders/{order}"), &visitor, &[]).await;
    assert!(mine.contains("To zamówienie przekazuje 5,00"), "{mine}");
    // The cause's page shows the meter in the visitor's currency.
    app.clock.advance(2_500);
    let (status, cause_page, _) = page(
        app,
        Method::GET,
        "/cause/swim",
        "caravan_prefs=pl.PLN.PL",
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        cause_page.contains("21,50"),
        "5.00 EUR pledged at 4.3 PLN: {cause_page}"
    );
    assert!(
        cause_page.contains("Zwroty nigdy nie są liczone."),
        "{cause_page}"
    );
    let (status, _, _) = page(
        app,
        Method::GET,
        "/cause/nothing-here",
        "caravan_prefs=pl.PLN.PL",
        &[],
    )
    .await;
    assert_eq!(status, 404);
    // The operators' console lists it; a remittance with nothing confirmed is refused.
    let op = cookies(&s.op, "en.EUR.FR");
    let (_, console, _) = page(app, Method::GET, "/admin/charity", &op, &[]).await;
    assert!(
        console.contains("Learn to swim") && console.contains("remit-form"),
        "{console}"
    );
    let remit = [("csrf", CSRF), ("reference", "T-1")];
    let (status, _, _) = page(
        app,
        Method::POST,
        &format!("/admin/charity/{id}/remit"),
        &op,
        &remit,
    )
    .await;
    assert_eq!(status, 422);
}

async fn the_demo_raises_money_to_teach_children_to_swim(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    let m = app
        .get("/api/v1/causes/learn-to-swim/meter?currency=EUR", None)
        .await;
    let m = m.ok(200);
    assert_eq!(m["sellers"], 4);
    assert_eq!(m["cause"]["state"], "collecting");
    let (raised, pledged) = raised_pledged(m);
    assert!(raised > 0 && pledged > 0, "{m}");
    assert_eq!(m["remittances"].as_array().unwrap().len(), 1);
    assert_eq!(m["donated_by_currency"].as_array().unwrap().len(), 1, "{m}");
    let countries: std::collections::BTreeSet<&str> = m["per_seller"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["country"].as_str().unwrap())
        .collect();
    assert!(countries.len() >= 3, "{countries:?}");
    // The meter is the ledger: confirmed plus remitted, and pending, per currency.
    let id = m["cause"]["id"].as_str().unwrap();
    let store = app.market.store();
    let remitted: std::collections::BTreeMap<String, i64> =
        store.remitted(id).await.unwrap().into_iter().collect();
    for shown in m["raised_by_currency"].as_array().unwrap() {
        let c = shown["currency"].as_str().unwrap();
        let balance = store.balance(&format!("charity:{id}"), c).await.unwrap();
        let sent = remitted.get(c).copied().unwrap_or(0);
        assert_eq!(
            shown["amount_minor"].as_i64().unwrap(),
            balance + sent,
            "{c}"
        );
    }
    // One completed order was half refunded: the meter counts only the half kept.
    let refunded: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT status, refunded_minor, pledge_minor FROM orders WHERE cause_id = $1 AND refunded_minor > 0",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(refunded.len(), 1, "{refunded:?}");
    assert_eq!(refunded[0].0, "completed");
    let (_, shown, _) = page(
        app,
        Method::GET,
        "/cause/learn-to-swim",
        "caravan_prefs=pl.PLN.PL",
        &[],
    )
    .await;
    assert!(
        shown.contains("Naucz się pływać") && shown.contains("charity-seller"),
        "{shown}"
    );
}

/// Sends the sandbox provider's signed event `kind` for a payment.
async fn provider_event(app: &TestApp, id: &str, kind: &str, payment_ref: &str) {
    use caravan_market::Clock;
    let event = json!({"id": id, "type": kind, "payment_ref": payment_ref}).to_string();
    let now = app.clock.now_ms() / 1000;
    let sig = caravan_market::payments::sign(crate::app::WEBHOOK_SECRET, now, event.as_bytes());
    let res = app
        .client
        .post(format!("{}/api/v1/payments/webhook", app.base))
        .header("Caravan-Signature", sig)
        .header("content-type", "application/json")
        .body(event)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
}

async fn buyers_give_at_checkout_and_the_gift_counts_once_paid(app: &TestApp) {
    let s = shop(app).await;
    let it_var = &s.it.2;
    let id = cause(app, &s.op, "swim").await;
    let buyer = app.buyer("ola@example.com").await;
    let gift = |kind: &str, amount: Option<i64>| json!({"donation": {"cause": "swim", "kind": kind, "amount_minor": amount}});
    // Before the cause collects, and with bad amounts: refused, nothing placed.
    let early = checkout(
        app,
        &buyer,
        "e",
        (it_var, 1),
        to(1),
        None,
        gift("fixed", Some(250)),
    )
    .await;
    early.error(422, "invalid_donation");
    app.clock.advance(2 * HOUR);
    for (k, bad) in [
        ("b1", gift("fixed", None)),
        ("b2", gift("fixed", Some(100_001))),
        (
            "b3",
            json!({"donation": {"cause": "nope", "kind": "round_up"}}),
        ),
    ] {
        checkout(app, &buyer, k, (it_var, 1), to(1), None, bad)
            .await
            .error(422, "invalid_donation");
    }
    assert!(app
        .get("/api/v1/orders", Some(&buyer))
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());
    // A fixed €2.50 on a paid checkout: the payment takes it with the orders, the cause has it.
    let r = checkout(
        app,
        &buyer,
        "f",
        (it_var, 1),
        to(1),
        None,
        gift("fixed", Some(250)),
    )
    .await;
    let placed = r.ok(201);
    let orders: i64 = placed["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["presentment_total"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(placed["donation"]["amount_minor"], 250);
    let first = placed["orders"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        placed["payment"]["amount"]["amount_minor"]
            .as_i64()
            .unwrap(),
        orders + 250
    );
    let store = app.market.store();
    assert_eq!(
        store
            .balance(&format!("charity:{id}"), "EUR")
            .await
            .unwrap(),
        250
    );
    // A round-up in dollars: what is missing to the next whole dollar.
    let usd = json!({"currency": "USD", "donation": {"cause": "swim", "kind": "round_up"}});
    let r = checkout(app, &buyer, "u", (it_var, 1), to(1), None, usd).await;
    let placed = r.ok(201);
    let paid = placed["payment"]["amount"]["amount_minor"]
        .as_i64()
        .unwrap();
    let given = placed["donation"]["amount_minor"].as_i64().unwrap();
    assert!(given > 0 && paid % 100 == 0, "{placed}");
    assert_eq!(
        store
            .balance(&format!("charity:{id}"), "USD")
            .await
            .unwrap(),
        given
    );
    // A delayed payment: the gift waits for the capture, and a failed one never counts.
    let mut delayed = gift("fixed", Some(100));
    delayed["payment_method"] = json!("pm_sandbox_delayed");
    let r = checkout(app, &buyer, "d", (it_var, 1), to(1), None, delayed.clone()).await;
    let pref = r.ok(201)["payment"]["provider_ref"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        store
            .balance(&format!("charity:{id}"), "EUR")
            .await
            .unwrap(),
        250
    );
    provider_event(app, "evt_cap", "payment.captured", &pref).await;
    assert_eq!(
        store
            .balance(&format!("charity:{id}"), "EUR")
            .await
            .unwrap(),
        350
    );
    let r = checkout(app, &buyer, "x", (it_var, 1), to(1), None, delayed).await;
    let failed = r.ok(201)["payment"]["provider_ref"]
        .as_str()
        .unwrap()
        .to_owned();
    provider_event(app, "evt_fail", "payment.failed", &failed).await;
    assert_eq!(
        store
            .balance(&format!("charity:{id}"), "EUR")
            .await
            .unwrap(),
        350
    );
    // Refunding an order leaves the buyer's gift with the cause; the meter shows it as given.
    let refund = format!("/api/v1/orders/{first}/refund");
    app.post_idem(&refund, &s.it.0, "r", json!({}))
        .await
        .ok(200);
    let kept = store
        .balance(&format!("charity:{id}"), "EUR")
        .await
        .unwrap();
    assert_eq!(kept, 350);
    let m = meter(app, &id).await;
    let donated: Vec<(String, i64)> = m["donated_by_currency"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["currency"].as_str().unwrap().to_owned(),
                x["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        donated,
        vec![("EUR".to_owned(), 350), ("USD".to_owned(), given)]
    );
    assert_eq!(m["raised_by_currency"][0]["amount_minor"], 350);
    audit(app).await;
}
