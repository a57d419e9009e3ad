//! Registration, login, tokens, logout and the failed-login throttle.

use crate::app::{TestApp, PASSWORD};
use crate::on_both_engines;
use reqwest::Method;
use serde_json::json;

on_both_engines!(register_login_tokens_logout, failed_logins_are_throttled);

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
