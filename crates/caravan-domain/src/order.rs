//! The merchant order's state machine and the platform fee.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};

/// Where a merchant order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed; the payment is not confirmed yet.
    AwaitingPayment,
    /// Paid; the money is in escrow.
    Paid,
    /// Handed to a carrier.
    Shipped,
    /// Delivered; the protection window runs.
    Delivered,
    /// Closed; the merchant has been credited.
    Completed,
    /// Cancelled before shipping; stock returned.
    Cancelled,
    /// Refunded in full before completion.
    Refunded,
}

/// Something that moves an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvent {
    /// The payment was captured.
    Pay,
    /// The merchant shipped it.
    Ship,
    /// The carrier delivered it.
    Deliver,
    /// The buyer confirmed receipt, or the protection period ended.
    Complete,
    /// Cancelled by the buyer, the merchant, an operator or the unpaid timeout.
    Cancel,
    /// Refunded in full.
    RefundAll,
}

impl OrderStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [
            OrderStatus::AwaitingPayment,
            OrderStatus::Paid,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Completed,
            OrderStatus::Cancelled,
            OrderStatus::Refunded,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| DomainError::new(Code::InvalidStatus, format!("unknown order status {s:?}")))
    }

    /// The state after `event`, or `invalid_transition`.
    pub fn apply(self, event: OrderEvent) -> Result<OrderStatus, DomainError> {
        use OrderEvent as E;
        use OrderStatus as S;
        let next = match (self, event) {
            (S::AwaitingPayment, E::Pay) => S::Paid,
            (S::AwaitingPayment | S::Paid, E::Cancel) => S::Cancelled,
            (S::Paid, E::Ship) => S::Shipped,
            (S::Shipped, E::Deliver) => S::Delivered,
            (S::Shipped | S::Delivered, E::Complete) => S::Completed,
            (S::Paid | S::Shipped | S::Delivered, E::RefundAll) => S::Refunded,
            (from, e) => {
                return Err(DomainError::new(
                    Code::InvalidTransition,
                    format!("a {} order cannot take {e:?}", from.as_str()),
                ))
            }
        };
        Ok(next)
    }

    /// Whether the buyer's money for this order sits in escrow.
    pub fn holds_escrow(self) -> bool {
        matches!(
            self,
            OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered
        )
    }
}

/// The platform fee on `amount_minor` at `bps` basis points (1 bp = 0.01 %), rounded half up.
pub fn fee(amount_minor: i64, bps: i64) -> i64 {
    let v = i128::from(amount_minor) * i128::from(bps);
    i64::try_from((v + 5_000) / 10_000).unwrap_or(i64::MAX)
}

/// Checks a fee rate: 0..=5000 bps (0 % to 50 %).
pub fn fee_bps(bps: i64) -> Result<i64, DomainError> {
    if (0..=5000).contains(&bps) {
        Ok(bps)
    } else {
        Err(DomainError::new(
            Code::InvalidFee,
            "a fee rate is 0 to 5000 basis points",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderEvent as E;
    use OrderStatus as S;

    #[test]
    fn happy_path_and_refusals() {
        let s = S::AwaitingPayment.apply(E::Pay).expect("pay");
        let s = s.apply(E::Ship).expect("ship");
        let s = s.apply(E::Deliver).expect("deliver");
        assert_eq!(s.apply(E::Complete).expect("complete"), S::Completed);
        assert!(
            S::Shipped.apply(E::Cancel).is_err(),
            "no cancel after shipping"
        );
        assert!(S::Completed.apply(E::RefundAll).is_err());
        assert!(S::AwaitingPayment.apply(E::Ship).is_err());
        assert!(S::Cancelled.apply(E::Pay).is_err());
        assert!(S::Paid.holds_escrow() && !S::Completed.holds_escrow());
        for s in [S::AwaitingPayment, S::Paid, S::Refunded] {
            assert_eq!(S::parse(s.as_str()).expect("round trip"), s);
        }
    }

    #[test]
    fn fees_round_half_up() {
        assert_eq!(fee(1000, 500), 50);
        assert_eq!(fee(999, 500), 50);
        assert_eq!(fee(989, 500), 49);
        assert_eq!(fee(0, 500), 0);
        assert!(fee_bps(5001).is_err());
    }
}
