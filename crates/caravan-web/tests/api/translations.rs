//! Every buyer reads every product in their language: machine translation through the provider
//! interface (the built-in glossary one; a LibreTranslate server, here a stub speaking its API),
//! retried when the provider fails, redone exactly when the source changes, never over the
//! merchant's own text; the glossary operators extend; search across languages on the demo.

use crate::app::TestApp;
use crate::on_both_engines;
use crate::promotions::page;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::translation::libre::LibreTranslate;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

on_both_engines!(
    the_demo_reads_in_every_language,
    a_failing_provider_leaves_the_original_and_retries,
    a_source_edit_redoes_exactly_the_machine_translations,
    operators_extend_the_glossary_and_search_follows,
    the_buyers_words_rank_first_on_the_demo,
    sellers_see_what_each_listing_lacks_per_market,
);

/// How the stub answers.
const ANSWER: u8 = 0;
const REFUSE: u8 = 1;
const HANG: u8 = 2;

/// A LibreTranslate stand-in on port 0: `POST /translate` answers `"{target}: {text}"` for each
/// text, or refuses (500), or hangs, as told; it checks the API key.
struct Stub {
    mode: Arc<AtomicU8>,
    calls: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct StubState {
    mode: Arc<AtomicU8>,
    calls: Arc<AtomicUsize>,
}

async fn translate(
    State(s): State<StubState>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    s.calls.fetch_add(1, Ordering::SeqCst);
    if body["api_key"] != "key-1" || body["format"] != "text" {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"error": "Invalid API key"})),
        );
    }
    match s.mode.load(Ordering::SeqCst) {
        REFUSE => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "model not loaded"})),
            )
        }
        HANG => tokio::time::sleep(Duration::from_secs(5)).await,
        _ => {}
    }
    let target = body["target"].as_str().unwrap_or("?");
    let out: Vec<String> = body["q"]
        .as_array()
        .map(|q| q.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            if t.is_empty() {
                String::new()
            } else {
                format!("{target}: {t}")
            }
        })
        .collect();
    (StatusCode::OK, Json(json!({"translatedText": out})))
}

impl Stub {
    async fn start(app: &TestApp, mode: u8) -> Stub {
        let state = StubState {
            mode: Arc::new(AtomicU8::new(mode)),
            calls: Arc::new(AtomicUsize::new(0)),
        };
        let router = axum::Router::new()
            .route("/translate", axum::routing::post(translate))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        let provider =
            LibreTranslate::new(&url, Some("key-1".into()), Duration::from_millis(500)).unwrap();
        app.market.set_translator(Arc::new(provider));
        Stub {
            mode: state.mode,
            calls: state.calls,
            task,
        }
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Polls `check` every 50 ms until it holds; fails after 20 s. The index follows the outbox
/// within a second or two when idle, but the whole suite shares two cores in CI (once, 5 s
/// was not enough for a deleted glossary term to leave the index there).
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what}: not within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An approved Italian store with one product written in English and Italian; (token, id).
async fn scarf(app: &TestApp) -> (String, String) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (token, _) = app.merchant(&op, "seta@example.com", "IT", "EUR").await;
    let body = json!({
        "category_id": cat,
        "texts": {
            "en": {"title": "Silk scarf", "description": "From Como"},
            "it": {"title": "Sciarpa di seta", "description": "Da Como"}
        },
        "weight_grams": 120,
        "status": "published",
        "variants": [{"sku": "S-1", "options": {"colour": "red"}, "price_minor": 4900, "stock": 5}]
    });
    let p = app
        .post("/api/v1/merchant/products", Some(&token), body)
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_owned();
    (token, id)
}

/// (attempts, last error, locales) of the product's queued translations.
async fn queued(app: &TestApp, product: &str) -> Vec<(i64, Option<String>, String)> {
    sqlx::query_as(
        "SELECT attempts, last_error, locale FROM translation_jobs WHERE product_id = $1 ORDER BY locale",
    )
    .bind(product)
    .fetch_all(app.market.store().pool())
    .await
    .unwrap()
}

