//! A creator's money: commissions by state (pending until the order completes, confirmed and
//! held for the refund period, then available), the timer that ends holds, the creator's
//! settings (checkout code, payout currency) and payouts — everything available, converted into
//! the payout currency at the day's rates (recorded), idempotent, at least the minimum, and
//! never more than the balance (the ledger's guarded debit decides between concurrent ones).

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::idempotency::{Claim, IdempotencyKey, Replayable};
use crate::{Code, Market, MarketError};
use caravan_domain::attribution::CreatorCode;
use caravan_domain::fx::convert;
use caravan_domain::id::{LedgerTxId, PayoutId, TypedId};
use caravan_domain::pricing::checked_sum;
use caravan_domain::{ledger, rfc3339, Currency, Money};
use caravan_store::checkout::{CommissionRecord, ReferralFlag};
use caravan_store::creators::CreatorRecord;
use caravan_store::journal::{LedgerTx, NewEvent, CREATOR_PAYOUT};
use caravan_store::orders::{CommissionChange, CreatorPayoutRecord, Effects};
use caravan_store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a creator sets: the code buyers type at checkout, the currency they are paid in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatorSettings {
    /// 4 to 20 letters A-Z and digits (case ignored); null or empty removes it.
    pub code: Option<String>,
    /// ISO 4217; unchanged if absent.
    pub payout_currency: Option<String>,
}

/// A creator payout request: everything available is paid, so it names nothing (`{}`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatorPayoutInput {}

/// A creator's settings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatorSettingsView {
    /// The checkout code, upper-case.
    pub code: Option<String>,
    /// The payout currency.
    pub payout_currency: String,
    /// The tier's bonus on every rate, in basis points.
    pub bonus_bps: i64,
}

/// A creator's commissions in one currency, by state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EarningsLine {
    /// ISO 4217 (the stores' currencies).
    pub currency: String,
    /// On orders not completed yet.
    pub pending: MoneyView,
    /// On completed orders, held for the refund period.
    pub confirmed: MoneyView,
    /// Can be paid out (negative after a clawback, until later earnings cover it).
    pub available: MoneyView,
    /// Taken back by refunds.
    pub reversed: MoneyView,
}

/// One order's commission.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommissionView {
    /// `ord_…`.
    pub order_id: String,
    /// pending, confirmed, available or reversed.
    pub state: String,
    /// Frozen at sale.
    pub amount: MoneyView,
    /// Taken back by refunds.
    pub reversed: MoneyView,
    /// link, post or code.
    pub source: String,
    /// The link code, post or creator code.
    pub reference: String,
    /// RFC 3339.
    pub created_at: String,
    /// When the order completed.
    pub confirmed_at: Option<String>,
    /// When the hold ended.
    pub available_at: Option<String>,
}

/// A creator's money.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EarningsView {
    /// By currency and state.
    pub by_currency: Vec<EarningsLine>,
    /// Everything available, converted into the payout currency at today's rates.
    pub payable: MoneyView,
    /// The smallest payout.
    pub payout_minimum: MoneyView,
    /// Paid out so far, per currency.
    pub paid: Vec<MoneyView>,
    /// Days a confirmed commission is held before it is available.
    pub hold_days: i64,
    /// The latest commissions, newest first (at most 100).
    pub commissions: Vec<CommissionView>,
    /// The creator's tier and what the next takes.
    pub tier: super::tiers::TierView,
    /// Commission earned per day over the last 30 days (not reversed), in euros, oldest first.
    pub daily: Vec<DayView>,
}

/// One day of earnings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayView {
    /// YYYY-MM-DD (UTC).
    pub day: String,
    /// Commission on that day's attributed orders, in euros.
    pub earned: MoneyView,
}

/// One balance a payout took, and what it came to in the payout currency.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayoutPart {
    /// The balance taken (negative: a debt settled).
    pub from: MoneyView,
    /// In the payout currency.
    pub converted: MoneyView,
    /// Units of the balance's currency per euro × 10^9.
    pub from_per_eur_e9: i64,
    /// Units of the payout currency per euro × 10^9.
    pub to_per_eur_e9: i64,
}

/// A creator payout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatorPayoutView {
    /// `pyo_…`.
    pub id: String,
    /// Paid, in the payout currency.
    pub amount: MoneyView,
    /// The balances it took and the rates used.
    pub parts: Vec<PayoutPart>,
    /// RFC 3339.
    pub created_at: String,
}

