//! Browser sessions: the `caravan_session` cookie holds a token issued at login (a fresh one each
//! time, so the session id changes at login) and revoked at logout (so it dies there).

use super::prefs::{cookie, Prefs};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use caravan_market::accounts::Actor;
use std::convert::Infallible;

/// Cookie holding the session token.
pub const SESSION_COOKIE: &str = "caravan_session";

/// The signed-in buyer, if any.
#[derive(Clone)]
pub struct Session(pub Option<Actor>);

impl FromRequestParts<AppState> for Session {
    type Rejection = Infallible;

    /// Authenticates the session cookie once per request: later extractors (a role, the page
    /// context) reuse the answer from the request's extensions.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(known) = parts.extensions.get::<Session>() {
            return Ok(known.clone());
        }
        let actor = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(secret) => state.market.authenticate(secret).await.ok(),
            None => None,
        };
        parts.extensions.insert(Session(actor.clone()));
        Ok(Session(actor))
    }
}

/// `Set-Cookie` starting a session.
pub fn start(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` ending a session.
pub fn end() -> String {
    format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// A 303 to `to`, with cookies to set.
pub fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The 403 to answer unless the form repeats this visitor's CSRF token.
pub fn check_csrf(prefs: &Prefs, sent: &str) -> Option<Response> {
    (prefs.new_csrf || sent != prefs.csrf).then(|| {
        (
            StatusCode::FORBIDDEN,
            "the form expired; go back, reload the page and try again",
        )
            .into_response()
    })
}

/// Only our own paths: never an open redirect.
pub fn local(path: Option<String>) -> String {
    path.filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/".to_owned())
}
