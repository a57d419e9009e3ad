//! What merchants send to create and edit products, and its validation.

use crate::Code;
use crate::MarketError;
use caravan_domain::catalogue::{self as rules, ProductStatus};
use caravan_domain::{Country, Currency, Locale};
use caravan_store::products::ProductTextRecord;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Title and description in one locale.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    /// 1..=200 characters.
    pub title: String,
    /// Up to 20,000 characters.
    #[serde(default)]
    pub description: String,
}

/// A new variant (SKU).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVariant {
    /// SKU code, unique within the merchant.
    pub sku: String,
    /// Option name → value (colour, size…).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Price in minor units of the merchant's settlement currency; must be positive.
    pub price_minor: i64,
    /// ISO 4217; if given, must be the merchant's settlement currency.
    pub currency: Option<String>,
    /// Units in stock, ≥ 0.
    pub stock: i64,
}

/// A new product.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    /// `cat_…`.
    pub category_id: String,
    /// Locale code → title and description; at least one.
    pub texts: BTreeMap<String, TextInput>,
    /// Image URLs.
    #[serde(default)]
    pub images: Vec<String>,
    /// Attribute name → value.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Harmonized System code (6, 8 or 10 digits).
    pub hs_code: Option<String>,
    /// Country of origin (alpha-2); the merchant's country if absent.
    pub origin_country: Option<String>,
    /// Country the parcel leaves from; the merchant's country if absent.
    pub ship_from_country: Option<String>,
    /// Shipping weight in grams.
    pub weight_grams: i64,
    /// draft (default) or published.
    pub status: Option<String>,
    /// One to 100 variants.
    pub variants: Vec<NewVariant>,
}

/// Changes to a product; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    /// `cat_…`.
    pub category_id: Option<String>,
    /// Locale code → text to add or replace.
    pub texts: Option<BTreeMap<String, TextInput>>,
    /// Replaces the images.
    pub images: Option<Vec<String>>,
    /// Replaces the attributes.
    pub attributes: Option<BTreeMap<String, String>>,
    /// HS code.
    pub hs_code: Option<String>,
    /// Country of origin.
    pub origin_country: Option<String>,
    /// Ship-from country.
    pub ship_from_country: Option<String>,
    /// Weight in grams.
    pub weight_grams: Option<i64>,
    /// draft or published.
    pub status: Option<String>,
}

/// Changes to a variant; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantPatch {
    /// SKU code.
    pub sku: Option<String>,
    /// Replaces the options.
    pub options: Option<BTreeMap<String, String>>,
    /// Price in minor units.
    pub price_minor: Option<i64>,
    /// If given, must be the merchant's currency.
    pub currency: Option<String>,
    /// Units in stock.
    pub stock: Option<i64>,
}

pub(crate) fn status(s: Option<&str>) -> Result<Option<ProductStatus>, MarketError> {
    Ok(s.map(ProductStatus::parse).transpose()?)
}

pub(crate) fn country(s: Option<&str>) -> Result<Option<String>, MarketError> {
    Ok(s.map(Country::parse)
        .transpose()?
        .map(|c| c.code().to_owned()))
}

pub(crate) fn texts(
    product_id: &str,
    texts: &BTreeMap<String, TextInput>,
) -> Result<Vec<ProductTextRecord>, MarketError> {
    texts
        .iter()
        .map(|(locale, t)| {
            Ok(ProductTextRecord {
                product_id: product_id.to_owned(),
                locale: Locale::parse(locale)?.code().to_owned(),
                title: rules::title(&t.title)?,
                description: rules::description(&t.description)?,
                machine: 0,
                source_locale: None,
                source_hash: None,
            })
        })
        .collect()
}

/// Checks an optional variant currency against the merchant's.
pub(crate) fn currency(given: Option<&str>, merchant: &str) -> Result<(), MarketError> {
    if let Some(c) = given {
        let c = Currency::parse(c)?;
        if c.code() != merchant {
            return Err(MarketError::new(
                Code::CurrencyMismatch,
                format!("prices are in the store's settlement currency, {merchant}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String, MarketError> {
    serde_json::to_string(v).map_err(|e| MarketError::internal(e.to_string()))
}
