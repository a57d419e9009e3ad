//! Collaborations: a merchant publishes a brief featuring some of its products, paid per sale
//! (a rate for the creators it accepts, frozen on their order lines like any rate) or by a
//! fixed fee (held from the store's balance when a creator is accepted, paid to them when they
//! deliver a post tagging the products, back to the store if they did not by the end).
//! Creators apply; the merchant accepts or declines while places remain.

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Code, Market, MarketError};
use caravan_domain::account::clean_name;
use caravan_domain::collab::{self, State, Step, Terms};
use caravan_domain::id::{CollaborationId, CreatorId, LedgerTxId, PostId, TypedId};
use caravan_domain::{ledger, parse_rfc3339, rfc3339, Currency, Locale, Money};
use caravan_store::collabs::{ApplicationMove, ApplicationRecord, CollabRecord};
use caravan_store::journal::LedgerTx;
use caravan_store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A brief to publish.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollabInput {
    /// 1 to 120 characters.
    pub title: String,
    /// What the store asks creators for: 10 to 2000 characters.
    pub brief: String,
    /// The brief's language; the request's if absent.
    pub locale: Option<String>,
    /// 1 to 12 of the store's products (`prd_…`).
    pub product_ids: Vec<String>,
    /// `per_sale` (a rate on the products) or `fixed_fee` (per accepted creator).
    pub kind: String,
    /// Basis points for `per_sale` (300 to 5000); minor units of the store's currency for a fee.
    pub value: i64,
    /// How many creators it accepts (1 to 100).
    pub places: i64,
    /// RFC 3339, within 180 days: applications, the rate and deliveries end here.
    pub ends_at: String,
}

/// A creator's application.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollabApplyInput {
    /// Why them: 1 to 500 characters.
    pub pitch: String,
}

/// The merchant's decision on an application.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollabDecisionInput {
    /// `accept`, `reject`, or `lapse` (after the end: an undelivered fee back to the store).
    pub decision: String,
}

/// A creator's delivery for a fixed fee.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollabDeliveryInput {
    /// One of the creator's published posts tagging a product of the brief (`pst_…`).
    pub post_id: String,
}

/// A product a brief features.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CollabProduct {
    /// `prd_…`.
    pub id: String,
    /// Its title in the reader's language (empty if no longer on sale).
    pub title: String,
}

/// An application as the merchant and the creator see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    /// `col_…`.
    pub collaboration_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// The creator's handle.
    pub handle: String,
    /// Why them.
    pub pitch: String,
    /// applied, accepted, rejected, delivered or lapsed.
    pub state: String,
    /// The delivered post.
    pub post_id: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A collaboration.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CollabView {
    /// `col_…`.
    pub id: String,
    /// The store's name.
    pub store_name: String,
    /// Title.
    pub title: String,
    /// The brief.
    pub brief: String,
    /// The brief's language.
    pub locale: String,
    /// What it features.
    pub products: Vec<CollabProduct>,
    /// per_sale or fixed_fee.
    pub kind: String,
    /// The per-sale rate (basis points).
    pub rate_bps: Option<i64>,
    /// The fee per accepted creator.
    pub fee: Option<MoneyView>,
    /// Places in all.
    pub places: i64,
    /// Places taken.
    pub accepted: i64,
    /// RFC 3339.
    pub ends_at: String,
    /// Whether creators can still apply (not ended, places left).
    pub open: bool,
    /// The applications (the merchant's view) or the caller's own (a creator's).
    pub applications: Vec<ApplicationView>,
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidCollaboration, message)
}

fn terms(c: &CollabRecord) -> Result<Terms, MarketError> {
    let exponent = Currency::parse(&c.currency)?.exponent();
    Ok(Terms::parse(&c.kind, c.value, exponent)?)
}

