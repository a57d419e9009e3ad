//! The operator console (first part): merchant applications and suspensions, disputes,
//! exchange rates and category fees.

use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::{check_csrf, see_other, Session};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_domain::account::Role;
use caravan_domain::merchant::MerchantDecision;
use caravan_market::merchants::Decision;
use caravan_market::orders::DisputeDecision;
use caravan_market::rates::SetRates;
use caravan_market::MarketError;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "admin.html")]
struct Console {
    tr: Tr,
    chrome: Chrome,
    pending: Vec<(String, String, String)>,
    active: Vec<(String, String, String)>,
    disputes: Vec<(String, String, String)>,
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
    let disputes = m.open_disputes(actor).await.unwrap_or_default();
    let page = Console {
        pending: pending.into_iter().map(describe).collect(),
        active: active.into_iter().map(describe).collect(),
        disputes: disputes
            .into_iter()
            .map(|d| (d.id, d.order_id, d.reason))
            .collect(),
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
        tr: Tr::new(prefs.locale),
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

/// The dispute decision form.
#[derive(Debug, Deserialize)]
pub struct OutcomeForm {
    csrf: String,
    outcome: String,
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
    let d = DisputeDecision {
        outcome: f.outcome,
        amount_minor: None,
    };
    let r = state.market.decide_dispute(actor, &id, d).await.map(|_| ());
    done(&state, &headers, &prefs, &session, r).await
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
        Err(_) => Err(MarketError::invalid(
            "invalid_fee",
            "a fee rate is 0 to 5000 basis points",
        )),
    };
    done(&state, &headers, &prefs, &session, r).await
}