async fn shown(app: &TestApp, id: &str, locale: &str) -> Value {
    app.get(&format!("/api/v1/products/{id}?locale={locale}"), None)
        .await
        .ok(200)
        .clone()
}

async fn a_failing_provider_leaves_the_original_and_retries(app: &TestApp) {
    let stub = Stub::start(app, HANG).await;
    let (_, id) = scarf(app).await;
    // The provider hangs: the call times out, the buyer still reads the original.
    until("a timed-out attempt", || async {
        queued(app, &id).await.iter().all(|(a, ..)| *a == 1)
    })
    .await;
    let jobs = queued(app, &id).await;
    let locales: Vec<&str> = jobs.iter().map(|(.., l)| l.as_str()).collect();
    assert_eq!(locales, ["es", "fr", "pl", "ru", "tr", "zh"]);
    assert!(
        jobs[0].1.as_deref().unwrap().contains("unreachable"),
        "{jobs:?}"
    );
    let ru = shown(app, &id, "ru").await;
    assert_eq!(
        (ru["title"].as_str(), ru["locale"].as_str()),
        (Some("Sciarpa di seta"), Some("it"))
    );
    assert_eq!(ru["machine_translated"], false);
    // Not retried before its backoff (5 s); then it refuses (500).
    stub.mode.store(REFUSE, Ordering::SeqCst);
    let calls = stub.calls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        stub.calls.load(Ordering::SeqCst),
        calls,
        "retried before its backoff"
    );
    app.clock.advance(5_000);
    until("a refused attempt", || async {
        queued(app, &id).await.iter().all(|(a, ..)| *a == 2)
    })
    .await;
    let jobs = queued(app, &id).await;
    assert!(
        jobs[0].1.as_deref().unwrap().contains("model not loaded"),
        "{jobs:?}"
    );
    // It answers: after the next backoff (10 s) every missing locale is translated.
    stub.mode.store(ANSWER, Ordering::SeqCst);
    app.clock.advance(10_000);
    until("translations stored", || async {
        queued(app, &id).await.is_empty()
    })
    .await;
    let ru = shown(app, &id, "ru").await;
    assert_eq!(ru["title"], "ru: Sciarpa di seta");
    assert_eq!(ru["description"], "ru: Da Como");
    assert_eq!(
        (ru["locale"].as_str(), ru["machine_translated"].as_bool()),
        (Some("ru"), Some(true))
    );
    assert_eq!(
        ru["original"],
        json!({"locale": "it", "title": "Sciarpa di seta", "description": "Da Como"})
    );
    // The merchant's Italian (the source) and English are theirs.
    let it = shown(app, &id, "it").await;
    assert_eq!(
        (it["title"].as_str(), it["machine_translated"].as_bool()),
        (Some("Sciarpa di seta"), Some(false))
    );
    assert!(it["original"].is_null());
    assert_eq!(it["texts"]["zh"]["machine"], true);
    assert_eq!(it["texts"]["en"]["machine"], false);
    // Listings say which titles are machine translations.
    let list = app.get("/api/v1/products?locale=fr", None).await;
    let item = &list.ok(200)["items"][0];
    assert_eq!(
        (item["title"].as_str(), item["machine_translated"].as_bool()),
        (Some("fr: Sciarpa di seta"), Some(true))
    );
    // The storefront: the translation with a note and a link to the original, no script.
    let ru_cookie = "caravan_prefs=ru.EUR.RU";
    let (status, html, _) = page(app, Method::GET, &format!("/p/{id}"), ru_cookie, &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>ru: Sciarpa di seta</h1>"), "{html}");
    assert!(html.contains("Переведено автоматически"), "{html}");
    let original = format!("/p/{id}?original=1");
    assert!(html.contains(&format!("href=\"{original}\"")), "{html}");
    let (_, html, _) = page(app, Method::GET, &original, ru_cookie, &[]).await;
    assert!(html.contains("<h1>Sciarpa di seta</h1>"), "{html}");
    assert!(html.contains("Оригинальный текст (Italiano)"), "{html}");
    assert!(html.contains("Показать перевод"), "{html}");
    let (_, list, _) = page(app, Method::GET, "/search?q=scarf", ru_cookie, &[]).await;
    assert!(
        list.contains("ru: Sciarpa di seta") && list.contains("автоперевод"),
        "{list}"
    );
    drop(stub);
}

