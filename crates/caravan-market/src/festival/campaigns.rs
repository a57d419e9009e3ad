//! Campaigns: an operator creates one (texts per language, a window in a declared time zone,
//! enrolment rules); anyone reads them, with their phase and their approved deals.

use super::deals::{deal_view, DealView};
use super::live::window_of;
use crate::accounts::Actor;
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::catalogue::slug;
use caravan_domain::festival::Window;
use caravan_domain::id::{CampaignId, TypedId};
use caravan_domain::locale::pick;
use caravan_domain::{parse_rfc3339, rfc3339, Country, Locale};
use caravan_store::festival::{CampaignRecord, CampaignTextRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A campaign's name and description in one language.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignText {
    /// 1 to 120 characters.
    pub name: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub description: String,
}

/// A new campaign.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// In URLs: `/festival/{slug}` (1 to 60 of a-z, 0-9 and -).
    pub slug: String,
    /// The IANA time zone the campaign is declared in, e.g. `Asia/Shanghai` (shown beside each
    /// buyer's own time).
    pub time_zone: String,
    /// Per locale; English is required.
    pub texts: BTreeMap<String, CampaignText>,
    /// RFC 3339: enrolment opens.
    pub enrol_from: String,
    /// RFC 3339: warm-up (browse, carts, coupons) begins.
    pub warmup_at: String,
    /// RFC 3339: deals apply from…
    pub starts_at: String,
    /// RFC 3339: …until (at most 31 days later).
    pub ends_at: String,
    /// Smallest discount a deal must give below its reference price, in basis points (0–9000).
    pub min_discount_bps: i64,
    /// Fewest units a deal commits (≥ 1).
    pub min_units: i64,
    /// Eligible category ids (empty: all).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Eligible ship-from countries (empty: all).
    #[serde(default)]
    pub ship_from: Vec<String>,
    /// A banner image (`/media/img_…` from the image upload).
    pub banner: Option<String>,
}

/// A campaign as buyers and merchants see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    /// `cmp_…`.
    pub id: String,
    /// URL name.
    pub slug: String,
    /// In the caller's language (fallback English).
    pub name: String,
    /// In the caller's language (fallback English).
    pub description: String,
    /// Declared time zone.
    pub time_zone: String,
    /// announced | enrolment | warm_up | live | ended.
    pub phase: String,
    /// RFC 3339.
    pub enrol_from: String,
    /// RFC 3339.
    pub warmup_at: String,
    /// RFC 3339.
    pub starts_at: String,
    /// RFC 3339.
    pub ends_at: String,
    /// Smallest discount below the reference price, basis points.
    pub min_discount_bps: i64,
    /// Fewest committed units per deal.
    pub min_units: i64,
    /// Eligible categories (empty: all).
    pub categories: Vec<String>,
    /// Eligible ship-from countries (empty: all).
    pub ship_from: Vec<String>,
    /// Banner image.
    pub banner: Option<String>,
    /// Approved deals (in the detail view only).
    pub deals: Vec<DealView>,
}

impl Market {
    /// An operator creates a campaign.
    pub async fn create_campaign(
        &self,
        actor: &Actor,
        c: CampaignInput,
        locale: Locale,
    ) -> Result<CampaignView, MarketError> {
        actor.require(Role::Operator)?;
        let record = campaign_record(&c, self.now())?;
        let texts = campaign_texts(&record.id, &c.texts)?;
        self.store
            .insert_campaign(&record, &texts)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Conflict => {
                    MarketError::new(Code::InvalidCampaign, "a campaign with this slug exists")
                }
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        Ok(self.campaign_view(record, &texts, locale, Vec::new()))
    }

    /// The stored campaign with this id or slug; `not_found` if none.
    pub(crate) async fn campaign_named(
        &self,
        id_or_slug: &str,
    ) -> Result<CampaignRecord, MarketError> {
        self.store
            .campaign(id_or_slug)
            .await?
            .ok_or_else(|| MarketError::not_found("campaign"))
    }

    /// Every campaign, newest first.
    pub async fn campaigns(&self, locale: Locale) -> Result<Vec<CampaignView>, MarketError> {
        let records = self.store.campaigns().await?;
        let ids: Vec<String> = records.iter().map(|c| c.id.clone()).collect();
        let texts = self.store.campaign_texts(&ids).await?;
        Ok(records
            .into_iter()
            .map(|c| self.campaign_view(c, &texts, locale, Vec::new()))
            .collect())
    }

    /// One campaign (by id or slug) with its approved deals.
    pub async fn campaign(&self, id: &str, locale: Locale) -> Result<CampaignView, MarketError> {
        let c = self.campaign_named(id).await?;
        let texts = self
            .store
            .campaign_texts(std::slice::from_ref(&c.id))
            .await?;
        let deals = self.store.deals_by("campaign_id", &c.id).await?;
        let window = window_of(&c);
        let mut views = Vec::new();
        for d in deals.into_iter().filter(|d| d.status == "approved") {
            views.push(deal_view(self, d, window, locale).await?);
        }
        Ok(self.campaign_view(c, &texts, locale, views))
    }

