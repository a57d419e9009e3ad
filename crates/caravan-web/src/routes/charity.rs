//! Charity programmes: causes (operators create them), stores' pledges, the public meter and
//! remittances to the partner.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_domain::Currency;
use caravan_market::charity::meter::{MeterView, RemitInput, RemittanceView};
use caravan_market::charity::{CauseInput, CauseView, PledgeInput, PledgeView};
use serde::Deserialize;

/// Creates a cause (operators).
#[utoipa::path(post, path = "/api/v1/admin/causes", tag = "campaign sites", security(("bearer" = [])),
    request_body = CauseInput,
    responses((status = 201, body = CauseView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_cause(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiJson(c): ApiJson<CauseInput>,
) -> Result<(StatusCode, Json<CauseView>), AppError> {
    let cause = state.market.create_cause(&actor, c, locale).await?;
    Ok((StatusCode::CREATED, Json(cause)))
}

/// Every cause, latest first.
#[utoipa::path(get, path = "/api/v1/causes", tag = "campaign sites",
    responses((status = 200, body = Vec<CauseView>)))]
pub async fn causes(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<CauseView>>, AppError> {
    Ok(Json(state.market.causes(locale).await?))
}

/// The currency a meter is shown in.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeterParams {
    /// ISO 4217 (EUR).
    pub currency: Option<String>,
    /// Language (en, ru, fr, es, pl, it, tr, zh); else `Accept-Language` (read by `ReqLocale`).
    #[allow(
        dead_code,
        reason = "documented here, read from the query by ReqLocale"
    )]
    pub locale: Option<String>,
}

/// A cause's live meter: raised (confirmed, refunds never counted) and pledged (pending), in
/// the visitor's currency and exactly per currency, with each pledging store's part and the
/// remittances to the partner.
#[utoipa::path(get, path = "/api/v1/causes/{id}/meter", tag = "campaign sites",
    params(("id" = String, Path, description = "`cau_…` or the slug"), MeterParams),
    responses((status = 200, body = MeterView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn meter(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<MeterParams>,
) -> Result<Json<MeterView>, AppError> {
    let currency = match q.currency.as_deref() {
        Some(c) => Currency::parse(c).map_err(caravan_market::MarketError::from)?,
        None => Currency::EUR,
    };
    Ok(Json(state.market.meter(&id, currency, locale).await?))
}

/// The caller's store pledges to a cause (a share of each sale or an amount per unit), or
/// changes its pledge before the cause starts.
#[utoipa::path(put, path = "/api/v1/merchant/pledges/{cause}", tag = "campaign sites", security(("bearer" = [])),
    params(("cause" = String, Path, description = "`cau_…` or the slug")), request_body = PledgeInput,
    responses((status = 200, body = PledgeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pledge(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(cause): ApiPath<String>,
    ApiJson(p): ApiJson<PledgeInput>,
) -> Result<Json<PledgeView>, AppError> {
    Ok(Json(state.market.pledge(&actor, &cause, p, locale).await?))
}

/// Withdraws the caller's store's pledge before the cause starts.
#[utoipa::path(delete, path = "/api/v1/merchant/pledges/{cause}", tag = "campaign sites", security(("bearer" = [])),
    params(("cause" = String, Path, description = "`cau_…` or the slug")),
    responses((status = 204, description = "Withdrawn"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(cause): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.withdraw_pledge(&actor, &cause).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's store's pledges.
#[utoipa::path(get, path = "/api/v1/merchant/pledges", tag = "campaign sites", security(("bearer" = [])),
    responses((status = 200, body = Vec<PledgeView>), (status = 403, body = ErrorBody)))]
pub async fn my_pledges(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<PledgeView>>, AppError> {
    Ok(Json(state.market.my_pledges(&actor, locale).await?))
}

/// Sends a cause's confirmed money to its partner, converted into the cause's currency
/// (operators); a reference used before is 409.
#[utoipa::path(post, path = "/api/v1/admin/causes/{id}/remittances", tag = "campaign sites", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cau_…` or the slug")), request_body = RemitInput,
    responses((status = 201, body = RemittanceView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remit(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<RemitInput>,
) -> Result<(StatusCode, Json<RemittanceView>), AppError> {
    let done = state.market.remit(&actor, &id, r).await?;
    Ok((StatusCode::CREATED, Json(done)))
}