async fn a_source_edit_redoes_exactly_the_machine_translations(app: &TestApp) {
    let _stub = Stub::start(app, ANSWER).await;
    let (token, id) = scarf(app).await;
    until("first translations", || async {
        queued(app, &id).await.is_empty()
    })
    .await;
    let path = format!("/api/v1/merchant/products/{id}");
    // The merchant corrects the Russian machine translation: it becomes theirs.
    let fix = json!({"texts": {"ru": {"title": "Шёлковый шарф", "description": "Из Комо"}}});
    let p = app.patch(&path, Some(&token), fix).await;
    assert_eq!(p.ok(200)["texts"]["ru"]["machine"], false);
    // An edit of a text that is not the source (English; the store writes Italian) queues
    // nothing.
    let en = json!({"texts": {"en": {"title": "Pure silk scarf", "description": "From Como"}}});
    app.patch(&path, Some(&token), en).await.ok(200);
    assert!(queued(app, &id).await.is_empty());
    // An edit of the source queues exactly the machine translations, in the same write.
    let it = json!({"texts": {"it": {"title": "Sciarpa di seta pura", "description": "Da Como"}}});
    app.patch(&path, Some(&token), it).await.ok(200);
    let locales: Vec<String> = queued(app, &id)
        .await
        .into_iter()
        .map(|(.., l)| l)
        .collect();
    assert_eq!(locales, ["es", "fr", "pl", "tr", "zh"]);
    until("redone", || async { queued(app, &id).await.is_empty() }).await;
    let own = app.get(&path, Some(&token)).await;
    let texts = &own.ok(200)["texts"];
    assert_eq!(
        texts["fr"],
        json!({"title": "fr: Sciarpa di seta pura", "description": "fr: Da Como", "machine": true})
    );
    assert_eq!(texts["ru"]["title"], "Шёлковый шарф");
    assert_eq!(texts["en"]["title"], "Pure silk scarf");
    assert_eq!(texts["it"]["machine"], false);
}

