//! Pop-up promotions: operators schedule banners and dismissible notices inside a campaign
//! ("the flash deal starts in 10 minutes", "collect a €5 coupon"), targeted by country and
//! language and shown only in their window. Pages read the showing ones from the cached
//! tables, so a page view costs no query; a new or withdrawn promotion moves the catalogue
//! version and every node rereads them.

use super::live::window_of;
use crate::accounts::Actor;
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::id::{PromotionId, TypedId};
use caravan_domain::locale::pick;
use caravan_domain::{parse_rfc3339, rfc3339, Country, Locale};
use caravan_store::promotions::{PromotionRecord, Withdrawal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A new promotion.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionInput {
    /// `banner` (across the top of every page) or `notice` (a line the buyer can dismiss).
    pub kind: String,
    /// RFC 3339: shown from (not before the campaign's warm-up)…
    pub shows_from: String,
    /// …until (not after the campaign's end).
    pub shows_to: String,
    /// Countries of the buyers it is shown to (empty: everyone).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Languages of the pages it is shown on (empty: all).
    #[serde(default)]
    pub locales: Vec<String>,
    /// The text per locale, 1 to 200 characters; English is required.
    pub texts: BTreeMap<String, String>,
    /// Where it leads: a path on this site such as `/coupons` or `/festival/double-eleven`.
    pub link: Option<String>,
}

/// A promotion.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PromotionView {
    /// `pro_…`.
    pub id: String,
    /// `cmp_…`.
    pub campaign_id: String,
    /// banner | notice.
    pub kind: String,
    /// RFC 3339.
    pub shows_from: String,
    /// RFC 3339.
    pub shows_to: String,
    /// Targeted countries (empty: everyone).
    pub countries: Vec<String>,
    /// Targeted languages (empty: all).
    pub locales: Vec<String>,
    /// In the caller's language (fallback English).
    pub text: String,
    /// Every language's text.
    pub texts: BTreeMap<String, String>,
    /// A path on this site.
    pub link: Option<String>,
    /// scheduled | showing | ended | withdrawn.
    pub status: String,
}

impl Market {
    /// An operator schedules a promotion in a campaign (`cmp_…` or its slug).
    pub async fn create_promotion(
        &self,
        actor: &Actor,
        campaign: &str,
        p: PromotionInput,
        locale: Locale,
    ) -> Result<PromotionView, MarketError> {
        actor.require(Role::Operator)?;
        let c = self.campaign_named(campaign).await?;
        let record = promotion_record(&p, &c.id, window_of(&c), self.now())?;
        self.store.insert_promotion(&record).await?;
        self.inner.cache.invalidate();
        Ok(view(&record, locale, self.now()))
    }

    /// Every promotion of a campaign, withdrawn ones included (operators).
    pub async fn campaign_promotions(
        &self,
        actor: &Actor,
        campaign: &str,
        locale: Locale,
    ) -> Result<Vec<PromotionView>, MarketError> {
        actor.require(Role::Operator)?;
        let c = self.campaign_named(campaign).await?;
        let now = self.now();
        Ok(self
            .store
            .campaign_promotions(&c.id)
            .await?
            .iter()
            .map(|r| view(r, locale, now))
            .collect())
    }

    /// An operator withdraws a promotion: it stops showing at once, on every node within the
    /// catalogue check's interval.
    pub async fn withdraw_promotion(&self, actor: &Actor, id: &str) -> Result<(), MarketError> {
        actor.require(Role::Operator)?;
        match self.store.withdraw_promotion(id, self.now()).await? {
            Withdrawal::Done => {
                self.inner.cache.invalidate();
                Ok(())
            }
            Withdrawal::Already => Err(MarketError::new(
                Code::PromotionWithdrawn,
                "the promotion was withdrawn already",
            )),
            Withdrawal::Missing => Err(MarketError::not_found("promotion")),
        }
    }

    /// The promotions showing now to a buyer in `country` (none: only those for everyone)
    /// reading `locale`, banners first.
    pub async fn showing_promotions(
        &self,
        country: Option<&str>,
        locale: Locale,
    ) -> Result<Vec<PromotionView>, MarketError> {
        let country = match country {
            Some(c) => Country::parse(c)?.code().to_owned(),
            None => String::new(),
        };
        let country = country.as_str();
        let tables = self.tables().await?;
        let now = self.now();
        let mut out: Vec<PromotionView> = tables
            .promotions
            .iter()
            .filter(|p| p.shows_from <= now && now < p.shows_to)
            .map(|p| view(p, locale, now))
            .filter(|v| targets(&v.countries, country) && targets(&v.locales, locale.code()))
            .collect();
        out.sort_by_key(|v| v.kind != "banner");
        Ok(out)
    }
}

