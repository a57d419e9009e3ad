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
/// What the platform spends on the discounts it funds (platform coupons).
pub const PLATFORM_PROMOTIONS: &str = "platform:promotions";

/// What the marketplace owes one merchant.
pub fn merchant_payable(merchant_id: &str) -> String {
    format!("merchant:{merchant_id}")
}

/// What one creator has earned and may be paid (Connect); negative after a clawback, until
/// later earnings cover it.
pub fn creator_available(creator_id: &str) -> String {
    format!("creator:{creator_id}")
}

/// A creator's commission on orders not completed yet, carved out of escrow at payment.
pub fn creator_pending(creator_id: &str) -> String {
    format!("creator:{creator_id}:pending")
}

/// A creator's commission on completed orders, held until the refund period has passed.
pub fn creator_held(creator_id: &str) -> String {
    format!("creator:{creator_id}:held")
}

/// A cause's pledges on orders not completed yet, carved out of escrow at payment.
pub fn charity_pending(cause_id: &str) -> String {
    format!("charity:{cause_id}:pending")
}

/// A cause's confirmed money (pledges of completed orders, buyers' donations) not yet remitted
/// to its partner.
pub fn charity_raised(cause_id: &str) -> String {
    format!("charity:{cause_id}")
}

/// The fees a collaboration holds for accepted creators who have not delivered yet.
pub fn collab_held(collab_id: &str) -> String {
    format!("collab:{collab_id}")
}

/// A part of a completed order's release carved out for someone else: `amount` moves from
/// `pending` (where it was set aside at payment) to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carve {
    /// The account it was set aside in.
    pub pending: String,
    /// Where it goes now.
    pub to: String,
    /// Minor units, the order's currency.
    pub amount: i64,
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

/// One leg per account and currency: the legs of `postings` that name the same account in the
/// same currency summed (in the order they first appear), legs that sum to zero left out. A
/// payment that carves a commission out of escrow becomes "escrow + the rest" rather than
/// "escrow + all, escrow − the commission": the same balances, one ledger row less.
pub fn merged(postings: Vec<Posting>) -> Vec<Posting> {
    let mut out: Vec<Posting> = Vec::with_capacity(postings.len());
    for p in postings {
        let same = out
            .iter_mut()
            .find(|o| o.account == p.account && o.amount.currency() == p.amount.currency());
        match same {
            Some(o) => {
                let c = o.amount.currency();
                o.amount = Money::new(o.amount.minor().saturating_add(p.amount.minor()), c);
            }
            None => out.push(p),
        }
    }
    out.retain(|p| p.amount.minor() != 0);
    out
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

/// The postings of a platform-funded discount on an order: the platform puts `amount` into
/// escrow beside the buyer's payment, so the merchant is settled on the price before it.
pub fn promotion(amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(PLATFORM_PROMOTIONS, -amount.minor(), c),
        Posting::new(ESCROW, amount.minor(), c),
    ]
}

/// The platform's share of a refund goes back to its promotions account; `from` (escrow or the
/// merchant's payable) pays it. Used beside [`refund`], which returns the buyer's share.
pub fn promotion_back(from: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(from, -amount.minor(), c),
        Posting::new(PLATFORM_PROMOTIONS, amount.minor(), c),
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

/// A creator's commission on a paid order set aside from escrow until the order completes.
pub fn commission_accrue(creator_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(ESCROW, -amount.minor(), c),
        Posting::new(creator_pending(creator_id), amount.minor(), c),
    ]
}

/// The pending commission on a refunded part of an order, back into escrow (to be refunded).
pub fn commission_reverse(creator_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(creator_pending(creator_id), -amount.minor(), c),
        Posting::new(ESCROW, amount.minor(), c),
    ]
}