async fn operators_extend_the_glossary_and_search_follows(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let buyer = app.buyer("b@example.com").await;
    let term = json!({"category_id": cat, "kind": "modifier",
        "words": {"en": ["cashmere"], "ru": ["кашемир", "кашемировый"], "it": ["cashmere"]}});
    app.post("/api/v1/admin/glossary", Some(&buyer), term.clone())
        .await
        .error(403, "forbidden");
    for bad in [
        json!({"kind": "verb", "words": {"en": ["a"], "ru": ["б"]}}),
        json!({"kind": "noun", "words": {"en": ["alone"]}}),
        json!({"kind": "noun", "words": {"en": [""], "ru": ["б"]}}),
        json!({"kind": "noun", "words": {"en": ["x".repeat(61)], "ru": ["б"]}}),
    ] {
        app.post("/api/v1/admin/glossary", Some(&op), bad)
            .await
            .error(422, "invalid_glossary_term");
    }
    app.post(
        "/api/v1/admin/glossary",
        Some(&op),
        json!({"kind": "noun", "words": {"en": ["a"], "de": ["b"]}}),
    )
    .await
    .error(422, "invalid_locale");
    app.post(
        "/api/v1/admin/glossary",
        Some(&op),
        json!({"category_id": "cat_nope", "kind": "noun", "words": {"en": ["a"], "ru": ["б"]}}),
    )
    .await
    .error(422, "unknown_category");
    assert!(app
        .get("/api/v1/admin/glossary", Some(&op))
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());
    // A store sells a cashmere wrap, written in English only.
    let (token, _) = app.merchant(&op, "wool@example.com", "IT", "EUR").await;
    let body = json!({"category_id": cat, "texts": {"en": {"title": "Cashmere wrap", "description": ""}},
        "weight_grams": 100, "status": "published",
        "variants": [{"sku": "C-1", "options": {}, "price_minor": 9900, "stock": 3}]});
    let id = app
        .post("/api/v1/merchant/products", Some(&token), body)
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let hits = |q: &'static str| async move {
        let res = app
            .get(&format!("/api/v1/search?q={q}&locale=ru"), None)
            .await;
        let items = res.ok(200)["items"].as_array().unwrap().clone();
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    until("indexed", || async {
        hits("cashmere").await == [id.clone()]
    })
    .await;
    // Its machine translations are made before the term exists. (Made later, with the term,
    // the Russian title would read «кашемир wrap», which the typo pass finds for
    // «кашемировый» even after the term is gone: a race the test once lost under load.)
    until("translated", || async { queued(app, &id).await.is_empty() }).await;
    assert!(hits("кашемировый").await.is_empty());
    // The operator adds the term: a Russian buyer finds it in Russian.
    let t = app.post("/api/v1/admin/glossary", Some(&op), term).await;
    let term_id = t.ok(201)["id"].as_str().unwrap().to_owned();
    assert!(term_id.starts_with("gls_"));
    assert_eq!(t.body["words"]["ru"], json!(["кашемир", "кашемировый"]));
    until("found through the glossary", || async {
        hits("кашемировый").await == [id.clone()]
    })
    .await;
    let listed = app.get("/api/v1/admin/glossary", Some(&op)).await;
    assert_eq!(listed.ok(200)[0]["id"], term_id.as_str());
    // Deleted, it no longer matches.
    let del = format!("/api/v1/admin/glossary/{term_id}");
    let res = app
        .call(reqwest::Method::DELETE, &del, Some(&op), None)
        .await;
    assert_eq!(res.status.as_u16(), 204);
    app.call(reqwest::Method::DELETE, &del, Some(&op), None)
        .await
        .error(404, "not_found");
    until("gone with the term", || async {
        hits("кашемировый").await.is_empty()
    })
    .await;
    // The console: a term added from the form (forms comma-separated) is listed, and deleted.
    let cookie = crate::festival::cookies(&op, "en.EUR.IE");
    let form = [
        ("csrf", crate::festival::CSRF),
        ("kind", "modifier"),
        ("category_id", cat.as_str()),
        ("words_en", "mohair"),
        ("words_ru", "мохер, мохеровый"),
        ("words_fr", ""),
    ];
    let (status, _, _) = page(app, Method::POST, "/admin/glossary", &cookie, &form).await;
    assert_eq!(status, 303);
    let (_, html, _) = page(app, Method::GET, "/admin/glossary", &cookie, &[]).await;
    assert!(
        html.contains("мохер, мохеровый") && html.contains("Modifier"),
        "{html}"
    );
    let listed = app.get("/api/v1/admin/glossary", Some(&op)).await;
    let id = listed.ok(200)[0]["id"].as_str().unwrap().to_owned();
    let words = json!({"en": ["mohair"], "ru": ["мохер", "мохеровый"]});
    assert_eq!(listed.body[0]["words"], words);
    let del = format!("/admin/glossary/{id}/delete");
    let csrf = [("csrf", crate::festival::CSRF)];
    assert_eq!(page(app, Method::POST, &del, &cookie, &csrf).await.0, 303);
    let left = app.get("/api/v1/admin/glossary", Some(&op)).await;
    assert!(left.ok(200).as_array().unwrap().is_empty());
}

