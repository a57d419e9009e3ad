//! Connect, first part, over HTTP: creator applications and their review, public profiles,
//! tracking links that redirect with an attribution cookie and count clicks without a write per
//! click.

use crate::app::{product_body, TestApp};
use crate::festival::{cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

on_both_engines!(
    buyers_apply_to_be_creators_and_operators_decide,
    creators_share_links_that_redirect_and_count_clicks,
    the_demo_has_creators_with_links_and_clicks,
    a_buyer_becomes_a_creator_in_the_browser_pages,
    the_commission_rate_in_force_is_frozen_on_each_line,
);

fn application(handle: &str) -> Value {
    json!({"handle": handle, "languages": ["fr", "en"], "countries": ["FR", "BE"],
        "links": ["https://video.example/@marie"], "pitch": "Slow fashion from small workshops"})
}

/// A buyer who applied as `handle` and was approved by `op`; (token, creator id).
pub async fn creator(app: &TestApp, op: &str, email: &str, handle: &str) -> (String, String) {
    let token = app.buyer(email).await;
    let c = app
        .post(
            "/api/v1/creator-applications",
            Some(&token),
            application(handle),
        )
        .await;
    let id = c.ok(201)["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/creators/{id}/decision");
    app.post(&path, Some(op), json!({"decision": "approve"}))
        .await
        .ok(200);
    (token, id)
}

async fn buyers_apply_to_be_creators_and_operators_decide(app: &TestApp) {
    let op = app.operator().await;
    let marie = app.buyer("marie@example.com").await;
    app.post("/api/v1/creator-applications", None, application("marie"))
        .await
        .error(401, "unauthenticated");
    for (bad, code) in [
        (json!({"handle": "2x"}), "invalid_body"),
        (application("m"), "invalid_handle"),
        (application("ma rie"), "invalid_handle"),
        (
            json!({"handle": "marie", "languages": [], "countries": ["FR"], "pitch": "x"}),
            "invalid_creator_application",
        ),
        (
            json!({"handle": "marie", "languages": ["de"], "countries": ["FR"], "pitch": "x"}),
            "invalid_locale",
        ),
        (
            json!({"handle": "marie", "languages": ["fr"], "countries": ["XX"], "pitch": "x"}),
            "invalid_country",
        ),
        (
            json!({"handle": "marie", "languages": ["fr"], "countries": ["FR"], "links": ["http://x"], "pitch": "x"}),
            "invalid_creator_application",
        ),
        (
            json!({"handle": "marie", "languages": ["fr"], "countries": ["FR"], "pitch": " "}),
            "invalid_creator_application",
        ),
    ] {
        app.post("/api/v1/creator-applications", Some(&marie), bad)
            .await
            .error(422, code);
    }
    let applied = app
        .post(
            "/api/v1/creator-applications",
            Some(&marie),
            application("@Marie"),
        )
        .await;
    let c = applied.ok(201).clone();
    assert_eq!(
        (c["handle"].as_str(), c["status"].as_str()),
        (Some("marie"), Some("pending"))
    );
    assert_eq!(c["countries"], json!(["FR", "BE"]));
    app.post(
        "/api/v1/creator-applications",
        Some(&marie),
        application("marie2"),
    )
    .await
    .error(409, "already_creator");
    let olga = app.buyer("olga@example.com").await;
    app.post(
        "/api/v1/creator-applications",
        Some(&olga),
        application("MARIE"),
    )
    .await
    .error(409, "handle_taken");
    // Not public while pending; operators see the application.
    app.get("/api/v1/creators/marie", None)
        .await
        .error(404, "not_found");
    app.get("/api/v1/admin/creators", Some(&marie))
        .await
        .error(403, "forbidden");
    let pending = app
        .get("/api/v1/admin/creators?status=pending", Some(&op))
        .await;
    assert_eq!(pending.ok(200)["items"][0]["id"], c["id"]);
    let id = c["id"].as_str().unwrap();
    let decide = format!("/api/v1/admin/creators/{id}/decision");
    app.post(&decide, Some(&op), json!({"decision": "approve"}))
        .await
        .ok(200);
    app.post(&decide, Some(&op), json!({"decision": "reject"}))
        .await
        .error(409, "invalid_transition");
    let me = app.get("/api/v1/me/creator", Some(&marie)).await;
    assert_eq!(me.ok(200)["status"], "approved");
    let public = app.get("/api/v1/creators/@marie", None).await;
    assert_eq!(public.ok(200)["pitch"], "Slow fashion from small workshops");
    assert!(public.body.get("user_id").is_none(), "{}", public.body);
    // Suspended: no longer public, no longer making links.
    app.post(
        &decide,
        Some(&op),
        json!({"decision": "suspend", "reason": "fake followers"}),
    )
    .await
    .ok(200);
    app.get("/api/v1/creators/marie", None)
        .await
        .error(404, "not_found");
    app.post(
        "/api/v1/creator/links",
        Some(&marie),
        json!({"target": "double-eleven"}),
    )
    .await
    .error(403, "creator_not_active");
    app.get("/api/v1/me/creator", Some(&olga))
        .await
        .error(404, "not_found");
}

/// The redirect's status, location and cookie, not followed.
async fn follow(app: &TestApp, path: &str) -> (u16, String, String) {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c.get(format!("{}{path}", app.base)).send().await.unwrap();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    (
        r.status().as_u16(),
        header("location"),
        header("set-cookie"),
    )
}

async fn creators_share_links_that_redirect_and_count_clicks(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (shop, _) = app.merchant(&op, "shop@example.com", "IT", "EUR").await;
    let p = app
        .post(
            "/api/v1/merchant/products",
            Some(&shop),
            product_body(&cat, "S-1", 4900, 5),
        )
        .await;
    let product = p.ok(201)["id"].as_str().unwrap().to_owned();
    let (marie, _) = creator(app, &op, "marie@example.com", "marie").await;
    let buyer = app.buyer("b@example.com").await;
    app.post(
        "/api/v1/creator/links",
        Some(&buyer),
        json!({"target": product}),
    )
    .await
    .error(403, "forbidden");
    for bad in ["prd_nope", "no-such-campaign", ""] {
        app.post(
            "/api/v1/creator/links",
            Some(&marie),
            json!({"target": bad}),
        )
        .await
        .error(422, "invalid_link_target");
    }
    let link = app
        .post(
            "/api/v1/creator/links",
            Some(&marie),
            json!({"target": product}),
        )
        .await;
    let link = link.ok(201).clone();
    let code = link["code"].as_str().unwrap().to_owned();
    assert_eq!(link["path"], format!("/r/{code}"));
    assert_eq!(link["clicks"], 0);
    // Following it: 302 to the product page, the attribution cookie for 15 days.
    let (status, location, cookie) = follow(app, &format!("/r/{code}")).await;
    assert_eq!(status, 302);
    assert_eq!(location, format!("/p/{product}"));
    assert!(
        cookie.starts_with(&format!("caravan_ref={code}.")),
        "{cookie}"
    );
    assert!(
        cookie.contains("Max-Age=1296000") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    for _ in 0..9 {
        assert_eq!(follow(app, &format!("/r/{code}")).await.0, 302);
    }
    // Unknown and malformed codes are the 404 page, and count nothing.
    assert_eq!(follow(app, "/r/zzzzzzzz").await.0, 404);
    assert_eq!(follow(app, "/r/<script>").await.0, 404);
    // The creator sees ten clicks at once (this node's memory), and the store has them within
    // the flush interval, in one batch, not ten writes.
    let mine = app.get("/api/v1/creator/links", Some(&marie)).await;
    assert_eq!(mine.ok(200)[0]["clicks"], 10);
    let started = Instant::now();
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT clicks FROM creator_links WHERE code = $1")
            .bind(&code)
            .fetch_one(app.market.store().pool())
            .await
            .unwrap();
        if stored == 10 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "flushed {stored} of 10"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mine = app.get("/api/v1/creator/links", Some(&marie)).await;
    assert_eq!(mine.ok(200)[0]["clicks"], 10);
}

/// The demo: four approved creators (RU, FR, ES, PL) with links and clicks, one applicant.
async fn the_demo_has_creators_with_links_and_clicks(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    for (handle, language) in [
        ("olga.style", "ru"),
        ("marie.paris", "fr"),
        ("carmen.cocina", "es"),
        ("kasia.tea", "pl"),
    ] {
        let c = app.get(&format!("/api/v1/creators/{handle}"), None).await;
        assert_eq!(c.ok(200)["languages"][0], language);
    }
    let op = app.operator().await;
    let pending = app
        .get("/api/v1/admin/creators?status=pending", Some(&op))
        .await;
    let pending = pending.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["handle"], "lea.beaute");
    let links: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT l.target_kind, l.target_id, l.clicks FROM creator_links l \
         JOIN creators c ON c.id = l.creator_id WHERE c.handle = 'olga.style' ORDER BY l.target_kind",
    )
    .fetch_all(app.market.store().pool())
    .await
    .unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!((links[0].0.as_str(), links[0].2), ("campaign", 37));
    assert_eq!((links[1].0.as_str(), links[1].2), ("product", 37));
    let p = app
        .get(&format!("/api/v1/products/{}?locale=en", links[1].1), None)
        .await;
    let title = p.ok(200)["title"].as_str().unwrap().to_lowercase();
    assert!(title.contains("scarf"), "{title}");
    // The stores' commission rates: 8% everywhere, 12% on one product of three stores.
    let rates: Vec<(String, i64)> =
        sqlx::query_as("SELECT scope, rate_bps FROM commission_rates ORDER BY scope, rate_bps")
            .fetch_all(app.market.store().pool())
            .await
            .unwrap();
    let product_rates = rates.iter().filter(|r| r.0 == "product" && r.1 == 1200);
    assert_eq!(product_rates.count(), 3, "{rates:?}");
    let store_rates: Vec<i64> = rates
        .iter()
        .filter(|r| r.0 == "store")
        .map(|r| r.1)
        .collect();
    assert!(
        store_rates.len() >= 7 && store_rates.iter().all(|r| *r == 800),
        "{rates:?}"
    );
    // Every creator earned through their code; Marie's hub shows every state, a payout and
    // the clawback after it, and her own purchase was refused.
    for key in ["olga", "marie", "carmen", "kasia"] {
        let login = json!({"email": format!("{key}@demo.caravan.test"),
            "password": caravan_market::demo::DEMO_PASSWORD});
        let token = app.post("/api/v1/auth/login", None, login).await;
        let token = token.ok(200)["token"].as_str().unwrap().to_owned();
        let e = app.get("/api/v1/creator/earnings", Some(&token)).await;
        let states: std::collections::BTreeSet<&str> = e.ok(200)["commissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["state"].as_str().unwrap())
            .collect();
        let want: &[&str] = if key == "marie" {
            &["available", "confirmed", "pending", "reversed"]
        } else {
            &["available", "confirmed", "pending"]
        };
        assert_eq!(states.into_iter().collect::<Vec<_>>(), want, "{key}");
        let paid = app.get("/api/v1/creator/payouts", Some(&token)).await;
        assert_eq!(
            paid.ok(200).as_array().unwrap().len(),
            usize::from(key == "marie")
        );
        if key == "marie" {
            let line = &e.body["by_currency"][0];
            assert!(
                line["available"]["amount_minor"].as_i64().unwrap() < 0,
                "{line}"
            );
            let code = app.get("/api/v1/me/creator/settings", Some(&token)).await;
            assert_eq!(code.ok(200)["code"], "MARIE10");
        }
    }
    let flags = app.get("/api/v1/admin/referral-flags", Some(&op)).await;
    assert_eq!(flags.ok(200)[0]["reason"], "same_account");
    // Their posts in their languages: the French feed has Marie's two, and a demo order came
    // through the first of them.
    let feed = app
        .get("/api/v1/feed?locale=fr&country=FR&sort=most_bought", None)
        .await;
    let items = feed.ok(200)["items"].as_array().unwrap().clone();
    assert!(items.len() >= 2, "{items:?}");
    assert_eq!(items[0]["handle"], "marie.paris");
    assert_eq!(items[0]["orders"], 1);
    let ru = app.get("/api/v1/feed?locale=ru", None).await;
    let ru = ru.ok(200)["items"].as_array().unwrap().clone();
    assert!(
        ru.iter().all(|p| p["handle"] == "olga.style") && ru.len() == 2,
        "{ru:?}"
    );
    assert!(
        ru[0]["text"].as_str().unwrap().contains("находки"),
        "{ru:?}"
    );
    crate::shop::audit(app).await;
}

/// The hub and the console, as forms (no script): apply, be approved, make a link.
async fn a_buyer_becomes_a_creator_in_the_browser_pages(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (shop, _) = app.merchant(&op, "shop@example.com", "IT", "EUR").await;
    let p = app
        .post(
            "/api/v1/merchant/products",
            Some(&shop),
            product_body(&cat, "S-1", 4900, 5),
        )
        .await;
    let product = p.ok(201)["id"].as_str().unwrap().to_owned();
    let anna = app.buyer("anna@example.com").await;
    let me = cookies(&anna, "ru.RUB.RU");
    let (status, html, _) = page(app, Method::GET, "/creator", &me, &[]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Кабинет автора") && html.contains("action=\"/creator/apply\""),
        "{html}"
    );
    let form = [
        ("csrf", CSRF),
        ("handle", "@anna.style"),
        ("lang_ru", "1"),
        ("lang_en", "1"),
        ("countries", "ru, by"),
        ("link", ""),
        ("pitch", "Мода и уют"),
    ];
    let (status, _, _) = page(app, Method::POST, "/creator/apply", &me, &form).await;
    assert_eq!(status, 303);
    let (_, html, _) = page(app, Method::GET, "/creator", &me, &[]).await;
    assert!(
        html.contains("@anna.style") && html.contains("Заявка ждёт решения оператора"),
        "{html}"
    );
    let applied = app.get("/api/v1/me/creator", Some(&anna)).await;
    let applied = applied.ok(200).clone();
    assert_eq!(applied["languages"], json!(["en", "ru"]));
    assert_eq!(applied["countries"], json!(["RU", "BY"]));
    // The operator approves it from the console.
    let console = cookies(&op, "en.EUR.IE");
    let (_, html, _) = page(app, Method::GET, "/admin/creators", &console, &[]).await;
    assert!(html.contains("@anna.style"), "{html}");
    let id = applied["id"].as_str().unwrap();
    let decide = format!("/admin/creators/{id}/decision");
    let (status, _, _) = page(
        app,
        Method::POST,
        &decide,
        &console,
        &[("csrf", CSRF), ("decision", "approve")],
    )
    .await;
    assert_eq!(status, 303);
    // Approved (a new login carries the role): the hub makes and lists links.
    let anna = app.login("anna@example.com").await;
    let me = cookies(&anna, "ru.RUB.RU");
    let target = format!("/p/{product}");
    let (status, _, _) = page(
        app,
        Method::POST,
        "/creator/links",
        &me,
        &[("csrf", CSRF), ("target", &target)],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html, _) = page(app, Method::GET, "/creator", &me, &[]).await;
    let links = app.get("/api/v1/creator/links", Some(&anna)).await;
    let code = links.ok(200)[0]["code"].as_str().unwrap().to_owned();
    assert!(
        html.contains(&format!("/r/{code}")) && html.contains("0 переходов"),
        "{html}"
    );
    // The public page, in the visitor's language; an unknown handle is the 404 page.
    let fr = "caravan_prefs=fr.EUR.FR";
    let (status, html, _) = page(app, Method::GET, "/@anna.style", fr, &[]).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<h1>@anna.style</h1>") && html.contains("Мода и уют"),
        "{html}"
    );
    assert!(html.contains("Publie en : English, Русский"), "{html}");
    assert!(html.contains("Audience : Russie, Biélorussie"), "{html}");
    assert_eq!(
        page(app, Method::GET, "/@nobody.here", fr, &[]).await.0,
        404
    );
}

