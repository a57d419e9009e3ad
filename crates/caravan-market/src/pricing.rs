//! Pricing a basket (reads only): lines grouped by merchant, prices in the merchant's currency
//! and the buyer's, platform fees frozen per line, shipping options to the destination.

use crate::cache::{Tables, VariantInfo, STOCK_FRESH};
use crate::festival::live::{DealTable, LiveDeal};
use crate::festival::store_discounts::{LiveStoreDiscount, StoreDiscountTable};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::festival::DealStep;
use caravan_domain::fx::{convert, cross_rate_e9, Rate};
use caravan_domain::locale::pick;
use caravan_domain::order::fee;
use caravan_domain::pricing::{checked_sum, price_lines, Funder, LineIn, Reduction, Step};
use caravan_domain::shipping::{rules_for, ShippingMethod};
use caravan_domain::{Country, Currency, Locale, Money};
use caravan_store::merchants::MerchantRecord;
use std::collections::HashMap;
use std::sync::Arc;

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
    /// `stock` was read within the last second ([`crate::cache::STOCK_FRESH`]); older, it may
    /// not be used to refuse (the order writer decides).
    pub stock_known: bool,
    pub unit_minor: i64,
    pub total_minor: i64,
    pub presentment_minor: i64,
    pub fee_bps: i64,
    pub fee_minor: i64,
    /// The creator commission rate in force (frozen on the order line; 0: none).
    pub commission_bps: i64,
    /// Published, and its store approved.
    pub purchasable: bool,
    /// The festival deal the line is priced with, if one is offered and the buyer's limit
    /// leaves room for the quantity.
    pub deal: Option<Arc<LiveDeal>>,
    /// What the pricing steps took off the list total (`unit_minor × quantity − total_minor`).
    pub discount_minor: i64,
    /// Those steps' reductions, in stacking order, with their funders.
    pub reductions: Vec<Reduction>,
    /// The platform-funded part of them (the store earns `total_minor + platform_minor`).
    pub platform_minor: i64,
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
    /// The platform-funded part of the discounts (platform coupons), settlement currency.
    pub platform_minor: i64,
    /// The store's discount, while one of its campaigns is live.
    pub store_discount: Option<LiveStoreDiscount>,
    /// The rates the group was priced with (its own currency's, the buyer's).
    pub from: Rate,
    pub to: Rate,
}

/// A priced basket.
#[derive(Debug, Clone)]
pub(crate) struct PricedCart {
    pub country: Country,
    pub currency: Currency,
    pub groups: Vec<PricedGroup>,
}

/// Where a basket goes and who buys it: the destination, the currency shown, and the buyer
/// (whose earlier claims count against a deal's per-buyer limit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Destination<'a> {
    pub country: Country,
    pub currency: Currency,
    pub buyer: Option<&'a str>,
}

impl Market {
    /// The deals offered now on `items`' variants, less those whose per-buyer limit the
    /// quantity would break (counting what `buyer` claimed before): such a line is priced at the
    /// normal price, which is what the buyer is shown and charged.
    async fn offered_deals(
        &self,
        items: &[(String, i64)],
        buyer: Option<&str>,
        tables: &Tables,
    ) -> Result<HashMap<String, Arc<LiveDeal>>, MarketError> {
        let now = self.now();
        let mut offered: HashMap<String, Arc<LiveDeal>> = items
            .iter()
            .filter_map(|(v, _)| tables.deals.offered(v, now).map(|d| (v.clone(), d)))
            .collect();
        if offered.is_empty() {
            return Ok(offered);
        }
        let claimed = match buyer {
            Some(b) => self.buyer_claims(b, now).await?,
            None => Arc::default(),
        };
        for (v, quantity) in items {
            let over = offered
                .get(v)
                .is_some_and(|d| claimed.get(&d.id).copied().unwrap_or(0) + quantity > d.per_buyer);
            if over {
                offered.remove(v);
            }
        }
        Ok(offered)
    }

