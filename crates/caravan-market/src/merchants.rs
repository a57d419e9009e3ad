//! Merchant onboarding: apply to sell, operator review, the public store page.

use crate::accounts::Actor;
use crate::page::{self, Page};
use crate::Code;
use crate::{Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::id::{MerchantId, TypedId};
use caravan_domain::merchant::{MerchantDecision, MerchantStatus};
use caravan_domain::{rfc3339, Country, Currency, Locale};
use caravan_store::merchants::MerchantRecord;
use caravan_store::StoreError;
use serde::{Deserialize, Serialize};

/// An application to sell on the marketplace.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Public store name (1..=80 characters).
    pub store_name: String,
    /// Country of the business (ISO 3166-1 alpha-2).
    pub country: String,
    /// Currency the merchant prices in and is paid in (ISO 4217).
    pub settlement_currency: String,
    /// Language the merchant writes product text in.
    pub default_locale: String,
    /// About the store (up to 2,000 characters).
    #[serde(default)]
    pub description: String,
}

/// The decisions an operator can take on a merchant (the schema of [`MerchantDecision`]).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(
    dead_code,
    reason = "only its schema is used: the decision itself is the domain's"
)]
enum DecisionName {
    Approve,
    Reject,
    Suspend,
}

/// An operator's decision on a merchant.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// approve (also reinstates a suspended merchant), reject or suspend.
    #[schema(value_type = DecisionName, example = "approve")]
    pub decision: MerchantDecision,
    /// Why; shown to the merchant.
    pub reason: Option<String>,
}

/// A merchant as its owner or an operator sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MerchantView {
    /// `mer_…`.
    pub id: String,
    /// The owning user.
    pub owner_user_id: String,
    /// Store name.
    pub store_name: String,
    /// Country.
    pub country: String,
    /// Settlement currency.
    pub settlement_currency: String,
    /// Default locale.
    pub default_locale: String,
    /// About the store.
    pub description: String,
    /// pending, approved, rejected or suspended.
    #[schema(value_type = String, example = "approved")]
    pub status: MerchantStatus,
    /// The operator's reason for the last decision.
    pub status_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A store's public page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicMerchant {
    /// `mer_…`.
    pub id: String,
    /// Store name.
    pub store_name: String,
    /// Country.
    pub country: String,
    /// Country name in English.
    pub country_name: String,
    /// Default locale.
    pub default_locale: String,
    /// About the store.
    pub description: String,
    /// RFC 3339: selling since.
    pub created_at: String,
}

fn view(m: MerchantRecord) -> Result<MerchantView, MarketError> {
    Ok(MerchantView {
        status: MerchantStatus::parse(&m.status)?,
        id: m.id,
        owner_user_id: m.owner_user_id,
        store_name: m.store_name,
        country: m.country,
        settlement_currency: m.settlement_currency,
        default_locale: m.default_locale,
        description: m.description,
        status_reason: m.status_reason,
        created_at: rfc3339(m.created_at),
    })
}

/// An operator's decision on something under review (a store, a creator) in `status`: the
/// status it leaves, the one it enters, and the cleaned reason.
pub(crate) fn review(
    status: &str,
    d: &Decision,
) -> Result<(MerchantStatus, MerchantStatus, Option<String>), MarketError> {
    let from = MerchantStatus::parse(status)?;
    let to = from
        .decide(d.decision)
        .map_err(|e| MarketError::new(Code::InvalidTransition, e.message))?;
    let reason = d
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(|r| clean_name(r, 500, Code::InvalidReason, "a reason"))
        .transpose()?;
    Ok((from, to, reason))
}

