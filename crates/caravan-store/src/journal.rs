//! What every money-moving or state-changing transaction appends: ledger postings (with running
//! balances) and outbox events. Used inside transactions opened by other store modules.

use crate::dialect::insert_rows;
use crate::exec::{Exec, Kind};
use crate::sql::Val;
use crate::{Store, StoreError};
use caravan_domain::ledger::{check_balanced, Posting};
use std::collections::BTreeMap;

/// One ledger transaction to record.
#[derive(Debug, Clone)]
pub struct LedgerTx {
    /// `ltx_…`.
    pub id: String,
    /// payment, release, refund, payout…
    pub kind: String,
    /// What it is about (an order or payout id).
    pub reference: String,
    /// The legs; must balance per currency.
    pub postings: Vec<Posting>,
}

/// One outbox event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// e.g. `order.placed`.
    pub kind: String,
    /// The id it is about.
    pub subject: String,
    /// JSON payload.
    pub payload: String,
}

/// A stored event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    /// Gap-free, commit-ordered sequence number.
    pub seq: i64,
    /// Kind.
    pub kind: String,
    /// Subject id.
    pub subject: String,
    /// JSON payload.
    pub payload: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// The event that tells followers (the search indexer) that something changed; they reread it.
pub(crate) fn changed(kind: &str, subject: &str) -> NewEvent {
    NewEvent {
        kind: kind.to_owned(),
        subject: subject.to_owned(),
        payload: "{}".to_owned(),
    }
}

