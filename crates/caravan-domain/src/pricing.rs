//! The pricing pipeline of one store order: list price, then the reductions of each step in the
//! declared stacking order (deal → store discount → store coupon → platform coupon), each seeing
//! what the steps before it left on every line and recording its amount and its funder.
//! Fees, commissions and pledges are then taken on what each line finally costs. A story adds a
//! [`Step`]; it never edits another step (ADR 0007).

use crate::allocate::allocate;
use crate::error::{Code, DomainError};

/// Where a step sits in the declared stacking order; steps run in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// A festival deal price on a variant.
    Deal,
    /// A store-wide discount.
    StoreDiscount,
    /// A coupon of the store.
    StoreCoupon,
    /// A coupon of the platform, valid across stores.
    PlatformCoupon,
}

/// Who pays for a reduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Funder {
    /// The merchant: it comes out of the merchant's proceeds.
    Merchant,
    /// The platform (`platform:promotions`): the merchant is paid as if it had not happened.
    Platform,
}

/// A line going in: a unit price in the store's currency and a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineIn {
    /// Unit price, minor units.
    pub unit_minor: i64,
    /// Units, at least one.
    pub quantity: i64,
}

/// One reduction a step made on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction {
    /// The step's stage.
    pub stage: Stage,
    /// Who pays for it.
    pub funder: Funder,
    /// What gave it (a deal or coupon id).
    pub source: String,
    /// How much, minor units (≥ 0).
    pub amount_minor: i64,
}

/// A line's price after the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePrice {
    /// Unit price × quantity.
    pub list_minor: i64,
    /// What the line costs after every reduction (never below zero).
    pub amount_minor: i64,
    /// The reductions, in stage order.
    pub reductions: Vec<Reduction>,
}

impl LinePrice {
    /// The part of the reductions `funder` pays.
    pub fn funded_by(&self, funder: Funder) -> i64 {
        self.reductions
            .iter()
            .filter(|r| r.funder == funder)
            .map(|r| r.amount_minor)
            .sum()
    }
}

