//! What Connect's first part reads and answers: applications, creators, links.

use crate::MarketError;
use caravan_domain::merchant::MerchantStatus;
use caravan_domain::rfc3339;
use caravan_store::creators::{CreatorRecord, LinkRecord};
use serde::{Deserialize, Serialize};

/// An application to be a creator.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatorApplication {
    /// Public handle (`/@handle`): 3 to 30 of a-z, 0-9, `_`, `.`, starting with a letter.
    pub handle: String,
    /// Languages the creator publishes in (1 to 8 of en, ru, fr, es, pl, it, tr, zh).
    pub languages: Vec<String>,
    /// Countries of the audience (1 to 50, ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    /// Audience links (up to 5 https URLs).
    #[serde(default)]
    pub links: Vec<String>,
    /// A short pitch (1 to 500 characters).
    pub pitch: String,
}

/// A creator as they and operators see them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatorView {
    /// `cre_…`.
    pub id: String,
    /// The account.
    pub user_id: String,
    /// Handle, without `@`.
    pub handle: String,
    /// Languages.
    pub languages: Vec<String>,
    /// Audience countries.
    pub countries: Vec<String>,
    /// Audience links.
    pub links: Vec<String>,
    /// Pitch.
    pub pitch: String,
    /// pending, approved, rejected or suspended.
    pub status: String,
    /// The operator's reason for the last decision.
    pub status_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// An approved creator's public profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicCreator {
    /// Handle, without `@`.
    pub handle: String,
    /// Languages.
    pub languages: Vec<String>,
    /// Audience countries.
    pub countries: Vec<String>,
    /// Audience links.
    pub links: Vec<String>,
    /// Pitch.
    pub pitch: String,
    /// RFC 3339: creating since.
    pub created_at: String,
}

/// A new tracking link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// A published product (`prd_…`) or a campaign (`cmp_…` or its slug).
    pub target: String,
}

/// A tracking link.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    /// The code in `/r/{code}`.
    pub code: String,
    /// The path to share: `/r/{code}`.
    pub path: String,
    /// product | campaign.
    pub target_kind: String,
    /// `prd_…` or `cmp_…`.
    pub target_id: String,
    /// Clicks so far (this node's last second included).
    pub clicks: i64,
    /// Orders attributed to it (not reversed).
    pub orders: i64,
    /// Orders per click, in basis points (0 without clicks).
    pub conversion_bps: i64,
    /// RFC 3339.
    pub created_at: String,
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(super) fn creator(c: CreatorRecord) -> Result<CreatorView, MarketError> {
    MerchantStatus::parse(&c.status)?;
    Ok(CreatorView {
        languages: list(&c.languages),
        countries: list(&c.countries),
        links: list(&c.links),
        id: c.id,
        user_id: c.user_id,
        handle: c.handle,
        pitch: c.pitch,
        status: c.status,
        status_reason: c.status_reason,
        created_at: rfc3339(c.created_at),
    })
}

pub(super) fn public(c: CreatorRecord) -> PublicCreator {
    PublicCreator {
        languages: list(&c.languages),
        countries: list(&c.countries),
        links: list(&c.links),
        handle: c.handle,
        pitch: c.pitch,
        created_at: rfc3339(c.created_at),
    }
}

pub(super) fn link(l: &LinkRecord, pending: i64, orders: i64) -> LinkView {
    let clicks = l.clicks + pending;
    LinkView {
        code: l.code.clone(),
        path: format!("/r/{}", l.code),
        target_kind: l.target_kind.clone(),
        target_id: l.target_id.clone(),
        clicks,
        orders,
        conversion_bps: if clicks > 0 {
            orders.saturating_mul(10_000) / clicks
        } else {
            0
        },
        created_at: rfc3339(l.created_at),
    }
}
