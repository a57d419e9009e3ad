//! Product search for buyers: the query use case and suggestions over `caravan-search`, and the
//! indexer that keeps the index current from the outbox.

mod docs;
mod indexer;
mod views;

pub use views::{
    CategoryFacet, CountryFacet, MerchantFacet, PriceFacet, SearchFacets, SearchItem, SearchPage,
    SearchParams, SuggestParams, Suggestions,
};

use crate::catalogue::read::{summary, texts_by_product};
use crate::catalogue::MoneyView;
use crate::page;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::fx::{convert, Rate};
use caravan_domain::id::{CategoryId, MerchantId, TypedId};
use caravan_domain::{Country, Currency, Locale, Money};
use caravan_search::{Filters, SearchIndex, SearchRequest, Sort};
use std::collections::HashMap;
use std::sync::Arc;

/// Products read from the store per query when (re)indexing.
pub(crate) const SEARCH_BATCH: i64 = 1_000;
/// Longest query accepted (characters); longer is `query_too_long`.
pub const MAX_QUERY_CHARS: usize = 500;
/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;
/// Most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 10;
/// Merchants listed in the merchant facet.
pub const MERCHANT_FACET_SIZE: usize = 20;
/// Price-bucket edges in euros; shown in the buyer's currency, rounded to two significant digits.
const PRICE_EDGES_EUR: [i64; 7] = [0, 10, 25, 50, 100, 250, 500];

fn sort_of(s: Option<&str>) -> Result<Sort, MarketError> {
    Ok(match s.unwrap_or("relevance") {
        "relevance" => Sort::Relevance,
        "price_asc" => Sort::PriceAsc,
        "price_desc" => Sort::PriceDesc,
        "newest" => Sort::Newest,
        "best_selling" => Sort::BestSelling,
        other => {
            return Err(MarketError::new(
                Code::InvalidSort,
                format!(
                    "unknown sort {other:?}; use relevance, price_asc, price_desc, newest or best_selling"
                ),
            ))
        }
    })
}

/// Rounds to two significant digits (1234 → 1200), so bucket edges read well in any currency.
fn two_digits(v: i64) -> i64 {
    let mut scale = 1;
    while v / scale >= 100 {
        scale *= 10;
    }
    (v + scale / 2) / scale * scale
}

fn exchange(minor: i64, from: Rate, to: Rate) -> Option<i64> {
    convert(Money::new(minor, from.currency), from, to)
        .ok()
        .map(|m| m.minor())
}

