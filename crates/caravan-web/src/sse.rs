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

/// One event of a poll's stream, as the OpenAPI document describes it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PollEvent {
    /// Always `poll`.
    pub event: String,
    /// The poll as JSON: a `PollView` object.
    #[schema(content_media_type = "application/json")]
    pub data: String,
}

/// How often a poll's stream rereads its counts.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The event stream of a poll as `viewer` sees it: the poll now, then each change, read every
/// [`POLL_EVERY`]; it ends when the poll can no longer be read.
pub fn poll(
    market: caravan_market::Market,
    id: String,
    locale: caravan_domain::Locale,
    viewer: Option<caravan_market::accounts::Actor>,
) -> Response {
    let start = (market, id, locale, viewer, String::new(), true);
    let stream =
        futures_util::stream::unfold(start, |(m, id, locale, viewer, last, first)| async move {
            loop {
                if !first {
                    tokio::time::sleep(POLL_EVERY).await;
                }
                let view = m.poll(&id, locale, viewer.as_ref()).await.ok()?;
                let data = serde_json::to_string(&view).unwrap_or_else(|_| "{}".to_owned());
                if data != last {
                    let event: Result<Event, Infallible> =
                        Ok(Event::default().event("poll").data(data.clone()));
                    return Some((event, (m, id, locale, viewer, data, false)));
                }
                if first {
                    return None;
                }
            }
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