fn application_view(a: ApplicationRecord, handle: &str) -> ApplicationView {
    ApplicationView {
        collaboration_id: a.collaboration_id,
        creator_id: a.creator_id,
        handle: handle.to_owned(),
        pitch: a.pitch,
        state: a.state,
        post_id: a.post_id,
        created_at: rfc3339(a.created_at),
    }
}

/// Who reads a list of collaborations.
enum Reader<'a> {
    /// The store that runs them: every application.
    Store,
    /// A creator: their own application only.
    Creator(&'a str),
}

impl Market {
    /// The acting store publishes a collaboration.
    pub async fn create_collab(
        &self,
        actor: &Actor,
        c: CollabInput,
        locale: Locale,
    ) -> Result<CollabView, MarketError> {
        let m = self.acting_merchant(actor).await?;
        let now = self.now();
        let currency = Currency::parse(&m.settlement_currency)?;
        let terms = Terms::parse(&c.kind, c.value, currency.exponent())?;
        let ends_at = parse_rfc3339(&c.ends_at).ok_or_else(|| bad("ends_at is RFC 3339"))?;
        collab::run(c.places, ends_at, now)?;
        collab::products(&c.product_ids)?;
        for p in &c.product_ids {
            self.owned_product_record(&m, p)
                .await
                .map_err(|_| bad("a brief features the store's own products"))?;
        }
        let locale = match c.locale.as_deref() {
            Some(l) => Locale::parse(l)?,
            None => locale,
        };
        let record = CollabRecord {
            id: CollaborationId::generate().to_string(),
            merchant_id: m.id.clone(),
            title: collab::title(&c.title)?,
            brief: collab::brief(&c.brief)?,
            locale: locale.code().to_owned(),
            products: serde_json::to_string(&c.product_ids)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            kind: terms.kind().to_owned(),
            value: terms.value(),
            currency: currency.code().to_owned(),
            places: c.places,
            accepted: 0,
            ends_at,
            created_at: now,
        };
        self.store.insert_collab(&record).await?;
        let mut views = self
            .collab_views(vec![record], Reader::Store, locale)
            .await?;
        views
            .pop()
            .ok_or_else(|| MarketError::internal("a view of none"))
    }

    /// The acting store's collaborations with their applications, newest first.
    pub async fn store_collabs(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Vec<CollabView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let records = self.store.collabs(Some(&m.id), 0).await?;
        self.collab_views(records, Reader::Store, locale).await
    }

