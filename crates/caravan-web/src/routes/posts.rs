//! Connect's posts: creators' photos and posts, the shoppable feed, posts on a creator's and a
//! product's page, operators' moderation.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::connect::posts::{FeedParams, HidePost, PostInput, PostView};
use caravan_market::images::ImageView;
use caravan_market::page::Page;
use serde::Deserialize;

/// Uploads a photo for posts (the file as the body: PNG, JPEG, WebP or GIF, at most 5 MiB).
#[utoipa::path(post, path = "/api/v1/creator/images", tag = "connect", security(("bearer" = [])),
    request_body(content = String, content_type = "application/octet-stream", description = "The image file"),
    responses((status = 201, body = ImageView), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_image(
    State(state): State<AppState>,
    Auth(actor): Auth,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImageView>), AppError> {
    let data = super::merchants::upload(body)?;
    let view = state.market.upload_creator_image(&actor, data).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Publishes a post: text per language, 1–12 published products, up to 6 of the creator's
/// photos (approved creators).
#[utoipa::path(post, path = "/api/v1/creator/posts", tag = "connect", security(("bearer" = [])),
    request_body = PostInput,
    responses((status = 201, body = PostView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_post(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiJson(p): ApiJson<PostInput>,
) -> Result<(StatusCode, Json<PostView>), AppError> {
    let post = state.market.create_post(&actor, p, locale).await?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// The caller's posts, newest first, hidden ones too (approved creators).
#[utoipa::path(get, path = "/api/v1/creator/posts", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<PostView>), (status = 403, body = ErrorBody)))]
pub async fn my_posts(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<PostView>>, AppError> {
    Ok(Json(state.market.my_posts(&actor, locale).await?))
}

/// A page of a creator's published posts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PostPage {
    /// From `next_cursor`.
    pub cursor: Option<String>,
    /// 1 to 100 (24).
    pub limit: Option<i64>,
}

/// An approved creator's published posts, newest first.
#[utoipa::path(get, path = "/api/v1/creators/{handle}/posts", tag = "connect",
    params(("handle" = String, Path, description = "the handle"), PostPage),
    responses((status = 200, body = Page<PostView>), (status = 404, body = ErrorBody)))]
pub async fn creator_posts(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiPath(handle): ApiPath<String>,
    ApiQuery(q): ApiQuery<PostPage>,
) -> Result<Json<Page<PostView>>, AppError> {
    let m = &state.market;
    let page = m.creator_posts(&handle, q.cursor.as_deref(), q.limit, locale);
    Ok(Json(page.await?))
}

/// The shoppable feed: published posts in a language whose products ship to a country, newest
/// or most bought first.
#[utoipa::path(get, path = "/api/v1/feed", tag = "connect", params(FeedParams),
    responses((status = 200, body = Page<PostView>), (status = 422, body = ErrorBody)))]
pub async fn feed(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<FeedParams>,
) -> Result<Json<Page<PostView>>, AppError> {
    Ok(Json(state.market.feed(q).await?))
}

/// The published posts tagging a product, newest first.
#[utoipa::path(get, path = "/api/v1/products/{id}/posts", tag = "connect",
    params(("id" = String, Path, description = "`prd_…`")),
    responses((status = 200, body = Vec<PostView>)))]
pub async fn product_posts(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<PostView>>, AppError> {
    Ok(Json(state.market.product_posts(&id, locale).await?))
}

/// Recent posts, hidden ones too (operators).
#[utoipa::path(get, path = "/api/v1/admin/posts", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<PostView>), (status = 403, body = ErrorBody)))]
pub async fn moderation(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<PostView>>, AppError> {
    Ok(Json(state.market.moderation_posts(&actor).await?))
}

/// Hides a post (it leaves every page and stops attributing orders) or shows it again
/// (operators).
#[utoipa::path(post, path = "/api/v1/admin/posts/{id}/moderation", tag = "connect", security(("bearer" = [])),
    params(("id" = String, Path, description = "`pst_…`")), request_body = HidePost,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn moderate(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(h): ApiJson<HidePost>,
) -> Result<StatusCode, AppError> {
    state.market.moderate_post(&actor, &id, h).await?;
    Ok(StatusCode::NO_CONTENT)
}
