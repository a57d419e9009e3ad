//! Checkout, orders, disputes, payouts and the payment webhook.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiBytes, ApiJson, ApiPath, ApiQuery, Auth, IdemJson, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caravan_market::checkout::{CheckoutRequest, CheckoutView};
use caravan_market::idempotency::Replayable;
use caravan_market::orders::{
    CancelInput, DisputeAnswer, DisputeDecision, DisputeView, NewDispute, OrderView, RefundInput,
    ShipInput,
};
use caravan_market::payouts::{BalanceView, PayoutInput, PayoutView};
use serde::Deserialize;
use serde_json::json;

pub(super) fn replay(r: Replayable) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, "application/json")], r.body).into_response()
}

/// Places one order per store from a cart (or `items`), all or nothing. Requires an
/// `Idempotency-Key`: the same key and body replay the first answer; the same key with another
/// body is 422; while the first is still running, 409.
#[utoipa::path(post, path = "/api/v1/checkout", tag = "buying", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "unique per checkout attempt")),
    request_body = CheckoutRequest,
    responses((status = 201, body = CheckoutView), (status = 400, body = ErrorBody), (status = 402, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn checkout(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    headers: HeaderMap,
    body: IdemJson<CheckoutRequest>,
) -> Result<Response, AppError> {
    let mut req = body.value;
    // A browser client carries the creator link it followed in the site's cookie.
    req.referral = crate::pages::connect::referral(&headers);
    let r = state
        .market
        .checkout(&actor, &body.key, &body.hash, req, locale)
        .await?;
    Ok(replay(r))
}

/// The payment provider's events (`payment.captured`, `payment.failed`), signed with
/// `Caravan-Signature: t=…,v1=…` (HMAC-SHA256 over `t.body`, five-minute tolerance).
#[utoipa::path(post, path = "/api/v1/payments/webhook", tag = "money",
    params(("Caravan-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256>")),
    request_body = caravan_market::payments::WebhookEvent,
    responses((status = 200, description = "Received"), (status = 400, body = ErrorBody)))]
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<Json<serde_json::Value>, AppError> {
    let sig = headers
        .get("caravan-signature")
        .and_then(|v| v.to_str().ok());
    let changed = state.market.payment_webhook(sig, &body).await?;
    Ok(Json(json!({"received": true, "changed": changed})))
}

/// The caller's orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "buying", security(("bearer" = [])),
    responses((status = 200, body = Vec<OrderView>), (status = 401, body = ErrorBody)))]
pub async fn my_orders(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<OrderView>>, AppError> {
    Ok(Json(state.market.my_orders(&actor).await?))
}

/// An order with lines and history (its buyer, its store, or an operator; else 404).
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), responses((status = 200, body = OrderView), (status = 404, body = ErrorBody)))]
pub async fn order(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(state.market.order(&actor, &id).await?))
}

/// Cancels an order before it ships: stock returns, a paid order is refunded in full.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), request_body = CancelInput,
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(c): ApiJson<CancelInput>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(state.market.cancel(&actor, &id, c).await?))
}

/// The buyer confirms receipt: the order completes and the store is credited.
#[utoipa::path(post, path = "/api/v1/orders/{id}/confirm", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")),
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(state.market.confirm_receipt(&actor, &id).await?))
}

/// The store ships a paid order.
#[utoipa::path(post, path = "/api/v1/orders/{id}/ship", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), request_body = ShipInput,
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ship(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(s): ApiJson<ShipInput>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(state.market.ship(&actor, &id, s).await?))
}

/// The carrier delivered the order (reported by the store or an operator).
#[utoipa::path(post, path = "/api/v1/orders/{id}/deliver", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")),
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn deliver(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(state.market.deliver(&actor, &id).await?))
}

