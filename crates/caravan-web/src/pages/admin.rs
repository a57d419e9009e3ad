//! The operator console: merchant applications and suspensions, disputes (refund in full or in
//! part, or release), exchange rates, categories and their fees, and the list of accounts.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Operator, Page};
use super::i18n::Tr;
use super::seller::parse_price;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use caravan_domain::merchant::MerchantDecision;
use caravan_market::accounts::Actor;
use caravan_market::catalogue::NewCategory;
use caravan_market::merchants::Decision;
use caravan_market::orders::DisputeDecision;
use caravan_market::rates::SetRates;
use caravan_market::Code;
use caravan_market::MarketError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// An open dispute as the console lists it.
struct DisputeRow {
    id: String,
    order_id: String,
    reason: String,
    answer: Option<String>,
    total: String,
    amount_label: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct Console {
    tr: Tr,
    chrome: Chrome,
    pending: Vec<(String, String, String)>,
    active: Vec<(String, String, String)>,
    disputes: Vec<DisputeRow>,
    rates: Vec<(String, String, String)>,
    categories: Vec<(String, String)>,
}

/// `GET /admin` (operators only; others are sent to log in, or shown a 403 page).
pub async fn console(page: Page, Operator(actor): Operator) -> Response {
    match console_page(&page, &actor).await {
        Ok(body) => page.html(body.render()),
        Err(e) => page.failed(e, "/").await,
    }
}

async fn console_page(page: &Page, actor: &Actor) -> Result<Console, MarketError> {
    let m = &page.state.market;
    let describe = |v: caravan_market::merchants::MerchantView| {
        let what = format!(
            "{} · {} · {}",
            v.country, v.settlement_currency, v.default_locale
        );
        (v.id, v.store_name, what)
    };
    let pending = m.list_merchants(actor, Some("pending"), None, Some(100));
    let pending = pending.await?.items;
    let active = m.list_merchants(actor, Some("approved"), None, Some(100));
    let active = active.await?.items;
    let tr = page.tr();
    let rates = m.rates().await?;
    let categories = m.categories(page.prefs.locale).await?;
    Ok(Console {
        pending: pending.into_iter().map(describe).collect(),
        active: active.into_iter().map(describe).collect(),
        disputes: dispute_rows(page, actor, tr).await?,
        rates: rates
            .into_iter()
            .map(|r| (r.currency, r.per_eur, r.source))
            .collect(),
        categories: categories
            .into_iter()
            .map(|c| (c.id, format!("{}{}", "— ".repeat(c.depth as usize), c.name)))
            .collect(),
        chrome: page.chrome("/admin").await,
        tr,
    })
}

/// The open disputes with their orders' totals.
async fn dispute_rows(page: &Page, actor: &Actor, tr: Tr) -> Result<Vec<DisputeRow>, MarketError> {
    let m = &page.state.market;
    let mut rows = Vec::new();
    for d in m.open_disputes(actor).await? {
        let o = m.order(actor, &d.order_id).await?;
        rows.push(DisputeRow {
            id: d.id,
            order_id: d.order_id,
            reason: d.reason,
            answer: d.merchant_answer,
            total: tr.money(o.total.amount_minor, &o.total.currency),
            amount_label: tr.t1("field-refund-amount", "currency", &o.total.currency),
        });
    }
    Ok(rows)
}

/// The decision form (on a store or a creator).
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
    reason: Option<String>,
}

impl DecisionForm {
    /// The decision it asks for; none for an unknown one.
    pub(crate) fn decision(self) -> Option<Decision> {
        let decision = match self.decision.as_str() {
            "approve" => MerchantDecision::Approve,
            "reject" => MerchantDecision::Reject,
            "suspend" => MerchantDecision::Suspend,
            _ => return None,
        };
        let reason = self.reason.filter(|r| !r.trim().is_empty());
        Some(Decision { decision, reason })
    }
}

/// `POST /admin/merchants/{id}/decision`.
pub async fn decide_merchant(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Response {
    let Some(d) = f.decision() else {
        return page.message("unknown decision", "/admin").await;
    };
    let r = page.state.market.decide_merchant(&actor, &id, d).await;
    page.done(r.map(|_| ()), "/admin", "/admin").await
}

/// The dispute decision form; an empty amount refunds in full.
#[derive(Debug, Deserialize)]
pub struct OutcomeForm {
    outcome: String,
    amount: Option<String>,
}

/// `POST /admin/disputes/{id}/decide`.
pub async fn decide_dispute(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OutcomeForm>,
) -> Response {
    // The form names the dispute; the use case takes its order.
    let (order_id, currency) = match disputed_order(&page, &actor, &id).await {
        Ok(found) => found,
        Err(e) => return page.message(&e.message, "/admin").await,
    };
    let amount = f.amount.as_deref().map(str::trim).unwrap_or("");
    let amount_minor = match (
        f.outcome == "refund" && !amount.is_empty(),
        parse_price(amount, &currency),
    ) {
        (false, _) => None,
        (true, Some(m)) => Some(m),
        (true, None) => return page.message(&page.tr().t("error-amount"), "/admin").await,
    };
    let d = DisputeDecision {
        outcome: f.outcome,
        amount_minor,
    };
    let r = page.state.market.decide_dispute(&actor, &order_id, d).await;
    page.done(r.map(|_| ()), "/admin", "/admin").await
}

/// The order an open dispute is about, and its currency.
async fn disputed_order(
    page: &Page,
    actor: &Actor,
    id: &str,
) -> Result<(String, String), MarketError> {
    let m = &page.state.market;
    let open = m.open_disputes(actor).await?;
    let d = open
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| MarketError::not_found("dispute"))?;
    let currency = m.order(actor, &d.order_id).await?.total.currency;
    Ok((d.order_id.clone(), currency))
}

