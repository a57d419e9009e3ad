//! Deciding a batch before anything is written: which placements repeat a stored or an earlier
//! key of the batch, and which get stock and their deals' units (within each deal's cap and
//! each buyer's limit), first come, first served. Then, after the inserts, the deals' guarded
//! increments (`take_deals`).

use super::coupons::Coupons;
use super::records::{Outcome, Placement};
use crate::dialect::{in_keys, rows_by_pairs};
use crate::exec::{Cell, Exec, Kind};
use crate::idempotency::stored_answers;
use crate::sql::{Sql, Val};
use crate::StoreError;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A decided batch: one outcome per placement, the units to take per SKU (sorted by SKU id, the
/// lock order of every writer), and per deal the units claimed and per (deal, buyer) the units
/// each buyer claimed with that buyer's limit.
pub(super) struct Decided {
    pub outcomes: Vec<Outcome>,
    pub taken: Vec<(String, i64)>,
    pub deals: Vec<(String, i64)>,
    pub claims: Vec<((String, String), (i64, i64))>,
    pub coupons: Coupons,
}

/// A deal as the writer sees it: its cap, what was claimed, the per-buyer limit; and what each
/// buyer of the batch has claimed so far.
#[derive(Default)]
struct Deals {
    state: HashMap<String, (i64, i64, i64)>,
    by_buyer: HashMap<(String, String), i64>,
    taken: BTreeMap<String, i64>,
    claimed: BTreeMap<(String, String), i64>,
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
    let mut deals = deals_of(tx, batch, &outcomes).await?;
    let open: Vec<&Placement> = batch
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.is_none())
        .map(|(p, _)| p)
        .collect();
    let mut coupons = Coupons::read(tx, &open).await?;
    let mut taken: BTreeMap<String, i64> = BTreeMap::new();
    for (p, outcome) in batch.iter().zip(outcomes.iter_mut()) {
        if outcome.is_none() {
            let mut limits = Limits {
                deals: &mut deals,
                coupons: &mut coupons,
            };
            *outcome = Some(allocate(p, &mut stock, &mut taken, &mut limits));
        }
    }
    let claims = deals
        .claimed
        .into_iter()
        .map(|(k, units)| {
            let limit = deals.state.get(&k.0).map_or(0, |s| s.2);
            (k, (units, limit))
        })
        .collect();
    Ok(Decided {
        outcomes: outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::InFlight))
            .collect(),
        taken: taken.into_iter().collect(),
        deals: deals.taken.into_iter().collect(),
        claims,
        coupons,
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
    let ids = in_keys(&mut sql, variants.iter().copied());
    sql.push(&format!("SELECT id, stock FROM variants WHERE id {ids}"));
    for row in tx
        .fetch(&sql.text, &sql.binds, &[Kind::Text, Kind::Int], sql.fixed())
        .await?
    {
        let mut cells = row.into_iter();
        let id = cells.next().unwrap_or(Cell::Null).text()?;
        let n = cells.next().unwrap_or(Cell::Null).int()?;
        stock.insert(id, n);
    }
    Ok(stock)
}

/// The limits other than stock that a placement must fit: deal caps and per-buyer limits,
/// coupon budgets and per-buyer uses.
struct Limits<'a> {
    deals: &'a mut Deals,
    coupons: &'a mut Coupons,
}

/// Places `p` if what is left of `stock` covers every line, and its deals and coupons fit their
/// caps, budgets and its buyer's limits (and takes them all), else says which ran short.
fn allocate(
    p: &Placement,
    stock: &mut HashMap<String, i64>,
    taken: &mut BTreeMap<String, i64>,
    limits: &mut Limits<'_>,
) -> Outcome {
    let mut want: BTreeMap<&str, i64> = BTreeMap::new();
    let mut want_deals: BTreeMap<&str, i64> = BTreeMap::new();
    for l in &p.lines {
        *want.entry(l.variant_id.as_str()).or_default() += l.quantity;
        if let Some(d) = &l.deal_id {
            *want_deals.entry(d.as_str()).or_default() += l.quantity;
        }
    }
    let short = want
        .iter()
        .find(|(v, q)| stock.get(**v).copied().unwrap_or(0) < **q);
    if let Some((v, _)) = short {
        return Outcome::SoldOut((*v).to_owned());
    }
    let buyer = p.group.buyer_id.as_str();
    if let Some(refused) = limits.deals.refusal(&want_deals, buyer) {
        return refused;
    }
    if let Some(refused) = limits.coupons.refusal(p) {
        return refused;
    }
    for (v, q) in want {
        if let Some(s) = stock.get_mut(v) {
            *s -= q;
        }
        *taken.entry(v.to_owned()).or_default() += q;
    }
    limits.deals.take(&want_deals, buyer);
    limits.coupons.take(p);
    Outcome::Placed
}

