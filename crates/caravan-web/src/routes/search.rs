//! Product search and suggestions.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiQuery, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use caravan_market::search::{SearchPage, SearchParams, SuggestParams, Suggestions};

/// Full-text search in eight languages with typo tolerance, filters, facet counts and sorts.
/// An empty `q` browses with the filters.
#[utoipa::path(get, path = "/api/v1/search", tag = "catalogue",
    params(SearchParams),
    responses((status = 200, body = SearchPage), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchPage>, AppError> {
    Ok(Json(state.market.search(params, locale).await?))
}

/// Up to ten completions of what the buyer is typing, most frequent first.
#[utoipa::path(get, path = "/api/v1/search/suggest", tag = "catalogue",
    params(SuggestParams),
    responses((status = 200, body = Suggestions), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn suggest(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SuggestParams>,
) -> Result<Json<Suggestions>, AppError> {
    Ok(Json(state.market.suggest(params).await?))
}
