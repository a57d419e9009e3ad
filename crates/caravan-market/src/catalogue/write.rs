//! Merchants create and edit their own products and variants.

use super::input::{self, NewProduct, NewVariant, ProductPatch, VariantPatch};
use super::views::ProductDetail;
use crate::accounts::Actor;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::catalogue::{self as rules, ProductStatus};
use caravan_domain::id::{CategoryId, ProductId, TypedId, VariantId};
use caravan_domain::Locale;
use caravan_store::merchants::MerchantRecord;
use caravan_store::products::{ProductRecord, VariantRecord};
use caravan_store::StoreError;
use std::collections::{BTreeMap, HashSet};

/// How many times an edit is read and applied again after losing a race.
const EDIT_ATTEMPTS: u32 = 3;

fn duplicate_sku(e: StoreError) -> MarketError {
    match e {
        StoreError::Conflict => {
            MarketError::new(Code::DuplicateSku, "this store already uses that SKU code")
        }
        other => other.into(),
    }
}

fn variant_record(
    v: &NewVariant,
    product_id: &str,
    m: &MerchantRecord,
    position: i64,
    now: i64,
) -> Result<VariantRecord, MarketError> {
    input::currency(v.currency.as_deref(), &m.settlement_currency)?;
    rules::attributes(&v.options)?;
    Ok(VariantRecord {
        id: VariantId::generate().to_string(),
        product_id: product_id.to_owned(),
        merchant_id: m.id.clone(),
        sku: rules::sku_code(&v.sku)?,
        options: input::json(&v.options)?,
        price_minor: rules::price(v.price_minor)?,
        price_currency: m.settlement_currency.clone(),
        stock: rules::stock(v.stock)?,
        position,
        created_at: now,
        updated_at: now,
    })
}

impl Market {
    async fn check_category(&self, id: &str) -> Result<String, MarketError> {
        let id = CategoryId::parse(id)
            .map_err(|_| MarketError::new(Code::UnknownCategory, "no such category"))?;
        if self.tree().await?.contains(id.as_str()) {
            Ok(id.to_string())
        } else {
            Err(MarketError::new(Code::UnknownCategory, "no such category"))
        }
    }

