//! Caravan's HTTP surface: the `/api/v1` JSON API (documented by an OpenAPI 3.1 document at
//! `/api/v1/openapi.json`, browsable at `/api/docs`), health, readiness and Prometheus metrics.
//!
//! Handlers are thin: they extract, call a `caravan-market` use case, and map the result.
//! `router(state)` builds the app; `serve(listener, state, shutdown)` runs it.

mod docs;
mod error;
mod extract;
mod listen;
mod metrics;
pub mod pages;
mod routes;
mod sse;

pub use error::{error_codes, status_of, AppError};
pub use listen::{listen, BACKLOG};
pub use metrics::Metrics;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use caravan_market::Market;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 256 * 1024;
/// Largest body of an image upload (the image itself is at most 5 MiB).
pub const UPLOAD_LIMIT: usize = 6 * 1024 * 1024;

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub market: Market,
    /// Request counters and latency histograms.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State over `market` with fresh metrics.
    pub fn new(market: Market) -> Self {
        Self {
            market,
            metrics: Arc::new(Metrics::new()),
        }
    }
}

/// The whole application: API, docs, health, metrics, with JSON errors for every failure.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = routes::api().split_for_parts();
    let openapi = Arc::new(docs::finish(openapi));
    Router::new()
        .merge(api)
        .merge(routes::ops())
        .merge(docs::router(openapi))
        .merge(pages::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn(error::json_envelope))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(error::panic_response))
        .with_state(state)
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    let (_, openapi) = routes::api().split_for_parts();
    docs::finish(openapi).to_pretty_json().unwrap_or_default()
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
