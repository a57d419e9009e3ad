//! Charity in the browser: a cause's public page with its meter (also a campaign site's
//! block), the seller centre's pledges, and the operators' causes with remittances.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Operator, Page, Seller};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_domain::Currency;
use caravan_market::catalogue::MoneyView;
use caravan_market::charity::meter::{MeterView, RemitInput};
use caravan_market::charity::PledgeInput;
use caravan_market::{Code, ErrorKind, MarketError};
use serde::Deserialize;

/// A meter as pages show it.
pub(crate) struct MeterPanel {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub partner: String,
    pub partner_url: String,
    pub state: String,
    pub raised: String,
    pub pledged: String,
    pub target: String,
    /// 0 to 100, for the bar.
    pub percent: i64,
    pub sellers: String,
    /// (store, country, terms, raised, pending).
    pub rows: Vec<(String, String, String, String, String)>,
    /// (reference, amount, date).
    pub remittances: Vec<(String, String, String)>,
    /// What buyers gave at checkout, per currency ("5,00 zł · €2.50"), or empty.
    pub donated: String,
}

/// What a store gives, in words: "10 % of each sale", "€1.50 per item".
pub(crate) fn terms(tr: Tr, kind: &str, value: i64, per_unit: Option<&MoneyView>) -> String {
    match per_unit {
        Some(m) if kind == "per_unit" => tr.t1(
            "charity-terms-per-unit",
            "amount",
            &tr.money(m.amount_minor, &m.currency),
        ),
        _ => tr.t1(
            "charity-terms-percent",
            "share",
            &(tr.number(value, 2) + " %"),
        ),
    }
}

impl MeterPanel {
    pub(crate) fn new(m: &MeterView, tr: Tr) -> Self {
        let money = |v: &MoneyView| tr.money(v.amount_minor, &v.currency);
        let c = &m.cause;
        Self {
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            partner: tr.t1("charity-partner", "partner", &c.partner),
            partner_url: c.partner_url.clone(),
            state: tr.t(&format!("cause-state-{}", c.state)),
            raised: money(&m.raised),
            pledged: money(&m.pledged),
            target: tr.t1("charity-target", "amount", &money(&c.target)),
            percent: m.target_percent.clamp(0, 100),
            sellers: tr.t1("charity-sellers", "count", &m.sellers.to_string()),
            rows: m
                .per_seller
                .iter()
                .map(|s| {
                    let per_unit =
                        (s.kind == "per_unit").then(|| MoneyView::new(s.value, &s.raised.currency));
                    (
                        s.store_name.clone(),
                        tr.country(&s.country),
                        terms(tr, &s.kind, s.value, per_unit.as_ref()),
                        money(&s.raised),
                        money(&s.pledged),
                    )
                })
                .collect(),
            donated: m
                .donated_by_currency
                .iter()
                .map(money)
                .collect::<Vec<_>>()
                .join(" · "),
            remittances: m
                .remittances
                .iter()
                .map(|r| {
                    let day = r.created_at.get(..10).unwrap_or_default().to_owned();
                    (r.reference.clone(), money(&r.amount), day)
                })
                .collect(),
        }
    }
}

/// The meter of `cause` in the visitor's currency.
pub(crate) async fn meter_of(page: &Page, cause: &str) -> Result<MeterView, MarketError> {
    let currency = Currency::parse(&page.prefs.currency).unwrap_or(Currency::EUR);
    page.state
        .market
        .meter(cause, currency, page.prefs.locale)
        .await
}

#[derive(Template)]
#[template(path = "cause.html")]
struct CausePage {
    tr: Tr,
    chrome: Chrome,
    meter: MeterPanel,
}

/// `GET /cause/{slug}`: the cause and its live meter.
pub async fn cause(page: Page, Path(slug): Path<String>) -> Response {
    let m = match meter_of(&page, &slug).await {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => return page.failed(e, "/").await,
    };
    let tr = page.tr();
    let body = CausePage {
        meter: MeterPanel::new(&m, tr),
        chrome: page.chrome(&format!("/cause/{slug}")).await,
        tr,
    };
    page.html(body.render())
}

/// A cause in the seller centre: (id, name, state, its dates, my pledge in words, what my
/// sales raised and have pending, whether the pledge can still change).
struct SellerCause {
    id: String,
    slug: String,
    name: String,
    state: String,
    pledge: Option<String>,
    raised: String,
    locked: bool,
    open: bool,
}

#[derive(Template)]
#[template(path = "seller_charity.html")]
struct SellerPage {
    tr: Tr,
    chrome: Chrome,
    causes: Vec<SellerCause>,
}

