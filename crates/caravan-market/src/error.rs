//! The use-case error: a kind (which the web layer maps to a status) and a stable code.

use caravan_domain::DomainError;
use caravan_store::StoreError;

/// The family of an error; each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed or lacks something required (400).
    BadRequest,
    /// The input breaks a rule (422).
    Invalid,
    /// No such object, or not the caller's (404).
    NotFound,
    /// Clashes with existing state (409).
    Conflict,
    /// No or bad credentials (401).
    Unauthenticated,
    /// Authenticated but not allowed (403).
    Forbidden,
    /// Throttled (429).
    TooMany,
    /// The payment was declined (402).
    PaymentRequired,
    /// Overloaded: try again after `retry_after` (503).
    Unavailable,
    /// Something broke inside (500); the message is logged, never sent.
    Internal,
}

/// An error from a use case.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct MarketError {
    /// Family.
    pub kind: ErrorKind,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable message (internal detail for `Internal`).
    pub message: String,
    /// Seconds to wait, for `TooMany`.
    pub retry_after: Option<u64>,
}

impl MarketError {
    /// An error of `kind` with `code`.
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Invalid input.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }

    /// A missing or foreign object.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorKind::NotFound, "not_found", format!("no such {what}"))
    }

    /// A conflict with existing state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    /// Not allowed for this caller.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }

    /// A failure inside.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "internal", message)
    }
}

impl From<DomainError> for MarketError {
    fn from(e: DomainError) -> Self {
        let kind = if e.code == "not_found" {
            ErrorKind::NotFound
        } else {
            ErrorKind::Invalid
        };
        Self::new(kind, e.code, e.message)
    }
}

impl From<StoreError> for MarketError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Self::conflict("conflict", "conflicts with an existing record"),
            StoreError::Stale => Self::conflict("stale", "the record changed meanwhile; retry"),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<caravan_search::SearchError> for MarketError {
    fn from(e: caravan_search::SearchError) -> Self {
        Self::internal(e.to_string())
    }
}
