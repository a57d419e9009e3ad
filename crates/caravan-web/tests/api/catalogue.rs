//! Catalogue journeys: create, publish, browse with filters and cursors, localized reads,
//! and one merchant never touching another's products.

use crate::app::{product_body, TestApp};
use crate::on_both_engines;
use serde_json::json;

on_both_engines!(
    merchant_builds_a_catalogue_buyers_browse_it,
    merchants_never_touch_each_others_products
);

async fn merchant_builds_a_catalogue_buyers_browse_it(app: &TestApp) {
    let op = app.operator().await;
    let (root, scarves) = app.categories(&op).await;
    let home = app
        .post(
            "/api/v1/categories",
            Some(&op),
            json!({"slug": "home", "names": {"en": "Home"}}),
        )
        .await;
    let home = home.ok(201)["id"].as_str().unwrap().to_owned();
    let (it, it_id) = app.merchant(&op, "it@example.com", "IT", "EUR").await;

    // Five scarves, one draft, one out of stock; a mug in another category.
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut body = product_body(
            &scarves,
            &format!("SC-{i}"),
            1000 + i * 500,
            if i == 3 { 0 } else { 5 },
        );
        if i == 4 {
            body["status"] = json!("draft");
        }
        let res = app.post("/api/v1/merchant/products", Some(&it), body).await;
        ids.push(res.ok(201)["id"].as_str().unwrap().to_owned());
        app.clock.advance(1000);
    }
    let mug = app
        .post(
            "/api/v1/merchant/products",
            Some(&it),
            product_body(&home, "MUG-1", 900, 9),
        )
        .await;
    let mug = mug.ok(201).clone();
    assert_eq!(
        mug["price_from"],
        json!({"amount_minor": 900, "currency": "EUR", "amount": "9.00"})
    );
    assert_eq!(mug["hs_code"], "621410");
    assert_eq!(
        mug["ship_from_country"], "IT",
        "defaults to the store's country"
    );

    let all = app.get("/api/v1/products", None).await;
    assert_eq!(
        all.ok(200)["items"].as_array().unwrap().len(),
        5,
        "the draft is hidden"
    );
    let own = app.get("/api/v1/merchant/products", Some(&it)).await;
    assert_eq!(
        own.ok(200)["items"].as_array().unwrap().len(),
        6,
        "the merchant sees its draft"
    );
    let in_root = app
        .get(
            &format!("/api/v1/products?category={root}&in_stock=true"),
            None,
        )
        .await;
    assert_eq!(
        in_root.ok(200)["items"].as_array().unwrap().len(),
        3,
        "descendants, in stock, published"
    );
    let from_it = app
        .get(
            &format!("/api/v1/products?merchant={it_id}&ship_from=IT"),
            None,
        )
        .await;
    assert_eq!(from_it.ok(200)["items"].as_array().unwrap().len(), 5);
    assert!(
        app.get("/api/v1/products?ship_from=CN", None).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Price range and sorts (in one currency), paged two at a time by cursor.
    let ranged = app
        .get(
            "/api/v1/products?currency=EUR&min_price=1000&max_price=2000&sort=price_desc",
            None,
        )
        .await;
    let prices: Vec<i64> = ranged.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["price_from"]["amount_minor"].as_i64().unwrap())
        .collect();
    assert_eq!(prices, vec![2000, 1500, 1000]);
    let mut seen = Vec::new();
    let mut url = "/api/v1/products?limit=2&sort=price_asc&currency=EUR".to_owned();
    loop {
        let page = app.get(&url, None).await;
        let page = page.ok(200).clone();
        for p in page["items"].as_array().unwrap() {
            seen.push(p["price_from"]["amount_minor"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => {
                url = format!("/api/v1/products?limit=2&sort=price_asc&currency=EUR&cursor={c}")
            }
            None => break,
        }
    }
    assert_eq!(seen, vec![900, 1000, 1500, 2000, 2500]);

    // Localized reads: ?locale= beats Accept-Language; missing locales fall back.
    let id = &ids[0];
    let ru = app
        .get(&format!("/api/v1/products/{id}?locale=ru"), None)
        .await;
    let ru = ru.ok(200).clone();
    assert_eq!(
        (ru["title"].as_str(), ru["locale"].as_str()),
        (Some("Шёлковый шарф"), Some("ru"))
    );
    assert_eq!(ru["category"]["path"][0]["name"], "Мода");
    assert_eq!(ru["category"]["name"], "Шарфы");
    let res = app
        .client
        .get(format!("{}/api/v1/products/{id}", app.base))
        .header("Accept-Language", "de-DE, ru;q=0.8")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["locale"], "ru");
    let fr = app
        .get(&format!("/api/v1/products/{id}?locale=fr"), None)
        .await;
    assert_eq!(
        fr.ok(200)["title"],
        "Silk scarf",
        "French falls back to English"
    );
    assert_eq!(ru["variants"][0]["options"]["colour"], "red");
    assert_eq!(ru["merchant"]["id"], it_id);

    // Edit, add and reprice variants; unpublish hides it again.
    let v = app
        .post(&format!("/api/v1/merchant/products/{id}/variants"), Some(&it), json!({"sku": "SC-0-BLUE", "options": {"colour": "blue"}, "price_minor": 700, "stock": 2}))
        .await;
    let v = v.ok(201).clone();
    assert_eq!(v["variants"].as_array().unwrap().len(), 2);
    assert_eq!(v["price_from"]["amount_minor"], 700);
    let vid = v["variants"][1]["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/merchant/variants/{vid}"),
            Some(&it),
            json!({"price_minor": 650, "stock": 0}),
        )
        .await;
    assert_eq!(r.ok(200)["price_from"]["amount_minor"], 650);
    let r = app
        .patch(
            &format!("/api/v1/merchant/products/{id}"),
            Some(&it),
            json!({"status": "draft", "texts": {"it": {"title": "Sciarpa di seta"}}}),
        )
        .await;
    assert_eq!(r.ok(200)["texts"]["it"]["title"], "Sciarpa di seta");
    app.get(&format!("/api/v1/products/{id}"), None)
        .await
        .error(404, "not_found");
    app.get(&format!("/api/v1/merchant/products/{id}"), Some(&it))
        .await
        .ok(200);
}

