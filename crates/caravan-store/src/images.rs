//! Uploaded images: stores' product images and creators' photos (Connect posts), served alike.

use crate::{Store, StoreError};

/// A stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRecord {
    /// `img_…`.
    pub id: String,
    /// The store (or, for a creator's photo, the creator) that uploaded it.
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
        self.insert_owned_image("images", "merchant_id", i, max)
            .await
    }

    /// Saves a creator's photo (`merchant_id` names the creator) unless they would then hold
    /// more than `max`.
    pub async fn insert_creator_image(
        &self,
        i: &ImageRecord,
        max: i64,
    ) -> Result<bool, StoreError> {
        self.insert_owned_image("creator_images", "creator_id", i, max)
            .await
    }

    /// Saves an operator's picture for campaign sites (`merchant_id` names the operator)
    /// unless they would then hold more than `max`.
    pub async fn insert_site_image(&self, i: &ImageRecord, max: i64) -> Result<bool, StoreError> {
        self.insert_owned_image("site_images", "operator_id", i, max)
            .await
    }

    async fn insert_owned_image(
        &self,
        table: &str,
        owner: &str,
        i: &ImageRecord,
        max: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO {table} (id, {owner}, content_type, width, height, size, data, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
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
        let count = format!("SELECT COUNT(*) FROM {table} WHERE {owner} = $1");
        crate::sql::commit_within(tx, &count, &i.merchant_id, max).await
    }

    /// Whether these images are all the creator's photos.
    pub async fn creator_owns_images(
        &self,
        creator_id: &str,
        ids: &[String],
    ) -> Result<bool, StoreError> {
        for id in ids {
            let owner: Option<String> =
                sqlx::query_scalar("SELECT creator_id FROM creator_images WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            if owner.as_deref() != Some(creator_id) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// An image's type and bytes.
    pub async fn image(&self, id: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT content_type, data FROM images WHERE id = $1 \
                 UNION ALL SELECT content_type, data FROM creator_images WHERE id = $1 \
                 UNION ALL SELECT content_type, data FROM site_images WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }
}
