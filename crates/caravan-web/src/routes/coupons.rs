//! Coupons: stores create their own, operators the platform's; buyers see what they can use
//! (the wallet), collect the ones that ask for it, and name them at checkout.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::festival::{CouponInput, CouponView};

/// Creates a coupon of the caller's store, in its currency and funded by it.
#[utoipa::path(post, path = "/api/v1/merchant/coupons", tag = "festival", security(("bearer" = [])),
    request_body = CouponInput,
    responses((status = 201, body = CouponView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_store_coupon(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(c): ApiJson<CouponInput>,
) -> Result<(StatusCode, Json<CouponView>), AppError> {
    let created = state.market.create_store_coupon(&actor, c).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The caller's store's coupons with what they used of their budgets.
#[utoipa::path(get, path = "/api/v1/merchant/coupons", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = Vec<CouponView>), (status = 403, body = ErrorBody)))]
pub async fn store_coupons(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CouponView>>, AppError> {
    Ok(Json(state.market.store_coupons(&actor).await?))
}

/// Creates a platform coupon (operators), valid in every store and funded by the platform.
#[utoipa::path(post, path = "/api/v1/admin/coupons", tag = "festival", security(("bearer" = [])),
    request_body = CouponInput,
    responses((status = 201, body = CouponView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_platform_coupon(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(c): ApiJson<CouponInput>,
) -> Result<(StatusCode, Json<CouponView>), AppError> {
    let created = state.market.create_platform_coupon(&actor, c).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The platform's coupons with what they used of their budgets (operators).
#[utoipa::path(get, path = "/api/v1/admin/coupons", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = Vec<CouponView>), (status = 403, body = ErrorBody)))]
pub async fn platform_coupons(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CouponView>>, AppError> {
    Ok(Json(state.market.platform_coupons(&actor).await?))
}

/// The caller's wallet: coupons valid now, with what they collected and used of each.
#[utoipa::path(get, path = "/api/v1/me/coupons", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = Vec<CouponView>)))]
pub async fn wallet(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CouponView>>, AppError> {
    Ok(Json(state.market.wallet(&actor).await?))
}

/// Collects a coupon into the caller's wallet (again: nothing changes).
#[utoipa::path(post, path = "/api/v1/coupons/{code}/collect", tag = "festival", security(("bearer" = [])),
    params(("code" = String, Path, description = "The coupon's code")),
    responses((status = 200, body = CouponView), (status = 422, body = ErrorBody)))]
pub async fn collect(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<CouponView>, AppError> {
    Ok(Json(state.market.collect_coupon(&actor, &code).await?))
}