impl Deals {
    /// Why the buyer cannot have these deal units now, if they cannot.
    fn refusal(&self, want: &BTreeMap<&str, i64>, buyer: &str) -> Option<Outcome> {
        for (d, q) in want {
            let Some((cap, claimed, per_buyer)) = self.state.get(*d) else {
                return Some(Outcome::DealSoldOut((*d).to_owned()));
            };
            if claimed + q > *cap {
                return Some(Outcome::DealSoldOut((*d).to_owned()));
            }
            let had = self
                .by_buyer
                .get(&((*d).to_owned(), buyer.to_owned()))
                .copied()
                .unwrap_or(0);
            if had + q > *per_buyer {
                return Some(Outcome::DealLimit((*d).to_owned()));
            }
        }
        None
    }

    fn take(&mut self, want: &BTreeMap<&str, i64>, buyer: &str) {
        for (d, q) in want {
            if let Some(s) = self.state.get_mut(*d) {
                s.1 += q;
            }
            let key = ((*d).to_owned(), buyer.to_owned());
            *self.by_buyer.entry(key.clone()).or_default() += q;
            *self.claimed.entry(key).or_default() += q;
            *self.taken.entry((*d).to_owned()).or_default() += q;
        }
    }
}

/// The approved deals named by the undecided placements, and what their buyers claimed so far.
async fn deals_of<E: Exec>(
    tx: &mut E,
    batch: &[Placement],
    outcomes: &[Option<Outcome>],
) -> Result<Deals, StoreError> {
    let open = || batch.iter().zip(outcomes).filter(|(_, o)| o.is_none());
    let ids: BTreeSet<&str> = open()
        .flat_map(|(p, _)| p.lines.iter().filter_map(|l| l.deal_id.as_deref()))
        .collect();
    let mut deals = Deals::default();
    if ids.is_empty() {
        return Ok(deals);
    }
    let mut sql = Sql::positional(tx.positional());
    let ids = in_keys(&mut sql, ids.iter().copied());
    sql.push(&format!(
        "SELECT id, cap, claimed, per_buyer FROM deals WHERE status = 'approved' AND id {ids}"
    ));
    use Kind::{Int, Text};
    for row in tx
        .fetch(&sql.text, &sql.binds, &[Text, Int, Int, Int], sql.fixed())
        .await?
    {
        let mut c = row.into_iter();
        let mut next = || c.next().unwrap_or(Cell::Null);
        let id = next().text()?;
        let (cap, claimed, per_buyer) = (next().int()?, next().int()?, next().int()?);
        deals.state.insert(id, (cap, claimed, per_buyer));
    }
    deals.by_buyer = claims_of(tx, open().map(|(p, _)| p)).await?;
    Ok(deals)
}

/// What each buyer of `placements` has claimed of each deal they name, by (deal, buyer).
async fn claims_of<'a, E: Exec>(
    tx: &mut E,
    placements: impl Iterator<Item = &'a Placement>,
) -> Result<HashMap<(String, String), i64>, StoreError> {
    // Each (deal, buyer) pair the batch names, looked up by the key: not every deal of the
    // batch for every buyer of it (an IN list on each column probes their product).
    let pairs: BTreeSet<(&str, &str)> = placements
        .flat_map(|p| {
            let buyer = p.group.buyer_id.as_str();
            p.lines
                .iter()
                .filter_map(move |l| l.deal_id.as_deref().map(|d| (d, buyer)))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    let key = ("deal_id", "buyer_id");
    let rows = rows_by_pairs(tx, "deal_claims", key, "t.units", &[Kind::Int], &pairs).await?;
    let mut claims = HashMap::new();
    for row in rows {
        let mut c = row.into_iter();
        let mut next = || c.next().unwrap_or(Cell::Null);
        let key = (next().text()?, next().text()?);
        claims.insert(key, next().int()?);
    }
    Ok(claims)
}

/// The deals' guarded increments for the batch, in deal id order (they lock hot rows: the
/// writer runs them last).
pub(super) async fn take_deals<E: Exec>(tx: &mut E, d: &Decided) -> Result<(), StoreError> {
    crate::dialect::take_deals(tx, &d.deals).await
}

/// Adds each buyer's units to their claims on the batch's deals, in one guarded upsert: a
/// claim that another node took past the buyer's limit in between makes the batch `Stale`.
pub(super) async fn add_claims<E: Exec>(tx: &mut E, d: &Decided) -> Result<(), StoreError> {
    const GUARD: &str = " ON CONFLICT (deal_id, buyer_id) DO UPDATE SET units = deal_claims.units + excluded.units \
         WHERE deal_claims.units + excluded.units <= (SELECT per_buyer FROM deals WHERE deals.id = excluded.deal_id)";
    let rows: Vec<Vec<Val>> = d
        .claims
        .iter()
        .map(|((deal, buyer), (units, limit))| {
            debug_assert!(units <= limit, "a claim was decided within its limit");
            vec![deal.into(), buyer.into(), Val::Int(*units)]
        })
        .collect();
    let cols = ["deal_id", "buyer_id", "units"];
    crate::dialect::upsert_guarded(tx, "deal_claims", &cols, &rows, GUARD).await
}
