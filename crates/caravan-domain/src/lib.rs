//! Caravan's domain: pure rules and types with no I/O and no async.
//!
//! Money in integer minor units of an ISO 4217 currency, ISO 3166-1 countries, the supported
//! locales, prefixed random ids, and the validated values of accounts, merchants and the catalogue.
//! It is not a persistence layer (see `caravan-store`) and knows nothing of HTTP.

pub mod account;
pub mod allocate;
pub mod attribution;
pub mod catalogue;
pub mod charity;
pub mod code;
pub mod collab;
pub mod commission;
pub mod country;
pub mod coupon;
pub mod creator;
pub mod error;
pub mod festival;
pub mod fx;
pub mod glossary;
pub mod id;
pub mod image;
pub mod ledger;
pub mod locale;
pub mod merchant;
pub mod money;
pub mod order;
pub mod post;
pub mod pricing;
pub mod shipping;
pub mod site;
pub mod tier;
pub mod translation;

pub use allocate::{allocate, prorate};
pub use code::{Code, Kind};
pub use country::Country;
pub use error::DomainError;
pub use locale::Locale;
pub use money::{Currency, Money};

/// Formats UTC milliseconds since the epoch as RFC 3339 (`2026-11-11T00:00:00Z`).
pub fn rfc3339(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Parses an RFC 3339 instant (`2026-11-11T00:00:00+08:00`) into UTC milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}
