//! Collaborations over HTTP: a store's brief, creators' applications and the store's
//! decisions; accepted creators earn the brief's per-sale rate on its products (frozen on the
//! line) until it ends; a fixed fee is held from the store's balance at acceptance, paid once
//! on delivery of a post, and goes back to the store when it lapses.

use crate::app::{Res, TestApp};
use crate::connect::creator;
use crate::connect_money::{checkout, complete, to};
use crate::festival::{cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{audit, shop};
use caravan_market::Clock;
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(
    accepted_creators_earn_the_briefs_rate_on_its_products_until_it_ends,
    a_fixed_fee_is_held_at_acceptance_paid_on_delivery_and_lapses_back,
    a_brief_in_the_pages_from_the_seller_centre_to_the_delivered_post,
    the_demo_has_a_paid_brief_and_a_per_sale_brief_with_applicants,
);

const MINE: &str = "/api/v1/merchant/collaborations";
const DAY: i64 = 86_400_000;

async fn product_of(app: &TestApp, variant: &str) -> String {
    let v = app.market.store().variant(variant).await.unwrap().unwrap();
    v.product_id
}

fn brief(app: &TestApp, product: &str, kind: &str, value: i64, places: i64) -> Value {
    let ends = caravan_domain::rfc3339(app.clock.now_ms() + 30 * DAY);
    json!({"title": "Scarves on the stands", "brief": "Wear our scarves at the games and say where they come from.",
        "locale": "en", "product_ids": [product], "kind": kind, "value": value, "places": places, "ends_at": ends})
}

fn apply_path(id: &str) -> String {
    format!("/api/v1/creator/collaborations/{id}/applications")
}

async fn decide(app: &TestApp, store: &str, id: &str, creator: &str, decision: &str) -> Res {
    let path = format!("{MINE}/{id}/applications/{creator}");
    app.put(&path, Some(store), json!({"decision": decision}))
        .await
}

/// The commission and the frozen rate of the first line of the order a checkout placed.
async fn line_commission(app: &TestApp, placed: &Value) -> (i64, i64) {
    let id = placed["orders"][0]["id"].as_str().unwrap();
    let lines = app
        .market
        .store()
        .order_lines(&[id.to_owned()])
        .await
        .unwrap();
    (lines[0].commission_minor, lines[0].commission_bps)
}

async fn coded(app: &TestApp, op: &str, email: &str, handle: &str, code: &str) -> (String, String) {
    let (token, id) = creator(app, op, email, handle).await;
    app.put(
        "/api/v1/me/creator/settings",
        Some(&token),
        json!({"code": code}),
    )
    .await
    .ok(200);
    (token, id)
}

async fn accepted_creators_earn_the_briefs_rate_on_its_products_until_it_ends(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let product = product_of(app, it_var).await;
    let pl_product = product_of(app, &s.pl.2).await;
    let (marie, marie_id) = coded(app, &s.op, "marie@example.com", "marie", "MARIE20").await;
    let (olga, olga_id) = coded(app, &s.op, "olga@example.com", "olga", "OLGA20").await;
    // Bad briefs are refused and store nothing.
    let good = brief(app, &product, "per_sale", 2_000, 1);
    let buyer = app.buyer("anna@example.com").await;
    app.post(MINE, Some(&buyer), good.clone())
        .await
        .error(403, "forbidden");
    let past = caravan_domain::rfc3339(app.clock.now_ms() - DAY);
    for (field, value) in [
        ("product_ids", json!([])),
        ("product_ids", json!([pl_product])),
        ("product_ids", json!([product, product])),
        ("value", json!(200)),
        ("kind", json!("barter")),
        ("places", json!(0)),
        ("ends_at", json!(past)),
        ("ends_at", json!("soon")),
        ("brief", json!("short")),
        ("title", json!("")),
    ] {
        let mut bad = good.clone();
        bad[field] = value;
        app.post(MINE, Some(it), bad)
            .await
            .error(422, "invalid_collaboration");
    }
    assert_eq!(app.get(MINE, Some(it)).await.ok(200), &json!([]));
    let c = app.post(MINE, Some(it), good).await;
    let c = c.ok(201);
    assert_eq!(
        (c["rate_bps"].as_i64(), c["open"].as_bool()),
        (Some(2_000), Some(true))
    );
    let id = c["id"].as_str().unwrap().to_owned();
    // Creators see it and apply once.
    let listed = app.get("/api/v1/creator/collaborations", Some(&olga)).await;
    assert_eq!(listed.ok(200)[0]["id"], id.as_str());
    let pitch = json!({"pitch": "My followers love scarves"});
    app.post(&apply_path(&id), Some(&olga), pitch.clone())
        .await
        .ok(201);
    app.post(&apply_path(&id), Some(&olga), pitch.clone())
        .await
        .error(409, "already_in_collaboration");
    app.post(&apply_path(&id), Some(&marie), pitch.clone())
        .await
        .ok(201);
    app.post(&apply_path(&id), Some(&buyer), pitch.clone())
        .await
        .error(403, "forbidden");
    app.post(&apply_path("col_nothing"), Some(&marie), pitch.clone())
        .await
        .error(404, "not_found");
    // The store accepts Marie; its one place is taken.
    decide(app, it, &id, &marie_id, "maybe")
        .await
        .error(422, "invalid_collaboration");
    let a = decide(app, it, &id, &marie_id, "accept").await;
    assert_eq!(a.ok(200)["state"], "accepted");
    decide(app, it, &id, &olga_id, "accept")
        .await
        .error(409, "collaboration_closed");
    decide(app, &s.pl.0, &id, &olga_id, "reject")
        .await
        .error(404, "not_found");
    assert_eq!(
        decide(app, it, &id, &olga_id, "reject").await.ok(200)["state"],
        "rejected"
    );
    decide(app, it, &id, &olga_id, "reject")
        .await
        .error(409, "invalid_transition");
    let (late, _) = creator(app, &s.op, "lena@example.com", "lena").await;
    app.post(&apply_path(&id), Some(&late), pitch)
        .await
        .error(409, "collaboration_closed");
    let mine = app.get(MINE, Some(it)).await;
    let mut states: Vec<(&str, &str)> = mine.ok(200)[0]["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["handle"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    states.sort();
    assert_eq!(states, [("marie", "accepted"), ("olga", "rejected")]);
    // Marie earns the brief's 20% on the product (€25.00: €5.00); Olga, declined, nothing (the
    // store offers no rate of its own).
    let marie_code = json!({"creator_code": "MARIE20"});
    let b1 = app.buyer("b1@example.com").await;
    let r = checkout(app, &b1, "a", (it_var, 1), to(1), None, marie_code.clone()).await;
    assert_eq!(line_commission(app, r.ok(201)).await, (500, 2_000));
    let r = checkout(
        app,
        &b1,
        "b",
        (it_var, 1),
        to(1),
        None,
        json!({"creator_code": "OLGA20"}),
    )
    .await;
    assert_eq!(line_commission(app, r.ok(201)).await, (0, 0));
    // After the end, the rate no longer applies.
    app.clock.advance(31 * DAY);
    let r = checkout(app, &b1, "c", (it_var, 1), to(1), None, marie_code).await;
    assert_eq!(line_commission(app, r.ok(201)).await, (0, 0));
    let listed = app
        .get("/api/v1/creator/collaborations", Some(&marie))
        .await;
    let listed = listed.ok(200);
    assert_eq!(listed[0]["open"], false, "{listed}");
    assert_eq!(listed[0]["applications"][0]["state"], "accepted");
    audit(app).await;
}

async fn post_of(app: &TestApp, creator: &str, product: &str) -> String {
    let p = app
        .post(
            "/api/v1/creator/posts",
            Some(creator),
            json!({"texts": {"en": "On the stands"}, "products": [product]}),
        )
        .await;
    p.ok(201)["id"].as_str().unwrap().to_owned()
}

async fn a_fixed_fee_is_held_at_acceptance_paid_on_delivery_and_lapses_back(app: &TestApp) {
    let s = shop(app).await;
    let (it, it_id, it_var) = &s.it;
    let product = product_of(app, it_var).await;
    let pl_product = product_of(app, &s.pl.2).await;
    let (marie, marie_id) = creator(app, &s.op, "marie@example.com", "marie").await;
    let (olga, olga_id) = creator(app, &s.op, "olga@example.com", "olga").await;
    let store = app.market.store();
    let payable = format!("merchant:{it_id}");
    let pitch = json!({"pitch": "I film at the stadium"});
    // A store with nothing earned yet cannot hold a fee: nothing moves.
    let c = app
        .post(MINE, Some(it), brief(app, &product, "fixed_fee", 3_000, 2))
        .await;
    let id = c.ok(201)["id"].as_str().unwrap().to_owned();
    for who in [&marie, &olga] {
        app.post(&apply_path(&id), Some(who), pitch.clone())
            .await
            .ok(201);
    }
    decide(app, it, &id, &marie_id, "accept")
        .await
        .error(409, "insufficient_balance");
    // A completed €100.00 order gives the store a balance; accepting both holds two fees.
    let buyer = app.buyer("anna@example.com").await;
    let r = checkout(app, &buyer, "a", (it_var, 4), to(1), None, json!({})).await;
    let order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    complete(app, it, &buyer, &order).await;
    let before = store.balance(&payable, "EUR").await.unwrap();
    assert!(before >= 6_000, "{before}");
    for who in [&marie_id, &olga_id] {
        decide(app, it, &id, who, "accept").await.ok(200);
    }
    let held = format!("collab:{id}");
    assert_eq!(
        store.balance(&payable, "EUR").await.unwrap(),
        before - 6_000
    );
    assert_eq!(store.balance(&held, "EUR").await.unwrap(), 6_000);
    // A delivery is one of the creator's published posts featuring the brief's product.
    let delivery = format!("/api/v1/creator/collaborations/{id}/delivery");
    let olgas = post_of(app, &olga, &product).await;
    let elsewhere = post_of(app, &marie, &pl_product).await;
    for post in [
        "pst_nothing",
        "nonsense",
        olgas.as_str(),
        elsewhere.as_str(),
    ] {
        app.post(&delivery, Some(&marie), json!({"post_id": post}))
            .await
            .error(422, "invalid_delivery");
    }
    decide(app, it, &id, &olga_id, "lapse")
        .await
        .error(409, "invalid_transition");
    // Two deliveries at once: one is paid.
    let (p1, p2) = (
        post_of(app, &marie, &product).await,
        post_of(app, &marie, &product).await,
    );
    let (a, b) = tokio::join!(
        app.post(&delivery, Some(&marie), json!({"post_id": p1})),
        app.post(&delivery, Some(&marie), json!({"post_id": p2}))
    );
    let paid = [&a, &b].iter().filter(|r| r.status == 200).count();
    assert_eq!(paid, 1, "{a:?} {b:?}");
    let refused = if a.status == 200 { &b } else { &a };
    assert_eq!(refused.body["error"]["code"], "invalid_transition");
    let marie_balance = format!("creator:{marie_id}");
    assert_eq!(store.balance(&marie_balance, "EUR").await.unwrap(), 3_000);
    let earned = app.get("/api/v1/creator/earnings", Some(&marie)).await;
    assert_eq!(
        earned.ok(200)["by_currency"][0]["available"]["amount_minor"],
        3_000
    );
    // Olga did not deliver by the end: the store takes its fee back, once.
    app.clock.advance(31 * DAY);
    app.post(&delivery, Some(&olga), json!({"post_id": olgas}))
        .await
        .error(409, "invalid_transition");
    assert_eq!(
        decide(app, it, &id, &olga_id, "lapse").await.ok(200)["state"],
        "lapsed"
    );
    decide(app, it, &id, &olga_id, "lapse")
        .await
        .error(409, "invalid_transition");
    assert_eq!(
        store.balance(&payable, "EUR").await.unwrap(),
        before - 3_000
    );
    assert_eq!(store.balance(&held, "EUR").await.unwrap(), 0);
    let mine = app.get(MINE, Some(it)).await;
    let apps = mine.ok(200)[0]["applications"].as_array().unwrap().clone();
    let mut states: Vec<(&str, &str, bool)> = apps
        .iter()
        .map(|a| {
            let h = a["handle"].as_str().unwrap();
            (h, a["state"].as_str().unwrap(), a["post_id"].is_string())
        })
        .collect();
    states.sort();
    assert_eq!(
        states,
        [("marie", "delivered", true), ("olga", "lapsed", false)]
    );
    audit(app).await;
}

/// An Italian store publishes a fixed-fee brief in its seller centre; a Polish creator applies
/// in her hub; the store accepts her; she delivers a post and is paid.
async fn a_brief_in_the_pages_from_the_seller_centre_to_the_delivered_post(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let product = product_of(app, it_var).await;
    let (jan, jan_id) = creator(app, &s.op, "jan@example.com", "jan").await;
    let buyer = app.buyer("anna@example.com").await;
    let r = checkout(app, &buyer, "a", (it_var, 4), to(1), None, json!({})).await;
    let order = r.ok(201)["orders"][0]["id"].as_str().unwrap().to_owned();
    complete(app, it, &buyer, &order).await;
    let centre = cookies(it, "it.EUR.IT");
    let path = "/seller/collaborations";
    let (_, html, _) = page(app, Method::GET, path, &centre, &[]).await;
    assert!(
        html.contains("Collaborazioni") && html.contains("Ancora nessuna collaborazione."),
        "{html}"
    );
    let tick = format!("product_{product}");
    let mut form = vec![
        ("csrf", CSRF),
        ("title", "Sciarpe allo stadio"),
        (
            "brief",
            "Indossa le nostre sciarpe ai giochi e racconta da dove vengono.",
        ),
        (tick.as_str(), "1"),
        ("kind", "fixed_fee"),
        ("value", "abc"),
        ("places", "2"),
        ("days", "30"),
    ];
    let (status, html, _) = page(app, Method::POST, path, &centre, &form).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(app.get(MINE, Some(it)).await.ok(200), &json!([]));
    form[5].1 = "30,00";
    assert_eq!(page(app, Method::POST, path, &centre, &form).await.0, 303);
    let (_, html, _) = page(app, Method::GET, path, &centre, &[]).await;
    assert!(
        html.contains("Sciarpe allo stadio") && html.contains("per creator"),
        "{html}"
    );
    let id = app.get(MINE, Some(it)).await.ok(200)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(MINE, Some(it)).await.ok(200)[0]["fee"]["amount_minor"],
        3_000
    );
    // Jan finds it in Polish and applies.
    let hub = cookies(&jan, "pl.PLN.PL");
    let mine = "/creator/collaborations";
    let (_, html, _) = page(app, Method::GET, mine, &hub, &[]).await;
    assert!(
        html.contains("Współprace")
            && html.contains("Sciarpe allo stadio")
            && html.contains("Zgłoś się"),
        "{html}"
    );
    let apply = format!("{mine}/{id}/apply");
    let pitch = [("csrf", CSRF), ("pitch", "Kibicuję na każdych zawodach")];
    assert_eq!(page(app, Method::POST, &apply, &hub, &pitch).await.0, 303);
    let (_, html, _) = page(app, Method::GET, mine, &hub, &[]).await;
    assert!(
        html.contains("Twoje zgłoszenie:") && html.contains("zgłoszono"),
        "{html}"
    );
    // The store accepts; Jan delivers a post and is paid.
    let (_, html, _) = page(app, Method::GET, path, &centre, &[]).await;
    assert!(html.contains("@jan") && html.contains("Accetta"), "{html}");
    let decide = format!("{path}/{id}/{jan_id}");
    let accept = [("csrf", CSRF), ("decision", "accept")];
    assert_eq!(
        page(app, Method::POST, &decide, &centre, &accept).await.0,
        303
    );
    let post = post_of(app, &jan, &product).await;
    let (_, html, _) = page(app, Method::GET, mine, &hub, &[]).await;
    assert!(
        html.contains("Dostarcz ten post") && html.contains(&post),
        "{html}"
    );
    let deliver = format!("{mine}/{id}/deliver");
    let form = [("csrf", CSRF), ("post_id", post.as_str())];
    assert_eq!(page(app, Method::POST, &deliver, &hub, &form).await.0, 303);
    let (_, html, _) = page(app, Method::GET, mine, &hub, &[]).await;
    assert!(html.contains("dostarczono i opłacono"), "{html}");
    let (_, html, _) = page(app, Method::GET, path, &centre, &[]).await;
    assert!(
        html.contains("consegnato e pagato") && html.contains(&format!("#{post}")),
        "{html}"
    );
    let store = app.market.store();
    assert_eq!(
        store
            .balance(&format!("creator:{jan_id}"), "EUR")
            .await
            .unwrap(),
        3_000
    );
    audit(app).await;
}

async fn demo_login(app: &TestApp, key: &str) -> String {
    let body = json!({"email": format!("{key}@demo.caravan.test"), "password": "caravan-demo"});
    let r = app.post("/api/v1/auth/login", None, body).await;
    r.ok(200)["token"].as_str().unwrap().to_owned()
}

/// The states of the creator's own applications, by brief title.
async fn own_states(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let list = app.get("/api/v1/creator/collaborations", Some(token)).await;
    let mut out: Vec<(String, String)> = list
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let state = c["applications"][0]["state"].as_str().unwrap_or("-");
            (c["title"].as_str().unwrap().to_owned(), state.to_owned())
        })
        .collect();
    out.sort();
    out
}

