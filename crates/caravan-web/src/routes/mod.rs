//! Route table: one file per feature, each handler documented for OpenAPI.

mod accounts;
mod admin;
mod catalogue;
mod charity;
mod collabs;
mod commerce;
mod connect;
mod coupons;
mod festival;
mod merchants;
mod ops;
mod orders;
mod posts;
mod search;
mod sites;
mod translations;

use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use ops::router as ops;

#[derive(OpenApi)]
#[openapi(
    tags(
        (name = "accounts", description = "Registration, login, tokens"),
        (name = "merchants", description = "Applying to sell and store pages"),
        (name = "catalogue", description = "Categories and products"),
        (name = "seller", description = "A merchant's own products"),
        (name = "operator", description = "Running the marketplace"),
        (name = "buying", description = "Carts, checkout, orders, disputes"),
        (name = "money", description = "Exchange rates and payment-provider webhooks"),
        (name = "festival", description = "Campaigns (11.11), merchants' deals and their caps"),
        (name = "connect", description = "Creators, their applications and tracking links"),
        (name = "campaign sites", description = "Campaign sites, fan engagement, causes, pledges and the charity meter"),
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail))
)]
struct ApiDoc;

/// Every `/api/v1` route, registered together with its OpenAPI operation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::list_tokens, accounts::create_token))
        .routes(routes!(accounts::revoke_token))
        .routes(routes!(accounts::list_addresses, accounts::add_address))
        .routes(routes!(accounts::remove_address))
        .routes(routes!(merchants::apply))
        .routes(routes!(merchants::my_merchant))
        .routes(routes!(merchants::public_merchant))
        .routes(routes!(catalogue::categories, catalogue::create_category))
        .routes(routes!(catalogue::list_products))
        .routes(routes!(search::search))
        .routes(routes!(search::suggest))
        .routes(routes!(catalogue::product))
        .routes(routes!(merchants::own_products, merchants::create_product))
        .routes(routes!(merchants::own_product, merchants::update_product))
        .routes(routes!(merchants::add_variant))
        .routes(routes!(merchants::completeness))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(merchants::upload_image))
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .routes(routes!(merchants::update_variant))
        .routes(routes!(admin::merchants))
        .routes(routes!(admin::decide))
        .routes(routes!(admin::users))
        .routes(routes!(admin::suspend))
        .routes(routes!(translations::terms, translations::add_term))
        .routes(routes!(translations::delete_term))
        .routes(routes!(commerce::rates))
        .routes(routes!(commerce::set_rates))
        .routes(routes!(commerce::set_fee))
        .routes(routes!(commerce::shipping, commerce::set_shipping))
        .routes(routes!(commerce::create_cart))
        .routes(routes!(commerce::cart, commerce::update_cart))
        .routes(routes!(commerce::set_line))
        .routes(routes!(commerce::remove_line))
        .routes(routes!(commerce::claim_cart))
        .routes(routes!(orders::checkout))
        .routes(routes!(orders::webhook))
        .routes(routes!(orders::my_orders))
        .routes(routes!(orders::order))
        .routes(routes!(orders::cancel))
        .routes(routes!(orders::confirm))
        .routes(routes!(orders::ship))
        .routes(routes!(orders::deliver))
        .routes(routes!(orders::refund))
        .routes(routes!(orders::dispute, orders::open_dispute))
        .routes(routes!(orders::answer_dispute))
        .routes(routes!(orders::decide_dispute))
        .routes(routes!(orders::disputes))
        .routes(routes!(orders::store_orders))
        .routes(routes!(orders::balance))
        .routes(routes!(orders::payouts, orders::request_payout))
        .merge(festival_api())
        .merge(connect_api())
        .merge(sites_api())
}

/// Campaign sites' routes: sites, polls, quizzes, cheers, causes, pledges, the meter,
/// remittances.
fn sites_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(charity::create_cause))
        .routes(routes!(charity::causes))
        .routes(routes!(charity::meter))
        .routes(routes!(charity::pledge, charity::withdraw))
        .routes(routes!(charity::my_pledges))
        .routes(routes!(charity::remit))
        .routes(routes!(sites::create_site, sites::sites))
        .routes(routes!(sites::update_site))
        .routes(routes!(sites::set_blocks))
        .routes(routes!(sites::create_poll))
        .routes(routes!(sites::create_quiz))
        .routes(routes!(sites::site))
        .routes(routes!(sites::open_sites))
        .routes(routes!(sites::poll))
        .routes(routes!(sites::vote))
        .routes(routes!(sites::poll_stream))
        .routes(routes!(sites::answer_quiz))
        .routes(routes!(sites::cheer))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(sites::upload_image))
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
}

/// Connect's routes: creators and their tracking links.
fn connect_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(connect::apply))
        .routes(routes!(connect::my_creator))
        .routes(routes!(connect::creators))
        .routes(routes!(connect::decide))
        .routes(routes!(connect::public_creator))
        .routes(routes!(connect::settings, connect::set_settings))
        .routes(routes!(connect::earnings))
        .routes(routes!(connect::payouts, connect::request_payout))
        .routes(routes!(connect::referral_flags))
        .routes(routes!(connect::tiers))
        .routes(routes!(connect::set_tiers))
        .routes(routes!(connect::leaderboard))
        .routes(routes!(connect::creator_sales))
        .routes(routes!(posts::create_post, posts::my_posts))
        .routes(routes!(posts::creator_posts))
        .routes(routes!(posts::feed))
        .routes(routes!(posts::product_posts))
        .routes(routes!(posts::moderation))
        .routes(routes!(posts::moderate))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(posts::upload_image))
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .routes(routes!(connect::links, connect::create_link))
        .routes(routes!(collabs::create, collabs::mine))
        .routes(routes!(collabs::decide))
        .routes(routes!(collabs::for_creator))
        .routes(routes!(collabs::apply))
        .routes(routes!(collabs::deliver))
        .routes(routes!(
            connect::commission_rates,
            connect::set_commission_rate
        ))
}

/// The festival's routes: campaigns, deals, coupons, store discounts, promotions, the live
/// screen.
fn festival_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(festival::create_campaign))
        .routes(routes!(festival::campaigns))
        .routes(routes!(festival::campaign))
        .routes(routes!(festival::campaign_deals))
        .routes(routes!(festival::decide_deal))
        .routes(routes!(festival::enrol_deal, festival::my_deals))
        .routes(routes!(
            coupons::create_store_coupon,
            coupons::store_coupons
        ))
        .routes(routes!(
            coupons::create_platform_coupon,
            coupons::platform_coupons
        ))
        .routes(routes!(
            festival::create_promotion,
            festival::campaign_promotions
        ))
        .routes(routes!(festival::withdraw_promotion))
        .routes(routes!(
            festival::create_store_discount,
            festival::my_store_discounts
        ))
        .routes(routes!(festival::withdraw_store_discount))
        .routes(routes!(festival::promotions))
        .routes(routes!(festival::campaign_figures))
        .routes(routes!(festival::campaign_store_discounts))
        .routes(routes!(festival::live))
        .routes(routes!(festival::live_stream))
        .routes(routes!(coupons::wallet))
        .routes(routes!(coupons::collect))
}
