//! Coupons' storage: creating them, finding them by code, buyers collecting them. What is used of
//! their budgets is written only by the order writer (`checkout::coupons`) and by cancellations.

use crate::journal::{append_events, changed};
use crate::{Store, StoreError};

/// A stored coupon.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CouponRecord {
    /// `cpn_…`.
    pub id: String,
    /// What buyers type (upper case).
    pub code: String,
    /// The campaign it belongs to, if any.
    pub campaign_id: Option<String>,
    /// The store funding it; none for a platform coupon.
    pub merchant_id: Option<String>,
    /// fixed | percent.
    pub kind: String,
    /// Minor units (fixed) or basis points (percent).
    pub value: i64,
    /// Currency of a fixed value, the minimum spend and the money budget.
    pub currency: String,
    /// Smallest order (store coupon) or checkout (platform coupon) it applies to.
    pub min_spend_minor: i64,
    /// Valid from (UTC ms).
    pub valid_from: i64,
    /// Valid until (exclusive).
    pub valid_to: i64,
    /// Checkouts it may be used in, in all; none: no limit.
    pub budget_uses: Option<i64>,
    /// Checkouts it was used in.
    pub used_uses: i64,
    /// Money it may take off, in all; none: no limit.
    pub budget_minor: Option<i64>,
    /// Money it took off.
    pub used_minor: i64,
    /// Checkouts one buyer may use it in.
    pub per_buyer: i64,
    /// 1: buyers collect it before using it.
    pub collect: i64,
    /// UTC ms.
    pub created_at: i64,
}

const COLS: &str = "id, code, campaign_id, merchant_id, kind, value, currency, min_spend_minor, \
    valid_from, valid_to, budget_uses, used_uses, budget_minor, used_minor, per_buyer, collect, created_at";

impl Store {
    /// Inserts a coupon. `Conflict` if its code is taken. Appends `coupon.changed`, which moves
    /// the catalogue version: checkout prices with the coupons it keeps in memory.
    pub async fn insert_coupon(&self, c: &CouponRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO coupons ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        ))
        .bind(&c.id)
        .bind(&c.code)
        .bind(&c.campaign_id)
        .bind(&c.merchant_id)
        .bind(&c.kind)
        .bind(c.value)
        .bind(&c.currency)
        .bind(c.min_spend_minor)
        .bind(c.valid_from)
        .bind(c.valid_to)
        .bind(c.budget_uses)
        .bind(c.used_uses)
        .bind(c.budget_minor)
        .bind(c.used_minor)
        .bind(c.per_buyer)
        .bind(c.collect)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        append_events(&mut tx, &[changed("coupon.changed", &c.id)], c.created_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every coupon whose window has not ended by `now`: the definitions checkout prices with
    /// (their used budgets are decided by the order writer, never read from here).
    pub async fn open_coupons(&self, now: i64) -> Result<Vec<CouponRecord>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLS} FROM coupons WHERE valid_to > $1"))
                .bind(now)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The coupon with this id or code.
    pub async fn coupon(&self, id_or_code: &str) -> Result<Option<CouponRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM coupons WHERE id = $1 OR code = $1"
        ))
        .bind(id_or_code)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A store's coupons (`Some(merchant)`) or the platform's (`None`), newest first.
    pub async fn coupons_of(
        &self,
        merchant: Option<&str>,
    ) -> Result<Vec<CouponRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM coupons WHERE COALESCE(merchant_id, '') = $1 ORDER BY created_at DESC, id LIMIT 500"
        );
        Ok(sqlx::query_as(&sql)
            .bind(merchant.unwrap_or_default())
            .fetch_all(&self.pool)
            .await?)
    }

    /// Coupons valid at `now` (for the campaign pages and the wallet), newest first.
    pub async fn current_coupons(&self, now: i64) -> Result<Vec<CouponRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM coupons WHERE valid_to > $1 ORDER BY created_at DESC, id LIMIT 500"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A buyer collects a coupon (again: nothing changes). Returns whether it was new.
    pub async fn collect_coupon(
        &self,
        coupon: &str,
        buyer: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO coupon_holders (coupon_id, buyer_id, collected_at, used) VALUES ($1, $2, $3, 0) \
             ON CONFLICT (coupon_id, buyer_id) DO UPDATE SET collected_at = $3 \
             WHERE coupon_holders.collected_at IS NULL",
        )
        .bind(coupon)
        .bind(buyer)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A buyer's standing with coupons: (coupon id, collected, uses).
    pub async fn holdings(&self, buyer: &str) -> Result<Vec<(String, bool, i64)>, StoreError> {
        let rows: Vec<(String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT coupon_id, collected_at, used FROM coupon_holders WHERE buyer_id = $1",
        )
        .bind(buyer)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(c, at, used)| (c, at.is_some(), used))
            .collect())
    }
}
