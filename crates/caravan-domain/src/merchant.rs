//! Merchants: the application and its review.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};

/// Where a merchant stands with the marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MerchantStatus {
    /// Applied, waiting for an operator.
    Pending,
    /// Selling.
    Approved,
    /// Application turned down.
    Rejected,
    /// Was selling, stopped by an operator; its products vanish from public listings.
    Suspended,
}

/// What an operator decides about a merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MerchantDecision {
    /// Let it sell (from pending, or reinstate from suspended).
    Approve,
    /// Turn the application down.
    Reject,
    /// Stop it selling.
    Suspend,
}

impl MerchantStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantStatus::Pending => "pending",
            MerchantStatus::Approved => "approved",
            MerchantStatus::Rejected => "rejected",
            MerchantStatus::Suspended => "suspended",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "pending" => Ok(MerchantStatus::Pending),
            "approved" => Ok(MerchantStatus::Approved),
            "rejected" => Ok(MerchantStatus::Rejected),
            "suspended" => Ok(MerchantStatus::Suspended),
            _ => Err(DomainError::new(
                Code::InvalidStatus,
                format!("unknown status {s:?}"),
            )),
        }
    }

    /// The status after `decision`, or `invalid_transition`.
    pub fn decide(self, decision: MerchantDecision) -> Result<MerchantStatus, DomainError> {
        use MerchantDecision as D;
        use MerchantStatus as S;
        match (self, decision) {
            (S::Pending | S::Suspended, D::Approve) => Ok(S::Approved),
            (S::Pending, D::Reject) => Ok(S::Rejected),
            (S::Approved, D::Suspend) => Ok(S::Suspended),
            (from, d) => Err(DomainError::new(
                Code::InvalidTransition,
                format!("a {} merchant cannot be {d:?}d", from.as_str()).to_lowercase(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MerchantDecision as D;
    use MerchantStatus as S;

    #[test]
    fn review_transitions() {
        assert_eq!(S::Pending.decide(D::Approve).expect("ok"), S::Approved);
        assert_eq!(S::Pending.decide(D::Reject).expect("ok"), S::Rejected);
        assert_eq!(S::Approved.decide(D::Suspend).expect("ok"), S::Suspended);
        assert_eq!(S::Suspended.decide(D::Approve).expect("ok"), S::Approved);
        assert!(S::Rejected.decide(D::Approve).is_err());
        assert!(S::Approved.decide(D::Approve).is_err());
        assert!(S::Pending.decide(D::Suspend).is_err());
        assert!(S::Suspended.decide(D::Reject).is_err());
    }
}