/// A self-referral refused commission.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReferralFlagView {
    /// The checkout, `grp_…`.
    pub group_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// same_account, same_email or same_address.
    pub reason: String,
    /// link, post or code.
    pub source: String,
    /// The link code, post or creator code.
    pub reference: String,
    /// RFC 3339.
    pub created_at: String,
}

fn commission_view(c: &CommissionRecord) -> CommissionView {
    CommissionView {
        order_id: c.order_id.clone(),
        state: c.state.clone(),
        amount: MoneyView::new(c.amount_minor, &c.currency),
        reversed: MoneyView::new(c.reversed_minor, &c.currency),
        source: c.source.clone(),
        reference: c.reference.clone(),
        created_at: rfc3339(c.created_at),
        confirmed_at: c.confirmed_at.map(rfc3339),
        available_at: c.available_at.map(rfc3339),
    }
}

fn payout_view(p: &CreatorPayoutRecord) -> CreatorPayoutView {
    CreatorPayoutView {
        id: p.id.clone(),
        amount: MoneyView::new(p.amount_minor, &p.currency),
        parts: serde_json::from_str(&p.parts).unwrap_or_default(),
        created_at: rfc3339(p.created_at),
    }
}

fn flag_view(f: ReferralFlag) -> ReferralFlagView {
    ReferralFlagView {
        group_id: f.group_id,
        creator_id: f.creator_id,
        buyer_id: f.buyer_id,
        reason: f.reason,
        source: f.source,
        reference: f.reference,
        created_at: rfc3339(f.created_at),
    }
}

impl Market {
    /// The actor's creator profile in any status (its money is theirs to see).
    async fn own_creator(&self, actor: &Actor) -> Result<CreatorRecord, MarketError> {
        self.store
            .creator_of_user(actor.user_id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("creator profile for this account"))
    }

