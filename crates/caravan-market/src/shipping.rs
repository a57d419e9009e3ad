//! Merchants' shipping rules: destinations × methods, weight bands, free-shipping thresholds.

use crate::accounts::Actor;
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::shipping::{ShippingMethod, ShippingRule, WeightBand};
use caravan_domain::Country;
use caravan_store::commerce::ShippingRuleRecord;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// A weight band.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BandInput {
    /// Upper weight bound, inclusive.
    pub up_to_grams: i64,
    /// Price in minor units of the store's currency.
    pub price_minor: i64,
}

/// One rule.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    /// Alpha-2 country, or `*` for the rest of the world.
    pub destination: String,
    /// economy, standard or express.
    pub method: String,
    /// Price by weight, by increasing weight.
    pub bands: Vec<BandInput>,
    /// Free when the parcel's goods cost at least this (minor units).
    pub free_over_minor: Option<i64>,
    /// Delivery estimate, days.
    pub min_days: i64,
    /// Delivery estimate, days.
    pub max_days: i64,
}

/// All of a store's rules (replaces what was there).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingRules {
    /// Up to 500 rules; one per destination and method.
    pub rules: Vec<RuleInput>,
}

/// The rules as stored, with the currency of their prices.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShippingRulesView {
    /// The store's settlement currency.
    pub currency: String,
    /// The rules.
    pub rules: Vec<RuleInput>,
}

pub(crate) fn parse_rule(r: &ShippingRuleRecord) -> Option<ShippingRule> {
    Some(ShippingRule {
        destination: if r.destination == "*" {
            None
        } else {
            Some(Country::parse(&r.destination).ok()?)
        },
        method: ShippingMethod::parse(&r.method).ok()?,
        bands: serde_json::from_str::<Vec<WeightBand>>(&r.bands).ok()?,
        free_over_minor: r.free_over_minor,
        min_days: r.min_days,
        max_days: r.max_days,
    })
}

fn input(r: &ShippingRuleRecord) -> RuleInput {
    RuleInput {
        destination: r.destination.clone(),
        method: r.method.clone(),
        bands: serde_json::from_str::<Vec<WeightBand>>(&r.bands)
            .unwrap_or_default()
            .into_iter()
            .map(|b| BandInput {
                up_to_grams: b.up_to_grams,
                price_minor: b.price_minor,
            })
            .collect(),
        free_over_minor: r.free_over_minor,
        min_days: r.min_days,
        max_days: r.max_days,
    }
}

fn rule_id() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!("shp_{}", hex::encode(b))
}

impl Market {
    /// The acting merchant replaces its shipping rules.
    pub async fn set_shipping(
        &self,
        actor: &Actor,
        s: ShippingRules,
    ) -> Result<ShippingRulesView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        if s.rules.len() > 500 {
            return Err(MarketError::new(Code::InvalidShipping, "at most 500 rules"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut records = Vec::with_capacity(s.rules.len());
        for r in &s.rules {
            let destination = if r.destination == "*" {
                None
            } else {
                Some(Country::parse(&r.destination)?)
            };
            let rule = ShippingRule {
                destination,
                method: ShippingMethod::parse(&r.method)?,
                bands: r
                    .bands
                    .iter()
                    .map(|b| WeightBand {
                        up_to_grams: b.up_to_grams,
                        price_minor: b.price_minor,
                    })
                    .collect(),
                free_over_minor: r.free_over_minor,
                min_days: r.min_days,
                max_days: r.max_days,
            };
            rule.validate()?;
            let dest = destination
                .map(|c| c.code().to_owned())
                .unwrap_or_else(|| "*".to_owned());
            if !seen.insert((dest.clone(), rule.method)) {
                return Err(MarketError::new(
                    Code::InvalidShipping,
                    format!("two {} rules for {dest}", rule.method.as_str()),
                ));
            }
            records.push(ShippingRuleRecord {
                id: rule_id(),
                merchant_id: m.id.clone(),
                destination: dest,
                method: rule.method.as_str().to_owned(),
                bands: serde_json::to_string(&rule.bands)
                    .map_err(|e| MarketError::internal(e.to_string()))?,
                free_over_minor: rule.free_over_minor,
                min_days: rule.min_days,
                max_days: rule.max_days,
            });
        }
        self.store
            .replace_shipping_rules(&m.id, &records, self.now())
            .await?;
        self.inner.cache.invalidate();
        Ok(ShippingRulesView {
            currency: m.settlement_currency,
            rules: records.iter().map(input).collect(),
        })
    }

    /// Saves one rule, replacing the store's rule for the same destination and method.
    pub async fn put_shipping_rule(
        &self,
        actor: &Actor,
        rule: RuleInput,
    ) -> Result<ShippingRulesView, MarketError> {
        let mut rules = self.shipping(actor).await?.rules;
        rules.retain(|r| !(r.destination == rule.destination && r.method == rule.method));
        rules.push(rule);
        self.set_shipping(actor, ShippingRules { rules }).await
    }

    /// Removes the store's rule for `destination` and `method` (nothing if there is none).
    pub async fn remove_shipping_rule(
        &self,
        actor: &Actor,
        destination: &str,
        method: &str,
    ) -> Result<ShippingRulesView, MarketError> {
        let mut rules = self.shipping(actor).await?.rules;
        rules.retain(|r| !(r.destination == destination && r.method == method));
        self.set_shipping(actor, ShippingRules { rules }).await
    }

    /// The acting merchant's shipping rules.
    pub async fn shipping(&self, actor: &Actor) -> Result<ShippingRulesView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let records = self
            .store
            .shipping_rules(std::slice::from_ref(&m.id))
            .await?;
        Ok(ShippingRulesView {
            currency: m.settlement_currency,
            rules: records.iter().map(input).collect(),
        })
    }
}
