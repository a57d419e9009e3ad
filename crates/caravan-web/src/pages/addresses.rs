//! The buyer's account page: who is signed in and their address book (add, remove). The cart's
//! checkout form starts from the newest saved address in the ship-to country and can save the
//! one typed there.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, SignedIn};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use caravan_market::checkout::Address;
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

/// `GET /account`.
pub async fn page(page: Page, SignedIn(actor): SignedIn, Query(q): Query<Saved>) -> Response {
    let m = &page.state.market;
    let (me, book) = match tokio::try_join!(m.me(&actor), m.addresses(&actor)) {
        Ok(v) => v,
        Err(e) => return page.failed(e, "/").await,
    };
    let tr = page.tr();
    let countries = super::chrome::all_countries(&tr)
        .into_iter()
        .map(|(code, name)| {
            let selected = code == page.prefs.country;
            (code, name, selected)
        })
        .collect();
    let rows = book
        .iter()
        .map(|s| Row {
            id: s.id.clone(),
            lines: printed(&tr, &s.address),
        })
        .collect();
    let body = AccountPage {
        name: me.display_name,
        email: me.email,
        count: tr.count("account-address-count", book.len() as i64),
        rows,
        countries,
        saved: q.saved.is_some(),
        chrome: page.chrome("/account").await,
        tr,
    };
    page.html(body.render())
}

/// The new-address form.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
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
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<AddressForm>,
) -> Response {
    let a = Address {
        name: f.name,
        line1: f.line1,
        line2: f.line2,
        city: f.city,
        postal_code: f.postal_code,
        country: f.country,
        phone: f.phone,
    };
    let r = page.state.market.add_address(&actor, a).await;
    page.done(r.map(|_| ()), "/account?saved=1", "/account")
        .await
}

/// The remove button.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    id: String,
}

/// `POST /account/addresses/remove`.
pub async fn remove(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> Response {
    let r = page.state.market.remove_address(&actor, &f.id).await;
    page.done(r, "/account", "/account").await
}
