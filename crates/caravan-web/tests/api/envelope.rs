//! Every error is the JSON envelope, including the framework's own rejections (bodies too large,
//! undecodable path parameters, media types other than `application/json`, methods a route does
//! not take); and names that would let one party pass for another are refused.

use crate::app::TestApp;
use crate::on_both_engines;
use crate::shop::address;
use serde_json::{json, Value};

on_both_engines!(
    every_error_is_the_json_envelope,
    names_that_would_spoof_another_are_refused
);

/// A raw request (reqwest would refuse to send some of these), answered as (status, content
/// type, body).
async fn raw(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, String, Value) {
    let mut req = app.client.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{path}", app.base),
    );
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.body(body).send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = res.text().await.unwrap();
    (
        status,
        ct,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

#[track_caller]
fn envelope((status, ct, body): (u16, String, Value), want: u16, code: &str) {
    assert_eq!(status, want, "{body}");
    assert!(ct.starts_with("application/json"), "{ct}: {body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(crate::app::documented_errors().contains(&format!("| `{code}` | {want} |")));
}

async fn every_error_is_the_json_envelope(app: &TestApp) {
    let buyer = app.buyer("b@example.com").await;
    let auth = format!("Bearer {buyer}");
    let json = ("content-type", "application/json");
    // Bodies over the limit, on a raw-body route and on a JSON route.
    let big = vec![b' '; 300 * 1024];
    envelope(
        raw(
            app,
            "POST",
            "/api/v1/payments/webhook",
            &[json],
            big.clone(),
        )
        .await,
        413,
        "body_too_large",
    );
    envelope(
        raw(
            app,
            "POST",
            "/api/v1/me/tokens",
            &[json, ("authorization", &auth)],
            big,
        )
        .await,
        413,
        "body_too_large",
    );
    // Ids that cannot even be decoded name nothing: 404, as a malformed id does.
    envelope(
        raw(app, "GET", "/api/v1/products/%FF%FE", &[], vec![]).await,
        404,
        "not_found",
    );
    envelope(
        raw(app, "GET", "/media/%FF", &[], vec![]).await,
        404,
        "not_found",
    );
    envelope(
        raw(
            app,
            "GET",
            "/api/v1/orders/%C3%28",
            &[("authorization", &auth)],
            vec![],
        )
        .await,
        404,
        "not_found",
    );
    // JSON routes take application/json (with parameters) and nothing else.
    let token = br#"{"name":"ci"}"#.to_vec();
    for ct in [
        "application/jsonx",
        "application/problem+json",
        "text/json",
        "text/plain",
    ] {
        let h = [("content-type", ct), ("authorization", auth.as_str())];
        envelope(
            raw(app, "POST", "/api/v1/me/tokens", &h, token.clone()).await,
            415,
            "unsupported_media_type",
        );
    }
    let h = [
        ("content-type", "application/json; charset=utf-8"),
        ("authorization", auth.as_str()),
    ];
    assert_eq!(
        raw(app, "POST", "/api/v1/me/tokens", &h, token.clone())
            .await
            .0,
        201
    );
    envelope(
        raw(
            app,
            "POST",
            "/api/v1/me/tokens",
            &[("authorization", &auth)],
            vec![],
        )
        .await,
        415,
        "unsupported_media_type",
    );
    let checkout = [
        ("content-type", "application/jsonx"),
        ("authorization", auth.as_str()),
        ("idempotency-key", "k1"),
    ];
    envelope(
        raw(app, "POST", "/api/v1/checkout", &checkout, b"{}".to_vec()).await,
        415,
        "unsupported_media_type",
    );
    // Malformed JSON, a body of the wrong shape, a method the route does not take.
    let h = [json, ("authorization", auth.as_str())];
    envelope(
        raw(app, "POST", "/api/v1/me/tokens", &h, b"{".to_vec()).await,
        400,
        "malformed_json",
    );
    envelope(
        raw(
            app,
            "POST",
            "/api/v1/me/tokens",
            &h,
            br#"{"name": 5}"#.to_vec(),
        )
        .await,
        422,
        "invalid_body",
    );
    envelope(
        raw(app, "DELETE", "/api/v1/categories", &[], vec![]).await,
        405,
        "method_not_allowed",
    );
    envelope(
        raw(app, "GET", "/api/v1/no-such-thing", &[], vec![]).await,
        404,
        "not_found",
    );
    envelope(
        raw(app, "GET", "/api/v1/products?limit=abc", &[], vec![]).await,
        400,
        "invalid_query",
    );
    // Nothing was created by any of it but the one token asked for properly.
    let tokens = app.get("/api/v1/me/tokens", Some(&buyer)).await;
    assert_eq!(
        tokens.ok(200).as_array().unwrap().len(),
        2,
        "the login's and the one made"
    );
}

async fn names_that_would_spoof_another_are_refused(app: &TestApp) {
    let reg = json!({"email": "spoof@example.com", "password": "long enough password", "display_name": "Official\u{202e}erotS"});
    app.post("/api/v1/auth/register", None, reg)
        .await
        .error(422, "invalid_display_name");
    let op = app.operator().await;
    let (_, cat) = app.categories(&op).await;
    let buyer = app.buyer("b@example.com").await;
    let apply = json!({"store_name": "Official\u{200b}Store", "country": "IT", "settlement_currency": "EUR", "default_locale": "it"});
    app.post("/api/v1/merchant-applications", Some(&buyer), apply)
        .await
        .error(422, "invalid_store_name");
    let (m, _) = app.merchant(&op, "m@example.com", "IT", "EUR").await;
    let mut p = crate::app::product_body(&cat, "SKU-1", 100, 1);
    p["texts"]["en"]["title"] = json!("\u{feff}Silk scarf");
    app.post("/api/v1/merchant/products", Some(&m), p)
        .await
        .error(422, "invalid_title");
    let mut p = crate::app::product_body(&cat, "SKU\u{200d}1", 100, 1);
    p["texts"]["en"]["title"] = json!("Silk scarf");
    app.post("/api/v1/merchant/products", Some(&m), p)
        .await
        .error(422, "invalid_sku");
    let mut addr = address("FR");
    addr["name"] = json!("Anna\u{202a} Iwanowa");
    app.post("/api/v1/me/addresses", Some(&buyer), addr)
        .await
        .error(422, "invalid_address");
    let none = app.get("/api/v1/me/addresses", Some(&buyer)).await;
    assert!(none.ok(200).as_array().unwrap().is_empty());
    let mine = app.get("/api/v1/merchant/products", Some(&m)).await;
    assert!(mine.ok(200)["items"].as_array().unwrap().is_empty());
}
