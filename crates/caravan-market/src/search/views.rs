//! What search answers with, and what it accepts.

use crate::catalogue::{MoneyView, ProductSummary};
use serde::{Deserialize, Serialize};

/// Query, filters, order and page of a search.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What the buyer typed (at most 500 characters); empty or absent browses.
    pub q: Option<String>,
    /// `cat_…`: this category and every category below it.
    pub category: Option<String>,
    /// `mer_…`: one store's products.
    pub merchant: Option<String>,
    /// Ship-from country (alpha-2).
    pub ship_from: Option<String>,
    /// Only products that ship to this country (alpha-2).
    pub ships_to: Option<String>,
    /// Display currency (ISO 4217, default EUR): prices, price bounds and price facets.
    pub currency: Option<String>,
    /// Cheapest variant at least this many minor units of the display currency.
    pub min_price: Option<i64>,
    /// Cheapest variant at most this many minor units of the display currency.
    pub max_price: Option<i64>,
    /// Also list products that are sold out.
    pub include_sold_out: Option<bool>,
    /// relevance (default), price_asc, price_desc, newest or best_selling.
    pub sort: Option<String>,
    /// Page number from 1 (default 1); results beyond the first 10,000 are not paged.
    pub page: Option<i64>,
    /// Page size, 1..=100 (default 24).
    pub limit: Option<i64>,
    /// Language of titles and boosted language (en, ru, fr, es, pl, it, tr, zh); else `Accept-Language`.
    pub locale: Option<String>,
}

/// What to complete.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What the buyer has typed so far.
    pub q: Option<String>,
    /// At most this many suggestions, 1..=10 (default 10).
    pub limit: Option<i64>,
}

/// Completions, most frequent first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    /// Whole queries to offer.
    pub suggestions: Vec<String>,
}

/// One hit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// The product, as in listings.
    #[serde(flatten)]
    pub product: ProductSummary,
    /// Its cheapest price in the display currency (absent when no rate converts it).
    pub display_price: Option<MoneyView>,
}

/// A page of results with facet counts over all matches.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    /// Matching products in all.
    pub total: u64,
    /// This page's number.
    pub page: i64,
    /// Page size.
    pub limit: usize,
    /// Nothing matched as typed; these results allow for typos.
    pub typo_tolerant: bool,
    /// The hits of this page.
    pub items: Vec<SearchItem>,
    /// Counts per facet value over every match.
    pub facets: Option<SearchFacets>,
}

impl SearchPage {
    pub(crate) fn empty(page: i64, limit: usize) -> Self {
        Self {
            total: 0,
            page,
            limit,
            typo_tolerant: false,
            items: Vec::new(),
            facets: None,
        }
    }
}

/// Facet counts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchFacets {
    /// Categories at every level (a product counts for its category and each ancestor).
    pub categories: Vec<CategoryFacet>,
    /// The stores with most matches (top 20).
    pub merchants: Vec<MerchantFacet>,
    /// Ship-from countries.
    pub ship_from: Vec<CountryFacet>,
    /// Destinations (`*` = the rest of the world).
    pub ships_to: Vec<CountryFacet>,
    /// Price ranges in the display currency (only non-empty ones).
    pub price: Vec<PriceFacet>,
}

/// A category and its count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryFacet {
    /// `cat_…`.
    pub id: String,
    /// Name in the request's locale.
    pub name: String,
    /// Parent, for building the tree; absent for a top-level category.
    pub parent_id: Option<String>,
    /// 0 for top level.
    pub depth: usize,
    /// Matching products.
    pub count: u64,
}

/// A store and its count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MerchantFacet {
    /// `mer_…`.
    pub id: String,
    /// Store name.
    pub name: String,
    /// Matching products.
    pub count: u64,
}

/// A country and its count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountryFacet {
    /// Alpha-2 (or `*`).
    pub country: String,
    /// Matching products.
    pub count: u64,
}

/// A price range and its count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PriceFacet {
    /// From (inclusive).
    pub min: MoneyView,
    /// To (exclusive); absent for the last range.
    pub max: Option<MoneyView>,
    /// Matching products.
    pub count: u64,
}
