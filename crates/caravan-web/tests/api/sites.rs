//! Campaign sites over HTTP: blocks of every kind resolved in every language (with fallback),
//! the schedule (404 before, 410 after, operators' previews), one vote per account under a
//! burst of one account's votes, a quiz's coupon awarded once, cheers limited per account.

use crate::app::TestApp;
use crate::charity::cause;
use crate::coupons::coupon;
use crate::festival::{campaign, cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{shop, shop_category};
use caravan_market::Clock;
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(
    every_block_renders_in_every_language_and_the_schedule_gates_the_site,
    one_account_votes_once_under_a_hundred_votes_at_once,
    a_quiz_awards_its_coupon_once,
    cheers_need_an_account_and_are_limited_per_account,
    a_polish_fan_takes_part_on_the_page_and_operators_edit_blocks_in_the_console,
    the_demo_has_the_winter_youth_games_in_every_language,
);

const HOUR: i64 = 3_600_000;
const LOCALES: [&str; 8] = ["en", "ru", "fr", "es", "pl", "it", "tr", "zh"];

fn at(ms: i64) -> String {
    caravan_domain::rfc3339(ms)
}

/// A site visible from an hour from now, live from two hours to three days, archived after
/// ten days, with `blocks`.
fn site_body(slug: &str, blocks: Value, extra: Value) -> Value {
    let now = 1_800_000_000_000i64;
    let mut body = json!({"slug": slug, "theme": "glacier",
        "texts": {"en": {"title": "Winter Youth Games", "tagline": "Two weeks on ice"},
                  "pl": {"title": "Zimowe Igrzyska Młodzieży"}},
        "visible_from": at(now + HOUR), "live_from": at(now + 2 * HOUR),
        "live_until": at(now + 72 * HOUR), "archived_after": at(now + 240 * HOUR),
        "blocks": blocks});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// A site with nothing but a hero; its id.
async fn plain_site(app: &TestApp, op: &str, slug: &str) -> String {
    let body = site_body(
        slug,
        json!([{"kind": "hero", "texts": {"en": {"title": "Hi"}}}]),
        json!({}),
    );
    let s = app.post("/api/v1/admin/sites", Some(op), body).await;
    s.ok(201)["id"].as_str().unwrap().to_owned()
}

fn poll_body(closes_at: i64) -> Value {
    json!({"kind": "prediction", "closes_at": at(closes_at),
        "texts": {"en": "Who wins the relay?", "pl": "Kto wygra sztafetę?"},
        "options": [{"key": "pl", "texts": {"en": "Poland", "pl": "Polska"}},
                    {"key": "no", "texts": {"en": "Norway", "pl": "Norwegia"}}]})
}

async fn every_block_renders_in_every_language_and_the_schedule_gates_the_site(app: &TestApp) {
    let s = shop(app).await;
    let cat = shop_category(app).await;
    let now = app.clock.now_ms();
    let cmp = campaign(app, &s.op, "winter-deals", now + 2 * HOUR).await;
    let cau = cause(app, &s.op, "swim").await;
    // Bad sites change nothing.
    let iframe = site_body("games", json!([{"kind": "iframe"}]), json!({}));
    app.post("/api/v1/admin/sites", Some(&s.op), iframe)
        .await
        .error(422, "invalid_site");
    let css = site_body(
        "games",
        json!([]),
        json!({"theme": "#f00; background: url(x)"}),
    );
    app.post("/api/v1/admin/sites", Some(&s.op), css)
        .await
        .error(422, "invalid_site");
    let no_cause = site_body("games", json!([{"kind": "meter"}]), json!({}));
    app.post("/api/v1/admin/sites", Some(&s.op), no_cause)
        .await
        .error(422, "invalid_site");
    app.post(
        "/api/v1/admin/sites",
        Some(&s.pl.0),
        site_body("games", json!([]), json!({})),
    )
    .await
    .error(403, "forbidden");
    let id = plain_site(app, &s.op, "games").await;
    // A logo uploaded by the operator, then set on the site.
    let png = crate::pages::PNG.to_vec();
    let up = app
        .client
        .post(format!("{}/api/v1/admin/images", app.base))
        .bearer_auth(&s.op)
        .header("content-type", "application/octet-stream")
        .body(png.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(up.status().as_u16(), 201);
    let logo: Value = up.json().await.unwrap();
    let logo = logo["url"].as_str().unwrap().to_owned();
    let refused = app
        .client
        .post(format!("{}/api/v1/admin/images", app.base))
        .bearer_auth(&s.pl.0)
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    let poll = app
        .post(
            "/api/v1/admin/sites/games/polls",
            Some(&s.op),
            poll_body(now + 48 * HOUR),
        )
        .await;
    let poll = poll.ok(201)["id"].as_str().unwrap().to_owned();
    let quiz = json!({"texts": {"en": "Ice quiz"}, "pass_score": 1,
        "questions": [{"texts": {"en": "Ice is…"}, "answer": "cold",
            "options": [{"key": "cold", "texts": {"en": "cold"}}, {"key": "hot", "texts": {"en": "hot"}}]}]});
    let quiz = app
        .post("/api/v1/admin/sites/games/quizzes", Some(&s.op), quiz)
        .await;
    let quiz = quiz.ok(201)["id"].as_str().unwrap().to_owned();
    let product = app
        .market
        .store()
        .variant(&s.it.2)
        .await
        .unwrap()
        .unwrap()
        .product_id;
    let script = "<script>alert(1)</script>";
    let blocks = json!([
        {"kind": "hero", "texts": {"en": {"title": "Skate with us", "body": script}, "pl": {"title": "Jedź z nami"}}},
        {"kind": "text", "texts": {"fr": {"title": "Seulement en français"}}},
        {"kind": "collection", "texts": {"en": {"title": "Winter picks"}}, "config": {"category": cat}},
        {"kind": "collection", "config": {"products": [product]}},
        {"kind": "posts"}, {"kind": "deals"}, {"kind": "meter"},
        {"kind": "poll", "config": {"poll": poll}}, {"kind": "quiz", "config": {"quiz": quiz}},
        {"kind": "cheers", "config": {"teams": ["PL", "NO", "IT"]}}, {"kind": "leaderboard"}
    ]);
    let full = site_body(
        "games",
        blocks,
        json!({"campaign": cmp, "cause": cau, "logo": logo}),
    );
    let put = app
        .put("/api/v1/admin/sites/games", Some(&s.op), full.clone())
        .await;
    assert_eq!(put.ok(200)["version"], 1);
    // The blocks alone, rewritten in order.
    let blocks_only = json!({"blocks": full["blocks"].clone()});
    let put = app
        .put("/api/v1/admin/sites/games/blocks", Some(&s.op), blocks_only)
        .await;
    assert_eq!(put.ok(200)["version"], 2);
    let bad = json!({"blocks": [{"kind": "", "texts": {"": {}}}]});
    app.put("/api/v1/admin/sites/games/blocks", Some(&s.op), bad)
        .await
        .error(422, "invalid_site");
    // A product id where a collection needs one is checked.
    let mut wrong = full.clone();
    wrong["blocks"][3]["config"]["products"] = json!(["var_nope"]);
    app.put("/api/v1/admin/sites/games", Some(&s.op), wrong)
        .await
        .error(422, "invalid_site");
    // Before its schedule opens: 404 for visitors, a preview for operators.
    app.get("/api/v1/sites/games", None)
        .await
        .error(404, "not_found");
    let preview = app
        .get("/api/v1/sites/games?preview=true", Some(&s.op))
        .await;
    assert_eq!(preview.ok(200)["state"], "scheduled");
    app.get("/api/v1/sites/games?preview=true", Some(&s.pl.0))
        .await
        .error(404, "not_found");
    app.clock.advance(90 * 60_000);
    for locale in LOCALES {
        let page = app
            .get(
                &format!("/api/v1/sites/games?locale={locale}&currency=PLN"),
                None,
            )
            .await;
        let page = page.ok(200);
        let blocks = page["blocks"].as_array().unwrap();
        let kinds: Vec<&str> = blocks.iter().map(|b| b["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "hero",
                "text",
                "collection",
                "collection",
                "posts",
                "deals",
                "meter",
                "poll",
                "quiz",
                "cheers",
                "leaderboard"
            ]
        );
        let hero = if locale == "pl" {
            "Jedź z nami"
        } else {
            "Skate with us"
        };
        assert_eq!(blocks[0]["title"], hero, "{locale}");
        assert_eq!(
            blocks[1]["title"], "Seulement en français",
            "{locale}: falls back to any"
        );
        assert_eq!(blocks[0]["countdown"], "starts");
        assert!(!blocks[2]["products"].as_array().unwrap().is_empty());
        assert_eq!(blocks[3]["products"][0]["price"]["amount_minor"], 2500);
        assert_eq!(blocks[6]["meter"]["raised"]["currency"], "PLN");
        assert_eq!(blocks[7]["poll"]["options"].as_array().unwrap().len(), 2);
        assert_eq!(
            blocks[7]["poll"]["options"][0]["votes"],
            Value::Null,
            "counts after voting"
        );
        assert_eq!(blocks[9]["cheers"].as_array().unwrap().len(), 3);
        let title = if locale == "pl" {
            "Zimowe Igrzyska Młodzieży"
        } else {
            "Winter Youth Games"
        };
        assert_eq!(page["title"], title);
        assert_eq!(page["logo"], logo.as_str());
    }
    let pl = app.get("/api/v1/sites/games?locale=pl", None).await;
    assert_eq!(
        pl.ok(200)["blocks"][7]["poll"]["question"],
        "Kto wygra sztafetę?"
    );
    // Archived after its schedule: 410.
    app.clock.advance(240 * HOUR);
    app.get("/api/v1/sites/games", None)
        .await
        .error(410, "site_archived");
    let sites = app.get("/api/v1/admin/sites", Some(&s.op)).await;
    assert_eq!(sites.ok(200)[0]["id"], id.as_str());
    assert_eq!(sites.ok(200)[0]["state"], "archived");
}

async fn one_account_votes_once_under_a_hundred_votes_at_once(app: &TestApp) {
    let s = shop(app).await;
    plain_site(app, &s.op, "games").await;
    let now = app.clock.now_ms();
    let poll = app
        .post(
            "/api/v1/admin/sites/games/polls",
            Some(&s.op),
            poll_body(now + HOUR),
        )
        .await;
    let poll = poll.ok(201)["id"].as_str().unwrap().to_owned();
    let votes = format!("/api/v1/polls/{poll}/votes");
    app.post(&votes, None, json!({"option": "pl"}))
        .await
        .error(401, "unauthenticated");
    let fan = app.buyer("fan@example.com").await;
    app.post(&votes, Some(&fan), json!({"option": "se"}))
        .await
        .error(422, "invalid_vote");
    let mut set = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (remote, fan, votes) = (app.remote(), fan.clone(), votes.clone());
        let option = if i % 2 == 0 { "pl" } else { "no" };
        set.spawn(async move {
            remote
                .post_idem(&votes, &fan, &format!("v{i}"), json!({"option": option}))
                .await
        });
    }
    let mut statuses = Vec::new();
    while let Some(r) = set.join_next().await {
        let r = r.unwrap();
        if r.status != 201 {
            assert_eq!(r.body["error"]["code"], "already_voted", "{r:?}");
        }
        statuses.push(r.status.as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    let seen = app.get(&format!("/api/v1/polls/{poll}"), Some(&fan)).await;
    assert_eq!(seen.ok(200)["total"], 1);
    let anonymous = app.get(&format!("/api/v1/polls/{poll}"), None).await;
    assert_eq!(anonymous.ok(200)["total"], Value::Null);
    // Closed: nobody votes any more, and everyone sees the result.
    app.clock.advance(2 * HOUR);
    let late = app.buyer("late@example.com").await;
    app.post(&votes, Some(&late), json!({"option": "pl"}))
        .await
        .error(422, "invalid_vote");
    let closed = app.get(&format!("/api/v1/polls/{poll}"), None).await;
    assert_eq!(closed.ok(200)["total"], 1);
}

async fn a_quiz_awards_its_coupon_once(app: &TestApp) {
    let s = shop(app).await;
    plain_site(app, &s.op, "games").await;
    let body = coupon(app, "SWIMFAN", "percent", 1000, json!({"budget_uses": 100}));
    app.post("/api/v1/admin/coupons", Some(&s.op), body)
        .await
        .ok(201);
    let quiz = json!({"texts": {"en": "Ice quiz"}, "pass_score": 2, "coupon": "swimfan",
        "questions": [
            {"texts": {"en": "Ice is…"}, "answer": "cold", "options": [{"key": "cold", "texts": {"en": "cold"}}, {"key": "hot", "texts": {"en": "hot"}}]},
            {"texts": {"en": "A puck is…"}, "answer": "disc", "options": [{"key": "ball", "texts": {"en": "a ball"}}, {"key": "disc", "texts": {"en": "a disc"}}]}]});
    let bad =
        json!({"texts": {"en": "x"}, "pass_score": 3, "questions": quiz["questions"].clone()});
    app.post("/api/v1/admin/sites/games/quizzes", Some(&s.op), bad)
        .await
        .error(422, "invalid_site");
    let q = app
        .post("/api/v1/admin/sites/games/quizzes", Some(&s.op), quiz)
        .await;
    let q = q.ok(201)["id"].as_str().unwrap().to_owned();
    let attempts = format!("/api/v1/quizzes/{q}/attempts");
    let fan = app.buyer("fan@example.com").await;
    app.post(&attempts, Some(&fan), json!({"answers": ["cold"]}))
        .await
        .error(422, "invalid_answers");
    // Ten attempts at once: one counts, it passes, the coupon lands in the wallet once.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..10 {
        let (remote, fan, attempts) = (app.remote(), fan.clone(), attempts.clone());
        set.spawn(async move {
            remote
                .post_idem(
                    &attempts,
                    &fan,
                    &format!("q{i}"),
                    json!({"answers": ["cold", "disc"]}),
                )
                .await
        });
    }
    let mut won = 0;
    while let Some(r) = set.join_next().await {
        let r = r.unwrap();
        if r.status == 201 {
            won += 1;
            assert_eq!(r.body["my_score"], 2);
            assert_eq!(r.body["my_coupon"], "SWIMFAN");
        } else {
            assert_eq!(r.body["error"]["code"], "already_answered", "{r:?}");
        }
    }
    assert_eq!(won, 1);
    let wallet = app.get("/api/v1/me/coupons", Some(&fan)).await;
    let held: Vec<&Value> = wallet
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["code"] == "SWIMFAN")
        .collect();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["collected"], true);
    // A failing attempt wins nothing.
    let other = app.buyer("other@example.com").await;
    let r = app
        .post(&attempts, Some(&other), json!({"answers": ["hot", "disc"]}))
        .await;
    assert_eq!(
        (r.ok(201)["my_score"].as_i64(), &r.ok(201)["my_coupon"]),
        (Some(1), &Value::Null)
    );
    let wallet = app.get("/api/v1/me/coupons", Some(&other)).await;
    assert!(wallet
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["collected"] != true));
}

