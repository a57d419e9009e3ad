//! Values read lately, by key, believed for a couple of seconds ([`RECENT_TTL_MS`] unless made
//! [`Recent::with_ttl`]; three quarters to all of it, fixed per key by [`crate::cache::spread`],
//! so keys read together do not expire together), so a hot path — where a link leads, who a
//! creator is, what a buyer has claimed of the festival's deals — reads memory, not the
//! database.
//!
//! A key in steady use need not make a request wait for its reread: in the second half of its
//! TTL the first caller to ask is also handed a [`Reread`], reads the key off its path and puts
//! the value back with it. The value it read replaces the entry only if nothing changed the
//! entry since the reread was handed out (a change made in place, a put, a forget): the read
//! may or may not have seen that change, and the entry that has it is kept instead (the next
//! caller is handed a new [`Reread`]). A value past its TTL is never handed out, so a reread in
//! the background changes how often a request waits, not how old a value may be.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// How long a value is believed: a suspended creator's links stop, a new address counts, a
/// claim made on another node shows, within this time.
pub(crate) const RECENT_TTL_MS: i64 = 2_000;
/// Keys held; past this the map is emptied rather than evicted key by key.
const MAX_KEYS: usize = 100_000;

struct Entry<V> {
    value: V,
    /// When the value was read.
    at: i64,
    /// Changes with every put and every change in place.
    version: u64,
    /// A [`Reread`] of it is out (one at a time; one whose read failed leaves the value to its
    /// TTL, after which the next caller reads it on its path as if it were new).
    rereading: bool,
}

/// Values read lately, by key (see the module's documentation).
pub(crate) struct Recent<V> {
    map: Mutex<HashMap<String, Entry<V>>>,
    versions: AtomicU64,
    /// The longest a value is believed, in milliseconds.
    ttl_ms: i64,
}

impl<V> Default for Recent<V> {
    fn default() -> Self {
        Self::with_ttl(RECENT_TTL_MS)
    }
}

impl<V> std::fmt::Debug for Recent<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.map.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("Recent").field("keys", &keys).finish()
    }
}

/// Handed to the one caller that should read a key again off its request's path; its value
/// goes back with [`Recent::put_reread`].
#[derive(Debug)]
#[must_use = "a reread not put back leaves the key to expire"]
pub(crate) struct Reread {
    version: u64,
}

impl<V> Recent<V> {
    /// Values believed for three quarters to all of `ttl_ms`.
    pub(crate) fn with_ttl(ttl_ms: i64) -> Self {
        assert!(ttl_ms >= 4, "a TTL spread over its last quarter");
        Self {
            map: Mutex::new(HashMap::new()),
            versions: AtomicU64::new(0),
            ttl_ms,
        }
    }

    /// `key`'s TTL in milliseconds.
    fn ttl(&self, key: &str) -> i64 {
        let ttl = crate::cache::spread(key, self.ttl_ms.unsigned_abs());
        i64::try_from(ttl).unwrap_or(self.ttl_ms)
    }

    fn next_version(&self) -> u64 {
        self.versions.fetch_add(1, Ordering::Relaxed) + 1
    }
}

impl<V: Clone> Recent<V> {
    /// The value of `key` if it was read within its TTL.
    pub(crate) fn get(&self, key: &str, now: i64) -> Option<V> {
        let ttl = self.ttl(key);
        let m = self.map.lock().ok()?;
        m.get(key)
            .filter(|e| now - e.at < ttl)
            .map(|e| e.value.clone())
    }

    /// [`Self::get`], and a [`Reread`] for the first caller to ask in the second half of the
    /// TTL.
    pub(crate) fn get_or_reread(&self, key: &str, now: i64) -> Option<(V, Option<Reread>)> {
        let ttl = self.ttl(key);
        let mut m = self.map.lock().ok()?;
        let e = m.get_mut(key)?;
        let age = now - e.at;
        if age >= ttl {
            return None;
        }
        let reread = (age >= ttl / 2 && !e.rereading).then(|| {
            e.rereading = true;
            Reread { version: e.version }
        });
        Some((e.value.clone(), reread))
    }

