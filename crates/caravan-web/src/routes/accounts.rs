//! Registration, login, logout, the caller's account and API tokens.

use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use caravan_market::accounts::{Credentials, IssuedToken, Registration, TokenView, UserView};
use caravan_market::addresses::SavedAddress;
use caravan_market::checkout::Address;
use serde::Deserialize;

/// Creates a buyer account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts",
    request_body = Registration,
    responses(
        (status = 201, description = "Account created", body = UserView),
        (status = 409, description = "E-mail taken", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<Registration>,
) -> Result<(StatusCode, Json<UserView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.register(r, &[]).await?),
    ))
}

/// Exchanges e-mail and password for a bearer token. Repeated failures answer 429.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Logged in; keep the token secret", body = IssuedToken),
        (status = 401, description = "Wrong credentials", body = ErrorBody),
        (status = 429, description = "Too many failures; see Retry-After", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Json<IssuedToken>, AppError> {
    Ok(Json(state.market.login(c).await?))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "Token revoked"), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<StatusCode, AppError> {
    state.market.logout(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's account and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<UserView>, AppError> {
    Ok(Json(state.market.me(&actor).await?))
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<TokenView>>, AppError> {
    Ok(Json(state.market.tokens(&actor).await?))
}

/// A new token's label.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// Label, e.g. `ci` or `import script`.
    pub name: String,
}

/// Issues another API token for the caller (e.g. for a script).
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])),
    request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(t): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.market.create_token(&actor, &t.name).await?),
    ))
}

/// Revokes one of the caller's tokens; another user's token is 404.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "`tok_…`")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.revoke_token(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's saved delivery addresses, newest first.
#[utoipa::path(get, path = "/api/v1/me/addresses", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedAddress>), (status = 401, body = ErrorBody)))]
pub async fn list_addresses(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<Vec<SavedAddress>>, AppError> {
    Ok(Json(state.market.addresses(&actor).await?))
}

/// Saves a delivery address (checked as at checkout; at most 20 per account). Saving an address
/// equal to a saved one answers 200 with that one.
#[utoipa::path(post, path = "/api/v1/me/addresses", tag = "accounts", security(("bearer" = [])),
    request_body = Address,
    responses(
        (status = 201, description = "Saved", body = SavedAddress),
        (status = 200, description = "Already saved", body = SavedAddress),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Invalid address, or 20 saved already", body = ErrorBody),
    ))]
pub async fn add_address(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(a): ApiJson<Address>,
) -> Result<(StatusCode, Json<SavedAddress>), AppError> {
    let (saved, new) = state.market.add_address(&actor, a).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(saved)))
}

/// Removes one of the caller's addresses; another account's is 404.
#[utoipa::path(delete, path = "/api/v1/me/addresses/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "`adr_…`")),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody)))]
pub async fn remove_address(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    state.market.remove_address(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
