//! The festival: campaigns (operators create them, anyone reads them with their live deals),
//! merchants' deals and the operators' decisions on them, pop-up promotions, the live screen.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ReqLocale};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::festival::{
    CampaignInput, CampaignView, DealDecision, DealInput, DealView, LiveFigures, PromotionInput,
    PromotionView, StoreDiscountBadge, StoreDiscountInput, StoreDiscountView,
};
use serde::Deserialize;

/// Creates a campaign (operators): texts per language, the window, the enrolment rules.
#[utoipa::path(post, path = "/api/v1/admin/campaigns", tag = "festival", security(("bearer" = [])),
    request_body = CampaignInput,
    responses((status = 201, body = CampaignView), (status = 422, body = ErrorBody)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiJson(c): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<CampaignView>), AppError> {
    let created = state.market.create_campaign(&actor, c, locale).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every campaign, newest first, with its phase.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "festival",
    responses((status = 200, body = Vec<CampaignView>)))]
pub async fn campaigns(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<CampaignView>>, AppError> {
    Ok(Json(state.market.campaigns(locale).await?))
}

/// One campaign (by id or slug) with its approved deals: price, reference price, % claimed.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "festival",
    params(("id" = String, Path, description = "`cmp_…` or the campaign's slug")),
    responses((status = 200, body = CampaignView), (status = 404, body = ErrorBody)))]
pub async fn campaign(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CampaignView>, AppError> {
    Ok(Json(state.market.campaign(&id, locale).await?))
}

/// Every deal of a campaign, pending ones included (operators).
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}/deals", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cmp_…` or the slug")),
    responses((status = 200, body = Vec<DealView>), (status = 404, body = ErrorBody)))]
