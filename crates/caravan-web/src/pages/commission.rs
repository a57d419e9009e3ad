//! The seller centre's commission for creators: the store's rates (store, category, product;
//! 3–50%), set and removed with forms.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, Seller};
use super::i18n::Tr;
use askama::Template;
use axum::response::Response;
use caravan_market::connect::commission::CommissionRateInput;
use caravan_market::{Code, MarketError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "commission.html")]
struct RatesPage {
    tr: Tr,
    chrome: Chrome,
    /// (scope, scope label, target id, target label, rate).
    rates: Vec<(String, String, String, String, String)>,
    categories: Vec<(String, String)>,
    /// Which creators sold what: (handle, product id, title, units, sales, commission).
    sales: Vec<(String, String, String, i64, String, String)>,
}

/// `GET /seller/commission`.
pub async fn page(page: Page, Seller(actor): Seller) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let (rates, cats, sales) = match (
        m.commission_rates(&actor).await,
        m.categories(page.prefs.locale).await,
        m.creator_sales(&actor).await,
    ) {
        (Ok(r), Ok(c), Ok(s)) => (r, c, s),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page.failed(e, "/seller").await,
    };
    let name = |id: &str| {
        cats.iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    };
    let body = RatesPage {
        sales: sales
            .into_iter()
            .map(|x| {
                let money = |v: &caravan_market::catalogue::MoneyView| {
                    tr.money(v.amount_minor, &v.currency)
                };
                let (sold, earned) = (money(&x.sales), money(&x.commission));
                (x.handle, x.product_id, x.title, x.units, sold, earned)
            })
            .collect(),
        rates: rates
            .iter()
            .map(|r| {
                (
                    r.scope.clone(),
                    tr.t(&format!("commission-scope-{}", r.scope)),
                    r.target_id.clone(),
                    name(&r.target_id),
                    tr.number(r.rate_bps, 2) + " %",
                )
            })
            .collect(),
        categories: cats
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        chrome: page.chrome("/seller/commission").await,
        tr,
    };
    page.html(body.render())
}

/// The form: scope, a category or a product id, the rate in percent (empty removes).
#[derive(Debug, Deserialize)]
pub struct RateForm {
    scope: String,
    category_id: Option<String>,
    product_id: Option<String>,
    percent: Option<String>,
}

/// `POST /seller/commission`.
pub async fn save(page: Page, Seller(actor): Seller, CsrfForm(f): CsrfForm<RateForm>) -> Response {
    let filled = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let target_id = match f.scope.as_str() {
        "category" => filled(f.category_id),
        "product" => filled(f.product_id).map(|p| p.trim_start_matches("/p/").to_owned()),
        _ => None,
    };
    let rate_bps = match filled(f.percent).map(|p| parse_percent(&p)).transpose() {
        Ok(r) => r,
        Err(e) => return page.failed(e, "/seller/commission").await,
    };
    let input = CommissionRateInput {
        scope: f.scope,
        target_id,
        rate_bps,
    };
    let r = page.state.market.set_commission_rate(&actor, input).await;
    page.done(r.map(|_| ()), "/seller/commission", "/seller/commission")
        .await
}

/// `12.5` (or `12,5`) percent in basis points.
fn parse_percent(s: &str) -> Result<i64, MarketError> {
    let bad = || {
        MarketError::new(
            Code::InvalidCommissionRate,
            "a rate is a percentage such as 8 or 12.5",
        )
    };
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.len() > 2
        || whole.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || whole.len() > 3
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

#[cfg(test)]
mod tests {
    use super::parse_percent;

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(parse_percent("8").ok(), Some(800));
        assert_eq!(parse_percent("12,5 %").ok(), Some(1250));
        assert_eq!(parse_percent("3.05").ok(), Some(305));
        for bad in ["", "x", "1.234", "-5", "1000"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }
}
