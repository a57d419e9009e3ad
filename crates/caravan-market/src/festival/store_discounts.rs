//! Store discounts: a merchant takes a percentage off everything in its store while a campaign
//! is live, from a minimum spend — the second step of the stacking order (deal price → store
//! discount → store coupon → platform coupon, ADR 0010). Funded by the merchant: it lowers the
//! lines the store earns on and needs no posting of its own. Pricing reads them from the cached
//! tables; creating or withdrawing one moves the catalogue version.

use super::live::window_of;
use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::coupon::{reaches, CouponStep, Cut};
use caravan_domain::festival::{Phase, Window};
use caravan_domain::id::{StoreDiscountId, TypedId};
use caravan_domain::pricing::Stage;
use caravan_store::festival::CampaignRecord;
use caravan_store::store_discounts::StoreDiscountRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A new store discount.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreDiscountInput {
    /// `cmp_…`: the campaign it runs in (while it is live).
    pub campaign_id: String,
    /// What it takes off every line, basis points (1–9000: 0.01% to 90%).
    pub percent_bps: i64,
    /// Smallest store order it applies to (after deal prices), the store's currency, minor units.
    #[serde(default)]
    pub min_spend_minor: i64,
}

/// A store discount.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoreDiscountView {
    /// `sdc_…`.
    pub id: String,
    /// `cmp_…`.
    pub campaign_id: String,
    /// Basis points off.
    pub percent_bps: i64,
    /// Smallest store order it applies to.
    pub min_spend: MoneyView,
    /// active | withdrawn.
    pub status: String,
}

/// A store discount as pricing sees it.
#[derive(Debug, Clone)]
pub(crate) struct LiveStoreDiscount {
    pub id: String,
    pub percent_bps: i64,
    pub min_spend_minor: i64,
    window: Window,
}

impl LiveStoreDiscount {
    /// Its pricing step on a store order of `goods` (after deal prices), if it applies.
    pub fn step(&self, goods: i64) -> Option<CouponStep> {
        reaches(goods, self.min_spend_minor).then(|| CouponStep {
            stage: Stage::StoreDiscount,
            source: self.id.clone(),
            cut: Cut::Percent(self.percent_bps),
        })
    }
}

/// Open store discounts by store.
#[derive(Debug, Default)]
pub(crate) struct StoreDiscountTable(HashMap<String, Vec<LiveStoreDiscount>>);

impl StoreDiscountTable {
    /// The table of `discounts` in `campaigns`.
    pub fn new(discounts: Vec<StoreDiscountRecord>, campaigns: &[CampaignRecord]) -> Self {
        let windows: HashMap<&str, Window> = campaigns
            .iter()
            .map(|c| (c.id.as_str(), window_of(c)))
            .collect();
        let mut table = HashMap::<String, Vec<LiveStoreDiscount>>::new();
        for d in discounts {
            if let Some(window) = windows.get(d.campaign_id.as_str()).copied() {
                table
                    .entry(d.merchant_id)
                    .or_default()
                    .push(LiveStoreDiscount {
                        id: d.id,
                        percent_bps: d.percent_bps,
                        min_spend_minor: d.min_spend_minor,
                        window,
                    });
            }
        }
        Self(table)
    }

    /// The store's discount while a campaign of it is live at `now` (the largest, if several).
    pub fn offered(&self, merchant_id: &str, now: i64) -> Option<LiveStoreDiscount> {
        self.0
            .get(merchant_id)?
            .iter()
            .filter(|d| d.window.phase(now) == Phase::Live)
            .max_by_key(|d| d.percent_bps)
            .cloned()
    }
}

impl Market {
    /// A merchant gives a discount on its whole store during a campaign.
    pub async fn create_store_discount(
        &self,
        actor: &Actor,
        d: StoreDiscountInput,
    ) -> Result<StoreDiscountView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let c = self.enrolling_campaign(&d.campaign_id).await?;
        let ship_from: Vec<String> = serde_json::from_str(&c.ship_from).unwrap_or_default();
        if !ship_from.is_empty() && !ship_from.contains(&m.country) {
            return Err(MarketError::new(
                Code::NotEligible,
                "the campaign is for stores shipping from other countries",
            ));
        }
        let max = caravan_domain::catalogue::MAX_PRICE_MINOR;
        if !(1..=9000).contains(&d.percent_bps) || !(0..=max).contains(&d.min_spend_minor) {
            return Err(MarketError::new(
                Code::InvalidStoreDiscount,
                "a store discount takes 0.01% to 90% off (1 to 9000 basis points), from a minimum spend of 0 to 10^12",
            ));
        }
        let record = StoreDiscountRecord {
            id: StoreDiscountId::generate().to_string(),
            campaign_id: c.id,
            merchant_id: m.id,
            percent_bps: d.percent_bps,
            min_spend_minor: d.min_spend_minor,
            currency: m.settlement_currency,
            withdrawn_at: None,
            created_at: self.now(),
        };
        self.store
            .insert_store_discount(&record)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Conflict => MarketError::new(
                    Code::StoreDiscountExists,
                    "the store already has a discount in this campaign",
                ),
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        Ok(view(&record))
    }

    /// The acting merchant's store discounts, newest first.
    pub async fn my_store_discounts(
        &self,
        actor: &Actor,
    ) -> Result<Vec<StoreDiscountView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let all = self.store.store_discounts_of(&m.id).await?;
        Ok(all.iter().map(view).collect())
    }

    /// The merchant withdraws one of its store discounts: later checkouts no longer get it.
    pub async fn withdraw_store_discount(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(), MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        if !self
            .store
            .withdraw_store_discount(id, &m.id, self.now())
            .await?
        {
            return Err(MarketError::not_found("store discount"));
        }
        self.inner.cache.invalidate();
        Ok(())
    }
}

fn view(r: &StoreDiscountRecord) -> StoreDiscountView {
    StoreDiscountView {
        id: r.id.clone(),
        campaign_id: r.campaign_id.clone(),
        percent_bps: r.percent_bps,
        min_spend: MoneyView::new(r.min_spend_minor, &r.currency),
        status: if r.withdrawn_at.is_some() {
            "withdrawn"
        } else {
            "active"
        }
        .to_owned(),
    }
}

/// A store's discount as buyers see it on the campaign.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoreDiscountBadge {
    /// `mer_…`.
    pub merchant_id: String,
    /// The store's name.
    pub store_name: String,
    /// Basis points off everything in the store while the campaign is live.
    pub percent_bps: i64,
    /// From this store order (after deal prices), the store's currency.
    pub min_spend: MoneyView,
}

impl Market {
    /// The stores giving a discount on everything in a campaign (by id or slug), largest first.
    pub async fn campaign_store_discounts(
        &self,
        campaign: &str,
    ) -> Result<Vec<StoreDiscountBadge>, MarketError> {
        let c = self.campaign_named(campaign).await?;
        let rows = self.store.campaign_store_discounts(&c.id).await?;
        Ok(rows
            .into_iter()
            .map(|(d, store_name)| StoreDiscountBadge {
                min_spend: MoneyView::new(d.min_spend_minor, &d.currency),
                merchant_id: d.merchant_id,
                store_name,
                percent_bps: d.percent_bps,
            })
            .collect())
    }
}
