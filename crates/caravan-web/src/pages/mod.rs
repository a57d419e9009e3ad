//! The marketplace in the browser: server-rendered pages (askama, auto-escaping), Fluent text in
//! eight languages, ICU4X numbers, a cookie for the buyer's language, currency and destination.
//!
//! Every page works without JavaScript; `suggest.js` only fills the search box's suggestions.
//! Responses carry a Content-Security-Policy without inline scripts, and every form a CSRF token.

mod account;
mod addresses;
mod admin;
mod buy;
mod charity;
mod chrome;
mod collabs;
mod commission;
mod completeness;
pub(crate) mod connect;
mod coupons;
mod creator;
mod creator_money;
mod extract;
mod festival;
mod glossary;
pub mod i18n;
mod listing;
mod live;
mod order;
mod posts;
pub mod prefs;
mod promotions;
mod seller;
mod session;
mod shipping;
mod shop;
mod site_console;
mod sites;
mod store_discounts;
mod waiting;

use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrome::Chrome;
use i18n::Tr;
use prefs::{is_secure, Prefs};
use serde::Deserialize;

/// The Content-Security-Policy of every page: our own scripts and styles only, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

const CSS: &str = include_str!("../../assets/site/site.css");
const SUGGEST_JS: &str = include_str!("../../assets/site/suggest.js");
const FESTIVAL_JS: &str = include_str!("../../assets/site/festival.js");
const LIVE_JS: &str = include_str!("../../assets/site/live.js");
const SITE_JS: &str = include_str!("../../assets/site/site.js");
const UPLOT_JS: &str = include_str!("../../assets/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/uplot/uPlot.min.css");

/// The pages and their assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(shop::home))
        .route("/search", get(shop::search))
        .route("/p/{id}", get(shop::product))
        .route("/r/{code}", get(connect::follow))
        .route("/r/post/{post}/{product}", get(connect::follow_post))
        .route("/creator", get(creator::hub))
        .route("/@{handle}", get(creator::profile))
        .route("/creator/apply", post(creator::apply))
        .route("/creator/links", post(creator::create_link))
        .route("/feed", get(posts::feed))
        .route("/creator/posts", post(posts::create))
        .route("/admin/posts/{id}/moderation", post(posts::moderate))
        .route("/admin/tiers", post(creator_money::set_tiers))
        .route("/creator/collaborations", get(collabs::hub))
        .route("/creator/collaborations/{id}/apply", post(collabs::apply))
        .route(
            "/creator/collaborations/{id}/deliver",
            post(collabs::deliver),
        )
        .route("/creator/payout", post(creator_money::payout))
        .route("/creator/settings", post(creator_money::settings))
        .route("/prefs", post(set_prefs))
        .route("/login", get(account::login_page).post(account::login))
        .route(
            "/register",
            get(account::register_page).post(account::register),
        )
        .route("/logout", post(account::logout))
        .route("/account", get(addresses::page))
        .route("/account/addresses", post(addresses::add))
        .route("/account/addresses/remove", post(addresses::remove))
        .route("/cart", get(buy::cart))
        .route("/cart/add", post(buy::add))
        .route("/cart/remove", post(buy::remove))
        .route("/checkout", post(buy::checkout))
        .route("/waiting", get(waiting::page))
        .route("/orders", get(buy::orders))
        .route("/orders/{id}", get(order::show))
        .route("/orders/{id}/dispute", post(order::open_dispute))
        .route("/orders/{id}/dispute/answer", post(order::answer_dispute))
        .route("/orders/{id}/refund", post(order::refund))
        .route("/orders/{id}/confirm", post(buy::confirm))
        .route("/media/{id}", get(media))
        .route("/festival/{slug}", get(festival::campaign))
        .route("/cause/{slug}", get(charity::cause))
        .route("/c/{slug}", get(sites::site))
        .route("/c/{slug}/polls/{id}", post(sites::vote))
        .route("/c/{slug}/polls/{id}/stream", get(sites::poll_stream))
        .route("/c/{slug}/quizzes/{id}", post(sites::answer))
        .route("/c/{slug}/cheers", post(sites::cheer))
        .route("/coupons", get(coupons::wallet))
        .route("/coupons/{code}/collect", post(coupons::collect))
        .route("/promotions/{id}/dismiss", post(promotions::dismiss))
        .merge(seller_pages())
        .merge(admin_pages())
        .merge(assets())
        .layer(axum::middleware::map_response(security_headers))
}

