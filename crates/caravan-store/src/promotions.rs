//! Pop-up promotions: a campaign's timed banners and notices. Creating or withdrawing one
//! appends a `promotion.changed` event, which moves the catalogue version, so every node's
//! cached list of showing promotions is reread.

use crate::journal::{append_events, changed};
use crate::{Store, StoreError};

/// A stored promotion.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromotionRecord {
    /// `pro_…`.
    pub id: String,
    /// Its campaign.
    pub campaign_id: String,
    /// banner | notice.
    pub kind: String,
    /// Shown from (UTC ms)…
    pub shows_from: i64,
    /// …until.
    pub shows_to: i64,
    /// JSON array of targeted countries (empty: all).
    pub countries: String,
    /// JSON array of targeted locales (empty: all).
    pub locales: String,
    /// JSON object, locale → text.
    pub texts: String,
    /// Where it leads (a path on this site).
    pub link: Option<String>,
    /// When an operator withdrew it.
    pub withdrawn_at: Option<i64>,
    /// UTC ms.
    pub created_at: i64,
}

/// What withdrawing a promotion did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawal {
    /// It no longer shows.
    Done,
    /// It had been withdrawn before.
    Already,
    /// There is no such promotion.
    Missing,
}

const COLS: &str = "id, campaign_id, kind, shows_from, shows_to, countries, locales, texts, link, \
    withdrawn_at, created_at";

impl Store {
    /// Inserts a promotion.
    pub async fn insert_promotion(&self, p: &PromotionRecord) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO promotions ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&p.id)
        .bind(&p.campaign_id)
        .bind(&p.kind)
        .bind(p.shows_from)
        .bind(p.shows_to)
        .bind(&p.countries)
        .bind(&p.locales)
        .bind(&p.texts)
        .bind(&p.link)
        .bind(p.withdrawn_at)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await?;
        append_events(
            &mut tx,
            &[changed("promotion.changed", &p.id)],
            p.created_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A campaign's promotions, by start.
    pub async fn campaign_promotions(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<PromotionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM promotions WHERE campaign_id = $1 ORDER BY shows_from, id"
        ))
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Promotions not withdrawn whose window has not ended by `now`.
    pub async fn open_promotions(&self, now: i64) -> Result<Vec<PromotionRecord>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM promotions WHERE withdrawn_at IS NULL AND shows_to > $1 \
             ORDER BY shows_from, id"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Withdraws a promotion.
    pub async fn withdraw_promotion(&self, id: &str, now: i64) -> Result<Withdrawal, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE promotions SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM promotions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Ok(if exists.is_some() {
                Withdrawal::Already
            } else {
                Withdrawal::Missing
            });
        }
        append_events(&mut tx, &[changed("promotion.changed", id)], now).await?;
        tx.commit().await?;
        Ok(Withdrawal::Done)
    }
}
