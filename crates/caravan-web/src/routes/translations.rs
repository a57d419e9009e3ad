//! The catalogue's glossary (operators extend it): the words search matches across the eight
//! languages and the built-in translation provider translates with.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::translation::glossary::{GlossaryTermInput, GlossaryTermView};

/// Adds a glossary term (operators): a noun or a modifier with its forms per language, for
/// every category or one category and those below it. Every product is reindexed with it.
#[utoipa::path(post, path = "/api/v1/admin/glossary", tag = "operator", security(("bearer" = [])),
    request_body = GlossaryTermInput,
    responses((status = 201, body = GlossaryTermView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_term(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(t): ApiJson<GlossaryTermInput>,
) -> Result<(StatusCode, Json<GlossaryTermView>), AppError> {
    let mut added = state.market.add_glossary_terms(&actor, vec![t]).await?;
    let term = added
        .pop()
        .ok_or_else(|| AppError::from(caravan_market::MarketError::internal("no term added")))?;
    Ok((StatusCode::CREATED, Json(term)))
}

/// Every glossary term, oldest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/glossary", tag = "operator", security(("bearer" = [])),
    responses((status = 200, body = Vec<GlossaryTermView>), (status = 403, body = ErrorBody)))]
pub async fn terms(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<GlossaryTermView>>, AppError> {
    Ok(Json(state.market.glossary_terms(&actor).await?))
}

/// Deletes a glossary term (operators).
#[utoipa::path(delete, path = "/api/v1/admin/glossary/{id}", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path, description = "`gls_…`")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
pub async fn delete_term(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.delete_glossary_term(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
