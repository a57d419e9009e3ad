//! Coupons in the browser: the buyer's wallet (what they can use now, collecting the ones that
//! ask for it), the seller centre's store coupons and the console's platform coupons (a form and
//! what each has used of its budget).

use super::chrome::Chrome;
use super::extract::{CsrfForm, NoFields, Operator, Page, Seller, SignedIn};
use super::i18n::Tr;
use super::seller::parse_price;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::festival::{CouponInput, CouponView};
use caravan_market::{Code, MarketError};
use serde::Deserialize;

/// A coupon as the pages show it.
pub(crate) struct CouponRow {
    pub code: String,
    /// "€5.00 off" or "10% off".
    pub off: String,
    /// "From €40.00", empty without a minimum.
    pub min_spend: String,
    pub until: String,
    /// Store or platform, in words.
    pub funder: String,
    /// "12 of 100 used" (uses and money).
    pub used: String,
    /// "1 of 2 yours".
    pub mine: String,
    pub can_collect: bool,
    pub collected: bool,
}

pub(crate) fn coupon_row(c: &CouponView, tr: Tr) -> CouponRow {
    let off = match (&c.amount, c.percent_bps) {
        (Some(a), _) => tr.money(a.amount_minor, &a.currency),
        (None, Some(bps)) => format!("{}%", bps as f64 / 100.0),
        (None, None) => String::new(),
    };
    let min = &c.min_spend;
    let uses = match c.budget_uses {
        Some(b) => format!("{} / {b}", c.used_uses),
        None => c.used_uses.to_string(),
    };
    let money = match &c.budget {
        Some(b) => format!(
            " · {} / {}",
            tr.money(c.used.amount_minor, &c.used.currency),
            tr.money(b.amount_minor, &b.currency)
        ),
        None => String::new(),
    };
    CouponRow {
        code: c.code.clone(),
        off: tr.t1("coupon-off", "amount", &off),
        min_spend: if min.amount_minor > 0 {
            tr.t1(
                "coupon-min-spend",
                "amount",
                &tr.money(min.amount_minor, &min.currency),
            )
        } else {
            String::new()
        },
        until: tr.t1(
            "coupon-until",
            "when",
            &super::festival::when(tr, &c.valid_to),
        ),
        funder: tr.t(&format!("coupon-scope-{}", c.scope)),
        used: tr.t1("coupon-used", "count", &format!("{uses}{money}")),
        mine: tr.t1(
            "coupon-mine",
            "count",
            &format!("{} / {}", c.my_uses, c.per_buyer),
        ),
        can_collect: c.collect && !c.collected,
        collected: c.collected,
    }
}

#[derive(Template)]
#[template(path = "coupons.html")]
struct WalletPage {
    tr: Tr,
    chrome: Chrome,
    coupons: Vec<CouponRow>,
}

/// `GET /coupons`: the buyer's wallet.
pub async fn wallet(page: Page, SignedIn(actor): SignedIn) -> Response {
    match page.state.market.wallet(&actor).await {
        Ok(all) => {
            let tr = page.tr();
            page.html(
                WalletPage {
                    coupons: all.iter().map(|c| coupon_row(c, tr)).collect(),
                    chrome: page.chrome("/coupons").await,
                    tr,
                }
                .render(),
            )
        }
        Err(e) => page.failed(e, "/").await,
    }
}

/// `POST /coupons/{code}/collect`.
pub async fn collect(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let r = page.state.market.collect_coupon(&actor, &code).await;
    page.done(r.map(|_| ()), "/coupons", "/coupons").await
}

#[derive(Template)]
#[template(path = "coupons_own.html")]
struct OwnPage {
    tr: Tr,
    chrome: Chrome,
    /// Where the form posts and the tab it belongs to.
    action: &'static str,
    back: &'static str,
    /// The currency amounts are typed in.
    currency: String,
    coupons: Vec<CouponRow>,
}

/// `GET /seller/coupons`: the store's coupons and the form for a new one.
pub async fn seller(page: Page, Seller(actor): Seller) -> Response {
    let m = &page.state.market;
    let currency = match m.my_merchant(&actor).await {
        Ok(s) => s.settlement_currency,
        Err(e) => return page.failed(e, "/seller").await,
    };
    let listed = m.store_coupons(&actor).await;
    own_page(&page, listed, "/seller/coupons", "/seller", currency).await
}