/// The rates of an order's lines, by variant.
async fn frozen(app: &TestApp, variant: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT commission_bps FROM order_lines WHERE variant_id = $1 ORDER BY order_id",
    )
    .bind(variant)
    .fetch_all(app.market.store().pool())
    .await
    .unwrap()
}

async fn the_commission_rate_in_force_is_frozen_on_each_line(app: &TestApp) {
    let s = crate::shop::shop(app).await;
    let (it, _, it_var) = &s.it;
    let (pl, _, pl_var) = &s.pl;
    let it_product = app.get("/api/v1/merchant/products?limit=1", Some(it)).await;
    let it_product = it_product.ok(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cat = crate::shop::shop_category(app).await;
    let rates = "/api/v1/merchant/commission-rates";
    let buyer = app.buyer("anna@example.com").await;
    app.put(
        rates,
        Some(&buyer),
        json!({"scope": "store", "rate_bps": 500}),
    )
    .await
    .error(403, "forbidden");
    for bad in [
        json!({"scope": "store", "rate_bps": 299}),
        json!({"scope": "store", "rate_bps": 5001}),
        json!({"scope": "shop", "rate_bps": 500}),
        json!({"scope": "store", "target_id": cat, "rate_bps": 500}),
        json!({"scope": "category", "rate_bps": 500}),
        json!({"scope": "category", "target_id": "cat_nope", "rate_bps": 500}),
        json!({"scope": "product", "target_id": it_product, "rate_bps": 500}),
    ] {
        let who = if bad["target_id"] == it_product.as_str() {
            pl
        } else {
            it
        };
        app.put(rates, Some(who), bad)
            .await
            .error(422, "invalid_commission_rate");
    }
    // The Italian store: 5% on everything, 8% in the category, 12% on its product; the Polish
    // store offers nothing.
    app.put(rates, Some(it), json!({"scope": "store", "rate_bps": 500}))
        .await
        .ok(200);
    app.put(
        rates,
        Some(it),
        json!({"scope": "category", "target_id": cat, "rate_bps": 800}),
    )
    .await
    .ok(200);
    let all = app
        .put(
            rates,
            Some(it),
            json!({"scope": "product", "target_id": it_product, "rate_bps": 1200}),
        )
        .await;
    assert_eq!(all.ok(200).as_array().unwrap().len(), 3);
    let checkout = |key: &'static str| {
        let buyer = buyer.clone();
        let vars = vec![it_var.clone(), pl_var.clone()];
        async move {
            let cid = crate::shop::filled_cart(app, &buyer, ("RU", "RUB"), &vars, 1).await;
            let body = json!({"cart_id": cid, "address": crate::shop::address("RU"), "payment_method": "pm_sandbox_success"});
            app.post_idem("/api/v1/checkout", &buyer, key, body)
                .await
                .ok(201);
        }
    };
    checkout("c-1").await;
    assert_eq!(frozen(app, it_var).await, [1200]);
    assert_eq!(frozen(app, pl_var).await, [0]);
    // The product's rate removed: the category's is in force; the first line keeps its 12%.
    app.put(
        rates,
        Some(it),
        json!({"scope": "product", "target_id": it_product, "rate_bps": null}),
    )
    .await
    .ok(200);
    checkout("c-2").await;
    let mut got = frozen(app, it_var).await;
    got.sort_unstable();
    assert_eq!(got, [800, 1200]);
    let listed = app.get(rates, Some(it)).await;
    let scopes: Vec<&str> = listed
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["category", "store"]);
    // The seller centre's form: a rate typed the way people write it, then removed.
    let me = cookies(it, "fr.EUR.FR");
    let form = [
        ("csrf", CSRF),
        ("scope", "category"),
        ("category_id", cat.as_str()),
        ("percent", "12,5"),
    ];
    let (status, _, _) = page(app, Method::POST, "/seller/commission", &me, &form).await;
    assert_eq!(status, 303);
    let (_, html, _) = page(app, Method::GET, "/seller/commission", &me, &[]).await;
    assert!(
        html.contains("Commission des créateurs") && html.contains("12,50"),
        "{html}"
    );
    let listed = app.get(rates, Some(it)).await;
    assert_eq!(listed.ok(200)[0]["rate_bps"], 1250);
    let remove = [("csrf", CSRF), ("scope", "store")];
    assert_eq!(
        page(app, Method::POST, "/seller/commission", &me, &remove)
            .await
            .0,
        303
    );
    let listed = app.get(rates, Some(it)).await;
    assert_eq!(listed.ok(200).as_array().unwrap().len(), 1);
}
