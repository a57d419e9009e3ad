//! Coupons' pure rules: what a coupon takes off (a fixed amount or a percentage, with a minimum
//! spend), as a step of the pricing pipeline (a store coupon funded by the merchant, a platform
//! coupon by the platform), and how a platform coupon's fixed amount is split across the store
//! orders of one checkout with the one allocation function.

use crate::allocate::allocate;
use crate::error::{Code, DomainError};
use crate::pricing::{reducible, spread, Funder, LinePrice, Stage, Step};

/// What a coupon takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponValue {
    /// A fixed amount, minor units of the coupon's currency.
    Fixed(i64),
    /// A percentage, in basis points (1–9000).
    Percent(i64),
}

impl CouponValue {
    /// Checks the value: a fixed amount of 1 to 10^12 minor units, a percentage of 0.01–90%.
    pub fn check(self) -> Result<CouponValue, DomainError> {
        let ok = match self {
            CouponValue::Fixed(m) => (1..=crate::catalogue::MAX_PRICE_MINOR).contains(&m),
            CouponValue::Percent(bps) => (1..=9000).contains(&bps),
        };
        if ok {
            Ok(self)
        } else {
            Err(DomainError::new(
                Code::InvalidCoupon,
                "a coupon takes off 1 to 10^12 minor units, or 0.01% to 90%",
            ))
        }
    }
}

/// A coupon as a step of one store order's pricing: on the lines as the earlier steps left them,
/// `cut` spread over the lines in proportion to what each still costs (a fixed amount already in
/// the order's currency), or a percentage of each line.
#[derive(Debug, Clone)]
pub struct CouponStep {
    /// Store coupon or platform coupon.
    pub stage: Stage,
    /// The coupon's id.
    pub source: String,
    /// What it takes off this store order.
    pub cut: Cut,
}

/// A step's cut of one store order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// This much in the order's currency, spread over its lines (each keeps a minor unit).
    Amount(i64),
    /// This share of every line, in basis points.
    Percent(i64),
}

impl Step for CouponStep {
    fn stage(&self) -> Stage {
        self.stage
    }

    fn funder(&self) -> Funder {
        match self.stage {
            Stage::PlatformCoupon => Funder::Platform,
            _ => Funder::Merchant,
        }
    }

    fn source(&self) -> &str {
        &self.source
    }

