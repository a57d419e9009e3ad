//! Registration, login, tokens, logout and the failed-login throttle.

use crate::app::{TestApp, PASSWORD};
use crate::on_both_engines;
use reqwest::Method;
use serde_json::json;

on_both_engines!(
    register_login_tokens_logout,
    failed_logins_are_throttled,
    address_book,
    operators_suspend_and_reinstate_accounts
);

async fn register_login_tokens_logout(app: &TestApp) {
    let res = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": " Ana@Example.com ", "password": PASSWORD, "display_name": "Ana"}),
        )
        .await;
    let user = res.ok(201);
    assert_eq!(user["email"], "ana@example.com");
    assert_eq!(user["roles"], json!(["buyer"]));
    assert!(user.get("password_hash").is_none(), "no hash leaks");

    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana 2"}),
        )
        .await;
    again.error(409, "email_taken");

    let token = app.login("ana@example.com").await;
    assert!(
        token.starts_with("cvn_") && token.len() >= 40,
        "≥ 128 random bits"
    );
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.ok(200)["email"], "ana@example.com");

    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "ana@example.com", "password": "nope nope nope"}),
        )
        .await;
    wrong.error(401, "invalid_credentials");
    app.get("/api/v1/me", None)
        .await
        .error(401, "unauthenticated");
    app.get("/api/v1/me", Some("cvn_forged"))
        .await
        .error(401, "unauthenticated");

    // A second token for a script; listing never shows secrets; revoking kills it.
    let script = app
        .post("/api/v1/me/tokens", Some(&token), json!({"name": "ci"}))
        .await;
    let script = script.ok(201).clone();
    let secret = script["token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", Some(&secret)).await.ok(200);
    let list = app.get("/api/v1/me/tokens", Some(&token)).await;
    let list = list.ok(200).as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|t| t.get("token").is_none()));

    // Another user cannot revoke it: 404, and it still works.
    let bo = app.buyer("bo@example.com").await;
    let id = script["id"].as_str().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/v1/me/tokens/{id}"),
        Some(&bo),
        None,
    )
    .await
    .error(404, "not_found");
    app.get("/api/v1/me", Some(&secret)).await.ok(200);
    let res = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(res.status.as_u16(), 204);
    app.get("/api/v1/me", Some(&secret))
        .await
        .error(401, "unauthenticated");

    // Logout kills the token used.
    let res = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(res.status.as_u16(), 204);
    app.get("/api/v1/me", Some(&token))
        .await
        .error(401, "unauthenticated");
}

async fn failed_logins_are_throttled(app: &TestApp) {
    app.buyer("cy@example.com").await;
    for _ in 0..5 {
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": "cy@example.com", "password": "wrong password"}),
            )
            .await;
        r.error(401, "invalid_credentials");
    }
    // Even the right password is refused while throttled, with a Retry-After.
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "CY@example.com", "password": PASSWORD}),
        )
        .await;
    r.error(429, "too_many_attempts");
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "retry after {wait}s");
    // Other accounts are unaffected; after the window the account logs in again.
    app.buyer("dee@example.com").await;
    app.clock.advance(15 * 60 * 1000 + 1);
    app.login("cy@example.com").await;
}

