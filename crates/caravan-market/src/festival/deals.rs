//! Deals: a merchant enrols a variant in a campaign with a deal price, the units it commits, a
//! per-buyer limit and an optional flash slot; the reference price is frozen at enrolment from
//! the variant's price history (EU Omnibus); an operator approves or rejects it.

use super::live::window_of;
use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::festival::{
    check_deal, discount_bps, reference_price, DealRules, DealTerms, Window,
};
use caravan_domain::id::{CampaignId, DealId, TypedId, VariantId};
use caravan_domain::locale::pick;
use caravan_domain::{parse_rfc3339, rfc3339, Locale};
use caravan_store::festival::{CampaignRecord, DealRecord};
use serde::{Deserialize, Serialize};

/// A merchant's deal commitment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealInput {
    /// `cmp_…`.
    pub campaign_id: String,
    /// `var_…`, one of the store's.
    pub variant_id: String,
    /// Deal price per unit, minor units of the store's currency.
    pub price_minor: i64,
    /// Units committed (the deal's cap), taken from the variant's stock.
    pub cap: i64,
    /// Units one buyer may take (1 to 99).
    pub per_buyer: i64,
    /// RFC 3339: a flash slot's start, inside the campaign.
    pub slot_from: Option<String>,
    /// RFC 3339: the flash slot's end.
    pub slot_to: Option<String>,
}

/// An operator's decision on a deal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealDecision {
    /// approve or reject.
    pub decision: DealVerdict,
}

/// approve or reject.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DealVerdict {
    /// The deal applies while its campaign (or slot) is live.
    Approve,
    /// The deal never applies.
    Reject,
}

/// A deal as buyers, its store and operators see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DealView {
    /// `del_…`.
    pub id: String,
    /// `cmp_…`.
    pub campaign_id: String,
    /// The store.
    pub merchant_id: String,
    /// `prd_…`.
    pub product_id: String,
    /// `var_…`.
    pub variant_id: String,
    /// The product's title in the caller's language.
    pub title: String,
    /// Deal price per unit.
    pub price: MoneyView,
    /// The lowest price of the 30 days before the campaign (EU Omnibus).
    pub reference_price: MoneyView,
    /// Discount against the reference price, in basis points.
    pub discount_bps: i64,
    /// Units committed.
    pub cap: i64,
    /// Units claimed so far.
    pub claimed: i64,
    /// Per cent of the units claimed (0–100).
    pub claimed_percent: i64,
    /// Units one buyer may take.
    pub per_buyer: i64,
    /// RFC 3339 start of the flash slot.
    pub slot_from: Option<String>,
    /// RFC 3339 end of the flash slot.
    pub slot_to: Option<String>,
    /// RFC 3339: when the deal stops applying (its slot's end, else the campaign's).
    pub ends_at: String,
    /// pending | approved | rejected.
    pub status: String,
    /// The deal applies now.
    pub live: bool,
    /// Every committed unit is claimed.
    pub sold_out: bool,
}