/// `GET /admin/coupons`: the platform's coupons and the form for a new one (in euros).
pub async fn console(page: Page, Operator(actor): Operator) -> Response {
    let listed = page.state.market.platform_coupons(&actor).await;
    own_page(&page, listed, "/admin/coupons", "/admin", "EUR".to_owned()).await
}

async fn own_page(
    page: &Page,
    listed: Result<Vec<CouponView>, MarketError>,
    action: &'static str,
    back: &'static str,
    currency: String,
) -> Response {
    match listed {
        Ok(all) => {
            let tr = page.tr();
            page.html(
                OwnPage {
                    coupons: all.iter().map(|c| coupon_row(c, tr)).collect(),
                    chrome: page.chrome(action).await,
                    action,
                    back,
                    currency,
                    tr,
                }
                .render(),
            )
        }
        Err(e) => page.failed(e, back).await,
    }
}

/// The new-coupon form: valid from now for `days`; an amount (in the page's currency) or a
/// percentage; empty budgets are no limit.
#[derive(Debug, Deserialize)]
pub struct CouponForm {
    code: String,
    kind: String,
    value: String,
    min_spend: Option<String>,
    days: i64,
    budget_uses: Option<String>,
    per_buyer: i64,
    collect: Option<String>,
}

impl CouponForm {
    /// The API's input, or the label of the field that is wrong.
    fn input(self, currency: &str, now: i64) -> Result<CouponInput, &'static str> {
        // A percentage has two decimals, like basis points: "12.5" is 1250.
        let value = if self.kind == "percent" {
            parse_price(&self.value, "EUR")
        } else {
            parse_price(&self.value, currency)
        };
        let min = self.min_spend.filter(|s| !s.trim().is_empty());
        let min_spend_minor = match min {
            Some(m) => parse_price(&m, currency).ok_or("field-min-spend")?,
            None => 0,
        };
        let budget = self.budget_uses.filter(|s| !s.trim().is_empty());
        let budget_uses = match budget {
            Some(b) => Some(b.trim().parse().map_err(|_| "field-budget-uses")?),
            None => None,
        };
        let day = 24 * 60 * 60 * 1000;
        Ok(CouponInput {
            code: self.code,
            kind: self.kind,
            value: value.ok_or("field-coupon-value")?,
            currency: Some(currency.to_owned()),
            min_spend_minor,
            valid_from: caravan_domain::rfc3339(now),
            valid_to: caravan_domain::rfc3339(now.saturating_add(self.days.clamp(1, 366) * day)),
            budget_uses,
            budget_minor: None,
            per_buyer: self.per_buyer,
            collect: self.collect.is_some(),
            campaign_id: None,
        })
    }
}

/// `POST /seller/coupons`.
pub async fn create_store(
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<CouponForm>,
) -> Response {
    let back = "/seller/coupons";
    let m = &page.state.market;
    let currency = match m.my_merchant(&actor).await {
        Ok(s) => s.settlement_currency,
        Err(e) => return page.message(&e.message, back).await,
    };
    create(&page, &actor, f, &currency, back, false).await
}

/// `POST /admin/coupons`.
pub async fn create_platform(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<CouponForm>,
) -> Response {
    create(&page, &actor, f, "EUR", "/admin/coupons", true).await
}

async fn create(
    page: &Page,
    actor: &Actor,
    f: CouponForm,
    currency: &str,
    back: &str,
    platform: bool,
) -> Response {
    let m = &page.state.market;
    let input = match f.input(currency, m.now_ms()) {
        Ok(i) => i,
        Err(field) => return page.message(&page.tr().t(field), back).await,
    };
    let r = if platform {
        m.create_platform_coupon(actor, input).await
    } else {
        m.create_store_coupon(actor, input).await
    };
    match r {
        Ok(_) => super::session::see_other(back, &[]),
        Err(e) => {
            let text = super::said(page.prefs.locale, &e, &[Code::InvalidCoupon]);
            page.message(&text, back).await
        }
    }
}