/// The address book: saved, listed newest first, not saved twice, checked like a checkout's
/// address, capped at 20, and private to its owner.
async fn address_book(app: &TestApp) {
    let ana = app.buyer("ana@example.com").await;
    let home = serde_json::json!({"name": "Ana Lopez", "line1": "Calle Mayor 5", "line2": "3º B",
        "city": "Madrid", "postal_code": "28013", "country": "ES", "phone": "+34 600 000 000"});
    let res = app
        .post("/api/v1/me/addresses", Some(&ana), home.clone())
        .await;
    let saved = res.ok(201).clone();
    let id = saved["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("adr_"), "{saved}");
    assert_eq!(saved["address"]["line2"], "3º B");
    // The same address again is the same entry (200), with surrounding spaces ignored.
    let mut spaced = home.clone();
    spaced["city"] = serde_json::json!("  Madrid ");
    let res = app.post("/api/v1/me/addresses", Some(&ana), spaced).await;
    assert_eq!(res.ok(200)["id"], id.as_str());
    let work = serde_json::json!({"name": "Ana Lopez", "line1": "ul. Marszałkowska 1",
        "city": "Warszawa", "postal_code": "00-001", "country": "PL"});
    let res = app.post("/api/v1/me/addresses", Some(&ana), work).await;
    let work_id = res.ok(201)["id"].as_str().unwrap().to_owned();
    let list = app.get("/api/v1/me/addresses", Some(&ana)).await;
    let list = list.ok(200).as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], work_id.as_str(), "newest first");
    assert_eq!(list[0]["address"]["line2"], serde_json::Value::Null);

    // Bad input changes nothing.
    for (bad, code) in [
        (
            serde_json::json!({"name": "A", "line1": "B", "city": "C", "postal_code": "1", "country": "XX"}),
            "invalid_country",
        ),
        (
            serde_json::json!({"name": " ", "line1": "B", "city": "C", "postal_code": "1", "country": "ES"}),
            "invalid_address",
        ),
        (
            serde_json::json!({"name": "A", "line1": "B", "city": "C", "postal_code": "1", "country": "ES", "phone": "1".repeat(41)}),
            "invalid_address",
        ),
        (
            serde_json::json!({"name": "A", "line1": "B\u{0007}", "city": "C", "postal_code": "1", "country": "ES"}),
            "invalid_address",
        ),
    ] {
        app.post("/api/v1/me/addresses", Some(&ana), bad)
            .await
            .error(422, code);
    }
    let res = app
        .post("/api/v1/me/addresses", Some(&ana), serde_json::json!({"name": "A", "line1": "B", "city": "C", "postal_code": "1", "country": "ES", "floor": 3}))
        .await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.body);
    app.post("/api/v1/me/addresses", None, home.clone())
        .await
        .error(401, "unauthenticated");
    let list = app.get("/api/v1/me/addresses", Some(&ana)).await;
    assert_eq!(list.ok(200).as_array().unwrap().len(), 2);

    // Someone else sees none of them and cannot remove them.
    let bo = app.buyer("bo@example.com").await;
    let theirs = app.get("/api/v1/me/addresses", Some(&bo)).await;
    assert!(theirs.ok(200).as_array().unwrap().is_empty());
    for target in [id.as_str(), "adr_nope", "tok_x"] {
        app.call(
            Method::DELETE,
            &format!("/api/v1/me/addresses/{target}"),
            Some(&bo),
            None,
        )
        .await
        .error(404, "not_found");
    }
    let res = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/addresses/{id}"),
            Some(&ana),
            None,
        )
        .await;
    assert_eq!(res.status.as_u16(), 204);
    app.call(
        Method::DELETE,
        &format!("/api/v1/me/addresses/{id}"),
        Some(&ana),
        None,
    )
    .await
    .error(404, "not_found");

    // At most 20.
    for i in 0..19 {
        let a = serde_json::json!({"name": "Bo", "line1": format!("Street {i}"), "city": "Lyon", "postal_code": "69001", "country": "FR"});
        app.post("/api/v1/me/addresses", Some(&bo), a).await.ok(201);
    }
    let twentieth = serde_json::json!({"name": "Bo", "line1": "Street 19", "city": "Lyon", "postal_code": "69001", "country": "FR"});
    app.post("/api/v1/me/addresses", Some(&bo), twentieth)
        .await
        .ok(201);
    let one_more = serde_json::json!({"name": "Bo", "line1": "Street 20", "city": "Lyon", "postal_code": "69001", "country": "FR"});
    app.post("/api/v1/me/addresses", Some(&bo), one_more)
        .await
        .error(422, "too_many_addresses");
    let theirs = app.get("/api/v1/me/addresses", Some(&bo)).await;
    assert_eq!(theirs.ok(200).as_array().unwrap().len(), 20);
}

/// Suspension ends every session of the account and stops logins (with the right password only:
/// a wrong one still says "wrong credentials"); reinstating lets it log in again.
async fn operators_suspend_and_reinstate_accounts(app: &TestApp) {
    let op = crate::shop::shop(app).await.op;
    let first = app.buyer("mallory@example.com").await;
    let second = app.login("mallory@example.com").await;
    let me = app.get("/api/v1/me", Some(&first)).await;
    let id = me.ok(200)["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/users/{id}/suspension");

    // Only operators, never themselves, only real accounts, only the documented body.
    let other = app.buyer("bystander@example.com").await;
    app.post(&path, Some(&other), json!({"suspended": true}))
        .await
        .error(403, "forbidden");
    let op_me = app.get("/api/v1/me", Some(&op)).await;
    let op_id = op_me.ok(200)["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/admin/users/{op_id}/suspension"),
        Some(&op),
        json!({"suspended": true}),
    )
    .await
    .error(422, "cannot_suspend_self");
    for missing in [
        "usr_0000000000000000000000000000000000000000000000000000",
        "nope",
    ] {
        app.post(
            &format!("/api/v1/admin/users/{missing}/suspension"),
            Some(&op),
            json!({"suspended": true}),
        )
        .await
        .error(404, "not_found");
    }
    let res = app
        .post(&path, Some(&op), json!({"suspended": true, "why": "x"}))
        .await;
    assert_eq!(res.status.as_u16(), 422);
    app.get("/api/v1/me", Some(&first)).await.ok(200);

    let res = app.post(&path, Some(&op), json!({"suspended": true})).await;
    assert_eq!(res.ok(200)["suspended"], true);
    for token in [&first, &second] {
        app.get("/api/v1/me", Some(token))
            .await
            .error(401, "unauthenticated");
    }
    let creds = json!({"email": "mallory@example.com", "password": PASSWORD});
    app.post("/api/v1/auth/login", None, creds.clone())
        .await
        .error(403, "account_suspended");
    app.post(
        "/api/v1/auth/login",
        None,
        json!({"email": "mallory@example.com", "password": "not the password"}),
    )
    .await
    .error(401, "invalid_credentials");
    let list = app.get("/api/v1/admin/users?limit=100", Some(&op)).await;
    let row = list.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["suspended"], true);

    // Reinstated: a new login works; the old sessions stay ended.
    let res = app
        .post(&path, Some(&op), json!({"suspended": false}))
        .await;
    assert_eq!(res.ok(200)["suspended"], false);
    let fresh = app.login("mallory@example.com").await;
    app.get("/api/v1/me", Some(&fresh)).await.ok(200);
    app.get("/api/v1/me", Some(&first))
        .await
        .error(401, "unauthenticated");
}
