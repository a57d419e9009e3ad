//! Merchants: applications, review and the public store page.

use crate::journal::{append_events, changed};
use crate::{Store, StoreError};

/// A stored merchant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MerchantRecord {
    /// `mer_…`.
    pub id: String,
    /// The user who applied and runs the store.
    pub owner_user_id: String,
    /// Public store name.
    pub store_name: String,
    /// ISO 3166-1 alpha-2 of the business.
    pub country: String,
    /// ISO 4217 code the merchant is paid in and prices in.
    pub settlement_currency: String,
    /// Locale the merchant writes in (text fallback).
    pub default_locale: String,
    /// About the store.
    pub description: String,
    /// pending | approved | rejected | suspended.
    pub status: String,
    /// The operator's reason for the last decision.
    pub status_reason: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

const COLS: &str = "id, owner_user_id, store_name, country, settlement_currency, default_locale, \
                    description, status, status_reason, created_at, updated_at";

impl Store {
    /// Inserts an application. `Conflict` if the user already has a merchant.
    pub async fn insert_merchant(&self, m: &MerchantRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO merchants ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&m.id)
        .bind(&m.owner_user_id)
        .bind(&m.store_name)
        .bind(&m.country)
        .bind(&m.settlement_currency)
        .bind(&m.default_locale)
        .bind(&m.description)
        .bind(&m.status)
        .bind(&m.status_reason)
        .bind(m.created_at)
        .bind(m.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The merchant with this id.
    pub async fn merchant_by_id(&self, id: &str) -> Result<Option<MerchantRecord>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLS} FROM merchants WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Merchants by id.
    pub async fn merchants_by_ids(
        &self,
        ids: &[String],
    ) -> Result<Vec<MerchantRecord>, StoreError> {
        self.fetch_in(&format!("SELECT {COLS} FROM merchants WHERE id"), "", ids)
            .await
    }

    /// The merchant run by this user.
    pub async fn merchant_of_user(
        &self,
        user_id: &str,
    ) -> Result<Option<MerchantRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM merchants WHERE owner_user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Merchants, oldest first, optionally of one status, after an optional `(created_at, id)` cursor.
    pub async fn list_merchants(
        &self,
        status: Option<&str>,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<MerchantRecord>, StoreError> {
        let (t, id) = after.unwrap_or((i64::MIN, String::new()));
        let sql = format!(
            "SELECT {COLS} FROM merchants WHERE ($1 = '' OR status = $1) \
             AND (created_at > $2 OR (created_at = $2 AND id > $3)) \
             ORDER BY created_at, id LIMIT $4"
        );
        Ok(sqlx::query_as(&sql)
            .bind(status.unwrap_or(""))
            .bind(t)
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Moves a merchant from `from` to `to` (guarded: `Stale` if it is no longer in `from`).
    /// Approval grants the owner the merchant role in the same transaction.
    pub async fn set_merchant_status(
        &self,
        id: &str,
        from: &str,
        to: &str,
        reason: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.set_review_status(&MERCHANTS, id, (from, to), reason, now)
            .await
    }

    /// Moves a store or a creator from `from` to `to` (guarded: `Stale` if it is no longer in
    /// `from`); approval grants the account the role in the same transaction.
    pub(crate) async fn set_review_status(
        &self,
        t: &Reviewed,
        id: &str,
        (from, to): (&str, &str),
        reason: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(&format!(
            "UPDATE {} SET status = $1, status_reason = $2, updated_at = $3 \
             WHERE id = $4 AND status = $5",
            t.table
        ))
        .bind(to)
        .bind(reason)
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        if to == "approved" {
            sqlx::query(&format!(
                "INSERT INTO user_roles (user_id, role, granted_at) \
                 SELECT {}, '{}', $1 FROM {} WHERE id = $2 \
                 ON CONFLICT (user_id, role) DO NOTHING",
                t.user_column, t.role, t.table
            ))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        append_events(&mut tx, &[changed(t.event, id)], now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A table of accounts' applications that operators review (stores, creators).
pub(crate) struct Reviewed {
    /// The table.
    pub table: &'static str,
    /// Its column naming the account.
    pub user_column: &'static str,
    /// The role approval grants.
    pub role: &'static str,
    /// The event a decision appends.
    pub event: &'static str,
}

/// Stores under review.
pub(crate) const MERCHANTS: Reviewed = Reviewed {
    table: "merchants",
    user_column: "owner_user_id",
    role: "merchant",
    event: "merchant.changed",
};
