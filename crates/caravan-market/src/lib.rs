//! Caravan's use cases: accounts and tokens, merchant onboarding, the catalogue, demo data.
//!
//! Calls `caravan-domain` for rules and `caravan-store` for persistence. Knows nothing of HTTP:
//! the web crate turns [`MarketError`] into status codes and the views here into JSON.

pub mod accounts;
pub mod addresses;
mod cache;
pub mod cart_session;
pub mod carts;
pub mod catalogue;
pub mod charity;
pub mod checkout;
mod clock;
pub mod connect;
pub mod demo;
mod error;
pub mod festival;
pub mod idempotency;
pub mod images;
pub mod merchants;
pub mod orders;
mod own_thread;
pub mod page;
pub mod payments;
pub mod payouts;
pub mod pricing;
pub mod rates;
mod recent;
pub mod search;
pub mod shipping;
pub mod sites;
pub mod translation;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Code, ErrorKind, MarketError};

use caravan_store::Store;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Tunables of the use cases.
#[derive(Debug, Clone)]
pub struct MarketConfig {
    /// Failed logins per e-mail allowed in one window before answering "too many".
    pub login_max_failures: i64,
    /// Length of the failed-login window, in milliseconds.
    pub login_window_ms: i64,
    /// Secret the payment provider signs webhooks with (HMAC-SHA256).
    pub webhook_secret: String,
    /// Unpaid orders are cancelled (stock returned) this long after placement.
    pub unpaid_timeout_ms: i64,
    /// A delivered order completes by itself this long after delivery, unless disputed.
    pub auto_complete_ms: i64,
    /// How long after delivery the buyer may open a dispute.
    pub protection_window_ms: i64,
    /// Smallest payout, in major units of the merchant's currency.
    pub payout_minimum_units: i64,
    /// Checkouts waiting for the order writer before new ones get 503.
    pub writer_queue: usize,
    /// Most checkouts the writer commits in one transaction.
    pub writer_batch: usize,
    /// Places a browser waiting room admits per second on this node.
    pub admit_per_s: u64,
    /// How long a creator's link attributes a checkout after the click.
    pub attribution_window_ms: i64,
    /// How long a creator's commission on a completed order is held before it can be paid.
    pub commission_hold_ms: i64,
    /// Smallest creator payout, in major units of the creator's payout currency.
    pub creator_payout_minimum_units: i64,
}

impl Default for MarketConfig {
    fn default() -> Self {
        Self {
            login_max_failures: 5,
            login_window_ms: 15 * 60 * 1000,
            webhook_secret: String::new(),
            unpaid_timeout_ms: 30 * 60 * 1000,
            auto_complete_ms: 15 * DAY_MS,
            protection_window_ms: 15 * DAY_MS,
            payout_minimum_units: 10,
            writer_queue: 8192,
            writer_batch: 1000,
            admit_per_s: 200,
            attribution_window_ms: caravan_domain::attribution::DEFAULT_WINDOW_MS,
            commission_hold_ms: 14 * DAY_MS,
            creator_payout_minimum_units: 20,
        }
    }
}

/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The marketplace: every use case hangs off this handle. Cheap to clone.
#[derive(Clone)]
pub struct Market {
    store: Store,
    clock: Arc<dyn Clock>,
    config: Arc<MarketConfig>,
    inner: Arc<Inner>,
}

struct Inner {
    /// Started with the market; shared with its copies at another clock (`at_clock`).
    writer: OnceLock<Arc<checkout::writer::OrderWriter>>,
    provider: Arc<dyn payments::PaymentProvider>,
    /// Idempotency keys being processed on this node: a repeat meanwhile is 409.
    in_flight: Mutex<HashSet<(String, String)>>,
    /// Read caches of the checkout path.
    cache: cache::Caches,
    /// The product index, when search is on.
    search: OnceLock<Arc<caravan_search::SearchIndex>>,
    /// The live festival screen's follower and sums.
    screen: Mutex<festival::screen::ScreenSlot>,
    /// The browser waiting rooms in front of checkout.
    waiting: festival::WaitingRoom,
    /// The configured machine-translation provider (none: the built-in glossary one).
    translator: Mutex<Option<Arc<dyn translation::Translator>>>,
    /// Tracking-link clicks not yet flushed to the store.
    clicks: connect::Clicks,
    /// Orders attributed through posts, not yet flushed to the store.
    post_orders: connect::Clicks,
    /// What Connect's hot paths read lately (links, creators, buyers' mailboxes).
    connect: connect::ConnectCache,
    /// The charity meters' figures, per cause.
    meters: charity::meter::MeterCache,
    /// Campaign sites' pages, per site, language and currency.
    sites: sites::page::SiteCache,
    /// The sites open now, per language (the home page's banners).
    site_links: recent::Recent<Arc<Vec<sites::SiteLink>>>,
    /// Each buyer's deal units claimed (deal → units), read lately or counted from this
    /// node's placements since: which deals to offer them (the writer enforces the limits).
    claims: recent::Recent<Arc<HashMap<String, i64>>>,
    /// Reads the claims of the buyers pricing does not remember, many in one query; started
    /// at the first such read.
    claims_reader: OnceLock<festival::claims::ClaimsReader>,
}

impl Inner {
    fn new(provider: Arc<dyn payments::PaymentProvider>, admit_per_s: u64) -> Self {
        Self {
            writer: OnceLock::new(),
            provider,
            in_flight: Mutex::new(HashSet::new()),
            cache: cache::Caches::default(),
            search: OnceLock::new(),
            screen: Mutex::new(festival::screen::ScreenSlot::default()),
            waiting: festival::WaitingRoom::new(admit_per_s),
            translator: Mutex::new(None),
            clicks: connect::Clicks::default(),
            post_orders: connect::Clicks::default(),
            connect: connect::ConnectCache::default(),
            meters: charity::meter::MeterCache::default(),
            sites: sites::page::SiteCache::default(),
            site_links: recent::Recent::default(),
            claims: recent::Recent::default(),
            claims_reader: OnceLock::new(),
        }
    }
}

impl Market {
    /// A market over `store`, reading time from `clock`, paying through the sandbox provider.
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: MarketConfig) -> Self {
        let provider = Arc::new(payments::Sandbox::new(config.webhook_secret.clone()));
        Self::with_provider(store, clock, config, provider)
    }

    /// A market paying through `provider`.
    pub fn with_provider(
        store: Store,
        clock: Arc<dyn Clock>,
        config: MarketConfig,
        provider: Arc<dyn payments::PaymentProvider>,
    ) -> Self {
        let market = Self {
            store,
            clock,
            inner: Arc::new(Inner::new(provider, config.admit_per_s)),
            config: Arc::new(config),
        };
        // Started now, from the caller's thread, whose scheduling priority the writer thread
        // inherits: the binary opens the market on its main thread and runs only its request
        // threads at a lower priority (ADR 0004).
        market.writer();
        market
    }

    /// The same market read at another clock (the demo's past campaign), with caches of its
    /// own but the same order writer: a second writer would start a second runtime, whose
    /// pooled PostgreSQL connections die with it while the pool still hands them out.
    pub(crate) fn at_clock(&self, clock: Arc<dyn Clock>) -> Market {
        let inner = Inner::new(self.inner.provider.clone(), self.config.admit_per_s);
        let _ = inner.writer.set(self.writer().clone());
        Self {
            store: self.store.clone(),
            clock,
            config: self.config.clone(),
            inner: Arc::new(inner),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &MarketConfig {
        &self.config
    }

    /// The underlying store (for health checks and tools).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The market's clock (UTC milliseconds): the system clock, or the tests' manual one.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