/// Takes the write lock first in a transaction that reads before it writes. On SQLite a
/// transaction that read, then writes after another connection committed, fails at once
/// (`SQLITE_BUSY_SNAPSHOT`; the busy timeout does not apply); writing first makes it wait its
/// turn instead. On PostgreSQL it locks the events row the transaction appends to anyway.
pub(crate) async fn write_first(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sequences SET value = value WHERE name = 'events'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends events, numbering them from the `events` sequence row (locked until commit, so
/// numbers follow commit order).
pub(crate) async fn append_events<E: Exec>(
    tx: &mut E,
    events: &[NewEvent],
    now: i64,
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let end = tx
        .fetch(
            "UPDATE sequences SET value = value + $1 WHERE name = 'events' RETURNING value",
            &[Val::Int(n)],
            &[Kind::Int],
            true,
        )
        .await?
        .first()
        .and_then(|row| row.first())
        .ok_or_else(|| StoreError::Corrupt("the events sequence row is missing".into()))?
        .int()?;
    let rows: Vec<Vec<Val>> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let seq = end - n + 1 + i64::try_from(i).unwrap_or(0);
            vec![
                seq.into(),
                (&e.kind).into(),
                (&e.subject).into(),
                (&e.payload).into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "events",
        &["seq", "kind", "subject", "payload", "created_at"],
        &rows,
    )
    .await?;
    // After the events row, always in this order, so two writers never lock them crosswise.
    if events.iter().any(|e| e.kind.ends_with(CATALOGUE_SUFFIX)) {
        tx.execute(
            "UPDATE sequences SET value = value + 1 WHERE name = 'catalogue'",
            &[],
            true,
        )
        .await?;
    }
    Ok(())
}

/// Events whose kind ends so (`product.changed`, `merchant.changed`, `rates.changed`,
/// `category.changed`) change what checkout prices with: they bump the catalogue version.
const CATALOGUE_SUFFIX: &str = ".changed";

impl Store {
    /// The catalogue version: it moves with every write that changes prices, stock levels set
    /// by merchants, publication, stores, shipping rules, rates or fees (not with sales).
    pub async fn catalogue_version(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM sequences WHERE name = 'catalogue'")
                .fetch_optional(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }
}

/// Account prefix whose balances may never go below zero (merchant payables).
const GUARDED_PREFIX: &str = "merchant:";

/// The ledger kind of a creator's payout: it may not take the creator's balance below zero
/// (a clawback may; a payout never overdraws).
pub const CREATOR_PAYOUT: &str = "creator_payout";

/// The ledger kind of a remittance to a cause's partner: it may not take the cause's money
/// below zero (a refund after completion may).
pub const CHARITY_REMITTANCE: &str = "charity_remittance";

/// Whether a debit of `account` must leave it at zero or above, given the batch's transactions.
fn guarded(account: &str, ledger: &[LedgerTx]) -> bool {
    let paid_out_by = |kind: &str| {
        ledger
            .iter()
            .any(|l| l.kind == kind && l.postings.iter().any(|p| p.account == account))
    };
    account.starts_with(GUARDED_PREFIX)
        || (account.starts_with("creator:") && paid_out_by(CREATOR_PAYOUT))
        || (account.starts_with("charity:") && paid_out_by(CHARITY_REMITTANCE))
}

/// Records ledger transactions and moves the running balances. A debit that would take a
/// merchant's payable below zero, or a payout a creator's balance, fails the whole transaction
/// with `Insufficient`.
pub(crate) async fn post_ledger<E: Exec>(
    tx: &mut E,
    ledger: &[LedgerTx],
    now: i64,
) -> Result<(), StoreError> {
    let moves = record_ledger(tx, ledger, now).await?;
    move_balances(tx, &moves).await
}

/// What a set of ledger transactions does to the running balances: per (account, currency),
/// in key order (the lock order on PostgreSQL), the net change and whether a debit of it is
/// guarded.
pub(crate) struct Moves(Vec<(String, String, i64, bool)>);

/// Records ledger transactions and their entries (new rows only, no shared row locked); what
/// they do to the balances, for [`move_balances`].
pub(crate) async fn record_ledger<E: Exec>(
    tx: &mut E,
    ledger: &[LedgerTx],
    now: i64,
) -> Result<Moves, StoreError> {
    if ledger.is_empty() {
        return Ok(Moves(Vec::new()));
    }
    let mut txs = Vec::with_capacity(ledger.len());
    let mut entries = Vec::new();
    let mut deltas: BTreeMap<(String, String), i64> = BTreeMap::new();
    for l in ledger {
        check_balanced(&l.postings).map_err(|e| StoreError::Corrupt(e.message))?;
        txs.push(vec![
            (&l.id).into(),
            (&l.kind).into(),
            (&l.reference).into(),
            now.into(),
        ]);
        for (i, p) in l.postings.iter().enumerate() {
            let currency = p.amount.currency().code().to_owned();
            entries.push(vec![
                (&l.id).into(),
                Val::Int(i64::try_from(i).unwrap_or(0)),
                (&p.account).into(),
                currency.clone().into(),
                p.amount.minor().into(),
            ]);
            *deltas.entry((p.account.clone(), currency)).or_default() += p.amount.minor();
        }
    }
    insert_rows(
        tx,
        "ledger_transactions",
        &["id", "kind", "reference", "created_at"],
        &txs,
    )
    .await?;
    insert_rows(
        tx,
        "ledger_entries",
        &["tx_id", "position", "account", "currency", "amount_minor"],
        &entries,
    )
    .await?;
    Ok(Moves(
        deltas
            .into_iter()
            .filter(|(_, delta)| *delta != 0)
            .map(|((account, currency), delta)| {
                let guard = delta < 0 && guarded(&account, ledger);
                (account, currency, delta, guard)
            })
            .collect(),
    ))
}

/// Moves the running balances: one guarded update per guarded debit (`Insufficient` if it
/// would go below zero), every other change in one multi-row upsert. These rows are shared
/// (escrow, the platform's accounts): on PostgreSQL they stay locked until the commit.
pub(crate) async fn move_balances<E: Exec>(tx: &mut E, moves: &Moves) -> Result<(), StoreError> {
    let mut credits: Vec<Vec<Val>> = Vec::new();
    for (account, currency, delta, guard) in &moves.0 {
        if !*guard {
            credits.push(vec![account.into(), currency.into(), Val::Int(*delta)]);
            continue;
        }
        let done = tx
            .execute(
                "UPDATE balances SET balance_minor = balance_minor + $1 \
                 WHERE account = $2 AND currency = $3 AND balance_minor + $1 >= 0",
                &[Val::Int(*delta), account.into(), currency.into()],
                true,
            )
            .await?;
        if done != 1 {
            return Err(StoreError::Insufficient);
        }
    }
    crate::dialect::add_to_balances(tx, &credits).await
}
