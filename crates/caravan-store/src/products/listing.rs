//! The product listing query: filters, sorts and keyset pagination, built as portable SQL.

use super::{ProductRecord, PRODUCT_COLS};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// Whose view of the catalogue a listing is.
#[derive(Debug, Clone)]
pub enum Visibility {
    /// Buyers: published products of approved merchants only.
    Public,
    /// A merchant's own products in every status.
    OwnedBy(String),
}

/// Listing order; each has a matching keyset cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSort {
    /// Newest first.
    Newest,
    /// Cheapest first.
    PriceAsc,
    /// Dearest first.
    PriceDesc,
}

/// A product listing request. All filters are optional.
#[derive(Debug, Clone)]
pub struct ProductQuery {
    /// Whose view.
    pub visibility: Visibility,
    /// A category and all its descendants.
    pub category_id: Option<String>,
    /// One merchant's products.
    pub merchant_id: Option<String>,
    /// Ship-from country (alpha-2).
    pub ship_from: Option<String>,
    /// Only products priced in this currency (needed for price bounds and price sorts).
    pub currency: Option<String>,
    /// Cheapest variant ≥ this, in minor units.
    pub min_price: Option<i64>,
    /// Cheapest variant ≤ this, in minor units.
    pub max_price: Option<i64>,
    /// Only products with some variant in stock.
    pub in_stock: bool,
    /// Order.
    pub sort: ProductSort,
    /// Keyset cursor: the sort key and id of the last row of the previous page.
    pub after: Option<(i64, String)>,
    /// Rows to return.
    pub limit: i64,
}

impl Store {
    /// Lists products by `q`. Returns at most `q.limit` rows in `q.sort` order.
    pub async fn list_products(&self, q: &ProductQuery) -> Result<Vec<ProductRecord>, StoreError> {
        let mut sql = Sql::default();
        if let Some(cat) = &q.category_id {
            let p = sql.bind(cat);
            sql.push(&format!(
                "WITH RECURSIVE sub(id) AS (SELECT id FROM categories WHERE id = {p} \
                 UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) "
            ));
        }
        sql.push(&format!("SELECT {PRODUCT_COLS} FROM products p "));
        match &q.visibility {
            Visibility::Public => sql.push(
                "JOIN merchants m ON m.id = p.merchant_id \
                 WHERE p.status = 'published' AND m.status = 'approved'",
            ),
            Visibility::OwnedBy(merchant) => {
                let p = sql.bind(merchant);
                sql.push(&format!("WHERE p.merchant_id = {p}"));
            }
        }
        if q.category_id.is_some() {
            sql.push(" AND p.category_id IN (SELECT id FROM sub)");
        }
        if let Some(m) = &q.merchant_id {
            let p = sql.bind(m);
            sql.push(&format!(" AND p.merchant_id = {p}"));
        }
        if let Some(c) = &q.ship_from {
            let p = sql.bind(c);
            sql.push(&format!(" AND p.ship_from_country = {p}"));
        }
        if let Some(c) = &q.currency {
            let p = sql.bind(c);
            sql.push(&format!(" AND p.price_currency = {p}"));
        }
        if let Some(v) = q.min_price {
            let p = sql.bind(v);
            sql.push(&format!(" AND p.min_price_minor >= {p}"));
        }
        if let Some(v) = q.max_price {
            let p = sql.bind(v);
            sql.push(&format!(" AND p.min_price_minor <= {p}"));
        }
        if q.in_stock {
            sql.push(
                " AND EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.stock > 0)",
            );
        }
        let (key, cmp, order) = match q.sort {
            ProductSort::Newest => ("p.created_at", "<", "p.created_at DESC, p.id DESC"),
            ProductSort::PriceAsc => ("p.min_price_minor", ">", "p.min_price_minor ASC, p.id ASC"),
            ProductSort::PriceDesc => (
                "p.min_price_minor",
                "<",
                "p.min_price_minor DESC, p.id DESC",
            ),
        };
        if let Some((k, id)) = &q.after {
            let pk = sql.bind(*k);
            let pid = sql.bind(id);
            sql.push(&format!(
                " AND ({key} {cmp} {pk} OR ({key} = {pk} AND p.id {cmp} {pid}))"
            ));
        }
        let pl = sql.bind(q.limit);
        sql.push(&format!(" ORDER BY {order} LIMIT {pl}"));

        Ok(sql
            .query_as::<ProductRecord>()
            .fetch_all(&self.pool)
            .await?)
    }
}
