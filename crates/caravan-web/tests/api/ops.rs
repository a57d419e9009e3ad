//! Health, readiness, metrics, the OpenAPI document and the API docs page.

use crate::app::TestApp;
use crate::on_both_engines;
use reqwest::Method;

on_both_engines!(
    health_readiness_and_metrics,
    openapi_documents_every_route_and_docs_are_served
);

async fn health_readiness_and_metrics(app: &TestApp) {
    assert_eq!(app.get("/healthz", None).await.ok(200)["status"], "ok");
    assert_eq!(app.get("/readyz", None).await.ok(200)["status"], "ready");
    app.get("/api/v1/products", None).await.ok(200);
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            r#"caravan_http_requests_total{method="GET",route="/api/v1/products",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("caravan_http_request_duration_seconds_bucket"));
}

async fn openapi_documents_every_route_and_docs_are_served(app: &TestApp) {
    let doc = app.get("/api/v1/openapi.json", None).await;
    let doc = doc.ok(200).clone();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["info"]["description"]
        .as_str()
        .unwrap()
        .contains("`duplicate_sku`"));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 19);
    // Every documented operation is routed (never the fallback's "no such route" or a 405).
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "prd_00000000000000000000000000000000000000000000");
        for method in ops.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app
                .call(m, &concrete, None, Some(serde_json::json!({})))
                .await;
            assert_ne!(res.status.as_u16(), 405, "{method} {path}");
            assert_ne!(
                res.body["error"]["message"], "no such route",
                "{method} {path}"
            );
            assert!(res.status.as_u16() < 500, "{method} {path}: {}", res.body);
        }
    }
    // Every route in the router is documented: the router is built from the same table, and
    // every error code the API can answer is listed in the description.
    for (code, _, _) in caravan_web::ERROR_CODES {
        assert!(doc["info"]["description"]
            .as_str()
            .unwrap()
            .contains(&format!("`{code}`")));
    }

    let html = app
        .client
        .get(format!("{}/api/docs", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status().as_u16(), 200);
    let html = html.text().await.unwrap();
    assert!(
        html.contains("/api/docs/swagger-ui-bundle.js") && !html.contains("https://"),
        "vendored, no CDN"
    );
    let js = app
        .client
        .get(format!("{}/api/docs/swagger-ui-bundle.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status().as_u16(), 200);
    assert!(js.bytes().await.unwrap().len() > 1_000_000);
}
