//! The order writer's storage side: one transaction per batch of checkouts. The batch is
//! decided first (`decide`: repeats of stored keys, then stock first come, first served), then
//! what was placed is written (`insert`: orders, lines, payments, idempotency records, ledger
//! postings and outbox events as multi-row inserts, and per SKU one guarded decrement for the
//! batch's total).

mod coupons;
mod decide;
mod insert;
mod records;

pub(crate) use coupons::give_back as give_back_coupons;
pub use records::{
    CommissionRecord, CouponUse, DiscountRecord, DonationRecord, GroupRecord, LineRecord,
    OrderRecord, Outcome, PaymentRecord, Phases, Placement, ReferralFlag, Written,
};

use crate::connect::WriterConn;
use crate::durable::Durable;
use crate::exec::{Exec, LiteTx};
use crate::{Store, StoreError};

/// How often a batch is retried when another node took stock or a key in between.
const RETRIES: usize = 8;

impl Store {
    /// Writes a batch of checkouts in one transaction and one commit. Returns one outcome per
    /// placement, in order. Placements are decided first come, first served. A placement that
    /// breaks a constraint fails alone: the batch is split in halves until it stands by itself
    /// (`Unwritable`), and every other placement is written as if it had been alone; the common
    /// case stays one transaction.
    pub async fn write_batch(&self, batch: &[Placement]) -> Result<Written, StoreError> {
        match self.write_retrying(batch).await {
            Err(StoreError::Constraint(why)) => self.isolate(batch, why).await,
            other => other,
        }
    }

    /// Retries a batch that lost a race to another node (stock or a key taken in between).
    async fn write_retrying(&self, batch: &[Placement]) -> Result<Written, StoreError> {
        let mut last = StoreError::Stale;
        for _ in 0..RETRIES {
            match self.try_batch(batch).await {
                Ok(outcomes) => return Ok(outcomes),
                Err(e @ (StoreError::Stale | StoreError::Conflict)) => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Writes each half of a batch that broke a constraint on its own, down to the placement
    /// that broke it.
    fn isolate<'a>(
        &'a self,
        batch: &'a [Placement],
        why: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Written, StoreError>> + Send + 'a>>
    {
        Box::pin(async move {
            if batch.len() <= 1 {
                tracing::warn!(error = %why, "a checkout could not be written; its batch went on without it");
                return Ok(Written {
                    outcomes: vec![Outcome::Unwritable(why); batch.len()],
                    durable: Durable::now(),
                    phases: Phases::default(),
                });
            }
            let (first, second) = batch.split_at(batch.len() / 2);
            let mut a = self.write_batch(first).await?;
            let b = self.write_batch(second).await?;
            a.outcomes.extend(b.outcomes);
            a.phases.add(b.phases);
            Ok(Written {
                outcomes: a.outcomes,
                durable: a.durable.later(b.durable),
                phases: a.phases,
            })
        })
    }

    async fn try_batch(&self, batch: &[Placement]) -> Result<Written, StoreError> {
        let mut phases = Phases::start();
        let (outcomes, durable) = match &self.writer {
            WriterConn::Pool(pool) => {
                let mut tx = pool.begin().await?;
                phases.mark("begin");
                let outcomes = decide_and_write(&mut tx, batch, &mut phases).await?;
                tx.commit().await?;
                phases.mark("commit");
                (outcomes, Durable::now())
            }
            WriterConn::Sqlite(lite) => {
                let mut guard = lite.conn.lock().await;
                let conn = guard
                    .as_mut()
                    .ok_or_else(|| StoreError::Corrupt("the store is closed".into()))?;
                let mut tx = LiteTx::begin(conn)?;
                phases.mark("begin");
                let outcomes = match decide_and_write(&mut tx, batch, &mut phases).await {
                    Ok(done) => done,
                    Err(e) => {
                        tx.rollback();
                        return Err(e);
                    }
                };
                tx.commit()?;
                phases.mark("commit");
                // Even a batch that wrote nothing waits: its answers (sold out, replays) rest
                // on commits that may not be on disk yet.
                (outcomes, lite.syncer.committed())
            }
        };
        Ok(Written {
            outcomes,
            durable,
            phases,
        })
    }
}

/// Decides a batch and writes what was placed, in an open transaction; the outcomes.
async fn decide_and_write<E: Exec>(
    tx: &mut E,
    batch: &[Placement],
    phases: &mut Phases,
) -> Result<Vec<Outcome>, StoreError> {
    let decided = decide::decide(tx, batch).await?;
    phases.mark("decide");
    let placed: Vec<&Placement> = batch
        .iter()
        .zip(&decided.outcomes)
        .filter(|(_, o)| matches!(o, Outcome::Placed))
        .map(|(p, _)| p)
        .collect();
    let shared = insert::write_placed(tx, &placed, phases).await?;
    // What every batch shares comes last, in the lock order of transitions too: balances, the
    // events sequence, deals and their claims, coupon budgets and their holders, stock (each in
    // id order). On PostgreSQL a hot row is then locked only for these few statements (one
    // each, whatever the batch's size) and the commit, while other writers' inserts proceed.
    if let Some(shared) = shared {
        shared.write(tx, phases).await?;
    }
    decide::take_deals(tx, &decided).await?;
    decide::add_claims(tx, &decided).await?;
    phases.mark("take deals");
    coupons::take(tx, &decided.coupons).await?;
    coupons::hold(tx, &decided.coupons).await?;
    phases.mark("take coupons");
    crate::dialect::take_stock(tx, &decided.taken).await?;
    phases.mark("take stock");
    Ok(decided.outcomes)
}
