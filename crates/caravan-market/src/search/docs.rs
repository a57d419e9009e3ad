//! Turning products in the store into search documents.

use crate::catalogue::Tree;
use crate::{Market, MarketError};
use caravan_domain::fx::{convert, Rate};
use caravan_domain::glossary::{Glossary, Term};
use caravan_domain::{Currency, Locale, Money};
use caravan_search::ProductDoc;
use caravan_store::products::ProductRecord;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
        let mut facts = Facts {
            texts: self.texts_of(&visible).await?,
            variants: self.variant_facts(&visible).await?,
            terms: TermIndex::new(self.glossary_with_categories().await?),
            sold: self.store.units_sold(&visible).await?.into_iter().collect(),
            ships_to,
            tree: self.tree().await?,
        };
        let rates = self.rate_table().await?;
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
            match to_reference(p.min_price_minor, &p.price_currency, &rates) {
                Some(price) => upserts.push(facts.document(p, price)),
                None => {
                    tracing::warn!(product = %p.id, currency = %p.price_currency, "no exchange rate; left out of search");
                    gone.push(p.id);
                }
            }
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

    /// The products among `ids` with a variant in stock, and each one's option values.
    async fn variant_facts(
        &self,
        ids: &[String],
    ) -> Result<(BTreeSet<String>, HashMap<String, Vec<String>>), MarketError> {
        let mut in_stock = BTreeSet::new();
        let mut options: HashMap<String, Vec<String>> = HashMap::new();
        for v in self.store.variants_of(ids).await? {
            if v.stock > 0 {
                in_stock.insert(v.product_id.clone());
            }
            options
                .entry(v.product_id)
                .or_default()
                .extend(attribute_values(&v.options));
        }
        Ok((in_stock, options))
    }
}

/// What the documents of one batch are built from.
struct Facts {
    texts: HashMap<String, Vec<(Locale, String, String)>>,
    /// Products in stock, and each product's option values.
    variants: (BTreeSet<String>, HashMap<String, Vec<String>>),
    terms: TermIndex,
    sold: HashMap<String, i64>,
    ships_to: HashMap<String, BTreeSet<String>>,
    tree: Tree,
}

impl Facts {
    /// A visible product's document at `price` (euro cents).
    fn document(&mut self, p: ProductRecord, price: i64) -> ProductDoc {
        let texts = self.texts.remove(&p.id).unwrap_or_default();
        let (in_stock, options) = &self.variants;
        let said = texts
            .iter()
            .map(|(_, title, _)| title.as_str())
            .chain(options.get(&p.id).into_iter().flatten().map(String::as_str))
            .chain(attribute_values(&p.attributes).iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" \n ");
        let path: Vec<String> = self
            .tree
            .path(&p.category_id, Locale::En)
            .into_iter()
            .map(|c| c.id)
            .collect();
        ProductDoc {
            vocabulary: vocabulary(&self.tree, &p.category_id, &self.terms.words(&said, &path)),
            categories: path,
            texts,
            price,
            ship_from: p.ship_from_country.clone(),
            ships_to: self
                .ships_to
                .get(&p.merchant_id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            created_ms: p.created_at,
            sold: self.sold.get(&p.id).copied().unwrap_or(0),
            in_stock: in_stock.contains(&p.id),
            merchant: p.merchant_id,
            id: p.id,
        }
    }
}

/// The values of a JSON object of name → value (attributes, variant options).
fn attribute_values(json: &str) -> Vec<String> {
    serde_json::from_str::<BTreeMap<String, String>>(json)
        .map(|m| m.into_values().collect())
        .unwrap_or_default()
}

/// The glossary, ready to find the terms a product's words contain.
struct TermIndex {
    glossary: Glossary,
    /// Each term's category (none: every category).
    categories: Vec<Option<String>>,
}

impl TermIndex {
    fn new(terms: Vec<(Term, Option<String>)>) -> Self {
        let (terms, categories) = terms.into_iter().unzip();
        Self {
            glossary: Glossary::new(terms),
            categories,
        }
    }

    /// Every language's forms of the terms in `said` that apply to a product in `path`.
    fn words(&self, said: &str, path: &[String]) -> BTreeMap<Locale, Vec<String>> {
        let mut out: BTreeMap<Locale, Vec<String>> = BTreeMap::new();
        for i in self.glossary.matches(said) {
            let applies = match &self.categories[i] {
                None => true,
                Some(c) => path.contains(c),
            };
            if !applies {
                continue;
            }
            for (l, forms) in &self.glossary.terms()[i].words {
                out.entry(*l).or_default().extend(forms.iter().cloned());
            }
        }
        out
    }
}

/// The catalogue's words for a product in every language: its category path's names and the
/// glossary's forms of the terms it contains.
fn vocabulary(
    tree: &Tree,
    category_id: &str,
    terms: &BTreeMap<Locale, Vec<String>>,
) -> Vec<(Locale, String)> {
    Locale::ALL
        .iter()
        .map(|&l| {
            let names: Vec<String> = tree
                .path(category_id, l)
                .into_iter()
                .map(|c| c.name)
                .chain(terms.get(&l).into_iter().flatten().cloned())
                .collect();
            (l, names.join(" "))
        })
        .collect()
}
