//! Pop-up promotions: operators schedule banners and notices inside a campaign, targeted by
//! country and language; the API and every storefront page show the ones in their window, a
//! notice can be dismissed without a script, and a withdrawn one stops showing at once.

use crate::app::TestApp;
use crate::festival::{campaign, cookies, CSRF};
use crate::on_both_engines;
use caravan_market::Clock;
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(promotions_show_in_their_window_to_their_audience,);

const HOUR: i64 = 60 * 60 * 1000;

fn at(ms: i64) -> String {
    caravan_domain::rfc3339(ms)
}

/// A page of the storefront with these cookies: (status, body, set-cookie headers).
pub(crate) async fn page(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (u16, String, Vec<String>) {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = c
        .request(method, format!("{}{path}", app.base))
        .header("cookie", cookie);
    if !form.is_empty() {
        req = req.form(form);
    }
    let r = req.send().await.unwrap();
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    (r.status().as_u16(), r.text().await.unwrap(), set)
}

async fn showing(app: &TestApp, query: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/promotions{query}"), None).await;
    r.ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn promotions_show_in_their_window_to_their_audience(app: &TestApp) {
    let op = app.operator().await;
    let now = app.clock.now_ms();
    let cid = campaign(app, &op, "double-eleven", now - 60_000).await;
    let path = format!("/api/v1/admin/campaigns/{cid}/promotions");
    let promo = |kind: &str, from: i64, countries: Value, texts: Value| {
        json!({"kind": kind, "shows_from": at(from), "shows_to": at(now + 2 * HOUR),
               "countries": countries, "texts": texts, "link": "/festival/double-eleven"})
    };
    let banner = promo(
        "banner",
        now - 1000,
        json!([]),
        json!({"en": "Flash deals now", "ru": "Скидки сейчас"}),
    );
    let banner = app.post(&path, Some(&op), banner).await.ok(201).clone();
    assert_eq!(banner["status"], "showing");
    let notice = promo(
        "notice",
        now - 1000,
        json!(["PL"]),
        json!({"en": "Collect a €5 coupon", "pl": "Odbierz kupon 5 €"}),
    );
    let notice = app.post(&path, Some(&op), notice).await.ok(201).clone();
    let later = promo(
        "notice",
        now + HOUR,
        json!([]),
        json!({"en": "The flash deal starts in 10 minutes"}),
    );
    app.post(&path, Some(&op), later).await.ok(201);

    // Bad input changes nothing.
    let bad = [
        promo("popup", now, json!([]), json!({"en": "x"})),
        promo(
            "banner",
            now - 3 * 24 * HOUR,
            json!([]),
            json!({"en": "before the warm-up"}),
        ),
        promo("banner", now, json!([]), json!({"ru": "no English"})),
        json!({"kind": "banner", "shows_from": at(now), "shows_to": at(now + HOUR), "texts": {"en": "x"}, "link": "https://elsewhere.example"}),
    ];
    for b in bad {
        app.post(&path, Some(&op), b)
            .await
            .error(422, "invalid_promotion");
    }
    let buyer = app.buyer("promo@example.com").await;
    let p = promo("banner", now, json!([]), json!({"en": "x"}));
    app.post(&path, Some(&buyer), p.clone())
        .await
        .error(403, "forbidden");
    app.post("/api/v1/admin/campaigns/nothing/promotions", Some(&op), p)
        .await
        .error(404, "not_found");
    let listed = app.get(&path, Some(&op)).await;
    let statuses: Vec<&str> = listed
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["showing", "showing", "scheduled"]);

    // The API shows what is in its window, to its audience, in the caller's language.
    assert_eq!(
        showing(app, "?country=PL&locale=pl").await,
        ["Flash deals now", "Odbierz kupon 5 €"]
    );
    assert_eq!(
        showing(app, "?country=FR&locale=ru").await,
        ["Скидки сейчас"]
    );
    assert_eq!(showing(app, "").await, ["Flash deals now"]);
    app.get("/api/v1/promotions?country=Poland", None)
        .await
        .error(422, "invalid_country");

    // Every storefront page shows them; a notice is dismissed with a form, no script.
    let pl = cookies(&buyer, "pl.EUR.PL");
    let (status, home, _) = page(app, Method::GET, "/", &pl, &[]).await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Odbierz kupon 5 €") && home.contains("Flash deals now"),
        "{home}"
    );
    let nid = notice["id"].as_str().unwrap();
    let form = [("csrf", CSRF), ("back", "/search?q=silk")];
    let (status, _, set) = page(
        app,
        Method::POST,
        &format!("/promotions/{nid}/dismiss"),
        &pl,
        &form,
    )
    .await;
    assert_eq!(status, 303);
    let dismissed = set
        .iter()
        .find(|c| c.starts_with("caravan_dismissed="))
        .expect("the cookie");
    let kept = dismissed.split(';').next().unwrap();
    let (_, search, _) = page(
        app,
        Method::GET,
        "/search?q=silk",
        &format!("{pl}; {kept}"),
        &[],
    )
    .await;
    assert!(
        search.contains("Flash deals now") && !search.contains("Odbierz kupon"),
        "{search}"
    );
    let (status, _, _) = page(app, Method::POST, "/promotions/nothing/dismiss", &pl, &form).await;
    assert_eq!(status, 422);

    // The console lists them in the operator's language, schedules and withdraws.
    let op_pl = cookies(&op, "pl.EUR.PL");
    let (_, console, _) = page(app, Method::GET, "/admin/festival", &op_pl, &[]).await;
    assert!(
        console.contains("Promocje wyskakujące") && console.contains("zaplanowana"),
        "{console}"
    );
    let from = at(now + 30 * 60 * 1000);
    let to = at(now + HOUR);
    let form = [
        ("csrf", CSRF),
        ("campaign_id", "double-eleven"),
        ("kind", "notice"),
        ("shows_from", &from[..16]),
        ("shows_to", &to[..16]),
        ("countries", "ru, kz"),
        ("locale", ""),
        ("link", "/coupons"),
        ("text_en", "Last hour of 11.11"),
        ("text_ru", "Последний час 11.11"),
    ];
    let (status, _, _) = page(
        app,
        Method::POST,
        "/admin/festival/promotions",
        &op_pl,
        &form,
    )
    .await;
    assert_eq!(status, 303);
    let listed = app.get(&format!("{path}?locale=ru"), Some(&op)).await;
    let last = listed.ok(200).as_array().unwrap()[2].clone();
    assert_eq!(
        (last["text"].as_str(), last["countries"].clone()),
        (Some("Последний час 11.11"), json!(["RU", "KZ"])),
        "by start: the new one (in 30 minutes) before the one in an hour"
    );

    let bid = banner["id"].as_str().unwrap();
    let gone = app
        .call(
            Method::DELETE,
            &format!("/api/v1/admin/promotions/{bid}"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(
        showing(app, "?country=PL&locale=pl").await,
        ["Odbierz kupon 5 €"]
    );
    let (_, home, _) = page(app, Method::GET, "/", &pl, &[]).await;
    assert!(!home.contains("Flash deals now"), "{home}");
    app.call(
        Method::DELETE,
        &format!("/api/v1/admin/promotions/{bid}"),
        Some(&op),
        None,
    )
    .await
    .error(409, "promotion_withdrawn");
    app.call(
        Method::DELETE,
        "/api/v1/admin/promotions/pro_0",
        Some(&op),
        None,
    )
    .await
    .error(404, "not_found");
}
