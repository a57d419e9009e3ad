//! A merchant's balance and payouts: never more than is available, never below the minimum,
//! and concurrent requests can never overdraw (the balance is debited by a guarded update).

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::idempotency::{Claim, IdempotencyKey, Replayable};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{LedgerTxId, PayoutId, TypedId};
use caravan_domain::ledger;
use caravan_domain::order::OrderStatus;
use caravan_domain::pricing::checked_sum;
use caravan_domain::{rfc3339, Currency, Money};
use caravan_store::journal::{LedgerTx, NewEvent};
use caravan_store::orders::{Effects, PayoutRecord};
use serde::{Deserialize, Serialize};

/// A store's money.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BalanceView {
    /// Can be paid out now.
    pub available: MoneyView,
    /// Buyers' money held for orders not yet completed.
    pub in_escrow: MoneyView,
    /// Paid out so far.
    pub paid_out: MoneyView,
    /// Smallest payout.
    pub payout_minimum: MoneyView,
}

/// A payout request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutInput {
    /// Minor units of the store's currency; everything available if absent.
    pub amount_minor: Option<i64>,
}

/// A payout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PayoutView {
    /// `pyo_…`.
    pub id: String,
    /// Amount.
    pub amount: MoneyView,
    /// paid.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
}

fn view(p: &PayoutRecord) -> PayoutView {
    PayoutView {
        id: p.id.clone(),
        amount: MoneyView::new(p.amount_minor, &p.currency),
        status: p.status.clone(),
        created_at: rfc3339(p.created_at),
    }
}

impl Market {
    fn payout_minimum(&self, c: Currency) -> i64 {
        self.config
            .payout_minimum_units
            .saturating_mul(10i64.pow(c.exponent()))
    }

    /// The acting store's balance.
    pub async fn store_balance(&self, actor: &Actor) -> Result<BalanceView, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let c = Currency::parse(&m.settlement_currency)?;
        let available = self
            .store
            .balance(&ledger::merchant_payable(&m.id), c.code())
            .await?;
        let orders = self.store.orders_by("merchant_id", &m.id, 100_000).await?;
        let in_escrow = checked_sum(
            orders
                .iter()
                .filter(|o| OrderStatus::parse(&o.status).is_ok_and(OrderStatus::holds_escrow))
                .map(|o| o.total_minor - o.refunded_minor),
        )?;
        let payouts = self.store.payouts_of(&m.id).await?;
        let paid_out = checked_sum(payouts.iter().map(|p| p.amount_minor))?;
        Ok(BalanceView {
            available: MoneyView::new(available, c.code()),
            in_escrow: MoneyView::new(in_escrow, c.code()),
            paid_out: MoneyView::new(paid_out, c.code()),
            payout_minimum: MoneyView::new(self.payout_minimum(c), c.code()),
        })
    }

    /// The acting store's payouts, newest first.
    pub async fn payouts(&self, actor: &Actor) -> Result<Vec<PayoutView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        Ok(self
            .store
            .payouts_of(&m.id)
            .await?
            .iter()
            .map(view)
            .collect())
    }

    /// Pays the store out through the provider. Needs an `Idempotency-Key`.
    pub async fn request_payout(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        body_hash: &str,
        p: PayoutInput,
    ) -> Result<Replayable, MarketError> {
        let scope = actor.user_id.to_string();
        let guard = match self.claim(&scope, key, body_hash).await? {
            Claim::Fresh(g) => g,
            Claim::Replay(replay) => return Ok(replay),
        };
        let m = self.acting_merchant_any_status(actor).await?;
        let c = Currency::parse(&m.settlement_currency)?;
        let account = ledger::merchant_payable(&m.id);
        let available = self.store.balance(&account, c.code()).await?;
        let amount = p.amount_minor.unwrap_or(available);
        let minimum = self.payout_minimum(c);
        if amount < minimum {
            return Err(MarketError::new(
                Code::PayoutBelowMinimum,
                format!("the smallest payout is {}", Money::new(minimum, c)),
            ));
        }
        if amount > available {
            return Err(MarketError::new(
                Code::InsufficientBalance,
                format!("only {} is available", Money::new(available, c)),
            ));
        }
        let now = self.now();
        let id = PayoutId::generate().to_string();
        // The payout id is the provider reference: the transfer is sent after the debit commits.
        let record = PayoutRecord {
            id: id.clone(),
            merchant_id: m.id.clone(),
            amount_minor: amount,
            currency: c.code().to_owned(),
            status: "paid".into(),
            provider_ref: id.clone(),
            created_at: now,
        };
        let body = serde_json::to_string(&view(&record))
            .map_err(|e| MarketError::internal(e.to_string()))?;
        let effects = Effects {
            ledger: vec![LedgerTx { id: LedgerTxId::generate().to_string(), kind: "payout".into(), reference: id.clone(), postings: ledger::payout(&m.id, Money::new(amount, c)) }],
            events: vec![NewEvent { kind: "payout.paid".into(), subject: id.clone(), payload: serde_json::json!({"merchant_id": m.id, "amount_minor": amount, "currency": c.code()}).to_string() }],
            payout: Some(record),
            idempotency: Some(guard.answer(body_hash, 201, &body)),
            ..Effects::default()
        };
        self.store
            .apply(&[], &effects, now)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Insufficient => MarketError::new(
                    Code::InsufficientBalance,
                    "the balance changed; less is available now",
                ),
                other => other.into(),
            })?;
        self.inner.provider.payout(&id, Money::new(amount, c)).await;
        Ok(Replayable { status: 201, body })
    }
}
