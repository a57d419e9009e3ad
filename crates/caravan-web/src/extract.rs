//! Extractors that turn every bad request into the API's error envelope.

use crate::error::AppError;
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use caravan_domain::Locale;
use caravan_market::accounts::Actor;
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::Code;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A JSON body: malformed JSON is 400, a schema mismatch (unknown field, wrong type) 422,
/// a wrong content type 415 and an oversized body 413.
pub struct ApiJson<T>(pub T);

/// Whether the request says its body is JSON: `application/json`, with parameters or not
/// (`application/json; charset=utf-8`), and nothing else (`application/jsonx`,
/// `application/problem+json`, `text/json` are refused).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

fn unsupported_media_type() -> AppError {
    AppError::new(
        Code::UnsupportedMediaType,
        "send Content-Type: application/json",
    )
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(unsupported_media_type());
        }
        let ApiBytes(bytes) = ApiBytes::from_request(req, state).await?;
        // Every request body is a JSON object; serde would read a struct from an array too.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                    Ok(_) => AppError::new(Code::InvalidBody, "the body must be a JSON object"),
                    Err(e) => AppError::new(Code::MalformedJson, e.to_string()),
                },
            );
        }
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body: malformed JSON is 400 `malformed_json`, a mismatch with the schema 422
/// `invalid_body`. A whole number written with a fraction (`25.0`) is a whole number: JSON
/// Schema's `integer` accepts it, so the API does too (tried only after the strict read failed,
/// so ordinary bodies are read once).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let strict = match serde_json::from_slice(bytes) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    if strict.classify() != serde_json::error::Category::Data {
        return Err(AppError::new(Code::MalformedJson, strict.to_string()));
    }
    let lenient = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .map(whole_numbers)
        .and_then(|v| serde_json::from_value(v).ok());
    lenient.ok_or_else(|| AppError::new(Code::InvalidBody, strict.to_string()))
}

/// Numbers with no fractional part, within `i64`, as integers.
fn whole_numbers(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            let whole = f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64;
            if whole {
                Value::from(f as i64)
            } else {
                Value::Number(n)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Path parameters: one that cannot be decoded (not UTF-8, say) names no object, so it is a 404
/// `not_found` like any malformed id, in the JSON envelope.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(AppError::new(Code::NotFound, "no such object")),
        }
    }
}

/// A raw body (webhooks): more than the route's limit is 413 `body_too_large`, a body that
/// cannot be read 400 `unreadable_body`, both in the JSON envelope.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(ApiBytes)
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::new(
                        Code::BodyTooLarge,
                        format!("the body exceeds {} bytes", crate::BODY_LIMIT),
                    )
                } else {
                    AppError::new(Code::UnreadableBody, r.body_text())
                }
            })
    }
}

/// Query parameters: a wrong type or format is 400 `invalid_query`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| AppError::new(Code::InvalidQuery, e.body_text()))
    }
}

/// The authenticated caller, from `Authorization: Bearer …`; otherwise 401.
pub struct Auth(pub Actor);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        Ok(Auth(state.market.authenticate(secret).await?))
    }
}

/// The caller if a bearer token is sent (a bad one is 401), else nobody.
pub struct MaybeAuth(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let Auth(actor) = Auth::from_request_parts(parts, state).await?;
            Ok(MaybeAuth(Some(actor)))
        } else {
            Ok(MaybeAuth(None))
        }
    }
}

/// The `X-Cart-Token` header of a guest cart.
pub struct CartToken(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for CartToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(CartToken(
            parts
                .headers
                .get("x-cart-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ))
    }
}

/// Whoever may reach a cart: the signed-in caller and/or the `X-Cart-Token` of a guest cart.
pub struct CartCaller {
    actor: Option<Actor>,
    token: Option<String>,
}

impl CartCaller {
    /// What the market checks against the cart.
    pub fn access(&self) -> caravan_market::carts::CartAccess<'_> {
        caravan_market::carts::CartAccess {
            actor: self.actor.as_ref(),
            token: self.token.as_deref(),
        }
    }
}

impl FromRequestParts<AppState> for CartCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let MaybeAuth(actor) = MaybeAuth::from_request_parts(parts, state).await?;
        let CartToken(token) = CartToken::from_request_parts(parts, state).await?;
        Ok(CartCaller { actor, token })
    }
}

/// A JSON body kept with its SHA-256 and the `Idempotency-Key` header, for money-moving POSTs.
pub struct IdemJson<T> {
    /// The parsed body.
    pub value: T,
    /// SHA-256 (hex) of the raw body.
    pub hash: String,
    /// The `Idempotency-Key` header, checked (after the body, so a bad body is told first).
    pub key: IdempotencyKey,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for IdemJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = req
            .headers()
            .get("idempotency-key")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let json = is_json(req.headers());
        let ApiBytes(bytes) = ApiBytes::from_request(req, state).await?;
        if !json {
            return Err(unsupported_media_type());
        }
        let value = parse_json(&bytes)?;
        let key = IdempotencyKey::parse(key.as_deref())?;
        Ok(IdemJson {
            value,
            hash: sha256_hex(&bytes),
            key,
        })
    }
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The language to answer in: `?locale=` if given (and valid), else the best supported
/// `Accept-Language` entry, else English.
pub struct ReqLocale(pub Locale);

#[derive(Deserialize)]
struct LocaleParam {
    locale: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLocale {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let param = Query::<LocaleParam>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.locale);
        if let Some(tag) = param {
            return Locale::parse(&tag)
                .map(ReqLocale)
                .map_err(|e| AppError::new(Code::InvalidLocale, e.message));
        }
        let header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(ReqLocale(negotiate(header)))
    }
}

/// The supported locale an `Accept-Language` header prefers most (English if none).
pub fn negotiate(header: &str) -> Locale {
    let mut prefs: Vec<(u16, usize, Locale)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let q = (q.clamp(0.0, 1.0) * 1000.0) as u16;
            (q > 0).then_some(())?;
            Locale::parse(tag).ok().map(|l| (q, i, l))
        })
        .collect();
    prefs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    prefs.first().map(|p| p.2).unwrap_or(Locale::En)
}

#[cfg(test)]
mod tests {
    use super::{negotiate, parse_json};
    use caravan_domain::Locale;

    #[test]
    fn large_whole_numbers_written_with_a_fraction_are_read_exactly() {
        // The fuzzer's case: 2^51 − 1 written as a float must not come back as …247.2.
        #[derive(serde::Deserialize)]
        struct Body {
            n: i64,
        }
        let b: Body = parse_json(br#"{"n": 2251799813685247.0}"#).expect("a whole number");
        assert_eq!(b.n, 2_251_799_813_685_247);
        let b: Body = parse_json(br#"{"n": 1125899906842624.0}"#).expect("a whole number");
        assert_eq!(b.n, 1_125_899_906_842_624);
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(negotiate("ru-RU,ru;q=0.9,en-US;q=0.8"), Locale::Ru);
        assert_eq!(negotiate("de-DE,de;q=0.9,fr;q=0.8,en;q=0.7"), Locale::Fr);
        assert_eq!(negotiate("en;q=0.5, pl"), Locale::Pl);
        assert_eq!(negotiate("pl;q=0, tr;q=0.1"), Locale::Tr);
        assert_eq!(negotiate(""), Locale::En);
        assert_eq!(negotiate("*"), Locale::En);
    }
}
