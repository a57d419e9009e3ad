//! Coupons: a store creates its own (funded by the store), an operator the platform's (funded by
//! the platform, valid across stores); buyers collect the ones that ask for it and type their
//! codes at checkout, where they stack after the deal price in the declared order (store coupon,
//! then platform coupon; at most one of each per store order). Budgets and per-buyer uses are
//! decided in the order writer's batch.

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::pricing::{price_group, PricedCart};
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::coupon::{reaches, split_across_orders, CouponStep, CouponValue, Cut};
use caravan_domain::fx::convert;
use caravan_domain::id::{CouponId, TypedId};
use caravan_domain::pricing::{Stage, Step};
use caravan_domain::{parse_rfc3339, rfc3339, Currency, Money};
use caravan_store::coupons::CouponRecord;
use serde::{Deserialize, Serialize};

/// A new coupon.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponInput {
    /// What buyers type: 3 to 32 of A-Z, 0-9 and - (stored upper case).
    pub code: String,
    /// `fixed` (an amount) or `percent`.
    pub kind: String,
    /// Minor units of the coupon's currency (fixed) or basis points (percent: 1–9000).
    pub value: i64,
    /// The currency of a fixed value, the minimum spend and the money budget (a store coupon is
    /// always in the store's currency; a platform coupon's defaults to EUR).
    pub currency: Option<String>,
    /// Smallest order (store coupon) or checkout (platform coupon) it applies to, minor units.
    #[serde(default)]
    pub min_spend_minor: i64,
    /// RFC 3339: valid from.
    pub valid_from: String,
    /// RFC 3339: valid until.
    pub valid_to: String,
    /// Checkouts it may be used in, in all (none: no limit).
    pub budget_uses: Option<i64>,
    /// Money it may take off in all, minor units (none: no limit).
    pub budget_minor: Option<i64>,
    /// Checkouts one buyer may use it in (1–9,999: a festival coupon may be meant for every checkout of a buyer).
    pub per_buyer: i64,
    /// Buyers collect it before they can use it.
    #[serde(default)]
    pub collect: bool,
    /// `cmp_…`: the campaign it belongs to, if any.
    pub campaign_id: Option<String>,
}

/// A coupon as its owner and buyers see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CouponView {
    /// `cpn_…`.
    pub id: String,
    /// What buyers type.
    pub code: String,
    /// `store` (funded by the store) or `platform` (funded by the platform).
    pub scope: String,
    /// The store, for a store coupon.
    pub merchant_id: Option<String>,
    /// `fixed` or `percent`.
    pub kind: String,
    /// A fixed amount off.
    pub amount: Option<MoneyView>,
    /// A percentage off, in basis points.
    pub percent_bps: Option<i64>,
    /// Smallest order it applies to.
    pub min_spend: MoneyView,
    /// RFC 3339.
    pub valid_from: String,
    /// RFC 3339.
    pub valid_to: String,
    /// Checkouts it may be used in (none: no limit).
    pub budget_uses: Option<i64>,
    /// Checkouts it was used in.
    pub used_uses: i64,
    /// Money it may take off (none: no limit).
    pub budget: Option<MoneyView>,
    /// Money it took off.
    pub used: MoneyView,
    /// Checkouts one buyer may use it in.
    pub per_buyer: i64,
    /// Buyers collect it first.
    pub collect: bool,
    /// The caller has collected it.
    pub collected: bool,
    /// The caller's uses.
    pub my_uses: i64,
}

/// A coupon applied to one store order of a checkout: its money in the coupon's currency.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub coupon_id: String,
    pub group: usize,
    pub amount_minor: i64,
}

