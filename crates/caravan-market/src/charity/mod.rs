//! Charity programmes: operators create causes; stores pledge a share of their campaign sales
//! (or an amount per unit) to one; checkout freezes each line's pledge, the order's escrow
//! clock moves it (pending at payment, confirmed at completion, reversed in proportion on
//! refund), operators remit the confirmed money to the partner, and a public meter shows it
//! from the ledger (see `meter`).

pub mod meter;

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::catalogue::slug;
use caravan_domain::charity::{cause_texts, check_target, check_window, Terms};
use caravan_domain::id::{CauseId, TypedId};
use caravan_domain::locale::pick;
use caravan_domain::{parse_rfc3339, rfc3339, Currency, Locale};
use caravan_store::charity::{CauseRecord, CauseTextRecord, PledgeRecord};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A cause's name and description in one language.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CauseTextInput {
    /// 1 to 120 characters.
    pub name: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub description: String,
}

/// A new cause.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CauseInput {
    /// In URLs (1 to 60 of a-z, 0-9 and -).
    pub slug: String,
    /// Per locale; English is required.
    pub texts: BTreeMap<String, CauseTextInput>,
    /// The partner organisation the money goes to (1 to 120 characters).
    pub partner: String,
    /// The partner's site (https), optional.
    #[serde(default)]
    pub partner_url: String,
    /// What the cause hopes to raise, minor units of `currency`.
    pub target_minor: i64,
    /// The cause's currency.
    pub currency: String,
    /// RFC 3339: sales pledge from…
    pub starts_at: String,
    /// RFC 3339: …until (at most 92 days later).
    pub ends_at: String,
}

/// A cause as anyone sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CauseView {
    /// `cau_…`.
    pub id: String,
    /// URL name.
    pub slug: String,
    /// In the caller's language (fallback English).
    pub name: String,
    /// In the caller's language (fallback English).
    pub description: String,
    /// The partner organisation.
    pub partner: String,
    /// The partner's site, or empty.
    pub partner_url: String,
    /// What it hopes to raise.
    pub target: MoneyView,
    /// upcoming | collecting | ended.
    pub state: String,
    /// RFC 3339.
    pub starts_at: String,
    /// RFC 3339.
    pub ends_at: String,
}

/// A store's pledge: `percent` with basis points, or `per_unit` with minor units of the
/// store's currency.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeInput {
    /// percent | per_unit.
    pub kind: String,
    /// 1 to 5000 basis points, or a positive amount per unit.
    pub value: i64,
}

/// A store's pledge to a cause.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeView {
    /// `cau_…`.
    pub cause_id: String,
    /// The cause's URL name.
    pub cause_slug: String,
    /// The cause's name in the caller's language.
    pub cause_name: String,
    /// `mer_…`.
    pub merchant_id: String,
    /// percent | per_unit.
    pub kind: String,
    /// Basis points, or minor units per unit.
    pub value: i64,
    /// The amount per unit (per_unit pledges), the store's currency.
    pub per_unit: Option<MoneyView>,
    /// RFC 3339.
    pub created_at: String,
}

/// A pledge in force for checkout and product pages: the cause, its window and the terms.
#[derive(Debug, Clone)]
pub(crate) struct ActivePledge {
    pub cause_id: String,
    pub slug: String,
    pub names: Vec<(Locale, String)>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub terms: Terms,
}

/// What a store gives of a sale to a cause, as its product pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SalePledgeView {
    /// `cau_…`.
    pub cause_id: String,
    /// The cause's URL name.
    pub cause_slug: String,
    /// The cause's name in the caller's language.
    pub cause_name: String,
    /// percent | per_unit.
    pub kind: String,
    /// Basis points, or minor units per unit.
    pub value: i64,
    /// The amount per unit (per_unit pledges), the store's currency.
    pub per_unit: Option<MoneyView>,
}

