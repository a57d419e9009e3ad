//! Reading the catalogue: public listings and product pages, and a merchant's own view.

use super::views::{
    CategoryRef, MerchantRef, MoneyView, OriginalText, ProductDetail, ProductSummary, TextView,
    VariantView,
};
use super::Tree;
use crate::accounts::Actor;
use crate::page::{self, Page};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::id::{CategoryId, MerchantId, ProductId, TypedId};
use caravan_domain::locale::pick;
use caravan_domain::merchant::MerchantStatus;
use caravan_domain::{rfc3339, Country, Currency, Locale};
use caravan_store::products::{
    ProductQuery, ProductRecord, ProductSort, ProductTextRecord, VariantRecord, Visibility,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// Filters, order and page of a product listing.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListParams {
    /// `cat_…`: this category and every category below it.
    pub category: Option<String>,
    /// `mer_…`: one store's products.
    pub merchant: Option<String>,
    /// Ship-from country (alpha-2).
    pub ship_from: Option<String>,
    /// Only products priced in this currency (ISO 4217); required with price bounds and price sorts.
    pub currency: Option<String>,
    /// Cheapest variant at least this many minor units.
    pub min_price: Option<i64>,
    /// Cheapest variant at most this many minor units.
    pub max_price: Option<i64>,
    /// Only products with a variant in stock.
    pub in_stock: Option<bool>,
    /// newest (default), price_asc or price_desc.
    pub sort: Option<String>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1..=100 (default 24).
    pub limit: Option<i64>,
    /// Language of titles (en, ru, fr, es, pl, it, tr, zh); else `Accept-Language`.
    pub locale: Option<String>,
}

pub(crate) fn texts_by_product(
    texts: Vec<ProductTextRecord>,
) -> HashMap<String, Vec<(Locale, ProductTextRecord)>> {
    let mut map: HashMap<String, Vec<(Locale, ProductTextRecord)>> = HashMap::new();
    for t in texts {
        if let Ok(l) = Locale::parse(&t.locale) {
            map.entry(t.product_id.clone()).or_default().push((l, t));
        }
    }
    map
}

fn chosen<'a>(
    texts: &'a [(Locale, ProductTextRecord)],
    locale: Locale,
    fallback: &str,
) -> Option<&'a ProductTextRecord> {
    pick(texts, locale, Locale::parse(fallback).unwrap_or(Locale::En))
}

