//! Double-entry postings: every ledger transaction sums to zero in each currency.

use crate::error::{Code, DomainError};
use crate::money::{Currency, Money};
use std::collections::BTreeMap;

/// Money from outside: what buyers pay in (credit balance grows negative).
pub const EXTERNAL_PAYMENTS: &str = "external:payments";
/// Money back out to buyers.
pub const EXTERNAL_REFUNDS: &str = "external:refunds";
/// Money out to merchants' bank accounts.
pub const EXTERNAL_PAYOUTS: &str = "external:payouts";
/// Buyers' money held until completion, in the merchant's currency.
pub const ESCROW: &str = "escrow";
/// The platform's fee revenue.
pub const PLATFORM_FEES: &str = "platform:fees";
/// The platform's currency position: buyers pay in their currency, merchants are owed in theirs.
pub const FX_CLEARING: &str = "platform:fx";

/// What the marketplace owes one merchant.
pub fn merchant_payable(merchant_id: &str) -> String {
    format!("merchant:{merchant_id}")
}

/// One leg of a ledger transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Account name.
    pub account: String,
    /// Signed amount: positive increases the account.
    pub amount: Money,
}

impl Posting {
    /// A posting of `minor` in `currency` to `account`.
    pub fn new(account: impl Into<String>, minor: i64, currency: Currency) -> Self {
        Self {
            account: account.into(),
            amount: Money::new(minor, currency),
        }
    }
}

/// Checks that `postings` is non-empty and sums to zero in every currency.
pub fn check_balanced(postings: &[Posting]) -> Result<(), DomainError> {
    if postings.is_empty() {
        return Err(DomainError::new(
            Code::Unbalanced,
            "a ledger transaction needs postings",
        ));
    }
    let mut sums: BTreeMap<Currency, i128> = BTreeMap::new();
    for p in postings {
        *sums.entry(p.amount.currency()).or_default() += i128::from(p.amount.minor());
    }
    match sums.iter().find(|(_, s)| **s != 0) {
        None => Ok(()),
        Some((c, s)) => Err(DomainError::new(
            Code::Unbalanced,
            format!("postings leave {s} {c} unbalanced"),
        )),
    }
}

/// The postings that move `presentment` paid by a buyer into escrow as `settlement`
/// (through the FX position when the currencies differ).
pub fn payment(presentment: Money, settlement: Money) -> Vec<Posting> {
    if presentment == settlement {
        return vec![
            Posting {
                account: EXTERNAL_PAYMENTS.into(),
                amount: Money::new(-presentment.minor(), presentment.currency()),
            },
            Posting {
                account: ESCROW.into(),
                amount: settlement,
            },
        ];
    }
    vec![
        Posting {
            account: EXTERNAL_PAYMENTS.into(),
            amount: Money::new(-presentment.minor(), presentment.currency()),
        },
        Posting {
            account: FX_CLEARING.into(),
            amount: presentment,
        },
        Posting {
            account: FX_CLEARING.into(),
            amount: Money::new(-settlement.minor(), settlement.currency()),
        },
        Posting {
            account: ESCROW.into(),
            amount: settlement,
        },
    ]
}

/// The postings that return money from `from` (escrow or a merchant's payable) to the buyer.
pub fn refund(from: &str, settlement: Money, presentment: Money) -> Vec<Posting> {
    if presentment == settlement {
        return vec![
            Posting {
                account: from.into(),
                amount: Money::new(-settlement.minor(), settlement.currency()),
            },
            Posting {
                account: EXTERNAL_REFUNDS.into(),
                amount: presentment,
            },
        ];
    }
    vec![
        Posting {
            account: from.into(),
            amount: Money::new(-settlement.minor(), settlement.currency()),
        },
        Posting {
            account: FX_CLEARING.into(),
            amount: settlement,
        },
        Posting {
            account: FX_CLEARING.into(),
            amount: Money::new(-presentment.minor(), presentment.currency()),
        },
        Posting {
            account: EXTERNAL_REFUNDS.into(),
            amount: presentment,
        },
    ]
}

/// The postings that release `amount` from escrow to a merchant, less the platform `fee`.
pub fn release(merchant_id: &str, amount: Money, fee: i64) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(ESCROW, -amount.minor(), c),
        Posting::new(merchant_payable(merchant_id), amount.minor() - fee, c),
        Posting::new(PLATFORM_FEES, fee, c),
    ]
}

/// The postings that pay `amount` out to a merchant.
pub fn payout(merchant_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(merchant_payable(merchant_id), -amount.minor(), c),
        Posting::new(EXTERNAL_PAYOUTS, amount.minor(), c),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).expect("currency")
    }

    #[test]
    fn the_standard_transactions_balance() {
        let rub = Money::new(95_000, c("RUB"));
        let eur = Money::new(1_000, c("EUR"));
        check_balanced(&payment(rub, eur)).expect("payment");
        check_balanced(&refund(ESCROW, eur, rub)).expect("refund");
        check_balanced(&release("mer_1", eur, 50)).expect("release");
        check_balanced(&payout("mer_1", eur)).expect("payout");
        let bad = [
            Posting::new(ESCROW, 1, c("EUR")),
            Posting::new(FX_CLEARING, -1, c("USD")),
        ];
        assert_eq!(
            check_balanced(&bad).expect_err("unbalanced").code,
            "unbalanced"
        );
        assert!(check_balanced(&[]).is_err());
    }
}