    /// Remembers `value` for `key`, read at `now`.
    pub(crate) fn put(&self, key: &str, value: V, now: i64) {
        let version = self.next_version();
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= MAX_KEYS {
                m.clear();
            }
            let entry = Entry {
                value,
                at: now,
                version,
                rereading: false,
            };
            m.insert(key.to_owned(), entry);
        }
    }

    /// Puts back what a [`Reread`] read (the read began at `now`), unless the entry changed or
    /// went since it was handed out; whether it did.
    pub(crate) fn put_reread(&self, key: &str, value: V, now: i64, reread: Reread) -> bool {
        let version = self.next_version();
        let Ok(mut m) = self.map.lock() else {
            return false;
        };
        let Some(e) = m.get_mut(key) else {
            return false;
        };
        e.rereading = false;
        if e.version != reread.version {
            return false;
        }
        e.value = value;
        e.at = now;
        e.version = version;
        true
    }

    /// Changes the value of `key` in place if it was read within the TTL, keeping the time it
    /// was read (so what others changed still shows once the TTL is over).
    pub(crate) fn update(&self, key: &str, now: i64, change: impl FnOnce(&mut V)) {
        let version = self.next_version();
        let ttl = self.ttl(key);
        if let Ok(mut m) = self.map.lock() {
            if let Some(e) = m.get_mut(key).filter(|e| now - e.at < ttl) {
                change(&mut e.value);
                e.version = version;
            }
        }
    }

    /// Forgets `key`.
    pub(crate) fn forget(&self, key: &str) {
        if let Ok(mut m) = self.map.lock() {
            m.remove(key);
        }
    }

    /// Forgets everything.
    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            m.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_keeps_the_time_the_value_was_read() {
        let r: Recent<i64> = Recent::default();
        r.update("k", 0, |v| *v += 1);
        assert_eq!(r.get("k", 0), None, "nothing read, nothing to change");
        r.put("k", 1, 0);
        let ttl = r.ttl("k");
        assert!(
            (RECENT_TTL_MS * 3 / 4..=RECENT_TTL_MS).contains(&ttl),
            "{ttl}"
        );
        r.update("k", ttl - 1, |v| *v += 1);
        assert_eq!(r.get("k", ttl - 1), Some(2));
        assert_eq!(r.get("k", ttl), None, "read again once its TTL is over");
    }

    #[test]
    fn a_key_in_use_is_reread_once_before_its_ttl_and_lives_on() {
        let r: Recent<i64> = Recent::default();
        r.put("k", 1, 0);
        let ttl = r.ttl("k");
        let early = r.get_or_reread("k", ttl / 2 - 1).unwrap();
        assert!(early.1.is_none(), "too early to reread");
        let late = ttl - ttl / 10;
        let (value, reread) = r.get_or_reread("k", late).unwrap();
        assert_eq!(value, 1, "the value is handed out with its reread");
        let reread = reread.expect("the first caller late in the TTL rereads");
        let (_, other) = r.get_or_reread("k", late).unwrap();
        assert!(other.is_none(), "one reread at a time");
        assert!(r.put_reread("k", 5, late, reread));
        assert_eq!(r.get("k", ttl + 1), Some(5), "the reread restarts the TTL");
        assert_eq!(r.get("k", late + ttl), None, "and ends it as a put does");
    }

    #[test]
    fn a_reread_that_raced_a_change_is_dropped_and_handed_out_again() {
        let r: Recent<i64> = Recent::default();
        r.put("k", 1, 0);
        let late = r.ttl("k") - 10;
        let first = r.get_or_reread("k", late).unwrap().1.unwrap();
        r.update("k", late, |v| *v += 1);
        assert!(
            !r.put_reread("k", 7, late, first),
            "it may predate the change"
        );
        assert_eq!(r.get("k", late), Some(2), "the changed entry stays");
        let again = r.get_or_reread("k", late).unwrap().1;
        assert!(again.is_some(), "the next caller rereads");
        let lost = r.get_or_reread("k", late).unwrap().1;
        assert!(lost.is_none());
        let hour = 3_600_000;
        r.put("k", 1, hour);
        let stale = r.get_or_reread("k", hour + late).unwrap().1.unwrap();
        r.forget("k");
        assert!(
            !r.put_reread("k", 9, hour + late, stale),
            "forgotten stays forgotten"
        );
        assert_eq!(r.get("k", hour + late), None);
    }

    #[test]
    fn a_reread_never_put_back_leaves_the_key_to_expire() {
        let r: Recent<i64> = Recent::default();
        r.put("k", 1, 0);
        let ttl = r.ttl("k");
        let late = ttl / 2;
        let dropped = r.get_or_reread("k", late).unwrap().1;
        assert!(dropped.is_some(), "handed out and never put back");
        let (value, again) = r.get_or_reread("k", ttl - 1).unwrap();
        assert_eq!(
            (value, again.is_none()),
            (1, true),
            "still believed, not reread"
        );
        assert!(
            r.get_or_reread("k", ttl).is_none(),
            "read on the path once expired"
        );
        r.put("k", 2, ttl);
        let next = r.get_or_reread("k", ttl + late).unwrap().1;
        assert!(next.is_some(), "a put starts a new TTL with its own reread");
    }

    #[test]
    fn a_longer_ttl_is_spread_over_its_own_last_quarter() {
        let r: Recent<i64> = Recent::with_ttl(8_000);
        r.put("k", 1, 0);
        let ttl = r.ttl("k");
        assert!((6_000..=8_000).contains(&ttl), "{ttl}");
        assert_eq!(r.get("k", ttl - 1), Some(1));
        assert_eq!(r.get("k", ttl), None);
    }
}
