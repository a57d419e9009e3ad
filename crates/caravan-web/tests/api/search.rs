//! Search over HTTP: languages, typos, live updates from the outbox, facets against the
//! database, suggestions and absurd input.

use crate::app::{product_body, TestApp};
use crate::on_both_engines;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How soon a change must be searchable (the promise).
const LIVE: Duration = Duration::from_secs(1);

/// The ids of the hits, sorted.
fn ids(body: &Value) -> Vec<String> {
    let mut ids: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn find(app: &TestApp, query: &str) -> Vec<String> {
    ids(app
        .get(&format!("/api/v1/search?{query}"), None)
        .await
        .ok(200))
}

/// Polls until `query` yields `want`; fails if that takes longer than `within`.
async fn eventually(app: &TestApp, query: &str, want: &[&str], within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let got = find(app, query).await;
        if got == want {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "{query}: still {got:?} after {:?}, want {want:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn titled(app: &TestApp, token: &str, cat: &str, sku: &str, texts: Value) -> String {
    let mut body = product_body(cat, sku, 1500, 5);
    body["texts"] = texts;
    app.post("/api/v1/merchant/products", Some(token), body)
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A store with products titled in Russian, Polish, Chinese and English, searchable.
async fn catalogue(app: &TestApp) -> (String, String, String, Vec<String>) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (token, merchant) = app.merchant(&op, "pl@example.com", "PL", "EUR").await;
    let ps = vec![
        titled(
            app,
            &token,
            &cat,
            "RU-1",
            json!({"en": {"title": "Wool scarf"}, "ru": {"title": "Шерстяной шарф"}}),
        )
        .await,
        titled(
            app,
            &token,
            &cat,
            "PL-1",
            json!({"en": {"title": "Leather handbag"}, "pl": {"title": "Skórzana torebka"}}),
        )
        .await,
        titled(
            app,
            &token,
            &cat,
            "ZH-1",
            json!({"en": {"title": "Green tea"}, "zh": {"title": "龙井绿茶"}}),
        )
        .await,
        titled(
            app,
            &token,
            &cat,
            "RU-2",
            json!({"en": {"title": "Canvas bag"}, "ru": {"title": "Сумка из холста"}}),
        )
        .await,
    ];
    let mut all: Vec<&str> = ps.iter().map(String::as_str).collect();
    all.sort();
    eventually(app, "limit=100", &all, Duration::from_secs(10)).await;
    (op, token, merchant, ps)
}

async fn languages_and_typos(app: &TestApp) {
    let (_, _, _, p) = catalogue(app).await;
    // Russian cases and plurals find the nominative, and back. The four products sit in the
    // category «Шарфы», so the catalogue's own words find all of them in Russian too, ranked
    // below the one whose Russian title says so.
    for q in ["шарфы", "шарфом"] {
        let res = app.get(&format!("/api/v1/search?q={q}"), None).await;
        let items = res.ok(200)["items"].as_array().unwrap();
        assert_eq!(items.len(), 4, "{q}");
        assert_eq!(items[0]["id"], p[0].as_str(), "{q}");
    }
    assert_eq!(find(app, "q=сумку").await, [p[3].clone()]);
    // Polish: plural, instrumental, genitive of "torebka".
    assert_eq!(find(app, "q=torebki").await, [p[1].clone()]);
    assert_eq!(find(app, "q=torebką").await, [p[1].clone()]);
    assert_eq!(find(app, "q=torebek").await, [p[1].clone()]);
    // Chinese: a word inside a title without spaces.
    assert_eq!(find(app, "q=绿茶").await, [p[2].clone()]);
    // A typo: nothing exact, so the typo-tolerant pass answers and says so.
    let res = app.get("/api/v1/search?q=handbga", None).await;
    assert_eq!(ids(res.ok(200)), [p[1].clone()]);
    assert_eq!(res.body["typo_tolerant"], true);
    // The buyer's locale picks the title shown.
    let ru = app.get("/api/v1/search?q=scarf&locale=ru", None).await;
    assert_eq!(ru.ok(200)["items"][0]["title"], "Шерстяной шарф");
    // Suggestions complete the last word.
    let s = app.get("/api/v1/search/suggest?q=wool%20sc", None).await;
    assert_eq!(s.ok(200)["suggestions"], json!(["wool scarf"]));
    let s = app.get("/api/v1/search/suggest?q=t&limit=2", None).await;
    assert!(s.ok(200)["suggestions"].as_array().unwrap().len() <= 2);
}

async fn changes_show_within_a_second(app: &TestApp) {
    let (op, token, merchant, p) = catalogue(app).await;
    // Created.
    let op_cat = crate::shop::shop_category(app).await;
    let new = titled(
        app,
        &token,
        &op_cat,
        "NEW-1",
        json!({"en": {"title": "Velvet pillow"}}),
    )
    .await;
    let took = eventually(app, "q=pillow", &[new.as_str()], LIVE).await;
    eprintln!("created → searchable in {took:?}");
    // Edited: the new title is found, the old one no longer.
    app.patch(
        &format!("/api/v1/merchant/products/{new}"),
        Some(&token),
        json!({"texts": {"en": {"title": "Velvet cushion"}}}),
    )
    .await
    .ok(200);
    eventually(app, "q=cushion", &[new.as_str()], LIVE).await;
    eventually(app, "q=pillow", &[], LIVE).await;
    // Unpublished.
    app.patch(
        &format!("/api/v1/merchant/products/{}", p[0]),
        Some(&token),
        json!({"status": "draft"}),
    )
    .await
    .ok(200);
    let took = eventually(app, "q=scarf", &[], LIVE).await;
    eprintln!("unpublished → gone in {took:?}");
    // Sold out: hidden by default, listed when asked for.
    let variant = app
        .get(&format!("/api/v1/products/{}", p[3]), None)
        .await
        .ok(200)["variants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.patch(
        &format!("/api/v1/merchant/variants/{variant}"),
        Some(&token),
        json!({"stock": 0}),
    )
    .await
    .ok(200);
    eventually(app, "q=bag", &[], LIVE).await;
    assert_eq!(
        find(app, "q=bag&include_sold_out=true").await,
        [p[3].clone()]
    );
    // The store is suspended: all of its products go.
    app.post(
        &format!("/api/v1/admin/merchants/{merchant}/decision"),
        Some(&op),
        json!({"decision": "suspend", "reason": "counterfeits"}),
    )
    .await
    .ok(200);
    let took = eventually(app, "limit=100", &[], LIVE).await;
    eprintln!("suspended → gone in {took:?}");
}

async fn facets_match_the_database(app: &TestApp) {
    app.market.seed_demo().await.unwrap().unwrap();
    let pool = app.market.store().pool();
    let visible = "FROM products p JOIN merchants m ON m.id = p.merchant_id \
                   WHERE p.status = 'published' AND m.status = 'approved'";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {visible}"))
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(total > 300);
    // The indexer catches up with the seeding.
    let started = Instant::now();
    let page = loop {
        let page = app
            .get(
                "/api/v1/search?include_sold_out=true&limit=1&currency=PLN",
                None,
            )
            .await;
        if page.ok(200)["total"].as_i64().unwrap() == total
            || started.elapsed() > Duration::from_secs(20)
        {
            break page.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(page["total"].as_i64().unwrap(), total);
    let by = |column: &'static str| {
        let sql = format!("SELECT {column}, COUNT(*) {visible} GROUP BY {column}");
        async move {
            let rows: Vec<(String, i64)> = sqlx::query_as(&sql).fetch_all(pool).await.unwrap();
            rows.into_iter()
                .collect::<std::collections::BTreeMap<_, _>>()
        }
    };
    let facet = |name: &str, key: &str| -> std::collections::BTreeMap<String, i64> {
        page["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f[key].as_str().unwrap().to_owned(),
                    f["count"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(facet("merchants", "id"), by("p.merchant_id").await);
    assert_eq!(
        facet("ship_from", "country"),
        by("p.ship_from_country").await
    );
    // Leaf categories directly; each top-level one is the sum of its leaves.
    let leaves = by("p.category_id").await;
    let cats = &page["facets"]["categories"];
    for (leaf, n) in &leaves {
        let f = cats
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == leaf.as_str())
            .unwrap();
        assert_eq!(f["count"].as_i64().unwrap(), *n, "{leaf}");
    }
    let roots: i64 = cats
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["depth"] == 0)
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(roots, total);
    // Price ranges are in the display currency and cover every product.
    let prices = page["facets"]["price"].as_array().unwrap();
    assert!(prices.iter().all(|p| p["min"]["currency"] == "PLN"));
    assert_eq!(
        prices
            .iter()
            .map(|p| p["count"].as_i64().unwrap())
            .sum::<i64>(),
        total
    );
    assert_eq!(page["items"][0]["display_price"]["currency"], "PLN");
    // A filter narrows the facets with it.
    let leaf = leaves.keys().next().unwrap();
    let one = app
        .get(
            &format!("/api/v1/search?include_sold_out=true&category={leaf}&limit=100"),
            None,
        )
        .await;
    assert_eq!(one.ok(200)["total"].as_i64().unwrap(), leaves[leaf]);
    // Sorts: price ascending really ascends (in the display currency).
    let sorted = app
        .get(
            "/api/v1/search?include_sold_out=true&sort=price_asc&limit=50&currency=EUR",
            None,
        )
        .await;
    let eur: Vec<i64> = sorted.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["display_price"]["amount_minor"].as_i64().unwrap())
        .collect();
    assert!(eur.windows(2).all(|w| w[0] <= w[1]), "{eur:?}");
    across_languages_on_the_demo(app).await;
}

/// On the demo, whose merchants write in their own language and English: the word for scarf in
/// each of the eight languages finds every product of the scarves category (Italian and Turkish
/// stores), and tea in Russian and Polish finds the Chinese tea shop's category.
async fn across_languages_on_the_demo(app: &TestApp) {
    let cats = app.get("/api/v1/categories?locale=en", None).await;
    let cat = |slug: &str| {
        let all = cats.body.as_array().unwrap();
        let c = all.iter().find(|c| c["slug"] == slug).unwrap();
        c["id"].as_str().unwrap().to_owned()
    };
    for (slug, words) in [
        (
            "scarves",
            &[
                "шарф",
                "шарфы",
                "écharpe",
                "bufanda",
                "szalik",
                "atkı",
                "围巾",
                "scarves",
            ][..],
        ),
        ("tea-coffee", &["чай", "herbata"][..]),
    ] {
        let want = find(
            app,
            &format!("category={}&limit=100&include_sold_out=true", cat(slug)),
        )
        .await;
        assert!(want.len() >= 10, "{slug}: {want:?}");
        for w in words {
            let q = serde_urlencoded::to_string([("q", *w)]).unwrap();
            let got = find(app, &format!("{q}&limit=100&include_sold_out=true")).await;
            assert_eq!(got, want, "{w} finds the {slug} category");
        }
    }
}

async fn absurd_input_is_a_clean_answer(app: &TestApp) {
    catalogue(app).await;
    let long = "a".repeat(10_000);
    app.get(&format!("/api/v1/search?q={long}"), None)
        .await
        .error(422, "query_too_long");
    app.get(&format!("/api/v1/search/suggest?q={long}"), None)
        .await
        .error(422, "query_too_long");
    for q in [
        "%22unbalanced",
        "%00%07%1B%5B31m",
        "((((",
        "AND%20OR%20NOT",
        "%2A",
        "%3A%3A",
        "%20",
    ] {
        let res = app.get(&format!("/api/v1/search?q={q}"), None).await;
        assert_eq!(res.status.as_u16(), 200, "{q}: {}", res.body);
        let res = app
            .get(&format!("/api/v1/search/suggest?q={q}"), None)
            .await;
        assert_eq!(res.status.as_u16(), 200, "{q}: {}", res.body);
    }
    // Beyond the end: empty; absurdly deep: refused.
    let beyond = app.get("/api/v1/search?page=50&limit=100", None).await;
    assert!(beyond.ok(200)["items"].as_array().unwrap().is_empty());
    assert_eq!(beyond.body["total"], 4);
    app.get("/api/v1/search?page=1000&limit=100", None)
        .await
        .error(422, "page_too_deep");
    app.get("/api/v1/search?page=0", None)
        .await
        .error(422, "invalid_page");
    app.get("/api/v1/search?sort=cheapest", None)
        .await
        .error(422, "invalid_sort");
    app.get("/api/v1/search?limit=0", None)
        .await
        .error(422, "invalid_page_size");
    app.get("/api/v1/search?page=x", None)
        .await
        .error(400, "invalid_query");
    app.get("/api/v1/search?ships_to=XX", None)
        .await
        .error(422, "invalid_country");
    app.get("/api/v1/search?min_price=-1", None)
        .await
        .error(422, "invalid_price");
    app.get("/api/v1/search/suggest?q=a&limit=11", None)
        .await
        .error(422, "invalid_page_size");
    // A malformed id filters to nothing, like an unknown one.
    assert!(find(app, "merchant=prd_nonsense").await.is_empty());
}

on_both_engines!(
    languages_and_typos,
    changes_show_within_a_second,
    facets_match_the_database,
    absurd_input_is_a_clean_answer,
);
