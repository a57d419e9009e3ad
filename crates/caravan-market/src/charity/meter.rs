//! The public charity meter and remittances. The meter reads the ledger: raised is the cause's
//! confirmed money (stores' pledges of completed orders and buyers' donations) plus what was
//! remitted, pledged its pending money — so refunded money is
//! never counted, and the figure matches the ledger to the cent. Each store's share comes from
//! its orders' frozen pledges less their refunded share (the same proration the ledger uses).
//! Figures are read at most once per two seconds per cause on each node.

use super::CauseView;
use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::fx::{convert, Rate};
use caravan_domain::id::{RemittanceId, TypedId};
use caravan_domain::ledger;
use caravan_domain::pricing::checked_sum;
use caravan_domain::{prorate, rfc3339, Currency, Locale, Money};
use caravan_store::charity::{PledgeRecord, PledgedRow, RemittanceRecord};
use caravan_store::journal::{LedgerTx, CHARITY_REMITTANCE};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One store's part of a cause.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SellerShareView {
    /// `mer_…`.
    pub merchant_id: String,
    /// The store's name.
    pub store_name: String,
    /// Where it ships from.
    pub country: String,
    /// percent | per_unit.
    pub kind: String,
    /// Basis points, or minor units per unit.
    pub value: i64,
    /// Confirmed from its completed orders (refunds taken off), the store's currency.
    pub raised: MoneyView,
    /// Pending on its paid orders not completed yet, the store's currency.
    pub pledged: MoneyView,
}

/// A remittance to the cause's partner.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemittanceView {
    /// `rem_…`.
    pub id: String,
    /// The transfer's reference.
    pub reference: String,
    /// Sent, in the cause's currency.
    pub amount: MoneyView,
    /// RFC 3339.
    pub created_at: String,
}

/// The live meter of a cause.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeterView {
    /// The cause.
    pub cause: CauseView,
    /// Confirmed money (completed orders' pledges and donations, remitted or not), converted
    /// into the visitor's currency at today's rates.
    pub raised: MoneyView,
    /// Pending pledges of paid orders not completed yet, converted likewise.
    pub pledged: MoneyView,
    /// Raised, exactly, per currency it was collected in.
    pub raised_by_currency: Vec<MoneyView>,
    /// Pending, exactly, per currency.
    pub pledged_by_currency: Vec<MoneyView>,
    /// Of raised, what buyers gave at checkout (their own money), per currency.
    pub donated_by_currency: Vec<MoneyView>,
    /// What raised is in the cause's currency, and the share of the target (percent, 0 up).
    pub raised_in_cause_currency: MoneyView,
    /// Percent of the target raised (rounded down).
    pub target_percent: i64,
    /// Stores pledging.
    pub sellers: i64,
    /// Each pledging store's part.
    pub per_seller: Vec<SellerShareView>,
    /// Sent to the partner, newest first.
    pub remittances: Vec<RemittanceView>,
}

/// (merchant, currency) → (raised, pending).
type Shares = BTreeMap<(String, String), (i64, i64)>;

/// What a meter is computed from, read at most once per TTL.
#[derive(Debug, Clone, Default)]
pub(crate) struct Figures {
    /// Per currency: confirmed balance + remitted.
    raised: BTreeMap<String, i64>,
    pending: BTreeMap<String, i64>,
    donated: BTreeMap<String, i64>,
    pledges: Vec<PledgeRecord>,
    shares: Shares,
    remittances: Vec<RemittanceRecord>,
}

/// The meter's figures per cause, for [`crate::recent::RECENT_TTL_MS`].
pub(crate) type MeterCache = crate::recent::Recent<Arc<Figures>>;

/// A remittance to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemitInput {
    /// The transfer's reference (1 to 80 characters, once per cause).
    pub reference: String,
}

