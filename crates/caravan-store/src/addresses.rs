//! Buyers' saved delivery addresses.

use crate::{Store, StoreError};

/// A stored address.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AddressRecord {
    /// `adr_…`.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Recipient.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// More.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Alpha-2 country.
    pub country: String,
    /// Phone for the carrier.
    pub phone: Option<String>,
    /// UTC milliseconds.
    pub created_at: i64,
}

const COLS: &str = "id, user_id, name, line1, line2, city, postal_code, country, phone, created_at";

impl Store {
    /// Saves an address unless the user would then hold more than `max` (then `Ok(false)` and
    /// nothing is saved). Writing first keeps SQLite from upgrading a read lock under contention.
    pub async fn insert_address(&self, a: &AddressRecord, max: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO addresses (id, user_id, name, line1, line2, city, postal_code, country, \
             phone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&a.id)
        .bind(&a.user_id)
        .bind(&a.name)
        .bind(&a.line1)
        .bind(&a.line2)
        .bind(&a.city)
        .bind(&a.postal_code)
        .bind(&a.country)
        .bind(&a.phone)
        .bind(a.created_at)
        .execute(&mut *tx)
        .await?;
        crate::sql::commit_within(
            tx,
            "SELECT COUNT(*) FROM addresses WHERE user_id = $1",
            &a.user_id,
            max,
        )
        .await
    }

    /// A user's addresses, newest first.
    pub async fn addresses_of(&self, user_id: &str) -> Result<Vec<AddressRecord>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM addresses WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        );
        Ok(sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Deletes one of the user's addresses; `false` when they have none with that id.
    pub async fn delete_address(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