/// The rate form.
#[derive(Debug, Deserialize)]
pub struct RateForm {
    currency: String,
    rate: String,
}

/// `POST /admin/rates`.
pub async fn set_rate(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<RateForm>,
) -> Response {
    let rates = SetRates {
        rates: BTreeMap::from([(f.currency.trim().to_uppercase(), f.rate.trim().to_owned())]),
    };
    let r = page.state.market.set_rates(&actor, rates).await;
    page.done(r.map(|_| ()), "/admin", "/admin").await
}

/// The fee form.
#[derive(Debug, Deserialize)]
pub struct FeeForm {
    category: String,
    fee_bps: String,
}

/// `POST /admin/fees`.
pub async fn set_fee(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<FeeForm>,
) -> Response {
    let r = match f.fee_bps.trim().parse::<i64>() {
        Ok(bps) => {
            page.state
                .market
                .set_category_fee(&actor, &f.category, bps)
                .await
        }
        Err(_) => Err(MarketError::new(
            Code::InvalidFee,
            "a fee rate is 0 to 5000 basis points",
        )),
    };
    page.done(r, "/admin", "/admin").await
}

/// The new-category form: a slug, an optional parent, the English name and, when the console is
/// in another language, the name in that language.
#[derive(Debug, Deserialize)]
pub struct CategoryForm {
    slug: String,
    parent_id: Option<String>,
    name_en: String,
    name_local: Option<String>,
}

/// `POST /admin/categories`.
pub async fn create_category(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<CategoryForm>,
) -> Response {
    let mut names = BTreeMap::from([("en".to_owned(), f.name_en)]);
    let local = page.prefs.locale.code();
    if let Some(n) = f
        .name_local
        .filter(|n| !n.trim().is_empty() && local != "en")
    {
        names.insert(local.to_owned(), n);
    }
    let c = NewCategory {
        slug: f.slug.trim().to_owned(),
        parent_id: f.parent_id.filter(|p| !p.is_empty()),
        position: 0,
        names,
    };
    let r = page.state.market.create_category(&actor, c).await;
    page.done(r.map(|_| ()), "/admin", "/admin").await
}

/// An account as the list shows it.
struct UserRow {
    id: String,
    suspended: bool,
    /// The operator's own row (no suspend button).
    me: bool,
    email: String,
    name: String,
    country: String,
    roles: String,
    iso: String,
    when: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct Users {
    tr: Tr,
    chrome: Chrome,
    users: Vec<UserRow>,
    next: Option<String>,
}

/// Where the list starts.
#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    cursor: Option<String>,
}

/// `GET /admin/users`: accounts, newest first, 50 a page.
pub async fn users(page: Page, Operator(actor): Operator, Query(q): Query<UsersQuery>) -> Response {
    let tr = page.tr();
    let list = page
        .state
        .market
        .list_users(&actor, q.cursor.as_deref(), Some(50));
    let list = match list.await {
        Ok(p) => p,
        Err(e) => return page.failed(e, "/admin").await,
    };
    let me = actor.user_id.to_string();
    let users = list
        .items
        .into_iter()
        .map(|u| user_row(u, &me, tr))
        .collect();
    let body = Users {
        users,
        next: list
            .next_cursor
            .and_then(|c| serde_urlencoded::to_string([("cursor", c)]).ok())
            .map(|q| format!("/admin/users?{q}")),
        chrome: page.chrome("/admin/users").await,
        tr,
    };
    page.html(body.render())
}

fn user_row(u: caravan_market::accounts::UserView, me: &str, tr: Tr) -> UserRow {
    UserRow {
        me: u.id == me,
        id: u.id.clone(),
        suspended: u.suspended,
        when: super::order::millis(&u.created_at)
            .map(|ms| tr.datetime(ms))
            .unwrap_or_default(),
        iso: u.created_at,
        email: u.email,
        name: u.display_name,
        country: u.country.unwrap_or_default(),
        roles: u
            .roles
            .iter()
            .map(|r| tr.t(&format!("role-{}", r.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The suspend / reinstate button.
#[derive(Debug, Deserialize)]
pub struct SuspendForm {
    suspended: String,
}

/// `POST /admin/users/{id}/suspension`.
pub async fn suspend_user(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<SuspendForm>,
) -> Response {
    let suspended = f.suspended == "1";
    let r = page.state.market.suspend_user(&actor, &id, suspended).await;
    page.done(r.map(|_| ()), "/admin/users", "/admin/users")
        .await
}
