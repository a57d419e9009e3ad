//! The one allocation function: split an amount by weights so the parts always sum to the whole;
//! and `prorate`, the share of an amount that a part of a whole carries, built on it. Every
//! amount Caravan splits (fees over refunds, refunds into the buyer's currency, and later coupons,
//! commissions and pledges over lines) goes through these two.

use crate::error::{Code, DomainError};

/// Splits `total` (minor units, ≥ 0) in proportion to `weights` (each ≥ 0, not all zero) by the
/// largest-remainder method. The parts sum exactly to `total`, none is negative, and ties in the
/// remainder go to the earliest weight, so the result is deterministic.
pub fn allocate(total: i64, weights: &[i64]) -> Result<Vec<i64>, DomainError> {
    if total < 0 {
        return Err(DomainError::new(
            Code::InvalidAmount,
            "cannot allocate a negative amount",
        ));
    }
    if weights.iter().any(|w| *w < 0) {
        return Err(DomainError::new(
            Code::InvalidWeights,
            "weights must not be negative",
        ));
    }
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum == 0 {
        return Err(DomainError::new(
            Code::InvalidWeights,
            "at least one weight must be positive",
        ));
    }
    let total128 = i128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let exact = total128 * i128::from(*w);
        let part = exact / sum;
        given += part;
        parts.push(part);
        remainders.push((exact % sum, i));
    }
    // Largest remainder first; on equal remainders the earlier index wins.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = total128 - given;
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    // Every part is ≤ total, so it fits back in i64.
    Ok(parts
        .into_iter()
        .map(|p| i64::try_from(p).unwrap_or(i64::MAX))
        .collect())
}

/// The share of `total` (≥ 0) that `part` of `whole` carries, rounded half up: the first part
/// of `allocate(total, [part, whole - part])`. It grows with `part`, so the shares of successive
/// cumulative parts (partial refunds, say: `prorate(t, a + b, w) - prorate(t, a, w)`) are never
/// negative, and with `part == whole` the last one completes `total` exactly. A zero `whole`
/// carries nothing.
pub fn prorate(total: i64, part: i64, whole: i64) -> Result<i64, DomainError> {
    if whole == 0 && part == 0 {
        return Ok(0);
    }
    if part < 0 || whole < 0 || part > whole {
        return Err(DomainError::new(
            Code::InvalidAmount,
            format!("{part} is not a part of {whole}"),
        ));
    }
    let parts = allocate(total, &[part, whole - part])?;
    Ok(parts[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_a_cent_three_ways() {
        assert_eq!(allocate(100, &[1, 1, 1]).expect("ok"), vec![34, 33, 33]);
        assert_eq!(allocate(5, &[3, 7]).expect("ok"), vec![2, 3]);
        assert_eq!(allocate(10, &[1, 2, 7]).expect("ok"), vec![1, 2, 7]);
        assert_eq!(allocate(0, &[1, 2]).expect("ok"), vec![0, 0]);
    }

    #[test]
    fn zero_weights_get_nothing() {
        assert_eq!(allocate(10, &[0, 1, 0]).expect("ok"), vec![0, 10, 0]);
    }

    #[test]
    fn bad_input_is_rejected() {
        let code = |r: Result<Vec<i64>, DomainError>| r.expect_err("refused").code;
        assert_eq!(code(allocate(-1, &[1])), "invalid_amount");
        assert_eq!(code(allocate(1, &[])), "invalid_weights");
        assert_eq!(code(allocate(1, &[0, 0])), "invalid_weights");
        assert_eq!(code(allocate(1, &[1, -1])), "invalid_weights");
    }

    #[test]
    fn prorating_rounds_half_up_and_completes_the_whole() {
        assert_eq!(prorate(344, 3800, 5800).expect("ok"), 225);
        assert_eq!(prorate(3, 1, 2).expect("ok"), 2, "1.5 rounds up");
        assert_eq!(prorate(5, 0, 0).expect("ok"), 0);
        assert_eq!(prorate(5, 7, 7).expect("ok"), 5);
        let refused = |r: Result<i64, DomainError>| r.expect_err("refused").code;
        assert_eq!(refused(prorate(5, 8, 7)), "invalid_amount");
        assert_eq!(refused(prorate(5, -1, 7)), "invalid_amount");
        assert_eq!(refused(prorate(-5, 1, 7)), "invalid_amount");
    }

    proptest! {
        /// Successive cumulative shares (partial refunds of one order, say) are each at least
        /// zero and together give exactly the whole.
        #[test]
        fn cumulative_shares_never_go_negative_and_sum_to_the_whole(
            total in 0i64..=i64::MAX,
            cuts in prop::collection::vec(0i64..=1_000_000_000_000, 1..12),
        ) {
            let whole: i64 = cuts.iter().sum();
            let mut done = 0i64;
            let mut given: i128 = 0;
            for cut in &cuts {
                let before = prorate(total, done, whole).expect("valid");
                done += cut;
                let after = prorate(total, done, whole).expect("valid");
                prop_assert!(after >= before);
                given += i128::from(after - before);
            }
            prop_assert_eq!(given, i128::from(if whole == 0 { 0 } else { total }));
        }

        #[test]
        fn parts_sum_to_the_whole(total in 0i64..=i64::MAX, weights in prop::collection::vec(0i64..=i64::MAX, 1..20)) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = allocate(total, &weights).expect("valid input");
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert!(parts.iter().all(|p| *p >= 0));
            let sum: i128 = parts.iter().map(|p| i128::from(*p)).sum();
            prop_assert_eq!(sum, i128::from(total));
            // Deterministic: the same input gives the same output.
            prop_assert_eq!(allocate(total, &weights).expect("valid input"), parts.clone());
            // Each part is within one unit of its exact share.
            let wsum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                let exact_floor = i128::from(total) * i128::from(*w) / wsum;
                prop_assert!(i128::from(*p) - exact_floor <= 1 && i128::from(*p) >= exact_floor);
            }
        }
    }
}