/// Whether a target list (empty: everyone) includes `value`.
fn targets(list: &[String], value: &str) -> bool {
    list.is_empty() || list.iter().any(|v| v == value)
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidPromotion, message)
}

/// The record of a checked promotion in the campaign of `window`.
fn promotion_record(
    p: &PromotionInput,
    campaign_id: &str,
    window: caravan_domain::festival::Window,
    now: i64,
) -> Result<PromotionRecord, MarketError> {
    if p.kind != "banner" && p.kind != "notice" {
        return Err(bad("a promotion is a banner or a notice"));
    }
    let at = |s: &str| parse_rfc3339(s).ok_or_else(|| bad("instants are RFC 3339"));
    let (from, to) = (at(&p.shows_from)?, at(&p.shows_to)?);
    if from >= to || from < window.warmup_at || to > window.ends_at {
        return Err(bad(
            "a promotion shows inside its campaign, from the warm-up to the end, and ends after it starts",
        ));
    }
    let countries: Vec<String> = p
        .countries
        .iter()
        .map(|c| Country::parse(c).map(|c| c.code().to_owned()))
        .collect::<Result<_, _>>()?;
    let locales: Vec<String> = p
        .locales
        .iter()
        .map(|l| Locale::parse(l).map(|l| l.code().to_owned()))
        .collect::<Result<_, _>>()?;
    if countries.len() > 250 {
        return Err(bad("at most 250 countries"));
    }
    Ok(PromotionRecord {
        id: PromotionId::generate().to_string(),
        campaign_id: campaign_id.to_owned(),
        kind: p.kind.clone(),
        shows_from: from,
        shows_to: to,
        countries: serde_json::to_string(&countries).unwrap_or_else(|_| "[]".into()),
        locales: serde_json::to_string(&locales).unwrap_or_else(|_| "[]".into()),
        texts: serde_json::to_string(&texts(&p.texts)?).unwrap_or_else(|_| "{}".into()),
        link: link(p.link.as_deref())?,
        withdrawn_at: None,
        created_at: now,
    })
}

/// The checked texts: English required, 1 to 200 characters each.
fn texts(texts: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, MarketError> {
    if !texts.contains_key("en") || texts.len() > 8 {
        return Err(bad(
            "a promotion needs its English text (and at most the eight locales)",
        ));
    }
    texts
        .iter()
        .map(|(l, t)| {
            let l = Locale::parse(l)?;
            let t = clean_name(t, 200, Code::InvalidPromotion, "a promotion's text")?;
            Ok((l.code().to_owned(), t))
        })
        .collect()
}

/// A link is a path on this site (`/…`, not `//host`), up to 200 visible characters.
fn link(link: Option<&str>) -> Result<Option<String>, MarketError> {
    let Some(l) = link.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let ok = l.starts_with('/')
        && !l.starts_with("//")
        && l.len() <= 200
        && l.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if !ok {
        return Err(bad("a link is a path on this site, such as /coupons"));
    }
    Ok(Some(l.to_owned()))
}

fn view(r: &PromotionRecord, locale: Locale, now: i64) -> PromotionView {
    let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
    let texts: BTreeMap<String, String> = serde_json::from_str(&r.texts).unwrap_or_default();
    let own: Vec<(Locale, &String)> = texts
        .iter()
        .filter_map(|(l, t)| Locale::parse(l).ok().map(|l| (l, t)))
        .collect();
    let status = match r.withdrawn_at {
        Some(_) => "withdrawn",
        None if now < r.shows_from => "scheduled",
        None if now < r.shows_to => "showing",
        None => "ended",
    };
    PromotionView {
        id: r.id.clone(),
        campaign_id: r.campaign_id.clone(),
        kind: r.kind.clone(),
        shows_from: rfc3339(r.shows_from),
        shows_to: rfc3339(r.shows_to),
        countries: list(&r.countries),
        locales: list(&r.locales),
        text: pick(&own, locale, Locale::En)
            .map(|t| (*t).clone())
            .unwrap_or_default(),
        texts: texts.clone(),
        link: r.link.clone(),
        status: status.to_owned(),
    }
}
