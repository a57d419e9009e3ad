//! Money: `i64` minor units of an ISO 4217 currency, with checked arithmetic.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency that has a minor-unit exponent (funds codes like XAU are not money here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// The euro, the reference currency of exchange rates.
    pub const EUR: Currency = Currency(iso_currency::Currency::EUR);

    /// Parses a three-letter ISO 4217 code (upper case).
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let currency = iso_currency::Currency::from_code(code)
            .filter(|c| c.exponent().is_some())
            .ok_or_else(|| {
                DomainError::new(
                    Code::InvalidCurrency,
                    format!("{code:?} is not an ISO 4217 currency code"),
                )
            })?;
        Ok(Self(currency))
    }

    /// The three-letter code, e.g. `EUR`.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point: JPY 0, EUR 2, KWD 3.
    pub fn exponent(self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(0))
    }

    /// Every currency Caravan accepts.
    pub fn all() -> impl Iterator<Item = Currency> {
        crate::money::codes::ALL
            .iter()
            .filter_map(|code| Currency::parse(code).ok())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// An amount of money: minor units (cents, kopecks, yen) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// An amount in minor units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    fn same_currency(self, other: Money) -> Result<(), DomainError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(DomainError::new(
                Code::CurrencyMismatch,
                format!("cannot combine {} with {}", self.currency, other.currency),
            ))
        }
    }

    /// `self + other`; an error on overflow or when the currencies differ.
    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or_else(overflow)
    }

    /// `self - other`; an error on overflow or when the currencies differ.
    pub fn checked_sub(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or_else(overflow)
    }

    /// `self * n` for a quantity; an error on overflow.
    pub fn checked_mul(self, n: i64) -> Result<Money, DomainError> {
        self.minor
            .checked_mul(n)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or_else(overflow)
    }

    /// A decimal rendering without locale, e.g. `12.50 EUR`, `1200 JPY`.
    pub fn to_decimal_string(self) -> String {
        let exp = self.currency.exponent();
        if exp == 0 {
            return self.minor.to_string();
        }
        let div = 10i128.pow(exp);
        let v = i128::from(self.minor);
        let sign = if v < 0 { "-" } else { "" };
        let v = v.abs();
        format!(
            "{sign}{}.{:0width$}",
            v / div,
            v % div,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

fn overflow() -> DomainError {
    DomainError::new(Code::AmountOutOfRange, "amount is out of range")
}

mod codes {
    /// ISO 4217 active codes (list as published by the maintenance agency).
    pub(super) const ALL: &[&str] = &[
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD",
        "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
        "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN",
        "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
        "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES",
        "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
        "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
        "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP",
        "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK",
        "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT",
        "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND",
        "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).expect("known currency")
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(cur("JPY").exponent(), 0);
        assert_eq!(cur("EUR").exponent(), 2);
        assert_eq!(cur("KWD").exponent(), 3);
        assert_eq!(cur("BHD").exponent(), 3);
        assert_eq!(cur("CLP").exponent(), 0);
    }

    #[test]
    fn unknown_and_lowercase_codes_are_rejected() {
        for code in ["XXX1", "eur", "", "ZZZ", "XAU"] {
            let err = Currency::parse(code).expect_err(code);
            assert_eq!(err.code, "invalid_currency");
        }
    }

    #[test]
    fn most_active_codes_are_known() {
        assert!(Currency::all().count() >= 150);
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let a = Money::new(100, cur("EUR"));
        let b = Money::new(100, cur("USD"));
        assert_eq!(a.checked_add(b).expect_err("mix").code, "currency_mismatch");
        assert_eq!(a.checked_add(a).expect("same").minor(), 200);
    }

    #[test]
    fn overflow_is_an_error() {
        let a = Money::new(i64::MAX, cur("EUR"));
        let sum = a.checked_add(Money::new(1, cur("EUR")));
        assert_eq!(sum.expect_err("overflow").code, "amount_out_of_range");
        assert_eq!(
            a.checked_mul(2).expect_err("overflow").code,
            "amount_out_of_range"
        );
    }

    #[test]
    fn decimal_rendering_uses_the_exponent() {
        assert_eq!(Money::new(1250, cur("EUR")).to_string(), "12.50 EUR");
        assert_eq!(Money::new(1200, cur("JPY")).to_string(), "1200 JPY");
        assert_eq!(Money::new(1005, cur("KWD")).to_string(), "1.005 KWD");
        assert_eq!(Money::new(-5, cur("EUR")).to_string(), "-0.05 EUR");
    }
}