async fn cheers_need_an_account_and_are_limited_per_account(app: &TestApp) {
    let s = shop(app).await;
    let blocks = json!([{"kind": "cheers", "config": {"teams": ["PL", "NO"]}}]);
    app.post(
        "/api/v1/admin/sites",
        Some(&s.op),
        site_body("games", blocks, json!({})),
    )
    .await
    .ok(201);
    let cheers = "/api/v1/sites/games/cheers";
    app.post(cheers, None, json!({"team": "PL"}))
        .await
        .error(401, "unauthenticated");
    let fan = app.buyer("fan@example.com").await;
    app.post(cheers, Some(&fan), json!({"team": "SE"}))
        .await
        .error(422, "invalid_vote");
    let r = app.post(cheers, Some(&fan), json!({"team": "PL"})).await;
    assert_eq!(r.ok(200)[0], json!({"team": "PL", "count": 1}));
    // A burst from one account: none of it counts until the gap has passed.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (remote, fan) = (app.remote(), fan.clone());
        set.spawn(async move {
            remote
                .post_idem(cheers, &fan, &format!("c{i}"), json!({"team": "PL"}))
                .await
        });
    }
    while let Some(r) = set.join_next().await {
        assert_eq!(r.unwrap().body["error"]["code"], "too_many_cheers");
    }
    // Twenty a day at most.
    for _ in 0..19 {
        app.clock.advance(3_000);
        app.post(cheers, Some(&fan), json!({"team": "NO"}))
            .await
            .ok(200);
    }
    app.clock.advance(3_000);
    app.post(cheers, Some(&fan), json!({"team": "NO"}))
        .await
        .error(429, "too_many_cheers");
    app.clock.advance(24 * HOUR);
    let r = app.post(cheers, Some(&fan), json!({"team": "NO"})).await;
    assert_eq!(r.ok(200)[0], json!({"team": "NO", "count": 20}));
    assert_eq!(r.ok(200)[1], json!({"team": "PL", "count": 1}));
}

