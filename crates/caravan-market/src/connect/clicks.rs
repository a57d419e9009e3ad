//! Clicks counted in memory per link code, taken in one batch by the flusher: a redirect costs
//! a lock and a map update, never a database write. The map is bounded: past `MAX_CODES`
//! distinct codes, new codes' clicks are dropped (and counted as dropped) until the next flush.
//! Where a code leads is remembered for a couple of seconds (`Recent`), so a hot link costs no
//! database read either; a suspended creator's links stop within that time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Distinct codes held between two flushes.
const MAX_CODES: usize = 100_000;

/// This node's unflushed clicks.
#[derive(Debug, Default)]
pub struct Clicks {
    counts: Mutex<HashMap<String, i64>>,
    dropped: AtomicU64,
}

impl Clicks {
    /// Counts one click on `code`.
    pub fn count(&self, code: &str) {
        let Ok(mut m) = self.counts.lock() else {
            return;
        };
        if let Some(n) = m.get_mut(code) {
            *n += 1;
        } else if m.len() < MAX_CODES {
            m.insert(code.to_owned(), 1);
        } else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Takes every count, leaving none.
    pub fn take(&self) -> Vec<(String, i64)> {
        let Ok(mut m) = self.counts.lock() else {
            return Vec::new();
        };
        let mut out: Vec<(String, i64)> = m.drain().collect();
        // A fixed order: concurrent flushes on two nodes lock the rows alike.
        out.sort();
        out
    }

    /// Puts counts back after a failed flush.
    pub fn restore(&self, counts: &[(String, i64)]) {
        if let Ok(mut m) = self.counts.lock() {
            for (code, n) in counts {
                *m.entry(code.clone()).or_insert(0) += n;
            }
        }
    }

    /// Unflushed clicks on `code`.
    pub fn pending(&self, code: &str) -> i64 {
        self.counts
            .lock()
            .ok()
            .and_then(|m| m.get(code).copied())
            .unwrap_or(0)
    }

    /// Clicks dropped because the map was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// How long what Connect reads on hot paths (where a link leads, who a creator is) is
/// remembered: a suspended creator's links stop, and a new address counts, within this time.
pub(crate) const RECENT_TTL_MS: i64 = 2_000;

/// Values read lately, by key, for at most [`RECENT_TTL_MS`] (three quarters to all of it, per
/// key: [`crate::cache::spread`]); emptied when it reaches `MAX_CODES`.
#[derive(Debug)]
pub struct Recent<V> {
    map: Mutex<HashMap<String, (V, i64)>>,
}

impl<V> Default for Recent<V> {
    fn default() -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
        }
    }
}

/// Whether a value of `key` read `age` ms ago is still believed.
fn fresh(key: &str, age: i64) -> bool {
    let ttl = crate::cache::spread(key, RECENT_TTL_MS.unsigned_abs());
    age < i64::try_from(ttl).unwrap_or(RECENT_TTL_MS)
}

impl<V: Clone> Recent<V> {
    /// The value of `key` if it was read within the TTL.
    pub(crate) fn get(&self, key: &str, now: i64) -> Option<V> {
        let m = self.map.lock().ok()?;
        m.get(key)
            .filter(|(_, at)| fresh(key, now - at))
            .map(|(v, _)| v.clone())
    }

    /// Remembers `value` for `key`.
    pub(crate) fn put(&self, key: &str, value: V, now: i64) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= MAX_CODES {
                m.clear();
            }
            m.insert(key.to_owned(), (value, now));
        }
    }

    /// Changes the value of `key` in place if it was read within the TTL, keeping the time it
    /// was read (so what others changed still shows once the TTL is over).
    pub(crate) fn update(&self, key: &str, now: i64, change: impl FnOnce(&mut V)) {
        if let Ok(mut m) = self.map.lock() {
            if let Some((v, _)) = m.get_mut(key).filter(|(_, at)| fresh(key, now - *at)) {
                change(v);
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
        let ttl = i64::try_from(crate::cache::spread("k", RECENT_TTL_MS.unsigned_abs())).unwrap();
        assert!(
            (RECENT_TTL_MS * 3 / 4..=RECENT_TTL_MS).contains(&ttl),
            "{ttl}"
        );
        r.update("k", ttl - 1, |v| *v += 1);
        assert_eq!(r.get("k", ttl - 1), Some(2));
        assert_eq!(r.get("k", ttl), None, "read again once its TTL is over");
    }

    #[test]
    fn counts_are_taken_once_and_restored_after_a_failure() {
        let c = Clicks::default();
        for _ in 0..3 {
            c.count("abc");
        }
        c.count("xyz");
        assert_eq!(c.pending("abc"), 3);
        let taken = c.take();
        assert_eq!(taken, vec![("abc".to_owned(), 3), ("xyz".to_owned(), 1)]);
        assert!(c.take().is_empty());
        c.restore(&taken);
        c.count("abc");
        assert_eq!(c.pending("abc"), 4);
        assert_eq!(c.dropped(), 0);
    }
}
