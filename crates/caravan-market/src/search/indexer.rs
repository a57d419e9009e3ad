//! Keeping the index current: a full rebuild, and following the outbox.
//!
//! The index records the outbox sequence it has reached in each commit, so a restart resumes
//! where it stopped and a change is never skipped. Events name what changed; the indexer rereads
//! those products from the store (the store is the truth, events only say where to look).

use super::SEARCH_BATCH;
use crate::Code;
use crate::{Market, MarketError};
use caravan_search::SearchIndex;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Pause between passes when the outbox is quiet.
const FOLLOW_EVERY_MS: u64 = 200;
/// Events read per pass.
const EVENTS_PER_PASS: i64 = 2_000;

impl Market {
    pub(crate) fn index(&self) -> Result<Arc<SearchIndex>, MarketError> {
        self.inner.search.get().cloned().ok_or_else(|| {
            let mut e = MarketError::new(
                Code::SearchUnavailable,
                "search is not enabled on this node",
            );
            e.retry_after = Some(1);
            e
        })
    }

    /// Rebuilds the whole index from the store; returns the number of products indexed.
    pub async fn reindex(&self) -> Result<u64, MarketError> {
        let index = self.index()?;
        let position = self.store.last_event_seq().await?;
        let mut docs = Vec::new();
        let mut after = String::new();
        loop {
            let ids = self.store.product_ids_after(&after, SEARCH_BATCH).await?;
            let Some(last) = ids.last() else { break };
            after = last.clone();
            docs.extend(self.search_changes(&ids).await?.upserts);
        }
        let n = tokio::task::spawn_blocking(move || index.rebuild(docs.into_iter(), position))
            .await
            .map_err(|e| MarketError::internal(e.to_string()))??;
        tracing::info!(products = n, position, "search index rebuilt");
        Ok(n)
    }

    /// Follows the outbox until the task is dropped: a change is searchable within about a
    /// quarter of a second; failures are logged and retried.
    pub async fn run_indexer(self) {
        loop {
            match self.follow_outbox().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(code = %e.code, error = %e.message, "search indexer failed; retrying")
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(FOLLOW_EVERY_MS)).await;
        }
    }

    /// Applies the outbox events after the index's position; returns how many were read.
    /// A rate change reprices everything, so it rebuilds.
    pub async fn follow_outbox(&self) -> Result<usize, MarketError> {
        let index = self.index()?;
        let Some(position) = index.position()? else {
            self.reindex().await?;
            return Ok(0);
        };
        if position > self.store.last_event_seq().await? {
            // An index from another database (the events were reset): start again.
            self.reindex().await?;
            return Ok(0);
        }
        let events = self.store.events_after(position, EVENTS_PER_PASS).await?;
        let Some(reached) = events.last().map(|e| e.seq) else {
            return Ok(0);
        };
        let mut products = BTreeSet::new();
        let mut merchants = BTreeSet::new();
        let mut orders = BTreeSet::new();
        let mut rates = false;
        for e in &events {
            match e.kind.as_str() {
                "product.changed" => {
                    products.insert(e.subject.clone());
                }
                "merchant.changed" => {
                    merchants.insert(e.subject.clone());
                }
                // Rates reprice everything; a glossary change rewrites every product's words.
                "rates.changed" | "glossary.changed" => rates = true,
                k if k.starts_with("order.") => {
                    orders.insert(e.subject.clone());
                }
                _ => {}
            }
        }
        if rates {
            self.reindex().await?;
            return Ok(events.len());
        }
        let merchants: Vec<String> = merchants.into_iter().collect();
        let orders: Vec<String> = orders.into_iter().collect();
        products.extend(self.store.product_ids_of_merchants(&merchants).await?);
        products.extend(self.store.product_ids_of_orders(&orders).await?);
        let products: Vec<String> = products.into_iter().collect();
        let mut upserts = Vec::new();
        let mut gone = Vec::new();
        for chunk in products.chunks(SEARCH_BATCH as usize) {
            let c = self.search_changes(chunk).await?;
            upserts.extend(c.upserts);
            gone.extend(c.gone);
        }
        tokio::task::spawn_blocking(move || index.apply(&upserts, &gone, reached))
            .await
            .map_err(|e| MarketError::internal(e.to_string()))??;
        Ok(events.len())
    }
}
