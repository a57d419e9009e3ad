//! Connect's posts as stored: the post, one `post_feed` row per language (what the feed
//! filters and sorts on), the products it tags; hiding and the orders counted through it
//! change the post and its feed rows together.

use crate::sql::{in_list, Sql, Val};
use crate::{Store, StoreError};

/// A stored post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRecord {
    /// `pst_…`.
    pub id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// JSON: locale → text.
    pub texts: String,
    /// JSON: image URLs (`/media/img_…`).
    pub images: String,
    /// JSON: tagged product ids, in order.
    pub products: String,
    /// `,FR,DE,` or `,*,`: where the tagged products' stores ship.
    pub ships_to: String,
    /// published | hidden.
    pub status: String,
    /// The operator's reason for hiding it.
    pub hidden_reason: Option<String>,
    /// Orders attributed through it (flushed).
    pub orders: i64,
    /// UTC milliseconds.
    pub created_at: i64,
}

const POST_COLS: &str = "p.id, p.creator_id, p.texts, p.images, p.products, p.ships_to, p.status, \
    p.hidden_reason, p.orders, p.created_at";

/// How the feed is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOrder {
    /// Newest first.
    Newest,
    /// Most orders first, then newest.
    MostBought,
}

/// Where a feed page starts: after this (orders, created_at, id).
pub type FeedCursor = (i64, i64, String);

impl Store {
    /// Stores a post with its feed rows (`locales`) and tagged products, in one transaction.
    pub async fn insert_post(&self, p: &PostRecord, locales: &[&str]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO posts (id, creator_id, texts, images, products, ships_to, status, orders, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
        )
        .bind(&p.id)
        .bind(&p.creator_id)
        .bind(&p.texts)
        .bind(&p.images)
        .bind(&p.products)
        .bind(&p.ships_to)
        .bind(&p.status)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await?;
        for locale in locales {
            sqlx::query(
                "INSERT INTO post_feed (post_id, locale, status, ships_to, orders, created_at) \
                 VALUES ($1, $2, $3, $4, 0, $5)",
            )
            .bind(&p.id)
            .bind(*locale)
            .bind(&p.status)
            .bind(&p.ships_to)
            .bind(p.created_at)
            .execute(&mut *tx)
            .await?;
        }
        let products: Vec<String> = serde_json::from_str(&p.products).unwrap_or_default();
        for product in products {
            sqlx::query(
                "INSERT INTO post_products (product_id, post_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(product)
            .bind(&p.id)
            .bind(p.created_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The handles of these creators: (id, handle).
    pub async fn creator_handles(
        &self,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let list = in_list(&mut sql, ids.iter().map(Val::from));
        sql.push(&format!(
            "SELECT id, handle FROM creators WHERE id IN ({list})"
        ));
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// A post by id.
    pub async fn post(&self, id: &str) -> Result<Option<PostRecord>, StoreError> {
        Ok(
            sqlx::query_as(&format!("SELECT {POST_COLS} FROM posts p WHERE p.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// A creator's posts (published only, or all), newest first, before a (time, id) cursor.
    pub async fn posts_of_creator(
        &self,
        creator_id: &str,
        published_only: bool,
        before: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<PostRecord>, StoreError> {
        let (t, id) = before.unwrap_or((i64::MAX, String::new()));
        Ok(sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts p WHERE p.creator_id = $1 AND ($2 = 0 OR p.status = 'published') \
             AND (p.created_at < $3 OR (p.created_at = $3 AND p.id < $4)) \
             ORDER BY p.created_at DESC, p.id DESC LIMIT $5"
        ))
        .bind(creator_id)
        .bind(i64::from(published_only))
        .bind(t)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A feed page: published posts in `locale` whose products ship to `country`, in `order`,
    /// after `after`.
    pub async fn feed(
        &self,
        locale: &str,
        country: &str,
        order: FeedOrder,
        after: Option<FeedCursor>,
        limit: i64,
    ) -> Result<Vec<PostRecord>, StoreError> {
        let (o, t, id) = after.unwrap_or((i64::MAX, i64::MAX, String::new()));
        let (position, sort) = match order {
            FeedOrder::Newest => (
                "(f.created_at < $4 OR (f.created_at = $4 AND f.post_id < $5))",
                "f.created_at DESC, f.post_id DESC",
            ),
            FeedOrder::MostBought => (
                "(f.orders < $3 OR (f.orders = $3 AND (f.created_at < $4 OR (f.created_at = $4 AND f.post_id < $5))))",
                "f.orders DESC, f.created_at DESC, f.post_id DESC",
            ),
        };
        let bind_orders = if order == FeedOrder::Newest {
            "AND $3 = $3 "
        } else {
            ""
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM post_feed f JOIN posts p ON p.id = f.post_id \
             WHERE f.locale = $1 AND f.status = 'published' {bind_orders}\
             AND (f.ships_to LIKE '%,*,%' OR f.ships_to LIKE $2) AND {position} \
             ORDER BY {sort} LIMIT $6"
        ))
        .bind(locale)
        .bind(format!("%,{country},%"))
        .bind(o)
        .bind(t)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The published posts tagging a product, newest first.
    pub async fn posts_of_product(
        &self,
        product_id: &str,
        limit: i64,
    ) -> Result<Vec<PostRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM post_products pp JOIN posts p ON p.id = pp.post_id \
             WHERE pp.product_id = $1 AND p.status = 'published' \
             ORDER BY pp.created_at DESC, pp.post_id DESC LIMIT $2"
        ))
        .bind(product_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every post, newest first (operators).
    pub async fn recent_posts(&self, limit: i64) -> Result<Vec<PostRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {POST_COLS} FROM posts p ORDER BY p.created_at DESC, p.id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Hides or shows a post (and its feed rows); `false` if there is no such post.
    pub async fn set_post_status(
        &self,
        id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE posts SET status = $1, hidden_reason = $2 WHERE id = $3")
            .bind(status)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE post_feed SET status = $1 WHERE post_id = $2")
            .bind(status)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Adds orders counted through posts, in one transaction (posts in id order).
    pub async fn add_post_orders(&self, counts: &[(String, i64)]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for (id, n) in counts {
            for table in [
                "posts SET orders = orders + $1 WHERE id = $2",
                "post_feed SET orders = orders + $1 WHERE post_id = $2",
            ] {
                sqlx::query(&format!("UPDATE {table}"))
                    .bind(*n)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
