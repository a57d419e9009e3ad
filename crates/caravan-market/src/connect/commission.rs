//! Merchants' commission rates for creators: set and listed by the merchant, cached for
//! checkout (with the category tree's parents), resolved per line (product, then the nearest
//! category, then the store) and frozen on the order line at sale.

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::commission::{check_rate, rate_in_force, Scope};
use caravan_domain::id::{CategoryId, ProductId, TypedId};
use caravan_store::creators::CommissionRateRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A rate to set; `rate_bps: null` removes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionRateInput {
    /// store, category or product.
    pub scope: String,
    /// `cat_…` or `prd_…` (none for the store).
    pub target_id: Option<String>,
    /// 300 to 5000 basis points (3% to 50%); null removes the rate.
    pub rate_bps: Option<i64>,
}

/// A rate in force.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommissionRateView {
    /// store, category or product.
    pub scope: String,
    /// `cat_…` or `prd_…` (empty for the store).
    pub target_id: String,
    /// Basis points.
    pub rate_bps: i64,
}

/// Every merchant's rates, for checkout.
#[derive(Debug, Default)]
pub(crate) struct CommissionTable {
    rates: HashMap<(String, Scope, String), i64>,
    parents: HashMap<String, String>,
}

impl CommissionTable {
    pub(crate) fn new(
        records: Vec<CommissionRateRecord>,
        parents: HashMap<String, String>,
    ) -> Self {
        let rates = records
            .into_iter()
            .filter_map(|r| {
                Some((
                    (r.merchant_id, Scope::parse(&r.scope).ok()?, r.target_id),
                    r.rate_bps,
                ))
            })
            .collect();
        Self { rates, parents }
    }

    /// The rate in force for a product of `merchant` in `category` (0: none offered).
    pub(crate) fn rate(&self, merchant: &str, product: &str, category: &str) -> i64 {
        if self.rates.is_empty() {
            return 0;
        }
        let get = |scope: Scope, id: &str| {
            self.rates
                .get(&(merchant.to_owned(), scope, id.to_owned()))
                .copied()
        };
        let mut chain = Vec::new();
        let mut at = Some(category.to_owned());
        while let Some(c) = at.take() {
            if chain.len() > 32 {
                break;
            }
            chain.push(get(Scope::Category, &c));
            at = self.parents.get(&c).cloned();
        }
        rate_in_force(get(Scope::Product, product), chain, get(Scope::Store, "")).unwrap_or(0)
    }
}

impl Market {
    /// The acting merchant sets (or removes) a commission rate.
    pub async fn set_commission_rate(
        &self,
        actor: &Actor,
        r: CommissionRateInput,
    ) -> Result<Vec<CommissionRateView>, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let scope = Scope::parse(&r.scope)?;
        let bad = |what: &str| MarketError::new(Code::InvalidCommissionRate, what);
        let target = match (scope, r.target_id.as_deref()) {
            (Scope::Store, None) => String::new(),
            (Scope::Category, Some(c)) => {
                let id = CategoryId::parse(c).map_err(|_| bad("no such category"))?;
                if !self.tree().await?.contains(id.as_str()) {
                    return Err(bad("no such category"));
                }
                id.to_string()
            }
            (Scope::Product, Some(p)) => {
                let id = ProductId::parse(p).map_err(|_| bad("no such product of this store"))?;
                self.owned_product_record(&m, id.as_str())
                    .await
                    .map_err(|_| bad("no such product of this store"))?;
                id.to_string()
            }
            _ => {
                return Err(bad(
                    "a store rate has no target; a category or product rate has one",
                ))
            }
        };
        let bps = r.rate_bps.map(check_rate).transpose()?;
        self.store
            .set_commission_rate(&m.id, scope.as_str(), &target, bps, self.now())
            .await?;
        self.inner.cache.invalidate();
        self.commission_rates(actor).await
    }

    /// The acting merchant's rates.
    pub async fn commission_rates(
        &self,
        actor: &Actor,
    ) -> Result<Vec<CommissionRateView>, MarketError> {
        let m = self.acting_merchant(actor).await?;
        Ok(self
            .store
            .commission_rates(Some(&m.id))
            .await?
            .into_iter()
            .map(|r| CommissionRateView {
                scope: r.scope,
                target_id: r.target_id,
                rate_bps: r.rate_bps,
            })
            .collect())
    }
}

/// What one creator sold of one of the store's products.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatorSaleView {
    /// The creator's handle.
    pub handle: String,
    /// `prd_…`.
    pub product_id: String,
    /// The product's title at sale.
    pub title: String,
    /// Units sold through the creator (orders not cancelled).
    pub units: i64,
    /// Their lines' amount, the store's currency.
    pub sales: MoneyView,
    /// The commission frozen on them.
    pub commission: MoneyView,
}

impl Market {
    /// Which creators sold what of the acting store's products, biggest first (top 200).
    pub async fn creator_sales(&self, actor: &Actor) -> Result<Vec<CreatorSaleView>, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let rows = self.store.creator_sales(&m.id, 200).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let handles: HashMap<String, String> = self
            .store
            .creator_handles(&ids)
            .await?
            .into_iter()
            .collect();
        let c = m.settlement_currency.as_str();
        Ok(rows
            .into_iter()
            .map(
                |(creator, product_id, title, units, sales, commission)| CreatorSaleView {
                    handle: handles.get(&creator).cloned().unwrap_or_default(),
                    product_id,
                    title,
                    units,
                    sales: MoneyView::new(sales, c),
                    commission: MoneyView::new(commission, c),
                },
            )
            .collect())
    }
}