impl Market {
    /// The acting store creates a coupon of its own (in its currency).
    pub async fn create_store_coupon(
        &self,
        actor: &Actor,
        c: CouponInput,
    ) -> Result<CouponView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let record = coupon_record(&c, Some(m.id), &m.settlement_currency, self.now())?;
        self.insert_coupon(record).await
    }

    /// An operator creates a platform coupon.
    pub async fn create_platform_coupon(
        &self,
        actor: &Actor,
        c: CouponInput,
    ) -> Result<CouponView, MarketError> {
        actor.require(Role::Operator)?;
        let currency = c.currency.clone().unwrap_or_else(|| "EUR".to_owned());
        let record = coupon_record(&c, None, &currency, self.now())?;
        self.insert_coupon(record).await
    }

    async fn insert_coupon(&self, mut record: CouponRecord) -> Result<CouponView, MarketError> {
        if let Some(c) = &record.campaign_id {
            let campaign =
                self.store.campaign(c).await?.ok_or_else(|| {
                    MarketError::new(Code::InvalidCoupon, format!("no campaign {c}"))
                })?;
            // A slug names the campaign too; the coupon keeps its id.
            record.campaign_id = Some(campaign.id);
        }
        self.store
            .insert_coupon(&record)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Conflict => {
                    MarketError::new(Code::InvalidCoupon, "a coupon with this code exists")
                }
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        Ok(coupon_view(record, None))
    }

    /// The acting store's coupons, newest first.
    pub async fn store_coupons(&self, actor: &Actor) -> Result<Vec<CouponView>, MarketError> {
        let merchant = self.acting_merchant_any_status(actor).await?.id;
        let all = self.store.coupons_of(Some(&merchant)).await?;
        Ok(all.into_iter().map(|c| coupon_view(c, None)).collect())
    }

    /// The platform's coupons, newest first (operators).
    pub async fn platform_coupons(&self, actor: &Actor) -> Result<Vec<CouponView>, MarketError> {
        actor.require(Role::Operator)?;
        let all = self.store.coupons_of(None).await?;
        Ok(all.into_iter().map(|c| coupon_view(c, None)).collect())
    }

    /// Coupons valid now, with what the caller collected and used of each (the wallet).
    pub async fn wallet(&self, actor: &Actor) -> Result<Vec<CouponView>, MarketError> {
        let holdings = self.store.holdings(actor.user_id.as_str()).await?;
        let all = self.store.current_coupons(self.now()).await?;
        Ok(all
            .into_iter()
            .map(|c| {
                let mine = holdings.iter().find(|h| h.0 == c.id).map(|h| (h.1, h.2));
                coupon_view(c, mine)
            })
            .collect())
    }

    /// A campaign's coupons valid now, with the caller's standing if signed in.
    pub async fn campaign_coupons(
        &self,
        campaign_id: &str,
        actor: Option<&Actor>,
    ) -> Result<Vec<CouponView>, MarketError> {
        let holdings = match actor {
            Some(a) => self.store.holdings(a.user_id.as_str()).await?,
            None => Vec::new(),
        };
        let all = self.store.current_coupons(self.now()).await?;
        Ok(all
            .into_iter()
            .filter(|c| c.campaign_id.as_deref() == Some(campaign_id))
            .map(|c| {
                let mine = holdings.iter().find(|h| h.0 == c.id).map(|h| (h.1, h.2));
                coupon_view(c, mine)
            })
            .collect())
    }

    /// A buyer collects a coupon by its code (collecting it again changes nothing).
    pub async fn collect_coupon(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<CouponView, MarketError> {
        let code = code.trim().to_uppercase();
        let c = self
            .store
            .coupon(&code)
            .await?
            .filter(|c| c.valid_to > self.now())
            .ok_or_else(|| {
                MarketError::new(Code::CouponNotApplicable, "no such coupon to collect")
            })?;
        self.store
            .collect_coupon(&c.id, actor.user_id.as_str(), self.now())
            .await?;
        let mine = self.store.holdings(actor.user_id.as_str()).await?;
        let mine = mine.iter().find(|h| h.0 == c.id).map(|h| (h.1, h.2));
        Ok(coupon_view(c, mine))
    }

    /// Applies the coupons a checkout names to its priced store orders, in the declared stacking
    /// order: a store coupon on its store's order, then a platform coupon across all of them
    /// (a fixed amount split in proportion to what each order still costs). Returns what each
    /// order uses of each coupon's budget, in the coupon's currency.
    pub(crate) async fn apply_coupons(
        &self,
        priced: &mut PricedCart,
        codes: &[String],
    ) -> Result<Vec<Applied>, MarketError> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        if codes.len() > 8 {
            return Err(not_applicable("at most 8 coupons per checkout"));
        }
        let coupons = self.coupons_named(codes).await?;
        let (stores, platform) = sort_coupons(&coupons, priced)?;
        let mut applied = Vec::new();
        for (g, group) in priced.groups.iter_mut().enumerate() {
            if let Some(c) = stores[g] {
                let step = store_step(c, group.goods_minor)?;
                price_group(group, &[&step])?;
                let amount = group_funded(group, Stage::StoreCoupon);
                applied.push(Applied {
                    coupon_id: c.id.clone(),
                    group: g,
                    amount_minor: amount,
                });
            }
        }
        if let Some(c) = platform {
            applied.extend(self.apply_platform(priced, c, &stores).await?);
        }
        Ok(applied)
    }

    /// The coupons with these codes, each valid now (from the cached tables); an unknown or
    /// expired one is refused.
    async fn coupons_named(&self, codes: &[String]) -> Result<Vec<CouponRecord>, MarketError> {
        let tables = self.tables().await?;
        let now = self.now();
        let mut found: Vec<CouponRecord> = Vec::new();
        for code in codes.iter().map(|c| c.trim().to_uppercase()) {
            let c = tables
                .coupons
                .get(&code)
                .filter(|c| c.valid_from <= now && now < c.valid_to)
                .ok_or_else(|| not_applicable(&format!("{code} is not valid here now")))?;
            if !found.iter().any(|f| f.id == c.id) {
                found.push(c.clone());
            }
        }
        Ok(found)
    }

    /// The platform coupon on every store order, after their store coupons.
    async fn apply_platform(
        &self,
        priced: &mut PricedCart,
        c: &CouponRecord,
        stores: &[Option<&CouponRecord>],
    ) -> Result<Vec<Applied>, MarketError> {
        let tables = self.tables().await?;
        let coupon_currency = Currency::parse(&c.currency)?;
        let coupon_rate = *tables.rates.get(&coupon_currency).ok_or_else(|| {
            MarketError::new(
                Code::RateUnavailable,
                format!("no exchange rate for {coupon_currency}"),
            )
        })?;
        let weights = priced
            .groups
            .iter()
            .map(|g| {
                Ok(convert(Money::new(g.goods_minor, g.currency), g.from, coupon_rate)?.minor())
            })
            .collect::<Result<Vec<i64>, MarketError>>()?;
        let spent: i64 = weights.iter().sum();
        if !reaches(spent, c.min_spend_minor) {
            return Err(not_applicable(&format!("{} needs a bigger order", c.code)));
        }
        let parts = match c.kind.as_str() {
            "fixed" => split_across_orders(c.value, &weights)?,
            _ => vec![0; weights.len()],
        };
        let mut applied = Vec::new();
        for (g, group) in priced.groups.iter_mut().enumerate() {
            let cut = match c.kind.as_str() {
                "fixed" => {
                    let back = convert(
                        Money::new(parts[g], coupon_currency),
                        coupon_rate,
                        group.from,
                    )?;
                    Cut::Amount(back.minor())
                }
                _ => Cut::Percent(c.value),
            };
            let store = stores[g].map(|s| store_step(s, i64::MAX)).transpose()?;
            let platform = CouponStep {
                stage: Stage::PlatformCoupon,
                source: c.id.clone(),
                cut,
            };
            let mut steps: Vec<&dyn Step> = Vec::new();
            if let Some(s) = &store {
                steps.push(s);
            }
            steps.push(&platform);
            price_group(group, &steps)?;
            let taken = group_funded(group, Stage::PlatformCoupon);
            let amount = match c.kind.as_str() {
                "fixed" => parts[g].min(
                    convert(Money::new(taken, group.currency), group.from, coupon_rate)?.minor(),
                ),
                _ => convert(Money::new(taken, group.currency), group.from, coupon_rate)?.minor(),
            };
            applied.push(Applied {
                coupon_id: c.id.clone(),
                group: g,
                amount_minor: amount,
            });
        }
        Ok(applied)
    }
}

