//! Route table: one file per feature, each handler documented for OpenAPI.

mod accounts;
mod admin;
mod catalogue;
mod merchants;
mod ops;

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
        .routes(routes!(merchants::apply))
        .routes(routes!(merchants::my_merchant))
        .routes(routes!(merchants::public_merchant))
        .routes(routes!(catalogue::categories, catalogue::create_category))
        .routes(routes!(catalogue::list_products))
        .routes(routes!(catalogue::product))
        .routes(routes!(merchants::own_products, merchants::create_product))
        .routes(routes!(merchants::own_product, merchants::update_product))
        .routes(routes!(merchants::add_variant))
        .routes(routes!(merchants::update_variant))
        .routes(routes!(admin::merchants))
        .routes(routes!(admin::decide))
        .routes(routes!(admin::users))
}
