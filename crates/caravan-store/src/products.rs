//! The catalogue: categories, products with per-locale text, variants, and the product listing.

use crate::journal::{append_events, changed};
use crate::{Store, StoreError};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

mod listing;
pub use listing::{ProductQuery, ProductSort, Visibility};

/// A stored category.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryRecord {
    /// `cat_…`.
    pub id: String,
    /// Parent category, none for a root.
    pub parent_id: Option<String>,
    /// URL slug, unique.
    pub slug: String,
    /// Order among siblings.
    pub position: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// A category's name in one locale.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryNameRecord {
    /// The category.
    pub category_id: String,
    /// Locale code.
    pub locale: String,
    /// The name.
    pub name: String,
}

/// A stored product (text and variants live in their own tables).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRecord {
    /// `prd_…`.
    pub id: String,
    /// Owner.
    pub merchant_id: String,
    /// Leaf or inner category.
    pub category_id: String,
    /// draft | published.
    pub status: String,
    /// Locale of the merchant's own text (fallback).
    pub default_locale: String,
    /// Harmonized System code, digits only.
    pub hs_code: Option<String>,
    /// Country of origin (customs).
    pub origin_country: String,
    /// Country the parcel leaves from.
    pub ship_from_country: String,
    /// Shipping weight.
    pub weight_grams: i64,
    /// JSON object of attribute name → value.
    pub attributes: String,
    /// JSON array of image URLs.
    pub images: String,
    /// Currency of every variant price (the merchant's settlement currency).
    pub price_currency: String,
    /// Cheapest variant price, kept by the store.
    pub min_price_minor: i64,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

/// A product's title and description in one locale.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductTextRecord {
    /// The product.
    pub product_id: String,
    /// Locale code.
    pub locale: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// 1 for a machine translation, 0 for the merchant's own text.
    pub machine: i64,
    /// A machine text's source locale.
    pub source_locale: Option<String>,
    /// A machine text's source hash (see `caravan_domain::translation`).
    pub source_hash: Option<String>,
}

/// A translation to queue with a product's write (see `translations`).
#[derive(Debug, Clone)]
pub struct QueuedTranslation {
    /// Target locale.
    pub locale: String,
    /// The merchant's text it translates.
    pub source_locale: String,
    /// That text's hash.
    pub source_hash: String,
}

/// A stored variant (SKU).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VariantRecord {
    /// `var_…`.
    pub id: String,
    /// The product.
    pub product_id: String,
    /// Owner (SKU codes are unique per merchant).
    pub merchant_id: String,
    /// Merchant's SKU code.
    pub sku: String,
    /// JSON object of option name → value (colour, size).
    pub options: String,
    /// Price in minor units.
    pub price_minor: i64,
    /// Price currency.
    pub price_currency: String,
    /// Units available (never below zero).
    pub stock: i64,
    /// Display order.
    pub position: i64,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

const PRODUCT_COLS: &str = "p.id, p.merchant_id, p.category_id, p.status, p.default_locale, \
    p.hs_code, p.origin_country, p.ship_from_country, p.weight_grams, p.attributes, p.images, \
    p.price_currency, p.min_price_minor, p.created_at, p.updated_at";
const VARIANT_COLS: &str = "id, product_id, merchant_id, sku, options, price_minor, \
    price_currency, stock, position, created_at, updated_at";

/// `$1, $2, …` for an `IN (…)` list of `n` parameters.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bind_all<'q, T>(
    mut q: QueryAs<'q, Any, T, AnyArguments<'q>>,
    ids: &'q [String],
) -> QueryAs<'q, Any, T, AnyArguments<'q>> {
    for id in ids {
        q = q.bind(id);
    }
    q
}