    /// What the buyer has claimed of every live deal (a deal not named: nothing): remembered
    /// for [`crate::recent::RECENT_TTL_MS`] (with this node's placements added as they
    /// commit), else read with the other buyers read meanwhile ([`crate::festival::claims`]).
    /// Another node's claims show within that time; meanwhile the writer, which enforces the
    /// limit, answers `deal_limit_reached`.
    async fn buyer_claims(
        &self,
        buyer: &str,
        now: i64,
    ) -> Result<Arc<HashMap<String, i64>>, MarketError> {
        if let Some(known) = self.inner.claims.get(buyer, now) {
            return Ok(known);
        }
        let reader = self
            .inner
            .claims_reader
            .get_or_init(|| crate::festival::claims::ClaimsReader::start(self.store.clone()));
        let read = reader.read(&self.store, buyer, now).await?;
        self.inner.claims.put(buyer, read.clone(), now);
        Ok(read)
    }

    /// A placement of the buyer committed on this node: its deal units count at once.
    pub(crate) fn claimed(&self, buyer: &str, deal_units: &[(String, i64)]) {
        if deal_units.is_empty() {
            return;
        }
        self.inner.claims.update(buyer, self.now(), |k| {
            let k = Arc::make_mut(k);
            for (d, q) in deal_units {
                *k.entry(d.clone()).or_default() += q;
            }
        });
    }

    /// The writer refused a deal over the buyer's limit: read their claims afresh next time.
    pub(crate) fn forget_claims(&self, buyer: &str) {
        self.inner.claims.forget(buyer);
    }

    /// The writer found a deal sold out: stop offering it on this node at once.
    pub(crate) fn deal_sold_out(&self, id: &str) {
        if let Some(t) = self.inner.cache.tables() {
            t.deals.sold_out(id);
        }
    }
}

/// A variant named in a request body that does not exist: 422, since the resource the request
/// is addressed to (the cart, the checkout) does.
pub(crate) fn unknown_variant() -> MarketError {
    MarketError::new(Code::UnknownVariant, "no such variant")
}

fn rate_of(rates: &HashMap<Currency, Rate>, c: Currency) -> Result<Rate, MarketError> {
    rates.get(&c).copied().ok_or_else(|| {
        MarketError::new(
            Code::RateUnavailable,
            format!("no exchange rate for {c} yet"),
        )
    })
}

impl Market {
    /// Prices `items` (variant id, quantity) for delivery to `country`, shown in `currency`.
    /// Unknown variants are `not_found`. With `fresh_stock` every line's stock was read within
    /// the last second; without it a line's stock may be older (and `stock_known` false).
    pub(crate) async fn price(
        &self,
        items: &[(String, i64)],
        to: Destination<'_>,
        locale: Locale,
        fresh_stock: bool,
    ) -> Result<PricedCart, MarketError> {
        let (country, currency) = (to.country, to.currency);
        self.revalidate_caches().await?;
        let infos = self.variant_infos(items, fresh_stock).await?;
        let tables = self.tables().await?;
        let deals = self.offered_deals(items, to.buyer, &tables).await?;
        let to = rate_of(&tables.rates, currency)?;
        let mut groups: Vec<PricedGroup> = Vec::new();
        for (variant_id, quantity) in items {
            let (info, stock_known) = infos.get(variant_id).ok_or_else(unknown_variant)?;
            let mut line = listed_line(info, *quantity, *stock_known, locale, &tables)?;
            line.deal = deals.get(variant_id).cloned();
            let m = &info.merchant;
            let weight = info.product.weight_grams.saturating_mul(*quantity);
            match groups.iter_mut().find(|g| g.merchant.id == m.id) {
                Some(g) => {
                    g.weight_grams = g.weight_grams.saturating_add(weight);
                    g.lines.push(line);
                }
                None => {
                    let settlement = Currency::parse(&info.variant.price_currency)?;
                    let from = rate_of(&tables.rates, settlement)?;
                    groups.push(PricedGroup {
                        merchant: m.clone(),
                        currency: settlement,
                        goods_minor: 0,
                        presentment_goods_minor: 0,
                        weight_grams: weight,
                        lines: vec![line],
                        options: Vec::new(),
                        rate_e9: cross_rate_e9(from, to),
                        platform_minor: 0,
                        store_discount: tables.store_discounts.offered(&m.id, self.now()),
                        from,
                        to,
                    });
                }
            }
        }
        for g in &mut groups {
            let from = rate_of(&tables.rates, g.currency)?;
            price_group(g, &[])?;
            let own = self.shipping_rules_of(&g.merchant.id).await?;
            g.options = ship_options(g, own.as_slice(), country, from, to)?;
        }
        Ok(PricedCart {
            country,
            currency,
            groups,
        })
    }
}

