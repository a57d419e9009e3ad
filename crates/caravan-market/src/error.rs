//! The use-case error: a stable [`Code`] (whose family the web layer maps to a status) and a
//! message.

pub use caravan_domain::code::{Code, Kind as ErrorKind};
use caravan_domain::DomainError;
use caravan_store::StoreError;

/// An error from a use case.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct MarketError {
    /// Stable machine-readable code; it decides the family and so the HTTP status.
    pub code: Code,
    /// Human-readable message (internal detail for `Internal`).
    pub message: String,
    /// Seconds to wait, for `TooMany` and `Unavailable`.
    pub retry_after: Option<u64>,
}

impl MarketError {
    /// An error with `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The family of the error (from its code).
    pub fn kind(&self) -> ErrorKind {
        self.code.kind()
    }

    /// A missing or foreign object.
    pub fn not_found(what: &str) -> Self {
        Self::new(Code::NotFound, format!("no such {what}"))
    }

    /// A failure inside.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::Internal, message)
    }

    /// The same error, telling the client to retry after `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<DomainError> for MarketError {
    fn from(e: DomainError) -> Self {
        Self::new(e.code, e.message)
    }
}

impl From<StoreError> for MarketError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Self::new(Code::Conflict, "conflicts with an existing record"),
            StoreError::Stale => Self::new(Code::Stale, "the record changed meanwhile; retry"),
            // The detail goes in the message, which the web layer logs (once) for every 5xx.
            StoreError::Lost(e) => Self::new(
                Code::DatabaseUnavailable,
                format!("the database connection was lost ({e}); retry"),
            )
            .retry_after(1),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<caravan_search::SearchError> for MarketError {
    fn from(e: caravan_search::SearchError) -> Self {
        Self::internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::MarketError;
    use caravan_store::StoreError;

    /// A unique row written meanwhile, and a guarded update that lost a race, reach the caller
    /// as 409s with their own codes (the race itself is exercised by the contract suite).
    #[test]
    fn store_races_become_conflicts() {
        let conflict = MarketError::from(StoreError::Conflict);
        assert_eq!(
            (conflict.code, conflict.kind().status()),
            (super::Code::Conflict, 409)
        );
        assert_eq!(conflict.code, "conflict");
        let stale = MarketError::from(StoreError::Stale);
        assert_eq!(stale.code, "stale");
        assert_eq!(stale.kind().status(), 409);
    }

    /// A lost database connection is a 503 the client may retry in a second, not a 500.
    #[test]
    fn a_lost_connection_is_unavailable_for_a_moment() {
        let lost = MarketError::from(StoreError::Lost(sqlx::Error::PoolTimedOut));
        assert_eq!(lost.code, "database_unavailable");
        assert_eq!(lost.kind().status(), 503);
        assert_eq!(lost.retry_after, Some(1));
    }
}
