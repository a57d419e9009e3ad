//! Campaign sites: operators build them (blocks, polls, quizzes); visitors read them, vote,
//! answer quizzes, cheer, and follow a poll's counts over server-sent events.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, MaybeAuth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_domain::Currency;
use caravan_market::images::ImageView;
use caravan_market::sites::engagement::{
    AnswersInput, CheerInput, CheerView, PollInput, PollView, QuizInput, QuizView, VoteInput,
};
use caravan_market::sites::page::SitePageView;
use caravan_market::sites::{BlockInput, SiteInput, SiteLink, SiteSummary};
use caravan_market::MarketError;
use serde::Deserialize;

/// Creates a campaign site (operators).
#[utoipa::path(post, path = "/api/v1/admin/sites", tag = "campaign sites", security(("bearer" = [])),
    request_body = SiteInput,
    responses((status = 201, body = SiteSummary), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_site(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(s): ApiJson<SiteInput>,
) -> Result<(StatusCode, Json<SiteSummary>), AppError> {
    let site = state.market.create_site(&actor, s).await?;
    Ok((StatusCode::CREATED, Json(site)))
}

/// Uploads a picture for campaign sites (operators; the file as the body: PNG, JPEG, WebP or
/// GIF, at most 5 MiB); put its `url` in a site's `logo` or `hero`.
#[utoipa::path(post, path = "/api/v1/admin/images", tag = "campaign sites", security(("bearer" = [])),
    request_body(content = String, content_type = "application/octet-stream", description = "The image file"),
    responses((status = 201, body = ImageView), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_image(
    State(state): State<AppState>,
    Auth(actor): Auth,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImageView>), AppError> {
    let data = super::merchants::upload(body)?;
    let view = state.market.upload_site_image(&actor, data).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Every campaign site (operators).
#[utoipa::path(get, path = "/api/v1/admin/sites", tag = "campaign sites", security(("bearer" = [])),
    responses((status = 200, body = Vec<SiteSummary>), (status = 403, body = ErrorBody)))]
pub async fn sites(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<SiteSummary>>, AppError> {
    Ok(Json(state.market.sites(&actor).await?))
}

/// Rewrites a campaign site — theme, schedule, texts, blocks — (operators); its slug stays.
#[utoipa::path(put, path = "/api/v1/admin/sites/{slug}", tag = "campaign sites", security(("bearer" = [])),
    params(("slug" = String, Path, description = "the slug or `sit_…`")), request_body = SiteInput,
    responses((status = 200, body = SiteSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_site(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(slug): ApiPath<String>,
    ApiJson(s): ApiJson<SiteInput>,
) -> Result<Json<SiteSummary>, AppError> {
    Ok(Json(state.market.update_site(&actor, &slug, s).await?))
}

/// A site's blocks, in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlocksInput {
    /// At most 24.
    pub blocks: Vec<BlockInput>,
}

/// Replaces a site's blocks, in order (operators): the console's edits.
#[utoipa::path(put, path = "/api/v1/admin/sites/{slug}/blocks", tag = "campaign sites", security(("bearer" = [])),
    params(("slug" = String, Path, description = "the slug or `sit_…`")), request_body = BlocksInput,
    responses((status = 200, body = SiteSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_blocks(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(slug): ApiPath<String>,
    ApiJson(b): ApiJson<BlocksInput>,
) -> Result<Json<SiteSummary>, AppError> {
    let site = state.market.set_site_blocks(&actor, &slug, b.blocks);
    Ok(Json(site.await?))
}

/// Adds a poll or prediction to a site (operators); a poll block then shows it.
#[utoipa::path(post, path = "/api/v1/admin/sites/{slug}/polls", tag = "campaign sites", security(("bearer" = [])),
    params(("slug" = String, Path, description = "the slug or `sit_…`")), request_body = PollInput,
    responses((status = 201, body = PollView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_poll(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(slug): ApiPath<String>,
    ApiJson(p): ApiJson<PollInput>,
) -> Result<(StatusCode, Json<PollView>), AppError> {
    let poll = state.market.create_poll(&actor, &slug, p).await?;
    Ok((StatusCode::CREATED, Json(poll)))
}

/// Adds a quiz to a site (operators); a quiz block then shows it.
#[utoipa::path(post, path = "/api/v1/admin/sites/{slug}/quizzes", tag = "campaign sites", security(("bearer" = [])),
    params(("slug" = String, Path, description = "the slug or `sit_…`")), request_body = QuizInput,
    responses((status = 201, body = QuizView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_quiz(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(slug): ApiPath<String>,
    ApiJson(q): ApiJson<QuizInput>,
) -> Result<(StatusCode, Json<QuizView>), AppError> {
    let quiz = state.market.create_quiz(&actor, &slug, q).await?;
    Ok((StatusCode::CREATED, Json(quiz)))
}

/// The campaign sites visitors may open now, live ones first.
#[utoipa::path(get, path = "/api/v1/sites", tag = "campaign sites",
    responses((status = 200, body = Vec<SiteLink>)))]
pub async fn open_sites(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<SiteLink>>, AppError> {
    Ok(Json(state.market.open_sites(locale).await?))
}

/// How a visitor reads a site.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SiteParams {
    /// ISO 4217 for the meter (EUR).
    pub currency: Option<String>,
    /// Operators: show it outside its schedule.
    pub preview: Option<bool>,
    /// Language (en, ru, fr, es, pl, it, tr, zh); else `Accept-Language` (read by `ReqLocale`).
    #[allow(
        dead_code,
        reason = "documented here, read from the query by ReqLocale"
    )]
    pub locale: Option<String>,
}

/// A campaign site's page: its blocks resolved in the caller's language (fallback English).
/// Before its schedule opens it is 404; once archived, 410 `site_archived`.
#[utoipa::path(get, path = "/api/v1/sites/{slug}", tag = "campaign sites",
    params(("slug" = String, Path, description = "the slug"), SiteParams),
    responses((status = 200, body = SitePageView), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn site(
    State(state): State<AppState>,
    MaybeAuth(actor): MaybeAuth,
    ReqLocale(locale): ReqLocale,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<SiteParams>,
) -> Result<Json<SitePageView>, AppError> {
    let currency = match q.currency.as_deref() {
        Some(c) => Currency::parse(c).map_err(MarketError::from)?,
        None => Currency::EUR,
    };
    let preview = q.preview.unwrap_or(false);
    let page = state
        .market
        .site_page(&slug, locale, currency, actor.as_ref(), preview);
    Ok(Json(page.await?))
}

/// A poll: its counts once the caller voted or the poll closed.
#[utoipa::path(get, path = "/api/v1/polls/{id}", tag = "campaign sites",
    params(("id" = String, Path, description = "`pol_…`")),
    responses((status = 200, body = PollView), (status = 404, body = ErrorBody)))]
pub async fn poll(
    State(state): State<AppState>,
    MaybeAuth(actor): MaybeAuth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<PollView>, AppError> {
    Ok(Json(state.market.poll(&id, locale, actor.as_ref()).await?))
}

/// Votes (signed-in accounts, once per poll): 409 `already_voted` after the first.
#[utoipa::path(post, path = "/api/v1/polls/{id}/votes", tag = "campaign sites", security(("bearer" = [])),
    params(("id" = String, Path, description = "`pol_…`")), request_body = VoteInput,
    responses((status = 201, body = PollView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn vote(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<VoteInput>,
) -> Result<(StatusCode, Json<PollView>), AppError> {
    let poll = state.market.vote(&actor, &id, v, locale).await?;
    Ok((StatusCode::CREATED, Json(poll)))
}

/// A poll's counts as server-sent `poll` events (a `PollView` as JSON) whenever they change,
/// read at most every two seconds; counts show once the caller voted or the poll closed.
#[utoipa::path(get, path = "/api/v1/polls/{id}/stream", tag = "campaign sites",
    params(("id" = String, Path, description = "`pol_…`")),
    responses((status = 200, content_type = "text/event-stream", body = crate::sse::PollEvent), (status = 404, body = ErrorBody)))]
pub async fn poll_stream(
    State(state): State<AppState>,
    MaybeAuth(actor): MaybeAuth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<axum::response::Response, AppError> {
    state.market.poll(&id, locale, actor.as_ref()).await?;
    Ok(crate::sse::poll(state.market.clone(), id, locale, actor))
}

/// Answers a quiz (signed-in accounts, once): a pass collects its coupon into the wallet.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", tag = "campaign sites", security(("bearer" = [])),
    params(("id" = String, Path, description = "`qui_…`")), request_body = AnswersInput,
    responses((status = 201, body = QuizView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer_quiz(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(a): ApiJson<AnswersInput>,
) -> Result<(StatusCode, Json<QuizView>), AppError> {
    let quiz = state.market.answer_quiz(&actor, &id, a, locale).await?;
    Ok((StatusCode::CREATED, Json(quiz)))
}

/// Cheers for a team (signed-in accounts; at most 20 a day per site, 3 seconds apart, else 429
/// `too_many_cheers`); the teams' counts.
#[utoipa::path(post, path = "/api/v1/sites/{slug}/cheers", tag = "campaign sites", security(("bearer" = [])),
    params(("slug" = String, Path, description = "the slug")), request_body = CheerInput,
    responses((status = 200, body = Vec<CheerView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn cheer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(slug): ApiPath<String>,
    ApiJson(c): ApiJson<CheerInput>,
) -> Result<Json<Vec<CheerView>>, AppError> {
    Ok(Json(state.market.cheer(&actor, &slug, c).await?))
}
