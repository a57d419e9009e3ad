//! What the catalogue shows: products, variants, categories and money, as JSON-ready views.

use caravan_domain::{Currency, Money};
use serde::Serialize;
use std::collections::BTreeMap;

/// An amount of money.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MoneyView {
    /// Minor units (cents, kopecks…).
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Decimal rendering, e.g. `12.50`.
    pub amount: String,
}

impl MoneyView {
    /// The view of `minor` units of the currency coded `currency`.
    pub fn new(minor: i64, currency: &str) -> Self {
        let amount = Currency::parse(currency)
            .map(|c| Money::new(minor, c).to_decimal_string())
            .unwrap_or_else(|_| minor.to_string());
        Self {
            amount_minor: minor,
            currency: currency.to_owned(),
            amount,
        }
    }
}

/// A category in the flat tree listing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    /// `cat_…`.
    pub id: String,
    /// Parent, none for a root.
    pub parent_id: Option<String>,
    /// URL slug.
    pub slug: String,
    /// Name in the requested locale (English fallback).
    pub name: String,
    /// 0 for roots.
    pub depth: i64,
    /// Order among siblings.
    pub position: i64,
}

/// One step of a category path.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CategoryCrumb {
    /// `cat_…`.
    pub id: String,
    /// URL slug.
    pub slug: String,
    /// Localised name.
    pub name: String,
}

/// A product's category with its path from the root.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryRef {
    /// `cat_…`.
    pub id: String,
    /// Localised name.
    pub name: String,
    /// From the root down to this category.
    pub path: Vec<CategoryCrumb>,
}

/// The merchant behind a product.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MerchantRef {
    /// `mer_…`.
    pub id: String,
    /// Store name.
    pub store_name: String,
    /// Country.
    pub country: String,
}

/// Title and description in one locale.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TextView {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// A machine translation (else the merchant's own text).
    pub machine: bool,
}

/// The merchant's own text a machine translation was made from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OriginalText {
    /// Its locale.
    pub locale: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
}

/// A variant (SKU).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VariantView {
    /// `var_…`.
    pub id: String,
    /// Merchant's SKU code.
    pub sku: String,
    /// Option name → value (colour, size…).
    pub options: BTreeMap<String, String>,
    /// Price in the merchant's currency.
    pub price: MoneyView,
    /// Units available.
    pub stock: i64,
}

/// A product in a listing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductSummary {
    /// `prd_…`.
    pub id: String,
    /// Title in the chosen locale.
    pub title: String,
    /// The locale the title is in (after fallback).
    pub locale: String,
    /// The title is a machine translation.
    pub machine_translated: bool,
    /// First image, if any.
    pub image: Option<String>,
    /// Cheapest variant.
    pub price_from: MoneyView,
    /// `mer_…`.
    pub merchant_id: String,
    /// `cat_…`.
    pub category_id: String,
    /// Country the parcel leaves from.
    pub ship_from_country: String,
    /// Some variant has stock.
    pub in_stock: bool,
    /// draft or published.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
}

/// A product with everything a product page needs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProductDetail {
    /// `prd_…`.
    pub id: String,
    /// The store.
    pub merchant: MerchantRef,
    /// Category and its path.
    pub category: CategoryRef,
    /// draft or published.
    pub status: String,
    /// Locale of `title` and `description` (after fallback).
    pub locale: String,
    /// Title in the chosen locale.
    pub title: String,
    /// Description in the chosen locale.
    pub description: String,
    /// `title` and `description` are a machine translation (of `original`).
    pub machine_translated: bool,
    /// The merchant's text a machine translation was made from (with `machine_translated`).
    pub original: Option<OriginalText>,
    /// Every locale's text.
    pub texts: BTreeMap<String, TextView>,
    /// Image URLs.
    pub images: Vec<String>,
    /// Attribute name → value.
    pub attributes: BTreeMap<String, String>,
    /// Harmonized System code.
    pub hs_code: Option<String>,
    /// Country of origin.
    pub origin_country: String,
    /// Country the parcel leaves from.
    pub ship_from_country: String,
    /// Shipping weight in grams.
    pub weight_grams: i64,
    /// Cheapest variant.
    pub price_from: MoneyView,
    /// Some variant has stock.
    pub in_stock: bool,
    /// The variants.
    pub variants: Vec<VariantView>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// The cause the store gives part of each sale to now, if any.
    pub charity: Option<crate::charity::SalePledgeView>,
}
