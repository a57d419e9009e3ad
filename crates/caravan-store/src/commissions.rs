//! Connect's commissions as stored: each attributed order's commission and its state (listed
//! under its creator apart from the order writer's path, ADR 0014), the
//! ones whose hold has ended, creators' balances by state, their payouts, and the flagged
//! self-referrals.

use crate::checkout::{CommissionRecord, ReferralFlag};
use crate::orders::CreatorPayoutRecord;
use crate::{Store, StoreError};

const COMMISSION_COLS: &str =
    "order_id, creator_id, merchant_id, buyer_id, currency, amount_minor, \
    reversed_minor, state, source, reference, created_at, confirmed_at, available_at";

/// The orders the outbox placed after the listing cursor: their commissions are not yet listed
/// under their creators (`list_commissions`), so a creator's reads look them up here.
const PLACED_SINCE: &str = "SELECT subject FROM events WHERE kind = 'order.placed' AND seq > \
    (SELECT value FROM sequences WHERE name = 'creator_commissions')";

/// A creator's (`$1`) commissions with columns `cols`, as the subquery `mine`: those listed
/// under them (`listed` goes on in `creator_commissions`' subquery: a condition, an order, a
/// limit) and those placed since the listing cursor (`since`: a condition on `commissions`).
/// Within one statement's snapshot each commission is in exactly one of the two.
fn mine(cols: &str, listed: &str, since: &str) -> String {
    format!(
        "(SELECT {cols} FROM commissions WHERE order_id IN \
         (SELECT order_id FROM creator_commissions WHERE creator_id = $1{listed}) \
         UNION ALL SELECT {cols} FROM commissions \
         WHERE creator_id = $1{since} AND order_id IN ({PLACED_SINCE})) mine"
    )
}

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

    /// A creator's commissions, newest first: the listed ones and those placed since.
    pub async fn commissions_of(
        &self,
        creator_id: &str,
        limit: i64,
    ) -> Result<Vec<CommissionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COMMISSION_COLS} FROM {} ORDER BY created_at DESC, order_id DESC LIMIT $2",
            mine(
                COMMISSION_COLS,
                " ORDER BY created_at DESC, order_id DESC LIMIT $2",
                ""
            )
        ))
        .bind(creator_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// What of a creator's commissions was reversed, by currency, all time: (currency, minor).
    pub async fn creator_reversed(
        &self,
        creator_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT currency, CAST(SUM(reversed_minor) AS BIGINT) FROM {} \
             GROUP BY currency ORDER BY currency",
            mine("currency, reversed_minor", "", "")
        ))
        .bind(creator_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A creator's commission left after reversals per currency and day (`created_at` divided
    /// by `day_ms`), on commissions made from `since` (UTC ms): (currency, day, minor).
    pub async fn creator_daily(
        &self,
        creator_id: &str,
        since: i64,
        day_ms: i64,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        assert!(day_ms > 0, "a day lasts");
        Ok(sqlx::query_as(&format!(
            "SELECT currency, day, CAST(SUM(amount_minor - reversed_minor) AS BIGINT) FROM {} \
             GROUP BY currency, day ORDER BY currency, day",
            mine(
                "currency, created_at / $3 AS day, amount_minor, reversed_minor",
                " AND created_at >= $2",
                " AND created_at >= $2"
            )
        ))
        .bind(creator_id)
        .bind(since)
        .bind(day_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Lists under their creators the commissions of orders the outbox placed since the last
    /// step, at most `max` events of it in one transaction; how many events it passed (0: none
    /// new, or another node is listing them). Repeating it lists nothing twice.
    pub async fn list_commissions(&self, max: i64) -> Result<i64, StoreError> {
        assert!(max > 0, "a step passes at least one event");
        let mut tx = self.pool.begin().await?;
        // Write first: on SQLite a transaction that read before writing fails outright when
        // the order writer commits in between (journal::write_first); here it waits its turn.
        sqlx::query("UPDATE sequences SET value = value WHERE name = 'creator_commissions'")
            .execute(&mut *tx)
            .await?;
        let (from, last): (i64, i64) = sqlx::query_as(
            "SELECT value, (SELECT COALESCE(MAX(seq), 0) FROM events) FROM sequences \
             WHERE name = 'creator_commissions'",
        )
        .fetch_one(&mut *tx)
        .await?;
        let to = last.min(from.saturating_add(max));
        if to <= from {
            return Ok(0);
        }
        sqlx::query(
            "INSERT INTO creator_commissions (creator_id, created_at, order_id) \
             SELECT c.creator_id, c.created_at, c.order_id FROM events e JOIN commissions c ON c.order_id = e.subject \
             WHERE e.seq > $1 AND e.seq <= $2 AND e.kind = 'order.placed' ON CONFLICT DO NOTHING",
        )
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sequences SET value = $1 WHERE name = 'creator_commissions'")
            .bind(to)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(to - from)
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

/// A rung of the tier ladder as stored: (position, name, threshold in euro cents, bonus).
pub type TierRow = (i64, String, i64, i64);

impl Store {
    /// The tier ladder, lowest first.
    pub async fn creator_tiers(&self) -> Result<Vec<TierRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT position, name, min_eur_minor, bonus_bps FROM creator_tiers ORDER BY position",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces the ladder.
    pub async fn set_creator_tiers(&self, rows: &[TierRow]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM creator_tiers")
            .execute(&mut *tx)
            .await?;
        for (position, name, min, bonus) in rows {
            sqlx::query(
                "INSERT INTO creator_tiers (position, name, min_eur_minor, bonus_bps) VALUES ($1, $2, $3, $4)",
            )
            .bind(position)
            .bind(name)
            .bind(min)
            .bind(bonus)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Commission confirmed since `since` and not reversed, per creator and currency.
    pub async fn confirmed_since(
        &self,
        since: i64,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT creator_id, currency, CAST(SUM(amount_minor - reversed_minor) AS BIGINT) FROM commissions \
             WHERE confirmed_at >= $1 AND state IN ('confirmed', 'available') GROUP BY creator_id, currency",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Creators whose tier was computed above the first or who earned anything: (id, tier).
    pub async fn ranked_creators(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, tier FROM creators WHERE earned_90d_eur_minor > 0 OR bonus_bps > 0",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a creator's tier, its bonus and what it was computed from.
    pub async fn set_creator_tier(
        &self,
        id: &str,
        tier: &str,
        bonus_bps: i64,
        earned_eur_minor: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE creators SET tier = $1, bonus_bps = $2, earned_90d_eur_minor = $3 WHERE id = $4",
        )
        .bind(tier)
        .bind(bonus_bps)
        .bind(earned_eur_minor)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Confirmed sales (what the attributed orders kept after refunds) per creator and currency,
    /// for orders completed in `[from, to)`.
    pub async fn confirmed_sales(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT c.creator_id, o.currency, CAST(SUM(o.total_minor - o.refunded_minor) AS BIGINT) \
             FROM commissions c JOIN orders o ON o.id = c.order_id \
             WHERE c.confirmed_at >= $1 AND c.confirmed_at < $2 AND c.state IN ('confirmed', 'available') \
             GROUP BY c.creator_id, o.currency",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// What one creator sold of one of a store's products: (creator, product, title at sale, units,
/// sales, commission), refunds not taken off.
pub type CreatorSaleRow = (String, String, String, i64, i64, i64);

impl Store {
    /// What creators sold of a store's products in orders not cancelled, biggest first (read
    /// through the store's orders, not every store's commissions).
    pub async fn creator_sales(
        &self,
        merchant_id: &str,
        limit: i64,
    ) -> Result<Vec<CreatorSaleRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT c.creator_id, l.product_id, MAX(l.title), CAST(SUM(l.quantity) AS BIGINT), \
             CAST(SUM(l.total_minor) AS BIGINT), CAST(SUM(l.commission_minor) AS BIGINT) \
             FROM orders o JOIN commissions c ON c.order_id = o.id \
             JOIN order_lines l ON l.order_id = o.id \
             WHERE o.merchant_id = $1 AND o.status <> 'cancelled' AND l.commission_minor > 0 \
             GROUP BY c.creator_id, l.product_id ORDER BY SUM(l.total_minor) DESC LIMIT $2",
        )
        .bind(merchant_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Orders attributed per link code or post of a creator (not reversed): (reference, orders).
    pub async fn orders_by_reference(
        &self,
        creator_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT reference, COUNT(*) FROM {} WHERE state <> 'reversed' GROUP BY reference",
            mine("reference, state", "", "")
        ))
        .bind(creator_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