impl ActivePledge {
    /// How product pages show it.
    pub(crate) fn view(&self, locale: Locale, currency: &str) -> SalePledgeView {
        SalePledgeView {
            cause_id: self.cause_id.clone(),
            cause_slug: self.slug.clone(),
            cause_name: self.name(locale),
            kind: self.terms.kind().to_owned(),
            value: self.terms.value(),
            per_unit: matches!(self.terms, Terms::PerUnit(_))
                .then(|| MoneyView::new(self.terms.value(), currency)),
        }
    }

    /// The cause's name in `locale` (fallback English).
    pub(crate) fn name(&self, locale: Locale) -> String {
        pick(&self.names, locale, Locale::En)
            .cloned()
            .unwrap_or_else(|| self.slug.clone())
    }
}

/// Every store's pledges to causes that have not ended, first pledged first.
#[derive(Debug, Default)]
pub(crate) struct PledgeTable {
    by_merchant: HashMap<String, Vec<ActivePledge>>,
}

impl PledgeTable {
    pub(crate) fn new(
        pledges: Vec<PledgeRecord>,
        causes: &[CauseRecord],
        texts: &[CauseTextRecord],
        now: i64,
    ) -> Self {
        let mut by_merchant: HashMap<String, Vec<ActivePledge>> = HashMap::new();
        for p in pledges {
            let Some(c) = causes
                .iter()
                .find(|c| c.id == p.cause_id && c.ends_at > now)
            else {
                continue;
            };
            let Ok(terms) = Terms::parse(&p.kind, p.value) else {
                continue;
            };
            by_merchant
                .entry(p.merchant_id)
                .or_default()
                .push(ActivePledge {
                    cause_id: c.id.clone(),
                    slug: c.slug.clone(),
                    names: names_of(&c.id, texts),
                    starts_at: c.starts_at,
                    ends_at: c.ends_at,
                    terms,
                });
        }
        Self { by_merchant }
    }

    /// The pledge a store's sale at `now` goes to: the first pledged cause collecting now.
    pub(crate) fn at(&self, merchant_id: &str, now: i64) -> Option<&ActivePledge> {
        self.by_merchant
            .get(merchant_id)?
            .iter()
            .find(|p| p.starts_at <= now && now < p.ends_at)
    }
}

fn names_of(cause_id: &str, texts: &[CauseTextRecord]) -> Vec<(Locale, String)> {
    texts
        .iter()
        .filter(|t| t.cause_id == cause_id)
        .filter_map(|t| Some((Locale::parse(&t.locale).ok()?, t.name.clone())))
        .collect()
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidCause, message)
}

impl Market {
    /// An operator creates a cause.
    pub async fn create_cause(
        &self,
        actor: &Actor,
        c: CauseInput,
        locale: Locale,
    ) -> Result<CauseView, MarketError> {
        actor.require(Role::Operator)?;
        let record = cause_record(&c, self.now())?;
        let raw: BTreeMap<String, (String, String)> = c
            .texts
            .iter()
            .map(|(l, t)| (l.clone(), (t.name.clone(), t.description.clone())))
            .collect();
        let texts: Vec<CauseTextRecord> = cause_texts(&raw)?
            .into_iter()
            .map(|(l, t)| CauseTextRecord {
                cause_id: record.id.clone(),
                locale: l.code().to_owned(),
                name: t.name,
                description: t.description,
            })
            .collect();
        self.store
            .insert_cause(&record, &texts)
            .await
            .map_err(|e| match e {
                caravan_store::StoreError::Conflict => bad("a cause with this slug exists"),
                other => other.into(),
            })?;
        self.inner.cache.invalidate();
        Ok(self.cause_view(&record, &texts, locale))
    }

    /// The cause with this id or slug; `not_found` if none.
    pub(crate) async fn cause_named(&self, id_or_slug: &str) -> Result<CauseRecord, MarketError> {
        self.store
            .cause(id_or_slug)
            .await?
            .ok_or_else(|| MarketError::not_found("cause"))
    }