/// Refunds all or part of an order (the store or an operator). Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/refund", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`"), ("Idempotency-Key" = String, Header, description = "unique per refund")),
    request_body = RefundInput,
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refund(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    body: IdemJson<RefundInput>,
) -> Result<Response, AppError> {
    Ok(replay(
        state
            .market
            .refund(&actor, &id, &body.key, &body.hash, body.value)
            .await?,
    ))
}

/// The dispute on an order.
#[utoipa::path(get, path = "/api/v1/orders/{id}/dispute", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), responses((status = 200, body = DisputeView), (status = 404, body = ErrorBody)))]
pub async fn dispute(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DisputeView>, AppError> {
    Ok(Json(state.market.dispute(&actor, &id).await?))
}

/// The buyer opens a dispute (shipped, or delivered within the protection window).
#[utoipa::path(post, path = "/api/v1/orders/{id}/dispute", tag = "buying", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), request_body = NewDispute,
    responses((status = 201, body = DisputeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open_dispute(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<NewDispute>,
) -> Result<(StatusCode, Json<DisputeView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.open_dispute(&actor, &id, d).await?),
    ))
}

/// The store answers a dispute.
#[utoipa::path(post, path = "/api/v1/orders/{id}/dispute/answer", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), request_body = DisputeAnswer,
    responses((status = 200, body = DisputeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn answer_dispute(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(a): ApiJson<DisputeAnswer>,
) -> Result<Json<DisputeView>, AppError> {
    Ok(Json(state.market.answer_dispute(&actor, &id, a).await?))
}

/// An operator decides a dispute: refund (all or part) or release to the store.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/dispute/decision", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path, description = "`ord_…`")), request_body = DisputeDecision,
    responses((status = 200, body = DisputeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_dispute(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<DisputeDecision>,
) -> Result<Json<DisputeView>, AppError> {
    Ok(Json(state.market.decide_dispute(&actor, &id, d).await?))
}

/// Open and answered disputes, oldest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/disputes", tag = "operator", security(("bearer" = [])),
    responses((status = 200, body = Vec<DisputeView>), (status = 403, body = ErrorBody)))]
pub async fn disputes(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<DisputeView>>, AppError> {
    Ok(Json(state.market.open_disputes(&actor).await?))
}

/// Order filter.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParam {
    /// Only orders in this status.
    pub status: Option<String>,
}

/// The caller's store's orders, newest first.
#[utoipa::path(get, path = "/api/v1/merchant/orders", tag = "seller", security(("bearer" = [])), params(StatusParam),
    responses((status = 200, body = Vec<OrderView>), (status = 403, body = ErrorBody)))]
pub async fn store_orders(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(p): ApiQuery<StatusParam>,
) -> Result<Json<Vec<OrderView>>, AppError> {
    Ok(Json(
        state
            .market
            .store_orders(&actor, p.status.as_deref())
            .await?,
    ))
}

/// The caller's store's balance: available, in escrow, paid out.
#[utoipa::path(get, path = "/api/v1/merchant/balance", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = BalanceView), (status = 403, body = ErrorBody)))]
pub async fn balance(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<BalanceView>, AppError> {
    Ok(Json(state.market.store_balance(&actor).await?))
}

/// The caller's store's payouts.
#[utoipa::path(get, path = "/api/v1/merchant/payouts", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = Vec<PayoutView>), (status = 403, body = ErrorBody)))]
pub async fn payouts(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<PayoutView>>, AppError> {
    Ok(Json(state.market.payouts(&actor).await?))
}

/// Pays the available balance (or part of it) out. Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/merchant/payouts", tag = "seller", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "unique per payout")), request_body = PayoutInput,
    responses((status = 201, body = PayoutView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_payout(
    State(state): State<AppState>,
    Auth(actor): Auth,
    body: IdemJson<PayoutInput>,
) -> Result<Response, AppError> {
    Ok(replay(
        state
            .market
            .request_payout(&actor, &body.key, &body.hash, body.value)
            .await?,
    ))
}
