//! Registering, logging in and out in the browser.

use super::chrome::Chrome;
use super::html;
use super::i18n::Tr;
use super::prefs::{is_secure, Prefs};
use super::session::{check_csrf, end, local, see_other, start, Session, TokenForm};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::accounts::{Credentials, Registration};
use caravan_market::Code;
use caravan_market::MarketError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    chrome: Chrome,
    heading: String,
    action: &'static str,
    register: bool,
    back: String,
    back_q: String,
    error: Option<String>,
}

/// Where to go after logging in.
#[derive(Debug, Default, Deserialize)]
pub struct Back {
    back: Option<String>,
}

async fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &Session,
    register: bool,
    back: String,
    error: Option<String>,
) -> Response {
    let tr = Tr::new(prefs.locale);
    let page = LoginPage {
        heading: tr.t(if register {
            "nav-register"
        } else {
            "nav-login"
        }),
        action: if register { "/register" } else { "/login" },
        register,
        back_q: serde_urlencoded::to_string([("", &back)])
            .unwrap_or_default()
            .trim_start_matches('=')
            .to_owned(),
        back,
        error,
        chrome: Chrome::new(&state.market, prefs, session, "/", "").await,
        tr,
    };
    html(headers, prefs, page.render())
}

/// `GET /login`.
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(b): Query<Back>,
) -> Response {
    form_page(
        &state,
        &headers,
        &prefs,
        &session,
        false,
        local(b.back),
        None,
    )
    .await
}

/// `GET /register`.
pub async fn register_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(b): Query<Back>,
) -> Response {
    form_page(
        &state,
        &headers,
        &prefs,
        &session,
        true,
        local(b.back),
        None,
    )
    .await
}

/// The login and registration form.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    csrf: String,
    email: String,
    password: String,
    display_name: Option<String>,
    back: Option<String>,
}

/// The error in the visitor's language where the page knows the code, else the API's text.
fn message(prefs: &Prefs, e: &MarketError) -> String {
    const KNOWN: [Code; 6] = [
        Code::InvalidCredentials,
        Code::AccountSuspended,
        Code::TooManyAttempts,
        Code::EmailTaken,
        Code::InvalidEmail,
        Code::WeakPassword,
    ];
    if KNOWN.contains(&e.code) {
        Tr::new(prefs.locale).t(&format!("error-{}", e.code.as_str().replace('_', "-")))
    } else {
        e.message.clone()
    }
}

/// `POST /login`: a new session (a new token) on success.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<AccountForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let back = local(f.back);
    let issued = state
        .market
        .login(Credentials {
            email: f.email,
            password: f.password,
        })
        .await;
    finish(&state, &headers, &prefs, &session, false, back, issued).await
}

/// `POST /register`: creates the account and signs in.
pub async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<AccountForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let back = local(f.back);
    let r = Registration {
        email: f.email.clone(),
        password: f.password.clone(),
        display_name: f.display_name.clone().unwrap_or_default(),
        country: Some(prefs.country.clone()),
        locale: Some(prefs.locale.code().to_owned()),
    };
    let done = match state.market.register(r, &[]).await {
        Ok(_) => {
            state
                .market
                .login(Credentials {
                    email: f.email,
                    password: f.password,
                })
                .await
        }
        Err(e) => Err(e),
    };
    finish(&state, &headers, &prefs, &session, true, back, done).await
}

/// After login or registration: a new session and back where the buyer was, or the form again
/// with the reason. A session already open in this browser is ended, so the id always changes.
async fn finish(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &Session,
    register: bool,
    back: String,
    issued: Result<caravan_market::accounts::IssuedToken, MarketError>,
) -> Response {
    match issued {
        Ok(t) => {
            if let Some(old) = &session.0 {
                let _ = state.market.logout(old).await;
            }
            see_other(&back, &[start(&t.token, is_secure(headers))])
        }
        Err(e) => {
            form_page(
                state,
                headers,
                prefs,
                session,
                register,
                back,
                Some(message(prefs, &e)),
            )
            .await
        }
    }
}

/// `POST /logout`: revokes the session's token and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    prefs: Prefs,
    session: Session,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    if let Some(actor) = &session.0 {
        let _ = state.market.logout(actor).await;
    }
    see_other("/", &[end()])
}
