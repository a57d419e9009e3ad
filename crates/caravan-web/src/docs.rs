//! The OpenAPI document and the vendored Swagger UI (no CDN).

use crate::error::error_codes;
use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

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
    for item in api.paths.paths.values_mut() {
        constrain_headers(item);
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let ops = [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (op, writes) in ops {
            if let Some(op) = op.as_mut() {
                declare_errors(path, op, writes);
            }
        }
    }
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    api
}

/// Declares on `op` every error status it can answer, with the error envelope: what its
/// extractors and use case refuse. The schema-driven fuzzer in CI checks nothing else comes back.
fn declare_errors(path: &str, op: &mut Operation, writes: bool) {
    use utoipa::openapi::path::ParameterIn;
    let params = op.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let idempotent = params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("Idempotency-Key"));
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let body = op.request_body.is_some();
    let json_body = op
        .request_body
        .as_ref()
        .is_some_and(|b| b.content.contains_key("application/json"));
    let own_account = path == "/api/v1/me"
        || path.starts_with("/api/v1/me/")
        || path.starts_with("/api/v1/auth/");
    // Carts take an optional bearer token: a bad one is 401 too.
    let maybe_secured = secured || path.starts_with("/api/v1/carts");
    let mut statuses: Vec<(u16, &str)> = Vec::new();
    if body || has(ParameterIn::Query) || idempotent {
        statuses.push((
            400,
            "the request is malformed (JSON, a query parameter, a header)",
        ));
    }
    if maybe_secured {
        statuses.push((401, "no valid bearer token"));
    }
    if secured && !own_account {
        statuses.push((
            403,
            "the caller lacks the role (or an active store) this needs",
        ));
    }
    if has(ParameterIn::Path) || body {
        statuses.push((404, "no such object, or it is not the caller's"));
    }
    if writes {
        statuses.push((
            409,
            "conflicts with the current state (or the Idempotency-Key is in use)",
        ));
    }
    if body {
        statuses.push((413, "the body is too large"));
    }
    if json_body {
        statuses.push((415, "the body is not application/json"));
    }
    if body || has(ParameterIn::Query) || idempotent || writes {
        statuses.push((422, "the input breaks a rule"));
    }
    if path == "/api/v1/auth/login" {
        statuses.push((429, "too many failed logins; see Retry-After"));
    }
    if path == "/api/v1/checkout" || path.starts_with("/api/v1/search") {
        statuses.push((503, "busy or switched off; see Retry-After"));
    }
    for (status, meaning) in statuses {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error_response(meaning));
    }
}

/// The `Idempotency-Key` header's rule (1 to 255 visible ASCII characters) in the schema, where
/// clients and fuzzers read it.
fn constrain_headers(item: &mut utoipa::openapi::PathItem) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let ops = [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ];
    for op in ops.into_iter().flatten() {
        for p in op.parameters.iter_mut().flatten() {
            if p.name.eq_ignore_ascii_case("Idempotency-Key") {
                let schema = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some("^[!-~]{1,255}$"));
                p.schema = Some(RefOr::T(schema.build().into()));
            }
        }
    }
}

fn error_response(meaning: &str) -> RefOr<Response> {
    let schema = Ref::from_schema_name("ErrorBody");
    RefOr::T(
        ResponseBuilder::new()
            .description(format!(
                "{meaning} (`{{\"error\": {{\"code\", \"message\"}}}}`; see the code table)"
            ))
            .content("application/json", Content::new(Some(schema)))
            .build(),
    )
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