    fn reductions(&self, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError> {
        match self.cut {
            Cut::Amount(amount) => spread(amount, lines),
            Cut::Percent(bps) => Ok(lines
                .iter()
                .map(|l| {
                    let v = i128::from(l.amount_minor) * i128::from(bps) / 10_000;
                    i64::try_from(v)
                        .unwrap_or(0)
                        .clamp(0, reducible(l.amount_minor))
                })
                .collect()),
        }
    }
}

/// Whether an order of `subtotal` (after the earlier steps) reaches the coupon's minimum spend.
pub fn reaches(subtotal: i64, min_spend: i64) -> bool {
    subtotal >= min_spend
}

/// A platform coupon's fixed `amount` split across the checkout's store orders in proportion to
/// what each still costs, all in the coupon's currency (`weights`): the parts sum to
/// `min(amount, Σ weights)`, so the coupon never takes off more than the orders cost.
pub fn split_across_orders(amount: i64, weights: &[i64]) -> Result<Vec<i64>, DomainError> {
    let total = weights
        .iter()
        .try_fold(0i64, |s, w| s.checked_add(*w))
        .ok_or_else(|| DomainError::new(Code::AmountOutOfRange, "an amount is out of range"))?;
    if total == 0 {
        return Ok(vec![0; weights.len()]);
    }
    allocate(amount.clamp(0, total), weights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::festival::DealStep;
    use crate::pricing::{price_lines, LineIn};
    use proptest::prelude::*;

    fn coupon(stage: Stage, cut: Cut) -> CouponStep {
        CouponStep {
            stage,
            source: "cpn_x".into(),
            cut,
        }
    }

    #[test]
    fn values_are_checked() {
        assert!(CouponValue::Fixed(500).check().is_ok());
        assert!(CouponValue::Percent(9000).check().is_ok());
        for bad in [
            CouponValue::Fixed(0),
            CouponValue::Percent(9001),
            CouponValue::Percent(0),
        ] {
            assert_eq!(bad.check().expect_err("bad").code, "invalid_coupon");
        }
    }

    /// The declared stacking order: deal, then the store coupon on what the deal left, then the
    /// platform coupon on what both left; each records its funder.
    #[test]
    fn coupons_stack_after_the_deal() {
        let lines = [
            LineIn {
                unit_minor: 1000,
                quantity: 2,
            },
            LineIn {
                unit_minor: 3000,
                quantity: 1,
            },
        ];
        let deal = DealStep {
            deals: vec![Some((800, "del_x".into())), None],
            quantities: vec![2, 1],
        };
        let store = coupon(Stage::StoreCoupon, Cut::Percent(1000));
        let platform = coupon(Stage::PlatformCoupon, Cut::Amount(460));
        let p = price_lines(&lines, &[&deal, &store, &platform]).expect("priced");
        // 1600 and 3000 after the deal; 10% off: 1440 and 2700; 460 spread 1440:2700.
        assert_eq!(p[0].funded_by(Funder::Merchant), 400 + 160);
        assert_eq!(p[1].funded_by(Funder::Merchant), 300);
        let platform_total: i64 = p.iter().map(|l| l.funded_by(Funder::Platform)).sum();
        assert_eq!(platform_total, 460);
        assert_eq!(p[0].amount_minor + p[1].amount_minor, 1440 + 2700 - 460);
    }

    #[test]
    fn a_platform_coupon_is_split_by_what_each_order_costs() {
        assert_eq!(
            split_across_orders(500, &[3000, 1000]).expect("ok"),
            vec![375, 125]
        );
        assert_eq!(
            split_across_orders(9999, &[30, 10]).expect("ok"),
            vec![30, 10]
        );
        assert_eq!(split_across_orders(500, &[0, 0]).expect("ok"), vec![0, 0]);
    }

    proptest! {
        /// Over random orders, deals, store discounts and coupons: every line keeps a minor unit, each
        /// discount's funder shares sum to it, and what is left is the list total less every
        /// reduction.
        #[test]
        fn stacking_never_goes_below_zero_and_funders_add_up(
            units in prop::collection::vec((1i64..=1_000_000, 1i64..=99, prop::bool::ANY), 1..12),
            discount_bps in 0i64..=9000,
            store_bps in 0i64..=9000,
            platform in 0i64..=100_000_000,
        ) {
            let lines: Vec<LineIn> = units.iter().map(|(u, q, _)| LineIn { unit_minor: *u, quantity: *q }).collect();
            let deal = DealStep {
                deals: units.iter().map(|(u, _, on)| on.then(|| ((u * 7 / 10).max(1), "del".to_owned()))).collect(),
                quantities: units.iter().map(|(_, q, _)| *q).collect(),
            };
            let discount = coupon(Stage::StoreDiscount, Cut::Percent(discount_bps));
            let store = coupon(Stage::StoreCoupon, Cut::Percent(store_bps));
            let plat = coupon(Stage::PlatformCoupon, Cut::Amount(platform));
            let p = price_lines(&lines, &[&deal, &discount, &store, &plat]).expect("priced");
            for l in &p {
                prop_assert!(l.amount_minor >= 1);
                let taken: i64 = l.reductions.iter().map(|r| r.amount_minor).sum();
                prop_assert_eq!(
                    l.funded_by(Funder::Merchant) + l.funded_by(Funder::Platform),
                    taken
                );
                prop_assert_eq!(l.list_minor - taken, l.amount_minor);
            }
            let after_store: i64 = p.iter().map(|l| l.amount_minor + l.funded_by(Funder::Platform)).sum();
            let platform_taken: i64 = p.iter().map(|l| l.funded_by(Funder::Platform)).sum();
            let lines_left = i64::try_from(p.len()).expect("few lines");
            prop_assert_eq!(platform_taken, platform.min(after_store - lines_left));
        }
    }
}