    /// Every cause, latest first.
    pub async fn causes(&self, locale: Locale) -> Result<Vec<CauseView>, MarketError> {
        let records = self.store.causes().await?;
        let ids: Vec<String> = records.iter().map(|c| c.id.clone()).collect();
        let texts = self.store.cause_texts(&ids).await?;
        Ok(records
            .iter()
            .map(|c| self.cause_view(c, &texts, locale))
            .collect())
    }

    /// One cause by id or slug.
    pub async fn cause(&self, id: &str, locale: Locale) -> Result<CauseView, MarketError> {
        let c = self.cause_named(id).await?;
        let texts = self.store.cause_texts(std::slice::from_ref(&c.id)).await?;
        Ok(self.cause_view(&c, &texts, locale))
    }

    pub(crate) fn cause_view(
        &self,
        c: &CauseRecord,
        texts: &[CauseTextRecord],
        locale: Locale,
    ) -> CauseView {
        let own: Vec<(Locale, &CauseTextRecord)> = texts
            .iter()
            .filter(|t| t.cause_id == c.id)
            .filter_map(|t| Locale::parse(&t.locale).ok().map(|l| (l, t)))
            .collect();
        let text = pick(&own, locale, Locale::En);
        let now = self.now();
        let state = if now < c.starts_at {
            "upcoming"
        } else if now < c.ends_at {
            "collecting"
        } else {
            "ended"
        };
        CauseView {
            id: c.id.clone(),
            slug: c.slug.clone(),
            name: text.map_or_else(|| c.slug.clone(), |t| t.name.clone()),
            description: text.map(|t| t.description.clone()).unwrap_or_default(),
            partner: c.partner.clone(),
            partner_url: c.partner_url.clone(),
            target: MoneyView::new(c.target_minor, &c.currency),
            state: state.to_owned(),
            starts_at: rfc3339(c.starts_at),
            ends_at: rfc3339(c.ends_at),
        }
    }

    /// The acting store pledges to a cause (or changes its pledge before the cause starts).
    pub async fn pledge(
        &self,
        actor: &Actor,
        cause: &str,
        p: PledgeInput,
        locale: Locale,
    ) -> Result<PledgeView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let c = self.cause_named(cause).await?;
        let terms = Terms::parse(&p.kind, p.value)?;
        let now = self.now();
        if now >= c.ends_at {
            return Err(MarketError::new(
                Code::InvalidTransition,
                "this cause has ended",
            ));
        }
        let had = self.store.pledges(Some(&c.id)).await?;
        if now >= c.starts_at && had.iter().any(|h| h.merchant_id == m.id) {
            return Err(MarketError::new(
                Code::PledgeLocked,
                "the cause has started: a pledge made stays as it is",
            ));
        }
        let record = PledgeRecord {
            cause_id: c.id.clone(),
            merchant_id: m.id.clone(),
            kind: terms.kind().to_owned(),
            value: terms.value(),
            created_at: now,
        };
        self.store.set_pledge(&record).await?;
        self.inner.cache.invalidate();
        let texts = self.store.cause_texts(std::slice::from_ref(&c.id)).await?;
        Ok(pledge_view(
            &record,
            &c,
            &texts,
            &m.settlement_currency,
            locale,
        ))
    }

    /// The acting store withdraws its pledge before the cause starts.
    pub async fn withdraw_pledge(&self, actor: &Actor, cause: &str) -> Result<(), MarketError> {
        let m = self.acting_merchant(actor).await?;
        let c = self.cause_named(cause).await?;
        if self.now() >= c.starts_at {
            return Err(MarketError::new(
                Code::PledgeLocked,
                "the cause has started: a pledge made stays as it is",
            ));
        }
        if !self.store.delete_pledge(&c.id, &m.id, self.now()).await? {
            return Err(MarketError::not_found("pledge"));
        }
        self.inner.cache.invalidate();
        Ok(())
    }

    /// The acting store's pledges.
    pub async fn my_pledges(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Vec<PledgeView>, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let causes = self.store.causes().await?;
        let ids: Vec<String> = causes.iter().map(|c| c.id.clone()).collect();
        let texts = self.store.cause_texts(&ids).await?;
        let mut out = Vec::new();
        for p in self.store.pledges(None).await? {
            if p.merchant_id != m.id {
                continue;
            }
            if let Some(c) = causes.iter().find(|c| c.id == p.cause_id) {
                out.push(pledge_view(&p, c, &texts, &m.settlement_currency, locale));
            }
        }
        Ok(out)
    }

    /// The pledge a store's sales go to now, if any (product pages' badge).
    pub(crate) async fn pledge_now(
        &self,
        merchant_id: &str,
    ) -> Result<Option<ActivePledge>, MarketError> {
        let tables = self.tables().await?;
        Ok(tables.pledges.at(merchant_id, self.now()).cloned())
    }
}