impl Store {
    /// The rows of `head IN (ids) tail`; nothing for no ids.
    pub(crate) async fn fetch_in<T>(
        &self,
        head: &str,
        tail: &str,
        ids: &[String],
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("{head} IN ({}) {tail}", placeholders(ids.len()));
        Ok(bind_all(sqlx::query_as(&sql), ids)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Inserts a category with its names. `Conflict` on a duplicate slug.
    pub async fn insert_category(
        &self,
        c: &CategoryRecord,
        names: &[(String, String)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO categories (id, parent_id, slug, position, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&c.id)
        .bind(&c.parent_id)
        .bind(&c.slug)
        .bind(c.position)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        for (locale, name) in names {
            sqlx::query(
                "INSERT INTO category_names (category_id, locale, name) VALUES ($1, $2, $3)",
            )
            .bind(&c.id)
            .bind(locale)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every category, by position (the tree is small and read whole).
    pub async fn categories(&self) -> Result<Vec<CategoryRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id, slug, position, created_at FROM categories ORDER BY position, slug",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every category name.
    pub async fn category_names(&self) -> Result<Vec<CategoryNameRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT category_id, locale, name FROM category_names ORDER BY category_id, locale",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Inserts a product with its texts and variants in one transaction; the cheapest variant
    /// sets `min_price_minor`. `Conflict` if a SKU code is already used by this merchant.
    pub async fn insert_product(
        &self,
        p: &ProductRecord,
        texts: &[ProductTextRecord],
        variants: &[VariantRecord],
        queue: &[QueuedTranslation],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let min_price = variants
            .iter()
            .map(|v| v.price_minor)
            .min()
            .unwrap_or(p.min_price_minor);
        sqlx::query(
            "INSERT INTO products (id, merchant_id, category_id, status, default_locale, hs_code, \
             origin_country, ship_from_country, weight_grams, attributes, images, price_currency, \
             min_price_minor, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&p.id)
        .bind(&p.merchant_id)
        .bind(&p.category_id)
        .bind(&p.status)
        .bind(&p.default_locale)
        .bind(&p.hs_code)
        .bind(&p.origin_country)
        .bind(&p.ship_from_country)
        .bind(p.weight_grams)
        .bind(&p.attributes)
        .bind(&p.images)
        .bind(&p.price_currency)
        .bind(min_price)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&mut *tx)
        .await?;
        for t in texts {
            upsert_text(&mut tx, t).await?;
        }
        for v in variants {
            insert_variant_row(&mut tx, v).await?;
        }
        crate::translations::queue(&mut tx, &p.id, queue, p.updated_at).await?;
        append_events(&mut tx, &[changed("product.changed", &p.id)], p.updated_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rewrites a product's own fields and upserts the given texts; guarded by its merchant
    /// (`Stale` if the product does not exist or belongs to another merchant).
    pub async fn update_product(
        &self,
        p: &ProductRecord,
        texts: &[ProductTextRecord],
        queue: &[QueuedTranslation],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE products SET category_id = $1, status = $2, hs_code = $3, origin_country = $4, \
             ship_from_country = $5, weight_grams = $6, attributes = $7, images = $8, updated_at = $9 \
             WHERE id = $10 AND merchant_id = $11",
        )
        .bind(&p.category_id)
        .bind(&p.status)
        .bind(&p.hs_code)
        .bind(&p.origin_country)
        .bind(&p.ship_from_country)
        .bind(p.weight_grams)
        .bind(&p.attributes)
        .bind(&p.images)
        .bind(p.updated_at)
        .bind(&p.id)
        .bind(&p.merchant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        for t in texts {
            upsert_text(&mut tx, t).await?;
        }
        crate::translations::queue(&mut tx, &p.id, queue, p.updated_at).await?;
        append_events(&mut tx, &[changed("product.changed", &p.id)], p.updated_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The product with this id (any status; callers decide visibility).
    pub async fn product(&self, id: &str) -> Result<Option<ProductRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PRODUCT_COLS} FROM products p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The texts of these products.
    pub async fn product_texts(
        &self,
        ids: &[String],
    ) -> Result<Vec<ProductTextRecord>, StoreError> {
        let head =
            "SELECT product_id, locale, title, description, machine, source_locale, source_hash \
             FROM product_texts WHERE product_id";
        self.fetch_in(head, "ORDER BY product_id, locale", ids)
            .await
    }

    /// The variants of these products, in display order.
    pub async fn variants_of(&self, ids: &[String]) -> Result<Vec<VariantRecord>, StoreError> {
        let head = format!("SELECT {VARIANT_COLS} FROM variants WHERE product_id");
        self.fetch_in(&head, "ORDER BY product_id, position, id", ids)
            .await
    }

    /// Products by id (any status).
    pub async fn products_by_ids(&self, ids: &[String]) -> Result<Vec<ProductRecord>, StoreError> {
        self.fetch_in(
            &format!("SELECT {PRODUCT_COLS} FROM products p WHERE p.id"),
            "",
            ids,
        )
        .await
    }

    /// Variants by id.
    pub async fn variants_by_ids(&self, ids: &[String]) -> Result<Vec<VariantRecord>, StoreError> {
        self.fetch_in(
            &format!("SELECT {VARIANT_COLS} FROM variants WHERE id"),
            "",
            ids,
        )
        .await
    }

    /// The variant with this id.
    pub async fn variant(&self, id: &str) -> Result<Option<VariantRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {VARIANT_COLS} FROM variants WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Adds a variant to a product of its merchant and refreshes the product's cheapest price.
    /// `Conflict` on a duplicate SKU code; `Stale` if the product is not the merchant's.
    pub async fn insert_variant(&self, v: &VariantRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        crate::journal::write_first(&mut tx).await?;
        let owned: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM products WHERE id = $1 AND merchant_id = $2")
                .bind(&v.product_id)
                .bind(&v.merchant_id)
                .fetch_optional(&mut *tx)
                .await?;
        if owned.is_none() {
            return Err(StoreError::Stale);
        }
        insert_variant_row(&mut tx, v).await?;
        refresh_min_price(&mut tx, &v.product_id, v.updated_at).await?;
        append_events(
            &mut tx,
            &[changed("product.changed", &v.product_id)],
            v.updated_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a variant's SKU, options, price and stock (guarded by its merchant) and refreshes
    /// the product's cheapest price. `Stale` if not the merchant's; `Conflict` on a duplicate SKU.
    pub async fn update_variant(&self, v: &VariantRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE variants SET sku = $1, options = $2, price_minor = $3, stock = $4, updated_at = $5 \
             WHERE id = $6 AND merchant_id = $7",
        )
        .bind(&v.sku)
        .bind(&v.options)
        .bind(v.price_minor)
        .bind(v.stock)
        .bind(v.updated_at)
        .bind(&v.id)
        .bind(&v.merchant_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale);
        }
        record_price(&mut tx, &v.id, v.price_minor, v.updated_at).await?;
        refresh_min_price(&mut tx, &v.product_id, v.updated_at).await?;
        append_events(
            &mut tx,
            &[changed("product.changed", &v.product_id)],
            v.updated_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Writes the merchant's own text in a locale (a machine text there becomes the merchant's)
/// and drops a translation queued for it.
async fn upsert_text(
    tx: &mut sqlx::Transaction<'_, Any>,
    t: &ProductTextRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO product_texts (product_id, locale, title, description, machine) \
         VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (product_id, locale) DO UPDATE SET title = excluded.title, \
         description = excluded.description, machine = 0, source_locale = NULL, source_hash = NULL",
    )
    .bind(&t.product_id)
    .bind(&t.locale)
    .bind(&t.title)
    .bind(&t.description)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM translation_jobs WHERE product_id = $1 AND locale = $2")
        .bind(&t.product_id)
        .bind(&t.locale)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_variant_row(
    tx: &mut sqlx::Transaction<'_, Any>,
    v: &VariantRecord,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO variants ({VARIANT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&v.id)
    .bind(&v.product_id)
    .bind(&v.merchant_id)
    .bind(&v.sku)
    .bind(&v.options)
    .bind(v.price_minor)
    .bind(&v.price_currency)
    .bind(v.stock)
    .bind(v.position)
    .bind(v.created_at)
    .bind(v.updated_at)
    .execute(&mut **tx)
    .await?;
    record_price(tx, &v.id, v.price_minor, v.updated_at).await
}

/// Appends a variant's price to its history (the EU Omnibus reference price is read from it).
async fn record_price(
    tx: &mut sqlx::Transaction<'_, Any>,
    variant_id: &str,
    price_minor: i64,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO price_history (variant_id, at, price_minor) VALUES ($1, $2, $3) \
         ON CONFLICT (variant_id, at) DO UPDATE SET price_minor = excluded.price_minor",
    )
    .bind(variant_id)
    .bind(at)
    .bind(price_minor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn refresh_min_price(
    tx: &mut sqlx::Transaction<'_, Any>,
    product_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE products SET updated_at = $1, min_price_minor = \
         (SELECT MIN(price_minor) FROM variants WHERE product_id = $2) WHERE id = $2",
    )
    .bind(now)
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
