//! What the search indexer reads: product ids in pages, the products an order or a merchant
//! touches, and units sold.

use crate::{Store, StoreError};

impl Store {
    /// Up to `limit` product ids greater than `after`, in id order (for a full rebuild).
    pub async fn product_ids_after(
        &self,
        after: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM products WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Ids of every product of these merchants.
    pub async fn product_ids_of_merchants(
        &self,
        merchant_ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .fetch_in(
                "SELECT id FROM products WHERE merchant_id",
                "",
                merchant_ids,
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Ids of the products on these orders' lines.
    pub async fn product_ids_of_orders(
        &self,
        order_ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .fetch_in(
                "SELECT DISTINCT product_id FROM order_lines WHERE order_id",
                "",
                order_ids,
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Units sold per product (kept on the variants by checkout and cancellation).
    pub async fn units_sold(
        &self,
        product_ids: &[String],
    ) -> Result<Vec<(String, i64)>, StoreError> {
        self.fetch_in(
            "SELECT product_id, CAST(SUM(sold) AS BIGINT) FROM variants WHERE product_id",
            "GROUP BY product_id",
            product_ids,
        )
        .await
    }

    /// The newest event's sequence number (0 when there is none).
    pub async fn last_event_seq(&self) -> Result<i64, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}