/// The seller centre.
fn seller_pages() -> Router<AppState> {
    Router::new()
        .route("/seller", get(seller::dashboard))
        .route("/seller/orders/{id}/ship", post(seller::ship))
        .route("/seller/products", post(seller::create_product))
        .route("/seller/products/{id}/status", post(seller::set_status))
        .route(
            "/seller/products/{id}",
            get(listing::edit).post(listing::save),
        )
        .route("/seller/products/{id}/variants", post(listing::add_variant))
        .route(
            "/seller/products/{id}/images",
            post(listing::upload).layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route(
            "/seller/coupons",
            get(coupons::seller).post(coupons::create_store),
        )
        .route("/seller/festival", get(festival::seller))
        .route(
            "/seller/collaborations",
            get(collabs::seller).post(collabs::create),
        )
        .route(
            "/seller/collaborations/{id}/{creator}",
            post(collabs::decide),
        )
        .route("/seller/charity", get(charity::seller))
        .route("/seller/charity/{cause}", post(charity::pledge))
        .route("/seller/charity/{cause}/withdraw", post(charity::withdraw))
        .route("/seller/festival/deals", post(festival::enrol))
        .route(
            "/seller/festival/store-discounts",
            post(store_discounts::create),
        )
        .route(
            "/seller/festival/store-discounts/{id}/withdraw",
            post(store_discounts::withdraw),
        )
        .route("/seller/variants/{id}", post(listing::update_variant))
        .route("/seller/shipping", get(shipping::page).post(shipping::save))
        .route("/seller/completeness", get(completeness::page))
        .route(
            "/seller/commission",
            get(commission::page).post(commission::save),
        )
        .route("/seller/shipping/remove", post(shipping::remove))
        .route("/seller/payout", post(seller::payout))
        .route("/seller/orders/{id}/deliver", post(seller::deliver))
}

/// The operator console.
fn admin_pages() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin::console))
        .route(
            "/admin/merchants/{id}/decision",
            post(admin::decide_merchant),
        )
        .route("/admin/disputes/{id}/decide", post(admin::decide_dispute))
        .route("/admin/rates", post(admin::set_rate))
        .route("/admin/categories", post(admin::create_category))
        .route("/admin/users", get(admin::users))
        .route("/admin/users/{id}/suspension", post(admin::suspend_user))
        .route("/admin/fees", post(admin::set_fee))
        .route("/admin/glossary", get(glossary::page).post(glossary::add))
        .route("/admin/creators", get(creator::review))
        .route("/admin/creators/{id}/decision", post(creator::decide))
        .route("/admin/glossary/{id}/delete", post(glossary::delete))
        .route(
            "/admin/coupons",
            get(coupons::console).post(coupons::create_platform),
        )
        .route("/admin/festival", get(festival::console))
        .route("/admin/charity", get(charity::console))
        .route(
            "/admin/sites",
            get(site_console::list).post(site_console::create),
        )
        .route("/admin/sites/{slug}", get(site_console::edit))
        .route(
            "/admin/sites/{slug}/blocks",
            post(site_console::edit_blocks),
        )
        .route("/admin/sites/{slug}/polls", post(site_console::create_poll))
        .route(
            "/admin/sites/{slug}/pictures/{which}",
            post(site_console::upload_picture)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/admin/charity/{cause}/remit", post(charity::remit))
        .route("/admin/festival/campaigns", post(festival::create))
        .route("/admin/festival/promotions", post(promotions::create))
        .route(
            "/admin/festival/promotions/{id}/withdraw",
            post(promotions::withdraw),
        )
        .route("/admin/festival/live", get(live::page))
        .route("/admin/festival/live/stream", get(live::stream))
        .route(
            "/admin/festival/deals/{id}/decision",
            post(festival::decide),
        )
}

/// Styles, scripts and the vendored chart library.
fn assets() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/site.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/assets/suggest.js",
            get(|| async { asset("text/javascript; charset=utf-8", SUGGEST_JS) }),
        )
        .route(
            "/assets/festival.js",
            get(|| async { asset("text/javascript; charset=utf-8", FESTIVAL_JS) }),
        )
        .route(
            "/assets/live.js",
            get(|| async { asset("text/javascript; charset=utf-8", LIVE_JS) }),
        )
        .route(
            "/assets/site.js",
            get(|| async { asset("text/javascript; charset=utf-8", SITE_JS) }),
        )
        .route(
            "/assets/uplot.js",
            get(|| async { asset("text/javascript; charset=utf-8", UPLOT_JS) }),
        )
        .route(
            "/assets/uplot.css",
            get(|| async { asset("text/css; charset=utf-8", UPLOT_CSS) }),
        )
}

