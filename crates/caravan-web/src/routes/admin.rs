//! Operator routes: merchant review and accounts.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use caravan_market::accounts::UserView;
use caravan_market::merchants::{Decision, MerchantView};
use caravan_market::page::Page;
use serde::Deserialize;

/// Filter and page for the merchant list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MerchantListParams {
    /// pending, approved, rejected or suspended.
    pub status: Option<String>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1..=100.
    pub limit: Option<i64>,
}

/// Merchants and applications, oldest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/merchants", tag = "operator", security(("bearer" = [])),
    params(MerchantListParams),
    responses((status = 200, body = Page<MerchantView>), (status = 403, body = ErrorBody)))]
pub async fn merchants(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(p): ApiQuery<MerchantListParams>,
) -> Result<Json<Page<MerchantView>>, AppError> {
    Ok(Json(
        state
            .market
            .list_merchants(&actor, p.status.as_deref(), p.cursor.as_deref(), p.limit)
            .await?,
    ))
}

/// Approves, rejects, suspends or reinstates a merchant (operators).
#[utoipa::path(post, path = "/api/v1/admin/merchants/{id}/decision", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path, description = "`mer_…`")),
    request_body = Decision,
    responses((status = 200, body = MerchantView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<Json<MerchantView>, AppError> {
    Ok(Json(state.market.decide_merchant(&actor, &id, d).await?))
}

/// Page parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1..=100.
    pub limit: Option<i64>,
}

/// Accounts, newest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "operator", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Page<UserView>), (status = 403, body = ErrorBody)))]
pub async fn users(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<UserView>>, AppError> {
    Ok(Json(
        state
            .market
            .list_users(&actor, p.cursor.as_deref(), p.limit)
            .await?,
    ))
}

/// Whether an account is suspended.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// `true` suspends (the account's tokens are revoked and it cannot log in), `false` reinstates.
    pub suspended: bool,
}

/// Suspends or reinstates an account (operators; not their own).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/suspension", tag = "operator",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "`usr_…`")),
    request_body = Suspension,
    responses(
        (status = 200, body = UserView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Own account", body = ErrorBody),
    ))]
pub async fn suspend(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(s): ApiJson<Suspension>,
) -> Result<Json<UserView>, AppError> {
    Ok(Json(
        state.market.suspend_user(&actor, &id, s.suspended).await?,
    ))
}
