//! Charity programmes (campaign sites): a cause with its texts, partner, target and window;
//! sellers' pledges (a share of each campaign sale, or a fixed amount per unit) and what one
//! order line pledges — never more than the store keeps of it after the fee and the creator's
//! commission.

use crate::account::{clean_name, is_invisible};
use crate::code::Code;
use crate::error::DomainError;
use crate::locale::Locale;
use std::collections::BTreeMap;

/// The highest share a store may pledge: 50%, in basis points.
pub const MAX_PLEDGE_BPS: i64 = 5_000;
/// The longest a cause collects: 92 days.
pub const MAX_CAUSE_MS: i64 = 92 * 24 * 60 * 60 * 1000;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 2_000;

fn bad_cause(message: &str) -> DomainError {
    DomainError::new(Code::InvalidCause, message)
}

fn bad_pledge(message: &str) -> DomainError {
    DomainError::new(Code::InvalidPledge, message)
}

/// What a store gives of each campaign sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// A share of the line after all discounts, in basis points (1 to 5000).
    Percent(i64),
    /// A fixed amount per unit sold, in the store's currency.
    PerUnit(i64),
}

impl Terms {
    /// Parses `percent` with basis points, or `per_unit` with an amount in minor units.
    pub fn parse(kind: &str, value: i64) -> Result<Terms, DomainError> {
        match kind {
            "percent" if (1..=MAX_PLEDGE_BPS).contains(&value) => Ok(Terms::Percent(value)),
            "per_unit" if (1..=1_000_000_000).contains(&value) => Ok(Terms::PerUnit(value)),
            "percent" | "per_unit" => Err(bad_pledge(
                "a share is 1 to 5000 basis points; an amount per unit is positive",
            )),
            _ => Err(bad_pledge("a pledge's kind is percent or per_unit")),
        }
    }

    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Terms::Percent(_) => "percent",
            Terms::PerUnit(_) => "per_unit",
        }
    }

    /// The stored value: basis points, or minor units per unit.
    pub fn value(self) -> i64 {
        match self {
            Terms::Percent(v) | Terms::PerUnit(v) => v,
        }
    }
}

/// What one order line pledges: the share of its total (rounded down) or the amount per unit,
/// never more than `room` — what the store keeps of the line after the fee and the commission.
pub fn line_pledge(terms: Terms, line_total: i64, quantity: i64, room: i64) -> i64 {
    let raw = match terms {
        Terms::Percent(bps) => {
            i64::try_from(i128::from(line_total.max(0)) * i128::from(bps) / 10_000)
                .unwrap_or(i64::MAX)
        }
        Terms::PerUnit(minor) => minor.saturating_mul(quantity.max(0)),
    };
    let pledged = raw.min(room.max(0));
    assert!(
        pledged >= 0 && pledged <= line_total.max(0),
        "a pledge within its line"
    );
    pledged
}

/// What a buyer gives at checkout, in their currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Donation {
    /// What is missing to the next whole unit of the payment (none if it is whole).
    RoundUp,
    /// A fixed amount in minor units.
    Fixed(i64),
}

impl Donation {
    /// Parses `round_up`, or `fixed` with an amount of 1 minor unit to 1000 whole units of a
    /// currency with `exponent` decimals.
    pub fn parse(kind: &str, amount: Option<i64>, exponent: u32) -> Result<Donation, DomainError> {
        let most = 1_000i64.saturating_mul(10i64.pow(exponent));
        match (kind, amount) {
            ("round_up", None) => Ok(Donation::RoundUp),
            ("fixed", Some(a)) if (1..=most).contains(&a) => Ok(Donation::Fixed(a)),
            _ => Err(DomainError::new(
                Code::InvalidDonation,
                "a donation is a round_up (no amount) or fixed (1 minor unit to 1000 whole units)",
            )),
        }
    }

    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Donation::RoundUp => "round_up",
            Donation::Fixed(_) => "fixed",
        }
    }

    /// The amount given on a payment of `total` minor units (exponent `exponent`).
    pub fn amount(self, total: i64, exponent: u32) -> i64 {
        match self {
            Donation::Fixed(a) => a,
            Donation::RoundUp => {
                let unit = 10i64.pow(exponent);
                (unit - total.rem_euclid(unit)) % unit
            }
        }
    }
}

/// A cause's name and description in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CauseText {
    /// 1 to 120 characters.
    pub name: String,
    /// Up to 2,000 characters, line breaks allowed.
    pub description: String,
}

