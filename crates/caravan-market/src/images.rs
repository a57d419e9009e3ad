//! Product images uploaded by stores: checked by their bytes, kept in the database and served
//! from `/media/{id}`, so a seller needs no image host of their own.

use crate::accounts::Actor;
use crate::catalogue::{ProductDetail, ProductPatch};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{ImageId, TypedId};
use caravan_domain::image::check_image;
use caravan_domain::Locale;
use caravan_store::images::ImageRecord;
use serde::Serialize;

/// How many images one store may keep.
pub const MAX_IMAGES_PER_STORE: i64 = 2_000;

/// An uploaded image.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImageView {
    /// `img_…`.
    pub id: String,
    /// Where it is served: put this in a product's `images`.
    pub url: String,
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub content_type: String,
    /// Pixels.
    pub width: i64,
    /// Pixels.
    pub height: i64,
    /// Bytes.
    pub size: i64,
}

impl Market {
    /// Stores an image for the actor's approved store.
    pub async fn upload_image(
        &self,
        actor: &Actor,
        data: Vec<u8>,
    ) -> Result<ImageView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let info = check_image(&data)?;
        let record = ImageRecord {
            id: ImageId::generate().to_string(),
            merchant_id: m.id,
            content_type: info.content_type.to_owned(),
            width: info.width as i64,
            height: info.height as i64,
            data,
            created_at: self.now(),
        };
        if !self
            .store
            .insert_image(&record, MAX_IMAGES_PER_STORE)
            .await?
        {
            return Err(MarketError::new(
                Code::TooManyImages,
                format!("a store keeps at most {MAX_IMAGES_PER_STORE} images"),
            ));
        }
        Ok(ImageView {
            url: format!("/media/{}", record.id),
            id: record.id,
            content_type: record.content_type,
            width: record.width,
            height: record.height,
            size: record.data.len() as i64,
        })
    }

    /// Uploads an image and adds it to the end of one of the actor's products' gallery; a
    /// full gallery is refused (`invalid_images`) before anything is stored.
    pub async fn attach_image(
        &self,
        actor: &Actor,
        product_id: &str,
        data: Vec<u8>,
    ) -> Result<ProductDetail, MarketError> {
        let mut images = self
            .own_product(actor, product_id, Locale::En)
            .await?
            .images;
        if images.len() >= caravan_domain::catalogue::MAX_IMAGES {
            return Err(MarketError::new(
                Code::InvalidImages,
                format!(
                    "a product has at most {} images",
                    caravan_domain::catalogue::MAX_IMAGES
                ),
            ));
        }
        images.push(self.upload_image(actor, data).await?.url);
        let patch = ProductPatch {
            images: Some(images),
            ..ProductPatch::default()
        };
        self.update_product(actor, product_id, patch).await
    }

    /// An image's content type and bytes, for anyone (images are public once uploaded).
    pub async fn image(&self, id: &str) -> Result<(String, Vec<u8>), MarketError> {
        let id = ImageId::parse(id).map_err(|_| MarketError::not_found("image"))?;
        self.store
            .image(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("image"))
    }
}