async fn the_demo_has_a_paid_brief_and_a_per_sale_brief_with_applicants(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    let states = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    let (bags, oil) = ("Our bags on camera", "Cook with our olive oil");
    let marie = demo_login(app, "marie").await;
    assert_eq!(
        own_states(app, &marie).await,
        states(&[(oil, "-"), (bags, "accepted")])
    );
    let carmen = demo_login(app, "carmen").await;
    assert_eq!(
        own_states(app, &carmen).await,
        states(&[(oil, "accepted"), (bags, "-")])
    );
    let kasia = demo_login(app, "kasia").await;
    assert_eq!(
        own_states(app, &kasia).await,
        states(&[(oil, "-"), (bags, "applied")])
    );
    let olga = demo_login(app, "olga").await;
    assert_eq!(
        own_states(app, &olga).await,
        states(&[(oil, "applied"), (bags, "delivered")])
    );
    // Olga's fee went from the store through the brief to her; Marie's is held until she
    // delivers (her post shows the bag: the hub offers it).
    let kinds: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.kind, CAST(SUM(e.amount_minor) AS BIGINT) FROM ledger_transactions t \
         JOIN ledger_entries e ON e.tx_id = t.id \
         WHERE t.kind LIKE 'collab_fee%' AND e.account LIKE 'creator:%' GROUP BY t.kind",
    )
    .fetch_all(app.market.store().pool())
    .await
    .unwrap();
    assert_eq!(kinds, [("collab_fee_pay".to_owned(), 4_000)]);
    let held: Vec<(String, i64)> =
        sqlx::query_as("SELECT account, balance_minor FROM balances WHERE account LIKE 'collab:%'")
            .fetch_all(app.market.store().pool())
            .await
            .unwrap();
    assert_eq!(
        held.iter().map(|h| h.1).collect::<Vec<_>>(),
        [4_000],
        "{held:?}"
    );
    let list = app
        .get("/api/v1/creator/collaborations", Some(&marie))
        .await;
    let bags_brief = list
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == bags)
        .unwrap()
        .clone();
    let post = app.get("/api/v1/creator/posts", Some(&marie)).await;
    let post = post.ok(200)[0]["id"].as_str().unwrap().to_owned();
    let delivery = format!(
        "/api/v1/creator/collaborations/{}/delivery",
        bags_brief["id"].as_str().unwrap()
    );
    let done = app
        .post(&delivery, Some(&marie), json!({"post_id": post}))
        .await;
    assert_eq!(done.ok(200)["state"], "delivered");
    audit(app).await;
}