impl Market {
    /// A cause's meter in `currency`.
    pub async fn meter(
        &self,
        cause: &str,
        currency: Currency,
        locale: Locale,
    ) -> Result<MeterView, MarketError> {
        let c = self.cause_named(cause).await?;
        let texts = self.store.cause_texts(std::slice::from_ref(&c.id)).await?;
        let f = self.cause_figures(&c.id).await?;
        let rates = self.rate_table().await?;
        let to = |target: Currency, amounts: &BTreeMap<String, i64>| -> Result<i64, MarketError> {
            let mut sum = 0i64;
            for (code, minor) in amounts {
                let from = Currency::parse(code)?;
                let (Some(fr), Some(tr)) = (rates.get(&from), rates.get(&target)) else {
                    continue;
                };
                sum = checked_sum([sum, convert(Money::new(*minor, from), *fr, *tr)?.minor()])?;
            }
            Ok(sum)
        };
        let cause_currency = Currency::parse(&c.currency)?;
        let in_cause = to(cause_currency, &f.raised)?;
        let percent = i128::from(in_cause.max(0)) * 100 / i128::from(c.target_minor.max(1));
        Ok(MeterView {
            cause: self.cause_view(&c, &texts, locale),
            raised: MoneyView::new(to(currency, &f.raised)?, currency.code()),
            pledged: MoneyView::new(to(currency, &f.pending)?, currency.code()),
            raised_by_currency: by_currency(&f.raised),
            pledged_by_currency: by_currency(&f.pending),
            donated_by_currency: by_currency(&f.donated),
            raised_in_cause_currency: MoneyView::new(in_cause, &c.currency),
            target_percent: i64::try_from(percent).unwrap_or(i64::MAX),
            sellers: i64::try_from(f.pledges.len()).unwrap_or(0),
            per_seller: self.seller_shares(&f).await?,
            remittances: f.remittances.iter().map(remittance_view).collect(),
        })
    }

    /// The cause's figures, read again once older than the TTL.
    async fn cause_figures(&self, cause_id: &str) -> Result<Arc<Figures>, MarketError> {
        let now = self.now();
        if let Some(f) = self.inner.meters.get(cause_id, now) {
            return Ok(f);
        }
        let mut f = Figures::default();
        for (account, currency, balance) in self.store.cause_balances(cause_id).await? {
            let slot = if account == ledger::charity_pending(cause_id) {
                &mut f.pending
            } else {
                &mut f.raised
            };
            *slot.entry(currency).or_default() += balance;
        }
        for (currency, remitted) in self.store.remitted(cause_id).await? {
            *f.raised.entry(currency).or_default() += remitted;
        }
        f.raised.retain(|_, v| *v != 0);
        f.pending.retain(|_, v| *v != 0);
        f.donated = self.store.donated(cause_id).await?.into_iter().collect();
        f.shares = shares(self.store.pledged(cause_id).await?)?;
        f.pledges = self.store.pledges(Some(cause_id)).await?;
        f.remittances = self.store.remittances(cause_id).await?;
        let f = Arc::new(f);
        self.inner.meters.put(cause_id, f.clone(), now);
        Ok(f)
    }

