//! The catalogue: the category tree, products with per-locale text, and variants.

pub mod completeness;
mod input;
pub(crate) mod read;
mod views;
mod write;

pub use input::{NewProduct, NewVariant, ProductPatch, TextInput, VariantPatch};
pub use read::ProductListParams;
pub use views::{
    CategoryCrumb, CategoryRef, CategoryView, MerchantRef, MoneyView, OriginalText, ProductDetail,
    ProductSummary, TextView, VariantView,
};

use crate::accounts::Actor;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::catalogue::slug;
use caravan_domain::id::{CategoryId, TypedId};
use caravan_domain::Locale;
use caravan_store::products::{CategoryNameRecord, CategoryRecord};
use caravan_store::StoreError;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// A new category.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// URL slug, unique (a-z, 0-9, -).
    pub slug: String,
    /// Parent category; none for a top-level one.
    pub parent_id: Option<String>,
    /// Order among siblings (default 0).
    #[serde(default)]
    pub position: i64,
    /// Name per locale code; must include `en`.
    pub names: BTreeMap<String, String>,
}

/// The whole tree in memory: categories are few and read on every product view.
pub(crate) struct Tree {
    cats: HashMap<String, CategoryRecord>,
    order: Vec<String>,
    names: HashMap<(String, String), String>,
}

impl Tree {
    pub(crate) fn name(&self, id: &str, locale: Locale) -> String {
        [locale.code(), "en"]
            .iter()
            .find_map(|l| self.names.get(&(id.to_owned(), (*l).to_owned())))
            .cloned()
            .or_else(|| self.cats.get(id).map(|c| c.slug.clone()))
            .unwrap_or_default()
    }

    /// Each category's parent.
    pub(crate) fn parents(&self) -> HashMap<String, String> {
        self.cats
            .values()
            .filter_map(|c| Some((c.id.clone(), c.parent_id.clone()?)))
            .collect()
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.cats.contains_key(id)
    }

    /// From the root down to `id`.
    pub(crate) fn path(&self, id: &str, locale: Locale) -> Vec<CategoryCrumb> {
        let mut path = Vec::new();
        let mut at = self.cats.get(id);
        while let Some(c) = at {
            path.push(CategoryCrumb {
                id: c.id.clone(),
                slug: c.slug.clone(),
                name: self.name(&c.id, locale),
            });
            if path.len() > 32 {
                break; // a cycle would be a bug; never loop forever
            }
            at = c.parent_id.as_ref().and_then(|p| self.cats.get(p));
        }
        path.reverse();
        path
    }
}

impl Market {
    pub(crate) async fn tree(&self) -> Result<Tree, MarketError> {
        let cats = self.store.categories().await?;
        let names: Vec<CategoryNameRecord> = self.store.category_names().await?;
        Ok(Tree {
            order: cats.iter().map(|c| c.id.clone()).collect(),
            cats: cats.into_iter().map(|c| (c.id.clone(), c)).collect(),
            names: names
                .into_iter()
                .map(|n| ((n.category_id, n.locale), n.name))
                .collect(),
        })
    }

    /// The category tree as a flat list (parents before children) with names in `locale`.
    pub async fn categories(&self, locale: Locale) -> Result<Vec<CategoryView>, MarketError> {
        let tree = self.tree().await?;
        let mut out = Vec::with_capacity(tree.order.len());
        // Depth-first from the roots so a client can render the tree in one pass.
        fn visit(
            tree: &Tree,
            parent: Option<&str>,
            depth: i64,
            locale: Locale,
            out: &mut Vec<CategoryView>,
        ) {
            for id in &tree.order {
                let Some(c) = tree.cats.get(id) else { continue };
                if c.parent_id.as_deref() == parent && depth < 32 {
                    out.push(CategoryView {
                        id: c.id.clone(),
                        parent_id: c.parent_id.clone(),
                        slug: c.slug.clone(),
                        name: tree.name(&c.id, locale),
                        depth,
                        position: c.position,
                    });
                    visit(tree, Some(&c.id), depth + 1, locale, out);
                }
            }
        }
        visit(&tree, None, 0, locale, &mut out);
        Ok(out)
    }

    /// An operator sets a category's platform fee rate (basis points; frozen on each sale).
    pub async fn set_category_fee(
        &self,
        actor: &Actor,
        id: &str,
        bps: i64,
    ) -> Result<(), MarketError> {
        actor.require(Role::Operator)?;
        let id = CategoryId::parse(id)?;
        let bps = caravan_domain::order::fee_bps(bps)?;
        let done = self
            .store
            .set_category_fee(id.as_str(), bps, self.now())
            .await;
        self.inner.cache.invalidate();
        match done {
            Err(caravan_store::StoreError::Stale) => Err(MarketError::not_found("category")),
            other => Ok(other?),
        }
    }

    /// An operator adds a category.
    pub async fn create_category(
        &self,
        actor: &Actor,
        c: NewCategory,
    ) -> Result<CategoryView, MarketError> {
        actor.require(Role::Operator)?;
        let slug = slug(&c.slug)?;
        if !c.names.contains_key("en") {
            return Err(MarketError::new(
                Code::InvalidNames,
                "a category needs an English name",
            ));
        }
        let mut names = Vec::new();
        for (locale, name) in &c.names {
            let locale = Locale::parse(locale)?;
            names.push((
                locale.code().to_owned(),
                clean_name(name, 80, Code::InvalidNames, "a category name")?,
            ));
        }
        if let Some(p) = &c.parent_id {
            let p = CategoryId::parse(p)?;
            if !self.tree().await?.contains(p.as_str()) {
                return Err(MarketError::not_found("parent category"));
            }
        }
        let record = CategoryRecord {
            id: CategoryId::generate().to_string(),
            parent_id: c.parent_id,
            slug,
            position: c.position,
            created_at: self.now(),
        };
        self.store
            .insert_category(&record, &names)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => {
                    MarketError::new(Code::DuplicateSlug, "a category with this slug exists")
                }
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        let en = names
            .iter()
            .find(|(l, _)| l == "en")
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        Ok(CategoryView {
            id: record.id,
            parent_id: record.parent_id,
            slug: record.slug,
            name: en,
            depth: 0,
            position: record.position,
        })
    }
}