    /// For the acting creator: every collaboration still running, and those they applied to,
    /// each with their own application.
    pub async fn creator_collabs(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Vec<CollabView>, MarketError> {
        let me = self.acting_creator(actor).await?;
        let mut records = self.store.collabs(None, self.now()).await?;
        for a in self.store.applications(None, Some(&me.id)).await? {
            if !records.iter().any(|r| r.id == a.collaboration_id) {
                records.extend(self.store.collab(&a.collaboration_id).await?);
            }
        }
        self.collab_views(records, Reader::Creator(&me.id), locale)
            .await
    }

    /// The acting creator applies; once per collaboration, while it is open.
    pub async fn apply_to_collab(
        &self,
        actor: &Actor,
        id: &str,
        a: CollabApplyInput,
    ) -> Result<ApplicationView, MarketError> {
        let me = self.acting_creator(actor).await?;
        let c = self.collab_record(id).await?;
        let now = self.now();
        if now >= c.ends_at || c.accepted >= c.places {
            return Err(closed());
        }
        let record = ApplicationRecord {
            collaboration_id: c.id,
            creator_id: me.id.clone(),
            pitch: clean_name(&a.pitch, 500, Code::InvalidCollaboration, "a pitch")?,
            state: State::Applied.as_str().to_owned(),
            post_id: None,
            created_at: now,
            decided_at: None,
        };
        match self.store.insert_application(&record).await {
            Ok(()) => Ok(application_view(record, &me.handle)),
            Err(StoreError::Conflict) => Err(MarketError::new(
                Code::AlreadyInCollaboration,
                "this creator has applied to this collaboration already",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The acting store accepts, declines or lapses an application.
    pub async fn decide_collab(
        &self,
        actor: &Actor,
        id: &str,
        creator: &str,
        d: CollabDecisionInput,
    ) -> Result<ApplicationView, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let step = Step::decision(&d.decision)?;
        let c = self.collab_record(id).await?;
        if c.merchant_id != m.id {
            return Err(MarketError::not_found("collaboration"));
        }
        let creator =
            CreatorId::parse(creator).map_err(|_| MarketError::not_found("application"))?;
        let done = self
            .move_application(&c, creator.as_str(), step, None)
            .await?;
        if step == Step::Accept {
            // Their next attributed checkout reads the new rate.
            self.inner.connect.creators.forget(creator.as_str());
        }
        Ok(done)
    }

    /// The acting creator delivers a post for an accepted fixed-fee collaboration and is paid.
    pub async fn deliver_collab(
        &self,
        actor: &Actor,
        id: &str,
        d: CollabDeliveryInput,
    ) -> Result<ApplicationView, MarketError> {
        let me = self.acting_creator(actor).await?;
        let c = self.collab_record(id).await?;
        let wrong = || {
            MarketError::new(
                Code::InvalidDelivery,
                "deliver one of your published posts that tags a product of the collaboration",
            )
        };
        let post = PostId::parse(&d.post_id).map_err(|_| wrong())?;
        let post = self
            .published_post(post.as_str())
            .await?
            .filter(|p| p.creator_id == me.id)
            .ok_or_else(wrong)?;
        let tagged: Vec<String> = serde_json::from_str(&post.products).unwrap_or_default();
        let featured: Vec<String> = serde_json::from_str(&c.products).unwrap_or_default();
        if !tagged.iter().any(|p| featured.contains(p)) {
            return Err(wrong());
        }
        self.move_application(&c, &me.id, Step::Deliver, Some(post.id))
            .await
    }

    async fn collab_record(&self, id: &str) -> Result<CollabRecord, MarketError> {
        let missing = || MarketError::not_found("collaboration");
        let id = CollaborationId::parse(id).map_err(|_| missing())?;
        self.store.collab(id.as_str()).await?.ok_or_else(missing)
    }

    /// Moves one application by `step`, with the fee's transaction when money moves.
    async fn move_application(
        &self,
        c: &CollabRecord,
        creator: &str,
        step: Step,
        post_id: Option<String>,
    ) -> Result<ApplicationView, MarketError> {
        let now = self.now();
        let mut a = self
            .store
            .applications(Some(&c.id), None)
            .await?
            .into_iter()
            .find(|a| a.creator_id == creator)
            .ok_or_else(|| MarketError::not_found("application"))?;
        let from = State::parse(&a.state).ok_or_else(|| MarketError::internal("a bad state"))?;
        let terms = terms(c)?;
        let to = collab::next(from, step, terms, now >= c.ends_at)?;
        let mv = ApplicationMove {
            collaboration_id: c.id.clone(),
            creator_id: creator.to_owned(),
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
            post_id: post_id.clone(),
            takes_place: step == Step::Accept,
            ledger: fee_transaction(c, creator, step, terms)?,
        };
        self.store
            .move_application(&mv, now)
            .await
            .map_err(application_error)?;
        a.state = mv.to;
        a.post_id = post_id.or(a.post_id);
        let handles: HashMap<String, String> = self
            .store
            .creator_handles(&[creator.to_owned()])
            .await?
            .into_iter()
            .collect();
        let handle = handles.get(creator).map_or("", String::as_str);
        Ok(application_view(a, handle))
    }

    /// Views of collaborations: store names, product titles in `locale`, applications.
    async fn collab_views(
        &self,
        records: Vec<CollabRecord>,
        reader: Reader<'_>,
        locale: Locale,
    ) -> Result<Vec<CollabView>, MarketError> {
        let mut ids: Vec<String> = Vec::new();
        for r in &records {
            ids.extend(serde_json::from_str::<Vec<String>>(&r.products).unwrap_or_default());
        }
        let on_sale = self.tagged(&ids, locale).await?;
        let now = self.now();
        let mut views = Vec::with_capacity(records.len());
        for r in records {
            let mut apps = self.store.applications(Some(&r.id), None).await?;
            if let Reader::Creator(me) = reader {
                apps.retain(|a| a.creator_id == me);
            }
            let who: Vec<String> = apps.iter().map(|a| a.creator_id.clone()).collect();
            let handles: HashMap<String, String> = self
                .store
                .creator_handles(&who)
                .await?
                .into_iter()
                .collect();
            let store_name = self
                .store
                .merchant_by_id(&r.merchant_id)
                .await?
                .map(|m| m.store_name)
                .unwrap_or_default();
            let products = serde_json::from_str::<Vec<String>>(&r.products)
                .unwrap_or_default()
                .into_iter()
                .map(|id| CollabProduct {
                    title: on_sale
                        .get(&id)
                        .map(|p| p.title.clone())
                        .unwrap_or_default(),
                    id,
                })
                .collect();
            let applications = apps
                .into_iter()
                .map(|a| {
                    let h = handles.get(&a.creator_id).cloned().unwrap_or_default();
                    application_view(a, &h)
                })
                .collect();
            views.push(collab_view(r, store_name, products, applications, now));
        }
        Ok(views)
    }
}

fn collab_view(
    r: CollabRecord,
    store_name: String,
    products: Vec<CollabProduct>,
    applications: Vec<ApplicationView>,
    now: i64,
) -> CollabView {
    let per_sale = r.kind == "per_sale";
    CollabView {
        open: now < r.ends_at && r.accepted < r.places,
        rate_bps: per_sale.then_some(r.value),
        fee: (!per_sale).then(|| MoneyView::new(r.value, &r.currency)),
        id: r.id,
        store_name,
        title: r.title,
        brief: r.brief,
        locale: r.locale,
        products,
        kind: r.kind,
        places: r.places,
        accepted: r.accepted,
        ends_at: rfc3339(r.ends_at),
        applications,
    }
}

fn closed() -> MarketError {
    MarketError::new(
        Code::CollaborationClosed,
        "the collaboration has ended or has no places left",
    )
}

/// The fee's transaction for a step of a fixed-fee collaboration: held at acceptance, paid at
/// delivery, returned at lapse.
fn fee_transaction(
    c: &CollabRecord,
    creator: &str,
    step: Step,
    terms: Terms,
) -> Result<Option<LedgerTx>, MarketError> {
    let Terms::FixedFee(minor) = terms else {
        return Ok(None);
    };
    let fee = Money::new(minor, Currency::parse(&c.currency)?);
    let (kind, postings) = match step {
        Step::Accept => (
            "collab_fee_hold",
            ledger::collab_fee_hold(&c.merchant_id, &c.id, fee),
        ),
        Step::Deliver => (
            "collab_fee_pay",
            ledger::collab_fee_pay(&c.id, creator, fee),
        ),
        Step::Lapse => (
            "collab_fee_return",
            ledger::collab_fee_return(&c.id, &c.merchant_id, fee),
        ),
        Step::Reject => return Ok(None),
    };
    Ok(Some(LedgerTx {
        id: LedgerTxId::generate().to_string(),
        kind: kind.to_owned(),
        reference: format!("{}:{creator}", c.id),
        postings,
    }))
}

fn application_error(e: StoreError) -> MarketError {
    match e {
        StoreError::Stale => {
            MarketError::new(Code::InvalidTransition, "the application moved meanwhile")
        }
        StoreError::Conflict => closed(),
        StoreError::Insufficient => MarketError::new(
            Code::InsufficientBalance,
            "the store's balance does not cover the fee",
        ),
        other => other.into(),
    }
}
