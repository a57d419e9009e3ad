//! Read caches for the checkout path, so pricing at festival peak reads memory, not the
//! database (docs/decisions/0004).
//!
//! Catalogue entries (variants with their product and store, shipping rules, fees and rates)
//! stay until something in the catalogue changes, not for a fixed second: every such write, on
//! any node, bumps the store's catalogue version in its own transaction, and this node rereads
//! that one number every [`CHECK_EVERY`]; when it moved, everything is dropped. A write on this
//! node drops everything at once. A second reason to reload is age ([`TTL`], a safety net).
//! Stock is the exception: it changes with every sale, so a cached stock figure counts only
//! while it is younger than [`STOCK_FRESH`] (older, checkout leaves the decision to the order
//! writer, and carts reload the entry). Tokens live two seconds at most.
//!
//! Entries read for many keys at one moment (every buyer's token at the festival's midnight)
//! would all expire at the next same moment and send every request to the database at once: a
//! herd that queues behind the readers and makes the burst's slowest checkouts. So a short-lived
//! entry lives between three quarters and all of its TTL, fixed per key ([`spread`]).
//!
//! A load that began before a drop does not store what it read (the generation check), so a
//! slow reader can never put back what a write has just replaced.

use crate::accounts::Actor;
use caravan_domain::fx::Rate;
use caravan_domain::shipping::ShippingRule;
use caravan_domain::{Currency, Locale};
use caravan_store::merchants::MerchantRecord;
use caravan_store::products::{ProductRecord, VariantRecord};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest a catalogue entry is kept without being read again.
const TTL: Duration = Duration::from_secs(30);
/// How often the store's catalogue version is reread: the most another node's catalogue write
/// can be late here (plus one short read).
pub(crate) const CHECK_EVERY: Duration = Duration::from_millis(200);
/// How long a cached stock figure may be believed.
pub(crate) const STOCK_FRESH: Duration = Duration::from_secs(1);
const TOKEN_TTL: Duration = Duration::from_secs(2);
/// Entries above this are dropped wholesale rather than evicted one by one.
const MAX_ENTRIES: usize = 100_000;

/// A variant with what pricing needs around it.
#[derive(Debug)]
pub(crate) struct VariantInfo {
    pub variant: VariantRecord,
    pub product: ProductRecord,
    pub titles: Vec<(Locale, String)>,
    pub merchant: MerchantRecord,
}

/// Whole small tables.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub fees: HashMap<String, i64>,
    pub rates: HashMap<Currency, Rate>,
    /// The festival deals checkout prices with.
    pub deals: crate::festival::live::DealTable,
    /// Stores' discounts in campaigns that have not ended.
    pub store_discounts: crate::festival::store_discounts::StoreDiscountTable,
    /// Coupons not ended, by code (definitions only: budgets are the writer's).
    pub coupons: HashMap<String, caravan_store::coupons::CouponRecord>,
    /// Pop-up promotions not withdrawn and not ended.
    pub promotions: Vec<caravan_store::promotions::PromotionRecord>,
    /// Merchants' commission rates for creators.
    pub commission: crate::connect::commission::CommissionTable,
    /// Stores' pledges to causes that have not ended.
    pub pledges: crate::charity::PledgeTable,
}

type Timed<T> = (T, Instant);

/// A generation number taken before a load; stale once anything has been dropped since.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Generation(u64);

#[derive(Default)]
pub(crate) struct Caches {
    tokens: Mutex<HashMap<String, Timed<Actor>>>,
    variants: Mutex<HashMap<String, Timed<Arc<VariantInfo>>>>,
    shipping: Mutex<HashMap<String, Timed<Arc<Vec<ShippingRule>>>>>,
    tables: Mutex<Option<Timed<Arc<Tables>>>>,
    /// Bumped by every drop of the catalogue entries.
    generation: AtomicU64,
    /// The catalogue version last read from the store, and when.
    seen: Mutex<Option<(i64, Instant)>>,
    /// A request is rereading the version now.
    checking: AtomicBool,
}

