//! Connect's tracking links: `/r/{code}` sends the visitor on (302) and remembers the link in a
//! first-party cookie for the attribution window; the click is counted in memory.

use super::extract::Page;
use super::prefs::is_secure;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use caravan_market::ErrorKind;

/// The attribution cookie.
pub const REF_COOKIE: &str = "caravan_ref";
/// How long a click attributes (the default window, 15 days).
const REF_MAX_AGE_S: i64 = 15 * 24 * 60 * 60;

/// The creator link this visitor followed last (the attribution cookie), if any.
pub fn referral(headers: &axum::http::HeaderMap) -> Option<caravan_market::checkout::Referral> {
    super::prefs::cookie(headers, REF_COOKIE)
        .and_then(caravan_market::checkout::Referral::from_cookie)
}

/// `GET /r/{code}`.
pub async fn follow(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let r = state.market.follow_link(&code).await;
    redirect(state, req, r).await
}

/// `GET /r/post/{post}/{product}`: a tagged product followed from a post.
pub async fn follow_post(
    State(state): State<AppState>,
    Path((post, product)): Path<(String, String)>,
    req: Request,
) -> Response {
    let r = state.market.follow_post(&post, &product).await;
    redirect(state, req, r).await
}

/// Sends the visitor on with the attribution cookie, or shows why not. A followed link needs
/// only the request's scheme; the page context (preferences, and the session, which costs an
/// authentication) is read only to explain a refusal.
async fn redirect(
    state: AppState,
    req: Request,
    r: Result<caravan_market::connect::Redirect, caravan_market::MarketError>,
) -> Response {
    let (mut parts, _) = req.into_parts();
    let refused = match r {
        Ok(r) => return found(&r, state.market.now_ms(), is_secure(&parts.headers)),
        Err(e) => e,
    };
    let Ok(page) = Page::from_request_parts(&mut parts, &state).await;
    if refused.kind() == ErrorKind::NotFound {
        return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await;
    }
    page.failed(refused, "/").await
}

/// The 302 to the link's destination, with the attribution cookie clicked `at`.
fn found(r: &caravan_market::connect::Redirect, at: i64, secure: bool) -> Response {
    let cookie = format!(
        "{REF_COOKIE}={}.{at}; Path=/; Max-Age={REF_MAX_AGE_S}; HttpOnly; SameSite=Lax{}",
        r.code,
        if secure { "; Secure" } else { "" }
    );
    let mut res = (StatusCode::FOUND, [(header::LOCATION, r.path.as_str())]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
