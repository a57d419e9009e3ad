//! Buyers' deal claims read in batches. Pricing needs a buyer's claims when it does not
//! remember them (a buyer's first checkout, or their entry expired): at midnight that is every
//! buyer at once, and one read each queued on the readers. Here the checkouts that need claims
//! queue their buyers, and one task on its own thread reads everyone waiting in one query
//! (`Store::buyers_claims`), then the next batch: one reader connection, however many buyers.
//!
//! The queue is bounded (a full one makes the asker wait for room); if the reader is gone or
//! its read fails, each asker reads its buyer alone, as before, and sees that read's error.

use crate::MarketError;
use caravan_store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What a buyer has claimed: deal → units.
pub(crate) type Claims = Arc<HashMap<String, i64>>;

/// Buyers waiting for their claims, at most.
const QUEUE: usize = 4096;
/// Buyers read in one query, at most.
const BATCH: usize = 512;

struct Ask {
    buyer: String,
    now: i64,
    reply: oneshot::Sender<Option<Claims>>,
}

/// The handle on the batch reader.
#[derive(Debug)]
pub(crate) struct ClaimsReader {
    asks: mpsc::Sender<Ask>,
}

impl ClaimsReader {
    /// Starts the reader on its own thread and runtime: at peak the shared runtime has
    /// hundreds of request tasks ready, and a read hands over its rows fifty at a time, each
    /// handover waiting for the reading task's next turn (a batch of 500 buyers' claims took
    /// 0.3–0.8 s there). The thread ends when the handle is dropped.
    pub(crate) fn start(store: Store) -> Self {
        let (asks, rx) = mpsc::channel(QUEUE);
        crate::own_thread::spawn("caravan-claims", run(store, rx));
        Self { asks }
    }

    /// `buyer`'s claims in deals whose campaign has not ended at `now`, read with those of
    /// the other buyers asked for meanwhile.
    pub(crate) async fn read(
        &self,
        store: &Store,
        buyer: &str,
        now: i64,
    ) -> Result<Claims, MarketError> {
        let (reply, answer) = oneshot::channel();
        let ask = Ask {
            buyer: buyer.to_owned(),
            now,
            reply,
        };
        if self.asks.send(ask).await.is_ok() {
            if let Ok(Some(claims)) = answer.await {
                return Ok(claims);
            }
        }
        Ok(Arc::new(store.buyer_claims(buyer, now).await?))
    }
}

/// Reads whoever is waiting, answers them, repeats until every handle is gone.
async fn run(store: Store, mut rx: mpsc::Receiver<Ask>) {
    let mut asks = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut asks, BATCH).await > 0 {
        let mut buyers: Vec<String> = asks.iter().map(|a| a.buyer.clone()).collect();
        buyers.sort_unstable();
        buyers.dedup();
        // The earliest asker's instant: a campaign that ended in between still counts, as it
        // would have for that asker alone.
        let now = asks.iter().map(|a| a.now).min().unwrap_or(0);
        let read = match store.buyers_claims(&buyers, now).await {
            Ok(read) => Some(read),
            Err(e) => {
                tracing::warn!(error = %e, buyers = buyers.len(), "reading buyers' claims failed");
                None
            }
        };
        for ask in asks.drain(..) {
            let claims = read
                .as_ref()
                .map(|r| Arc::new(r.get(&ask.buyer).cloned().unwrap_or_default()));
            let _ = ask.reply.send(claims);
        }
    }
}
