//! One error type for every handler: a status, a stable code, a message; internals logged once.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caravan_market::{ErrorKind, MarketError};
use serde::Serialize;

/// Every error code the API can answer with, its status, and what it means. Rendered into the
/// OpenAPI description; the HTTP tests fail on any answered code missing from this table.
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    ("malformed_json", 400, "the body is not valid JSON"),
    (
        "invalid_query",
        400,
        "a query parameter has the wrong type or format",
    ),
    (
        "invalid_body",
        422,
        "the JSON does not match the schema (unknown field, wrong type, missing field)",
    ),
    (
        "unsupported_media_type",
        415,
        "send Content-Type: application/json",
    ),
    (
        "body_too_large",
        413,
        "the body exceeds 256 KiB (6 MiB for an image upload)",
    ),
    ("unreadable_body", 400, "the request body could not be read"),
    (
        "invalid_image",
        422,
        "not a PNG, JPEG, WebP or GIF of at most 5 MiB and 10,000 pixels a side",
    ),
    ("too_many_images", 422, "a store keeps at most 2,000 images"),
    ("unauthenticated", 401, "no valid bearer token"),
    (
        "account_suspended",
        403,
        "an operator suspended this account; it cannot log in",
    ),
    (
        "cannot_suspend_self",
        422,
        "an operator cannot suspend their own account",
    ),
    ("invalid_credentials", 401, "wrong e-mail or password"),
    (
        "too_many_attempts",
        429,
        "too many failed logins; see Retry-After",
    ),
    (
        "forbidden",
        403,
        "the caller lacks the role this route needs",
    ),
    (
        "merchant_not_active",
        403,
        "the caller's store is not approved (pending, rejected or suspended)",
    ),
    (
        "not_found",
        404,
        "no such object, or it is not the caller's",
    ),
    (
        "method_not_allowed",
        405,
        "the route exists but not with this method",
    ),
    ("email_taken", 409, "an account with this e-mail exists"),
    ("already_applied", 409, "the account already has a store"),
    (
        "invalid_transition",
        409,
        "the object is not in a state that allows this",
    ),
    ("duplicate_sku", 409, "the store already uses this SKU code"),
    ("duplicate_slug", 409, "a category with this slug exists"),
    ("conflict", 409, "conflicts with an existing record"),
    ("stale", 409, "the record changed meanwhile; retry"),
    ("invalid_email", 422, "not a valid e-mail address"),
    ("weak_password", 422, "a password has 10 to 128 characters"),
    (
        "invalid_display_name",
        422,
        "a display name has 1 to 80 characters",
    ),
    (
        "invalid_name",
        422,
        "a name has the wrong length or characters",
    ),
    (
        "invalid_store_name",
        422,
        "a store name has 1 to 80 characters",
    ),
    (
        "invalid_description",
        422,
        "a description is too long or has control characters",
    ),
    ("invalid_reason", 422, "a reason has 1 to 500 characters"),
    (
        "invalid_country",
        422,
        "not an ISO 3166-1 alpha-2 country code",
    ),
    ("invalid_currency", 422, "not an ISO 4217 currency code"),
    (
        "currency_mismatch",
        422,
        "prices must be in the store's settlement currency",
    ),
    (
        "currency_required",
        422,
        "price bounds and price sorts need a currency",
    ),
    (
        "invalid_locale",
        422,
        "not a supported locale (en, ru, fr, es, pl, it, tr, zh)",
    ),
    ("invalid_status", 422, "not a known status"),
    ("invalid_role", 422, "not a known role"),
    ("invalid_title", 422, "a title has 1 to 200 characters"),
    (
        "invalid_sku",
        422,
        "a SKU code has 1 to 64 letters, digits, dots, dashes or underscores",
    ),
    ("invalid_hs_code", 422, "an HS code has 6, 8 or 10 digits"),
    (
        "invalid_price",
        422,
        "a price must be positive (and at most 10^12 minor units)",
    ),
    ("invalid_stock", 422, "stock is between 0 and 10^9"),
    ("invalid_weight", 422, "weight is 1 g to 1,000 kg"),
    (
        "invalid_attributes",
        422,
        "up to 30 attributes with bounded names and values",
    ),
    ("invalid_images", 422, "up to 20 http(s) image URLs"),
    ("invalid_variants", 422, "a product has 1 to 100 variants"),
    ("invalid_slug", 422, "a slug has 1 to 60 of a-z, 0-9 and -"),
    (
        "invalid_names",
        422,
        "category names need English and valid locales",
    ),
    ("unknown_category", 422, "no such category"),
    ("invalid_page_size", 422, "limit is 1 to 100"),
    (
        "invalid_cursor",
        422,
        "the cursor is not one this API gave out",
    ),
    ("invalid_sort", 422, "unknown sort"),
    (
        "query_too_long",
        422,
        "a search query has at most 500 characters",
    ),
    ("invalid_page", 422, "pages are numbered from 1"),
    (
        "page_too_deep",
        422,
        "search results beyond the first 10,000 are not paged",
    ),
    (
        "search_unavailable",
        503,
        "search is not enabled on this node",
    ),
    ("amount_out_of_range", 422, "an amount overflows"),
    (
        "idempotency_key_required",
        400,
        "this request moves money: send an Idempotency-Key header",
    ),
    (
        "invalid_idempotency_key",
        400,
        "an Idempotency-Key has 1 to 255 visible ASCII characters",
    ),
    (
        "idempotency_key_reused",
        422,
        "the Idempotency-Key was used with another request body",
    ),
    (
        "idempotency_key_in_use",
        409,
        "a request with this Idempotency-Key is still running",
    ),
    (
        "invalid_signature",
        400,
        "the webhook signature is missing, expired or wrong",
    ),
    ("unknown_event", 422, "unknown webhook event type"),
    ("out_of_stock", 409, "not enough stock"),
    (
        "not_purchasable",
        422,
        "the product is unpublished or its store is not active",
    ),
    (
        "not_shippable",
        422,
        "a store does not ship to the destination",
    ),
    (
        "unknown_shipping_method",
        422,
        "the store does not offer that shipping method there",
    ),
    ("invalid_quantity", 422, "a quantity is 1 to 99"),
    ("cart_empty", 422, "there is nothing to check out"),
    ("cart_full", 422, "a cart holds at most 100 lines"),
    (
        "too_many_addresses",
        422,
        "an account keeps at most 20 saved addresses",
    ),
    (
        "invalid_address",
        422,
        "an address field is empty or too long",
    ),
    ("invalid_payment_method", 422, "unknown payment method"),
    ("payment_declined", 402, "the payment was declined"),
    (
        "rate_unavailable",
        422,
        "no exchange rate for a currency involved",
    ),
    (
        "invalid_rate",
        422,
        "a rate is a positive decimal with at most 9 decimals",
    ),
    (
        "invalid_rates_file",
        422,
        "not an ECB reference-rate XML file",
    ),
    (
        "invalid_shipping",
        422,
        "shipping rules: bands, days or duplicates are wrong",
    ),
    ("invalid_fee", 422, "a fee rate is 0 to 5000 basis points"),
    (
        "invalid_tracking",
        422,
        "carrier and tracking number are required",
    ),
    (
        "invalid_amount",
        422,
        "the amount is out of range for this order",
    ),
    (
        "insufficient_balance",
        409,
        "the balance does not cover this",
    ),
    (
        "payout_below_minimum",
        422,
        "the payout is below the minimum",
    ),
    ("dispute_open", 409, "an open dispute decides this order"),
    ("dispute_exists", 409, "the order already has a dispute"),
    (
        "protection_expired",
        409,
        "disputes need a shipped order, or a delivered one within the protection window",
    ),
    (
        "invalid_outcome",
        422,
        "a dispute outcome is refund or release",
    ),
    (
        "overloaded",
        503,
        "checkout is busy; retry after Retry-After seconds",
    ),
    ("not_ready", 503, "the database does not answer"),
    (
        "internal",
        500,
        "something broke inside; it has been logged",
    ),
];

/// The error envelope: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (see the table in the API description).
    pub code: String,
    /// Human-readable explanation; wording may change.
    pub message: String,
}

/// An error on its way to becoming an HTTP response.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
}

impl AppError {
    /// An error with an explicit status.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<MarketError> for AppError {
    fn from(e: MarketError) -> Self {
        let status = match e.kind {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self {
            status,
            code: e.code,
            message: e.message,
            retry_after: e.retry_after,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let message = if self.status.is_server_error() {
            // Logged once here; the client never sees internals.
            tracing::error!(code = self.code, error = %self.message, "request failed");
            "something went wrong on our side".to_owned()
        } else {
            self.message
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message,
            },
        };
        let mut res = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Unknown routes.
pub async fn not_found() -> AppError {
    AppError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// Known routes with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

/// A panic in a handler becomes a logged 500 with the usual envelope.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "a handler panicked",
    )
    .into_response()
}