/// The merchant's text a machine text was translated from.
fn original(
    texts: &[(Locale, ProductTextRecord)],
    shown: &ProductTextRecord,
) -> Option<OriginalText> {
    let from = shown
        .source_locale
        .as_deref()
        .filter(|_| shown.machine != 0)?;
    let (_, t) = texts
        .iter()
        .find(|(_, t)| t.locale == from && t.machine == 0)?;
    Some(OriginalText {
        locale: t.locale.clone(),
        title: t.title.clone(),
        description: t.description.clone(),
    })
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

pub(crate) fn summary(
    p: ProductRecord,
    texts: &[(Locale, ProductTextRecord)],
    variants: &[VariantRecord],
    locale: Locale,
) -> ProductSummary {
    let t = chosen(texts, locale, &p.default_locale);
    let images: Vec<String> = parse_json(&p.images);
    ProductSummary {
        title: t.map(|t| t.title.clone()).unwrap_or_default(),
        locale: t.map(|t| t.locale.clone()).unwrap_or_default(),
        machine_translated: t.is_some_and(|t| t.machine != 0),
        image: images.into_iter().next(),
        price_from: MoneyView::new(p.min_price_minor, &p.price_currency),
        in_stock: variants.iter().any(|v| v.product_id == p.id && v.stock > 0),
        id: p.id,
        merchant_id: p.merchant_id,
        category_id: p.category_id,
        ship_from_country: p.ship_from_country,
        status: p.status,
        created_at: rfc3339(p.created_at),
    }
}

impl Market {
    /// A page of products as buyers see them (published, approved stores only).
    pub async fn list_products(
        &self,
        params: ProductListParams,
        locale: Locale,
    ) -> Result<Page<ProductSummary>, MarketError> {
        self.list(params, locale, Visibility::Public).await
    }

    /// A page of the acting merchant's own products, drafts included.
    pub async fn list_own_products(
        &self,
        actor: &Actor,
        params: ProductListParams,
        locale: Locale,
    ) -> Result<Page<ProductSummary>, MarketError> {
        let m = self.acting_merchant(actor).await?;
        self.list(params, locale, Visibility::OwnedBy(m.id)).await
    }

    async fn list(
        &self,
        params: ProductListParams,
        locale: Locale,
        visibility: Visibility,
    ) -> Result<Page<ProductSummary>, MarketError> {
        let limit = page::limit(params.limit)?;
        let sort = list_sort(params.sort.as_deref())?;
        let currency = price_filters(&params, sort)?;
        // A malformed id in a filter matches nothing, like an unknown one.
        let category_id = params
            .category
            .as_deref()
            .map(|c| CategoryId::parse(c).map(|c| c.to_string()));
        let merchant_id = params
            .merchant
            .as_deref()
            .map(|m| MerchantId::parse(m).map(|m| m.to_string()));
        if matches!(category_id, Some(Err(_))) || matches!(merchant_id, Some(Err(_))) {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let q = ProductQuery {
            visibility,
            category_id: category_id.and_then(Result::ok),
            merchant_id: merchant_id.and_then(Result::ok),
            ship_from: params
                .ship_from
                .as_deref()
                .map(Country::parse)
                .transpose()?
                .map(|c| c.code().to_owned()),
            currency: currency.map(|c| c.code().to_owned()),
            min_price: params.min_price,
            max_price: params.max_price,
            in_stock: params.in_stock.unwrap_or(false),
            sort,
            after: page::decode(params.cursor.as_deref())?,
            limit: limit + 1,
        };
        let rows = self.store.list_products(&q).await?;
        let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
        let texts = texts_by_product(self.store.product_texts(&ids).await?);
        let variants = self.store.variants_of(&ids).await?;
        let key = move |p: &ProductRecord| match sort {
            ProductSort::Newest => (p.created_at, p.id.clone()),
            _ => (p.min_price_minor, p.id.clone()),
        };
        Ok(page::paginate(rows, limit, key, |p| {
            let t = texts.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            summary(p, t, &variants, locale)
        }))
    }

    /// A product page for buyers; drafts and suspended stores' products are `not_found`.
    pub async fn product(&self, id: &str, locale: Locale) -> Result<ProductDetail, MarketError> {
        let id = ProductId::parse(id)?;
        let p = self
            .store
            .product(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("product"))?;
        let m = self.store.merchant_by_id(&p.merchant_id).await?;
        let visible = p.status == "published"
            && m.as_ref()
                .is_some_and(|m| m.status == MerchantStatus::Approved.as_str());
        if !visible {
            return Err(MarketError::not_found("product"));
        }
        self.detail(p, locale).await
    }

    /// One of the acting merchant's products, in any status.
    pub async fn own_product(
        &self,
        actor: &Actor,
        id: &str,
        locale: Locale,
    ) -> Result<ProductDetail, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let p = self.owned_product_record(&m, id).await?;
        self.detail(p, locale).await
    }

    async fn detail(&self, p: ProductRecord, locale: Locale) -> Result<ProductDetail, MarketError> {
        let ids = vec![p.id.clone()];
        let texts = texts_by_product(self.store.product_texts(&ids).await?)
            .remove(&p.id)
            .unwrap_or_default();
        let variants = self.store.variants_of(&ids).await?;
        let m = self
            .store
            .merchant_by_id(&p.merchant_id)
            .await?
            .ok_or_else(|| MarketError::not_found("merchant"))?;
        let tree: Tree = self.tree().await?;
        let t = chosen(&texts, locale, &p.default_locale);
        let pledge = self.pledge_now(&m.id).await?;
        Ok(ProductDetail {
            charity: pledge.map(|a| a.view(locale, &m.settlement_currency)),
            merchant: MerchantRef {
                id: m.id,
                store_name: m.store_name,
                country: m.country,
            },
            category: CategoryRef {
                id: p.category_id.clone(),
                name: tree.name(&p.category_id, locale),
                path: tree.path(&p.category_id, locale),
            },
            locale: t.map(|t| t.locale.clone()).unwrap_or_default(),
            title: t.map(|t| t.title.clone()).unwrap_or_default(),
            description: t.map(|t| t.description.clone()).unwrap_or_default(),
            machine_translated: t.is_some_and(|t| t.machine != 0),
            original: t.and_then(|t| original(&texts, t)),
            texts: texts
                .iter()
                .map(|(l, t)| {
                    (
                        l.code().to_owned(),
                        TextView {
                            title: t.title.clone(),
                            description: t.description.clone(),
                            machine: t.machine != 0,
                        },
                    )
                })
                .collect(),
            images: parse_json(&p.images),
            attributes: parse_json(&p.attributes),
            in_stock: variants.iter().any(|v| v.stock > 0),
            variants: variants
                .into_iter()
                .map(|v| VariantView {
                    options: parse_json::<BTreeMap<String, String>>(&v.options),
                    price: MoneyView::new(v.price_minor, &v.price_currency),
                    id: v.id,
                    sku: v.sku,
                    stock: v.stock,
                })
                .collect(),
            price_from: MoneyView::new(p.min_price_minor, &p.price_currency),
            id: p.id,
            status: p.status,
            hs_code: p.hs_code,
            origin_country: p.origin_country,
            ship_from_country: p.ship_from_country,
            weight_grams: p.weight_grams,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        })
    }
}

/// A listing's order: newest (default), price_asc or price_desc.
fn list_sort(sort: Option<&str>) -> Result<ProductSort, MarketError> {
    match sort.unwrap_or("newest") {
        "newest" => Ok(ProductSort::Newest),
        "price_asc" => Ok(ProductSort::PriceAsc),
        "price_desc" => Ok(ProductSort::PriceDesc),
        other => Err(MarketError::new(
            Code::InvalidSort,
            format!("unknown sort {other:?}; use newest, price_asc or price_desc"),
        )),
    }
}

/// The listing's currency, checked with its price bounds: bounds and price sorts need one,
/// and bounds are never negative.
fn price_filters(
    params: &ProductListParams,
    sort: ProductSort,
) -> Result<Option<Currency>, MarketError> {
    let currency = params
        .currency
        .as_deref()
        .map(Currency::parse)
        .transpose()?;
    let priced =
        params.min_price.is_some() || params.max_price.is_some() || sort != ProductSort::Newest;
    if priced && currency.is_none() {
        return Err(MarketError::new(
            Code::CurrencyRequired,
            "price bounds and price sorts need a currency",
        ));
    }
    if params.min_price.is_some_and(|v| v < 0) || params.max_price.is_some_and(|v| v < 0) {
        return Err(MarketError::new(
            Code::InvalidPrice,
            "price bounds cannot be negative",
        ));
    }
    Ok(currency)
}