/// How long the entry of `key` lives, in the unit of `ttl`: between three quarters and all of
/// `ttl`, the same for a key every time, spread evenly across keys (a wider spread would
/// make more reads: the mean lifetime is what sets their number).
pub(crate) fn spread(key: &str, ttl: u64) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    ttl - h.finish() % (ttl / 4).max(1)
}

fn get<T: Clone>(
    map: &Mutex<HashMap<String, Timed<T>>>,
    key: &str,
    ttl: Duration,
) -> Option<(T, Duration)> {
    let map = map.lock().ok()?;
    map.get(key)
        .map(|(v, at)| (v, at.elapsed()))
        .filter(|(_, age)| *age < ttl)
        .map(|(v, age)| (v.clone(), age))
}

/// Stores `value` unless `still_wanted`, asked while the map is locked, says no.
fn put<T>(
    map: &Mutex<HashMap<String, Timed<T>>>,
    key: String,
    value: T,
    still_wanted: impl FnOnce() -> bool,
) {
    if let Ok(mut map) = map.lock() {
        if !still_wanted() {
            return;
        }
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (value, Instant::now()));
    }
}

/// Releases the version check however the request that claimed it ends.
pub(crate) struct CheckClaim<'a>(&'a Caches);

impl Drop for CheckClaim<'_> {
    fn drop(&mut self) {
        self.0.checking.store(false, Ordering::Release);
    }
}

impl CheckClaim<'_> {
    /// Records the version just read; a version other than the last one seen drops every
    /// catalogue entry.
    pub fn seen(self, version: i64) {
        let changed = match self.0.seen.lock() {
            Ok(mut seen) => {
                let changed = seen.map(|(v, _)| v) != Some(version);
                *seen = Some((version, Instant::now()));
                changed
            }
            Err(_) => true,
        };
        if changed {
            self.0.invalidate();
        }
    }
}

impl Caches {
    pub fn token(&self, hash: &str) -> Option<Actor> {
        let ms = u64::try_from(TOKEN_TTL.as_millis()).unwrap_or(u64::MAX);
        let ttl = Duration::from_millis(spread(hash, ms));
        get(&self.tokens, hash, ttl).map(|(a, _)| a)
    }

    pub fn put_token(&self, hash: String, actor: Actor) {
        put(&self.tokens, hash, actor, || true);
    }

    /// Forgets a revoked token at once.
    pub fn drop_token(&self, token_id: &str) {
        if let Ok(mut map) = self.tokens.lock() {
            map.retain(|_, (a, _)| a.token_id != token_id);
        }
    }

    /// Forgets every cached token (after a role change).
    pub fn drop_tokens(&self) {
        if let Ok(mut map) = self.tokens.lock() {
            map.clear();
        }
    }