/// A pricing step: given the lines as the earlier steps left them, how much it takes off each.
pub trait Step {
    /// Its place in the stacking order.
    fn stage(&self) -> Stage;
    /// Who pays for its reductions.
    fn funder(&self) -> Funder;
    /// What it is (a deal or coupon id), recorded on each reduction.
    fn source(&self) -> &str;
    /// The reduction per line (one entry per line, each from 0 to the line's current amount).
    fn reductions(&self, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError>;
}

/// Prices `lines` through `steps`, which must be in stage order. Amounts overflowing `i64` are
/// `amount_out_of_range`; a step that breaks its contract is `internal`.
pub fn price_lines(lines: &[LineIn], steps: &[&dyn Step]) -> Result<Vec<LinePrice>, DomainError> {
    if steps.windows(2).any(|w| w[0].stage() > w[1].stage()) {
        return Err(broken("pricing steps out of the declared order"));
    }
    let mut priced = lines
        .iter()
        .map(|l| {
            let list = l.unit_minor.checked_mul(l.quantity).ok_or_else(overflow)?;
            Ok(LinePrice {
                list_minor: list,
                amount_minor: list,
                reductions: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    for step in steps {
        let cuts = step.reductions(&priced)?;
        if cuts.len() != priced.len() {
            return Err(broken("a pricing step skipped lines"));
        }
        for (line, cut) in priced.iter_mut().zip(cuts) {
            if cut < 0 || cut > line.amount_minor {
                return Err(broken("a pricing step took more than the line costs"));
            }
            if cut > 0 {
                line.amount_minor -= cut;
                line.reductions.push(Reduction {
                    stage: step.stage(),
                    funder: step.funder(),
                    source: step.source().to_owned(),
                    amount_minor: cut,
                });
            }
        }
    }
    Ok(priced)
}

/// Spreads an order-level reduction (a coupon's amount) over the lines in proportion to what
/// each still costs, leaving every line at least one minor unit (a sold line is never free):
/// the parts sum to `min(amount, Σ (line − 1))`.
pub fn spread(amount: i64, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError> {
    let weights: Vec<i64> = lines.iter().map(|l| reducible(l.amount_minor)).collect();
    let total = weights
        .iter()
        .try_fold(0i64, |s, w| s.checked_add(*w))
        .ok_or_else(overflow)?;
    if total == 0 {
        return Ok(vec![0; lines.len()]);
    }
    allocate(amount.clamp(0, total), &weights)
}

/// What a reduction may take off a line that costs `amount`: all but one minor unit.
pub fn reducible(amount: i64) -> i64 {
    (amount - 1).max(0)
}

/// The sum of `amounts`, or `amount_out_of_range`.
pub fn checked_sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64, DomainError> {
    amounts
        .into_iter()
        .try_fold(0i64, |s, a| s.checked_add(a))
        .ok_or_else(overflow)
}

fn overflow() -> DomainError {
    DomainError::new(Code::AmountOutOfRange, "an amount is out of range")
}

fn broken(what: &str) -> DomainError {
    DomainError::new(Code::Internal, what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A percentage off every line.
    struct PercentOff(Stage, Funder, i64);

    impl Step for PercentOff {
        fn stage(&self) -> Stage {
            self.0
        }
        fn funder(&self) -> Funder {
            self.1
        }
        fn source(&self) -> &str {
            "pct"
        }
        fn reductions(&self, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError> {
            Ok(lines
                .iter()
                .map(|l| l.amount_minor * self.2 / 100)
                .collect())
        }
    }

    /// A fixed amount off the order, spread over its lines.
    struct AmountOff(Stage, Funder, i64);

    impl Step for AmountOff {
        fn stage(&self) -> Stage {
            self.0
        }
        fn funder(&self) -> Funder {
            self.1
        }
        fn source(&self) -> &str {
            "cpn"
        }
        fn reductions(&self, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError> {
            spread(self.2, lines)
        }
    }

    fn lines() -> Vec<LineIn> {
        vec![
            LineIn {
                unit_minor: 2500,
                quantity: 2,
            },
            LineIn {
                unit_minor: 1000,
                quantity: 1,
            },
        ]
    }

    #[test]
    fn list_prices_without_steps() {
        let p = price_lines(&lines(), &[]).expect("priced");
        assert_eq!(p[0].list_minor, 5000);
        assert_eq!(p[0].amount_minor, 5000);
        assert_eq!(p[1].amount_minor, 1000);
        assert!(p.iter().all(|l| l.reductions.is_empty()));
    }

    #[test]
    fn each_step_sees_what_the_previous_left_and_records_its_funder() {
        let store = PercentOff(Stage::StoreDiscount, Funder::Merchant, 10);
        let platform = AmountOff(Stage::PlatformCoupon, Funder::Platform, 1200);
        let p = price_lines(&lines(), &[&store, &platform]).expect("priced");
        // 10 % off 5000 and 1000 leaves 4500 and 900; 1200 spread 4499:899 is 1000 and 200.
        assert_eq!((p[0].amount_minor, p[1].amount_minor), (3500, 700));
        assert_eq!(p[0].funded_by(Funder::Merchant), 500);
        assert_eq!(p[0].funded_by(Funder::Platform), 1000);
        assert_eq!(p[1].reductions[1].source, "cpn");
    }

    #[test]
    fn steps_out_of_order_and_broken_steps_are_refused() {
        let coupon = AmountOff(Stage::PlatformCoupon, Funder::Platform, 1);
        let deal = PercentOff(Stage::Deal, Funder::Merchant, 10);
        let err = price_lines(&lines(), &[&coupon, &deal]).expect_err("order");
        assert_eq!(err.code, "internal");
        let greedy = PercentOff(Stage::Deal, Funder::Merchant, 150);
        assert!(price_lines(&lines(), &[&greedy]).is_err());
        let huge = [LineIn {
            unit_minor: i64::MAX,
            quantity: 2,
        }];
        let err = price_lines(&huge, &[]).expect_err("overflow");
        assert_eq!(err.code, "amount_out_of_range");
    }

    proptest! {
        /// However large the coupon, every line keeps at least one minor unit and the
        /// reductions match the coupon up to what the lines may lose.
        #[test]
        fn coupons_never_push_a_line_below_zero(
            units in prop::collection::vec((1i64..=1_000_000_000_000, 1i64..=99), 1..20),
            coupon in 0i64..=i64::MAX,
        ) {
            let lines: Vec<LineIn> = units
                .iter()
                .map(|(u, q)| LineIn { unit_minor: *u, quantity: *q })
                .collect();
            let step = AmountOff(Stage::StoreCoupon, Funder::Merchant, coupon);
            let p = price_lines(&lines, &[&step]).expect("priced");
            let list: i128 = p.iter().map(|l| i128::from(l.list_minor)).sum();
            let taken: i128 = p.iter().map(|l| i128::from(l.funded_by(Funder::Merchant))).sum();
            prop_assert!(p.iter().all(|l| l.amount_minor >= 1));
            let n = i128::try_from(p.len()).expect("few lines");
            prop_assert_eq!(taken, i128::from(coupon).min(list - n));
        }
    }
}