pub async fn campaign_deals(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<DealView>>, AppError> {
    Ok(Json(
        state.market.campaign_deals(&actor, &id, locale).await?,
    ))
}

/// Approves or rejects a pending deal (operators).
#[utoipa::path(post, path = "/api/v1/admin/deals/{id}/decision", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`del_…`")), request_body = DealDecision,
    responses((status = 200, body = DealView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_deal(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<DealDecision>,
) -> Result<Json<DealView>, AppError> {
    Ok(Json(
        state.market.decide_deal(&actor, &id, d, locale).await?,
    ))
}

/// Enrols one of the caller's variants in a campaign with a deal; the reference price (the
/// lowest of the 30 days before the campaign) is frozen now and the deal waits for an operator.
#[utoipa::path(post, path = "/api/v1/merchant/deals", tag = "festival", security(("bearer" = [])),
    request_body = DealInput,
    responses((status = 201, body = DealView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol_deal(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiJson(d): ApiJson<DealInput>,
) -> Result<(StatusCode, Json<DealView>), AppError> {
    let deal = state.market.enrol_deal(&actor, d, locale).await?;
    Ok((StatusCode::CREATED, Json(deal)))
}

/// The caller's deals in every campaign.
#[utoipa::path(get, path = "/api/v1/merchant/deals", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = Vec<DealView>)))]
pub async fn my_deals(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
) -> Result<Json<Vec<DealView>>, AppError> {
    Ok(Json(state.market.my_deals(&actor, locale).await?))
}

/// The live festival screen's figures now (operators): GMV in the platform currency, orders per
/// second, top countries and deals, sold-out count, from the outbox.
#[utoipa::path(get, path = "/api/v1/admin/festival/live", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = LiveFigures), (status = 403, body = ErrorBody)))]
pub async fn live(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<LiveFigures>, AppError> {
    let figures = state.market.live_figures(&actor).await?;
    Ok(Json(LiveFigures::clone(&figures)))
}

/// The same figures as server-sent events (`event: figures`, JSON data), about once a second.
#[utoipa::path(get, path = "/api/v1/admin/festival/live/stream", tag = "festival", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = crate::sse::FiguresEvent), (status = 403, body = ErrorBody)))]
pub async fn live_stream(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<axum::response::Response, AppError> {
    let rx = state.market.watch_live(&actor)?;
    Ok(crate::sse::figures(rx))
}

/// Schedules a pop-up promotion in a campaign (operators): a banner or a dismissible notice,
/// targeted by country and language, shown only in its window.
#[utoipa::path(post, path = "/api/v1/admin/campaigns/{id}/promotions", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cmp_…` or the slug")), request_body = PromotionInput,
    responses((status = 201, body = PromotionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_promotion(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
    ApiJson(p): ApiJson<PromotionInput>,
) -> Result<(StatusCode, Json<PromotionView>), AppError> {
    let created = state
        .market
        .create_promotion(&actor, &id, p, locale)
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every promotion of a campaign with its status, withdrawn ones included (operators).
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}/promotions", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cmp_…` or the slug")),
    responses((status = 200, body = Vec<PromotionView>), (status = 404, body = ErrorBody)))]
pub async fn campaign_promotions(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ReqLocale(locale): ReqLocale,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<PromotionView>>, AppError> {
    Ok(Json(
        state
            .market
            .campaign_promotions(&actor, &id, locale)
            .await?,
    ))
}

/// Withdraws a promotion (operators): it stops showing at once.
#[utoipa::path(delete, path = "/api/v1/admin/promotions/{id}", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`pro_…`")),
    responses((status = 204, description = "Withdrawn"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_promotion(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.withdraw_promotion(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the promotions are shown.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PromotionParams {
    /// The buyer's country (ISO 3166-1 alpha-2); without it, only promotions for everyone.
    pub country: Option<String>,
}

/// The promotions showing now to a buyer in `country` reading the request's language, banners
/// first: what the storefront shows across its pages.
#[utoipa::path(get, path = "/api/v1/promotions", tag = "festival", params(PromotionParams),
    responses((status = 200, body = Vec<PromotionView>), (status = 422, body = ErrorBody)))]
pub async fn promotions(
    State(state): State<AppState>,
    ReqLocale(locale): ReqLocale,
    ApiQuery(p): ApiQuery<PromotionParams>,
) -> Result<Json<Vec<PromotionView>>, AppError> {
    Ok(Json(
        state
            .market
            .showing_promotions(p.country.as_deref(), locale)
            .await?,
    ))
}

/// Gives a discount on the whole store while a campaign is live (merchants): a percentage off
/// every line after the deal prices, from a minimum spend, funded by the store.
#[utoipa::path(post, path = "/api/v1/merchant/store-discounts", tag = "festival", security(("bearer" = [])),
    request_body = StoreDiscountInput,
    responses((status = 201, body = StoreDiscountView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_store_discount(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(d): ApiJson<StoreDiscountInput>,
) -> Result<(StatusCode, Json<StoreDiscountView>), AppError> {
    let created = state.market.create_store_discount(&actor, d).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The store's discounts, newest first (merchants).
#[utoipa::path(get, path = "/api/v1/merchant/store-discounts", tag = "festival", security(("bearer" = [])),
    responses((status = 200, body = Vec<StoreDiscountView>)))]
pub async fn my_store_discounts(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<StoreDiscountView>>, AppError> {
    Ok(Json(state.market.my_store_discounts(&actor).await?))
}

/// Withdraws one of the store's discounts (merchants): later checkouts no longer get it.
#[utoipa::path(delete, path = "/api/v1/merchant/store-discounts/{id}", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`sdc_…`")),
    responses((status = 204, description = "Withdrawn"), (status = 404, body = ErrorBody)))]
pub async fn withdraw_store_discount(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.withdraw_store_discount(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One campaign's figures (operators), by id or slug: GMV, orders, countries, deals — for an
/// ended campaign, its totals from the outbox events of its window.
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}/figures", tag = "festival", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cmp_…` or the slug")),
    responses((status = 200, body = LiveFigures), (status = 404, body = ErrorBody)))]
pub async fn campaign_figures(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<LiveFigures>, AppError> {
    Ok(Json(state.market.campaign_figures(&actor, &id).await?))
}

/// The stores giving a discount on everything during a campaign, largest first.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/store-discounts", tag = "festival",
    params(("id" = String, Path, description = "`cmp_…` or the campaign's slug")),
    responses((status = 200, body = Vec<StoreDiscountBadge>), (status = 404, body = ErrorBody)))]
pub async fn campaign_store_discounts(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<StoreDiscountBadge>>, AppError> {
    Ok(Json(state.market.campaign_store_discounts(&id).await?))
}