    /// Claims the reread of the catalogue version if it is due and nobody else is at it.
    pub fn claim_check(&self) -> Option<CheckClaim<'_>> {
        let due = match self.seen.lock() {
            Ok(seen) => seen.is_none_or(|(_, at)| at.elapsed() >= CHECK_EVERY),
            Err(_) => true,
        };
        if !due || self.checking.swap(true, Ordering::AcqRel) {
            return None;
        }
        Some(CheckClaim(self))
    }

    /// Taken before reading what will be put, and handed to the `put_…` call.
    pub fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::Acquire))
    }

    /// A variant and how long ago it was read.
    pub fn variant(&self, id: &str) -> Option<(Arc<VariantInfo>, Duration)> {
        get(&self.variants, id, TTL)
    }

    /// Forgets one variant (the order writer found less stock than it showed).
    pub fn forget_variant(&self, id: &str) {
        if let Ok(mut map) = self.variants.lock() {
            map.remove(id);
        }
    }

    pub fn put_variant(&self, info: Arc<VariantInfo>, since: Generation) {
        self.put_current(&self.variants, info.variant.id.clone(), info, since);
    }

    pub fn shipping(&self, merchant: &str) -> Option<Arc<Vec<ShippingRule>>> {
        get(&self.shipping, merchant, TTL).map(|(r, _)| r)
    }

    pub fn put_shipping(&self, merchant: String, rules: Arc<Vec<ShippingRule>>, since: Generation) {
        self.put_current(&self.shipping, merchant, rules, since);
    }

    pub fn tables(&self) -> Option<Arc<Tables>> {
        let t = self.tables.lock().ok()?;
        t.as_ref()
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(v, _)| v.clone())
    }

    pub fn put_tables(&self, tables: Arc<Tables>, since: Generation) {
        if let Ok(mut t) = self.tables.lock() {
            if self.is_current(since) {
                *t = Some((tables, Instant::now()));
            }
        }
    }

    /// `invalidate` bumps the generation before it clears any map, and each map is cleared
    /// under its lock; checking the generation under the same lock as the insert therefore
    /// either sees the bump or inserts before the clear.
    fn is_current(&self, since: Generation) -> bool {
        self.generation.load(Ordering::Acquire) == since.0
    }

    fn put_current<T>(
        &self,
        map: &Mutex<HashMap<String, Timed<T>>>,
        key: String,
        value: T,
        since: Generation,
    ) {
        put(map, key, value, || self.is_current(since));
    }

    /// Drops every catalogue entry (after any catalogue, rate, fee or shipping write, here or,
    /// seen through the version, on another node).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut m) = self.variants.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.shipping.lock() {
            m.clear();
        }
        if let Ok(mut t) = self.tables.lock() {
            *t = None;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    fn rules() -> Arc<Vec<ShippingRule>> {
        Arc::new(Vec::new())
    }

    /// A load that began before a drop must not put back what it read.
    #[test]
    fn a_load_begun_before_a_drop_is_not_kept() {
        let c = Caches::default();
        let before = c.generation();
        c.invalidate();
        c.put_shipping("mer_a".into(), rules(), before);
        c.put_tables(Arc::new(Tables::default()), before);
        assert!(c.shipping("mer_a").is_none());
        assert!(c.tables().is_none());
        let after = c.generation();
        c.put_shipping("mer_a".into(), rules(), after);
        c.put_tables(Arc::new(Tables::default()), after);
        assert!(c.shipping("mer_a").is_some());
        assert!(c.tables().is_some());
    }

    /// One request at a time rereads the version, at most every CHECK_EVERY; a new version drops
    /// the catalogue entries, the same version keeps them.
    #[test]
    fn the_version_check_is_claimed_once_and_a_new_version_drops_entries() {
        let c = Caches::default();
        let first = c.claim_check().unwrap();
        assert!(c.claim_check().is_none(), "one check at a time");
        first.seen(7);
        assert!(c.claim_check().is_none(), "not due yet");
        c.put_shipping("mer_a".into(), rules(), c.generation());

        *c.seen.lock().unwrap() = Some((7, Instant::now() - CHECK_EVERY));
        c.claim_check().unwrap().seen(7);
        assert!(c.shipping("mer_a").is_some(), "same version: kept");

        *c.seen.lock().unwrap() = Some((7, Instant::now() - CHECK_EVERY));
        c.claim_check().unwrap().seen(8);
        assert!(c.shipping("mer_a").is_none(), "new version: dropped");

        // A claim dropped without an answer (the read failed or the request went away) frees
        // the check for the next request.
        *c.seen.lock().unwrap() = Some((8, Instant::now() - CHECK_EVERY));
        drop(c.claim_check().unwrap());
        assert!(c.claim_check().is_some());
    }

    #[test]
    fn lifetimes_spread_across_keys_within_the_ttl() {
        let ttls: Vec<u64> = (0..1000)
            .map(|i| spread(&format!("buyer-{i}"), 2000))
            .collect();
        assert!(ttls.iter().all(|t| (1500..=2000).contains(t)), "{ttls:?}");
        let early = ttls.iter().filter(|t| **t < 1625).count();
        let late = ttls.iter().filter(|t| **t > 1875).count();
        assert!(
            early > 150 && late > 150,
            "spread evenly: {early} early, {late} late"
        );
        assert_eq!(
            spread("buyer-1", 2000),
            ttls[1],
            "the same for a key every time"
        );
    }
}