async fn merchants_never_touch_each_others_products(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (a, _) = app.merchant(&op, "a@example.com", "IT", "EUR").await;
    let (b, _) = app.merchant(&op, "b@example.com", "PL", "PLN").await;
    let p = app
        .post(
            "/api/v1/merchant/products",
            Some(&a),
            product_body(&cat, "SKU-1", 1000, 3),
        )
        .await;
    let p = p.ok(201).clone();
    let (pid, vid) = (
        p["id"].as_str().unwrap(),
        p["variants"][0]["id"].as_str().unwrap(),
    );

    app.get(&format!("/api/v1/merchant/products/{pid}"), Some(&b))
        .await
        .error(404, "not_found");
    app.patch(
        &format!("/api/v1/merchant/products/{pid}"),
        Some(&b),
        json!({"status": "draft"}),
    )
    .await
    .error(404, "not_found");
    app.post(
        &format!("/api/v1/merchant/products/{pid}/variants"),
        Some(&b),
        json!({"sku": "X", "price_minor": 1, "stock": 1}),
    )
    .await
    .error(404, "not_found");
    app.patch(
        &format!("/api/v1/merchant/variants/{vid}"),
        Some(&b),
        json!({"stock": 0}),
    )
    .await
    .error(404, "not_found");
    assert!(
        app.get("/api/v1/merchant/products", Some(&b)).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Nothing changed.
    let after = app.get(&format!("/api/v1/products/{pid}"), None).await;
    let after = after.ok(200);
    assert_eq!(after["status"], "published");
    assert_eq!(after["variants"].as_array().unwrap().len(), 1);
    assert_eq!(after["variants"][0]["stock"], 3);
    // B may use the same SKU code in its own store, priced in its own currency.
    let mut body = product_body(&cat, "SKU-1", 4300, 3);
    body["variants"][0]["currency"] = json!("PLN");
    let own = app.post("/api/v1/merchant/products", Some(&b), body).await;
    assert_eq!(own.ok(201)["price_from"]["currency"], "PLN");
}
