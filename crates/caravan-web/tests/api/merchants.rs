//! Applying to sell, operator review, suspension, and role checks.

use crate::app::{product_body, TestApp};
use crate::on_both_engines;
use serde_json::json;

on_both_engines!(application_review_and_suspension);

async fn application_review_and_suspension(app: &TestApp) {
    let op = app.operator().await;
    let (root, cat) = app.categories(&op).await;
    let _ = root;
    let buyer = app.buyer("seller@example.com").await;
    let res = app
        .post(
            "/api/v1/merchant-applications",
            Some(&buyer),
            json!({"store_name": "Seta di Como", "country": "IT", "settlement_currency": "EUR", "default_locale": "it", "description": "Silk"}),
        )
        .await;
    let m = res.ok(201).clone();
    assert_eq!(m["status"], "pending");
    let id = m["id"].as_str().unwrap();
    let again = app
        .post("/api/v1/merchant-applications", Some(&buyer), json!({"store_name": "Two", "country": "IT", "settlement_currency": "EUR", "default_locale": "it"}))
        .await;
    again.error(409, "already_applied");

    // Not yet a merchant: merchant routes are forbidden; the store page does not exist yet.
    app.post(
        "/api/v1/merchant/products",
        Some(&buyer),
        product_body(&cat, "A", 100, 1),
    )
    .await
    .error(403, "forbidden");
    app.get(&format!("/api/v1/merchants/{id}"), None)
        .await
        .error(404, "not_found");
    // Buyers cannot review.
    app.get("/api/v1/admin/merchants", Some(&buyer))
        .await
        .error(403, "forbidden");
    app.post(
        &format!("/api/v1/admin/merchants/{id}/decision"),
        Some(&buyer),
        json!({"decision": "approve"}),
    )
    .await
    .error(403, "forbidden");

    let pending = app
        .get("/api/v1/admin/merchants?status=pending", Some(&op))
        .await;
    assert_eq!(pending.ok(200)["items"][0]["id"], id);
    let approved = app
        .post(
            &format!("/api/v1/admin/merchants/{id}/decision"),
            Some(&op),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(approved.ok(200)["status"], "approved");
    app.post(
        &format!("/api/v1/admin/merchants/{id}/decision"),
        Some(&op),
        json!({"decision": "reject"}),
    )
    .await
    .error(409, "invalid_transition");
    let me = app.get("/api/v1/me", Some(&buyer)).await;
    assert_eq!(me.ok(200)["roles"], json!(["buyer", "merchant"]));
    assert_eq!(
        app.get("/api/v1/me/merchant", Some(&buyer)).await.ok(200)["status"],
        "approved"
    );
    assert_eq!(
        app.get(&format!("/api/v1/merchants/{id}"), None)
            .await
            .ok(200)["store_name"],
        "Seta di Como"
    );

    let p = app
        .post(
            "/api/v1/merchant/products",
            Some(&buyer),
            product_body(&cat, "SC-1", 2500, 4),
        )
        .await;
    let pid = p.ok(201)["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/products", None).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Suspension hides the store and every product from public listings, and stops selling.
    let s = app
        .post(
            &format!("/api/v1/admin/merchants/{id}/decision"),
            Some(&op),
            json!({"decision": "suspend", "reason": "counterfeits"}),
        )
        .await;
    assert_eq!(s.ok(200)["status_reason"], "counterfeits");
    assert!(app.get("/api/v1/products", None).await.ok(200)["items"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(app
        .get(&format!("/api/v1/products?merchant={id}"), None)
        .await
        .ok(200)["items"]
        .as_array()
        .unwrap()
        .is_empty());
    app.get(&format!("/api/v1/products/{pid}"), None)
        .await
        .error(404, "not_found");
    app.get(&format!("/api/v1/merchants/{id}"), None)
        .await
        .error(404, "not_found");
    app.post(
        "/api/v1/merchant/products",
        Some(&buyer),
        product_body(&cat, "SC-2", 100, 1),
    )
    .await
    .error(403, "merchant_not_active");

    // Reinstated, it all comes back.
    app.post(
        &format!("/api/v1/admin/merchants/{id}/decision"),
        Some(&op),
        json!({"decision": "approve"}),
    )
    .await
    .ok(200);
    app.get(&format!("/api/v1/products/{pid}"), None)
        .await
        .ok(200);

    let users = app.get("/api/v1/admin/users?limit=1", Some(&op)).await;
    let users = users.ok(200);
    assert_eq!(users["items"].as_array().unwrap().len(), 1);
    assert!(users["next_cursor"].is_string());
}