impl Market {
    /// The acting merchant enrols one of its variants in a campaign.
    pub async fn enrol_deal(
        &self,
        actor: &Actor,
        d: DealInput,
        locale: Locale,
    ) -> Result<DealView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let c = self.enrolling_campaign(&d.campaign_id).await?;
        let variant_id = VariantId::parse(&d.variant_id)?;
        let v = self
            .store
            .variant(variant_id.as_str())
            .await?
            .filter(|v| v.merchant_id == m.id)
            .ok_or_else(|| MarketError::not_found("variant"))?;
        self.check_eligible(&c, &v.product_id).await?;
        let history = self.store.price_history(&v.id).await?;
        let reference = reference_price(&history, c.starts_at).unwrap_or(v.price_minor);
        let terms = check_deal(deal_terms(&d)?, deal_rules(&c), reference, v.stock)?;
        let record = DealRecord {
            id: DealId::generate().to_string(),
            campaign_id: c.id.clone(),
            merchant_id: m.id,
            product_id: v.product_id,
            variant_id: v.id,
            price_minor: terms.price_minor,
            currency: v.price_currency,
            reference_minor: reference,
            cap: terms.cap,
            claimed: 0,
            per_buyer: terms.per_buyer,
            slot_from: terms.slot.map(|s| s.0),
            slot_to: terms.slot.map(|s| s.1),
            status: "pending".into(),
            created_at: self.now(),
            decided_at: None,
        };
        self.store.insert_deal(&record).await.map_err(|e| match e {
            caravan_store::StoreError::Conflict => MarketError::new(
                Code::DealExists,
                "this variant already has a deal in the campaign",
            ),
            other => other.into(),
        })?;
        deal_view(self, record, window_of(&c), locale).await
    }

    /// The deal offered now on a variant, with its units claimed so far (for the product page).
    pub async fn deal_on(
        &self,
        variant_id: &str,
        locale: Locale,
    ) -> Result<Option<DealView>, MarketError> {
        let tables = self.tables().await?;
        let Some(live) = tables.deals.offered(variant_id, self.now()) else {
            return Ok(None);
        };
        let (Some(d), window) = (self.store.deal(&live.id).await?, live.window) else {
            return Ok(None);
        };
        Ok(Some(deal_view(self, d, window, locale).await?))
    }

    /// The acting merchant's deals, in every campaign.
    pub async fn my_deals(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Vec<DealView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        self.deal_views(self.store.deals_by("merchant_id", &m.id).await?, locale)
            .await
    }

    /// Every deal of a campaign, pending ones included (operators).
    pub async fn campaign_deals(
        &self,
        actor: &Actor,
        campaign: &str,
        locale: Locale,
    ) -> Result<Vec<DealView>, MarketError> {
        actor.require(Role::Operator)?;
        let c = self.campaign_named(campaign).await?;
        self.deal_views(self.store.deals_by("campaign_id", &c.id).await?, locale)
            .await
    }

    /// An operator approves or rejects a pending deal.
    pub async fn decide_deal(
        &self,
        actor: &Actor,
        id: &str,
        d: DealDecision,
        locale: Locale,
    ) -> Result<DealView, MarketError> {
        actor.require(Role::Operator)?;
        let id = DealId::parse(id)?;
        let status = match d.decision {
            DealVerdict::Approve => "approved",
            DealVerdict::Reject => "rejected",
        };
        let now = self.now();
        self.store
            .decide_deal(id.as_str(), status, now)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Stale => MarketError::new(
                    Code::InvalidTransition,
                    "the deal is not pending (or does not exist)",
                ),
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        let record = self
            .store
            .deal(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("deal"))?;
        let mut views = self.deal_views(vec![record], locale).await?;
        views.pop().ok_or_else(|| MarketError::not_found("deal"))
    }

    async fn deal_views(
        &self,
        deals: Vec<DealRecord>,
        locale: Locale,
    ) -> Result<Vec<DealView>, MarketError> {
        let mut windows = std::collections::HashMap::new();
        let mut views = Vec::with_capacity(deals.len());
        for d in deals {
            let window = match windows.get(&d.campaign_id) {
                Some(w) => *w,
                None => {
                    let c = self.store.campaign(&d.campaign_id).await?;
                    let w = c
                        .as_ref()
                        .map(window_of)
                        .ok_or_else(|| MarketError::internal("a deal without its campaign"))?;
                    windows.insert(d.campaign_id.clone(), w);
                    w
                }
            };
            views.push(deal_view(self, d, window, locale).await?);
        }
        Ok(views)
    }

    /// The campaign if it takes enrolments now.
    pub(crate) async fn enrolling_campaign(&self, id: &str) -> Result<CampaignRecord, MarketError> {
        let id = CampaignId::parse(id)?;
        let c = self.campaign_named(id.as_str()).await?;
        if !window_of(&c).enrolling(self.now()) {
            return Err(MarketError::new(
                Code::CampaignClosed,
                "the campaign is not taking enrolments",
            ));
        }
        Ok(c)
    }

    /// `not_eligible` unless the product's category and ship-from country are the campaign's.
    async fn check_eligible(
        &self,
        c: &CampaignRecord,
        product_id: &str,
    ) -> Result<(), MarketError> {
        let p = self
            .store
            .product(product_id)
            .await?
            .ok_or_else(|| MarketError::not_found("product"))?;
        let cats: Vec<String> = serde_json::from_str(&c.categories).unwrap_or_default();
        let from: Vec<String> = serde_json::from_str(&c.ship_from).unwrap_or_default();
        let ships_from = &p.ship_from_country;
        let category_ok = cats.is_empty() || self.category_within(&p.category_id, &cats).await?;
        if !category_ok || !(from.is_empty() || from.contains(ships_from)) {
            return Err(MarketError::new(
                Code::NotEligible,
                "the product's category or ship-from country is not eligible for this campaign",
            ));
        }
        Ok(())
    }

    /// Whether `category` is one of `allowed` or below one of them.
    async fn category_within(
        &self,
        category: &str,
        allowed: &[String],
    ) -> Result<bool, MarketError> {
        let all = self.store.categories().await?;
        let mut at = Some(category.to_owned());
        while let Some(id) = at {
            if allowed.contains(&id) {
                return Ok(true);
            }
            at = all
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.parent_id.clone());
        }
        Ok(false)
    }
}