/// A line at its list price (amounts are filled in by [`price_group`]).
fn listed_line(
    info: &VariantInfo,
    quantity: i64,
    stock_known: bool,
    locale: Locale,
    tables: &Tables,
) -> Result<PricedLine, MarketError> {
    let (v, p, m) = (&info.variant, &info.product, &info.merchant);
    let fallback = Locale::parse(&p.default_locale).unwrap_or(Locale::En);
    let title = pick(&info.titles, locale, fallback)
        .cloned()
        .unwrap_or_default();
    Ok(PricedLine {
        variant_id: v.id.clone(),
        product_id: p.id.clone(),
        sku: v.sku.clone(),
        title,
        options: v.options.clone(),
        quantity,
        stock: v.stock,
        stock_known,
        unit_minor: v.price_minor,
        total_minor: 0,
        presentment_minor: 0,
        fee_bps: tables.fees.get(&p.category_id).copied().unwrap_or(0),
        fee_minor: 0,
        commission_bps: tables.commission.rate(&m.id, &p.id, &p.category_id),
        purchasable: p.status == "published" && m.status == "approved",
        deal: None,
        discount_minor: 0,
        reductions: Vec::new(),
        platform_minor: 0,
    })
}

/// Runs one store's lines through the pricing pipeline — the deal price, the store's discount,
/// then `coupons` (a store coupon, then a platform coupon: ADR 0007) — converts what the buyer pays for each line into
/// the buyer's currency and takes the platform fee on what the store earns (its price before
/// the platform's discounts). Sums are checked: `amount_out_of_range`, never a wrap.
pub(crate) fn price_group(g: &mut PricedGroup, coupons: &[&dyn Step]) -> Result<(), MarketError> {
    let (from, to) = (g.from, g.to);
    let lines: Vec<LineIn> = g
        .lines
        .iter()
        .map(|l| LineIn {
            unit_minor: l.unit_minor,
            quantity: l.quantity,
        })
        .collect();
    // The festival's deal price is the first step (ADR 0007): list price minus the deal price.
    let deal_step = DealStep {
        deals: g
            .lines
            .iter()
            .map(|l| l.deal.as_ref().map(|d| (d.price_minor, d.id.clone())))
            .collect(),
        quantities: g.lines.iter().map(|l| l.quantity).collect(),
    };
    let mut steps: Vec<&dyn Step> = vec![&deal_step];
    // Then the store's own discount, on what the deals left, from its minimum spend.
    let store_step = match &g.store_discount {
        Some(d) => {
            let after_deals = price_lines(&lines, &steps)?;
            d.step(checked_sum(after_deals.iter().map(|l| l.amount_minor))?)
        }
        None => None,
    };
    if let Some(s) = &store_step {
        steps.push(s);
    }
    steps.extend_from_slice(coupons);
    let priced = price_lines(&lines, &steps)?;
    for (line, price) in g.lines.iter_mut().zip(priced) {
        let platform = price.funded_by(Funder::Platform);
        let earned = price.amount_minor + platform;
        line.total_minor = price.amount_minor;
        line.discount_minor = price.list_minor - price.amount_minor;
        line.platform_minor = platform;
        line.reductions = price.reductions;
        line.presentment_minor =
            convert(Money::new(price.amount_minor, g.currency), from, to)?.minor();
        line.fee_minor = fee(earned, line.fee_bps);
    }
    g.platform_minor = checked_sum(g.lines.iter().map(|l| l.platform_minor))?;
    g.goods_minor = checked_sum(g.lines.iter().map(|l| l.total_minor))?
        .checked_add(g.platform_minor)
        .ok_or_else(|| MarketError::new(Code::AmountOutOfRange, "an amount is out of range"))?;
    g.presentment_goods_minor = checked_sum(g.lines.iter().map(|l| l.presentment_minor))?;
    Ok(())
}

