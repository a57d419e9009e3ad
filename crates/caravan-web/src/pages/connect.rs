//! Connect's tracking links: `/r/{code}` sends the visitor on (302) and remembers the link in a
//! first-party cookie for the attribution window; the click is counted in memory.

use super::extract::Page;
use super::prefs::is_secure;
use axum::extract::Path;
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
pub async fn follow(page: Page, Path(code): Path<String>) -> Response {
    let r = page.state.market.follow_link(&code).await;
    redirect(page, r).await
}

/// `GET /r/post/{post}/{product}`: a tagged product followed from a post.
pub async fn follow_post(page: Page, Path((post, product)): Path<(String, String)>) -> Response {
    let r = page.state.market.follow_post(&post, &product).await;
    redirect(page, r).await
}

/// Sends the visitor on with the attribution cookie, or shows why not.
async fn redirect(
    page: Page,
    r: Result<caravan_market::connect::Redirect, caravan_market::MarketError>,
) -> Response {
    match r {
        Ok(r) => {
            let at = page.state.market.now_ms();
            let cookie =
                format!(
                "{REF_COOKIE}={}.{at}; Path=/; Max-Age={REF_MAX_AGE_S}; HttpOnly; SameSite=Lax{}",
                r.code,
                if is_secure(&page.headers) { "; Secure" } else { "" }
            );
            let mut res = (StatusCode::FOUND, [(header::LOCATION, r.path)]).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => page.failed(e, "/").await,
    }
}
