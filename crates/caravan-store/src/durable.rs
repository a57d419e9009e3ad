//! Group durability for the SQLite order writer. The writer's connection commits with
//! `synchronous = NORMAL`: the batch's pages go to the WAL file, but without the fsync. A syncer
//! thread then fsyncs the WAL, and a batch's buyers get their answers only once an fsync that
//! began after its commit has returned. So the writer decides and writes the next batch while
//! the disk flushes the last one, and nothing is acknowledged before it is on disk (ADR 0004).
//!
//! On Linux an fsync flushes the file's dirty pages whichever descriptor wrote them, so the
//! syncer opens the WAL itself. Frames are appended in commit order, so one fsync covers every
//! commit before it. Checkpoints (SQLite's own, or a pool connection's `synchronous = FULL`
//! commits) still sync the WAL before they copy it into the database file. A failed fsync
//! poisons the syncer: the kernel may have dropped the pages, so nothing after it is
//! acknowledged as durable until the node restarts.

use crate::StoreError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Told whether a batch reached the disk.
type Callback = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

#[derive(Default)]
struct State {
    /// The last commit number handed out.
    written: u64,
    /// Every commit numbered up to this is on disk.
    synced: u64,
    /// An fsync failed: nothing more will be acknowledged.
    poisoned: bool,
    /// The store is gone: sync what is pending and stop.
    stop: bool,
    /// Callbacks waiting for their commit number to be synced.
    waiting: Vec<(u64, Callback)>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Syncer")
    }
}

fn not_durable() -> StoreError {
    StoreError::NotDurable("an fsync of the WAL failed".into())
}

/// The syncer of one SQLite database; dropping it stops its thread once nothing is pending.
#[derive(Debug)]
pub(crate) struct Syncer {
    shared: Arc<Shared>,
}

impl Syncer {
    /// Starts the syncer thread for the database file `db` (its WAL is `db-wal`).
    pub fn start(db: &str) -> Result<Syncer, StoreError> {
        let wal = PathBuf::from(format!("{db}-wal"));
        let shared = Arc::new(Shared::default());
        let thread_shared = shared.clone();
        std::thread::Builder::new()
            .name("caravan-fsync".into())
            .spawn(move || run(&wal, &thread_shared))
            .map_err(|e| StoreError::NotDurable(format!("cannot start the WAL syncer: {e}")))?;
        Ok(Syncer { shared })
    }

    /// Registers a commit just made; its `Durable` tells when it is on disk.
    pub fn committed(&self) -> Durable {
        let n = match self.shared.state.lock() {
            Ok(mut s) => {
                s.written += 1;
                s.written
            }
            Err(_) => 0,
        };
        self.shared.wake.notify_one();
        Durable(Some((self.shared.clone(), n)))
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        if let Ok(mut s) = self.shared.state.lock() {
            s.stop = true;
        }
        self.shared.wake.notify_one();
    }
}

fn run(wal: &Path, shared: &Shared) {
    loop {
        let target = {
            let Ok(mut s) = shared.state.lock() else {
                return;
            };
            while s.written <= s.synced && !s.stop {
                s = match shared.wake.wait(s) {
                    Ok(s) => s,
                    Err(_) => return,
                };
            }
            if s.written <= s.synced {
                return; // stopped with nothing pending
            }
            s.written
        };
        let started = std::time::Instant::now();
        let result = match std::fs::File::open(wal).and_then(|f| f.sync_data()) {
            Ok(()) => Ok(()),
            // No WAL file: the last connection closed and checkpointed it into the database
            // file, with an fsync.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        };
        tracing::debug!(
            fsync_us = started.elapsed().as_micros() as u64,
            "WAL synced"
        );
        let ready: Vec<(u64, Callback)> = {
            let Ok(mut s) = shared.state.lock() else {
                return;
            };
            match &result {
                Ok(()) => s.synced = target,
                Err(e) => {
                    tracing::error!(error = %e, wal = %wal.display(), "fsync of the WAL failed; no further order is acknowledged");
                    s.poisoned = true;
                }
            }
            let (ready, rest) = std::mem::take(&mut s.waiting)
                .into_iter()
                .partition(|(n, _)| *n <= s.synced || s.poisoned);
            s.waiting = rest;
            ready
        };
        for (_, callback) in ready {
            callback(if result.is_ok() {
                Ok(())
            } else {
                Err(not_durable())
            });
        }
        if result.is_err() {
            return;
        }
    }
}

/// Tells when a committed batch is on disk.
#[derive(Debug)]
#[must_use = "a batch is acknowledged only once it is durable"]
pub struct Durable(Option<(Arc<Shared>, u64)>);

impl Durable {
    /// Already durable (the commit itself synced).
    pub fn now() -> Durable {
        Durable(None)
    }

    /// The later of two commits' tickets: the syncer syncs the WAL in commit order, so once the
    /// later one is on disk so is the earlier.
    pub fn later(self, other: Durable) -> Durable {
        let n = |d: &Durable| d.0.as_ref().map_or(0, |(_, n)| *n);
        if n(&other) >= n(&self) {
            other
        } else {
            self
        }
    }

    /// Calls `then` once the batch is on disk (at once if it is already), or with an error if
    /// it never will be. It may run on the syncer's thread: keep it short and non-blocking.
    pub fn then(self, then: impl FnOnce(Result<(), StoreError>) + Send + 'static) {
        let Some((shared, n)) = self.0 else {
            return then(Ok(()));
        };
        let Ok(mut s) = shared.state.lock() else {
            return then(Err(not_durable()));
        };
        if n != 0 && n <= s.synced {
            drop(s);
            then(Ok(()))
        } else if s.poisoned || n == 0 {
            drop(s);
            then(Err(not_durable()))
        } else {
            s.waiting.push((n, Box::new(then)));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn told(durable: Durable) -> Result<(), StoreError> {
        let (tx, rx) = mpsc::channel();
        durable.then(move |r| tx.send(r).unwrap());
        rx.recv_timeout(Duration::from_secs(10)).unwrap()
    }

    /// Every commit is reported durable once the WAL is synced, in any number, and a
    /// ticket asked after the sync answers at once; no WAL file means already checkpointed.
    #[test]
    fn commits_become_durable() {
        let dir = crate::testing::temp_dir();
        let db = dir.join("x.db");
        std::fs::write(dir.join("x.db-wal"), b"frames").unwrap();
        let syncer = Syncer::start(db.to_str().unwrap()).unwrap();
        let tickets: Vec<Durable> = (0..50).map(|_| syncer.committed()).collect();
        for t in tickets {
            told(t).unwrap();
        }
        std::fs::remove_file(dir.join("x.db-wal")).unwrap();
        told(syncer.committed()).unwrap();
        assert!(told(Durable::now()).is_ok());
        drop(syncer);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A WAL that cannot be synced fails its commits and every later one: nothing is
    /// acknowledged after a failed fsync.
    #[test]
    fn a_failed_sync_poisons() {
        let dir = crate::testing::temp_dir();
        let file = dir.join("plain");
        std::fs::write(&file, b"not a directory").unwrap();
        // `plain/x.db-wal`: opening it fails with "not a directory", not "not found".
        let syncer = Syncer::start(file.join("x.db").to_str().unwrap()).unwrap();
        assert!(matches!(
            told(syncer.committed()),
            Err(StoreError::NotDurable(_))
        ));
        assert!(matches!(
            told(syncer.committed()),
            Err(StoreError::NotDurable(_))
        ));
        drop(syncer);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
