//! The operator console: merchant applications and suspensions, disputes (refund in full or in
//! part, or release), exchange rates, categories and their fees, and the list of accounts.

use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::seller::parse_price;
use super::session::{check_csrf, see_other, Session};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_domain::account::Role;
use caravan_domain::merchant::MerchantDecision;
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

/// `GET /admin` (operators only; others are sent to log in).
pub async fn console(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
) -> Response {
    let Some(actor) = session
        .0
        .as_ref()
        .filter(|a| a.roles.contains(&Role::Operator))
    else {
        return see_other("/login?back=%2Fadmin", &[]);
    };
    let m = &state.market;
    let describe = |v: caravan_market::merchants::MerchantView| {
        (
            v.id,
            v.store_name,
            format!(
                "{} · {} · {}",
                v.country, v.settlement_currency, v.default_locale
            ),
        )
    };
    let pending = m
        .list_merchants(actor, Some("pending"), None, Some(100))
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let active = m
        .list_merchants(actor, Some("approved"), None, Some(100))
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let tr = Tr::new(prefs.locale);
    let mut disputes = Vec::new();
    for d in m.open_disputes(actor).await.unwrap_or_default() {
        let (total, currency) = match m.order(actor, &d.order_id).await {
            Ok(o) => (
                tr.money(o.total.amount_minor, &o.total.currency),
                o.total.currency,
            ),
            Err(_) => (String::new(), String::new()),
        };
        disputes.push(DisputeRow {
            id: d.id,
            order_id: d.order_id,
            reason: d.reason,
            answer: d.merchant_answer,
            total,
            amount_label: tr.t1("field-refund-amount", "currency", &currency),
        });
    }
    let page = Console {
        pending: pending.into_iter().map(describe).collect(),
        active: active.into_iter().map(describe).collect(),
        disputes,
        rates: m
            .rates()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.currency, r.per_eur, r.source))
            .collect(),
        categories: m
            .categories(prefs.locale)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.id, format!("{}{}", "— ".repeat(c.depth as usize), c.name)))
            .collect(),
        chrome: Chrome::new(m, &prefs, &session, "/admin", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

async fn done(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &Session,
    r: Result<(), MarketError>,
) -> Response {
    match r {
        Ok(()) => see_other("/admin", &[]),
        Err(e) => message(state, headers, prefs, session, &e.message, "/admin").await,
    }
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    reason: Option<String>,
}

/// `POST /admin/merchants/{id}/decision`.
pub async fn decide_merchant(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let decision = match f.decision.as_str() {
        "approve" => MerchantDecision::Approve,
        "reject" => MerchantDecision::Reject,
        "suspend" => MerchantDecision::Suspend,
        _ => {
            return message(
                &state,
                &headers,
                &prefs,
                &session,
                "unknown decision",
                "/admin",
            )
            .await
        }
    };
    let reason = f.reason.filter(|r| !r.trim().is_empty());
    let r = state
        .market
        .decide_merchant(actor, &id, Decision { decision, reason })
        .await
        .map(|_| ());
    done(&state, &headers, &prefs, &session, r).await
}

/// The dispute decision form; an empty amount refunds in full.
#[derive(Debug, Deserialize)]
pub struct OutcomeForm {
    csrf: String,
    outcome: String,
    amount: Option<String>,
}

/// `POST /admin/disputes/{id}/decide`.
pub async fn decide_dispute(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<OutcomeForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    // The form names the dispute; the use case takes its order.
    let (order_id, currency) = match disputed_order(&state, actor, &id).await {
        Ok(found) => found,
        Err(e) => return done(&state, &headers, &prefs, &session, Err(e)).await,
    };
    let amount = f.amount.as_deref().map(str::trim).unwrap_or("");
    let amount_minor = if f.outcome == "refund" && !amount.is_empty() {
        match parse_price(amount, &currency) {
            Some(m) => Some(m),
            None => {
                let text = Tr::new(prefs.locale).t("error-amount");
                return message(&state, &headers, &prefs, &session, &text, "/admin").await;
            }
        }
    } else {
        None
    };
    let d = DisputeDecision {
        outcome: f.outcome,
        amount_minor,
    };
    let r = state
        .market
        .decide_dispute(actor, &order_id, d)
        .await
        .map(|_| ());
    done(&state, &headers, &prefs, &session, r).await
}

/// The order an open dispute is about, and its currency.
async fn disputed_order(
    state: &AppState,
    actor: &caravan_market::accounts::Actor,
    id: &str,
) -> Result<(String, String), MarketError> {
    let open = state.market.open_disputes(actor).await?;
    let d = open
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| MarketError::not_found("dispute"))?;
    let currency = state.market.order(actor, &d.order_id).await?.total.currency;
    Ok((d.order_id.clone(), currency))
}

