//! Server-sent events of the live festival screen: each change of the figures as one
//! `figures` event, with a keep-alive comment while nothing changes.

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use caravan_market::festival::LiveFigures;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::watch;

/// One event of the stream, as the OpenAPI document describes it (per event, the way
/// `text/event-stream` schemas are read).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FiguresEvent {
    /// Always `figures`.
    pub event: String,
    /// The figures as JSON: a `LiveFigures` object.
    #[schema(content_media_type = "application/json")]
    pub data: String,
}

/// The event stream of `rx`, starting with the figures as they are now.
pub fn figures(mut rx: watch::Receiver<Arc<LiveFigures>>) -> Response {
    rx.mark_changed();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let figures = rx.borrow_and_update().clone();
        let data = serde_json::to_string(&*figures).unwrap_or_else(|_| "{}".to_owned());
        let event: Result<Event, Infallible> = Ok(Event::default().event("figures").data(data));
        Some((event, rx))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
