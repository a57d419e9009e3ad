//! Exchange rates, shipping rules, category fees and carts.

use crate::dialect::insert_rows;
use crate::journal::{append_events, changed};
use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};

/// A stored exchange rate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RateRecord {
    /// ISO 4217.
    pub currency: String,
    /// Units per euro × 10^9.
    pub per_eur_e9: i64,
    /// operator | ecb | demo.
    pub source: String,
    /// UTC milliseconds.
    pub updated_at: i64,
}

/// A stored shipping rule.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ShippingRuleRecord {
    /// `shp_…`.
    pub id: String,
    /// The merchant.
    pub merchant_id: String,
    /// Alpha-2, or `*` for the rest of the world.
    pub destination: String,
    /// economy | standard | express.
    pub method: String,
    /// JSON `[{"up_to_grams":…,"price_minor":…}]`.
    pub bands: String,
    /// Free over this goods amount.
    pub free_over_minor: Option<i64>,
    /// Delivery estimate.
    pub min_days: i64,
    /// Delivery estimate.
    pub max_days: i64,
}

/// A stored cart.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CartRecord {
    /// `crt_…`.
    pub id: String,
    /// Owner, for a signed-in buyer.
    pub user_id: Option<String>,
    /// SHA-256 of the guest token, for a guest cart.
    pub token_hash: Option<String>,
    /// Ship-to country.
    pub country: String,
    /// Display currency.
    pub currency: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

impl Store {
    /// Sets (or replaces) rates.
    pub async fn set_rates(&self, rates: &[RateRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for r in rates {
            sqlx::query(
                "INSERT INTO fx_rates (currency, per_eur_e9, source, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (currency) DO UPDATE SET per_eur_e9 = excluded.per_eur_e9, source = excluded.source, \
                 updated_at = excluded.updated_at",
            )
            .bind(&r.currency)
            .bind(r.per_eur_e9)
            .bind(&r.source)
            .bind(r.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        let now = rates.iter().map(|r| r.updated_at).max().unwrap_or(0);
        append_events(&mut tx, &[changed("rates.changed", "fx")], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every rate.
    pub async fn rates(&self) -> Result<Vec<RateRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT currency, per_eur_e9, source, updated_at FROM fx_rates ORDER BY currency",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces every shipping rule of a merchant.
    pub async fn replace_shipping_rules(
        &self,
        merchant_id: &str,
        rules: &[ShippingRuleRecord],
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM shipping_rules WHERE merchant_id = $1")
            .bind(merchant_id)
            .execute(&mut *tx)
            .await?;
        let rows: Vec<Vec<Val>> = rules
            .iter()
            .map(|r| {
                vec![
                    (&r.id).into(),
                    merchant_id.into(),
                    (&r.destination).into(),
                    (&r.method).into(),
                    (&r.bands).into(),
                    r.free_over_minor.into(),
                    r.min_days.into(),
                    r.max_days.into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "shipping_rules",
            &[
                "id",
                "merchant_id",
                "destination",
                "method",
                "bands",
                "free_over_minor",
                "min_days",
                "max_days",
            ],
            &rows,
        )
        .await?;
        append_events(&mut tx, &[changed("merchant.changed", merchant_id)], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The shipping rules of these merchants.
    pub async fn shipping_rules(
        &self,
        merchant_ids: &[String],
    ) -> Result<Vec<ShippingRuleRecord>, StoreError> {
        if merchant_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, merchant_ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT id, merchant_id, destination, method, bands, free_over_minor, min_days, max_days \
             FROM shipping_rules WHERE merchant_id IN ({list}) ORDER BY merchant_id, destination, method"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// Sets a category's platform fee rate; `Stale` if there is no such category.
    pub async fn set_category_fee(&self, id: &str, bps: i64, now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE categories SET fee_bps = $1 WHERE id = $2")
            .bind(bps)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        append_events(&mut tx, &[changed("category.changed", id)], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Fee rates of every category: (id, bps).
    pub async fn category_fees(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as("SELECT id, fee_bps FROM categories")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Creates a cart.
    pub async fn insert_cart(&self, c: &CartRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO carts (id, user_id, token_hash, country, currency, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&c.id)
        .bind(&c.user_id)
        .bind(&c.token_hash)
        .bind(&c.country)
        .bind(&c.currency)
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The cart with this id.
    pub async fn cart(&self, id: &str) -> Result<Option<CartRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT id, user_id, token_hash, country, currency, created_at, updated_at FROM carts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The user's most recently used cart (by its newest line, else its creation), if any.
    pub async fn latest_cart_of(&self, user_id: &str) -> Result<Option<CartRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, token_hash, country, currency, created_at, updated_at FROM carts c \
             WHERE user_id = $1 ORDER BY COALESCE((SELECT MAX(added_at) FROM cart_lines l \
             WHERE l.cart_id = c.id), created_at) DESC, id DESC LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Changes a cart's owner, country or currency.
    pub async fn update_cart(&self, c: &CartRecord) -> Result<(), StoreError> {
        sqlx::query("UPDATE carts SET user_id = $1, token_hash = $2, country = $3, currency = $4, updated_at = $5 WHERE id = $6")
            .bind(&c.user_id)
            .bind(&c.token_hash)
            .bind(&c.country)
            .bind(&c.currency)
            .bind(c.updated_at)
            .bind(&c.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A cart's lines: (variant id, quantity), in the order they were added.
    pub async fn cart_lines(&self, cart_id: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as("SELECT variant_id, quantity FROM cart_lines WHERE cart_id = $1 ORDER BY added_at, variant_id")
            .bind(cart_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Sets a line's quantity (0 removes it).
    pub async fn set_cart_line(
        &self,
        cart_id: &str,
        variant_id: &str,
        quantity: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        if quantity == 0 {
            sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND variant_id = $2")
                .bind(cart_id)
                .bind(variant_id)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO cart_lines (cart_id, variant_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
            )
            .bind(cart_id)
            .bind(variant_id)
            .bind(quantity)
            .bind(now)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }
}
