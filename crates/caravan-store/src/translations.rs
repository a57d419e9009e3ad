//! The translation outbox and the glossary.
//!
//! A product's write queues the machine translations it needs in its own transaction (so none
//! is lost); the translator takes what is due, and stores a result only if the job still names
//! the source it translated (an edit meanwhile re-queued it) and only over a machine text (a
//! merchant's own text is never replaced). Storing appends `product.changed`, so search and the
//! caches reread the product. Glossary changes append `glossary.changed`.

use crate::journal::{append_events, changed};
use crate::products::{ProductTextRecord, QueuedTranslation};
use crate::{Store, StoreError};
use sqlx::Any;

/// A queued translation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TranslationJob {
    /// The product.
    pub product_id: String,
    /// Target locale.
    pub locale: String,
    /// Source locale.
    pub source_locale: String,
    /// Hash of the source text when queued.
    pub source_hash: String,
    /// Failed attempts so far.
    pub attempts: i64,
    /// When it may run next (UTC ms).
    pub due_at: i64,
    /// The last failure.
    pub last_error: Option<String>,
}

const JOB_COLS: &str =
    "product_id, locale, source_locale, source_hash, attempts, due_at, last_error";

/// A stored glossary term.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GlossaryTermRecord {
    /// `gls_…`.
    pub id: String,
    /// Applies to this category and those below it; none for all.
    pub category_id: Option<String>,
    /// noun | modifier.
    pub kind: String,
    /// JSON object: locale → array of forms.
    pub words: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// Upserts the queued translations of a product inside its write.
pub(crate) async fn queue(
    tx: &mut sqlx::Transaction<'_, Any>,
    product_id: &str,
    jobs: &[QueuedTranslation],
    now: i64,
) -> Result<(), StoreError> {
    for j in jobs {
        sqlx::query(
            "INSERT INTO translation_jobs (product_id, locale, source_locale, source_hash, attempts, \
             due_at, created_at) VALUES ($1, $2, $3, $4, 0, $5, $5) \
             ON CONFLICT (product_id, locale) DO UPDATE SET source_locale = excluded.source_locale, \
             source_hash = excluded.source_hash, attempts = 0, due_at = excluded.due_at, last_error = NULL",
        )
        .bind(product_id)
        .bind(&j.locale)
        .bind(&j.source_locale)
        .bind(&j.source_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Stores one machine translation if its job still names its source (and retires the job).
async fn store_one(
    tx: &mut sqlx::Transaction<'_, Any>,
    t: &ProductTextRecord,
) -> Result<bool, StoreError> {
    let hash = t.source_hash.as_deref().unwrap_or_default();
    let retired = sqlx::query(
        "DELETE FROM translation_jobs WHERE product_id = $1 AND locale = $2 AND source_hash = $3",
    )
    .bind(&t.product_id)
    .bind(&t.locale)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    if retired.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO product_texts (product_id, locale, title, description, machine, \
         source_locale, source_hash) VALUES ($1, $2, $3, $4, 1, $5, $6) \
         ON CONFLICT (product_id, locale) DO UPDATE SET title = excluded.title, \
         description = excluded.description, source_locale = excluded.source_locale, \
         source_hash = excluded.source_hash WHERE product_texts.machine = 1",
    )
    .bind(&t.product_id)
    .bind(&t.locale)
    .bind(&t.title)
    .bind(&t.description)
    .bind(&t.source_locale)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

impl Store {
    /// Up to `limit` jobs due at `now`, oldest due first.
    pub async fn due_translations(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<TranslationJob>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {JOB_COLS} FROM translation_jobs WHERE due_at <= $1 \
             ORDER BY due_at, product_id, locale LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Takes jobs for this node until `until` (another node sees them due only then), in one
    /// transaction; the ones taken (another node may have taken some first, or they changed).
    pub async fn claim_translations(
        &self,
        jobs: &[TranslationJob],
        until: i64,
    ) -> Result<Vec<TranslationJob>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut taken = Vec::with_capacity(jobs.len());
        for job in jobs {
            let done = sqlx::query(
                "UPDATE translation_jobs SET due_at = $1 \
                 WHERE product_id = $2 AND locale = $3 AND due_at = $4 AND source_hash = $5",
            )
            .bind(until)
            .bind(&job.product_id)
            .bind(&job.locale)
            .bind(job.due_at)
            .bind(&job.source_hash)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                taken.push(TranslationJob {
                    due_at: until,
                    ..job.clone()
                });
            }
        }
        tx.commit().await?;
        Ok(taken)
    }

    /// Stores machine translations and retires their jobs, in one transaction. Each is
    /// stored only if its job still names its `source_hash` and no merchant text holds the
    /// locale; how many were.
    pub async fn store_translations(
        &self,
        texts: &[ProductTextRecord],
        now: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut products = std::collections::BTreeSet::new();
        let mut stored = 0;
        for t in texts {
            if store_one(&mut tx, t).await? {
                products.insert(t.product_id.as_str());
                stored += 1;
            }
        }
        let events: Vec<_> = products
            .iter()
            .map(|p| changed("product.changed", p))
            .collect();
        append_events(&mut tx, &events, now).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Records a failed attempt: the job runs again at `due_at`.
    pub async fn retry_translation(
        &self,
        job: &TranslationJob,
        due_at: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE translation_jobs SET attempts = attempts + 1, due_at = $1, last_error = $2 \
             WHERE product_id = $3 AND locale = $4 AND source_hash = $5",
        )
        .bind(due_at)
        .bind(error)
        .bind(&job.product_id)
        .bind(&job.locale)
        .bind(&job.source_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Drops a job that has nothing left to do (the merchant wrote the locale, the product or
    /// its source is gone).
    pub async fn drop_translation(&self, job: &TranslationJob) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM translation_jobs WHERE product_id = $1 AND locale = $2 AND source_hash = $3",
        )
        .bind(&job.product_id)
        .bind(&job.locale)
        .bind(&job.source_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The queued translations of these products.
    pub async fn translations_queued(
        &self,
        ids: &[String],
    ) -> Result<Vec<TranslationJob>, StoreError> {
        self.fetch_in(
            &format!("SELECT {JOB_COLS} FROM translation_jobs WHERE product_id"),
            "ORDER BY product_id, locale",
            ids,
        )
        .await
    }

    /// How many translations wait.
    pub async fn translation_backlog(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM translation_jobs")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Every glossary term, oldest first.
    pub async fn glossary_terms(&self) -> Result<Vec<GlossaryTermRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, category_id, kind, words, created_at FROM glossary_terms ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds glossary terms in one transaction.
    pub async fn insert_glossary_terms(
        &self,
        terms: &[GlossaryTermRecord],
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for t in terms {
            sqlx::query(
                "INSERT INTO glossary_terms (id, category_id, kind, words, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&t.id)
            .bind(&t.category_id)
            .bind(&t.kind)
            .bind(&t.words)
            .bind(t.created_at)
            .execute(&mut *tx)
            .await?;
        }
        append_events(&mut tx, &[changed("glossary.changed", "glossary")], now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a glossary term; false if there was none.
    pub async fn delete_glossary_term(&self, id: &str, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM glossary_terms WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        append_events(&mut tx, &[changed("glossary.changed", id)], now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
