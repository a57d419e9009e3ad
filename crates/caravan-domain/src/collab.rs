//! Connect's collaborations: a merchant's brief asking creators to feature some of its products,
//! paid per sale (a rate for accepted creators on those products) or by a fixed fee (held from
//! the store's balance at acceptance, paid to the creator when they deliver a post). The terms,
//! the brief's limits and the life of an application are checked here.

use crate::account::{clean_name, is_invisible};
use crate::code::Code;
use crate::commission;
use crate::error::DomainError;

/// Most products one brief features.
pub const MAX_PRODUCTS: usize = 12;
/// Most creators one brief accepts.
pub const MAX_PLACES: i64 = 100;
/// The longest a collaboration runs: 180 days.
pub const MAX_RUN_MS: i64 = 180 * 24 * 60 * 60 * 1000;
/// The highest fixed fee, in whole units of the store's currency.
pub const MAX_FEE_UNITS: i64 = 100_000;

fn bad(message: &str) -> DomainError {
    DomainError::new(Code::InvalidCollaboration, message)
}

/// How accepted creators are paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// A commission rate on the brief's products for accepted creators' sales (basis points).
    PerSale(i64),
    /// A fixed fee per accepted creator, in minor units of the store's currency.
    FixedFee(i64),
}

impl Terms {
    /// Parses `per_sale` with a rate (3% to 50%) or `fixed_fee` with an amount; `exponent` is
    /// the store currency's.
    pub fn parse(kind: &str, value: i64, exponent: u32) -> Result<Terms, DomainError> {
        let max_fee = MAX_FEE_UNITS.saturating_mul(10i64.pow(exponent));
        match kind {
            "per_sale" => commission::check_rate(value)
                .map(Terms::PerSale)
                .map_err(|_| bad("a per-sale rate is 300 to 5000 basis points")),
            "fixed_fee" if (1..=max_fee).contains(&value) => Ok(Terms::FixedFee(value)),
            "fixed_fee" => Err(bad("a fixed fee is positive and at most 100,000 units")),
            _ => Err(bad("a collaboration pays per_sale or a fixed_fee")),
        }
    }

    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Terms::PerSale(_) => "per_sale",
            Terms::FixedFee(_) => "fixed_fee",
        }
    }

    /// The stored value: basis points, or minor units.
    pub fn value(self) -> i64 {
        match self {
            Terms::PerSale(v) | Terms::FixedFee(v) => v,
        }
    }
}

/// A brief's text: 10 to 2000 characters; line breaks allowed, other control, bidi or invisible
/// characters not.
pub fn brief(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let n = t.chars().count();
    let clean = !t
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_invisible(c));
    if (10..=2_000).contains(&n) && clean {
        Ok(t.to_owned())
    } else {
        Err(bad("a brief has 10 to 2000 characters"))
    }
}

/// A title: 1 to 120 characters.
pub fn title(s: &str) -> Result<String, DomainError> {
    clean_name(
        s,
        120,
        Code::InvalidCollaboration,
        "a collaboration's title",
    )
}

/// A brief's products: 1 to 12, none twice.
pub fn products(ids: &[String]) -> Result<(), DomainError> {
    let mut seen = std::collections::BTreeSet::new();
    let distinct = ids.iter().all(|id| seen.insert(id.as_str()));
    if (1..=MAX_PRODUCTS).contains(&ids.len()) && distinct {
        Ok(())
    } else {
        Err(bad(
            "a brief features 1 to 12 distinct products of the store",
        ))
    }
}

/// The places and the end: 1 to 100 creators, ending after `now` and within 180 days.
pub fn run(places: i64, ends_at: i64, now: i64) -> Result<(), DomainError> {
    if !(1..=MAX_PLACES).contains(&places) {
        return Err(bad("a collaboration accepts 1 to 100 creators"));
    }
    if ends_at <= now || ends_at - now > MAX_RUN_MS {
        return Err(bad("a collaboration ends in the future, within 180 days"));
    }
    Ok(())
}

/// Where a creator's application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for the merchant.
    Applied,
    /// Accepted: per sale, the rate applies; for a fee, the fee is held.
    Accepted,
    /// Declined by the merchant.
    Rejected,
    /// The creator delivered a post and was paid the fee.
    Delivered,
    /// Accepted, not delivered by the end; the held fee went back to the store.
    Lapsed,
}

