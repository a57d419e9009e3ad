//! What every page shares: the header (search box and the ship-to / language / currency
//! selectors) and product cards.

use super::i18n::Tr;
use super::prefs::{Prefs, DESTINATIONS};
use super::session::Session;
use caravan_domain::account::Role;
use caravan_domain::Country;
use caravan_market::search::SearchItem;
use caravan_market::Market;

/// Each language named in itself.
pub(crate) const LANGUAGES: [(&str, &str); 8] = [
    ("en", "English"),
    ("ru", "Русский"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pl", "Polski"),
    ("it", "Italiano"),
    ("tr", "Türkçe"),
    ("zh", "中文"),
];

/// (code, name) of every country in `tr`'s language, by name: the choices of a country select.
pub(crate) fn all_countries(tr: &Tr) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = Country::all()
        .map(|c| (c.code().to_owned(), tr.country(c.code())))
        .collect();
    tr.sort_by_name(&mut all);
    all
}

/// The header's data.
pub struct Chrome {
    /// `lang` attribute and selected language.
    pub lang: &'static str,
    /// Selected currency.
    pub currency: String,
    /// Selected destination.
    pub country: String,
    /// CSRF token for the forms.
    pub csrf: String,
    /// Where the preferences form returns to.
    pub back: String,
    /// `back`, encoded for a query string.
    pub back_q: String,
    /// What is in the search box.
    pub query: String,
    /// (code, name) of the destinations offered.
    pub countries: Vec<(String, String)>,
    /// (code, name) of the languages.
    pub languages: Vec<(&'static str, &'static str)>,
    /// Currencies with a rate.
    pub currencies: Vec<String>,
    /// Someone is signed in.
    pub signed_in: bool,
    /// The signed-in account runs a store.
    pub merchant: bool,
    /// The signed-in account is an operator.
    pub operator: bool,
    /// The campaign's pop-up promotions showing to this visitor (dismissed notices left out).
    pub promos: Vec<Promo>,
}

/// A banner or a notice across the top of the page.
pub struct Promo {
    /// `pro_…` (the dismiss form's target).
    pub id: String,
    /// A notice can be dismissed; a banner cannot.
    pub notice: bool,
    /// In the visitor's language.
    pub text: String,
    /// Where it leads, if anywhere.
    pub link: Option<String>,
}

/// The promotions showing to a visitor, less the notices they dismissed. A failed read shows
/// none (and is logged): the page itself still answers.
async fn promos(market: &Market, prefs: &Prefs) -> Vec<Promo> {
    match market
        .showing_promotions(Some(&prefs.country), prefs.locale)
        .await
    {
        Ok(list) => list
            .into_iter()
            .filter(|p| p.kind == "banner" || !prefs.dismissed.contains(&p.id))
            .map(|p| Promo {
                notice: p.kind == "notice",
                id: p.id,
                text: p.text,
                link: p.link,
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e.message, "promotions could not be read");
            Vec::new()
        }
    }
}

impl Chrome {
    /// The header for `prefs`, returning to `back`.
    pub async fn new(
        market: &Market,
        prefs: &Prefs,
        session: &Session,
        back: &str,
        query: &str,
    ) -> Self {
        let mut currencies: Vec<String> = market
            .rates()
            .await
            .map(|r| r.into_iter().map(|r| r.currency).collect())
            .unwrap_or_default();
        if !currencies.iter().any(|c| c == "EUR") {
            currencies.push("EUR".to_owned());
        }
        currencies.sort();
        let tr = Tr::new(prefs.locale);
        let mut countries: Vec<(String, String)> = DESTINATIONS
            .iter()
            .filter_map(|c| Country::parse(c).ok())
            .map(|c| (c.code().to_owned(), tr.country(c.code())))
            .collect();
        if !countries.iter().any(|(c, _)| *c == prefs.country) {
            if let Ok(c) = Country::parse(&prefs.country) {
                countries.push((c.code().to_owned(), tr.country(c.code())));
            }
        }
        tr.sort_by_name(&mut countries);
        Self {
            lang: prefs.locale.code(),
            currency: prefs.currency.clone(),
            country: prefs.country.clone(),
            csrf: prefs.csrf.clone(),
            back: back.to_owned(),
            back_q: serde_urlencoded::to_string([("b", back)])
                .unwrap_or_default()
                .trim_start_matches("b=")
                .to_owned(),
            query: query.to_owned(),
            countries,
            languages: LANGUAGES.to_vec(),
            currencies,
            signed_in: session.0.is_some(),
            merchant: session
                .0
                .as_ref()
                .is_some_and(|a| a.roles.contains(&Role::Merchant)),
            operator: session
                .0
                .as_ref()
                .is_some_and(|a| a.roles.contains(&Role::Operator)),
            promos: promos(market, prefs).await,
        }
    }
}

/// A product in a grid.
pub struct Card {
    /// Link to the product page.
    pub href: String,
    /// Title in the buyer's language (or the fallback).
    pub title: String,
    /// First letter, shown when there is no image.
    pub initial: String,
    /// First image.
    pub image: Option<String>,
    /// "from …" in the buyer's currency.
    pub price: String,
    /// Ship-from country.
    pub meta: String,
    /// Nothing in stock.
    pub sold_out: bool,
    /// The title is a machine translation.
    pub machine: bool,
}

impl Card {
    /// The card of a search hit.
    pub fn of(item: &SearchItem, tr: Tr) -> Self {
        let p = &item.product;
        let price = match &item.display_price {
            Some(m) => tr.money(m.amount_minor, &m.currency),
            None => tr.money(p.price_from.amount_minor, &p.price_from.currency),
        };
        Self {
            href: format!("/p/{}", p.id),
            initial: p.title.chars().next().map(String::from).unwrap_or_default(),
            title: p.title.clone(),
            image: p.image.clone(),
            price: tr.t1("product-from", "price", &price),
            meta: tr.t1(
                "product-ships-from",
                "country",
                &tr.country(&p.ship_from_country),
            ),
            sold_out: !p.in_stock,
            machine: p.machine_translated,
        }
    }
}