/// `GET /media/{id}`: an uploaded image, cached for good (an id never changes its bytes).
async fn media(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::extract::ApiPath(id): crate::extract::ApiPath<String>,
) -> Response {
    match state.market.image(&id).await {
        Ok((content_type, data)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_owned(),
                ),
            ],
            data,
        )
            .into_response(),
        Err(e) => crate::AppError::from(e).into_response(),
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// An HTML response; sets the CSRF cookie on a first visit.
pub(crate) fn html(headers: &HeaderMap, prefs: &Prefs, body: askama::Result<String>) -> Response {
    html_status(headers, prefs, StatusCode::OK, body)
}

fn html_status(
    headers: &HeaderMap,
    prefs: &Prefs,
    status: StatusCode,
    body: askama::Result<String>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let mut res = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if prefs.new_csrf {
        if let Ok(v) = HeaderValue::from_str(&prefs.csrf_cookie(is_secure(headers))) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound {
    tr: Tr,
    chrome: Chrome,
}

/// The 404 page.
pub(crate) async fn not_found(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &session::Session,
) -> Response {
    let page = NotFound {
        tr: Tr::new(prefs.locale),
        chrome: Chrome::new(&state.market, prefs, session, "/", "").await,
    };
    html_status(headers, prefs, StatusCode::NOT_FOUND, page.render())
}

#[derive(Template)]
#[template(path = "message.html")]
struct Message {
    tr: Tr,
    chrome: Chrome,
    message: String,
    back: String,
}

/// An error in the visitor's language where the page knows its code (`error-<code>` keys),
/// else the API's text.
pub(crate) fn said(
    locale: caravan_domain::Locale,
    e: &caravan_market::MarketError,
    known: &[caravan_market::Code],
) -> String {
    if known.contains(&e.code) {
        Tr::new(locale).t(&format!("error-{}", e.code.as_str().replace('_', "-")))
    } else {
        e.message.clone()
    }
}

/// A page explaining why an action did not happen (nothing changed), with a way back.
pub(crate) async fn message(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &session::Session,
    text: &str,
    back: &str,
) -> Response {
    let page = Message {
        tr: Tr::new(prefs.locale),
        chrome: Chrome::new(&state.market, prefs, session, back, "").await,
        message: text.to_owned(),
        back: back.to_owned(),
    };
    html_status(
        headers,
        prefs,
        StatusCode::UNPROCESSABLE_ENTITY,
        page.render(),
    )
}

/// The message page with another status (a 403 for a role the visitor lacks, say).
pub(crate) async fn message_status(
    page: &extract::Page,
    status: StatusCode,
    text: &str,
    back: &str,
) -> Response {
    let body = Message {
        tr: page.tr(),
        chrome: Chrome::new(&page.state.market, &page.prefs, &page.session, back, "").await,
        message: text.to_owned(),
        back: back.to_owned(),
    };
    html_status(&page.headers, &page.prefs, status, body.render())
}

/// The message of an error answer replayed from a money-moving use case.
pub(crate) fn replay_error(body: &str, fallback: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    body["error"]["message"]
        .as_str()
        .unwrap_or(fallback)
        .to_owned()
}

/// The header's preferences form.
#[derive(Debug, Deserialize)]
pub struct PrefsForm {
    locale: String,
    currency: String,
    country: String,
    back: Option<String>,
}

/// `POST /prefs`: remembers language, currency and destination, then goes back.
async fn set_prefs(
    page: extract::Page,
    extract::CsrfForm(f): extract::CsrfForm<PrefsForm>,
) -> Response {
    let Some((locale, currency, country)) =
        prefs::parse(&format!("{}.{}.{}", f.locale, f.currency, f.country))
    else {
        let text = page.tr().t("error-prefs");
        return message_status(&page, StatusCode::BAD_REQUEST, &text, "/").await;
    };
    let chosen = Prefs {
        locale,
        currency,
        country,
        ..page.prefs.clone()
    };
    let back = session::local(f.back);
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&chosen.set_cookie(is_secure(&page.headers))) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
