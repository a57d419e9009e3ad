//! Creator tiers (Connect): a creator's tier follows the commission confirmed to them over the
//! last 90 days, in euros; each tier adds a bonus to every rate a merchant offers. Operators
//! set the ladder: 1 to 8 tiers, the first from zero, thresholds rising, bonuses never falling.

use crate::code::Code;
use crate::error::DomainError;

/// The window tiers are computed over.
pub const WINDOW_MS: i64 = 90 * 24 * 60 * 60 * 1000;
/// The largest bonus a tier may add: 20 percentage points.
pub const MAX_BONUS_BPS: i64 = 2_000;

/// One rung of the ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRule {
    /// Shown to creators (Starter, Rising…).
    pub name: String,
    /// Commission confirmed over the window, in euro cents, from which it applies.
    pub min_eur_minor: i64,
    /// Added to every rate, in basis points.
    pub bonus_bps: i64,
}

/// The ladder a new marketplace starts with: Starter, Rising (€500, +0.5%), Star (€5,000, +1%),
/// Icon (€50,000, +2%).
pub fn default_ladder() -> Vec<TierRule> {
    [
        ("Starter", 0, 0),
        ("Rising", 50_000, 50),
        ("Star", 500_000, 100),
        ("Icon", 5_000_000, 200),
    ]
    .into_iter()
    .map(|(name, min, bonus)| TierRule {
        name: name.to_owned(),
        min_eur_minor: min,
        bonus_bps: bonus,
    })
    .collect()
}

/// Checks a ladder.
pub fn check_ladder(rules: &[TierRule]) -> Result<(), DomainError> {
    let bad = |m: &str| Err(DomainError::new(Code::InvalidTiers, m.to_owned()));
    if rules.is_empty() || rules.len() > 8 {
        return bad("a ladder has 1 to 8 tiers");
    }
    if rules[0].min_eur_minor != 0 {
        return bad("the first tier starts at zero");
    }
    for r in rules {
        let n = r.name.trim().chars().count();
        if n == 0 || n > 30 || r.name.chars().any(char::is_control) {
            return bad("a tier's name has 1 to 30 characters");
        }
        if !(0..=MAX_BONUS_BPS).contains(&r.bonus_bps) {
            return bad("a tier's bonus is 0 to 2000 basis points");
        }
    }
    for w in rules.windows(2) {
        if w[1].min_eur_minor <= w[0].min_eur_minor || w[1].bonus_bps < w[0].bonus_bps {
            return bad("thresholds rise and bonuses never fall from one tier to the next");
        }
        if w[1].name.trim().eq_ignore_ascii_case(w[0].name.trim()) {
            return bad("tiers have different names");
        }
    }
    Ok(())
}

/// The tier of a creator who earned `eur_minor` over the window (index into the ladder).
pub fn tier_of(rules: &[TierRule], eur_minor: i64) -> usize {
    rules
        .iter()
        .rposition(|r| r.min_eur_minor <= eur_minor)
        .unwrap_or(0)
}

/// The UTC milliseconds of a month `YYYY-MM` (this month if none): [first day, next month).
pub fn month_range(month: Option<&str>, now: i64) -> Result<(i64, i64), DomainError> {
    let bad = || DomainError::new(Code::InvalidMonth, "a month is written YYYY-MM");
    let (y, m) = match month {
        Some(s) => {
            let (y, m) = s.split_once('-').ok_or_else(bad)?;
            let y: i32 = y.parse().map_err(|_| bad())?;
            let m: u8 = m.parse().map_err(|_| bad())?;
            (y, m)
        }
        None => {
            let t = time::OffsetDateTime::from_unix_timestamp(now / 1000).map_err(|_| bad())?;
            (t.year(), u8::from(t.month()))
        }
    };
    let start = |y: i32, m: u8| -> Result<i64, DomainError> {
        let month = time::Month::try_from(m).map_err(|_| bad())?;
        let d = time::Date::from_calendar_date(y, month, 1).map_err(|_| bad())?;
        Ok(d.midnight().assume_utc().unix_timestamp() * 1000)
    };
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Ok((start(y, m)?, start(ny, nm)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_threshold_reached_is_the_tier() {
        let l = default_ladder();
        check_ladder(&l).expect("the default ladder is valid");
        assert_eq!(tier_of(&l, 0), 0);
        assert_eq!(tier_of(&l, 49_999), 0);
        assert_eq!(tier_of(&l, 50_000), 1);
        assert_eq!(tier_of(&l, 9_999_999), 3);
        assert_eq!(tier_of(&l, -500), 0);
    }

    #[test]
    fn ladders_are_checked() {
        let mut l = default_ladder();
        l[0].min_eur_minor = 1;
        assert!(check_ladder(&l).is_err());
        let mut l = default_ladder();
        l[2].bonus_bps = 10;
        assert!(check_ladder(&l).is_err());
        let mut l = default_ladder();
        l[3].min_eur_minor = l[2].min_eur_minor;
        assert!(check_ladder(&l).is_err());
        let mut l = default_ladder();
        l[1].bonus_bps = 2_001;
        assert!(check_ladder(&l).is_err());
        assert!(check_ladder(&[]).is_err());
        let mut l = default_ladder();
        l[1].name = "starter".into();
        assert!(check_ladder(&l).is_err());
    }
}

#[cfg(test)]
mod month_tests {
    use super::*;

    #[test]
    fn months_are_their_first_day_to_the_next() {
        let (a, b) = month_range(Some("2026-12"), 0).expect("ok");
        assert_eq!(crate::rfc3339(a), "2026-12-01T00:00:00Z");
        assert_eq!(crate::rfc3339(b), "2027-01-01T00:00:00Z");
        for bad in ["2026-13", "2026", "x-01", "2026-00"] {
            assert!(month_range(Some(bad), 0).is_err(), "{bad}");
        }
    }
}
