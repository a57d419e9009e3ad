//! Coupon budgets in the order writer's batch, decided like stock: first come, first served, a
//! use per checkout and its money against each coupon's budget, and a use against each buyer's
//! limit (and their having collected it, where the coupon asks for that). Then one guarded
//! update per coupon for the whole batch — a platform coupon every order of a burst uses is one
//! statement per batch, not a hot row per order — and one per (coupon, buyer).

use super::records::{Outcome, Placement};
use crate::dialect::{in_keys, rows_by_pairs};
use crate::exec::{Cell, Exec, Kind};
use crate::sql::{in_list, Sql, Val};
use crate::StoreError;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A coupon's budget as the batch sees it.
#[derive(Debug, Clone, Copy)]
struct Budget {
    uses: Option<i64>,
    used_uses: i64,
    money: Option<i64>,
    used_minor: i64,
    per_buyer: i64,
    collect: bool,
}

/// One buyer's standing with one coupon.
#[derive(Debug, Clone, Copy, Default)]
struct Holder {
    collected: bool,
    used: i64,
}

/// The batch's coupons: budgets, holders, and what the placed checkouts took.
#[derive(Debug, Default)]
pub(super) struct Coupons {
    budgets: HashMap<String, Budget>,
    holders: HashMap<(String, String), Holder>,
    /// Per coupon: uses and money taken by the batch.
    pub taken: BTreeMap<String, (i64, i64)>,
    /// Per (coupon, buyer): uses taken, and the coupon's per-buyer limit.
    pub held: BTreeMap<(String, String), (i64, i64)>,
}

/// What one checkout uses of each coupon: its money, summed over its orders.
fn wanted(p: &Placement) -> BTreeMap<&str, i64> {
    let mut want = BTreeMap::new();
    for c in &p.coupons {
        *want.entry(c.coupon_id.as_str()).or_default() += c.amount_minor;
    }
    want
}