    /// The creator sets their checkout code and payout currency.
    pub async fn set_creator_settings(
        &self,
        actor: &Actor,
        s: CreatorSettings,
    ) -> Result<CreatorSettingsView, MarketError> {
        let c = self.acting_creator(actor).await?;
        let code = match s.code.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => Some(CreatorCode::parse(t)?.as_str().to_owned()),
            _ => None,
        };
        let currency = match s.payout_currency.as_deref() {
            Some(x) => Currency::parse(x)?.code().to_owned(),
            None => c.payout_currency.clone(),
        };
        let taken = match &code {
            Some(code) => self
                .store
                .creator_by_code(code)
                .await?
                .is_some_and(|o| o.id != c.id),
            None => false,
        };
        let refused = || MarketError::new(Code::CreatorCodeTaken, "another creator has that code");
        if taken {
            return Err(refused());
        }
        let now = self.now();
        let set = self
            .store
            .set_creator_settings(&c.id, code.as_deref(), &currency, now);
        match set.await {
            Err(StoreError::Conflict) => return Err(refused()),
            other => other?,
        }
        Ok(CreatorSettingsView {
            code,
            payout_currency: currency,
            bonus_bps: c.bonus_bps,
        })
    }

    /// The actor's settings.
    pub async fn creator_settings(
        &self,
        actor: &Actor,
    ) -> Result<CreatorSettingsView, MarketError> {
        let c = self.own_creator(actor).await?;
        Ok(CreatorSettingsView {
            code: c.code,
            payout_currency: c.payout_currency,
            bonus_bps: c.bonus_bps,
        })
    }

    /// The actor's commissions by currency and state, what can be paid, and the latest ones.
    pub async fn creator_earnings(&self, actor: &Actor) -> Result<EarningsView, MarketError> {
        let c = self.own_creator(actor).await?;
        let commissions = self.store.commissions_of(&c.id, 100).await?;
        let mut lines: BTreeMap<String, [i64; 4]> = BTreeMap::new();
        let (pending, held, available) = (
            ledger::creator_pending(&c.id),
            ledger::creator_held(&c.id),
            ledger::creator_available(&c.id),
        );
        for (account, currency, balance) in self.store.creator_balances(&c.id).await? {
            let slot = [&pending, &held, &available]
                .iter()
                .position(|a| **a == account)
                .unwrap_or(2);
            lines.entry(currency).or_default()[slot] += balance;
        }
        for (currency, reversed) in self.store.creator_reversed(&c.id).await? {
            lines.entry(currency).or_default()[3] += reversed;
        }
        let (_, payable) = self.payable(&c).await?;
        let payouts = self.store.creator_payouts(&c.id).await?;
        let mut paid: BTreeMap<String, i64> = BTreeMap::new();
        for p in &payouts {
            *paid.entry(p.currency.clone()).or_default() += p.amount_minor;
        }
        Ok(EarningsView {
            by_currency: lines
                .into_iter()
                .map(|(cur, [p, h, a, r])| EarningsLine {
                    pending: MoneyView::new(p, &cur),
                    confirmed: MoneyView::new(h, &cur),
                    available: MoneyView::new(a, &cur),
                    reversed: MoneyView::new(r, &cur),
                    currency: cur,
                })
                .collect(),
            payable: MoneyView::new(payable, &c.payout_currency),
            payout_minimum: MoneyView::new(self.creator_minimum(&c)?, &c.payout_currency),
            paid: paid
                .iter()
                .map(|(cur, v)| MoneyView::new(*v, cur))
                .collect(),
            hold_days: self.config.commission_hold_ms / crate::DAY_MS,
            commissions: commissions.iter().map(commission_view).collect(),
            tier: self.tier_view(&c).await?,
            daily: self.daily(&c.id).await?,
        })
    }

    /// The smallest payout of the actor's creator profile, in their payout currency.
    pub(crate) async fn creator_minimum_of(&self, actor: &Actor) -> Result<i64, MarketError> {
        let c = self.own_creator(actor).await?;
        self.creator_minimum(&c)
    }

    /// The last 30 days' commission (not reversed) per day, in euros at today's rates (each
    /// day's sum per currency converted once).
    async fn daily(&self, creator_id: &str) -> Result<Vec<DayView>, MarketError> {
        const DAYS: i64 = 30;
        let today = self.now().div_euclid(crate::DAY_MS);
        let rates = self.rate_table().await?;
        let eur = caravan_domain::fx::Rate::euro();
        let since = (today - (DAYS - 1)) * crate::DAY_MS;
        let rows = self
            .store
            .creator_daily(creator_id, since, crate::DAY_MS)
            .await?;
        let mut sums = vec![0i64; DAYS as usize];
        for (currency, day, left) in rows {
            let age = today - day;
            let Ok(cur) = Currency::parse(&currency) else {
                continue;
            };
            let (Some(rate), true) = (rates.get(&cur), (0..DAYS).contains(&age)) else {
                continue;
            };
            if let Ok(m) = convert(Money::new(left, cur), *rate, eur) {
                sums[(DAYS - 1 - age) as usize] += m.minor();
            }
        }
        Ok(sums
            .into_iter()
            .enumerate()
            .map(|(i, v)| DayView {
                day: rfc3339((today - (DAYS - 1) + i as i64) * crate::DAY_MS)
                    .get(..10)
                    .map(str::to_owned)
                    .unwrap_or_default(),
                earned: MoneyView::new(v, "EUR"),
            })
            .collect())
    }

    fn creator_minimum(&self, c: &CreatorRecord) -> Result<i64, MarketError> {
        let cur = Currency::parse(&c.payout_currency)?;
        Ok(self
            .config
            .creator_payout_minimum_units
            .saturating_mul(10i64.pow(cur.exponent())))
    }

    /// Each available balance converted into the creator's payout currency, and their sum.
    async fn payable(&self, c: &CreatorRecord) -> Result<(Vec<PayoutPart>, i64), MarketError> {
        let to = Currency::parse(&c.payout_currency)?;
        let rates = self.rate_table().await?;
        let rate = |cur: Currency| {
            rates.get(&cur).copied().ok_or_else(|| {
                MarketError::new(Code::RateUnavailable, format!("no exchange rate for {cur}"))
            })
        };
        let account = ledger::creator_available(&c.id);
        let mut parts = Vec::new();
        for (acc, currency, balance) in self.store.creator_balances(&c.id).await? {
            if acc != account || balance == 0 {
                continue;
            }
            let from = Currency::parse(&currency)?;
            let (fr, tr) = (rate(from)?, rate(to)?);
            let converted = convert(Money::new(balance, from), fr, tr)?;
            parts.push(PayoutPart {
                from: MoneyView::new(balance, from.code()),
                converted: MoneyView::new(converted.minor(), to.code()),
                from_per_eur_e9: fr.per_eur_e9,
                to_per_eur_e9: tr.per_eur_e9,
            });
        }
        let total = checked_sum(parts.iter().map(|p| p.converted.amount_minor))?;
        Ok((parts, total))
    }

    /// The actor's payouts, newest first.
    pub async fn creator_payouts(
        &self,
        actor: &Actor,
    ) -> Result<Vec<CreatorPayoutView>, MarketError> {
        let c = self.own_creator(actor).await?;
        let payouts = self.store.creator_payouts(&c.id).await?;
        Ok(payouts.iter().map(payout_view).collect())
    }

    /// Pays the creator everything available, in their payout currency. Needs an
    /// `Idempotency-Key`; below the minimum is 422, a balance taken meanwhile 409.
    pub async fn request_creator_payout(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        body_hash: &str,
    ) -> Result<Replayable, MarketError> {
        let guard = match self
            .claim(&actor.user_id.to_string(), key, body_hash)
            .await?
        {
            Claim::Fresh(g) => g,
            Claim::Replay(replay) => return Ok(replay),
        };
        let c = self.acting_creator(actor).await?;
        let (parts, total) = self.payable(&c).await?;
        let minimum = self.creator_minimum(&c)?;
        let to = Currency::parse(&c.payout_currency)?;
        if total < minimum {
            return Err(MarketError::new(
                Code::PayoutBelowMinimum,
                format!(
                    "the smallest payout is {}; {} is available",
                    Money::new(minimum, to),
                    Money::new(total, to)
                ),
            ));
        }
        let record = CreatorPayoutRecord {
            id: PayoutId::generate().to_string(),
            creator_id: c.id.clone(),
            amount_minor: total,
            currency: to.code().to_owned(),
            parts: serde_json::to_string(&parts)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            created_at: self.now(),
        };
        let body = serde_json::to_string(&payout_view(&record))
            .map_err(|e| MarketError::internal(e.to_string()))?;
        let effects = payout_effects(&c, &parts, &record, guard.answer(body_hash, 201, &body))?;
        self.store
            .apply(&[], &effects, record.created_at)
            .await
            .map_err(|e| match e {
                StoreError::Insufficient => MarketError::new(
                    Code::InsufficientBalance,
                    "the balance changed meanwhile; look again",
                ),
                other => other.into(),
            })?;
        let paid = Money::new(total, to);
        self.inner.provider.payout(&record.id, paid).await;
        Ok(Replayable { status: 201, body })
    }

    /// Makes the commission of orders completed longer ago than the hold available; how many.
    pub(crate) async fn release_held_commissions(&self) -> Result<usize, MarketError> {
        let before = self.now() - self.config.commission_hold_ms;
        let due = self.store.commissions_due(before, 500).await?;
        let mut done = 0;
        for c in due {
            let currency = Currency::parse(&c.currency)?;
            let amount = Money::new(c.amount_minor - c.reversed_minor, currency);
            let effects = Effects {
                ledger: vec![LedgerTx {
                    id: LedgerTxId::generate().to_string(),
                    kind: "commission_available".into(),
                    reference: c.order_id.clone(),
                    postings: ledger::commission_available(&c.creator_id, amount),
                }],
                commissions: vec![CommissionChange {
                    order_id: c.order_id.clone(),
                    from: "confirmed".into(),
                    to: "available".into(),
                    reversed_add: 0,
                }],
                ..Effects::default()
            };
            match self.store.apply(&[], &effects, self.now()).await {
                Ok(()) => done += 1,
                // A refund moved it meanwhile: the next run sees it as it is now.
                Err(StoreError::Stale) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(done)
    }

    /// Self-referrals refused commission, newest first (operators).
    pub async fn referral_flags(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ReferralFlagView>, MarketError> {
        actor.require(caravan_domain::account::Role::Operator)?;
        let flags = self.store.referral_flags(200).await?;
        Ok(flags.into_iter().map(flag_view).collect())
    }
}

/// The ledger, event and records of a creator payout.
fn payout_effects(
    c: &CreatorRecord,
    parts: &[PayoutPart],
    record: &CreatorPayoutRecord,
    answer: caravan_store::idempotency::NewAnswer,
) -> Result<Effects, MarketError> {
    let money = |v: &MoneyView| -> Result<Money, MarketError> {
        Ok(Money::new(v.amount_minor, Currency::parse(&v.currency)?))
    };
    let legs: Vec<(Money, Money)> = parts
        .iter()
        .map(|p| Ok((money(&p.from)?, money(&p.converted)?)))
        .collect::<Result<_, MarketError>>()?;
    let payload = serde_json::json!({
        "creator_id": c.id, "amount_minor": record.amount_minor, "currency": record.currency,
    });
    Ok(Effects {
        ledger: vec![LedgerTx {
            id: LedgerTxId::generate().to_string(),
            kind: CREATOR_PAYOUT.into(),
            reference: record.id.clone(),
            postings: ledger::creator_payout(&c.id, &legs),
        }],
        events: vec![NewEvent {
            kind: "creator.payout.paid".into(),
            subject: record.id.clone(),
            payload: payload.to_string(),
        }],
        creator_payout: Some(record.clone()),
        idempotency: Some(answer),
        ..Effects::default()
    })
}
