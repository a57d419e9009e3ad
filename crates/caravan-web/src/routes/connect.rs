//! Connect: creator applications and their review, public profiles, tracking links, merchants'
//! commission rates, creators' settings, earnings and payouts, flagged self-referrals.

use super::admin::MerchantListParams;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdemJson};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::connect::commission::{
    CommissionRateInput, CommissionRateView, CreatorSaleView,
};
use caravan_market::connect::earnings::{
    CreatorPayoutInput, CreatorPayoutView, CreatorSettings, CreatorSettingsView, EarningsView,
    ReferralFlagView,
};
use caravan_market::connect::tiers::{LeaderView, LeaderboardParams, TierInput, TierLadder};
use caravan_market::connect::{
    CreatorApplication, CreatorView, LinkInput, LinkView, PublicCreator,
};
use caravan_market::merchants::Decision;
use caravan_market::page::Page;

/// Applies to be a creator (any signed-in account, once).
#[utoipa::path(post, path = "/api/v1/creator-applications", tag = "connect", security(("bearer" = [])),
    request_body = CreatorApplication,
    responses((status = 201, body = CreatorView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(a): ApiJson<CreatorApplication>,
) -> Result<(StatusCode, Json<CreatorView>), AppError> {
    let c = state.market.apply_to_create(&actor, a).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The caller's creator profile, in any status.
#[utoipa::path(get, path = "/api/v1/me/creator", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = CreatorView), (status = 404, body = ErrorBody)))]
pub async fn my_creator(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<CreatorView>, AppError> {
    Ok(Json(state.market.my_creator(&actor).await?))
}

/// Creators and applications, oldest first (operators).
#[utoipa::path(get, path = "/api/v1/admin/creators", tag = "connect", security(("bearer" = [])),
    params(MerchantListParams),
    responses((status = 200, body = Page<CreatorView>), (status = 403, body = ErrorBody)))]
pub async fn creators(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(p): ApiQuery<MerchantListParams>,
) -> Result<Json<Page<CreatorView>>, AppError> {
    Ok(Json(
        state
            .market
            .list_creators(&actor, p.status.as_deref(), p.cursor.as_deref(), p.limit)
            .await?,
    ))
}

/// Approves, rejects, suspends or reinstates a creator (operators).
#[utoipa::path(post, path = "/api/v1/admin/creators/{id}/decision", tag = "connect", security(("bearer" = [])),
    params(("id" = String, Path, description = "`cre_…`")),
    request_body = Decision,
    responses((status = 200, body = CreatorView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<Json<CreatorView>, AppError> {
    Ok(Json(state.market.decide_creator(&actor, &id, d).await?))
}

/// An approved creator's public profile.
#[utoipa::path(get, path = "/api/v1/creators/{handle}", tag = "connect",
    params(("handle" = String, Path, description = "the handle, with or without `@`")),
    responses((status = 200, body = PublicCreator), (status = 404, body = ErrorBody)))]
pub async fn public_creator(
    State(state): State<AppState>,
    ApiPath(handle): ApiPath<String>,
) -> Result<Json<PublicCreator>, AppError> {
    Ok(Json(state.market.public_creator(&handle).await?))
}

/// Makes a tracking link (`/r/{code}`) to a published product or a campaign (approved creators).
#[utoipa::path(post, path = "/api/v1/creator/links", tag = "connect", security(("bearer" = [])),
    request_body = LinkInput,
    responses((status = 201, body = LinkView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_link(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(l): ApiJson<LinkInput>,
) -> Result<(StatusCode, Json<LinkView>), AppError> {
    let link = state.market.create_link(&actor, l).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// The caller's tracking links with their clicks, newest first (approved creators).
#[utoipa::path(get, path = "/api/v1/creator/links", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<LinkView>), (status = 403, body = ErrorBody)))]
pub async fn links(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<LinkView>>, AppError> {
    Ok(Json(state.market.my_links(&actor).await?))
}

/// The caller's commission rates for creators (merchants).
#[utoipa::path(get, path = "/api/v1/merchant/commission-rates", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommissionRateView>), (status = 403, body = ErrorBody)))]
pub async fn commission_rates(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CommissionRateView>>, AppError> {
    Ok(Json(state.market.commission_rates(&actor).await?))
}

/// Sets (or, with `rate_bps: null`, removes) a commission rate for the store, a category or one
/// of its products, 3–50%; the most specific is frozen on each order line at sale. Answers every
/// rate of the store.
#[utoipa::path(put, path = "/api/v1/merchant/commission-rates", tag = "connect", security(("bearer" = [])),
    request_body = CommissionRateInput,
    responses((status = 200, body = Vec<CommissionRateView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_commission_rate(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(r): ApiJson<CommissionRateInput>,
) -> Result<Json<Vec<CommissionRateView>>, AppError> {
    Ok(Json(state.market.set_commission_rate(&actor, r).await?))
}

/// The caller's creator settings: checkout code, payout currency, tier bonus.
#[utoipa::path(get, path = "/api/v1/me/creator/settings", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = CreatorSettingsView), (status = 404, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<CreatorSettingsView>, AppError> {
    Ok(Json(state.market.creator_settings(&actor).await?))
}

/// Sets the checkout code buyers may type (unique; beats any link) and the payout currency
/// (approved creators).
#[utoipa::path(put, path = "/api/v1/me/creator/settings", tag = "connect", security(("bearer" = [])),
    request_body = CreatorSettings,
    responses((status = 200, body = CreatorSettingsView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_settings(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(s): ApiJson<CreatorSettings>,
) -> Result<Json<CreatorSettingsView>, AppError> {
    Ok(Json(state.market.set_creator_settings(&actor, s).await?))
}

/// The caller's commissions by currency and state (pending, confirmed, available, reversed),
/// what can be paid out, and the latest commissions.
#[utoipa::path(get, path = "/api/v1/creator/earnings", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = EarningsView), (status = 404, body = ErrorBody)))]
pub async fn earnings(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<EarningsView>, AppError> {
    Ok(Json(state.market.creator_earnings(&actor).await?))
}

/// The caller's payouts, newest first.
#[utoipa::path(get, path = "/api/v1/creator/payouts", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<CreatorPayoutView>), (status = 404, body = ErrorBody)))]
pub async fn payouts(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CreatorPayoutView>>, AppError> {
    Ok(Json(state.market.creator_payouts(&actor).await?))
}

/// Pays everything available out in the payout currency (the rates are recorded). Requires an
/// `Idempotency-Key`; below the minimum is 422, a balance taken by a concurrent payout 409.
#[utoipa::path(post, path = "/api/v1/creator/payouts", tag = "connect", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "unique per payout")), request_body = CreatorPayoutInput,
    responses((status = 201, body = CreatorPayoutView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_payout(
    State(state): State<AppState>,
    Auth(actor): Auth,
    body: IdemJson<CreatorPayoutInput>,
) -> Result<axum::response::Response, AppError> {
    let r = state
        .market
        .request_creator_payout(&actor, &body.key, &body.hash)
        .await?;
    Ok(super::orders::replay(r))
}

/// Checkouts refused commission because the buyer was the creator (operators).
#[utoipa::path(get, path = "/api/v1/admin/referral-flags", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReferralFlagView>), (status = 403, body = ErrorBody)))]
pub async fn referral_flags(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<ReferralFlagView>>, AppError> {
    Ok(Json(state.market.referral_flags(&actor).await?))
}

/// The tier ladder, lowest first: each tier's threshold (commission confirmed over 90 days, in
/// euro cents) and its bonus on every rate.
#[utoipa::path(get, path = "/api/v1/creator-tiers", tag = "connect",
    responses((status = 200, body = Vec<TierInput>)))]
pub async fn tiers(State(state): State<AppState>) -> Result<Json<Vec<TierInput>>, AppError> {
    Ok(Json(state.market.tier_ladder().await?))
}

/// Replaces the tier ladder (operators); every creator's tier is recomputed at once.
#[utoipa::path(put, path = "/api/v1/admin/creator-tiers", tag = "connect", security(("bearer" = [])),
    request_body = TierLadder,
    responses((status = 200, body = Vec<TierInput>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_tiers(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(l): ApiJson<TierLadder>,
) -> Result<Json<Vec<TierInput>>, AppError> {
    Ok(Json(state.market.set_tier_ladder(&actor, l).await?))
}

/// A month's top 20 creators by confirmed sales, overall or by audience country (creators).
#[utoipa::path(get, path = "/api/v1/creator/leaderboard", tag = "connect", security(("bearer" = [])),
    params(LeaderboardParams),
    responses((status = 200, body = Vec<LeaderView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leaderboard(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<LeaderboardParams>,
) -> Result<Json<Vec<LeaderView>>, AppError> {
    Ok(Json(state.market.leaderboard(&actor, q).await?))
}

/// Which creators sold what of the caller's products (merchants), biggest first.
#[utoipa::path(get, path = "/api/v1/merchant/creator-sales", tag = "connect", security(("bearer" = [])),
    responses((status = 200, body = Vec<CreatorSaleView>), (status = 403, body = ErrorBody)))]
pub async fn creator_sales(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<CreatorSaleView>>, AppError> {
    Ok(Json(state.market.creator_sales(&actor).await?))
}
