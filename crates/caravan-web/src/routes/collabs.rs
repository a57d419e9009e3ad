//! Connect's collaborations: stores publish briefs and decide on applications; creators apply
//! and deliver posts for fixed fees.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::connect::collabs::{
    ApplicationView, CollabApplyInput, CollabDecisionInput, CollabDeliveryInput, CollabInput,
    CollabView,
};

/// The caller's store publishes a collaboration: a brief featuring 1 to 12 of its products,
/// paid per sale (a rate for accepted creators) or by a fixed fee per accepted creator.
#[utoipa::path(post, path = "/api/v1/merchant/collaborations", tag = "connect", security(("bearer" = [])),
    request_body = CollabInput,
    responses((status = 201, body = CollabView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiJson(c): ApiJson<CollabInput>,
) -> Result<(StatusCode, Json<CollabView>), AppError> {
    let view = state.market.create_collab(&actor, c, locale).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The caller's store's collaborations with every application, newest first.
#[utoipa::path(get, path = "/api/v1/merchant/collaborations", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<CollabView>), (status = 403, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<CollabView>>, AppError> {
    Ok(Json(state.market.store_collabs(&actor, locale).await?))
}

/// The store accepts or declines an application (accepting a fixed fee holds it from the
/// store's balance: 409 `insufficient_balance` if it does not cover it), or after the end
/// takes back a fee the creator did not deliver for (`lapse`).
#[utoipa::path(put, path = "/api/v1/merchant/collaborations/{id}/applications/{creator}", tag = "connect", security(("bearer" = [])),
    params(("id" = String, Path, description = "`col_…`"), ("creator" = String, Path, description = "`cre_…`")),
    request_body = CollabDecisionInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath((id, creator)): ApiPath<(String, String)>,
    ApiJson(d): ApiJson<CollabDecisionInput>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(
        state.market.decide_collab(&actor, &id, &creator, d).await?,
    ))
}

/// For the calling creator: collaborations still running and those they applied to, each with
/// their own application.
#[utoipa::path(get, path = "/api/v1/creator/collaborations", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<CollabView>), (status = 403, body = ErrorBody)))]
pub async fn for_creator(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<CollabView>>, AppError> {
    Ok(Json(state.market.creator_collabs(&actor, locale).await?))
}

/// The calling creator applies (once; 409 `collaboration_closed` after the end or with no
/// places left).
#[utoipa::path(post, path = "/api/v1/creator/collaborations/{id}/applications", tag = "connect", security(("bearer" = [])),
    params(("id" = String, Path, description = "`col_…`")), request_body = CollabApplyInput,
    responses((status = 201, body = ApplicationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(a): ApiJson<CollabApplyInput>,
) -> Result<(StatusCode, Json<ApplicationView>), AppError> {
    let view = state.market.apply_to_collab(&actor, &id, a).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The calling creator delivers a published post tagging the brief's products and is paid the
/// held fee (once).
#[utoipa::path(post, path = "/api/v1/creator/collaborations/{id}/delivery", tag = "connect", security(("bearer" = [])),
    params(("id" = String, Path, description = "`col_…`")), request_body = CollabDeliveryInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deliver(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<CollabDeliveryInput>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(state.market.deliver_collab(&actor, &id, d).await?))
}
