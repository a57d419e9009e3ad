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
    // The served description is the one the tests check every error answer against.
    assert_eq!(
        doc["info"]["description"].as_str().unwrap(),
        crate::app::documented_errors()
    );

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

/// Every documented error code is asserted by at least one test somewhere in the workspace (an
/// integration test, or a unit test module), so no documented answer goes untested. Adding a
/// code without a test that provokes it fails here.
#[test]
fn every_documented_code_is_asserted_by_a_test() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut tests = String::new();
    collect_test_sources(&crates, &mut tests);
    assert!(tests.len() > 100_000, "found the test sources");
    let untested: Vec<&str> = caravan_market::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !tests.contains(&format!("\"{c}\"")))
        .collect();
    assert!(untested.is_empty(), "no test asserts {untested:?}");
}

/// The text of every test: files under a `tests/` folder, and the `#[cfg(test)]` modules of
/// source files.
fn collect_test_sources(dir: &std::path::Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            collect_test_sources(&path, out);
        } else if name.ends_with(".rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let in_tests = path.components().any(|c| c.as_os_str() == "tests");
            match text.find("#[cfg(test)]") {
                _ if in_tests => out.push_str(&text),
                Some(at) => out.push_str(&text[at..]),
                None => {}
            }
        }
    }
}
