//! Exchange rates: how many units of a currency one euro buys, as an integer scaled by 10^9,
//! and exact conversion between any two currencies through those rates.

use crate::error::{Code, DomainError};
use crate::money::{Currency, Money};

/// Scale of stored rates: a rate of 1.0823 is stored as 1_082_300_000.
pub const RATE_SCALE: i128 = 1_000_000_000;

/// Units of `currency` per one euro, scaled by [`RATE_SCALE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The currency.
    pub currency: Currency,
    /// Units per euro × 10^9; always positive and at most [`MAX_PER_EUR_E9`].
    pub per_eur_e9: i64,
}

/// The largest rate accepted: 10^9 units per euro (no currency comes near it), so that every
/// conversion's intermediate product fits in `i128` with room.
pub const MAX_PER_EUR_E9: i64 = 1_000_000_000 * 1_000_000_000;

impl Rate {
    /// Parses a decimal rate such as `1.0823` or `35.1234` (at most 9 decimals, positive).
    pub fn parse(currency: Currency, decimal: &str) -> Result<Rate, DomainError> {
        let bad = || {
            DomainError::new(
                Code::InvalidRate,
                format!("{decimal:?} is not a positive decimal rate"),
            )
        };
        let (int, frac) = decimal
            .trim()
            .split_once('.')
            .unwrap_or((decimal.trim(), ""));
        if int.is_empty()
            || frac.len() > 9
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let int: i64 = int.parse().map_err(|_| bad())?;
        let frac_val: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        let frac_scaled = frac_val * 10i64.pow(9 - frac.len() as u32);
        let v = int
            .checked_mul(1_000_000_000)
            .and_then(|v| v.checked_add(frac_scaled))
            .ok_or_else(bad)?;
        if v <= 0 || v > MAX_PER_EUR_E9 {
            return Err(bad());
        }
        Ok(Rate {
            currency,
            per_eur_e9: v,
        })
    }

    /// The euro itself.
    pub fn euro() -> Rate {
        Rate {
            currency: Currency::EUR,
            per_eur_e9: 1_000_000_000,
        }
    }

    /// Decimal rendering.
    pub fn to_decimal_string(self) -> String {
        let int = self.per_eur_e9 / 1_000_000_000;
        let frac = self.per_eur_e9 % 1_000_000_000;
        let s = format!("{int}.{frac:09}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Converts `amount` into the currency of `to`, given the rate of its own currency `from`.
/// Rounds half away from zero to the target's minor unit.
pub fn convert(amount: Money, from: Rate, to: Rate) -> Result<Money, DomainError> {
    if amount.currency() != from.currency {
        return Err(DomainError::new(
            Code::CurrencyMismatch,
            "rate is for another currency",
        ));
    }
    if from.currency == to.currency {
        return Ok(Money::new(amount.minor(), to.currency));
    }
    // amount / 10^ef / from * to * 10^et
    let ef = from.currency.exponent();
    let et = to.currency.exponent();
    let overflow = || DomainError::new(Code::AmountOutOfRange, "amount is out of range");
    let mut num = i128::from(amount.minor())
        .checked_mul(i128::from(to.per_eur_e9))
        .ok_or_else(overflow)?;
    let mut den = i128::from(from.per_eur_e9).max(1);
    if et >= ef {
        num = num.checked_mul(10i128.pow(et - ef)).ok_or_else(overflow)?;
    } else {
        den = den.checked_mul(10i128.pow(ef - et)).ok_or_else(overflow)?;
    }
    let q = div_round(num, den);
    let minor = i64::try_from(q).map_err(|_| overflow())?;
    Ok(Money::new(minor, to.currency))
}

/// The cross rate "units of `to` per unit of `from`" × 10^9 (what an order line records).
pub fn cross_rate_e9(from: Rate, to: Rate) -> i64 {
    i64::try_from(div_round(
        i128::from(to.per_eur_e9) * RATE_SCALE,
        i128::from(from.per_eur_e9),
    ))
    .unwrap_or(i64::MAX)
}

fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if r.abs() * 2 >= den.abs() {
        q + num.signum() * den.signum()
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Currency {
        Currency::parse(code).expect("currency")
    }

    #[test]
    fn parses_rates() {
        assert_eq!(
            Rate::parse(c("USD"), "1.0823").expect("ok").per_eur_e9,
            1_082_300_000
        );
        assert_eq!(
            Rate::parse(c("JPY"), "165").expect("ok").per_eur_e9,
            165_000_000_000
        );
        assert_eq!(
            Rate::parse(c("USD"), "1.0823")
                .expect("ok")
                .to_decimal_string(),
            "1.0823"
        );
        for bad in ["", "-1", "0", "1.2.3", "abc", "1.0000000001", "0.0"] {
            assert!(Rate::parse(c("USD"), bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn converts_across_exponents() {
        let eur = Rate::euro();
        let jpy = Rate::parse(c("JPY"), "160").expect("ok");
        let kwd = Rate::parse(c("KWD"), "0.33").expect("ok");
        let rub = Rate::parse(c("RUB"), "95").expect("ok");
        assert_eq!(
            convert(Money::new(1000, c("EUR")), eur, jpy).expect("ok"),
            Money::new(1600, c("JPY"))
        );
        assert_eq!(
            convert(Money::new(1600, c("JPY")), jpy, eur).expect("ok"),
            Money::new(1000, c("EUR"))
        );
        assert_eq!(
            convert(Money::new(1000, c("EUR")), eur, kwd).expect("ok"),
            Money::new(3300, c("KWD"))
        );
        assert_eq!(
            convert(Money::new(999, c("EUR")), eur, rub).expect("ok"),
            Money::new(94905, c("RUB"))
        );
        assert_eq!(
            convert(Money::new(1, c("RUB")), rub, eur).expect("ok"),
            Money::new(0, c("EUR"))
        );
        assert!(convert(Money::new(1, c("RUB")), eur, rub).is_err());
        assert_eq!(cross_rate_e9(eur, rub), 95_000_000_000);
    }
}