/// The query text, at most [`MAX_QUERY_CHARS`] long (`query_too_long`).
fn checked_query(q: Option<String>) -> Result<String, MarketError> {
    let q = q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(MarketError::new(
            Code::QueryTooLong,
            format!("a query has at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    Ok(q)
}

/// `(page, limit, offset)`: pages start at 1 and reach at most [`MAX_OFFSET`] results deep.
fn paging(limit: Option<i64>, page: Option<i64>) -> Result<(i64, usize, usize), MarketError> {
    let limit = page::limit(limit)? as usize;
    let page_no = page.unwrap_or(1);
    if page_no < 1 {
        return Err(MarketError::new(Code::InvalidPage, "pages start at 1"));
    }
    let offset = usize::try_from(page_no - 1)
        .ok()
        .and_then(|p| p.checked_mul(limit))
        .filter(|o| *o <= MAX_OFFSET)
        .ok_or_else(|| {
            MarketError::new(
                Code::PageTooDeep,
                format!("results beyond the first {MAX_OFFSET} are not paged; narrow the search"),
            )
        })?;
    Ok((page_no, limit, offset))
}

/// The buyer's display currency, its rate, and the price facet's edges in it.
struct Prices {
    display: Currency,
    rate: Rate,
    /// Bucket edges in the display currency, rounded to two significant digits.
    edges: Vec<i64>,
}

impl Prices {
    fn of(currency: Option<&str>, rates: &HashMap<Currency, Rate>) -> Result<Self, MarketError> {
        let display = match currency {
            Some(c) => Currency::parse(c)?,
            None => Currency::EUR,
        };
        let rate = *rates.get(&display).ok_or_else(|| {
            MarketError::new(
                Code::RateUnavailable,
                format!("no exchange rate for {} yet", display.code()),
            )
        })?;
        let edges = PRICE_EDGES_EUR
            .iter()
            .filter_map(|eur| exchange(eur * 100, Rate::euro(), rate))
            .map(two_digits)
            .collect();
        Ok(Prices {
            display,
            rate,
            edges,
        })
    }

    /// An amount in the display currency, in euro cents (the index's reference).
    fn to_eur(&self, minor: i64) -> Option<i64> {
        exchange(minor, self.rate, Rate::euro())
    }
}

/// The index's filters from the request's: countries checked, price bounds non-negative and
/// in euro cents.
fn filters(params: &SearchParams, prices: &Prices) -> Result<Filters, MarketError> {
    for bound in [params.min_price, params.max_price].into_iter().flatten() {
        if bound < 0 {
            return Err(MarketError::new(
                Code::InvalidPrice,
                "price bounds cannot be negative",
            ));
        }
    }
    let country = |c: Option<&str>| -> Result<Option<String>, MarketError> {
        Ok(c.map(Country::parse)
            .transpose()?
            .map(|c| c.code().to_owned()))
    };
    Ok(Filters {
        category: params.category.clone(),
        merchant: params.merchant.clone(),
        ship_from: country(params.ship_from.as_deref())?,
        ships_to: country(params.ships_to.as_deref())?,
        price_min: params.min_price.and_then(|p| prices.to_eur(p)),
        price_max: params.max_price.and_then(|p| prices.to_eur(p)),
        include_out_of_stock: params.include_sold_out.unwrap_or(false),
    })
}

/// A malformed category or store id filters to nothing, as an unknown one does.
fn has_malformed_id(params: &SearchParams) -> bool {
    params
        .category
        .as_deref()
        .is_some_and(|c| CategoryId::parse(c).is_err())
        || params
            .merchant
            .as_deref()
            .is_some_and(|m| MerchantId::parse(m).is_err())
}

/// The price buckets that hold products, each from its edge to the next (the last open).
fn price_facets(edges: &[i64], counts: &[u64], display: Currency) -> Vec<PriceFacet> {
    edges
        .iter()
        .enumerate()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|((i, lo), n)| PriceFacet {
            min: MoneyView::new(*lo, display.code()),
            max: edges
                .get(i + 1)
                .map(|hi| MoneyView::new(*hi, display.code())),
            count: *n,
        })
        .collect()
}

impl Market {
    /// Turns search on: queries use `index`, and [`Market::follow_outbox`] keeps it current.
    pub fn attach_search(&self, index: Arc<SearchIndex>) {
        let _ = self.inner.search.set(index);
    }

    /// Searches published products of approved stores.
    pub async fn search(
        &self,
        params: SearchParams,
        locale: Locale,
    ) -> Result<SearchPage, MarketError> {
        let index = self.index()?;
        let text = checked_query(params.q.clone())?;
        let (page_no, limit, offset) = paging(params.limit, params.page)?;
        let sort = sort_of(params.sort.as_deref())?;
        let rates = self.rate_table().await?;
        let prices = Prices::of(params.currency.as_deref(), &rates)?;
        let req = SearchRequest {
            text,
            locale,
            filters: filters(&params, &prices)?,
            sort,
            offset,
            limit,
            price_bounds: prices
                .edges
                .iter()
                .filter_map(|e| prices.to_eur(*e))
                .collect(),
            facets: true,
            // The page lists this many stores; the index names no others.
            max_merchants: Some(MERCHANT_FACET_SIZE),
        };
        if has_malformed_id(&params) {
            return Ok(SearchPage::empty(page_no, limit));
        }
        let found = tokio::task::spawn_blocking(move || index.search(&req))
            .await
            .map_err(|e| MarketError::internal(e.to_string()))??;
        let items = self.items(&found.ids, &rates, &prices, locale).await?;
        let facets = match found.facets {
            Some(f) => Some(self.facet_views(f, &prices, locale).await?),
            None => None,
        };
        Ok(SearchPage {
            total: found.total,
            page: page_no,
            limit,
            typo_tolerant: found.typo_tolerant,
            items,
            facets,
        })
    }

    /// The found products, in the index's order, priced in the buyer's currency.
    async fn items(
        &self,
        ids: &[String],
        rates: &HashMap<Currency, Rate>,
        prices: &Prices,
        locale: Locale,
    ) -> Result<Vec<SearchItem>, MarketError> {
        let products = self.store.products_by_ids(ids).await?;
        let texts = texts_by_product(self.store.product_texts(ids).await?);
        let variants = self.store.variants_of(ids).await?;
        let mut by_id: HashMap<String, _> =
            products.into_iter().map(|p| (p.id.clone(), p)).collect();
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(p) = by_id.remove(id) else { continue };
            let display_price = Currency::parse(&p.price_currency)
                .ok()
                .and_then(|c| rates.get(&c))
                .and_then(|from| exchange(p.min_price_minor, *from, prices.rate))
                .map(|m| MoneyView::new(m, prices.display.code()));
            let t = texts.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            items.push(SearchItem {
                product: summary(p, t, &variants, locale),
                display_price,
            });
        }
        Ok(items)
    }

    async fn facet_views(
        &self,
        f: caravan_search::Facets,
        prices: &Prices,
        locale: Locale,
    ) -> Result<SearchFacets, MarketError> {
        let tree = self.tree().await?;
        let mut categories: Vec<CategoryFacet> = f
            .category
            .iter()
            .filter(|(id, _)| tree.contains(id))
            .map(|(id, n)| {
                let path = tree.path(id, locale);
                CategoryFacet {
                    id: id.clone(),
                    name: tree.name(id, locale),
                    parent_id: path
                        .len()
                        .checked_sub(2)
                        .and_then(|i| path.get(i))
                        .map(|c| c.id.clone()),
                    depth: path.len().saturating_sub(1),
                    count: *n,
                }
            })
            .collect();
        categories.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        // The index named only the most frequent stores; the page lists them by count.
        let mut merchants = f.merchant;
        merchants.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let ids: Vec<String> = merchants.iter().map(|(id, _)| id.clone()).collect();
        let names: HashMap<String, String> = self
            .store
            .merchants_by_ids(&ids)
            .await?
            .into_iter()
            .map(|m| (m.id, m.store_name))
            .collect();
        let countries = |mut list: Vec<(String, u64)>| -> Vec<CountryFacet> {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            list.into_iter()
                .map(|(country, count)| CountryFacet { country, count })
                .collect()
        };
        let price = price_facets(&prices.edges, &f.price, prices.display);
        Ok(SearchFacets {
            categories,
            merchants: merchants
                .into_iter()
                .map(|(id, count)| MerchantFacet {
                    name: names.get(&id).cloned().unwrap_or_default(),
                    id,
                    count,
                })
                .collect(),
            ship_from: countries(f.ship_from),
            ships_to: countries(f.ships_to),
            price,
        })
    }

    /// Completions of what the buyer is typing (at most [`MAX_SUGGESTIONS`]).
    pub async fn suggest(&self, params: SuggestParams) -> Result<Suggestions, MarketError> {
        let index = self.index()?;
        let q = checked_query(params.q)?;
        let limit = match params.limit {
            None => MAX_SUGGESTIONS,
            Some(n) if (1..=MAX_SUGGESTIONS as i64).contains(&n) => n as usize,
            Some(_) => {
                return Err(MarketError::new(
                    Code::InvalidPageSize,
                    format!("limit must be between 1 and {MAX_SUGGESTIONS}"),
                ))
            }
        };
        let suggestions = tokio::task::spawn_blocking(move || index.suggest(&q, limit))
            .await
            .map_err(|e| MarketError::internal(e.to_string()))??;
        Ok(Suggestions { suggestions })
    }
}
