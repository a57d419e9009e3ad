//! Public catalogue reads and category management.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::catalogue::{
    CategoryView, NewCategory, ProductDetail, ProductListParams, ProductSummary,
};
use caravan_market::page::Page;

/// The category tree, parents before children, named in the requested language.
#[utoipa::path(get, path = "/api/v1/categories", tag = "catalogue",
    params(("locale" = Option<String>, Query, description = "en, ru, fr, es, pl, it, tr or zh")),
    responses((status = 200, body = Vec<CategoryView>)))]
pub async fn categories(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<CategoryView>>, AppError> {
    Ok(Json(state.market.categories(locale).await?))
}

/// Adds a category (operators).
#[utoipa::path(post, path = "/api/v1/categories", tag = "operator", security(("bearer" = [])),
    request_body = NewCategory,
    responses((status = 201, body = CategoryView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(c): ApiJson<NewCategory>,
) -> Result<(StatusCode, Json<CategoryView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.create_category(&actor, c).await?),
    ))
}

/// Published products of approved stores, filtered, sorted and paged by cursor.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalogue",
    params(ProductListParams),
    responses((status = 200, body = Page<ProductSummary>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiQuery(params): ApiQuery<ProductListParams>,
) -> Result<Json<Page<ProductSummary>>, AppError> {
    Ok(Json(state.market.list_products(params, locale).await?))
}

/// A product with its variants, category path and store.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "`prd_…`"), ("locale" = Option<String>, Query, description = "language of title and description")),
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody)))]
pub async fn product(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProductDetail>, AppError> {
    Ok(Json(state.market.product(&id, locale).await?))
}
