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
//! entry lives between three quarters and all of its TTL, fixed per key ([`spread`]). An entry
//! every request uses (the hot SKU, the fee table) has no other keys to spread across: when it
//! reaches its TTL, one request reads it again and the others keep the old one meanwhile
//! ([`Timed::fresh_or_claim`]); at the festival every checkout in flight used to reread it at
//! once, and no order reached the writer for half a second.
//!
//! A load that began before a drop does not store what it read (the generation check), so a
//! slow reader can never put back what a write has just replaced.

use crate::accounts::Actor;
use crate::catalogue::ProductSummary;
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
/// How long past its TTL a catalogue entry is still handed out while one request reloads it.
const GRACE: Duration = Duration::from_secs(5);
/// A reload not put back within this (its request failed or was dropped) is claimed again.
const RELOAD_CLAIM: Duration = Duration::from_secs(1);
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

/// A cached value, when it was read, and since when a request has been reading it again.
struct Timed<T> {
    value: T,
    at: Instant,
    reloading: Option<Instant>,
}

impl<T> Timed<T> {
    fn new(value: T) -> Self {
        Timed {
            value,
            at: Instant::now(),
            reloading: None,
        }
    }
}

impl<T: Clone> Timed<T> {
    /// The value and its age while it is younger than `ttl`. Past it, the first request to ask
    /// is told to read it again (`None`), and while it does, for up to [`GRACE`], the others
    /// are still handed the old value, so an entry every request uses (the hot SKU, the fee
    /// table) is read once, not by every request in flight at the moment it expires. Only for
    /// catalogue entries, whose TTL is a safety net: a change drops them at once.
    fn fresh_or_claim(&mut self, ttl: Duration) -> Option<(T, Duration)> {
        let age = self.at.elapsed();
        if age < ttl {
            return Some((self.value.clone(), age));
        }
        if self.claim_reload() {
            return None;
        }
        (age < ttl + GRACE).then(|| (self.value.clone(), age))
    }

    /// The value while it is younger than `ttl`, and whether this caller should read it again
    /// in the background: in the last fifth of the TTL, the first caller to ask ([`Refresh`]).
    fn fresh_or_refresh(&mut self, ttl: Duration) -> Option<(T, Refresh)> {
        let age = self.at.elapsed();
        if age >= ttl {
            return None;
        }
        let refresh = if age >= ttl - ttl / 5 && self.claim_reload() {
            Refresh::Due
        } else {
            Refresh::NotYet
        };
        Some((self.value.clone(), refresh))
    }

    /// Claims the reread for this caller unless another claimed it within [`RELOAD_CLAIM`].
    fn claim_reload(&mut self) -> bool {
        let claimed = self
            .reloading
            .is_some_and(|since| since.elapsed() < RELOAD_CLAIM);
        if !claimed {
            self.reloading = Some(Instant::now());
        }
        !claimed
    }
}

/// Whether a request that found a token should also read it again, off its own path. A token
/// in the last fifth of its TTL is reread in the background by the first request to see it
/// (late, so a key in use is read hardly more often than when it expired), so a buyer
/// in steady use never waits for that read; one past its TTL is read before use, as before.
/// (At the festival every buyer's token was read at the same moment and expired together: the
/// rereads queued behind each other and made the burst's slowest checkouts, up to a second.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    Due,
    NotYet,
}

/// A generation number taken before a load; stale once anything has been dropped since.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Generation(u64);

#[derive(Default)]
pub(crate) struct Caches {
    tokens: Mutex<HashMap<String, Timed<Actor>>>,
    variants: Mutex<HashMap<String, Timed<Arc<VariantInfo>>>>,
    shipping: Mutex<HashMap<String, Timed<Arc<Vec<ShippingRule>>>>>,
    tables: Mutex<Option<Timed<Arc<Tables>>>>,
    /// Product cards by locale and product id (none: not on sale), for posts and feeds.
    cards: Mutex<HashMap<String, Timed<Option<ProductSummary>>>>,
    /// Bumped by every drop of the catalogue entries.
    generation: AtomicU64,
    /// The catalogue version last read from the store, and when.
    seen: Mutex<Option<(i64, Instant)>>,
    /// A request is rereading the version now.
    checking: AtomicBool,
}

fn card_key(locale: Locale, product: &str) -> String {
    format!("{}/{product}", locale.code())
}

/// How long the entry of `key` lives, in the unit of `ttl`: between three quarters and all of
/// `ttl`, the same for a key every time, spread evenly across keys (a wider spread would
/// make more reads: the mean lifetime is what sets their number).
pub(crate) fn spread(key: &str, ttl: u64) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    ttl - h.finish() % (ttl / 4).max(1)
}

