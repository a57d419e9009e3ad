//! Listing completeness per market: for each of a store's products, which of the eight
//! languages lack a text (and which are machine translations or still queued), and whether it
//! lacks images, an HS code (customs), or shipping to the marketplace's top destinations.

use super::read::texts_by_product;
use crate::accounts::Actor;
use crate::{Market, MarketError};
use caravan_domain::shipping::{rules_for, ShippingRule};
use caravan_domain::{Country, Locale};
use caravan_store::products::{
    ProductQuery, ProductRecord, ProductSort, ProductTextRecord, Visibility,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Destinations checked when the marketplace has too few buyers to rank its own.
const DEFAULT_DESTINATIONS: [&str; 5] = ["RU", "FR", "ES", "PL", "US"];
/// How many destinations are checked.
const TOP_DESTINATIONS: usize = 5;
/// Products checked (a store's newest).
const MAX_PRODUCTS: i64 = 500;

/// One product's gaps.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListingGaps {
    /// `prd_…`.
    pub id: String,
    /// Title in the merchant's language.
    pub title: String,
    /// draft | published.
    pub status: String,
    /// Languages with no text at all (buyers read the fallback), none queued for translation.
    pub missing_languages: Vec<String>,
    /// Languages whose text is a machine translation (the merchant may correct it).
    pub machine_languages: Vec<String>,
    /// Languages whose machine translation is queued.
    pub queued_languages: Vec<String>,
    /// No image.
    pub no_images: bool,
    /// No HS code (customs declarations need one).
    pub no_hs_code: bool,
    /// Top destinations the store's shipping rules do not reach at this product's weight.
    pub no_shipping_to: Vec<String>,
    /// Whether anything above is missing (machine translations are not gaps).
    pub complete: bool,
}

/// A store's listing completeness.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Completeness {
    /// The eight languages, in order.
    pub languages: Vec<String>,
    /// The top destinations checked (by the marketplace's accounts).
    pub destinations: Vec<String>,
    /// Products checked.
    pub products: usize,
    /// Of which complete.
    pub complete: usize,
    /// Each product, incomplete ones first.
    pub items: Vec<ListingGaps>,
}

impl Market {
    /// The acting merchant's listing completeness (its newest 500 products).
    pub async fn listing_completeness(&self, actor: &Actor) -> Result<Completeness, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let q = ProductQuery {
            visibility: Visibility::OwnedBy(m.id.clone()),
            category_id: None,
            merchant_id: None,
            ship_from: None,
            currency: None,
            min_price: None,
            max_price: None,
            in_stock: false,
            sort: ProductSort::Newest,
            after: None,
            limit: MAX_PRODUCTS,
        };
        let products = self.store.list_products(&q).await?;
        let ids: Vec<String> = products.iter().map(|p| p.id.clone()).collect();
        let texts = texts_by_product(self.store.product_texts(&ids).await?);
        let mut queued: HashMap<String, BTreeSet<String>> = HashMap::new();
        for j in self.store.translations_queued(&ids).await? {
            queued.entry(j.product_id).or_default().insert(j.locale);
        }
        let rules: Vec<_> = self
            .store
            .shipping_rules(std::slice::from_ref(&m.id))
            .await?
            .iter()
            .filter_map(crate::shipping::parse_rule)
            .collect();
        let destinations = self.top_destinations().await?;
        let mut items: Vec<ListingGaps> = products
            .into_iter()
            .map(|p| {
                let t = texts.get(&p.id).map(Vec::as_slice).unwrap_or_default();
                let q = queued.remove(&p.id).unwrap_or_default();
                gaps(p, t, q, &rules, &destinations)
            })
            .collect();
        items.sort_by_key(|g| g.complete);
        Ok(Completeness {
            languages: Locale::ALL.iter().map(|l| l.code().to_owned()).collect(),
            destinations: destinations.iter().map(|c| c.code().to_owned()).collect(),
            products: items.len(),
            complete: items.iter().filter(|g| g.complete).count(),
            items,
        })
    }

    /// The countries most of the marketplace's accounts are in, padded with the defaults.
    async fn top_destinations(&self) -> Result<Vec<Country>, MarketError> {
        let mut out: Vec<Country> = Vec::new();
        let ranked = self
            .store
            .countries_by_accounts(TOP_DESTINATIONS as i64)
            .await?;
        for code in ranked
            .iter()
            .map(String::as_str)
            .chain(DEFAULT_DESTINATIONS)
        {
            if let Ok(c) = Country::parse(code) {
                if !out.contains(&c) && out.len() < TOP_DESTINATIONS {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }
}

/// One product's gaps, from its texts, queued translations and the store's shipping rules.
fn gaps(
    p: ProductRecord,
    t: &[(Locale, ProductTextRecord)],
    queued: BTreeSet<String>,
    rules: &[ShippingRule],
    destinations: &[Country],
) -> ListingGaps {
    let has = |l: Locale| t.iter().find(|(tl, _)| *tl == l).map(|(_, r)| r.machine);
    let codes = |f: &dyn Fn(Locale) -> bool| -> Vec<String> {
        Locale::ALL
            .iter()
            .filter(|l| f(**l))
            .map(|l| l.code().to_owned())
            .collect()
    };
    let fallback = Locale::parse(&p.default_locale).unwrap_or(Locale::En);
    let no_shipping_to: Vec<String> = destinations
        .iter()
        .filter(|c| {
            !rules_for(rules, **c)
                .iter()
                .any(|r| r.quote(p.weight_grams, 0).is_some())
        })
        .map(|c| c.code().to_owned())
        .collect();
    let images: Vec<String> = serde_json::from_str(&p.images).unwrap_or_default();
    let mut g = ListingGaps {
        title: t
            .iter()
            .find(|(l, _)| *l == fallback)
            .or(t.first())
            .map(|(_, r)| r.title.clone())
            .unwrap_or_default(),
        missing_languages: codes(&|l| has(l).is_none() && !queued.contains(l.code())),
        machine_languages: codes(&|l| has(l) == Some(1)),
        queued_languages: queued.into_iter().collect(),
        no_images: images.is_empty(),
        no_hs_code: p.hs_code.is_none(),
        no_shipping_to,
        complete: false,
        id: p.id,
        status: p.status,
    };
    g.complete = g.missing_languages.is_empty()
        && g.queued_languages.is_empty()
        && !g.no_images
        && !g.no_hs_code
        && g.no_shipping_to.is_empty();
    g
}
