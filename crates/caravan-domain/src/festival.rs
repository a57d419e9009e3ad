//! The festival's pure rules: a campaign's window and phases, the EU Omnibus reference price (the
//! lowest price of the 30 days before the campaign starts), a deal's checks against the
//! campaign, when a deal is live, and the deal price as the first step of the pricing pipeline.

use crate::error::{Code, DomainError};
use crate::pricing::{Funder, LinePrice, Stage, Step};

/// One day in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// How far back the reference price looks (EU Omnibus Directive, art. 6a).
pub const REFERENCE_WINDOW_MS: i64 = 30 * DAY_MS;
/// The longest campaign: 31 days.
pub const MAX_CAMPAIGN_MS: i64 = 31 * DAY_MS;

/// Where a campaign is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Not open yet.
    Announced,
    /// Merchants enrol deals.
    Enrolment,
    /// Buyers browse, fill carts and collect coupons; enrolment goes on.
    WarmUp,
    /// Deals apply.
    Live,
    /// Over.
    Ended,
}

impl Phase {
    /// The name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Announced => "announced",
            Phase::Enrolment => "enrolment",
            Phase::WarmUp => "warm_up",
            Phase::Live => "live",
            Phase::Ended => "ended",
        }
    }
}

/// A campaign's instants (UTC milliseconds): enrolment opens, warm-up begins, it starts, it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Enrolment opens.
    pub enrol_from: i64,
    /// Warm-up begins (browse, carts, coupons).
    pub warmup_at: i64,
    /// Deals apply from here…
    pub starts_at: i64,
    /// …until here (exclusive).
    pub ends_at: i64,
}

impl Window {
    /// Checks the order of the instants and the length (at most 31 days live).
    pub fn check(self) -> Result<Window, DomainError> {
        let ordered = self.enrol_from <= self.warmup_at
            && self.warmup_at <= self.starts_at
            && self.starts_at < self.ends_at;
        if !ordered || self.ends_at - self.starts_at > MAX_CAMPAIGN_MS || self.enrol_from < 0 {
            return Err(DomainError::new(
                Code::InvalidCampaign,
                "a campaign's instants run enrolment ≤ warm-up ≤ start < end, live at most 31 days",
            ));
        }
        Ok(self)
    }

    /// The phase at `now`.
    pub fn phase(self, now: i64) -> Phase {
        if now >= self.ends_at {
            Phase::Ended
        } else if now >= self.starts_at {
            Phase::Live
        } else if now >= self.warmup_at {
            Phase::WarmUp
        } else if now >= self.enrol_from {
            Phase::Enrolment
        } else {
            Phase::Announced
        }
    }

    /// Whether merchants may enrol at `now` (enrolment, warm-up, and while live).
    pub fn enrolling(self, now: i64) -> bool {
        matches!(
            self.phase(now),
            Phase::Enrolment | Phase::WarmUp | Phase::Live
        )
    }
}

/// The reference price of a deal: the lowest price in force at any moment of the 30 days before
/// `starts_at`. `history` is the variant's price changes as (from instant, price), in any order.
/// A variant first priced inside the window counts from then; one first priced after the start
/// has no earlier price, and its first price is the reference.
pub fn reference_price(history: &[(i64, i64)], starts_at: i64) -> Option<i64> {
    let from = starts_at - REFERENCE_WINDOW_MS;
    let mut sorted: Vec<(i64, i64)> = history.to_vec();
    sorted.sort_unstable();
    // The price in force when the window opens, and every price set inside it.
    let at_open = sorted.iter().rev().find(|(at, _)| *at <= from).map(|p| p.1);
    let inside = sorted
        .iter()
        .filter(|(at, _)| *at > from && *at < starts_at)
        .map(|p| p.1);
    let lowest = at_open.into_iter().chain(inside).min();
    lowest.or_else(|| sorted.first().map(|p| p.1))
}

/// The discount of `price` below `reference`, in basis points (rounded down).
pub fn discount_bps(reference: i64, price: i64) -> i64 {
    if reference <= 0 || price >= reference {
        return 0;
    }
    let off = i128::from(reference - price) * 10_000 / i128::from(reference);
    i64::try_from(off).unwrap_or(0)
}

