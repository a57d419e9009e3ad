//! The buyer's language, currency and destination (a cookie; a first visit negotiates the
//! language from `Accept-Language`), and the CSRF token every form carries.

use crate::extract::negotiate;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use caravan_domain::{Country, Currency, Locale};
use rand::RngCore;
use std::convert::Infallible;

/// Cookie holding `locale.currency.country`.
pub const PREFS_COOKIE: &str = "caravan_prefs";
/// Cookie holding the ids of the promotion notices this visitor dismissed (`.`-separated).
pub const DISMISSED_COOKIE: &str = "caravan_dismissed";
/// Dismissed notices remembered (the newest).
const MAX_DISMISSED: usize = 20;
/// Cookie holding the CSRF token (double-submit: forms repeat it in a hidden field).
pub const CSRF_COOKIE: &str = "caravan_csrf";
/// Destinations offered in the header (any ISO country is accepted).
pub const DESTINATIONS: [&str; 21] = [
    "RU", "PL", "FR", "ES", "IT", "TR", "CN", "DE", "GB", "US", "NL", "BE", "AT", "CH", "SE", "UA",
    "KZ", "BR", "JP", "CA", "AU",
];

/// What the buyer chose (or what we guessed).
#[derive(Debug, Clone)]
pub struct Prefs {
    /// Language of the pages.
    pub locale: Locale,
    /// Display currency.
    pub currency: String,
    /// Ship-to country.
    pub country: String,
    /// This visitor's CSRF token.
    pub csrf: String,
    /// True when the CSRF cookie has to be set on this response.
    pub new_csrf: bool,
    /// Promotion notices dismissed (`pro_…` ids).
    pub dismissed: Vec<String>,
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The currency and destination a language suggests before the buyer chooses.
pub fn defaults(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Ru => ("RUB", "RU"),
        Locale::Pl => ("PLN", "PL"),
        Locale::Tr => ("TRY", "TR"),
        Locale::Zh => ("CNY", "CN"),
        Locale::Fr => ("EUR", "FR"),
        Locale::Es => ("EUR", "ES"),
        Locale::It => ("EUR", "IT"),
        Locale::En => ("EUR", "GB"),
    }
}

/// Parses `locale.currency.country`; `None` if any part is invalid.
pub fn parse(value: &str) -> Option<(Locale, String, String)> {
    let mut parts = value.split('.');
    let locale = Locale::parse(parts.next()?).ok()?;
    let currency = Currency::parse(parts.next()?).ok()?;
    let country = Country::parse(parts.next()?).ok()?;
    Some((
        locale,
        currency.code().to_owned(),
        country.code().to_owned(),
    ))
}

fn token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl Prefs {
    /// Reads the cookies of a request.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let (locale, currency, country) = match cookie(headers, PREFS_COOKIE).and_then(parse) {
            Some(p) => p,
            None => {
                let locale = negotiate(
                    headers
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or(""),
                );
                let (c, k) = defaults(locale);
                (locale, c.to_owned(), k.to_owned())
            }
        };
        let csrf = cookie(headers, CSRF_COOKIE)
            .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_owned);
        let dismissed = cookie(headers, DISMISSED_COOKIE)
            .unwrap_or("")
            .split('.')
            .filter(|id| id.starts_with("pro_") && id.len() <= 64)
            .take(MAX_DISMISSED)
            .map(str::to_owned)
            .collect();
        Self {
            locale,
            currency,
            country,
            dismissed,
            new_csrf: csrf.is_none(),
            csrf: csrf.unwrap_or_else(token),
        }
    }

    /// `Set-Cookie` for the preferences (a year; readable by the server only).
    pub fn set_cookie(&self, secure: bool) -> String {
        format!(
            "{PREFS_COOKIE}={}.{}.{}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            self.locale.code(),
            self.currency,
            self.country,
            if secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` remembering that notice `id` was dismissed too (a month).
    pub fn dismiss_cookie(&self, id: &str, secure: bool) -> String {
        let mut ids: Vec<&str> = vec![id];
        ids.extend(
            self.dismissed
                .iter()
                .map(String::as_str)
                .filter(|d| *d != id),
        );
        ids.truncate(MAX_DISMISSED);
        format!(
            "{DISMISSED_COOKIE}={}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{}",
            ids.join("."),
            if secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` for the CSRF token.
    pub fn csrf_cookie(&self, secure: bool) -> String {
        format!(
            "{CSRF_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{}",
            self.csrf,
            if secure { "; Secure" } else { "" }
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Prefs {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Prefs::from_headers(&parts.headers))
    }
}

/// Whether the request came over TLS (directly or through a proxy that says so).
pub fn is_secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