/// The demo: a buyer in each of the eight languages reads every title in it (the merchant's own
/// or a machine translation from the glossary), and a product page links the original.
async fn the_demo_reads_in_every_language(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    for locale in ["en", "ru", "fr", "es", "pl", "it", "tr", "zh"] {
        let res = app
            .get(&format!("/api/v1/products?locale={locale}&limit=100"), None)
            .await;
        let items = res.ok(200)["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 100);
        for i in &items {
            assert_eq!(i["locale"], locale, "{i}");
        }
        let machine = items
            .iter()
            .filter(|i| i["machine_translated"] == true)
            .count();
        if locale == "en" {
            assert_eq!(machine, 0);
        } else {
            assert!(machine > 20, "{locale}: {machine} machine titles of 100");
        }
    }
    let res = app
        .get("/api/v1/search?q=sciarpa&locale=ru&limit=1", None)
        .await;
    let hit = res.ok(200)["items"][0]["id"].as_str().unwrap().to_owned();
    let ru = shown(app, &hit, "ru").await;
    assert_eq!(ru["machine_translated"], true);
    assert_eq!(ru["original"]["locale"], "it");
    assert!(
        ru["title"].as_str().unwrap().starts_with("Шарф")
            || ru["title"].as_str().unwrap().starts_with("Шаль"),
        "{}",
        ru["title"]
    );
    assert!(
        ru["description"]
            .as_str()
            .unwrap()
            .contains("Доставка по всему миру"),
        "{}",
        ru["description"]
    );
}

/// On the demo: «шёлковый шарф» puts the silk scarves first; «torebka» finds the bags; a
/// product with a Russian title ranks above one matched only through its category.
async fn the_buyers_words_rank_first_on_the_demo(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    let search = |q: &str| {
        let q = serde_urlencoded::to_string([("q", q)]).unwrap();
        async move {
            let res = app
                .get(
                    &format!("/api/v1/search?{q}&locale=ru&limit=100&include_sold_out=true"),
                    None,
                )
                .await;
            res.ok(200)["items"].as_array().unwrap().clone()
        }
    };
    until("the demo indexed", || async {
        search("шарф").await.len() >= 10
    })
    .await;
    let silk = search("шёлковый шарф").await;
    let is_silk = |i: &Value| i["title"].as_str().unwrap().contains("шёлка");
    let silk_scarves = silk.iter().filter(|i| is_silk(i)).count();
    assert!(silk_scarves >= 2, "{silk:?}");
    assert!(
        silk[..silk_scarves].iter().all(is_silk),
        "silk scarves first: {silk:?}"
    );
    let cats = app.get("/api/v1/categories?locale=en", None).await;
    let bags = cats
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "bags")
        .unwrap()["id"]
        .clone();
    let torebka = search("torebka").await;
    assert!(torebka.len() >= 5, "{torebka:?}");
    assert!(
        torebka.iter().all(|i| i["category_id"] == bags),
        "{torebka:?}"
    );
    // A store writes a scarf's title in Russian; a shawl is matched by the category alone.
    let op = app.operator().await;
    let (token, _) = app.merchant(&op, "ru-shop@example.com", "IT", "EUR").await;
    let scarves = cats
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "scarves")
        .unwrap()["id"]
        .clone();
    for (sku, title) in [
        (
            "R-1",
            json!({"ru": {"title": "Шарф Ивана", "description": ""}}),
        ),
        (
            "R-2",
            json!({"en": {"title": "Ivan's wrap", "description": ""}}),
        ),
    ] {
        let body = json!({"category_id": scarves, "texts": title, "weight_grams": 100, "status": "published",
            "variants": [{"sku": sku, "options": {}, "price_minor": 1900, "stock": 3}]});
        app.post("/api/v1/merchant/products", Some(&token), body)
            .await
            .ok(201);
    }
    until("both indexed", || async {
        let hits = search("шарф").await;
        ["Шарф Ивана", "Ivan's wrap"]
            .iter()
            .all(|t| hits.iter().any(|i| i["title"] == *t))
    })
    .await;
    let hits = search("шарф").await;
    let rank = |t: &str| hits.iter().position(|i| i["title"] == t).unwrap();
    assert!(rank("Шарф Ивана") < rank("Ivan's wrap"), "{hits:?}");
}