/// The postings that release what escrow holds of a completed order: `amount` to the merchant
/// less the platform `fee` and the `carves` (a creator's commission, a cause's pledge), each of
/// which moves from where it was set aside at payment to its owner — escrow pays `amount` less
/// the carves.
pub fn release_carved(
    merchant_id: &str,
    amount: Money,
    fee: i64,
    carves: &[Carve],
) -> Vec<Posting> {
    let c = amount.currency();
    let carved: i64 = carves.iter().map(|k| k.amount).sum();
    let mut postings = release(merchant_id, amount, fee);
    postings[0] = Posting::new(ESCROW, carved - amount.minor(), c);
    postings[1] = Posting::new(
        merchant_payable(merchant_id),
        amount.minor() - fee - carved,
        c,
    );
    for k in carves.iter().filter(|k| k.amount != 0) {
        postings.push(Posting::new(&k.pending, -k.amount, c));
        postings.push(Posting::new(&k.to, k.amount, c));
    }
    postings
}

/// [`release_carved`] with a creator's commission, which moves from pending to held.
pub fn release_with_commission(
    merchant_id: &str,
    creator_id: &str,
    amount: Money,
    fee: i64,
    commission: i64,
) -> Vec<Posting> {
    let carve = Carve {
        pending: creator_pending(creator_id),
        to: creator_held(creator_id),
        amount: commission,
    };
    release_carved(merchant_id, amount, fee, &[carve])
}

/// A cause's pledge on a paid order set aside from escrow until the order completes.
pub fn pledge_accrue(cause_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(ESCROW, -amount.minor(), c),
        Posting::new(charity_pending(cause_id), amount.minor(), c),
    ]
}

/// The pending pledge on a refunded part of an order, back into escrow (to be refunded).
pub fn pledge_reverse(cause_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(charity_pending(cause_id), -amount.minor(), c),
        Posting::new(ESCROW, amount.minor(), c),
    ]
}

/// The pledge on a part of a completed order refunded by the merchant goes back to the
/// merchant from the cause's confirmed money (below zero if it was remitted already: later
/// pledges cover it before the next remittance).
pub fn pledge_return(cause_id: &str, merchant_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(charity_raised(cause_id), -amount.minor(), c),
        Posting::new(merchant_payable(merchant_id), amount.minor(), c),
    ]
}

/// A buyer's donation at checkout: their own money, straight to the cause (in their currency).
pub fn donation(cause_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(EXTERNAL_PAYMENTS, -amount.minor(), c),
        Posting::new(charity_raised(cause_id), amount.minor(), c),
    ]
}

/// A remittance to a cause's partner: each `(balance, converted)` part takes the cause's
/// confirmed money in one currency and pays it out in the cause's currency, through the
/// platform's currency position where the two differ.
pub fn charity_remit(cause_id: &str, parts: &[(Money, Money)]) -> Vec<Posting> {
    pay_out_converted(&charity_raised(cause_id), parts)
}

/// Held commission becomes available once the hold has passed.
pub fn commission_available(creator_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(creator_held(creator_id), -amount.minor(), c),
        Posting::new(creator_available(creator_id), amount.minor(), c),
    ]
}

/// The commission on a part of a completed order refunded by the merchant goes back to the
/// merchant, from `from` (the creator's held or available account: a clawback when the
/// creator was paid it already, leaving their balance negative).
pub fn commission_return(from: &str, merchant_id: &str, amount: Money) -> Vec<Posting> {
    let c = amount.currency();
    vec![
        Posting::new(from, -amount.minor(), c),
        Posting::new(merchant_payable(merchant_id), amount.minor(), c),
    ]
}

/// A collaboration's fixed fee, held from the store's balance when it accepts a creator.
pub fn collab_fee_hold(merchant_id: &str, collab_id: &str, fee: Money) -> Vec<Posting> {
    let c = fee.currency();
    vec![
        Posting::new(merchant_payable(merchant_id), -fee.minor(), c),
        Posting::new(collab_held(collab_id), fee.minor(), c),
    ]
}