impl State {
    /// Parses a stored state.
    pub fn parse(s: &str) -> Option<State> {
        Some(match s {
            "applied" => State::Applied,
            "accepted" => State::Accepted,
            "rejected" => State::Rejected,
            "delivered" => State::Delivered,
            "lapsed" => State::Lapsed,
            _ => return None,
        })
    }

    /// The stored state.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Accepted => "accepted",
            State::Rejected => "rejected",
            State::Delivered => "delivered",
            State::Lapsed => "lapsed",
        }
    }
}

/// What a merchant or a creator does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The merchant accepts (before the end, while places remain).
    Accept,
    /// The merchant declines.
    Reject,
    /// The creator delivers a post (fixed fee, accepted, before the end).
    Deliver,
    /// The merchant takes back an undelivered fee after the end.
    Lapse,
}

impl Step {
    /// Parses the merchant's decision: `accept`, `reject` or `lapse`.
    pub fn decision(s: &str) -> Result<Step, DomainError> {
        match s {
            "accept" => Ok(Step::Accept),
            "reject" => Ok(Step::Reject),
            "lapse" => Ok(Step::Lapse),
            _ => Err(bad("a decision is accept, reject or lapse")),
        }
    }
}

/// The state after `step`, given the terms and whether the collaboration has ended; a step the
/// state does not allow is `invalid_transition`.
pub fn next(state: State, step: Step, terms: Terms, ended: bool) -> Result<State, DomainError> {
    let fee = matches!(terms, Terms::FixedFee(_));
    let to = match (state, step) {
        (State::Applied, Step::Accept) if !ended => State::Accepted,
        (State::Applied, Step::Reject) => State::Rejected,
        (State::Accepted, Step::Deliver) if fee && !ended => State::Delivered,
        (State::Accepted, Step::Lapse) if fee && ended => State::Lapsed,
        _ => {
            return Err(DomainError::new(
                Code::InvalidTransition,
                "the application is not in a state that allows this",
            ))
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_checked() {
        assert_eq!(
            Terms::parse("per_sale", 1_200, 2).ok(),
            Some(Terms::PerSale(1_200))
        );
        assert!(Terms::parse("per_sale", 200, 2).is_err());
        assert_eq!(
            Terms::parse("fixed_fee", 15_000, 2).ok(),
            Some(Terms::FixedFee(15_000))
        );
        assert!(Terms::parse("fixed_fee", 0, 2).is_err());
        assert!(Terms::parse("fixed_fee", 10_000_001, 2).is_err());
        assert!(Terms::parse("barter", 1, 2).is_err());
    }

    #[test]
    fn briefs_products_and_runs_are_checked() {
        assert!(brief("Show our scarves\non the stands").is_ok());
        assert!(brief("short").is_err());
        assert!(brief("ten chars\u{202E}!!").is_err());
        assert!(products(&["prd_a".into(), "prd_b".into()]).is_ok());
        assert!(products(&[]).is_err());
        assert!(products(&["prd_a".into(), "prd_a".into()]).is_err());
        assert!(run(3, 10, 5).is_ok());
        assert!(run(0, 10, 5).is_err());
        assert!(run(3, 5, 5).is_err());
        assert!(run(3, 5 + MAX_RUN_MS + 1, 5).is_err());
    }

    #[test]
    fn applications_move_only_as_the_terms_allow() {
        let fee = Terms::FixedFee(100);
        let sale = Terms::PerSale(900);
        assert_eq!(
            next(State::Applied, Step::Accept, sale, false).ok(),
            Some(State::Accepted)
        );
        assert!(next(State::Applied, Step::Accept, sale, true).is_err());
        assert!(next(State::Accepted, Step::Deliver, sale, false).is_err());
        assert_eq!(
            next(State::Accepted, Step::Deliver, fee, false).ok(),
            Some(State::Delivered)
        );
        assert!(next(State::Accepted, Step::Lapse, fee, false).is_err());
        assert_eq!(
            next(State::Accepted, Step::Lapse, fee, true).ok(),
            Some(State::Lapsed)
        );
        assert!(next(State::Delivered, Step::Lapse, fee, true).is_err());
        assert_eq!(
            next(State::Applied, Step::Reject, fee, true).ok(),
            Some(State::Rejected)
        );
        for s in ["applied", "accepted", "rejected", "delivered", "lapsed"] {
            assert_eq!(State::parse(s).map(State::as_str), Some(s));
        }
        assert!(Step::decision("maybe").is_err());
    }
}
