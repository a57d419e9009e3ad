//! The order writer: checkouts queue here and are committed in batches, one transaction per
//! batch. On SQLite the commit does not wait for the disk: the store's syncer fsyncs the WAL
//! after it, and one fsync covers every batch committed while the previous one ran; a batch's
//! buyers are answered once an fsync that began after their commit is done. A full queue answers
//! at once (503) instead of letting latency explode.

use crate::Code;
use crate::MarketError;
use caravan_store::checkout::{Outcome, Placement};
use caravan_store::Store;
use tokio::sync::{mpsc, oneshot};

struct Job {
    placement: Placement,
    reply: oneshot::Sender<Result<Outcome, Failure>>,
}

/// Why the writer gave a placement no outcome.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Nothing of it was written (the queue was full, or its batch failed and rolled back): its
    /// payment authorization must be given back.
    NotWritten(MarketError),
    /// Its batch was committed but may not be on disk (an fsync failed): the authorization is
    /// kept, since the order most likely exists and a retry with the same key replays it.
    Uncertain(MarketError),
}

impl Failure {
    /// The error to answer with.
    pub(crate) fn into_error(self) -> MarketError {
        match self {
            Failure::NotWritten(e) | Failure::Uncertain(e) => e,
        }
    }
}

/// A handle on the node's writer tasks.
pub(crate) struct OrderWriter {
    /// One queue per writer; a checkout goes to the writer chosen by an FNV-1a hash of its
    /// smallest variant id, so writers work on different rows in parallel (PostgreSQL) and one
    /// SKU's buyers stay first come, first served in one writer.
    queues: Vec<mpsc::Sender<Job>>,
}

impl OrderWriter {
    /// Starts the writer tasks (one per writer connection of the store) on their own thread.
    pub(crate) fn start(store: Store, queue: usize, batch: usize) -> Self {
        let writers = store.writer_connections().max(1);
        let mut queues = Vec::with_capacity(writers);
        let mut receivers = Vec::with_capacity(writers);
        for _ in 0..writers {
            let (tx, rx) = mpsc::channel((queue / writers).max(1));
            queues.push(tx);
            receivers.push(rx);
        }
        // Its own thread and runtime: the writer's many short awaits per batch must not queue
        // behind the request tasks.
        crate::own_thread::spawn("caravan-writer", async move {
            let mut runs = tokio::task::JoinSet::new();
            for rx in receivers {
                runs.spawn(run(store.clone(), rx, batch.max(1)));
            }
            while runs.join_next().await.is_some() {}
        });
        Self { queues }
    }

    fn queue_for(&self, p: &Placement) -> &mpsc::Sender<Job> {
        let n = self.queues.len();
        let first = p
            .lines
            .iter()
            .map(|l| l.variant_id.as_str())
            .min()
            .unwrap_or("");
        let h = first.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        &self.queues[(h % n as u64) as usize]
    }

    /// Queues a placement and waits for its outcome; `overloaded` at once if the queue is full.
    pub(crate) async fn submit(&self, placement: Placement) -> Result<Outcome, Failure> {
        let (reply, answer) = oneshot::channel();
        self.queue_for(&placement)
            .try_send(Job { placement, reply })
            .map_err(|e| {
                Failure::NotWritten(match e {
                    mpsc::error::TrySendError::Full(_) => {
                        let mut e = MarketError::new(
                            Code::Overloaded,
                            "checkout is busy; retry in a moment",
                        );
                        e.retry_after = Some(1);
                        e
                    }
                    mpsc::error::TrySendError::Closed(_) => {
                        MarketError::internal("the order writer stopped")
                    }
                })
            })?;
        // A dropped reply means the writer stopped before answering: nothing was committed
        // for this placement after its reply was dropped, but whether its batch was is unknown.
        answer.await.map_err(|_| {
            Failure::Uncertain(MarketError::internal("the order writer dropped a checkout"))
        })?
    }
}

/// One writer: takes what is queued (up to `max`), writes it as one batch, answers once it is
/// durable, repeats.
async fn run(store: Store, mut rx: mpsc::Receiver<Job>, max: usize) {
    let mut placements = Vec::with_capacity(max);
    let mut replies = Vec::with_capacity(max);
    while let Some(first) = rx.recv().await {
        placements.push(first.placement);
        replies.push(first.reply);
        while placements.len() < max {
            match rx.try_recv() {
                Ok(job) => {
                    placements.push(job.placement);
                    replies.push(job.reply);
                }
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        let result = store.write_batch(&placements).await;
        tracing::debug!(
            batch = placements.len(),
            ms = started.elapsed().as_millis() as u64,
            "order batch written"
        );
        match result {
            // The answers go out once the batch is on disk; meanwhile this writer goes on with
            // the next batch.
            Ok(written) => {
                let replies = std::mem::replace(&mut replies, Vec::with_capacity(max));
                let outcomes = written.outcomes;
                written.durable.then(move |durable| match durable {
                    Ok(()) => {
                        for (reply, outcome) in replies.into_iter().zip(outcomes) {
                            let _ = reply.send(Ok(outcome));
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "an order batch was committed but may not be on disk");
                        for reply in replies {
                            let e = MarketError::internal(format!("order batch not durable: {e}"));
                            let _ = reply.send(Err(Failure::Uncertain(e)));
                        }
                    }
                });
            }
            Err(e) => {
                tracing::error!(error = %e, batch = placements.len(), "order batch failed; nothing was written");
                for reply in replies.drain(..) {
                    let e = MarketError::internal(format!("order batch failed: {e}"));
                    let _ = reply.send(Err(Failure::NotWritten(e)));
                }
            }
        }
        placements.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{Job, OrderWriter};
    use caravan_store::checkout::Placement;
    use tokio::sync::{mpsc, oneshot};

    /// A writer whose queue is full answers at once with 503 `overloaded` and a Retry-After,
    /// instead of queueing without bound.
    #[tokio::test]
    async fn a_full_queue_answers_overloaded_at_once() {
        let (tx, _rx) = mpsc::channel(1);
        let waiting = Job {
            placement: Placement::default(),
            reply: oneshot::channel().0,
        };
        assert!(tx.try_send(waiting).is_ok(), "the one slot is taken");
        let writer = OrderWriter { queues: vec![tx] };
        let refused = writer.submit(Placement::default()).await.unwrap_err();
        assert!(
            matches!(refused, super::Failure::NotWritten(_)),
            "nothing was written"
        );
        let refused = refused.into_error();
        assert_eq!(refused.code, "overloaded");
        assert_eq!(refused.kind().status(), 503);
        assert_eq!(refused.retry_after, Some(1));
    }
}