fn deal_terms(d: &DealInput) -> Result<DealTerms, MarketError> {
    let at = |s: &Option<String>| -> Result<Option<i64>, MarketError> {
        s.as_deref()
            .map(|v| {
                parse_rfc3339(v).ok_or_else(|| {
                    MarketError::new(Code::InvalidDeal, "a flash slot's instants are RFC 3339")
                })
            })
            .transpose()
    };
    let slot = match (at(&d.slot_from)?, at(&d.slot_to)?) {
        (Some(from), Some(to)) => Some((from, to)),
        (None, None) => None,
        _ => {
            return Err(MarketError::new(
                Code::InvalidDeal,
                "a flash slot has both a start and an end",
            ))
        }
    };
    Ok(DealTerms {
        price_minor: d.price_minor,
        cap: d.cap,
        per_buyer: d.per_buyer,
        slot,
    })
}

fn deal_rules(c: &CampaignRecord) -> DealRules {
    DealRules {
        window: window_of(c),
        min_discount_bps: c.min_discount_bps,
        min_units: c.min_units,
    }
}

/// A deal's view, with its product's title in `locale`.
pub(crate) async fn deal_view(
    market: &Market,
    d: DealRecord,
    window: Window,
    locale: Locale,
) -> Result<DealView, MarketError> {
    let texts = market
        .store
        .product_texts(std::slice::from_ref(&d.product_id))
        .await?;
    let titles: Vec<(Locale, String)> = texts
        .into_iter()
        .filter_map(|t| Locale::parse(&t.locale).ok().map(|l| (l, t.title)))
        .collect();
    let title = pick(&titles, locale, Locale::En)
        .or_else(|| titles.first().map(|t| &t.1))
        .cloned()
        .unwrap_or_default();
    let slot = d.slot_from.zip(d.slot_to);
    let now = market.now();
    let live = d.status == "approved" && caravan_domain::festival::deal_live(window, slot, now);
    Ok(DealView {
        discount_bps: discount_bps(d.reference_minor, d.price_minor),
        price: MoneyView::new(d.price_minor, &d.currency),
        reference_price: MoneyView::new(d.reference_minor, &d.currency),
        claimed_percent: (d.claimed * 100).checked_div(d.cap).unwrap_or(100),
        sold_out: d.claimed >= d.cap,
        slot_from: d.slot_from.map(rfc3339),
        slot_to: d.slot_to.map(rfc3339),
        ends_at: rfc3339(slot.map_or(window.ends_at, |s| s.1)),
        live,
        title,
        id: d.id,
        campaign_id: d.campaign_id,
        merchant_id: d.merchant_id,
        product_id: d.product_id,
        variant_id: d.variant_id,
        cap: d.cap,
        claimed: d.claimed,
        per_buyer: d.per_buyer,
        status: d.status,
    })
}