/// Which coupon goes on which store order: a store coupon on its own store's order (at most one
/// per order), and at most one platform coupon for the checkout.
fn sort_coupons<'c>(
    coupons: &'c [CouponRecord],
    priced: &PricedCart,
) -> Result<(Vec<Option<&'c CouponRecord>>, Option<&'c CouponRecord>), MarketError> {
    let mut stores: Vec<Option<&CouponRecord>> = vec![None; priced.groups.len()];
    let mut platform = None;
    for c in coupons {
        match &c.merchant_id {
            None if platform.is_none() => platform = Some(c),
            None => return Err(not_applicable("one platform coupon per checkout")),
            Some(m) => {
                let g = priced
                    .groups
                    .iter()
                    .position(|g| &g.merchant.id == m)
                    .ok_or_else(|| {
                        not_applicable(&format!("{} is another store's coupon", c.code))
                    })?;
                if stores[g].replace(c).is_some() {
                    return Err(not_applicable("one store coupon per store order"));
                }
            }
        }
    }
    Ok((stores, platform))
}

/// A store coupon's step on an order of `goods` (after its deals); below its minimum spend it
/// does not apply.
fn store_step(c: &CouponRecord, goods: i64) -> Result<CouponStep, MarketError> {
    if !reaches(goods, c.min_spend_minor) {
        return Err(not_applicable(&format!("{} needs a bigger order", c.code)));
    }
    let cut = match c.kind.as_str() {
        "fixed" => Cut::Amount(c.value),
        _ => Cut::Percent(c.value),
    };
    Ok(CouponStep {
        stage: Stage::StoreCoupon,
        source: c.id.clone(),
        cut,
    })
}

