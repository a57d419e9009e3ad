//! Store discounts: a merchant's percentage off its whole store during a campaign. Creating or
//! withdrawing one appends a `store_discount.changed` event, which moves the catalogue version:
//! every node's pricing tables are reread.

use crate::journal::{append_events, changed};
use crate::{Store, StoreError};

/// A stored store discount.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoreDiscountRecord {
    /// `sdc_…`.
    pub id: String,
    /// The campaign it runs in.
    pub campaign_id: String,
    /// The store.
    pub merchant_id: String,
    /// What it takes off, basis points.
    pub percent_bps: i64,
    /// Smallest order it applies to (after deal prices), the store's currency.
    pub min_spend_minor: i64,
    /// The store's currency.
    pub currency: String,
    /// When the merchant withdrew it.
    pub withdrawn_at: Option<i64>,
    /// UTC ms.
    pub created_at: i64,
}

const COLS: &str =
    "id, campaign_id, merchant_id, percent_bps, min_spend_minor, currency, withdrawn_at, created_at";

impl Store {
    /// Inserts a store discount. `Conflict` if the store has one in the campaign already.
    pub async fn insert_store_discount(&self, d: &StoreDiscountRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        crate::journal::write_first(&mut tx).await?;
        let existing: Option<String> = sqlx::query_scalar(
            "SELECT id FROM store_discounts WHERE campaign_id = $1 AND merchant_id = $2 \
             AND withdrawn_at IS NULL",
        )
        .bind(&d.campaign_id)
        .bind(&d.merchant_id)
        .fetch_optional(&mut *tx)
        .await?;
        if existing.is_some() {
            return Err(StoreError::Conflict);
        }
        sqlx::query(&format!(
            "INSERT INTO store_discounts ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&d.id)
        .bind(&d.campaign_id)
        .bind(&d.merchant_id)
        .bind(d.percent_bps)
        .bind(d.min_spend_minor)
        .bind(&d.currency)
        .bind(d.withdrawn_at)
        .bind(d.created_at)
        .execute(&mut *tx)
        .await?;
        append_events(
            &mut tx,
            &[changed("store_discount.changed", &d.id)],
            d.created_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A store's discounts, newest first.
    pub async fn store_discounts_of(
        &self,
        merchant_id: &str,
    ) -> Result<Vec<StoreDiscountRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM store_discounts WHERE merchant_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(merchant_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The store discounts not withdrawn of campaigns that have not ended by `now`.
    pub async fn open_store_discounts(
        &self,
        now: i64,
    ) -> Result<Vec<StoreDiscountRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM store_discounts s JOIN campaigns c ON c.id = s.campaign_id \
             WHERE s.withdrawn_at IS NULL AND c.ends_at > $1",
            COLS.split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Withdraws `merchant_id`'s store discount `id`; false if it has none such not withdrawn.
    pub async fn withdraw_store_discount(
        &self,
        id: &str,
        merchant_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE store_discounts SET withdrawn_at = $1 \
             WHERE id = $2 AND merchant_id = $3 AND withdrawn_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(merchant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        append_events(&mut tx, &[changed("store_discount.changed", id)], now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// The active store discounts of a campaign with their stores' names, largest first.
    pub async fn campaign_store_discounts(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(StoreDiscountRecord, String)>, StoreError> {
        let rows: Vec<CampaignDiscountRow> = sqlx::query_as(&format!(
            "SELECT {}, m.store_name FROM store_discounts s JOIN merchants m ON m.id = s.merchant_id \
             WHERE s.campaign_id = $1 AND s.withdrawn_at IS NULL AND m.status = 'approved' \
             ORDER BY s.percent_bps DESC, m.store_name",
            COLS.split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.discount, r.store_name))
            .collect())
    }
}

/// A store discount with its store's name.
#[derive(sqlx::FromRow)]
struct CampaignDiscountRow {
    #[sqlx(flatten)]
    discount: StoreDiscountRecord,
    store_name: String,
}