/// A held fee paid to the creator who delivered: available to them at once.
pub fn collab_fee_pay(collab_id: &str, creator_id: &str, fee: Money) -> Vec<Posting> {
    let c = fee.currency();
    vec![
        Posting::new(collab_held(collab_id), -fee.minor(), c),
        Posting::new(creator_available(creator_id), fee.minor(), c),
    ]
}

/// A held fee back to the store: the creator did not deliver before the end.
pub fn collab_fee_return(collab_id: &str, merchant_id: &str, fee: Money) -> Vec<Posting> {
    let c = fee.currency();
    vec![
        Posting::new(collab_held(collab_id), -fee.minor(), c),
        Posting::new(merchant_payable(merchant_id), fee.minor(), c),
    ]
}

/// A creator's payout: each `(balance, converted)` part takes the creator's available balance
/// in one currency (a negative one too: a debt is settled from the others) and pays it out in
/// the payout currency, through the platform's currency position where the two differ.
pub fn creator_payout(creator_id: &str, parts: &[(Money, Money)]) -> Vec<Posting> {
    pay_out_converted(&creator_available(creator_id), parts)
}

/// Each `(balance, converted)` part taken from `account` in its currency and paid out in the
/// converted one, through the platform's currency position where the two differ.
fn pay_out_converted(account: &str, parts: &[(Money, Money)]) -> Vec<Posting> {
    let mut postings = Vec::with_capacity(parts.len() * 4);
    for (from, to) in parts {
        postings.push(Posting::new(account, -from.minor(), from.currency()));
        if from.currency() != to.currency() {
            postings.push(Posting::new(FX_CLEARING, from.minor(), from.currency()));
            postings.push(Posting::new(FX_CLEARING, -to.minor(), to.currency()));
        }
        postings.push(Posting::new(EXTERNAL_PAYOUTS, to.minor(), to.currency()));
    }
    postings
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

    /// Two legs that cancel out leave nothing.
    fn merged_away() -> Vec<Posting> {
        let eur = Currency::parse("EUR").expect("EUR");
        merged(vec![Posting::new("a", 5, eur), Posting::new("a", -5, eur)])
    }

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
        check_balanced(&commission_accrue("cre_1", eur)).expect("accrue");
        check_balanced(&commission_reverse("cre_1", eur)).expect("reverse");
        check_balanced(&release_with_commission("mer_1", "cre_1", eur, 50, 80)).expect("release");
        check_balanced(&commission_available("cre_1", eur)).expect("available");
        check_balanced(&commission_return(
            &creator_available("cre_1"),
            "mer_1",
            eur,
        ))
        .expect("clawback");
        let carve = Carve {
            pending: charity_pending("cau_1"),
            to: charity_raised("cau_1"),
            amount: 30,
        };
        let released = release_carved("mer_1", eur, 50, &[carve]);
        check_balanced(&released).expect("release with a pledge");
        assert_eq!(released[0], Posting::new(ESCROW, -970, c("EUR")));
        assert_eq!(released[1], Posting::new("merchant:mer_1", 920, c("EUR")));
        check_balanced(&pledge_accrue("cau_1", eur)).expect("accrue");
        check_balanced(&pledge_reverse("cau_1", eur)).expect("reverse");
        check_balanced(&pledge_return("cau_1", "mer_1", eur)).expect("return");
        check_balanced(&donation("cau_1", eur)).expect("donation");
        let mut paid = payment(rub, eur);
        paid.extend(commission_accrue("cre_1", Money::new(80, c("EUR"))));
        let merged = merged(paid);
        check_balanced(&merged).expect("merged");
        assert_eq!(merged.len(), 5, "{merged:?}");
        assert!(merged.contains(&Posting::new(ESCROW, 920, c("EUR"))));
        let gone = merged_away();
        assert!(gone.is_empty());
        check_balanced(&collab_fee_hold("mer_1", "col_1", eur)).expect("hold");
        check_balanced(&collab_fee_pay("col_1", "cre_1", eur)).expect("pay");
        check_balanced(&collab_fee_return("col_1", "mer_1", eur)).expect("return");
        check_balanced(&charity_remit("cau_1", &[(rub, eur), (eur, eur)])).expect("remit");
        let pln = Money::new(-4_300, c("PLN"));
        let parts = [(eur, eur), (pln, Money::new(-1_000, c("EUR")))];
        check_balanced(&creator_payout("cre_1", &parts)).expect("payout");
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

/// Extreme amounts in currencies of exponent 0, 2 and 3 through the whole money path of one
/// order: list prices, conversion into the buyer's currency, the payment postings, the fee
/// released with the rest, and refunds in parts. Either a step refuses with
/// `amount_out_of_range`, or every transaction balances and the parts add up exactly.
#[cfg(test)]
mod extremes {
    use super::*;
    use crate::fx::{convert, Rate, MAX_PER_EUR_E9};
    use crate::pricing::{checked_sum, price_lines, LineIn};
    use crate::{prorate, Money};
    use proptest::prelude::*;

    const CODES: [&str; 6] = ["JPY", "CLP", "EUR", "IDR", "KWD", "BHD"];

    fn currency(i: usize) -> Currency {
        Currency::parse(CODES[i % CODES.len()]).expect("known currency")
    }

    proptest! {
        #[test]
        fn the_money_of_one_order_balances_or_is_refused(
            units in prop::collection::vec((1i64..=1_000_000_000_000, 1i64..=99), 1..100),
            (from, to) in (0usize..6, 0usize..6),
            (from_rate, to_rate) in (1i64..=MAX_PER_EUR_E9, 1i64..=MAX_PER_EUR_E9),
            fee_bps in 0i64..=5000,
            cuts in prop::collection::vec(1i64..=1_000_000, 1..5),
        ) {
            let (settle, pay) = (currency(from), currency(to));
            let lines: Vec<LineIn> = units
                .iter()
                .map(|(u, q)| LineIn { unit_minor: *u, quantity: *q })
                .collect();
            // The largest cart the API accepts fits in the merchant's currency.
            let priced = price_lines(&lines, &[]).expect("bounded inputs fit");
            let goods = checked_sum(priced.iter().map(|l| l.amount_minor)).expect("fits");
            let from_rate = Rate { currency: settle, per_eur_e9: from_rate };
            let to_rate = Rate { currency: pay, per_eur_e9: to_rate };
            let shown = match convert(Money::new(goods, settle), from_rate, to_rate) {
                Ok(m) => m,
                Err(e) => {
                    prop_assert_eq!(e.code, "amount_out_of_range");
                    return Ok(());
                }
            };
            prop_assert!(shown.minor() >= 0);
            let settlement = Money::new(goods, settle);
            check_balanced(&payment(shown, settlement)).expect("payment balances");
            let fee = crate::order::fee(goods, fee_bps);
            prop_assert!((0..=goods).contains(&fee));
            // Refunds in parts, then the rest released less the prorated fee.
            let whole: i64 = cuts.iter().sum();
            let (mut refunded, mut given_back) = (0i64, 0i64);
            for cut in &cuts[..cuts.len() - 1] {
                let before = prorate(goods, refunded, whole).expect("valid");
                let after = prorate(goods, refunded + cut, whole).expect("valid");
                let part = after - before;
                let shown_part = prorate(shown.minor(), refunded + cut, whole).expect("valid")
                    - prorate(shown.minor(), refunded, whole).expect("valid");
                prop_assert!(part >= 0 && shown_part >= 0);
                let postings = refund(ESCROW, Money::new(part, settle), Money::new(shown_part, pay));
                check_balanced(&postings).expect("refund balances");
                refunded += cut;
                given_back += part;
            }
            let released = goods - given_back;
            let kept_fee = prorate(fee, released, goods).expect("valid");
            prop_assert!((0..=released).contains(&kept_fee));
            check_balanced(&release("mer_x", Money::new(released, settle), kept_fee))
                .expect("release balances");
            prop_assert_eq!(given_back + released, goods);
        }
    }
}