/// What the steps of `stage` took off a priced order.
fn group_funded(group: &crate::pricing::PricedGroup, stage: Stage) -> i64 {
    group
        .lines
        .iter()
        .flat_map(|l| &l.reductions)
        .filter(|r| r.stage == stage)
        .map(|r| r.amount_minor)
        .sum()
}

fn not_applicable(why: &str) -> MarketError {
    MarketError::new(Code::CouponNotApplicable, why)
}

/// The record of a checked coupon.
fn coupon_record(
    c: &CouponInput,
    merchant: Option<String>,
    currency: &str,
    now: i64,
) -> Result<CouponRecord, MarketError> {
    let bad = |why: &str| MarketError::new(Code::InvalidCoupon, why);
    let code = c.code.trim().to_uppercase();
    let code_ok = (3..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        return Err(bad("a code is 3 to 32 of A-Z, 0-9 and -"));
    }
    let value = match c.kind.as_str() {
        "fixed" => CouponValue::Fixed(c.value),
        "percent" => CouponValue::Percent(c.value),
        _ => return Err(bad("a coupon is fixed or percent")),
    }
    .check()?;
    let currency = Currency::parse(currency)?;
    let at = |s: &str| parse_rfc3339(s).ok_or_else(|| bad("validity instants are RFC 3339"));
    let (from, to) = (at(&c.valid_from)?, at(&c.valid_to)?);
    let max = caravan_domain::catalogue::MAX_PRICE_MINOR;
    let limits_ok = from < to
        && (0..=max).contains(&c.min_spend_minor)
        && c.budget_uses.is_none_or(|u| (1..=100_000_000).contains(&u))
        && c.budget_minor.is_none_or(|m| (1..=max).contains(&m))
        && (1..=9_999).contains(&c.per_buyer);
    if !limits_ok {
        return Err(bad("a window runs forward; minimum spend and budgets are positive and bounded; per buyer 1 to 9,999"));
    }
    Ok(CouponRecord {
        id: CouponId::generate().to_string(),
        code,
        campaign_id: c.campaign_id.clone(),
        merchant_id: merchant,
        kind: match value {
            CouponValue::Fixed(_) => "fixed",
            CouponValue::Percent(_) => "percent",
        }
        .to_owned(),
        value: c.value,
        currency: currency.code().to_owned(),
        min_spend_minor: c.min_spend_minor,
        valid_from: from,
        valid_to: to,
        budget_uses: c.budget_uses,
        used_uses: 0,
        budget_minor: c.budget_minor,
        used_minor: 0,
        per_buyer: c.per_buyer,
        collect: i64::from(c.collect),
        created_at: now,
    })
}

/// A coupon's view; `mine` is the caller's (collected, uses).
pub(crate) fn coupon_view(c: CouponRecord, mine: Option<(bool, i64)>) -> CouponView {
    let cur = c.currency.as_str();
    let fixed = c.kind == "fixed";
    CouponView {
        scope: if c.merchant_id.is_some() {
            "store"
        } else {
            "platform"
        }
        .to_owned(),
        amount: fixed.then(|| MoneyView::new(c.value, cur)),
        percent_bps: (!fixed).then_some(c.value),
        min_spend: MoneyView::new(c.min_spend_minor, cur),
        valid_from: rfc3339(c.valid_from),
        valid_to: rfc3339(c.valid_to),
        budget: c.budget_minor.map(|m| MoneyView::new(m, cur)),
        used: MoneyView::new(c.used_minor, cur),
        collect: c.collect == 1,
        collected: mine.is_some_and(|m| m.0),
        my_uses: mine.map_or(0, |m| m.1),
        id: c.id,
        code: c.code,
        merchant_id: c.merchant_id,
        kind: c.kind,
        budget_uses: c.budget_uses,
        used_uses: c.used_uses,
        per_buyer: c.per_buyer,
    }
}
