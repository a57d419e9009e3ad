//! The waiting room in the browser: before the cart's checkout form when a flash slot in the
//! cart is about to open (or has just opened), and after a checkout the order writer refused
//! as busy. The page shows the visitor's place and an estimated wait and refreshes itself with
//! a `<meta>` refresh, no script; once admitted it sends them back to their cart, where
//! everything they did is as they left it. The ticket is a cookie.

use super::chrome::Chrome;
use super::extract::Page;
use super::i18n::Tr;
use super::prefs::{cookie, is_secure};
use super::session::{local, see_other};
use askama::Template;
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use caravan_market::carts::CartView;
use caravan_market::festival::{Admission, Standing};
use serde::Deserialize;

/// Cookie holding the visitor's waiting-room ticket.
const TICKET_COOKIE: &str = "caravan_ticket";

/// What the gate in front of checkout decided.
pub enum Gate {
    /// Go on; set this cookie (the ticket) on the answer.
    Pass(String),
    /// Wait: this answer sends them to the waiting room.
    Wait(Response),
}

fn ticket_cookie(page: &Page, ticket: &str) -> String {
    format!(
        "{TICKET_COOKIE}={ticket}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax{}",
        if is_secure(&page.headers) {
            "; Secure"
        } else {
            ""
        }
    )
}

fn variants(cart: &CartView) -> Vec<String> {
    cart.groups
        .iter()
        .flat_map(|g| g.lines.iter().map(|l| l.variant_id.clone()))
        .collect()
}

/// Appends `Set-Cookie` headers to `res`.
pub fn with_cookies(mut res: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The gate in front of the checkout of `cart`, returning to `back` once admitted. A failed
/// read lets the visitor through: the order writer still decides every cap.
pub async fn gate(page: &Page, cart: &CartView, back: &str) -> Gate {
    let items = variants(cart);
    if items.is_empty() {
        return Gate::Pass(String::new());
    }
    let held = cookie(&page.headers, TICKET_COOKIE);
    match page.state.market.admission(held, &items).await {
        Ok(s) => standing(page, s, back),
        Err(e) => {
            tracing::warn!(error = %e.message, "the waiting room could not be checked");
            Gate::Pass(String::new())
        }
    }
}

/// A checkout the writer refused as busy: the visitor queues in the busy room.
pub fn queue_busy(page: &Page, back: &str) -> Response {
    let held = cookie(&page.headers, TICKET_COOKIE);
    match standing(page, page.state.market.queue_busy(held), back) {
        Gate::Wait(res) => res,
        Gate::Pass(c) => with_cookies(see_other(back, &[]), &[c]),
    }
}

fn standing(page: &Page, s: Standing, back: &str) -> Gate {
    let cookie = ticket_cookie(page, &s.ticket);
    match s.admission {
        Admission::Admitted => Gate::Pass(cookie),
        Admission::Waiting(_) | Admission::Full => {
            let to = format!(
                "/waiting?{}",
                serde_urlencoded::to_string([("back", back)]).unwrap_or_default()
            );
            Gate::Wait(see_other(&to, &[cookie]))
        }
    }
}

#[derive(Template)]
#[template(path = "waiting.html")]
struct WaitingPage {
    tr: Tr,
    chrome: Chrome,
    back: String,
    refresh: i64,
    opens: Option<String>,
    place: Option<String>,
    estimate: String,
}

/// `?back=` of the waiting room.
#[derive(Debug, Deserialize)]
pub struct WaitingQuery {
    back: Option<String>,
}

/// `GET /waiting`: the visitor's place and estimated wait; their cart once admitted.
pub async fn page(page: Page, Query(q): Query<WaitingQuery>) -> Response {
    let back = local(q.back);
    let cart = match super::buy::open_cart(&page).await {
        Ok((open, _)) => open.cart,
        Err(e) => return page.failed(e, "/").await,
    };
    let held = cookie(&page.headers, TICKET_COOKIE);
    let items = variants(&cart);
    let market = &page.state.market;
    let s = match market.admission(held, &items).await {
        Ok(s) => s,
        Err(e) => return page.failed(e, "/").await,
    };
    let cookie = ticket_cookie(&page, &s.ticket);
    let tr = page.tr();
    let wait = match s.admission {
        Admission::Admitted => return see_other(&back, &[cookie]),
        Admission::Full => {
            let res = page.message(&tr.t("wait-full"), &back).await;
            let mut res = with_cookies(res, &[cookie]);
            *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return res;
        }
        Admission::Waiting(w) => w,
    };
    let seconds = |n: i64| n.to_string();
    let body = WaitingPage {
        refresh: if wait.opens_in_s > 0 {
            wait.opens_in_s
        } else {
            wait.estimate_s
        }
        .clamp(1, 5),
        opens: (wait.opens_in_s > 0)
            .then(|| tr.t1("wait-opens", "seconds", &seconds(wait.opens_in_s))),
        place: wait
            .place
            .map(|p| tr.t1("wait-place", "place", &p.to_string())),
        estimate: tr.t1("wait-estimate", "seconds", &seconds(wait.estimate_s.max(1))),
        chrome: page.chrome(&back).await,
        back,
        tr,
    };
    with_cookies(page.html(body.render()), &[cookie]).into_response()
}