/// The seller centre's completeness: a product with everything, and one without images, HS
/// code, most languages, and too heavy for the store's shipping; API and page.
async fn sellers_see_what_each_listing_lacks_per_market(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (token, _) = app.merchant(&op, "full@example.com", "IT", "EUR").await;
    let rules = json!({"rules": [{"destination": "*", "method": "standard",
        "bands": [{"up_to_grams": 1000, "price_minor": 900}], "min_days": 7, "max_days": 14}]});
    app.put("/api/v1/merchant/shipping", Some(&token), rules)
        .await
        .ok(200);
    let all: serde_json::Map<String, Value> = ["en", "ru", "fr", "es", "pl", "it", "tr", "zh"]
        .iter()
        .map(|l| {
            (
                l.to_string(),
                json!({"title": format!("Scarf {l}"), "description": ""}),
            )
        })
        .collect();
    let full = json!({"category_id": cat, "texts": all, "images": ["https://img.example/a.jpg"],
        "hs_code": "6214.10", "weight_grams": 200, "status": "published",
        "variants": [{"sku": "F-1", "options": {}, "price_minor": 1900, "stock": 3}]});
    let full = app
        .post("/api/v1/merchant/products", Some(&token), full)
        .await
        .ok(201)["id"]
        .clone();
    let bare = json!({"category_id": cat, "texts": {"it": {"title": "Coperta", "description": ""}},
        "weight_grams": 3000, "status": "draft",
        "variants": [{"sku": "B-1", "options": {}, "price_minor": 1900, "stock": 3}]});
    let bare = app
        .post("/api/v1/merchant/products", Some(&token), bare)
        .await
        .ok(201)["id"]
        .clone();
    // The built-in provider knows none of these words: nothing is stored, nothing stays queued.
    until("translations settled", || async {
        queued(app, bare.as_str().unwrap()).await.is_empty()
    })
    .await;
    app.get("/api/v1/merchant/completeness", Some(&op))
        .await
        .error(403, "forbidden");
    let c = app.get("/api/v1/merchant/completeness", Some(&token)).await;
    let c = c.ok(200);
    assert_eq!(
        (c["products"].as_u64(), c["complete"].as_u64()),
        (Some(2), Some(1))
    );
    let destinations = c["destinations"].as_array().unwrap();
    assert_eq!(destinations.len(), 5);
    let b = &c["items"][0];
    assert_eq!(b["id"], bare);
    assert_eq!(
        b["missing_languages"],
        json!(["en", "ru", "fr", "es", "pl", "tr", "zh"])
    );
    assert_eq!(
        (b["no_images"].as_bool(), b["no_hs_code"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(&b["no_shipping_to"], &c["destinations"]);
    assert_eq!(b["complete"], false);
    let f = &c["items"][1];
    assert_eq!(f["id"], full);
    assert_eq!(f["missing_languages"], json!([]));
    assert_eq!(f["no_shipping_to"], json!([]));
    assert_eq!(f["complete"], true);
    // The page links each gap to its fix.
    let cookie = crate::festival::cookies(&token, "en.EUR.IT");
    let (status, html, _) = page(app, Method::GET, "/seller/completeness", &cookie, &[]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 of 2 listings complete"), "{html}");
    let bare = bare.as_str().unwrap();
    assert!(
        html.contains(&format!("href=\"/seller/products/{bare}?lang=ru\"")),
        "{html}"
    );
    assert!(
        html.contains("href=\"/seller/shipping\" class=\"missing\""),
        "{html}"
    );
    assert!(html.contains("no HS code"), "{html}");
}
