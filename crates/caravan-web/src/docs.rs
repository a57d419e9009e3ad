//! The OpenAPI document and the vendored Swagger UI (no CDN).

use crate::error::error_codes;
use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;

/// Adds the title, the error-code table and the bearer scheme to the collected paths.
pub fn finish(mut api: OpenApi) -> OpenApi {
    api.info.title = "Caravan API".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    let mut table = String::from(
        "The REST API of the Caravan marketplace engine.\n\n\
         Authenticate with `Authorization: Bearer <token>` (from `POST /api/v1/auth/login`).\n\
         Errors are `{\"error\": {\"code\": \"…\", \"message\": \"…\"}}`; codes are stable:\n\n\
         | code | status | meaning |\n| --- | --- | --- |\n",
    );
    for (code, status, meaning) in error_codes() {
        table.push_str(&format!("| `{code}` | {status} | {meaning} |\n"));
    }
    api.info.description = Some(table);
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    api
}

const INDEX: &str = include_str!("../assets/swagger-ui/index.html");
const INIT: &str = include_str!("../assets/swagger-ui/init.js");
const BUNDLE: &str = include_str!("../assets/swagger-ui/swagger-ui-bundle.js");
const CSS: &str = include_str!("../assets/swagger-ui/swagger-ui.css");
const ICON: &[u8] = include_bytes!("../assets/swagger-ui/favicon-32x32.png");

fn asset(content_type: &'static str, body: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

/// `/api/v1/openapi.json` and `/api/docs`.
pub fn router(api: Arc<OpenApi>) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(api.as_ref().clone()) }),
        )
        .route(
            "/api/docs",
            get(|| async { asset("text/html; charset=utf-8", INDEX.as_bytes()) }),
        )
        .route(
            "/api/docs/",
            get(|| async { asset("text/html; charset=utf-8", INDEX.as_bytes()) }),
        )
        .route(
            "/api/docs/init.js",
            get(|| async { asset("text/javascript", INIT.as_bytes()) }),
        )
        .route(
            "/api/docs/swagger-ui-bundle.js",
            get(|| async { asset("text/javascript", BUNDLE.as_bytes()) }),
        )
        .route(
            "/api/docs/swagger-ui.css",
            get(|| async { asset("text/css", CSS.as_bytes()) }),
        )
        .route(
            "/api/docs/favicon-32x32.png",
            get(|| async { asset("image/png", ICON) }),
        )
}
