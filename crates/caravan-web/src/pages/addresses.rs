//! The buyer's account page: who is signed in and their address book (add, remove). The cart's
//! checkout form starts from the newest saved address in the ship-to country and can save the
//! one typed there.

use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::{check_csrf, see_other, Session};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::addresses::SavedAddress;
use caravan_market::checkout::Address;
use caravan_market::Market;
use serde::Deserialize;

struct Row {
    id: String,
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    tr: Tr,
    chrome: Chrome,
    name: String,
    email: String,
    count: String,
    rows: Vec<Row>,
    /// (code, label, selected) of every country, by label.
    countries: Vec<(String, String, bool)>,
    saved: bool,
}

/// Whether an address was just saved.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// The address as printed on a parcel, one line each.
fn printed(tr: &Tr, a: &Address) -> Vec<String> {
    let place = tr.country(&a.country);
    [
        Some(a.name.clone()),
        Some(a.line1.clone()),
        a.line2.clone(),
        Some(format!("{} {}", a.postal_code, a.city)),
        Some(place),
        a.phone.clone(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The newest saved address in `country`, to start a checkout form from.
pub(crate) async fn latest_in(market: &Market, actor: &Actor, country: &str) -> Option<Address> {
    market
        .addresses(actor)
        .await
        .ok()?
        .into_iter()
        .map(|s: SavedAddress| s.address)
        .find(|a| a.country == country)
}

/// `GET /account`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(q): Query<Saved>,
) -> Response {
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Faccount", &[]);
    };
    let (me, book) = match tokio::try_join!(state.market.me(actor), state.market.addresses(actor)) {
        Ok(v) => v,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/").await,
    };
    let tr = Tr::new(prefs.locale);
    let countries = super::chrome::all_countries(&tr)
        .into_iter()
        .map(|(code, name)| {
            let selected = code == prefs.country;
            (code, name, selected)
        })
        .collect();
    let page = AccountPage {
        name: me.display_name,
        email: me.email,
        count: tr.count("account-address-count", book.len() as i64),
        rows: book
            .iter()
            .map(|s| Row {
                id: s.id.clone(),
                lines: printed(&tr, &s.address),
            })
            .collect(),
        countries,
        saved: q.saved.is_some(),
        chrome: Chrome::new(&state.market, &prefs, &session, "/account", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The new-address form.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    csrf: String,
    name: String,
    line1: String,
    line2: Option<String>,
    city: String,
    postal_code: String,
    country: String,
    phone: Option<String>,
}

/// `POST /account/addresses`.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<AddressForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Faccount", &[]);
    };
    let a = Address {
        name: f.name,
        line1: f.line1,
        line2: f.line2,
        city: f.city,
        postal_code: f.postal_code,
        country: f.country,
        phone: f.phone,
    };
    match state.market.add_address(actor, a).await {
        Ok(_) => see_other("/account?saved=1", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/account").await,
    }
}

/// The remove button.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
    id: String,
}

/// `POST /account/addresses/remove`.
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<RemoveForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Faccount", &[]);
    };
    match state.market.remove_address(actor, &f.id).await {
        Ok(()) => see_other("/account", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/account").await,
    }
}