impl Market {
    /// Files the actor's application to sell; one store per user.
    pub async fn apply_to_sell(
        &self,
        actor: &Actor,
        a: Application,
    ) -> Result<MerchantView, MarketError> {
        let store_name = clean_name(&a.store_name, 80, Code::InvalidStoreName, "a store name")?;
        let country = Country::parse(&a.country)?;
        let currency = Currency::parse(&a.settlement_currency)?;
        let locale = Locale::parse(&a.default_locale)?;
        let description = if a.description.trim().is_empty() {
            String::new()
        } else {
            clean_name(
                &a.description,
                2000,
                Code::InvalidDescription,
                "a description",
            )?
        };
        let now = self.now();
        let record = MerchantRecord {
            id: MerchantId::generate().to_string(),
            owner_user_id: actor.user_id.to_string(),
            store_name,
            country: country.code().to_owned(),
            settlement_currency: currency.code().to_owned(),
            default_locale: locale.code().to_owned(),
            description,
            status: MerchantStatus::Pending.as_str().to_owned(),
            status_reason: None,
            created_at: now,
            updated_at: now,
        };
        self.store
            .insert_merchant(&record)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => {
                    MarketError::new(Code::AlreadyApplied, "this account already has a store")
                }
                other => other.into(),
            })?;
        view(record)
    }

    /// The actor's own store, in any status.
    pub async fn my_merchant(&self, actor: &Actor) -> Result<MerchantView, MarketError> {
        let m = self.store.merchant_of_user(actor.user_id.as_str()).await?;
        view(m.ok_or_else(|| MarketError::not_found("store for this account"))?)
    }

    /// The approved store the actor runs (merchant routes), or why not.
    pub(crate) async fn acting_merchant(
        &self,
        actor: &Actor,
    ) -> Result<MerchantRecord, MarketError> {
        actor.require(Role::Merchant)?;
        let m = self
            .store
            .merchant_of_user(actor.user_id.as_str())
            .await?
            .ok_or_else(|| MarketError::new(Code::Forbidden, "this account runs no store"))?;
        if m.status != MerchantStatus::Approved.as_str() {
            return Err(MarketError::new(
                Code::MerchantNotActive,
                format!("the store is {}", m.status),
            ));
        }
        Ok(m)
    }

    /// The store the actor runs, in any status (a suspended store still ships and refunds).
    pub(crate) async fn acting_merchant_any_status(
        &self,
        actor: &Actor,
    ) -> Result<MerchantRecord, MarketError> {
        actor.require(Role::Merchant)?;
        self.store
            .merchant_of_user(actor.user_id.as_str())
            .await?
            .ok_or_else(|| MarketError::new(Code::Forbidden, "this account runs no store"))
    }

    /// An operator approves, rejects, suspends or reinstates a merchant.
    pub async fn decide_merchant(
        &self,
        actor: &Actor,
        id: &str,
        d: Decision,
    ) -> Result<MerchantView, MarketError> {
        actor.require(Role::Operator)?;
        let id = MerchantId::parse(id)?;
        let m = self
            .store
            .merchant_by_id(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("merchant"))?;
        let (from, to, reason) = review(&m.status, &d)?;
        self.store
            .set_merchant_status(
                id.as_str(),
                from.as_str(),
                to.as_str(),
                reason.as_deref(),
                self.now(),
            )
            .await?;
        // Roles and what is on sale changed: forget cached tokens and catalogue.
        self.inner.cache.drop_tokens();
        self.inner.cache.invalidate();
        let m = self
            .store
            .merchant_by_id(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("merchant"))?;
        view(m)
    }

    /// Merchants for operators, oldest first, optionally by status.
    pub async fn list_merchants(
        &self,
        actor: &Actor,
        status: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<MerchantView>, MarketError> {
        actor.require(Role::Operator)?;
        let status = status.map(MerchantStatus::parse).transpose()?;
        let limit = page::limit(limit)?;
        let rows = self
            .store
            .list_merchants(
                status.map(MerchantStatus::as_str),
                page::decode(cursor)?,
                limit + 1,
            )
            .await?;
        let views = rows
            .into_iter()
            .map(|m| (m.created_at, m.id.clone(), view(m)))
            .collect::<Vec<_>>();
        let page = page::paginate(views, limit, |(t, id, _)| (*t, id.clone()), |(_, _, v)| v);
        Ok(Page {
            items: page.items.into_iter().collect::<Result<_, _>>()?,
            next_cursor: page.next_cursor,
        })
    }

    /// A store's public page; only approved stores have one.
    pub async fn public_merchant(&self, id: &str) -> Result<PublicMerchant, MarketError> {
        let id = MerchantId::parse(id)?;
        let m = self
            .store
            .merchant_by_id(id.as_str())
            .await?
            .filter(|m| m.status == MerchantStatus::Approved.as_str())
            .ok_or_else(|| MarketError::not_found("merchant"))?;
        let country_name = Country::parse(&m.country)
            .map(|c| c.name().to_owned())
            .unwrap_or_default();
        Ok(PublicMerchant {
            id: m.id,
            store_name: m.store_name,
            country: m.country,
            country_name,
            default_locale: m.default_locale,
            description: m.description,
            created_at: rfc3339(m.created_at),
        })
    }
}
