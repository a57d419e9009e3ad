//! One error type for every handler: a status, a stable code, a message; internals logged once.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use caravan_market::{Code, ErrorKind, MarketError};
use serde::Serialize;

/// The HTTP status of an error family.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Every error code the API can answer with: code, status and meaning, generated from
/// [`Code::ALL`]. Rendered into the OpenAPI description.
pub fn error_codes() -> impl Iterator<Item = (&'static str, u16, &'static str)> {
    Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.kind().status(), c.meaning()))
}

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
    code: Code,
    message: String,
    retry_after: Option<u64>,
}

impl AppError {
    /// An error with `code` (which decides the status).
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        status_of(self.code.kind())
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.code
    }
}

impl From<MarketError> for AppError {
    fn from(e: MarketError) -> Self {
        Self {
            code: e.code,
            message: e.message,
            retry_after: e.retry_after,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() {
            // Logged once here; the client never sees internals.
            tracing::error!(code = %self.code, error = %self.message, "request failed");
            "something went wrong on our side".to_owned()
        } else {
            self.message
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_owned(),
                message,
            },
        };
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Unknown routes.
pub async fn not_found() -> AppError {
    AppError::new(Code::NotFound, "no such route")
}

/// Known routes with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::new(
        Code::MethodNotAllowed,
        "this route does not take that method",
    )
}

/// A panic in a handler becomes a logged 500 with the usual envelope.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::new(Code::Internal, "a handler panicked").into_response()
}
