//! Clicks counted in memory per link code, taken in one batch by the flusher: a redirect costs
//! a lock and a map update, never a database write. The map is bounded: past `MAX_CODES`
//! distinct codes, new codes' clicks are dropped (and counted as dropped) until the next flush.
//! Where a code leads is remembered for a couple of seconds ([`crate::recent::Recent`]), so a hot
//! link costs no database read either; a suspended creator's links stop within that time.

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

#[cfg(test)]
mod tests {
    use super::*;

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