fn pledge_view(
    p: &PledgeRecord,
    c: &CauseRecord,
    texts: &[CauseTextRecord],
    currency: &str,
    locale: Locale,
) -> PledgeView {
    let names = names_of(&c.id, texts);
    PledgeView {
        cause_id: c.id.clone(),
        cause_slug: c.slug.clone(),
        cause_name: pick(&names, locale, Locale::En)
            .cloned()
            .unwrap_or_else(|| c.slug.clone()),
        merchant_id: p.merchant_id.clone(),
        kind: p.kind.clone(),
        value: p.value,
        per_unit: (p.kind == "per_unit").then(|| MoneyView::new(p.value, currency)),
        created_at: rfc3339(p.created_at),
    }
}

/// The record of a checked cause.
fn cause_record(c: &CauseInput, now: i64) -> Result<CauseRecord, MarketError> {
    let at = |s: &str| {
        parse_rfc3339(s).ok_or_else(|| bad("instants are RFC 3339, e.g. 2027-02-01T00:00:00+01:00"))
    };
    let (starts_at, ends_at) = check_window(at(&c.starts_at)?, at(&c.ends_at)?)?;
    let currency = Currency::parse(&c.currency)?;
    let target = check_target(c.target_minor)?;
    let partner = caravan_domain::account::clean_name(
        &c.partner,
        120,
        Code::InvalidCause,
        "a partner's name",
    )?;
    let url = c.partner_url.trim();
    if !url.is_empty() && (!url.starts_with("https://") || url.len() > 200 || url.contains(' ')) {
        return Err(bad("a partner's site is an https:// address"));
    }
    Ok(CauseRecord {
        id: CauseId::generate().to_string(),
        slug: slug(&c.slug).map_err(|_| bad("a slug has 1 to 60 of a-z, 0-9 and -"))?,
        partner,
        partner_url: url.to_owned(),
        target_minor: target,
        currency: currency.code().to_owned(),
        starts_at,
        ends_at,
        image: None,
        created_at: now,
    })
}

impl Market {
    /// The donation a checkout asked for, checked (a cause collecting now; a round-up of
    /// nothing is no donation); pending until the payment is captured.
    pub(crate) async fn checkout_donation(
        &self,
        d: &crate::checkout::DonationInput,
        (group_id, buyer): (&str, &str),
        (total, currency): (i64, caravan_domain::Currency),
    ) -> Result<Option<caravan_store::checkout::DonationRecord>, MarketError> {
        let bad = |m: &str| MarketError::new(Code::InvalidDonation, m);
        let cause = self
            .store
            .cause(&d.cause)
            .await?
            .ok_or_else(|| bad("no such cause"))?;
        let now = self.now();
        if now < cause.starts_at || now >= cause.ends_at {
            return Err(bad("this cause is not collecting now"));
        }
        let e = currency.exponent();
        let gift = caravan_domain::charity::Donation::parse(&d.kind, d.amount_minor, e)?;
        let amount = gift.amount(total, e);
        Ok(
            (amount > 0).then(|| caravan_store::checkout::DonationRecord {
                group_id: group_id.to_owned(),
                cause_id: cause.id,
                buyer_id: buyer.to_owned(),
                kind: gift.kind().to_owned(),
                amount_minor: amount,
                currency: currency.code().to_owned(),
                state: "pending".to_owned(),
                created_at: now,
            }),
        )
    }
}