/// A cause's texts by locale, cleaned: English and any of the other seven.
pub fn cause_texts(
    raw: &BTreeMap<String, (String, String)>,
) -> Result<BTreeMap<Locale, CauseText>, DomainError> {
    let mut out = BTreeMap::new();
    for (code, (name, description)) in raw {
        let locale = Locale::parse(code).map_err(|_| bad_cause("an unknown language"))?;
        let name = clean_name(name, 120, Code::InvalidCause, "a cause's name")?;
        let description = description.trim().replace("\r\n", "\n");
        let d = description.as_str();
        let clean = !d
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_invisible(c));
        if d.chars().count() > MAX_DESCRIPTION || !clean {
            return Err(bad_cause(
                "a description has up to 2000 characters, no control or invisible ones",
            ));
        }
        out.insert(locale, CauseText { name, description });
    }
    if !out.contains_key(&Locale::En) {
        return Err(bad_cause("a cause needs its name in English"));
    }
    Ok(out)
}

/// Checks a cause's collecting window (UTC milliseconds): start before end, at most 92 days.
pub fn check_window(starts_at: i64, ends_at: i64) -> Result<(i64, i64), DomainError> {
    if starts_at < 0 || starts_at >= ends_at || ends_at - starts_at > MAX_CAUSE_MS {
        return Err(bad_cause(
            "a cause collects from its start to its end, at most 92 days",
        ));
    }
    Ok((starts_at, ends_at))
}

/// Checks a target in minor units (positive).
pub fn check_target(minor: i64) -> Result<i64, DomainError> {
    if minor > 0 && minor <= 1_000_000_000_000_000 {
        Ok(minor)
    } else {
        Err(bad_cause("a target is a positive amount"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pledge_is_its_share_or_per_unit_and_never_more_than_the_room() {
        let ten = Terms::parse("percent", 1_000).expect("10%");
        assert_eq!(line_pledge(ten, 2_999, 1, 2_000), 299);
        assert_eq!(line_pledge(ten, 2_999, 1, 100), 100);
        let per = Terms::parse("per_unit", 150).expect("1.50 a unit");
        assert_eq!(line_pledge(per, 5_000, 3, 4_000), 450);
        assert_eq!(line_pledge(per, 5_000, 3, -5), 0);
        assert_eq!(per.kind(), "per_unit");
        assert_eq!(per.value(), 150);
        for (kind, value) in [
            ("percent", 0),
            ("percent", 5_001),
            ("per_unit", 0),
            ("gift", 5),
        ] {
            assert_eq!(
                Terms::parse(kind, value).expect_err("refused").code,
                "invalid_pledge"
            );
        }
    }

    #[test]
    fn a_donation_rounds_up_to_the_next_unit_or_gives_a_fixed_amount() {
        let up = Donation::parse("round_up", None, 2).expect("round-up");
        assert_eq!(up.amount(4_730, 2), 70);
        assert_eq!(up.amount(4_700, 2), 0);
        assert_eq!(up.amount(1_234, 0), 0);
        assert_eq!(
            Donation::parse("fixed", Some(500), 2)
                .expect("fixed")
                .amount(4_730, 2),
            500
        );
        assert!(Donation::parse("fixed", Some(100_001), 2).is_err());
        assert!(Donation::parse("fixed", None, 2).is_err());
        assert!(Donation::parse("round_up", Some(5), 2).is_err());
        assert_eq!(up.kind(), "round_up");
    }

    #[test]
    fn a_cause_needs_english_and_a_bounded_window() {
        let mut raw = BTreeMap::from([("fr".to_owned(), ("Nager".to_owned(), String::new()))]);
        assert_eq!(
            cause_texts(&raw).expect_err("no English").code,
            "invalid_cause"
        );
        raw.insert(
            "en".into(),
            ("  Learn to swim ".into(), "Line\r\ntwo".into()),
        );
        let texts = cause_texts(&raw).expect("valid");
        assert_eq!(texts[&Locale::En].name, "Learn to swim");
        assert_eq!(texts[&Locale::En].description, "Line\ntwo");
        raw.insert("pl".into(), ("Pływanie".into(), "bad\u{202E}".into()));
        assert!(cause_texts(&raw).is_err());
        assert!(check_window(10, 10).is_err());
        assert!(check_window(0, MAX_CAUSE_MS + 1).is_err());
        assert_eq!(check_window(5, 9).ok(), Some((5, 9)));
        assert!(check_target(0).is_err());
        assert_eq!(check_target(100_000).ok(), Some(100_000));
    }
}