    /// The acting merchant creates a product with its variants, all or nothing.
    pub async fn create_product(
        &self,
        actor: &Actor,
        p: NewProduct,
    ) -> Result<ProductDetail, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let category_id = self.check_category(&p.category_id).await?;
        if p.texts.is_empty() {
            return Err(MarketError::new(
                Code::InvalidTitle,
                "a product needs a title in at least one locale",
            ));
        }
        if p.variants.is_empty() || p.variants.len() > rules::MAX_VARIANTS {
            return Err(MarketError::new(
                Code::InvalidVariants,
                "a product has 1 to 100 variants",
            ));
        }
        let mut skus = HashSet::new();
        if !p.variants.iter().all(|v| skus.insert(v.sku.as_str())) {
            return Err(MarketError::new(
                Code::DuplicateSku,
                "two variants share a SKU code",
            ));
        }
        rules::images(&p.images)?;
        rules::attributes(&p.attributes)?;
        let now = self.now();
        let id = ProductId::generate().to_string();
        let texts = input::texts(&id, &p.texts)?;
        let variants = p
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| variant_record(v, &id, &m, i64::try_from(i).unwrap_or(0), now))
            .collect::<Result<Vec<_>, _>>()?;
        let record = ProductRecord {
            id: id.clone(),
            merchant_id: m.id.clone(),
            category_id,
            status: input::status(p.status.as_deref())?
                .unwrap_or(ProductStatus::Draft)
                .as_str()
                .to_owned(),
            default_locale: m.default_locale.clone(),
            hs_code: p.hs_code.as_deref().map(rules::hs_code).transpose()?,
            origin_country: input::country(p.origin_country.as_deref())?
                .unwrap_or_else(|| m.country.clone()),
            ship_from_country: input::country(p.ship_from_country.as_deref())?
                .unwrap_or_else(|| m.country.clone()),
            weight_grams: rules::weight_grams(p.weight_grams)?,
            attributes: input::json(&p.attributes)?,
            images: input::json(&p.images)?,
            price_currency: m.settlement_currency.clone(),
            min_price_minor: variants.iter().map(|v| v.price_minor).min().unwrap_or(1),
            created_at: now,
            updated_at: now,
        };
        let queue = Market::translations_to_queue(&record, &[], &texts);
        self.store
            .insert_product(&record, &texts, &variants, &queue)
            .await
            .map_err(duplicate_sku)?;
        self.inner.cache.invalidate();
        self.own_product(actor, &id, Locale::parse(&m.default_locale)?)
            .await
    }

    /// The acting merchant edits one of its products; another's is `not_found`. A write that
    /// lost a race (a deadlock with the translation worker on PostgreSQL is `Stale`) is read
    /// and applied again, up to `EDIT_ATTEMPTS` times; any other failure is reported as it is.
    pub async fn update_product(
        &self,
        actor: &Actor,
        id: &str,
        patch: ProductPatch,
    ) -> Result<ProductDetail, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let mut attempt = 1;
        let p = loop {
            let p = self.patched(&m, id, &patch).await?;
            let texts = input::texts(&p.id, patch.texts.as_ref().unwrap_or(&BTreeMap::new()))?;
            let existing = self
                .store
                .product_texts(std::slice::from_ref(&p.id))
                .await?;
            let queue = Market::translations_to_queue(&p, &existing, &texts);
            match self.store.update_product(&p, &texts, &queue).await {
                Ok(()) => break p,
                Err(StoreError::Stale) if attempt < EDIT_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        };
        self.inner.cache.invalidate();
        self.own_product(actor, &p.id, Locale::parse(&m.default_locale)?)
            .await
    }

    /// The merchant's product as it is now, with `patch`'s fields applied.
    async fn patched(
        &self,
        m: &MerchantRecord,
        id: &str,
        patch: &ProductPatch,
    ) -> Result<ProductRecord, MarketError> {
        let mut p = self.owned_product_record(m, id).await?;
        if let Some(c) = &patch.category_id {
            p.category_id = self.check_category(c).await?;
        }
        if let Some(s) = input::status(patch.status.as_deref())? {
            p.status = s.as_str().to_owned();
        }
        if let Some(images) = &patch.images {
            rules::images(images)?;
            p.images = input::json(images)?;
        }
        if let Some(attributes) = &patch.attributes {
            rules::attributes(attributes)?;
            p.attributes = input::json(attributes)?;
        }
        if let Some(h) = &patch.hs_code {
            p.hs_code = Some(rules::hs_code(h)?);
        }
        if let Some(c) = input::country(patch.origin_country.as_deref())? {
            p.origin_country = c;
        }
        if let Some(c) = input::country(patch.ship_from_country.as_deref())? {
            p.ship_from_country = c;
        }
        if let Some(w) = patch.weight_grams {
            p.weight_grams = rules::weight_grams(w)?;
        }
        p.updated_at = self.now();
        Ok(p)
    }

    /// Adds a variant to one of the acting merchant's products.
    pub async fn add_variant(
        &self,
        actor: &Actor,
        product_id: &str,
        v: NewVariant,
    ) -> Result<ProductDetail, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let p = self.owned_product_record(&m, product_id).await?;
        let count = self
            .store
            .variants_of(std::slice::from_ref(&p.id))
            .await?
            .len();
        if count >= rules::MAX_VARIANTS {
            return Err(MarketError::new(
                Code::InvalidVariants,
                "a product has at most 100 variants",
            ));
        }
        let record = variant_record(&v, &p.id, &m, i64::try_from(count).unwrap_or(0), self.now())?;
        self.store
            .insert_variant(&record)
            .await
            .map_err(duplicate_sku)?;
        self.inner.cache.invalidate();
        self.own_product(actor, &p.id, Locale::parse(&m.default_locale)?)
            .await
    }

    /// Edits one of the acting merchant's variants; another's is `not_found`.
    pub async fn update_variant(
        &self,
        actor: &Actor,
        id: &str,
        patch: VariantPatch,
    ) -> Result<ProductDetail, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let id = VariantId::parse(id)?;
        let mut v = self
            .store
            .variant(id.as_str())
            .await?
            .filter(|v| v.merchant_id == m.id)
            .ok_or_else(|| MarketError::not_found("variant"))?;
        input::currency(patch.currency.as_deref(), &m.settlement_currency)?;
        if let Some(s) = &patch.sku {
            v.sku = rules::sku_code(s)?;
        }
        if let Some(o) = &patch.options {
            rules::attributes(o)?;
            v.options = input::json(o)?;
        }
        if let Some(p) = patch.price_minor {
            v.price_minor = rules::price(p)?;
        }
        if let Some(s) = patch.stock {
            v.stock = rules::stock(s)?;
        }
        v.updated_at = self.now();
        self.store.update_variant(&v).await.map_err(|e| match e {
            StoreError::Stale => MarketError::not_found("variant"),
            other => duplicate_sku(other),
        })?;
        self.inner.cache.invalidate();
        self.own_product(actor, &v.product_id, Locale::parse(&m.default_locale)?)
            .await
    }

    pub(crate) async fn owned_product_record(
        &self,
        m: &MerchantRecord,
        id: &str,
    ) -> Result<ProductRecord, MarketError> {
        let id = ProductId::parse(id)?;
        self.store
            .product(id.as_str())
            .await?
            .filter(|p| p.merchant_id == m.id)
            .ok_or_else(|| MarketError::not_found("product"))
    }
}
