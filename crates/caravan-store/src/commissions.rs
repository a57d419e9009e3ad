//! Connect's commissions as stored: each attributed order's commission and its state, the
//! ones whose hold has ended, creators' balances by state, their payouts, and the flagged
//! self-referrals.

use crate::checkout::{CommissionRecord, ReferralFlag};
use crate::orders::CreatorPayoutRecord;
use crate::{Store, StoreError};

const COMMISSION_COLS: &str =
    "order_id, creator_id, merchant_id, buyer_id, currency, amount_minor, \
    reversed_minor, state, source, reference, created_at, confirmed_at, available_at";

impl Store {
    /// The commission on an order, if it was attributed.
    pub async fn commission(&self, order_id: &str) -> Result<Option<CommissionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COMMISSION_COLS} FROM commissions WHERE order_id = $1"
        ))
        .bind(order_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A creator's commissions, newest first.
    pub async fn commissions_of(
        &self,
        creator_id: &str,
        limit: i64,
    ) -> Result<Vec<CommissionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COMMISSION_COLS} FROM commissions WHERE creator_id = $1 \
             ORDER BY created_at DESC, order_id DESC LIMIT $2"
        ))
        .bind(creator_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Confirmed commissions whose order completed before `before`: their hold has ended.
    pub async fn commissions_due(
        &self,
        before: i64,
        limit: i64,
    ) -> Result<Vec<CommissionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COMMISSION_COLS} FROM commissions WHERE state = 'confirmed' AND confirmed_at < $1 \
             ORDER BY confirmed_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A creator's running balances: (account, currency, balance) of their available, pending
    /// and held accounts.
    pub async fn creator_balances(
        &self,
        creator_id: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT account, currency, balance_minor FROM balances \
             WHERE account IN ($1, $2, $3) ORDER BY account, currency",
        )
        .bind(caravan_domain::ledger::creator_available(creator_id))
        .bind(caravan_domain::ledger::creator_pending(creator_id))
        .bind(caravan_domain::ledger::creator_held(creator_id))
        .fetch_all(&self.pool)
        .await?)
    }

    /// A creator's payouts, newest first.
    pub async fn creator_payouts(
        &self,
        creator_id: &str,
    ) -> Result<Vec<CreatorPayoutRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, creator_id, amount_minor, currency, parts, created_at FROM creator_payouts \
             WHERE creator_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(creator_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Flagged self-referrals, newest first.
    pub async fn referral_flags(&self, limit: i64) -> Result<Vec<ReferralFlag>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT group_id, creator_id, buyer_id, reason, source, reference, created_at \
             FROM referral_flags ORDER BY created_at DESC, group_id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
