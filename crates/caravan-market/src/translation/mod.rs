//! Machine translation of product texts, behind a provider interface like payments'.
//!
//! Saving a product queues the locales it lacks (in the same transaction, see
//! `caravan_store::translations`); [`Market::run_translator`] takes what is due, groups it by
//! language pair, asks the provider, and stores each result as a machine text marked with its
//! source's hash. A failure or a timeout leaves the original text shown and retries later,
//! backing off. The provider is the built-in glossary one unless a LibreTranslate server is
//! configured ([`libre::LibreTranslate`]).

pub mod glossary;
pub mod libre;

use crate::catalogue::read::texts_by_product;
use crate::{Market, MarketError};
use caravan_domain::translation::{self as plan, Source, TextState};
use caravan_domain::Locale;
use caravan_store::products::{ProductRecord, ProductTextRecord, QueuedTranslation};
use caravan_store::translations::TranslationJob;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A provider call in flight.
pub type TranslateFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<String>, TranslateError>> + Send + 'a>>;

/// Why a provider could not translate.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    /// Not reachable, or no answer in time.
    #[error("provider unreachable: {0}")]
    Unreachable(String),
    /// It answered with an error.
    #[error("provider refused: {0}")]
    Refused(String),
    /// It answered something else than one text per text asked.
    #[error("provider answer unusable: {0}")]
    BadAnswer(String),
}

/// A machine-translation provider.
pub trait Translator: Send + Sync {
    /// Its name, for logs.
    fn name(&self) -> &'static str;
    /// `texts` from `from` into `to`, one answer per text, in order.
    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        from: Locale,
        to: Locale,
    ) -> TranslateFuture<'a>;
}

/// Jobs taken per pass.
const JOBS_PER_PASS: i64 = 512;
/// How long a taken job is this node's before another may take it.
const LEASE_MS: i64 = 60_000;
/// The longest a provider call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause between passes when nothing is due.
const IDLE: Duration = Duration::from_millis(250);

/// When a job that failed `attempts` times runs again: 5 s, 10 s, 20 s… at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(0, 10)).unwrap_or(10);
    (5_000i64 << exp).min(3_600_000)
}

/// What a taken job comes to.
enum Step {
    /// Translate this source text.
    Translate(Source, String, String),
    /// Nothing to do: the merchant wrote the locale, the product or its source is gone, or the
    /// source changed since (its edit queued the new version in this job's place, which the
    /// drop, guarded by the old hash, leaves alone).
    Drop,
}

impl Market {
    /// Uses `provider` for machine translation from now on (the binary's configured server,
    /// tests' stubs); the built-in glossary provider otherwise.
    pub fn set_translator(&self, provider: Arc<dyn Translator>) {
        if let Ok(mut slot) = self.inner.translator.lock() {
            *slot = Some(provider);
        }
    }

    async fn translator(&self) -> Result<Arc<dyn Translator>, MarketError> {
        let configured = self.inner.translator.lock().ok().and_then(|s| s.clone());
        match configured {
            Some(p) => Ok(p),
            None => Ok(Arc::new(glossary::GlossaryTranslator::new(
                self.glossary().await?,
            ))),
        }
    }

    /// The translations a product's write must queue: `existing` texts overlaid by `written`
    /// (the merchant's), from their source to every locale the merchant has not written.
    pub(crate) fn translations_to_queue(
        p: &ProductRecord,
        existing: &[ProductTextRecord],
        written: &[ProductTextRecord],
    ) -> Vec<QueuedTranslation> {
        let mut texts: BTreeMap<&str, &ProductTextRecord> =
            existing.iter().map(|t| (t.locale.as_str(), t)).collect();
        texts.extend(written.iter().map(|t| (t.locale.as_str(), t)));
        let states = states(texts.values().copied());
        let default = Locale::parse(&p.default_locale).unwrap_or(Locale::En);
        let Some(source) = plan::source_locale(&states, default) else {
            return Vec::new();
        };
        let Some(text) = texts.get(source.code()) else {
            return Vec::new();
        };
        let source = Source {
            locale: source,
            hash: plan::source_hash(&text.title, &text.description),
        };
        plan::to_translate(&states, &source)
            .into_iter()
            .map(|l| QueuedTranslation {
                locale: l.code().to_owned(),
                source_locale: source.locale.code().to_owned(),
                source_hash: source.hash.clone(),
            })
            .collect()
    }