/// The rate form.
#[derive(Debug, Deserialize)]
pub struct RateForm {
    csrf: String,
    currency: String,
    rate: String,
}

/// `POST /admin/rates`.
pub async fn set_rate(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<RateForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let rates = SetRates {
        rates: BTreeMap::from([(f.currency.trim().to_uppercase(), f.rate.trim().to_owned())]),
    };
    let r = state.market.set_rates(actor, rates).await.map(|_| ());
    done(&state, &headers, &prefs, &session, r).await
}

/// The fee form.
#[derive(Debug, Deserialize)]
pub struct FeeForm {
    csrf: String,
    category: String,
    fee_bps: String,
}

/// `POST /admin/fees`.
pub async fn set_fee(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<FeeForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let r = match f.fee_bps.trim().parse::<i64>() {
        Ok(bps) => state.market.set_category_fee(actor, &f.category, bps).await,
        Err(_) => Err(MarketError::new(
            Code::InvalidFee,
            "a fee rate is 0 to 5000 basis points",
        )),
    };
    done(&state, &headers, &prefs, &session, r).await
}

/// The new-category form: a slug, an optional parent, the English name and, when the console is
/// in another language, the name in that language.
#[derive(Debug, Deserialize)]
pub struct CategoryForm {
    csrf: String,
    slug: String,
    parent_id: Option<String>,
    name_en: String,
    name_local: Option<String>,
}

/// `POST /admin/categories`.
pub async fn create_category(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<CategoryForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let mut names = BTreeMap::from([("en".to_owned(), f.name_en)]);
    let local = prefs.locale.code();
    if let Some(n) = f.name_local.filter(|n| !n.trim().is_empty()) {
        if local != "en" {
            names.insert(local.to_owned(), n);
        }
    }
    let c = NewCategory {
        slug: f.slug.trim().to_owned(),
        parent_id: f.parent_id.filter(|p| !p.is_empty()),
        position: 0,
        names,
    };
    let r = state.market.create_category(actor, c).await.map(|_| ());
    done(&state, &headers, &prefs, &session, r).await
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
pub async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(q): Query<UsersQuery>,
) -> Response {
    let Some(actor) = session
        .0
        .as_ref()
        .filter(|a| a.roles.contains(&Role::Operator))
    else {
        return see_other("/login?back=%2Fadmin%2Fusers", &[]);
    };
    let tr = Tr::new(prefs.locale);
    let page = match state
        .market
        .list_users(actor, q.cursor.as_deref(), Some(50))
        .await
    {
        Ok(p) => p,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/admin").await,
    };
    let users = page
        .items
        .into_iter()
        .map(|u| UserRow {
            me: u.id == actor.user_id.to_string(),
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
        })
        .collect();
    let page = Users {
        users,
        next: page
            .next_cursor
            .and_then(|c| serde_urlencoded::to_string([("cursor", c)]).ok())
            .map(|q| format!("/admin/users?{q}")),
        chrome: Chrome::new(&state.market, &prefs, &session, "/admin/users", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The suspend / reinstate button.
#[derive(Debug, Deserialize)]
pub struct SuspendForm {
    csrf: String,
    suspended: String,
}

/// `POST /admin/users/{id}/suspension`.
pub async fn suspend_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<SuspendForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login?back=%2Fadmin%2Fusers", &[]);
    };
    let suspended = f.suspended == "1";
    match state.market.suspend_user(actor, &id, suspended).await {
        Ok(_) => see_other("/admin/users", &[]),
        Err(e) => {
            message(
                &state,
                &headers,
                &prefs,
                &session,
                &e.message,
                "/admin/users",
            )
            .await
        }
    }
}
