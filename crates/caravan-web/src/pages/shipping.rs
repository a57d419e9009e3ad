//! The seller centre's shipping rates: one rule per destination (or the rest of the world) and
//! method, priced by weight band, with an optional free-shipping threshold and a delivery
//! estimate. A rule saved for a destination and method replaces the one that was there.

use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::seller::parse_price;
use super::session::{check_csrf, see_other, Session};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_domain::Country;
use caravan_market::accounts::Actor;
use caravan_market::shipping::{BandInput, RuleInput, ShippingRules};
use serde::Deserialize;

const METHODS: [&str; 3] = ["economy", "standard", "express"];

/// A rule as the table shows it.
struct RuleRow {
    destination: String,
    place: String,
    method: String,
    method_label: String,
    bands: Vec<String>,
    free_over: Option<String>,
    days: String,
}

#[derive(Template)]
#[template(path = "shipping.html")]
struct RulesPage {
    tr: Tr,
    chrome: Chrome,
    rules: Vec<RuleRow>,
    /// (code, label) of every destination, the rest of the world first.
    places: Vec<(String, String)>,
    methods: Vec<(&'static str, String)>,
    free_label: String,
    saved: bool,
}

/// Whether a rule was just saved.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

fn place(tr: &Tr, destination: &str) -> String {
    if destination == "*" {
        return tr.t("shipping-rest");
    }
    Country::parse(destination)
        .map(|c| tr.country(c.code()))
        .unwrap_or_else(|_| destination.to_owned())
}

/// `GET /seller/shipping`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Response {
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Fseller%2Fshipping", &[]);
    };
    let view = match state.market.shipping(actor).await {
        Ok(v) => v,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    };
    let tr = Tr::new(prefs.locale);
    let currency = view.currency.clone();
    let rules = view
        .rules
        .iter()
        .map(|r| RuleRow {
            destination: r.destination.clone(),
            place: place(&tr, &r.destination),
            method: r.method.clone(),
            method_label: tr.t(&format!("method-{}", r.method)),
            bands: r
                .bands
                .iter()
                .map(|b| {
                    tr.t2(
                        "shipping-band",
                        ("grams", &tr.number(b.up_to_grams, 0)),
                        ("price", &tr.money(b.price_minor, &currency)),
                    )
                })
                .collect(),
            free_over: r.free_over_minor.map(|m| tr.money(m, &currency)),
            days: tr.t2(
                "product-delivery-days",
                ("min", &r.min_days.to_string()),
                ("max", &r.max_days.to_string()),
            ),
        })
        .collect();
    let mut places = super::chrome::all_countries(&tr);
    places.insert(0, ("*".to_owned(), tr.t("shipping-rest")));
    let page = RulesPage {
        rules,
        places,
        methods: METHODS
            .iter()
            .map(|m| (*m, tr.t(&format!("method-{m}"))))
            .collect(),
        free_label: tr.t1("field-free-over", "currency", &currency),
        saved: q.saved.is_some(),
        chrome: Chrome::new(&state.market, &prefs, &session, "/seller/shipping", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The rule form.
#[derive(Debug, Deserialize)]
pub struct RuleForm {
    csrf: String,
    destination: String,
    method: String,
    bands: String,
    free_over: Option<String>,
    min_days: String,
    max_days: String,
}

/// Reads "up-to-grams price" lines (`500 4.90`) into weight bands.
fn bands(text: &str, currency: &str) -> Option<Vec<BandInput>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split_whitespace();
            let grams = parts.next()?.parse::<i64>().ok()?;
            let price = parse_price(parts.next()?, currency)?;
            if parts.next().is_some() {
                return None;
            }
            Some(BandInput {
                up_to_grams: grams,
                price_minor: price,
            })
        })
        .collect()
}

/// Replaces the store's rules with `change` applied to them; the error is for the seller.
async fn replace(
    state: &AppState,
    actor: &Actor,
    change: impl FnOnce(&mut Vec<RuleInput>, &str) -> Result<(), String>,
) -> Result<(), String> {
    let view = state.market.shipping(actor).await.map_err(|e| e.message)?;
    let mut rules = view.rules;
    change(&mut rules, &view.currency)?;
    state
        .market
        .set_shipping(actor, ShippingRules { rules })
        .await
        .map(|_| ())
        .map_err(|e| e.message)
}

/// `POST /seller/shipping`: adds a rule, or replaces the one for the same destination and method.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<RuleForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let tr = Tr::new(prefs.locale);
    let done = replace(&state, actor, |rules, currency| {
        let bands = bands(&f.bands, currency)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| tr.t("field-bands"))?;
        let free_over_minor = match f.free_over.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(
                parse_price(t, currency)
                    .ok_or_else(|| tr.t1("field-free-over", "currency", currency))?,
            ),
        };
        let days = |t: &str, key: &str| t.trim().parse::<i64>().map_err(|_| tr.t(key));
        let rule = RuleInput {
            destination: f.destination.trim().to_owned(),
            method: f.method.clone(),
            bands,
            free_over_minor,
            min_days: days(&f.min_days, "field-min-days")?,
            max_days: days(&f.max_days, "field-max-days")?,
        };
        rules.retain(|r| !(r.destination == rule.destination && r.method == rule.method));
        rules.push(rule);
        Ok(())
    })
    .await;
    answer(&state, &headers, &prefs, &session, done).await
}

/// Which rule to remove.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    csrf: String,
    destination: String,
    method: String,
}

/// `POST /seller/shipping/remove`.
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
        return see_other("/login", &[]);
    };
    let done = replace(&state, actor, |rules, _| {
        rules.retain(|r| !(r.destination == f.destination && r.method == f.method));
        Ok(())
    })
    .await;
    answer(&state, &headers, &prefs, &session, done).await
}

/// Back to the rules after a change, or the reason it was refused.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &Session,
    done: Result<(), String>,
) -> Response {
    match done {
        Ok(()) => see_other("/seller/shipping?saved=1", &[]),
        Err(text) => message(state, headers, prefs, session, &text, "/seller/shipping").await,
    }
}

#[cfg(test)]
mod tests {
    use super::bands;

    #[test]
    fn weight_bands_as_sellers_type_them() {
        let b = bands("500 4.90\n\n 2000 9,50 \n", "EUR").unwrap_or_default();
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].up_to_grams, b[0].price_minor), (500, 490));
        assert_eq!((b[1].up_to_grams, b[1].price_minor), (2000, 950));
        assert!(bands("500", "EUR").is_none());
        assert!(bands("heavy 4.90", "EUR").is_none());
        assert!(bands("500 4.90 extra", "EUR").is_none());
        assert_eq!(bands("", "EUR").map(|b| b.len()), Some(0));
    }
}
