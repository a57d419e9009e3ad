//! The one error type of the domain: a rule a value broke.

pub use crate::code::{Code, Kind};

/// A value that breaks a domain rule. `code` is stable and machine-readable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    /// Stable machine-readable code, e.g. `invalid_currency`.
    pub code: Code,
    /// Human-readable explanation.
    pub message: String,
}

impl DomainError {
    /// Builds an error from a stable code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