    pub(crate) fn campaign_view(
        &self,
        c: CampaignRecord,
        texts: &[CampaignTextRecord],
        locale: Locale,
        deals: Vec<DealView>,
    ) -> CampaignView {
        let own: Vec<(Locale, &CampaignTextRecord)> = texts
            .iter()
            .filter(|t| t.campaign_id == c.id)
            .filter_map(|t| Locale::parse(&t.locale).ok().map(|l| (l, t)))
            .collect();
        let text = pick(&own, locale, Locale::En);
        let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
        CampaignView {
            phase: window_of(&c).phase(self.now()).as_str().to_owned(),
            name: text
                .map(|t| t.name.clone())
                .unwrap_or_else(|| c.slug.clone()),
            description: text.map(|t| t.description.clone()).unwrap_or_default(),
            enrol_from: rfc3339(c.enrol_from),
            warmup_at: rfc3339(c.warmup_at),
            starts_at: rfc3339(c.starts_at),
            ends_at: rfc3339(c.ends_at),
            categories: list(&c.categories),
            ship_from: list(&c.ship_from),
            id: c.id,
            slug: c.slug,
            time_zone: c.time_zone,
            min_discount_bps: c.min_discount_bps,
            min_units: c.min_units,
            banner: c.banner,
            deals,
        }
    }
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidCampaign, message)
}

/// The record of a checked campaign.
fn campaign_record(c: &CampaignInput, now: i64) -> Result<CampaignRecord, MarketError> {
    let at = |s: &str| {
        parse_rfc3339(s).ok_or_else(|| bad("instants are RFC 3339, e.g. 2026-11-11T00:00:00+08:00"))
    };
    let window = Window {
        enrol_from: at(&c.enrol_from)?,
        warmup_at: at(&c.warmup_at)?,
        starts_at: at(&c.starts_at)?,
        ends_at: at(&c.ends_at)?,
    }
    .check()?;
    let zone_ok = (1..=64).contains(&c.time_zone.len())
        && c.time_zone
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
    if !zone_ok {
        return Err(bad("a time zone is an IANA name such as Asia/Shanghai"));
    }
    if !(0..=9000).contains(&c.min_discount_bps) || !(1..=1_000_000).contains(&c.min_units) {
        return Err(bad(
            "a minimum discount is 0 to 9000 basis points, minimum units 1 to 10^6",
        ));
    }
    let countries: Vec<String> = c
        .ship_from
        .iter()
        .map(|s| Country::parse(s).map(|c| c.code().to_owned()))
        .collect::<Result<_, _>>()?;
    if c.categories.len() > 200 || c.categories.iter().any(|id| id.len() > 64) {
        return Err(bad("at most 200 eligible categories"));
    }
    let banner = c.banner.as_deref().map(str::trim).filter(|b| !b.is_empty());
    if banner.is_some_and(|b| !b.starts_with("/media/img_") || b.len() > 80) {
        return Err(bad("a banner is an uploaded image's /media/img_… address"));
    }
    Ok(CampaignRecord {
        id: CampaignId::generate().to_string(),
        slug: slug(&c.slug)?,
        time_zone: c.time_zone.clone(),
        enrol_from: window.enrol_from,
        warmup_at: window.warmup_at,
        starts_at: window.starts_at,
        ends_at: window.ends_at,
        min_discount_bps: c.min_discount_bps,
        min_units: c.min_units,
        categories: serde_json::to_string(&c.categories).unwrap_or_else(|_| "[]".into()),
        ship_from: serde_json::to_string(&countries).unwrap_or_else(|_| "[]".into()),
        banner: banner.map(str::to_owned),
        created_at: now,
    })
}

/// The checked texts: English required, names 1 to 120 characters, descriptions up to 2,000.
fn campaign_texts(
    id: &str,
    texts: &BTreeMap<String, CampaignText>,
) -> Result<Vec<CampaignTextRecord>, MarketError> {
    if !texts.contains_key("en") || texts.len() > 8 {
        return Err(bad(
            "a campaign needs its English name (and at most the eight locales)",
        ));
    }
    texts
        .iter()
        .map(|(locale, t)| {
            let locale = Locale::parse(locale)?;
            let description = if t.description.trim().is_empty() {
                String::new()
            } else {
                clean_name(&t.description, 2000, Code::InvalidCampaign, "a description")?
            };
            Ok(CampaignTextRecord {
                campaign_id: id.to_owned(),
                locale: locale.code().to_owned(),
                name: clean_name(&t.name, 120, Code::InvalidCampaign, "a campaign name")?,
                description,
            })
        })
        .collect()
}
