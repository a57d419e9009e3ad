//! Caravan's use cases: accounts and tokens, merchant onboarding, the catalogue, demo data.
//!
//! Calls `caravan-domain` for rules and `caravan-store` for persistence. Knows nothing of HTTP:
//! the web crate turns [`MarketError`] into status codes and the views here into JSON.

pub mod accounts;
pub mod catalogue;
mod clock;
pub mod demo;
mod error;
pub mod merchants;
pub mod page;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ErrorKind, MarketError};

use caravan_store::Store;
use std::sync::Arc;

/// Tunables of the use cases.
#[derive(Debug, Clone)]
pub struct MarketConfig {
    /// Failed logins per e-mail allowed in one window before answering "too many".
    pub login_max_failures: i64,
    /// Length of the failed-login window, in milliseconds.
    pub login_window_ms: i64,
}

impl Default for MarketConfig {
    fn default() -> Self {
        Self {
            login_max_failures: 5,
            login_window_ms: 15 * 60 * 1000,
        }
    }
}

/// The marketplace: every use case hangs off this handle. Cheap to clone.
#[derive(Clone)]
pub struct Market {
    store: Store,
    clock: Arc<dyn Clock>,
    config: MarketConfig,
}

impl Market {
    /// A market over `store`, reading time from `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: MarketConfig) -> Self {
        Self {
            store,
            clock,
            config,
        }
    }

    /// The underlying store (for health checks and tools).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}
