//! What a page handler extracts, so that it only calls the market and answers: the page's
//! context ([`Page`]), who is signed in and in which role ([`SignedIn`], [`Seller`],
//! [`Operator`]), and a form that carries the visitor's CSRF token ([`CsrfForm`]).

use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::{check_csrf, local, see_other, Session};
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use caravan_domain::account::Role;
use caravan_market::accounts::Actor;
use caravan_market::MarketError;
use serde::de::DeserializeOwned;
use std::convert::Infallible;

/// Everything a page needs to answer: the state, the request's headers, the visitor's
/// preferences and session.
pub struct Page {
    /// The app.
    pub state: AppState,
    /// The request's headers (cookies, scheme).
    pub headers: HeaderMap,
    /// Language, currency, destination, CSRF token.
    pub prefs: Prefs,
    /// Who is signed in, if anyone.
    pub session: Session,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let prefs = Prefs::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state).await?;
        Ok(Page {
            state: state.clone(),
            headers: parts.headers.clone(),
            prefs,
            session,
        })
    }
}

impl Page {
    /// The context of a handler that extracted its parts one by one.
    pub fn of(state: &AppState, headers: &HeaderMap, prefs: &Prefs, session: &Session) -> Self {
        Page {
            state: state.clone(),
            headers: headers.clone(),
            prefs: prefs.clone(),
            session: session.clone(),
        }
    }

    /// The visitor's language.
    pub fn tr(&self) -> Tr {
        Tr::new(self.prefs.locale)
    }

    /// A page explaining why nothing happened, with a way back (422).
    pub async fn message(&self, text: &str, back: &str) -> Response {
        super::message(
            &self.state,
            &self.headers,
            &self.prefs,
            &self.session,
            text,
            back,
        )
        .await
    }

    /// The page of a refused role (403), in the visitor's language.
    pub async fn forbidden(&self) -> Response {
        let text = self.tr().t("error-forbidden-role");
        super::message_status(self, StatusCode::FORBIDDEN, &text, "/").await
    }

    /// The header of a page at `path` (the preferences form returns there).
    pub async fn chrome(&self, path: &str) -> super::chrome::Chrome {
        super::chrome::Chrome::new(&self.state.market, &self.prefs, &self.session, path, "").await
    }

    /// An HTML page rendered from `body`.
    pub fn html(&self, body: askama::Result<String>) -> Response {
        super::html(&self.headers, &self.prefs, body)
    }

    /// The page of a read that failed: the error's message and status (a failure inside is a
    /// 500 whose details are logged, never shown), never an empty list shown as if it were
    /// the data.
    pub async fn failed(&self, e: MarketError, back: &str) -> Response {
        let status = crate::error::status_of(e.kind());
        let text = if status.is_server_error() {
            tracing::error!(code = %e.code, error = %e.message, "a page could not be read");
            self.tr().t("error-internal")
        } else {
            e.message
        };
        super::message_status(self, status, &text, back).await
    }

    /// After an action: to `next` when it worked, else the message with a way `back`.
    pub async fn done(&self, r: Result<(), MarketError>, next: &str, back: &str) -> Response {
        match r {
            Ok(()) => see_other(next, &[]),
            Err(e) => self.message(&e.message, back).await,
        }
    }
}

/// The signed-in visitor; anyone else is sent to log in (and back here after a GET).
pub struct SignedIn(pub Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(Session(actor)) = Session::from_request_parts(parts, state).await;
        actor.map(SignedIn).ok_or_else(|| login_first(parts))
    }
}

/// `/login?back=…`: back to this page after a GET, else to the page the form was on.
fn login_first(parts: &Parts) -> Response {
    let back = if parts.method == Method::GET {
        parts.uri.path_and_query().map(|p| p.as_str().to_owned())
    } else {
        parts
            .headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.parse::<axum::http::Uri>().ok())
            .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
    };
    let q = serde_urlencoded::to_string([("back", local(back))]).unwrap_or_default();
    see_other(&format!("/login?{q}"), &[])
}

/// The signed-in holder of `role`; others are sent to log in, or shown a 403 page.
async fn with_role(parts: &mut Parts, state: &AppState, role: Role) -> Result<Actor, Response> {
    let SignedIn(actor) = SignedIn::from_request_parts(parts, state).await?;
    if actor.roles.contains(&role) {
        return Ok(actor);
    }
    let Ok(page) = Page::from_request_parts(parts, state).await;
    Err(page.forbidden().await)
}

/// A signed-in merchant.
pub struct Seller(pub Actor);

impl FromRequestParts<AppState> for Seller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        with_role(parts, state, Role::Merchant).await.map(Seller)
    }
}

/// A signed-in operator.
pub struct Operator(pub Actor);

impl FromRequestParts<AppState> for Operator {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        with_role(parts, state, Role::Operator).await.map(Operator)
    }
}

/// A form posted with the visitor's CSRF token (its `csrf` field): the token is checked first
/// (403 without it), then the form is read into `T` (a 422 page if it does not fit).
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Ok(page) = Page::from_request_parts(&mut parts, state).await;
        let req = Request::from_parts(parts, body);
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(_) => return Err(page.message(&page.tr().t("error-form"), "/").await),
        };
        let token: Token = serde_urlencoded::from_bytes(&bytes).unwrap_or(Token {
            csrf: String::new(),
        });
        if let Some(refused) = check_csrf(&page.prefs, &token.csrf) {
            return Err(refused);
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| e.to_string());
        match form {
            Ok(form) => Ok(CsrfForm(form)),
            Err(e) => {
                tracing::info!(error = %e, "a form did not fit");
                Err(page.message(&page.tr().t("error-form"), "/").await)
            }
        }
    }
}

/// A form with nothing but its CSRF token (a button).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}
