//! Turning products in the store into search documents.

use crate::catalogue::Tree;
use crate::{Market, MarketError};
use caravan_domain::fx::{convert, Rate};
use caravan_domain::{Currency, Locale, Money};
use caravan_search::ProductDoc;
use std::collections::{BTreeSet, HashMap};

/// What the indexer does with a batch of product ids.
pub(crate) struct Changes {
    /// Visible products, as documents.
    pub upserts: Vec<ProductDoc>,
    /// Ids that must not be found (unpublished, suspended store, gone).
    pub gone: Vec<String>,
}

/// The price in euro cents, the index's reference currency.
pub(crate) fn to_reference(
    minor: i64,
    currency: &str,
    rates: &HashMap<Currency, Rate>,
) -> Option<i64> {
    let c = Currency::parse(currency).ok()?;
    let from = *rates.get(&c)?;
    convert(Money::new(minor, c), from, Rate::euro())
        .ok()
        .map(|m| m.minor())
}

impl Market {
    /// Reads these products and decides, for each, its document or its removal.
    pub(crate) async fn search_changes(&self, ids: &[String]) -> Result<Changes, MarketError> {
        let products = self.store.products_by_ids(ids).await?;
        let merchant_ids: Vec<String> = products
            .iter()
            .map(|p| p.merchant_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let merchants: HashMap<String, String> = self
            .store
            .merchants_by_ids(&merchant_ids)
            .await?
            .into_iter()
            .map(|m| (m.id, m.status))
            .collect();
        let ships_to = self.ships_to_of(&merchant_ids).await?;
        let visible: Vec<String> = products
            .iter()
            .filter(|p| {
                p.status == "published"
                    && merchants.get(&p.merchant_id).map(String::as_str) == Some("approved")
            })
            .map(|p| p.id.clone())
            .collect();
        let mut texts = self.texts_of(&visible).await?;
        let in_stock = self.in_stock_of(&visible).await?;
        let sold: HashMap<String, i64> =
            self.store.units_sold(&visible).await?.into_iter().collect();
        let rates = self.rate_table().await?;
        let tree = self.tree().await?;
        let found: BTreeSet<&str> = products.iter().map(|p| p.id.as_str()).collect();
        let mut gone: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains(id.as_str()))
            .cloned()
            .collect();
        let visible_set: BTreeSet<&str> = visible.iter().map(String::as_str).collect();
        let mut upserts = Vec::with_capacity(visible.len());
        for p in products {
            if !visible_set.contains(p.id.as_str()) {
                gone.push(p.id);
                continue;
            }
            let price = match to_reference(p.min_price_minor, &p.price_currency, &rates) {
                Some(price) => price,
                None => {
                    tracing::warn!(product = %p.id, currency = %p.price_currency, "no exchange rate; left out of search");
                    gone.push(p.id);
                    continue;
                }
            };
            upserts.push(ProductDoc {
                categories: tree
                    .path(&p.category_id, Locale::En)
                    .into_iter()
                    .map(|c| c.id)
                    .collect(),
                texts: texts.remove(&p.id).unwrap_or_default(),
                vocabulary: vocabulary(&tree, &p.category_id),
                price,
                ship_from: p.ship_from_country.clone(),
                ships_to: ships_to
                    .get(&p.merchant_id)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
                created_ms: p.created_at,
                sold: sold.get(&p.id).copied().unwrap_or(0),
                in_stock: in_stock.contains(&p.id),
                merchant: p.merchant_id,
                id: p.id,
            });
        }
        Ok(Changes { upserts, gone })
    }
}

impl Market {
    /// The destinations each of these stores ships to.
    async fn ships_to_of(
        &self,
        merchant_ids: &[String],
    ) -> Result<HashMap<String, BTreeSet<String>>, MarketError> {
        let mut ships_to: HashMap<String, BTreeSet<String>> = HashMap::new();
        for r in self.store.shipping_rules(merchant_ids).await? {
            ships_to
                .entry(r.merchant_id)
                .or_default()
                .insert(r.destination);
        }
        Ok(ships_to)
    }

    /// Each product's (locale, title, description) texts.
    async fn texts_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<(Locale, String, String)>>, MarketError> {
        let mut texts: HashMap<String, Vec<(Locale, String, String)>> = HashMap::new();
        for t in self.store.product_texts(ids).await? {
            if let Ok(l) = Locale::parse(&t.locale) {
                texts
                    .entry(t.product_id)
                    .or_default()
                    .push((l, t.title, t.description));
            }
        }
        Ok(texts)
    }

    /// The products among `ids` with a variant in stock.
    async fn in_stock_of(&self, ids: &[String]) -> Result<BTreeSet<String>, MarketError> {
        Ok(self
            .store
            .variants_of(ids)
            .await?
            .into_iter()
            .filter(|v| v.stock > 0)
            .map(|v| v.product_id)
            .collect())
    }
}

/// The catalogue's words for a product in every language: its category path's names.
fn vocabulary(tree: &Tree, category_id: &str) -> Vec<(Locale, String)> {
    Locale::ALL
        .iter()
        .map(|&l| {
            let names: Vec<String> = tree
                .path(category_id, l)
                .into_iter()
                .map(|c| c.name)
                .collect();
            (l, names.join(" "))
        })
        .collect()
}
