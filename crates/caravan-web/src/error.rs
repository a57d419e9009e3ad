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

/// The safety net under every handler and extractor: on the API (and `/media/`), an error answer
/// that is not already the JSON envelope (a framework rejection no extractor mapped) becomes
/// one, with the code of its status, so a client never has to parse plain text.
pub async fn json_envelope(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/api/v1/") || path.starts_with("/media/");
    let res = next.run(req).await;
    let failed = res.status().is_client_error() || res.status().is_server_error();
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || !failed || json {
        return res;
    }
    let code = match res.status() {
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::BodyTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => Code::InvalidBody,
        s if s.is_server_error() => Code::Internal,
        _ => Code::BadRequest,
    };
    tracing::info!(status = %res.status(), code = %code, "a framework answer became the JSON envelope");
    AppError::new(code, code.meaning()).into_response()
}

#[cfg(test)]
mod tests {
    use super::json_envelope;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    /// A plain-text rejection no extractor mapped still reaches the client as the envelope,
    /// with the code of its status; pages keep their own answers.
    #[tokio::test]
    async fn plain_text_errors_on_the_api_become_the_envelope() {
        let app = Router::new()
            .route(
                "/api/v1/x",
                get(|| async { (StatusCode::BAD_REQUEST, "bad header") }),
            )
            .route(
                "/page",
                get(|| async { (StatusCode::BAD_REQUEST, "bad header") }),
            )
            .layer(axum::middleware::from_fn(json_envelope));
        let answer = |uri: &'static str| {
            let app = app.clone();
            async move {
                let req = Request::get(uri).body(Body::empty()).unwrap();
                let res = app.oneshot(req).await.unwrap();
                let status = res.status();
                let bytes = axum::body::to_bytes(res.into_body(), 1 << 16)
                    .await
                    .unwrap();
                (status, String::from_utf8(bytes.to_vec()).unwrap())
            }
        };
        let (status, body) = answer("/api/v1/x").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"]["code"], "bad_request");
        assert_eq!(
            answer("/page").await,
            (StatusCode::BAD_REQUEST, "bad header".to_owned())
        );
    }
}