/// What a merchant commits to a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealTerms {
    /// Deal price per unit, the store's currency.
    pub price_minor: i64,
    /// Units committed (the cap).
    pub cap: i64,
    /// Units one buyer may take.
    pub per_buyer: i64,
    /// An optional flash slot inside the campaign (start, end).
    pub slot: Option<(i64, i64)>,
}

/// What a campaign asks of its deals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealRules {
    /// The campaign's window.
    pub window: Window,
    /// Smallest discount against the reference price, basis points.
    pub min_discount_bps: i64,
    /// Fewest units a deal commits.
    pub min_units: i64,
}

/// Checks a deal against its campaign, the reference price and the stock it is taken from.
pub fn check_deal(
    terms: DealTerms,
    rules: DealRules,
    reference: i64,
    stock: i64,
) -> Result<DealTerms, DomainError> {
    let bad = |what: &str| Err(DomainError::new(Code::InvalidDeal, what.to_owned()));
    if terms.price_minor <= 0 || terms.price_minor >= reference {
        return bad("a deal price is positive and below the reference price");
    }
    if terms.cap < rules.min_units.max(1) || terms.cap > stock {
        return bad(
            "the committed units are at least the campaign's minimum and at most the stock",
        );
    }
    if !(1..=terms.cap.min(99)).contains(&terms.per_buyer) {
        return bad("a per-buyer limit is 1 to 99 and at most the committed units");
    }
    if let Some((from, to)) = terms.slot {
        if from >= to || from < rules.window.starts_at || to > rules.window.ends_at {
            return bad("a flash slot lies inside the campaign's live window");
        }
    }
    if discount_bps(reference, terms.price_minor) < rules.min_discount_bps {
        return Err(DomainError::new(
            Code::DiscountTooSmall,
            format!(
                "the campaign asks for at least {}.{:02}% off the reference price {reference}",
                rules.min_discount_bps / 100,
                rules.min_discount_bps % 100
            ),
        ));
    }
    Ok(terms)
}

/// Whether a deal applies at `now`: the campaign is live, and so is its flash slot if it has one.
pub fn deal_live(window: Window, slot: Option<(i64, i64)>, now: i64) -> bool {
    window.phase(now) == Phase::Live && slot.is_none_or(|(from, to)| now >= from && now < to)
}

/// The deal price as the first step of the pricing pipeline: on each line with a deal, the
/// difference between the list price and the deal price, funded by the merchant.
pub struct DealStep {
    /// Per line: the deal's unit price and its id, or `None`.
    pub deals: Vec<Option<(i64, String)>>,
    /// Units per line.
    pub quantities: Vec<i64>,
}

impl Step for DealStep {
    fn stage(&self) -> Stage {
        Stage::Deal
    }

    fn funder(&self) -> Funder {
        Funder::Merchant
    }

    fn source(&self) -> &str {
        "deal"
    }