/// Each buyer's standing with each coupon they use, by (coupon, buyer): only the pairs the
/// placements name, looked up by the key (an `IN` list on each column would read every holder
/// of a coupon the whole festival holds).
async fn holders_of<E: Exec>(
    tx: &mut E,
    open: &[&Placement],
) -> Result<HashMap<(String, String), Holder>, StoreError> {
    let pairs: BTreeSet<(&str, &str)> = open
        .iter()
        .flat_map(|p| {
            let buyer = p.group.buyer_id.as_str();
            p.coupons.iter().map(move |c| (c.coupon_id.as_str(), buyer))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    let key = ("coupon_id", "buyer_id");
    let columns = "COALESCE(t.collected_at, -1), t.used";
    let kinds = [Kind::Int, Kind::Int];
    let rows = rows_by_pairs(tx, "coupon_holders", key, columns, &kinds, &pairs).await?;
    let mut holders = HashMap::new();
    for row in rows {
        let mut cells = row.into_iter();
        let mut next = || cells.next().unwrap_or(Cell::Null);
        let key = (next().text()?, next().text()?);
        let holder = Holder {
            collected: next().int()? >= 0,
            used: next().int()?,
        };
        holders.insert(key, holder);
    }
    Ok(holders)
}

impl Coupons {
    /// Reads the budgets of the coupons the undecided placements use, and their buyers' uses.
    pub async fn read<E: Exec>(tx: &mut E, open: &[&Placement]) -> Result<Coupons, StoreError> {
        let ids: BTreeSet<&str> = open
            .iter()
            .flat_map(|p| p.coupons.iter().map(|c| c.coupon_id.as_str()))
            .collect();
        let mut c = Coupons::default();
        if ids.is_empty() {
            return Ok(c);
        }
        let mut sql = Sql::positional(tx.positional());
        let list = in_keys(&mut sql, ids.iter().copied());
        sql.push(&format!(
            "SELECT id, COALESCE(budget_uses, -1), used_uses, COALESCE(budget_minor, -1), used_minor, per_buyer, collect \
             FROM coupons WHERE id {list}"
        ));
        use Kind::{Int, Text};
        let kinds = [Text, Int, Int, Int, Int, Int, Int];
        for row in tx.fetch(&sql.text, &sql.binds, &kinds, sql.fixed()).await? {
            let mut cells = row.into_iter();
            let mut next = || cells.next().unwrap_or(Cell::Null);
            let id = next().text()?;
            let limit = |v: i64| (v >= 0).then_some(v);
            let (uses, used_uses) = (limit(next().int()?), next().int()?);
            let (money, used_minor) = (limit(next().int()?), next().int()?);
            let (per_buyer, collect) = (next().int()?, next().int()? == 1);
            let b = Budget {
                uses,
                used_uses,
                money,
                used_minor,
                per_buyer,
                collect,
            };
            c.budgets.insert(id, b);
        }
        c.holders = holders_of(tx, open).await?;
        Ok(c)
    }

    /// Why `p` cannot have its coupons now, if it cannot.
    pub fn refusal(&self, p: &Placement) -> Option<Outcome> {
        let buyer = p.group.buyer_id.as_str();
        for (id, money) in wanted(p) {
            let Some(b) = self.budgets.get(id) else {
                return Some(Outcome::CouponExhausted(id.to_owned()));
            };
            // The buyer's own standing first: it says what they can do about it.
            let h = self
                .holders
                .get(&(id.to_owned(), buyer.to_owned()))
                .copied()
                .unwrap_or_default();
            if b.collect && !h.collected {
                return Some(Outcome::CouponNotCollected(id.to_owned()));
            }
            if h.used + 1 > b.per_buyer {
                return Some(Outcome::CouponLimit(id.to_owned()));
            }
            let over_uses = b.uses.is_some_and(|u| b.used_uses + 1 > u);
            let over_money = b.money.is_some_and(|m| b.used_minor + money > m);
            if over_uses || over_money {
                return Some(Outcome::CouponExhausted(id.to_owned()));
            }
        }
        None
    }

    /// Takes `p`'s coupons (after [`Coupons::refusal`] said nothing).
    pub fn take(&mut self, p: &Placement) {
        let buyer = p.group.buyer_id.as_str();
        for (id, money) in wanted(p) {
            let per_buyer = match self.budgets.get_mut(id) {
                Some(b) => {
                    b.used_uses += 1;
                    b.used_minor += money;
                    b.per_buyer
                }
                None => continue,
            };
            let key = (id.to_owned(), buyer.to_owned());
            self.holders.entry(key.clone()).or_default().used += 1;
            let t = self.taken.entry(id.to_owned()).or_default();
            t.0 += 1;
            t.1 += money;
            let held = self.held.entry(key).or_insert((0, per_buyer));
            held.0 += 1;
        }
    }
}

/// The batch's coupon budgets, guarded: each coupon's budget is checked again by the statement
/// itself, and another node that spent it in between makes the batch `Stale` (decided again).
/// They lock hot rows (a platform coupon every order uses): the writer runs them last.
pub(super) async fn take<E: Exec>(tx: &mut E, c: &Coupons) -> Result<(), StoreError> {
    let rows: Vec<(&str, [i64; 2])> = c
        .taken
        .iter()
        .map(|(id, (uses, money))| (id.as_str(), [*uses, *money]))
        .collect();
    crate::dialect::take_coupons(tx, &rows).await
}

/// The batch's uses per (coupon, buyer), in one guarded upsert: a buyer's limit is checked
/// again by the statement, and another node's use in between makes the batch `Stale`.
pub(super) async fn hold<E: Exec>(tx: &mut E, c: &Coupons) -> Result<(), StoreError> {
    const GUARD: &str = " ON CONFLICT (coupon_id, buyer_id) DO UPDATE SET used = coupon_holders.used + excluded.used \
         WHERE coupon_holders.used + excluded.used <= (SELECT per_buyer FROM coupons WHERE coupons.id = excluded.coupon_id)";
    let rows: Vec<Vec<Val>> = c
        .held
        .iter()
        .map(|((coupon, buyer), (uses, limit))| {
            debug_assert!(uses <= limit, "a use was decided within the buyer's limit");
            vec![coupon.into(), buyer.into(), Val::Int(*uses)]
        })
        .collect();
    let cols = ["coupon_id", "buyer_id", "used"];
    crate::dialect::upsert_guarded(tx, "coupon_holders", &cols, &rows, GUARD).await
}

/// What cancelled orders give back to their coupons: the money each used, and — once no order of
/// its checkout that used the coupon stands any more — the checkout's use, to the budget and to
/// the buyer (a collected coupon can be used again). The orders' new status is already written.
pub(crate) async fn give_back<E: Exec>(tx: &mut E, cancelled: &[&str]) -> Result<(), StoreError> {
    if cancelled.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::positional(tx.positional());
    let list = in_list(&mut sql, cancelled.iter().map(|o| Val::from(*o)));
    sql.push(&format!(
        "SELECT oc.coupon_id, oc.group_id, oc.amount_minor, g.buyer_id FROM order_coupons oc \
         JOIN order_groups g ON g.id = oc.group_id WHERE oc.order_id IN ({list})"
    ));
    use Kind::{Int, Text};
    let mut money: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut checkouts: BTreeSet<(String, String, String)> = BTreeSet::new();
    for row in tx
        .fetch(&sql.text, &sql.binds, &[Text, Text, Int, Text], false)
        .await?
    {
        let mut cells = row.into_iter();
        let mut next = || cells.next().unwrap_or(Cell::Null);
        let (coupon, group, amount, buyer) = (
            next().text()?,
            next().text()?,
            next().int()?,
            next().text()?,
        );
        money.entry(coupon.clone()).or_default().1 += amount;
        checkouts.insert((coupon, group, buyer));
    }
    let mut buyers: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (coupon, group, buyer) in checkouts {
        let standing = tx
            .fetch(
                "SELECT COUNT(*) FROM order_coupons oc JOIN orders o ON o.id = oc.order_id \
                 WHERE oc.group_id = $1 AND oc.coupon_id = $2 AND o.status <> 'cancelled'",
                &[Val::from(group.as_str()), Val::from(coupon.as_str())],
                &[Int],
                false,
            )
            .await?;
        let left = standing
            .into_iter()
            .flatten()
            .next()
            .map_or(Ok(0), |c| c.int())?;
        if left == 0 {
            money.entry(coupon.clone()).or_default().0 += 1;
            *buyers.entry((coupon, buyer)).or_default() += 1;
        }
    }
    for (id, (uses, minor)) in money {
        tx.execute(
            "UPDATE coupons SET used_uses = used_uses - $1, used_minor = used_minor - $2 \
             WHERE id = $3 AND used_uses >= $1 AND used_minor >= $2",
            &[Val::Int(uses), Val::Int(minor), id.into()],
            true,
        )
        .await?;
    }
    for ((coupon, buyer), uses) in buyers {
        tx.execute(
            "UPDATE coupon_holders SET used = used - $1 WHERE coupon_id = $2 AND buyer_id = $3 AND used >= $1",
            &[Val::Int(uses), coupon.into(), buyer.into()],
            true,
        )
        .await?;
    }
    Ok(())
}
