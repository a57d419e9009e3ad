//! Bad input: every case answers a 4xx with a stable, documented code and changes nothing.

use crate::app::{product_body, TestApp};
use crate::on_both_engines;
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

on_both_engines!(
    bad_product_input_changes_nothing,
    malformed_requests_are_4xx
);

/// The merchant's products and their variants, to prove a refused request changed nothing.
async fn snapshot(app: &TestApp, token: &str) -> Value {
    let list = app
        .get("/api/v1/merchant/products?limit=100", Some(token))
        .await;
    let mut out = Vec::new();
    for p in list.ok(200)["items"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let mut d = app
            .get(&format!("/api/v1/merchant/products/{id}"), Some(token))
            .await
            .ok(200)
            .clone();
        d.as_object_mut().unwrap().remove("updated_at");
        out.push(d);
    }
    Value::Array(out)
}

async fn bad_product_input_changes_nothing(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (m, _) = app.merchant(&op, "m@example.com", "IT", "EUR").await;
    let (other, _) = app.merchant(&op, "o@example.com", "FR", "EUR").await;
    let buyer = app.buyer("b@example.com").await;
    let p = app
        .post(
            "/api/v1/merchant/products",
            Some(&m),
            product_body(&cat, "TAKEN", 1000, 5),
        )
        .await;
    let p = p.ok(201).clone();
    let (pid, vid) = (
        p["id"].as_str().unwrap().to_owned(),
        p["variants"][0]["id"].as_str().unwrap().to_owned(),
    );
    let before = snapshot(app, &m).await;

    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = product_body(&cat, "NEW-1", 1000, 5);
        f(&mut b);
        b
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            with(&|b| b["variants"][0]["price_minor"] = json!(0)),
            422,
            "invalid_price",
        ),
        (
            with(&|b| b["variants"][0]["price_minor"] = json!(-100)),
            422,
            "invalid_price",
        ),
        (
            with(&|b| b["variants"][0]["currency"] = json!("XYZ")),
            422,
            "invalid_currency",
        ),
        (
            with(&|b| b["variants"][0]["currency"] = json!("USD")),
            422,
            "currency_mismatch",
        ),
        (
            with(&|b| b["variants"][0]["sku"] = json!("TAKEN")),
            409,
            "duplicate_sku",
        ),
        (
            with(
                &|b| b["variants"] = json!([{"sku": "D", "price_minor": 1, "stock": 1}, {"sku": "D", "price_minor": 1, "stock": 1}]),
            ),
            409,
            "duplicate_sku",
        ),
        (
            with(&|b| b["variants"][0]["stock"] = json!(-1)),
            422,
            "invalid_stock",
        ),
        (
            with(&|b| b["texts"]["en"]["title"] = json!("x".repeat(201))),
            422,
            "invalid_title",
        ),
        (with(&|b| b["texts"] = json!({})), 422, "invalid_title"),
        (
            with(&|b| b["texts"] = json!({"de": {"title": "Schal"}})),
            422,
            "invalid_locale",
        ),
        (
            with(&|b| b["variants"] = json!([])),
            422,
            "invalid_variants",
        ),
        (
            with(&|b| b["hs_code"] = json!("12")),
            422,
            "invalid_hs_code",
        ),
        (
            with(&|b| b["origin_country"] = json!("XX")),
            422,
            "invalid_country",
        ),
        (
            with(&|b| b["weight_grams"] = json!(0)),
            422,
            "invalid_weight",
        ),
        (
            with(&|b| b["images"] = json!(["javascript:alert(1)"])),
            422,
            "invalid_images",
        ),
        (
            with(&|b| b["category_id"] = json!("cat_00000000000000000000000000000000000000000000")),
            422,
            "unknown_category",
        ),
        (
            with(&|b| b["status"] = json!("live")),
            422,
            "invalid_status",
        ),
        (with(&|b| b["surprise"] = json!(1)), 422, "invalid_body"),
        (
            with(&|b| b["variants"][0]["price_minor"] = json!("ten")),
            422,
            "invalid_body",
        ),
    ];
    for (body, status, code) in cases {
        let res = app
            .post("/api/v1/merchant/products", Some(&m), body.clone())
            .await;
        assert_eq!(res.status.as_u16(), status, "{code}: {body} → {}", res.body);
        res.error(status, code);
    }
    // Edits that break rules, and edits of someone else's product.
    app.patch(
        &format!("/api/v1/merchant/variants/{vid}"),
        Some(&m),
        json!({"stock": -5}),
    )
    .await
    .error(422, "invalid_stock");
    app.patch(
        &format!("/api/v1/merchant/variants/{vid}"),
        Some(&m),
        json!({"price_minor": 0}),
    )
    .await
    .error(422, "invalid_price");
    app.patch(
        &format!("/api/v1/merchant/products/{pid}"),
        Some(&m),
        json!({"texts": {"en": {"title": "y".repeat(201)}}}),
    )
    .await
    .error(422, "invalid_title");
    app.patch(
        &format!("/api/v1/merchant/products/{pid}"),
        Some(&other),
        json!({"status": "draft"}),
    )
    .await
    .error(404, "not_found");
    app.post(
        &format!("/api/v1/merchant/products/{pid}/variants"),
        Some(&m),
        json!({"sku": "TAKEN", "price_minor": 5, "stock": 1}),
    )
    .await
    .error(409, "duplicate_sku");
    // A buyer calling merchant and operator routes.
    app.post(
        "/api/v1/merchant/products",
        Some(&buyer),
        product_body(&cat, "B-1", 100, 1),
    )
    .await
    .error(403, "forbidden");
    app.get("/api/v1/merchant/products", Some(&buyer))
        .await
        .error(403, "forbidden");
    app.post(
        "/api/v1/categories",
        Some(&buyer),
        json!({"slug": "x", "names": {"en": "X"}}),
    )
    .await
    .error(403, "forbidden");
    app.post(
        "/api/v1/categories",
        Some(&op),
        json!({"slug": "fashion", "names": {"en": "Again"}}),
    )
    .await
    .error(409, "duplicate_slug");
    app.post(
        "/api/v1/categories",
        Some(&op),
        json!({"slug": "Bad Slug", "names": {"en": "X"}}),
    )
    .await
    .error(422, "invalid_slug");

    assert_eq!(
        snapshot(app, &m).await,
        before,
        "refused requests changed nothing"
    );
    assert_eq!(
        app.get("/api/v1/categories", None)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn malformed_requests_are_4xx(app: &TestApp) {
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let (m, mid) = app.merchant(&op, "m@example.com", "IT", "EUR").await;

    // Ids with the wrong prefix or shape are 404, never 5xx.
    for path in [
        format!("/api/v1/products/{mid}"),
        "/api/v1/products/prd_123".to_owned(),
        "/api/v1/products/%F0%9F%92%A5".to_owned(),
        format!("/api/v1/merchants/{cat}"),
        format!("/api/v1/merchant/products/{mid}"),
    ] {
        let token = path.contains("/merchant/").then_some(m.as_str());
        app.get(&path, token).await.error(404, "not_found");
    }
    app.get("/api/v1/no/such/route", None)
        .await
        .error(404, "not_found");
    app.call(reqwest::Method::DELETE, "/api/v1/products", None, None)
        .await
        .error(405, "method_not_allowed");

    // Malformed JSON, wrong content type, oversized body.
    let url = format!("{}/api/v1/merchant/products", app.base);
    let send = |body: Vec<u8>, ct: &'static str| {
        app.client
            .post(&url)
            .bearer_auth(&m)
            .header(CONTENT_TYPE, ct)
            .body(body)
            .send()
    };
    let res = send(b"{\"category_id\": ".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "malformed_json"
    );
    // An array where an object is expected (serde would read a struct from it): refused.
    let res = send(b"[null, null]".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "invalid_body"
    );
    let res = send(b"{}".to_vec(), "text/plain").await.unwrap();
    assert_eq!(res.status().as_u16(), 415);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "unsupported_media_type"
    );
    let mut big = product_body(&cat, "BIG", 100, 1);
    big["texts"]["en"]["description"] = json!("x".repeat(300 * 1024));
    let res = send(serde_json::to_vec(&big).unwrap(), "application/json")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "body_too_large"
    );

    // Query parameters: page size over the cap, bad cursor, bad types, price without currency.
    app.get("/api/v1/products?limit=101", None)
        .await
        .error(422, "invalid_page_size");
    app.get("/api/v1/products?limit=0", None)
        .await
        .error(422, "invalid_page_size");
    app.get("/api/v1/products?limit=ten", None)
        .await
        .error(400, "invalid_query");
    app.get("/api/v1/products?cursor=garbage!", None)
        .await
        .error(422, "invalid_cursor");
    app.get("/api/v1/products?min_price=100", None)
        .await
        .error(422, "currency_required");
    app.get("/api/v1/products?sort=cheapest", None)
        .await
        .error(422, "invalid_sort");
    app.get("/api/v1/products?currency=EURO", None)
        .await
        .error(422, "invalid_currency");
    app.get("/api/v1/products?locale=xx", None)
        .await
        .error(422, "invalid_locale");
    app.get("/api/v1/products?ship_from=France", None)
        .await
        .error(422, "invalid_country");
    let none = app.get("/api/v1/products?category=prd_1", None).await;
    assert!(
        none.ok(200)["items"].as_array().unwrap().is_empty(),
        "a malformed filter id matches nothing"
    );

    // Nothing was created by any of it.
    assert!(
        app.get("/api/v1/merchant/products", Some(&m)).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