    async fn seller_shares(&self, f: &Figures) -> Result<Vec<SellerShareView>, MarketError> {
        let ids: Vec<String> = f.pledges.iter().map(|p| p.merchant_id.clone()).collect();
        let stores: HashMap<String, _> = self
            .store
            .merchants_by_ids(&ids)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        let mut out = Vec::new();
        for p in &f.pledges {
            let Some(m) = stores.get(&p.merchant_id) else {
                continue;
            };
            let c = m.settlement_currency.clone();
            let (raised, pending) = f
                .shares
                .get(&(m.id.clone(), c.clone()))
                .copied()
                .unwrap_or((0, 0));
            out.push(SellerShareView {
                merchant_id: m.id.clone(),
                store_name: m.store_name.clone(),
                country: m.country.clone(),
                kind: p.kind.clone(),
                value: p.value,
                raised: MoneyView::new(raised, &c),
                pledged: MoneyView::new(pending, &c),
            });
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.raised.amount_minor));
        Ok(out)
    }

    /// An operator remits a cause's confirmed money to its partner: every positive balance,
    /// converted into the cause's currency. The same reference twice is 409 `conflict`.
    pub async fn remit(
        &self,
        actor: &Actor,
        cause: &str,
        r: RemitInput,
    ) -> Result<RemittanceView, MarketError> {
        actor.require(Role::Operator)?;
        let reference = clean_name(&r.reference, 80, Code::InvalidReason, "a reference")?;
        let c = self.cause_named(cause).await?;
        let to = Currency::parse(&c.currency)?;
        let (parts, total) = self.remittable(&c.id, to).await?;
        if total <= 0 {
            return Err(MarketError::new(
                Code::NothingToRemit,
                "the cause has no confirmed money to remit",
            ));
        }
        let record = RemittanceRecord {
            id: RemittanceId::generate().to_string(),
            cause_id: c.id.clone(),
            reference,
            amount_minor: total,
            currency: to.code().to_owned(),
            parts: parts_json(&parts),
            created_at: self.now(),
        };
        let tx = LedgerTx {
            id: caravan_domain::id::LedgerTxId::generate().to_string(),
            kind: CHARITY_REMITTANCE.to_owned(),
            reference: c.id.clone(),
            postings: ledger::charity_remit(&c.id, &parts),
        };
        self.store.remit(&record, &tx).await.map_err(|e| match e {
            caravan_store::StoreError::Insufficient => MarketError::new(
                Code::InsufficientBalance,
                "the cause's money changed meanwhile; look again",
            ),
            other => other.into(),
        })?;
        self.inner.meters.forget(&c.id);
        self.inner
            .provider
            .payout(&record.id, Money::new(total, to))
            .await;
        Ok(remittance_view(&record))
    }

    /// Each positive confirmed balance of a cause and its value in `to`; their sum.
    async fn remittable(
        &self,
        cause_id: &str,
        to: Currency,
    ) -> Result<(Vec<(Money, Money)>, i64), MarketError> {
        let rates = self.rate_table().await?;
        let rate = |cur: Currency| -> Result<Rate, MarketError> {
            rates.get(&cur).copied().ok_or_else(|| {
                MarketError::new(Code::RateUnavailable, format!("no exchange rate for {cur}"))
            })
        };
        let raised = ledger::charity_raised(cause_id);
        let mut parts = Vec::new();
        for (account, currency, balance) in self.store.cause_balances(cause_id).await? {
            if account != raised || balance <= 0 {
                continue;
            }
            let from = Currency::parse(&currency)?;
            let converted = convert(Money::new(balance, from), rate(from)?, rate(to)?)?;
            parts.push((Money::new(balance, from), converted));
        }
        let total = checked_sum(parts.iter().map(|p| p.1.minor()))?;
        Ok((parts, total))
    }
}

/// Each store's raised and pending money from its orders' pledges, less their refunded share.
fn shares(rows: Vec<PledgedRow>) -> Result<Shares, MarketError> {
    let mut out = Shares::new();
    for (merchant, currency, status, pledged, refunded, total) in rows {
        let left = pledged - prorate(pledged, refunded, total.max(refunded))?;
        let slot = out.entry((merchant, currency)).or_default();
        match status.as_str() {
            "completed" => slot.0 = checked_sum([slot.0, left])?,
            "paid" | "shipped" | "delivered" => slot.1 = checked_sum([slot.1, left])?,
            _ => {}
        }
    }
    Ok(out)
}

fn by_currency(amounts: &BTreeMap<String, i64>) -> Vec<MoneyView> {
    amounts
        .iter()
        .map(|(c, minor)| MoneyView::new(*minor, c))
        .collect()
}

fn parts_json(parts: &[(Money, Money)]) -> String {
    let list: Vec<serde_json::Value> = parts
        .iter()
        .map(|(from, to)| {
            serde_json::json!({
                "currency": from.currency().code(), "minor": from.minor(),
                "converted_minor": to.minor(),
            })
        })
        .collect();
    serde_json::Value::from(list).to_string()
}

fn remittance_view(r: &RemittanceRecord) -> RemittanceView {
    RemittanceView {
        id: r.id.clone(),
        reference: r.reference.clone(),
        amount: MoneyView::new(r.amount_minor, &r.currency),
        created_at: rfc3339(r.created_at),
    }
}
