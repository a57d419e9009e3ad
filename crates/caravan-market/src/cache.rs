//! Short-lived read caches for the checkout path, so pricing at festival peak reads memory, not
//! the database. Entries live one second (tokens two); every catalogue, rate, fee or shipping
//! write on this node clears them at once, so only other nodes' writes can be a second late.
//! Stock here is a hint for early refusals only: the order writer decides with the real stock.

use crate::accounts::Actor;
use caravan_domain::fx::Rate;
use caravan_domain::shipping::ShippingRule;
use caravan_domain::{Currency, Locale};
use caravan_store::merchants::MerchantRecord;
use caravan_store::products::{ProductRecord, VariantRecord};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(1);
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
}

type Timed<T> = (T, Instant);

#[derive(Default)]
pub(crate) struct Caches {
    tokens: Mutex<HashMap<String, Timed<Actor>>>,
    variants: Mutex<HashMap<String, Timed<Arc<VariantInfo>>>>,
    shipping: Mutex<HashMap<String, Timed<Arc<Vec<ShippingRule>>>>>,
    tables: Mutex<Option<Timed<Arc<Tables>>>>,
}

fn get<T: Clone>(map: &Mutex<HashMap<String, Timed<T>>>, key: &str, ttl: Duration) -> Option<T> {
    let map = map.lock().ok()?;
    map.get(key)
        .filter(|(_, at)| at.elapsed() < ttl)
        .map(|(v, _)| v.clone())
}

fn put<T>(map: &Mutex<HashMap<String, Timed<T>>>, key: String, value: T) {
    if let Ok(mut map) = map.lock() {
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (value, Instant::now()));
    }
}

impl Caches {
    pub fn token(&self, hash: &str) -> Option<Actor> {
        get(&self.tokens, hash, TOKEN_TTL)
    }

    pub fn put_token(&self, hash: String, actor: Actor) {
        put(&self.tokens, hash, actor);
    }

    /// Forgets a revoked token at once.
    pub fn drop_token(&self, token_id: &str) {
        if let Ok(mut map) = self.tokens.lock() {
            map.retain(|_, (a, _)| a.token_id != token_id);
        }
    }

    pub fn variant(&self, id: &str) -> Option<Arc<VariantInfo>> {
        get(&self.variants, id, TTL)
    }

    pub fn put_variant(&self, info: Arc<VariantInfo>) {
        put(&self.variants, info.variant.id.clone(), info);
    }

    pub fn shipping(&self, merchant: &str) -> Option<Arc<Vec<ShippingRule>>> {
        get(&self.shipping, merchant, TTL)
    }

    pub fn put_shipping(&self, merchant: String, rules: Arc<Vec<ShippingRule>>) {
        put(&self.shipping, merchant, rules);
    }

    pub fn tables(&self) -> Option<Arc<Tables>> {
        let t = self.tables.lock().ok()?;
        t.as_ref()
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(v, _)| v.clone())
    }

    pub fn put_tables(&self, tables: Arc<Tables>) {
        if let Ok(mut t) = self.tables.lock() {
            *t = Some((tables, Instant::now()));
        }
    }

    /// Forgets every cached token (after a role change).
    pub fn drop_tokens(&self) {
        if let Ok(mut map) = self.tokens.lock() {
            map.clear();
        }
    }

    /// Clears everything but tokens (after any catalogue, rate, fee or shipping write).
    pub fn invalidate(&self) {
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
