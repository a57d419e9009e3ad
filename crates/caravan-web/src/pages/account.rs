//! Registering, logging in and out in the browser.

use super::chrome::Chrome;
use super::extract::{CsrfForm, NoFields, Page};
use super::i18n::Tr;
use super::prefs::{is_secure, Prefs};
use super::session::{end, local, see_other, start};
use askama::Template;
use axum::extract::Query;
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

async fn form_page(page: &Page, register: bool, back: String, error: Option<String>) -> Response {
    let tr = page.tr();
    let heading = tr.t(if register {
        "nav-register"
    } else {
        "nav-login"
    });
    let back_q = serde_urlencoded::to_string([("", &back)])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_owned();
    let body = LoginPage {
        heading,
        action: if register { "/register" } else { "/login" },
        register,
        back_q,
        back,
        error,
        chrome: page.chrome("/").await,
        tr,
    };
    page.html(body.render())
}

/// `GET /login`.
pub async fn login_page(page: Page, Query(b): Query<Back>) -> Response {
    form_page(&page, false, local(b.back), None).await
}

/// `GET /register`.
pub async fn register_page(page: Page, Query(b): Query<Back>) -> Response {
    form_page(&page, true, local(b.back), None).await
}

/// The login and registration form.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    email: String,
    password: String,
    display_name: Option<String>,
    back: Option<String>,
}

/// The account refusals the pages say in the visitor's language.
const ACCOUNT_CODES: [Code; 6] = [
    Code::InvalidCredentials,
    Code::AccountSuspended,
    Code::TooManyAttempts,
    Code::EmailTaken,
    Code::InvalidEmail,
    Code::WeakPassword,
];

fn message(prefs: &Prefs, e: &MarketError) -> String {
    super::said(prefs.locale, e, &ACCOUNT_CODES)
}

/// `POST /login`.
pub async fn login(page: Page, CsrfForm(f): CsrfForm<AccountForm>) -> Response {
    let credentials = Credentials {
        email: f.email,
        password: f.password,
    };
    let issued = page.state.market.login(credentials).await;
    finish(&page, false, local(f.back), issued).await
}

/// `POST /register`: a buyer account, signed in at once.
pub async fn register(page: Page, CsrfForm(f): CsrfForm<AccountForm>) -> Response {
    let r = Registration {
        email: f.email,
        password: f.password,
        display_name: f.display_name.unwrap_or_default(),
        country: Some(page.prefs.country.clone()),
        locale: Some(page.prefs.locale.code().to_owned()),
    };
    let issued = page.state.market.sign_up(r).await;
    finish(&page, true, local(f.back), issued).await
}

/// A new session (the old one ends: a fresh id at each login), or the form again with the error.
async fn finish(
    page: &Page,
    register: bool,
    back: String,
    issued: Result<caravan_market::accounts::IssuedToken, MarketError>,
) -> Response {
    match issued {
        Ok(t) => {
            if let Some(old) = &page.session.0 {
                let _ = page.state.market.logout(old).await;
            }
            see_other(&back, &[start(&t.token, is_secure(&page.headers))])
        }
        Err(e) => {
            let text = message(&page.prefs, &e);
            form_page(page, register, back, Some(text)).await
        }
    }
}

/// `POST /logout`: the session's token is revoked, the cookie dropped.
pub async fn logout(page: Page, CsrfForm(_): CsrfForm<NoFields>) -> Response {
    if let Some(actor) = &page.session.0 {
        let _ = page.state.market.logout(actor).await;
    }
    see_other("/", &[end()])
}