/// A catalogue entry: see [`Timed::fresh_or_claim`].
fn get_or_claim<T: Clone>(
    map: &Mutex<HashMap<String, Timed<T>>>,
    key: &str,
    ttl: Duration,
) -> Option<(T, Duration)> {
    map.lock().ok()?.get_mut(key)?.fresh_or_claim(ttl)
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
        map.insert(key, Timed::new(value));
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
    /// A token's actor while its entry is younger than its TTL, and whether this request
    /// should read it again in the background ([`Refresh`]).
    pub fn token(&self, hash: &str) -> Option<(Actor, Refresh)> {
        let ms = u64::try_from(TOKEN_TTL.as_millis()).unwrap_or(u64::MAX);
        let ttl = Duration::from_millis(spread(hash, ms));
        self.tokens
            .lock()
            .ok()?
            .get_mut(hash)?
            .fresh_or_refresh(ttl)
    }

    /// Forgets a token found revoked or expired.
    pub fn forget_token(&self, hash: &str) {
        if let Ok(mut map) = self.tokens.lock() {
            map.remove(hash);
        }
    }

    pub fn put_token(&self, hash: String, actor: Actor) {
        put(&self.tokens, hash, actor, || true);
    }

    /// Forgets a revoked token at once.
    pub fn drop_token(&self, token_id: &str) {
        if let Ok(mut map) = self.tokens.lock() {
            map.retain(|_, e| e.value.token_id != token_id);
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
        get_or_claim(&self.variants, id, TTL)
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
        get_or_claim(&self.shipping, merchant, TTL).map(|(r, _)| r)
    }

    pub fn put_shipping(&self, merchant: String, rules: Arc<Vec<ShippingRule>>, since: Generation) {
        self.put_current(&self.shipping, merchant, rules, since);
    }

    /// A product's card in `locale` while younger than [`STOCK_FRESH`] (its "in stock" is
    /// that old at most); `Some(None)`: not on sale.
    pub fn card(&self, locale: Locale, product: &str) -> Option<Option<ProductSummary>> {
        get_or_claim(&self.cards, &card_key(locale, product), STOCK_FRESH).map(|(c, _)| c)
    }

    pub fn put_card(
        &self,
        locale: Locale,
        product: &str,
        card: Option<ProductSummary>,
        since: Generation,
    ) {
        self.put_current(&self.cards, card_key(locale, product), card, since);
    }

    pub fn tables(&self) -> Option<Arc<Tables>> {
        let mut t = self.tables.lock().ok()?;
        t.as_mut()?.fresh_or_claim(TTL).map(|(v, _)| v)
    }

    pub fn put_tables(&self, tables: Arc<Tables>, since: Generation) {
        if let Ok(mut t) = self.tables.lock() {
            if self.is_current(since) {
                *t = Some(Timed::new(tables));
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
        if let Ok(mut m) = self.cards.lock() {
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

    /// Past its TTL a catalogue entry is read again by one request; meanwhile the others keep
    /// the old value (marked old), until the reload is put back or the grace ends. A reload
    /// that never comes back is claimed again after `RELOAD_CLAIM`.
    #[test]
    fn an_expired_entry_is_reloaded_by_one_request_while_the_others_keep_it() {
        let ttl = Duration::from_secs(30);
        let ago = |d: Duration| Instant::now().checked_sub(d).unwrap();
        let mut e = Timed::new(7);
        assert_eq!(e.fresh_or_claim(ttl).map(|(v, _)| v), Some(7), "fresh");

        e.at = ago(ttl + Duration::from_millis(1));
        assert_eq!(e.fresh_or_claim(ttl), None, "the first asks reloads");
        let (v, age) = e.fresh_or_claim(ttl).unwrap();
        assert_eq!(v, 7, "the others keep the old value");
        assert!(age >= ttl, "and see how old it is");
        assert!(e.fresh_or_claim(ttl).is_some());

        e.reloading = Some(ago(RELOAD_CLAIM));
        assert_eq!(
            e.fresh_or_claim(ttl),
            None,
            "a lost reload is claimed again"
        );

        e.at = ago(ttl + GRACE);
        e.reloading = Some(Instant::now());
        assert_eq!(e.fresh_or_claim(ttl), None, "past the grace nobody gets it");

        let c = Caches::default();
        c.put_shipping("mer_a".into(), rules(), c.generation());
        c.shipping.lock().unwrap().get_mut("mer_a").unwrap().at = ago(ttl);
        assert!(c.shipping("mer_a").is_none(), "the first request reloads");
        assert!(
            c.shipping("mer_a").is_some(),
            "the next ones do not wait for it"
        );
        c.put_shipping("mer_a".into(), rules(), c.generation());
        let fresh = c
            .shipping
            .lock()
            .unwrap()
            .get("mer_a")
            .unwrap()
            .at
            .elapsed();
        assert!(fresh < ttl, "the reload put back a fresh entry");
    }

    /// A token in the last fifth of its TTL is handed out and its reread claimed by one request; past
    /// its TTL it is not handed out at all; a forgotten token is gone at once.
    #[test]
    fn a_token_is_reread_ahead_of_its_ttl_by_one_request() {
        let c = Caches::default();
        let actor = Actor {
            user_id: <caravan_domain::id::UserId as caravan_domain::id::TypedId>::generate(),
            roles: Vec::new(),
            token_id: "tok_1".into(),
        };
        c.put_token("h".into(), actor);
        assert_eq!(c.token("h").unwrap().1, Refresh::NotYet, "fresh");
        let ttl = Duration::from_millis(spread("h", 2000));
        let set_age = |age: Duration| {
            let mut map = c.tokens.lock().unwrap();
            let e = map.get_mut("h").unwrap();
            e.at = Instant::now().checked_sub(age).unwrap();
        };
        set_age(ttl - ttl / 5 - Duration::from_millis(10));
        assert_eq!(c.token("h").unwrap().1, Refresh::NotYet, "not yet due");
        set_age(ttl - ttl / 5 + Duration::from_millis(10));
        assert_eq!(
            c.token("h").unwrap().1,
            Refresh::Due,
            "the first reads it again"
        );
        assert_eq!(c.token("h").unwrap().1, Refresh::NotYet, "only the first");
        set_age(ttl);
        assert!(c.token("h").is_none(), "past its TTL it is read before use");
        c.forget_token("h");
        assert!(c.tokens.lock().unwrap().is_empty());
    }
}