/// `GET /seller/charity`.
pub async fn seller(page: Page, Seller(actor): Seller) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let (causes, mine, store) = match (
        m.causes(page.prefs.locale).await,
        m.my_pledges(&actor, page.prefs.locale).await,
        m.my_merchant(&actor).await,
    ) {
        (Ok(c), Ok(p), Ok(s)) => (c, p, s),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page.failed(e, "/seller").await,
    };
    let mut rows = Vec::new();
    for c in causes {
        let pledge = mine.iter().find(|p| p.cause_id == c.id);
        let meter = match meter_of(&page, &c.id).await {
            Ok(x) => x,
            Err(e) => return page.failed(e, "/seller").await,
        };
        let own = meter.per_seller.iter().find(|s| s.merchant_id == store.id);
        let raised = own.map_or_else(String::new, |s| {
            tr.t2(
                "seller-charity-raised",
                (
                    "raised",
                    &tr.money(s.raised.amount_minor, &s.raised.currency),
                ),
                (
                    "pledged",
                    &tr.money(s.pledged.amount_minor, &s.pledged.currency),
                ),
            )
        });
        rows.push(SellerCause {
            pledge: pledge.map(|p| terms(tr, &p.kind, p.value, p.per_unit.as_ref())),
            locked: c.state != "upcoming" && pledge.is_some(),
            open: c.state != "ended",
            state: tr.t(&format!("cause-state-{}", c.state)),
            id: c.id,
            slug: c.slug,
            name: c.name,
            raised,
        });
    }
    let body = SellerPage {
        causes: rows,
        chrome: page.chrome("/seller/charity").await,
        tr,
    };
    page.html(body.render())
}

/// The pledge form: a share in percent, or an amount per item in the store's currency.
#[derive(Debug, Deserialize)]
pub struct PledgeForm {
    kind: String,
    value: String,
}

/// `POST /seller/charity/{cause}`.
pub async fn pledge(
    page: Page,
    Seller(actor): Seller,
    Path(cause): Path<String>,
    CsrfForm(f): CsrfForm<PledgeForm>,
) -> Response {
    let value = match parse_hundredths(&f.value) {
        Ok(v) => v,
        Err(e) => return page.failed(e, "/seller/charity").await,
    };
    let input = PledgeInput {
        kind: f.kind,
        value,
    };
    let m = &page.state.market;
    let r = m.pledge(&actor, &cause, input, page.prefs.locale).await;
    page.done(r.map(|_| ()), "/seller/charity", "/seller/charity")
        .await
}

/// `POST /seller/charity/{cause}/withdraw`.
pub async fn withdraw(
    page: Page,
    Seller(actor): Seller,
    Path(cause): Path<String>,
    CsrfForm(_): CsrfForm<super::extract::NoFields>,
) -> Response {
    let r = page.state.market.withdraw_pledge(&actor, &cause).await;
    page.done(r, "/seller/charity", "/seller/charity").await
}

/// `12.5` (or `12,5`) as hundredths: basis points of a percentage, or cents of an amount.
fn parse_hundredths(s: &str) -> Result<i64, MarketError> {
    let bad = || MarketError::new(Code::InvalidPledge, "write a number such as 10 or 1.50");
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || frac.len() > 2 || whole.len() > 7 || !digits(whole) || !digits(frac) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

#[derive(Template)]
#[template(path = "admin_charity.html")]
struct ConsolePage {
    tr: Tr,
    chrome: Chrome,
    meters: Vec<(String, MeterPanel)>,
}

/// `GET /admin/charity`: every cause's meter, with the remittance form.
pub async fn console(page: Page, Operator(_): Operator) -> Response {
    let tr = page.tr();
    let causes = match page.state.market.causes(page.prefs.locale).await {
        Ok(c) => c,
        Err(e) => return page.failed(e, "/admin").await,
    };
    let mut meters = Vec::new();
    for c in causes {
        match meter_of(&page, &c.id).await {
            Ok(m) => meters.push((c.id, MeterPanel::new(&m, tr))),
            Err(e) => return page.failed(e, "/admin").await,
        }
    }
    let body = ConsolePage {
        meters,
        chrome: page.chrome("/admin/charity").await,
        tr,
    };
    page.html(body.render())
}

/// The remittance form.
#[derive(Debug, Deserialize)]
pub struct RemitForm {
    reference: String,
}

/// `POST /admin/charity/{cause}/remit`.
pub async fn remit(
    page: Page,
    Operator(actor): Operator,
    Path(cause): Path<String>,
    CsrfForm(f): CsrfForm<RemitForm>,
) -> Response {
    let input = RemitInput {
        reference: f.reference,
    };
    let r = page.state.market.remit(&actor, &cause, input).await;
    page.done(r.map(|_| ()), "/admin/charity", "/admin/charity")
        .await
}

#[cfg(test)]
mod tests {
    use super::parse_hundredths;

    #[test]
    fn numbers_become_hundredths() {
        assert_eq!(parse_hundredths("10").ok(), Some(1000));
        assert_eq!(parse_hundredths("1,5").ok(), Some(150));
        assert_eq!(parse_hundredths("2.05 %").ok(), Some(205));
        for bad in ["", "x", "1.234", "-5"] {
            assert!(parse_hundredths(bad).is_err(), "{bad}");
        }
    }
}
