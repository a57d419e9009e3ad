//! The seller centre's shipping rates: one rule per destination (or the rest of the world) and
//! method, priced by weight band, with an optional free-shipping threshold and a delivery
//! estimate. A rule saved for a destination and method replaces the one that was there.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, Seller};
use super::i18n::Tr;
use super::seller::parse_price;
use askama::Template;
use axum::response::Response;
use caravan_domain::Country;
use caravan_market::shipping::{BandInput, RuleInput, ShippingRulesView};
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
    page: Page,
    Seller(actor): Seller,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Response {
    let view = match page.state.market.shipping(&actor).await {
        Ok(v) => v,
        Err(e) => return page.failed(e, "/seller").await,
    };
    let tr = page.tr();
    let mut places = super::chrome::all_countries(&tr);
    places.insert(0, ("*".to_owned(), tr.t("shipping-rest")));
    let body = RulesPage {
        rules: view
            .rules
            .iter()
            .map(|r| rule_row(r, &view.currency, &tr))
            .collect(),
        places,
        methods: METHODS
            .iter()
            .map(|m| (*m, tr.t(&format!("method-{m}"))))
            .collect(),
        free_label: tr.t1("field-free-over", "currency", &view.currency),
        saved: q.saved.is_some(),
        chrome: page.chrome("/seller/shipping").await,
        tr,
    };
    page.html(body.render())
}

fn rule_row(r: &RuleInput, currency: &str, tr: &Tr) -> RuleRow {
    let band = |b: &BandInput| {
        tr.t2(
            "shipping-band",
            ("grams", &tr.number(b.up_to_grams, 0)),
            ("price", &tr.money(b.price_minor, currency)),
        )
    };
    RuleRow {
        destination: r.destination.clone(),
        place: place(tr, &r.destination),
        method: r.method.clone(),
        method_label: tr.t(&format!("method-{}", r.method)),
        bands: r.bands.iter().map(band).collect(),
        free_over: r.free_over_minor.map(|m| tr.money(m, currency)),
        days: tr.t2(
            "product-delivery-days",
            ("min", &r.min_days.to_string()),
            ("max", &r.max_days.to_string()),
        ),
    }
}

/// A rule as typed: bands one per line (`grams price`), an optional free-shipping threshold.
#[derive(Debug, Deserialize)]
pub struct RuleForm {
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

/// The typed rule in the store's currency, or the message naming the field that is wrong.
fn rule_input(f: RuleForm, currency: &str, tr: &Tr) -> Result<RuleInput, String> {
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
    Ok(RuleInput {
        destination: f.destination.trim().to_owned(),
        method: f.method,
        bands,
        free_over_minor,
        min_days: days(&f.min_days, "field-min-days")?,
        max_days: days(&f.max_days, "field-max-days")?,
    })
}

/// `POST /seller/shipping`: saves one rule (replacing the one for its destination and method).
pub async fn save(page: Page, Seller(actor): Seller, CsrfForm(f): CsrfForm<RuleForm>) -> Response {
    let m = &page.state.market;
    let currency = match m.shipping(&actor).await {
        Ok(v) => v.currency,
        Err(e) => return page.message(&e.message, "/seller/shipping").await,
    };
    let rule = match rule_input(f, &currency, &page.tr()) {
        Ok(r) => r,
        Err(text) => return page.message(&text, "/seller/shipping").await,
    };
    answer(&page, m.put_shipping_rule(&actor, rule).await).await
}

/// The remove button of a rule.
#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    destination: String,
    method: String,
}

/// `POST /seller/shipping/remove`.
pub async fn remove(
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> Response {
    let m = &page.state.market;
    answer(
        &page,
        m.remove_shipping_rule(&actor, &f.destination, &f.method)
            .await,
    )
    .await
}

async fn answer(
    page: &Page,
    done: Result<ShippingRulesView, caravan_market::MarketError>,
) -> Response {
    page.done(
        done.map(|_| ()),
        "/seller/shipping?saved=1",
        "/seller/shipping",
    )
    .await
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