/// The store's shipping options for the group to `country`, priced in both currencies.
fn ship_options(
    g: &PricedGroup,
    rules: &[caravan_domain::shipping::ShippingRule],
    country: Country,
    from: Rate,
    to: Rate,
) -> Result<Vec<ShipOption>, MarketError> {
    let mut options = Vec::new();
    for r in rules_for(rules, country) {
        if let Some(price) = r.quote(g.weight_grams, g.goods_minor) {
            options.push(ShipOption {
                method: r.method,
                price_minor: price,
                presentment_minor: convert(Money::new(price, g.currency), from, to)?.minor(),
                min_days: r.min_days,
                max_days: r.max_days,
            });
        }
    }
    Ok(options)
}

impl Market {
    /// Rereads the store's catalogue version when it is due ([`crate::cache::CHECK_EVERY`]);
    /// if another node changed the catalogue since, the caches start over.
    pub(crate) async fn revalidate_caches(&self) -> Result<(), MarketError> {
        if let Some(claim) = self.inner.cache.claim_check() {
            claim.seen(self.store.catalogue_version().await?);
        }
        Ok(())
    }

    /// Variants with their product, titles and store, from the cache or in one batch of reads,
    /// each with whether its stock figure is fresh. With `fresh_stock`, entries whose stock is
    /// older than a second are read again.
    async fn variant_infos(
        &self,
        items: &[(String, i64)],
        fresh_stock: bool,
    ) -> Result<HashMap<String, (Arc<VariantInfo>, bool)>, MarketError> {
        let mut out = HashMap::new();
        let mut missing: Vec<String> = Vec::new();
        for (id, _) in items {
            match self.inner.cache.variant(id) {
                Some((info, age)) if !fresh_stock || age < STOCK_FRESH => {
                    out.insert(id.clone(), (info, age < STOCK_FRESH));
                }
                _ => missing.push(id.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let since = self.inner.cache.generation();
        let variants = self.store.variants_by_ids(&missing).await?;
        let mut product_ids: Vec<String> = variants.iter().map(|v| v.product_id.clone()).collect();
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
        for v in variants {
            let Some(p) = products.get(&v.product_id) else {
                continue;
            };
            let Some(m) = merchants.get(&p.merchant_id) else {
                continue;
            };
            let titles = texts.get(&v.product_id).cloned().unwrap_or_default();
            let info = Arc::new(VariantInfo {
                variant: v,
                product: p.clone(),
                titles,
                merchant: m.clone(),
            });
            self.inner.cache.put_variant(info.clone(), since);
            out.insert(info.variant.id.clone(), (info, true));
        }
        Ok(out)
    }

    /// Fees and rates, cached.
    pub(crate) async fn tables(&self) -> Result<Arc<Tables>, MarketError> {
        if let Some(t) = self.inner.cache.tables() {
            return Ok(t);
        }
        let since = self.inner.cache.generation();
        let (deals, campaigns) = self.store.open_deals(self.now()).await?;
        let discounts = self.store.open_store_discounts(self.now()).await?;
        let commission = crate::connect::commission::CommissionTable::new(
            self.store.commission_rates(None).await?,
            self.tree().await?.parents(),
        );
        let causes = self.store.causes().await?;
        let cause_ids: Vec<String> = causes.iter().map(|c| c.id.clone()).collect();
        let pledges = crate::charity::PledgeTable::new(
            self.store.pledges(None).await?,
            &causes,
            &self.store.cause_texts(&cause_ids).await?,
            self.now(),
        );
        let t = Arc::new(Tables {
            commission,
            pledges,
            store_discounts: StoreDiscountTable::new(discounts, &campaigns),
            fees: self.store.category_fees().await?.into_iter().collect(),
            rates: self.rate_table().await?,
            deals: DealTable::new(deals, &campaigns),
            promotions: self.store.open_promotions(self.now()).await?,
            coupons: self
                .store
                .open_coupons(self.now())
                .await?
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
        });
        self.inner.cache.put_tables(t.clone(), since);
        Ok(t)
    }

    /// A store's shipping rules, cached.
    async fn shipping_rules_of(
        &self,
        merchant_id: &str,
    ) -> Result<Arc<Vec<caravan_domain::shipping::ShippingRule>>, MarketError> {
        if let Some(r) = self.inner.cache.shipping(merchant_id) {
            return Ok(r);
        }
        let since = self.inner.cache.generation();
        let records = self.store.shipping_rules(&[merchant_id.to_owned()]).await?;
        let rules = Arc::new(
            records
                .iter()
                .filter_map(crate::shipping::parse_rule)
                .collect::<Vec<_>>(),
        );
        self.inner
            .cache
            .put_shipping(merchant_id.to_owned(), rules.clone(), since);
        Ok(rules)
    }
}

/// One way a product can reach the buyer.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ShippingQuote {
    /// economy, standard or express.
    pub method: String,
    /// For one unit, in the requested currency (0 when free).
    pub price: crate::catalogue::MoneyView,
    /// Delivery estimate, in days.
    pub min_days: i64,
    /// Delivery estimate, in days.
    pub max_days: i64,
}

impl Market {
    /// The shipping methods of a product's store to `country` for one unit, priced in
    /// `currency`; empty when the store does not deliver there.
    pub async fn shipping_quote(
        &self,
        product_id: &str,
        country: &str,
        currency: &str,
    ) -> Result<Vec<ShippingQuote>, MarketError> {
        let country = Country::parse(country)?;
        let to = Currency::parse(currency)?;
        let p = self
            .store
            .product(product_id)
            .await?
            .ok_or_else(|| MarketError::not_found("product"))?;
        let from_currency = Currency::parse(&p.price_currency)?;
        let rates = self.rate_table().await?;
        let (from, to_rate) = (rate_of(&rates, from_currency)?, rate_of(&rates, to)?);
        let rules = self.shipping_rules_of(&p.merchant_id).await?;
        let mut out = Vec::new();
        for r in rules_for(rules.as_slice(), country) {
            if let Some(price) = r.quote(p.weight_grams, p.min_price_minor) {
                let shown = convert(Money::new(price, from_currency), from, to_rate)?;
                out.push(ShippingQuote {
                    method: r.method.as_str().to_owned(),
                    price: crate::catalogue::MoneyView::new(shown.minor(), to.code()),
                    min_days: r.min_days,
                    max_days: r.max_days,
                });
            }
        }
        Ok(out)
    }
}

impl Market {
    /// `minor` units of `from` shown in `to` at today's rates.
    pub async fn display_price(
        &self,
        minor: i64,
        from: &str,
        to: &str,
    ) -> Result<crate::catalogue::MoneyView, MarketError> {
        let (from, to) = (Currency::parse(from)?, Currency::parse(to)?);
        let rates = self.rate_table().await?;
        let shown = convert(
            Money::new(minor, from),
            rate_of(&rates, from)?,
            rate_of(&rates, to)?,
        )?;
        Ok(crate::catalogue::MoneyView::new(shown.minor(), to.code()))
    }
}