    /// Translates until the task is dropped; failures are logged and retried.
    pub async fn run_translator(self) {
        loop {
            match self.translate_due().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(code = %e.code, error = %e.message, "translator failed; retrying")
                }
            }
            tokio::time::sleep(IDLE).await;
        }
    }

    /// Works off every translation due now (the demo, before it serves); how many were taken.
    pub async fn translate_all_due(&self) -> Result<usize, MarketError> {
        let mut total = 0;
        loop {
            let n = self.translate_due().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// One pass: takes the due jobs, translates them by language pair; how many were taken.
    pub async fn translate_due(&self) -> Result<usize, MarketError> {
        let now = self.now();
        let due = self.store.due_translations(now, JOBS_PER_PASS).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let taken = self.store.claim_translations(&due, now + LEASE_MS).await?;
        if taken.is_empty() {
            return Ok(0);
        }
        let pairs = self.plan_jobs(&taken).await?;
        let provider = self.translator().await?;
        let mut stored = 0;
        for ((from, to), work) in pairs {
            stored += self.translate_pair(&*provider, from, to, work).await?;
        }
        if stored > 0 {
            self.inner.cache.invalidate();
        }
        Ok(taken.len())
    }

    /// Decides each taken job's step and groups what to translate by language pair.
    async fn plan_jobs(
        &self,
        taken: &[TranslationJob],
    ) -> Result<
        BTreeMap<(Locale, Locale), Vec<(TranslationJob, Source, String, String)>>,
        MarketError,
    > {
        let mut ids: Vec<String> = taken.iter().map(|j| j.product_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let texts = texts_by_product(self.store.product_texts(&ids).await?);
        let exists: HashMap<String, ()> = self
            .store
            .products_by_ids(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id, ()))
            .collect();
        let mut pairs: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for job in taken {
            let product_texts = texts.get(&job.product_id).map(Vec::as_slice);
            let step = match (exists.contains_key(&job.product_id), product_texts) {
                (true, Some(t)) => step_of(job, t),
                _ => Step::Drop,
            };
            match (step, Locale::parse(&job.locale)) {
                (Step::Translate(source, title, description), Ok(to)) => pairs
                    .entry((source.locale, to))
                    .or_default()
                    .push((job.clone(), source, title, description)),
                _ => self.store.drop_translation(job).await?,
            }
        }
        Ok(pairs)
    }

    /// Asks the provider for one language pair's texts and stores the answers, or schedules
    /// the retry; how many were stored.
    async fn translate_pair(
        &self,
        provider: &dyn Translator,
        from: Locale,
        to: Locale,
        work: Vec<(TranslationJob, Source, String, String)>,
    ) -> Result<usize, MarketError> {
        let texts: Vec<String> = work
            .iter()
            .flat_map(|(_, _, t, d)| [t.clone(), d.clone()])
            .collect();
        let answer = tokio::time::timeout(CALL_TIMEOUT, provider.translate(&texts, from, to))
            .await
            .unwrap_or_else(|_| Err(TranslateError::Unreachable("timed out".into())))
            .and_then(|a| {
                if a.len() == texts.len() {
                    Ok(a)
                } else {
                    Err(TranslateError::BadAnswer(format!(
                        "{} texts for {}",
                        a.len(),
                        texts.len()
                    )))
                }
            });
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(provider = provider.name(), %from, %to, error = %e, "translation failed; will retry");
                let now = self.now();
                for (job, ..) in &work {
                    let due = now + backoff_ms(job.attempts);
                    self.store
                        .retry_translation(job, due, &e.to_string())
                        .await?;
                }
                return Ok(0);
            }
        };
        let mut records = Vec::with_capacity(work.len());
        for ((job, source, title, description), pair) in work.iter().zip(answer.chunks(2)) {
            let (t, d) = (pair[0].trim(), pair[1].trim());
            if t.is_empty() || (t == title.trim() && d == description.trim()) {
                // Nothing translated (the provider knew none of the words): the original,
                // shown anyway, is not stored again under another language's name.
                self.store.drop_translation(job).await?;
                continue;
            }
            records.push(ProductTextRecord {
                product_id: job.product_id.clone(),
                locale: to.code().to_owned(),
                title: t.to_owned(),
                description: d.to_owned(),
                machine: 1,
                source_locale: Some(from.code().to_owned()),
                source_hash: Some(source.hash.clone()),
            });
        }
        Ok(self.store.store_translations(&records, self.now()).await?)
    }
}

fn states<'a>(texts: impl Iterator<Item = &'a ProductTextRecord>) -> Vec<TextState> {
    texts
        .filter_map(|t| {
            Some(TextState {
                locale: Locale::parse(&t.locale).ok()?,
                machine: t.machine != 0,
                source_hash: t.source_hash.clone(),
            })
        })
        .collect()
}

/// A taken job's step, from its product's current texts.
fn step_of(job: &TranslationJob, texts: &[(Locale, ProductTextRecord)]) -> Step {
    let own = |l: &str| texts.iter().find(|(_, t)| t.locale == l && t.machine == 0);
    if own(&job.locale).is_some() {
        return Step::Drop;
    }
    let Some((locale, source)) = own(&job.source_locale) else {
        return Step::Drop;
    };
    let hash = plan::source_hash(&source.title, &source.description);
    if hash != job.source_hash {
        return Step::Drop;
    }
    Step::Translate(
        Source {
            locale: *locale,
            hash,
        },
        source.title.clone(),
        source.description.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_ms(0), 5_000);
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(3), 40_000);
        assert_eq!(backoff_ms(50), 3_600_000);
    }
}
