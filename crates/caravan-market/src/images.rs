//! Images uploaded by stores (products), creators (posts) and operators (campaign sites'
//! logos and hero images): checked by their bytes, kept in
//! the database and served from `/media/{id}`, so nobody needs an image host of their own.

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

/// How many photos one creator may keep for their posts.
pub const MAX_IMAGES_PER_CREATOR: i64 = 500;

/// How many pictures one operator may keep for campaign sites.
pub const MAX_IMAGES_PER_OPERATOR: i64 = 500;

/// Whose an image is.
pub(crate) enum Owner {
    /// A store's product image (`mer_…`).
    Store(String),
    /// A creator's photo for posts (`cre_…`).
    Creator(String),
    /// An operator's picture for campaign sites (`usr_…`).
    Site(String),
}

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
        self.keep_image(Owner::Store(m.id), data).await
    }

    /// Stores a picture for campaign sites (operators): a logo or a hero image.
    pub async fn upload_site_image(
        &self,
        actor: &Actor,
        data: Vec<u8>,
    ) -> Result<ImageView, MarketError> {
        actor.require(caravan_domain::account::Role::Operator)?;
        self.keep_image(Owner::Site(actor.user_id.to_string()), data)
            .await
    }

    /// Checks an image by its bytes and keeps it for its owner, within the owner's allowance.
    pub(crate) async fn keep_image(
        &self,
        owner: Owner,
        data: Vec<u8>,
    ) -> Result<ImageView, MarketError> {
        let info = check_image(&data)?;
        let (owner_id, max, what) = match &owner {
            Owner::Store(id) => (id.clone(), MAX_IMAGES_PER_STORE, "a store keeps at most"),
            Owner::Creator(id) => (
                id.clone(),
                MAX_IMAGES_PER_CREATOR,
                "a creator keeps at most",
            ),
            Owner::Site(id) => (
                id.clone(),
                MAX_IMAGES_PER_OPERATOR,
                "an operator keeps at most",
            ),
        };
        let record = ImageRecord {
            id: ImageId::generate().to_string(),
            merchant_id: owner_id,
            content_type: info.content_type.to_owned(),
            width: info.width as i64,
            height: info.height as i64,
            data,
            created_at: self.now(),
        };
        let kept = match owner {
            Owner::Store(_) => self.store.insert_image(&record, max).await?,
            Owner::Creator(_) => self.store.insert_creator_image(&record, max).await?,
            Owner::Site(_) => self.store.insert_site_image(&record, max).await?,
        };
        if !kept {
            return Err(MarketError::new(
                Code::TooManyImages,
                format!("{what} {max} images"),
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
