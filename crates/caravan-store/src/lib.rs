//! Caravan's persistence layer.
//!
//! One schema and one set of portable SQL queries over sqlx's `Any` driver; the backend is chosen by
//! the URL scheme (`sqlite://…` or `postgres://…`) and a bad scheme or unreachable server fails loudly.
//! The few statements that differ per engine for speed on the order writer's path (multi-row
//! inserts, the batch's stock decrement) live in the `dialect` module and nowhere else; the
//! connection setup (`PRAGMA`s, the SQLite writer's own connection) in `connect` and `exec`; the
//! foreign keys PostgreSQL drops after the migrations (the order writer keeps them) in `keys`.
//! Times are passed in by callers (the clock is injected upstream); ids are generated upstream too.
//! This crate holds no business rules beyond the guards that keep data consistent.

pub mod addresses;
pub mod charity;
pub mod checkout;
pub mod collabs;
pub mod commerce;
pub mod commissions;
mod connect;
pub mod coupons;
pub mod creators;
mod dialect;
pub mod durable;
mod error;
mod exec;
pub mod festival;
pub mod idempotency;
pub mod images;
pub mod journal;
mod keys;
pub mod merchants;
pub mod orders;
pub mod posts;
pub mod products;
pub mod promotions;
pub mod search_feed;
pub mod sites;
mod sql;
pub mod store_discounts;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod translations;
pub mod users;

pub use connect::{Engine, Store};
pub use error::StoreError;
