//! Pricing a basket (reads only): lines grouped by merchant, prices in the merchant's currency
//! and the buyer's, platform fees frozen per line, shipping options to the destination.

use crate::{Market, MarketError};
use caravan_domain::fx::{convert, cross_rate_e9, Rate};
use caravan_domain::locale::pick;
use caravan_domain::order::fee;
use caravan_domain::shipping::{rules_for, ShippingMethod};
use caravan_domain::{Country, Currency, Locale, Money};
use caravan_store::merchants::MerchantRecord;
use std::collections::HashMap;

/// One priced line.
#[derive(Debug, Clone)]
pub(crate) struct PricedLine {
    pub variant_id: String,
    pub product_id: String,
    pub sku: String,
    pub title: String,
    pub options: String,
    pub quantity: i64,
    pub stock: i64,
    pub unit_minor: i64,
    pub total_minor: i64,
    pub presentment_minor: i64,
    pub fee_bps: i64,
    pub fee_minor: i64,
    /// Published, and its store approved.
    pub purchasable: bool,
}

/// A shipping option for one merchant's parcel.
#[derive(Debug, Clone)]
pub(crate) struct ShipOption {
    pub method: ShippingMethod,
    pub price_minor: i64,
    pub presentment_minor: i64,
    pub min_days: i64,
    pub max_days: i64,
}

/// One merchant's part of the basket.
#[derive(Debug, Clone)]
pub(crate) struct PricedGroup {
    pub merchant: MerchantRecord,
    pub currency: Currency,
    pub lines: Vec<PricedLine>,
    pub goods_minor: i64,
    pub presentment_goods_minor: i64,
    pub weight_grams: i64,
    pub options: Vec<ShipOption>,
    pub rate_e9: i64,
}

/// A priced basket.
#[derive(Debug, Clone)]
pub(crate) struct PricedCart {
    pub country: Country,
    pub currency: Currency,
    pub groups: Vec<PricedGroup>,
}

fn rate_of(rates: &HashMap<Currency, Rate>, c: Currency) -> Result<Rate, MarketError> {
    rates.get(&c).copied().ok_or_else(|| {
        MarketError::invalid("rate_unavailable", format!("no exchange rate for {c} yet"))
    })
}

impl Market {
    /// Prices `items` (variant id, quantity) for delivery to `country`, shown in `currency`.
    /// Unknown variants are `not_found`.
    pub(crate) async fn price(
        &self,
        items: &[(String, i64)],
        country: Country,
        currency: Currency,
        locale: Locale,
    ) -> Result<PricedCart, MarketError> {
        let ids: Vec<String> = items.iter().map(|(v, _)| v.clone()).collect();
        let variants = self.store.variants_by_ids(&ids).await?;
        let variants: HashMap<String, _> =
            variants.into_iter().map(|v| (v.id.clone(), v)).collect();
        let mut product_ids: Vec<String> =
            variants.values().map(|v| v.product_id.clone()).collect();
        product_ids.sort();
        product_ids.dedup();
        let products: HashMap<String, _> = self
            .store
            .products_by_ids(&product_ids)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let mut texts: HashMap<String, Vec<(Locale, String)>> = HashMap::new();
        for t in self.store.product_texts(&product_ids).await? {
            if let Ok(l) = Locale::parse(&t.locale) {
                texts.entry(t.product_id).or_default().push((l, t.title));
            }
        }
        let mut merchant_ids: Vec<String> =
            products.values().map(|p| p.merchant_id.clone()).collect();
        merchant_ids.sort();
        merchant_ids.dedup();
        let merchants: HashMap<String, MerchantRecord> = self
            .store
            .merchants_by_ids(&merchant_ids)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        let fees: HashMap<String, i64> = self.store.category_fees().await?.into_iter().collect();
        let rules = self.store.shipping_rules(&merchant_ids).await?;
        let rates = self.rate_table().await?;
        let to = rate_of(&rates, currency)?;

        let mut groups: Vec<PricedGroup> = Vec::new();
        for (variant_id, quantity) in items {
            let v = variants
                .get(variant_id)
                .ok_or_else(|| MarketError::not_found("variant"))?;
            let p = products
                .get(&v.product_id)
                .ok_or_else(|| MarketError::not_found("product"))?;
            let m = merchants
                .get(&p.merchant_id)
                .ok_or_else(|| MarketError::not_found("merchant"))?;
            let settlement = Currency::parse(&v.price_currency)?;
            let from = rate_of(&rates, settlement)?;
            let total = Money::new(v.price_minor, settlement).checked_mul(*quantity)?;
            let fee_bps = fees.get(&p.category_id).copied().unwrap_or(0);
            let fallback = Locale::parse(&p.default_locale).unwrap_or(Locale::En);
            let title = texts
                .get(&p.id)
                .and_then(|t| pick(t, locale, fallback))
                .cloned()
                .unwrap_or_default();
            let line = PricedLine {
                variant_id: v.id.clone(),
                product_id: p.id.clone(),
                sku: v.sku.clone(),
                title,
                options: v.options.clone(),
                quantity: *quantity,
                stock: v.stock,
                unit_minor: v.price_minor,
                total_minor: total.minor(),
                presentment_minor: convert(total, from, to)?.minor(),
                fee_bps,
                fee_minor: fee(total.minor(), fee_bps),
                purchasable: p.status == "published" && m.status == "approved",
            };
            let weight = p.weight_grams.saturating_mul(*quantity);
            match groups.iter_mut().find(|g| g.merchant.id == m.id) {
                Some(g) => {
                    g.goods_minor += line.total_minor;
                    g.presentment_goods_minor += line.presentment_minor;
                    g.weight_grams += weight;
                    g.lines.push(line);
                }
                None => groups.push(PricedGroup {
                    merchant: m.clone(),
                    currency: settlement,
                    goods_minor: line.total_minor,
                    presentment_goods_minor: line.presentment_minor,
                    weight_grams: weight,
                    lines: vec![line],
                    options: Vec::new(),
                    rate_e9: cross_rate_e9(from, to),
                }),
            }
        }
        for g in &mut groups {
            let from = rate_of(&rates, g.currency)?;
            let own: Vec<_> = rules
                .iter()
                .filter(|r| r.merchant_id == g.merchant.id)
                .filter_map(crate::shipping::parse_rule)
                .collect();
            for r in rules_for(&own, country) {
                if let Some(price) = r.quote(g.weight_grams, g.goods_minor) {
                    g.options.push(ShipOption {
                        method: r.method,
                        price_minor: price,
                        presentment_minor: convert(Money::new(price, g.currency), from, to)?
                            .minor(),
                        min_days: r.min_days,
                        max_days: r.max_days,
                    });
                }
            }
        }
        Ok(PricedCart {
            country,
            currency,
            groups,
        })
    }
}