    fn reductions(&self, lines: &[LinePrice]) -> Result<Vec<i64>, DomainError> {
        let overflow = || DomainError::new(Code::AmountOutOfRange, "a deal amount is out of range");
        lines
            .iter()
            .zip(self.deals.iter().zip(&self.quantities))
            .map(|(line, (deal, q))| match deal {
                None => Ok(0),
                Some((price, _)) => {
                    let at_deal = price.checked_mul(*q).ok_or_else(overflow)?;
                    Ok((line.amount_minor - at_deal).clamp(0, line.amount_minor))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::{price_lines, LineIn};

    const START: i64 = 100 * DAY_MS;

    fn window() -> Window {
        Window {
            enrol_from: START - 20 * DAY_MS,
            warmup_at: START - DAY_MS,
            starts_at: START,
            ends_at: START + DAY_MS,
        }
    }

    #[test]
    fn phases_follow_the_window() {
        let w = window().check().expect("valid");
        assert_eq!(w.phase(0), Phase::Announced);
        assert_eq!(w.phase(START - 5 * DAY_MS), Phase::Enrolment);
        assert_eq!(w.phase(START - 1), Phase::WarmUp);
        assert_eq!(w.phase(START), Phase::Live);
        assert_eq!(w.phase(START + DAY_MS), Phase::Ended);
        let mut backwards = window();
        backwards.ends_at = START;
        assert_eq!(
            backwards.check().expect_err("empty").code,
            "invalid_campaign"
        );
        let mut long = window();
        long.ends_at = START + 32 * DAY_MS;
        assert!(long.check().is_err());
    }

    /// The Omnibus rule: a price raised the week before the campaign does not raise the
    /// reference price; a price lowered inside the window lowers it; prices before the window
    /// count only as the one in force when it opened.
    #[test]
    fn the_reference_price_is_the_lowest_of_the_30_days_before() {
        let raised = [(START - 60 * DAY_MS, 1000), (START - 7 * DAY_MS, 1500)];
        assert_eq!(reference_price(&raised, START), Some(1000));
        let dipped = [
            (START - 90 * DAY_MS, 800),
            (START - 40 * DAY_MS, 1200),
            (START - 10 * DAY_MS, 1100),
            (START - 5 * DAY_MS, 1300),
        ];
        assert_eq!(reference_price(&dipped, START), Some(1100));
        let after_start = [(START + DAY_MS, 900)];
        assert_eq!(reference_price(&after_start, START), Some(900));
        let lowered_at_start = [(START - 40 * DAY_MS, 1000), (START, 500)];
        assert_eq!(reference_price(&lowered_at_start, START), Some(1000));
        assert_eq!(reference_price(&[], START), None);
    }

    #[test]
    fn deals_are_checked_against_the_campaign() {
        let rules = DealRules {
            window: window(),
            min_discount_bps: 2000,
            min_units: 10,
        };
        let terms = DealTerms {
            price_minor: 700,
            cap: 50,
            per_buyer: 2,
            slot: Some((START, START + 3_600_000)),
        };
        assert_eq!(check_deal(terms, rules, 1000, 100), Ok(terms));
        let code =
            |t: DealTerms, stock: i64| check_deal(t, rules, 1000, stock).expect_err("bad").code;
        assert_eq!(
            code(
                DealTerms {
                    price_minor: 850,
                    ..terms
                },
                100
            ),
            "discount_too_small"
        );
        assert_eq!(
            code(
                DealTerms {
                    price_minor: 1000,
                    ..terms
                },
                100
            ),
            "invalid_deal"
        );
        assert_eq!(code(terms, 49), "invalid_deal");
        assert_eq!(code(DealTerms { cap: 9, ..terms }, 100), "invalid_deal");
        assert_eq!(
            code(
                DealTerms {
                    per_buyer: 0,
                    ..terms
                },
                100
            ),
            "invalid_deal"
        );
        let outside = Some((START - 1, START + 10));
        assert_eq!(
            code(
                DealTerms {
                    slot: outside,
                    ..terms
                },
                100
            ),
            "invalid_deal"
        );
        assert_eq!(discount_bps(1000, 700), 3000);
        assert_eq!(discount_bps(1000, 1200), 0);
    }

    #[test]
    fn a_deal_applies_only_while_it_is_live() {
        let w = window();
        assert!(!deal_live(w, None, START - 1));
        assert!(deal_live(w, None, START));
        let slot = Some((START + 100, START + 200));
        assert!(!deal_live(w, slot, START + 99));
        assert!(deal_live(w, slot, START + 150));
        assert!(!deal_live(w, slot, START + 200));
    }

    #[test]
    fn the_deal_step_takes_list_minus_deal_price() {
        let lines = [
            LineIn {
                unit_minor: 1000,
                quantity: 2,
            },
            LineIn {
                unit_minor: 500,
                quantity: 1,
            },
        ];
        let step = DealStep {
            deals: vec![Some((700, "del_x".into())), None],
            quantities: vec![2, 1],
        };
        let p = price_lines(&lines, &[&step]).expect("priced");
        assert_eq!((p[0].amount_minor, p[1].amount_minor), (1400, 500));
        assert_eq!(p[0].funded_by(Funder::Merchant), 600);
    }
}
