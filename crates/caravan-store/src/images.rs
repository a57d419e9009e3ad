//! Uploaded product images.

use crate::{Store, StoreError};

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRecord {
    /// `img_…`.
    pub id: String,
    /// The store that uploaded it.
    pub merchant_id: String,
    /// `image/png`, `image/jpeg`…
    pub content_type: String,
    /// Pixels.
    pub width: i64,
    /// Pixels.
    pub height: i64,
    /// The file.
    pub data: Vec<u8>,
    /// UTC milliseconds.
    pub created_at: i64,
}

impl Store {
    /// Saves an image unless the store would then hold more than `max` (then `Ok(false)`).
    pub async fn insert_image(&self, i: &ImageRecord, max: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO images (id, merchant_id, content_type, width, height, size, data, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&i.id)
        .bind(&i.merchant_id)
        .bind(&i.content_type)
        .bind(i.width)
        .bind(i.height)
        .bind(i.data.len() as i64)
        .bind(&i.data)
        .bind(i.created_at)
        .execute(&mut *tx)
        .await?;
        crate::sql::commit_within(
            tx,
            "SELECT COUNT(*) FROM images WHERE merchant_id = $1",
            &i.merchant_id,
            max,
        )
        .await
    }

    /// An image's type and bytes.
    pub async fn image(&self, id: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT content_type, data FROM images WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