async fn a_polish_fan_takes_part_on_the_page_and_operators_edit_blocks_in_the_console(
    app: &TestApp,
) {
    let s = shop(app).await;
    plain_site(app, &s.op, "games").await;
    let now = app.clock.now_ms();
    let poll = app
        .post(
            "/api/v1/admin/sites/games/polls",
            Some(&s.op),
            poll_body(now + 48 * HOUR),
        )
        .await;
    let poll = poll.ok(201)["id"].as_str().unwrap().to_owned();
    let quiz = json!({"texts": {"en": "Ice quiz", "pl": "Quiz lodowy"}, "pass_score": 1,
        "questions": [{"texts": {"en": "Ice is…", "pl": "Lód jest…"}, "answer": "cold",
            "options": [{"key": "cold", "texts": {"en": "cold", "pl": "zimny"}}, {"key": "hot", "texts": {"en": "hot"}}]}]});
    let quiz = app
        .post("/api/v1/admin/sites/games/quizzes", Some(&s.op), quiz)
        .await;
    let quiz = quiz.ok(201)["id"].as_str().unwrap().to_owned();
    // The operator builds the page in the console: blocks added, texts per language, moved.
    let op = cookies(&s.op, "en.EUR.FR");
    let blocks = "/admin/sites/games/blocks";
    for (kind, field, value) in [
        ("text", "", ""),
        ("poll", "poll", poll.as_str()),
        ("quiz", "quiz", quiz.as_str()),
        ("cheers", "teams", "PL, NO"),
    ] {
        let mut form = vec![
            ("csrf", CSRF),
            ("action", "add"),
            ("kind", kind),
            ("locale", "en"),
            ("title", "Hello"),
            ("body", "<script>alert(1)</script>"),
        ];
        if !field.is_empty() {
            form.push((field, value));
        }
        let (status, body, _) = page(app, Method::POST, blocks, &op, &form).await;
        assert_eq!(status, 303, "{kind}: {body}");
    }
    let pl_text = [
        ("csrf", CSRF),
        ("action", "text"),
        ("index", "1"),
        ("locale", "pl"),
        ("title", "Witajcie"),
        ("body", "Tekst po polsku"),
    ];
    assert_eq!(page(app, Method::POST, blocks, &op, &pl_text).await.0, 303);
    let up = [
        ("csrf", CSRF),
        ("action", "move"),
        ("index", "1"),
        ("to", "up"),
    ];
    assert_eq!(page(app, Method::POST, blocks, &op, &up).await.0, 303);
    let bad = [("csrf", CSRF), ("action", "add"), ("kind", "iframe")];
    assert_eq!(page(app, Method::POST, blocks, &op, &bad).await.0, 422);
    // The hero image uploaded from the console's form.
    let file = reqwest::multipart::Part::bytes(crate::pages::PNG.to_vec())
        .file_name("hero.png")
        .mime_str("image/png")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf", CSRF)
        .part("file", file);
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirect
        .post(format!("{}/admin/sites/games/pictures/hero", app.base))
        .header("cookie", &op)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let hero = app.get("/api/v1/admin/sites", Some(&s.op)).await.ok(200)[0]["hero"].clone();
    assert!(hero.as_str().unwrap().starts_with("/media/img_"), "{hero}");
    let (_, editor, _) = page(app, Method::GET, "/admin/sites/games", &op, &[]).await;
    assert!(
        editor.contains("site-block-line") && editor.contains(&poll),
        "{editor}"
    );
    let kinds: Vec<String> = app.get("/api/v1/admin/sites", Some(&s.op)).await.ok(200)[0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["text", "hero", "poll", "quiz", "cheers"]);
    // Scheduled: the page is a 404 for visitors, the operator's preview shows it.
    let fan = app.buyer("ola@example.com").await;
    let visitor = cookies(&fan, "pl.PLN.PL");
    assert_eq!(
        page(app, Method::GET, "/c/games", &visitor, &[]).await.0,
        404
    );
    assert_eq!(
        page(app, Method::GET, "/c/games?preview=1", &op, &[])
            .await
            .0,
        200
    );
    app.clock.advance(90 * 60_000);
    let (status, shown, _) = page(app, Method::GET, "/c/games", &visitor, &[]).await;
    assert_eq!(status, 200);
    assert!(
        shown.contains("Zimowe Igrzyska Młodzieży") && shown.contains("Witajcie"),
        "{shown}"
    );
    assert!(
        shown.contains("&#60;script&#62;alert(1)") && !shown.contains("<script>alert"),
        "escaped: {shown}"
    );
    assert!(
        shown.contains("Kto wygra sztafetę?") && shown.contains("Quiz lodowy"),
        "{shown}"
    );
    // The fan votes, answers and cheers with the page's forms.
    let vote = [("csrf", CSRF), ("option", "pl")];
    assert_eq!(
        page(
            app,
            Method::POST,
            &format!("/c/games/polls/{poll}"),
            &visitor,
            &vote
        )
        .await
        .0,
        303
    );
    assert_eq!(
        page(
            app,
            Method::POST,
            &format!("/c/games/polls/{poll}"),
            &visitor,
            &vote
        )
        .await
        .0,
        422
    );
    let answer = [("csrf", CSRF), ("q0", "cold")];
    assert_eq!(
        page(
            app,
            Method::POST,
            &format!("/c/games/quizzes/{quiz}"),
            &visitor,
            &answer
        )
        .await
        .0,
        303
    );
    let cheer = [("csrf", CSRF), ("team", "PL")];
    assert_eq!(
        page(app, Method::POST, "/c/games/cheers", &visitor, &cheer)
            .await
            .0,
        303
    );
    app.clock.advance(2_500);
    let (_, after, _) = page(app, Method::GET, "/c/games", &visitor, &[]).await;
    assert!(
        after.contains("poll-results") && after.contains("Głosy: 1"),
        "{after}"
    );
    assert!(after.contains("Poprawne odpowiedzi: 1 z 1."), "{after}");
    assert!(
        after.contains(r#"<li data-team="PL">Polska <strong class="count">1</strong>"#),
        "{after}"
    );
    // The poll's counts as server-sent events.
    let res = app
        .client
        .get(format!("{}/c/games/polls/{poll}/stream", app.base))
        .header("cookie", &visitor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut res = res;
    let chunk = String::from_utf8(res.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(
        chunk.contains("event: poll") && chunk.contains("\"total\":1"),
        "{chunk}"
    );
    // Archived: gone.
    app.clock.advance(240 * HOUR);
    let (status, gone, _) = page(app, Method::GET, "/c/games", &visitor, &[]).await;
    assert_eq!(status, 410, "{gone}");
}

async fn the_demo_has_the_winter_youth_games_in_every_language(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    for locale in LOCALES {
        let site = app
            .get(
                &format!("/api/v1/sites/winter-youth-games?locale={locale}&currency=EUR"),
                None,
            )
            .await;
        let site = site.ok(200);
        let kinds: Vec<&str> = site["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "hero",
                "collection",
                "meter",
                "collection",
                "poll",
                "quiz",
                "cheers",
                "leaderboard"
            ],
            "{locale}"
        );
        let giving = site["blocks"][3]["products"].as_array().unwrap();
        assert_eq!(giving.len(), 4, "the givers' products");
        assert_eq!(site["blocks"][0]["countdown"], "starts");
        assert!(
            !site["blocks"][1]["products"].as_array().unwrap().is_empty(),
            "scarves"
        );
        assert!(
            site["blocks"][2]["meter"]["raised"]["amount_minor"]
                .as_i64()
                .unwrap()
                > 0
        );
        assert_eq!(
            site["blocks"][3]["products"].as_array().unwrap().len(),
            4,
            "the givers' products"
        );
        assert!(site["blocks"][6]["cheers"][0]["count"].as_i64().unwrap() > 0);
        let (status, shown, _) = page(
            app,
            Method::GET,
            "/c/winter-youth-games",
            &format!("caravan_prefs={locale}.EUR.FR"),
            &[],
        )
        .await;
        assert_eq!(status, 200, "{locale}");
        let title = site["title"].as_str().unwrap().replace('\'', "&#39;");
        assert!(shown.contains(&title), "{locale}: {title}");
    }
    let zh = app
        .get("/api/v1/sites/winter-youth-games?locale=zh", None)
        .await;
    assert_eq!(zh.ok(200)["title"], "冬季青年运动会");
    assert_eq!(
        zh.ok(200)["blocks"][4]["poll"]["question"],
        "哪个国家将获得最多奖牌？"
    );
}
