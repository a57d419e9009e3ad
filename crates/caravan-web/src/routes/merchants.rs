//! Applying to sell, a store's public page, and a merchant's own catalogue.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::catalogue::completeness::Completeness;
use caravan_market::catalogue::{
    NewProduct, NewVariant, ProductDetail, ProductListParams, ProductPatch, ProductSummary,
    VariantPatch,
};
use caravan_market::images::ImageView;
use caravan_market::merchants::{Application, MerchantView, PublicMerchant};
use caravan_market::page::Page;
use caravan_market::Code;

/// Applies to sell; an operator reviews the application.
#[utoipa::path(post, path = "/api/v1/merchant-applications", tag = "merchants", security(("bearer" = [])),
    request_body = Application,
    responses((status = 201, body = MerchantView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(a): ApiJson<Application>,
) -> Result<(StatusCode, Json<MerchantView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.apply_to_sell(&actor, a).await?),
    ))
}

/// The caller's store, in any status (pending, approved, rejected, suspended).
#[utoipa::path(get, path = "/api/v1/me/merchant", tag = "merchants", security(("bearer" = [])),
    responses((status = 200, body = MerchantView), (status = 404, body = ErrorBody)))]
pub async fn my_merchant(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<MerchantView>, AppError> {
    Ok(Json(state.market.my_merchant(&actor).await?))
}

/// A store's public page (approved stores only). List its products with `GET /api/v1/products?merchant=`.
#[utoipa::path(get, path = "/api/v1/merchants/{id}", tag = "merchants",
    params(("id" = String, Path, description = "`mer_…`")),
    responses((status = 200, body = PublicMerchant), (status = 404, body = ErrorBody)))]
pub async fn public_merchant(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<PublicMerchant>, AppError> {
    Ok(Json(state.market.public_merchant(&id).await?))
}

/// The caller's own products, drafts included.
#[utoipa::path(get, path = "/api/v1/merchant/products", tag = "seller", security(("bearer" = [])),
    params(ProductListParams),
    responses((status = 200, body = Page<ProductSummary>), (status = 403, body = ErrorBody)))]
pub async fn own_products(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiQuery(params): ApiQuery<ProductListParams>,
) -> Result<Json<Page<ProductSummary>>, AppError> {
    Ok(Json(
        state
            .market
            .list_own_products(&actor, params, locale)
            .await?,
    ))
}

/// Listing completeness per market: for each of the caller's products, the languages without
/// a text (and those machine-translated or queued), and missing images, HS code, or shipping to
/// the marketplace's top destinations; incomplete products first.
#[utoipa::path(get, path = "/api/v1/merchant/completeness", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = Completeness), (status = 403, body = ErrorBody)))]
pub async fn completeness(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Completeness>, AppError> {
    Ok(Json(state.market.listing_completeness(&actor).await?))
}

/// Creates a product with its variants (prices in the store's settlement currency).
#[utoipa::path(post, path = "/api/v1/merchant/products", tag = "seller", security(("bearer" = [])),
    request_body = NewProduct,
    responses((status = 201, body = ProductDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(p): ApiJson<NewProduct>,
) -> Result<(StatusCode, Json<ProductDetail>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.create_product(&actor, p).await?),
    ))
}

/// One of the caller's products; another store's is 404.
#[utoipa::path(get, path = "/api/v1/merchant/products/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`prd_…`")),
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody)))]
pub async fn own_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ProductDetail>, AppError> {
    Ok(Json(state.market.own_product(&actor, &id, locale).await?))
}

/// Edits one of the caller's products (publish with `{"status": "published"}`).
#[utoipa::path(patch, path = "/api/v1/merchant/products/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`prd_…`")),
    request_body = ProductPatch,
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(p): ApiJson<ProductPatch>,
) -> Result<Json<ProductDetail>, AppError> {
    Ok(Json(state.market.update_product(&actor, &id, p).await?))
}

/// Adds a variant to one of the caller's products.
#[utoipa::path(post, path = "/api/v1/merchant/products/{id}/variants", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`prd_…`")),
    request_body = NewVariant,
    responses((status = 201, body = ProductDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_variant(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<NewVariant>,
) -> Result<(StatusCode, Json<ProductDetail>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.add_variant(&actor, &id, v).await?),
    ))
}

/// Edits one of the caller's variants (price, stock, SKU, options).
#[utoipa::path(patch, path = "/api/v1/merchant/variants/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = String, Path, description = "`var_…`")),
    request_body = VariantPatch,
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_variant(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<VariantPatch>,
) -> Result<Json<ProductDetail>, AppError> {
    Ok(Json(state.market.update_variant(&actor, &id, v).await?))
}

/// Uploads a product image (the file itself as the body: PNG, JPEG, WebP or GIF, at most 5 MiB,
/// recognised by its bytes). Put the returned `url` in a product's `images`.
#[utoipa::path(post, path = "/api/v1/merchant/images", tag = "seller", security(("bearer" = [])),
    request_body(content = String, content_type = "application/octet-stream",
        description = "The image file"),
    responses(
        (status = 201, description = "Stored", body = ImageView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an approved store", body = ErrorBody),
        (status = 413, description = "Over 6 MiB", body = ErrorBody),
        (status = 422, description = "Not an accepted image", body = ErrorBody),
    ))]
pub async fn upload_image(
    State(state): State<AppState>,
    Auth(actor): Auth,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImageView>), AppError> {
    let view = state.market.upload_image(&actor, upload(body)?).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// An uploaded file's bytes, or why not (413 over the limit).
pub(super) fn upload(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Vec<u8>, AppError> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                Code::BodyTooLarge,
                format!("an upload is at most {} bytes", crate::UPLOAD_LIMIT),
            )
        } else {
            AppError::new(Code::UnreadableBody, r.body_text())
        }
    })?;
    Ok(body.to_vec())
}
