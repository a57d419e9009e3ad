//! Deciding a batch before anything is written: which placements repeat a stored or an earlier
//! key of the batch, and which get stock, first come, first served.

use super::records::{Outcome, Placement};
use crate::exec::{Cell, Exec, Kind};
use crate::idempotency::stored_answers;
use crate::sql::{in_list, Sql, Val};
use crate::StoreError;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A decided batch: one outcome per placement, and the units to take per SKU (sorted by SKU
/// id, the lock order of every writer).
pub(super) struct Decided {
    pub outcomes: Vec<Outcome>,
    pub taken: Vec<(String, i64)>,
}

/// Decides every placement of `batch`, in arrival order.
pub(super) async fn decide<E: Exec>(
    tx: &mut E,
    batch: &[Placement],
) -> Result<Decided, StoreError> {
    let mut outcomes = repeats(tx, batch).await?;
    let variants: HashSet<&str> = batch
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.is_none())
        .flat_map(|(p, _)| p.lines.iter().map(|l| l.variant_id.as_str()))
        .collect();
    let mut stock = stock_of(tx, &variants).await?;
    let mut taken: BTreeMap<String, i64> = BTreeMap::new();
    for (p, outcome) in batch.iter().zip(outcomes.iter_mut()) {
        if outcome.is_none() {
            *outcome = Some(allocate(p, &mut stock, &mut taken));
        }
    }
    Ok(Decided {
        outcomes: outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::InFlight))
            .collect(),
        taken: taken.into_iter().collect(),
    })
}

/// Placements whose key was stored before (the stored answer, or `KeyReused` for another
/// body), or appears earlier in this batch (`InFlight`); `None` for the fresh ones.
async fn repeats<E: Exec>(
    tx: &mut E,
    batch: &[Placement],
) -> Result<Vec<Option<Outcome>>, StoreError> {
    let keys: Vec<(&str, &str)> = batch
        .iter()
        .map(|p| (p.answer.scope.as_str(), p.answer.key.as_str()))
        .collect();
    let known = stored_answers(tx, &keys).await?;
    let mut in_batch = HashSet::new();
    Ok(batch
        .iter()
        .zip(&keys)
        .map(|(p, key)| {
            let stored = known.get(&(key.0.to_owned(), key.1.to_owned()));
            match stored {
                Some(k) if k.request_hash == p.answer.request_hash => {
                    Some(Outcome::Replay(k.status, k.response.clone()))
                }
                Some(_) => Some(Outcome::KeyReused),
                None if !in_batch.insert(*key) => Some(Outcome::InFlight),
                None => None,
            }
        })
        .collect())
}

/// The stock of `variants`, read once for the batch.
async fn stock_of<E: Exec>(
    tx: &mut E,
    variants: &HashSet<&str>,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut stock = HashMap::new();
    if variants.is_empty() {
        return Ok(stock);
    }
    let mut sql = Sql::positional(tx.positional());
    let list = in_list(&mut sql, variants.iter().map(|v| Val::from(*v)));
    sql.push(&format!(
        "SELECT id, stock FROM variants WHERE id IN ({list})"
    ));
    for row in tx
        .fetch(&sql.text, &sql.binds, &[Kind::Text, Kind::Int], false)
        .await?
    {
        let mut cells = row.into_iter();
        let id = cells.next().unwrap_or(Cell::Null).text()?;
        let n = cells.next().unwrap_or(Cell::Null).int()?;
        stock.insert(id, n);
    }
    Ok(stock)
}

/// Places `p` if what is left of `stock` covers every line (and takes it), else `SoldOut`
/// naming the first SKU short.
fn allocate(
    p: &Placement,
    stock: &mut HashMap<String, i64>,
    taken: &mut BTreeMap<String, i64>,
) -> Outcome {
    let mut want: BTreeMap<&str, i64> = BTreeMap::new();
    for l in &p.lines {
        *want.entry(l.variant_id.as_str()).or_default() += l.quantity;
    }
    let short = want
        .iter()
        .find(|(v, q)| stock.get(**v).copied().unwrap_or(0) < **q);
    if let Some((v, _)) = short {
        return Outcome::SoldOut((*v).to_owned());
    }
    for (v, q) in want {
        if let Some(s) = stock.get_mut(v) {
            *s -= q;
        }
        *taken.entry(v.to_owned()).or_default() += q;
    }
    Outcome::Placed
}
