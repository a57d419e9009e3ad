//! Exchange rates, category fees, shipping rules and carts.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth, CartCaller, CartToken, MaybeAuth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::carts::{CartPatch, CartView, CreatedCart, LineInput, NewCart};
use caravan_market::rates::{RateView, SetRates};
use caravan_market::shipping::{ShippingRules, ShippingRulesView};
use serde::Deserialize;

/// Exchange rates (units per euro).
#[utoipa::path(get, path = "/api/v1/rates", tag = "money", responses((status = 200, body = Vec<RateView>)))]
pub async fn rates(State(state): State<AppState>) -> Result<Json<Vec<RateView>>, AppError> {
    Ok(Json(state.market.rates().await?))
}

/// Sets exchange rates (operators). For the ECB's daily file use `caravan rates import FILE`.
#[utoipa::path(put, path = "/api/v1/admin/rates", tag = "operator", security(("bearer" = [])),
    request_body = SetRates,
    responses((status = 200, body = Vec<RateView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rates(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(r): ApiJson<SetRates>,
) -> Result<Json<Vec<RateView>>, AppError> {
    Ok(Json(state.market.set_rates(&actor, r).await?))
}

/// A category's platform fee.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeInput {
    /// Basis points, 0..=5000 (500 = 5 %).
    pub fee_bps: i64,
}

/// Sets a category's platform fee rate (operators); frozen on each order line at sale.
#[utoipa::path(put, path = "/api/v1/admin/categories/{id}/fee", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cat_…`")), request_body = FeeInput,
    responses((status = 204, description = "Set"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_fee(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(f): ApiJson<FeeInput>,
) -> Result<StatusCode, AppError> {
    state
        .market
        .set_category_fee(&actor, &id, f.fee_bps)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's shipping rules.
#[utoipa::path(get, path = "/api/v1/merchant/shipping", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = ShippingRulesView), (status = 403, body = ErrorBody)))]
pub async fn shipping(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<ShippingRulesView>, AppError> {
    Ok(Json(state.market.shipping(&actor).await?))
}

/// Replaces the caller's shipping rules (per destination or `*` and method: weight bands,
/// free-shipping threshold, delivery days).
#[utoipa::path(put, path = "/api/v1/merchant/shipping", tag = "seller", security(("bearer" = [])),
    request_body = ShippingRules,
    responses((status = 200, body = ShippingRulesView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_shipping(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(s): ApiJson<ShippingRules>,
) -> Result<Json<ShippingRulesView>, AppError> {
    Ok(Json(state.market.set_shipping(&actor, s).await?))
}

/// Creates a cart: the caller's when signed in, otherwise a guest cart whose token (returned
/// once) must be sent as `X-Cart-Token`.
#[utoipa::path(post, path = "/api/v1/carts", tag = "buying", request_body = NewCart,
    responses((status = 201, body = CreatedCart), (status = 422, body = ErrorBody)))]
pub async fn create_cart(
    State(state): State<AppState>,
    MaybeAuth(actor): MaybeAuth,
    ReqLocale(locale): ReqLocale,
    ApiJson(c): ApiJson<NewCart>,
) -> Result<(StatusCode, Json<CreatedCart>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.create_cart(actor.as_ref(), c, locale).await?),
    ))
}

/// A cart, priced on the server and grouped by store with shipping options.
#[utoipa::path(get, path = "/api/v1/carts/{id}", tag = "buying", params(("id" = String, Path, description = "`crt_…`")),
    responses((status = 200, body = CartView), (status = 404, body = ErrorBody)))]
pub async fn cart(
    State(state): State<AppState>,
    caller: CartCaller,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CartView>, AppError> {
    Ok(Json(state.market.cart(&id, caller.access(), locale).await?))
}

/// Changes a cart's destination country or display currency.
#[utoipa::path(patch, path = "/api/v1/carts/{id}", tag = "buying", params(("id" = String, Path, description = "`crt_…`")),
    request_body = CartPatch, responses((status = 200, body = CartView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_cart(
    State(state): State<AppState>,
    caller: CartCaller,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(p): ApiJson<CartPatch>,
) -> Result<Json<CartView>, AppError> {
    Ok(Json(
        state
            .market
            .update_cart(&id, caller.access(), p, locale)
            .await?,
    ))
}

/// Sets how many units of a variant the cart holds (0 removes the line).
#[utoipa::path(post, path = "/api/v1/carts/{id}/lines", tag = "buying", params(("id" = String, Path, description = "`crt_…`")),
    request_body = LineInput,
    responses((status = 200, body = CartView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_line(
    State(state): State<AppState>,
    caller: CartCaller,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(l): ApiJson<LineInput>,
) -> Result<Json<CartView>, AppError> {
    Ok(Json(
        state
            .market
            .set_cart_line(&id, caller.access(), l, locale)
            .await?,
    ))
}

/// Removes a line.
#[utoipa::path(delete, path = "/api/v1/carts/{id}/lines/{variant_id}", tag = "buying",
    params(("id" = String, Path, description = "`crt_…`"), ("variant_id" = String, Path, description = "`var_…`")),
    responses((status = 200, body = CartView), (status = 404, body = ErrorBody)))]
pub async fn remove_line(
    State(state): State<AppState>,
    caller: CartCaller,
    ReqLocale(locale): ReqLocale,
    ApiPath((id, variant_id)): ApiPath<(String, String)>,
) -> Result<Json<CartView>, AppError> {
    let line = LineInput {
        variant_id,
        quantity: 0,
    };
    Ok(Json(
        state
            .market
            .set_cart_line(&id, caller.access(), line, locale)
            .await?,
    ))
}

/// A signed-in buyer takes over a guest cart (send its `X-Cart-Token`).
#[utoipa::path(post, path = "/api/v1/carts/{id}/claim", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`crt_…`")),
    responses((status = 200, body = CartView), (status = 404, body = ErrorBody)))]
pub async fn claim_cart(
    State(state): State<AppState>,
    Auth(actor): Auth,
    CartToken(token): CartToken,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CartView>, AppError> {
    Ok(Json(
        state
            .market
            .claim_cart(&id, &actor, token.as_deref(), locale)
            .await?,
    ))
}
