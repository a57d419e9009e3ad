//! Connect (first part): buyers apply to be creators, operators decide (as for merchants), and
//! approved creators make tracking links to products and campaigns. Following a link counts a
//! click in this node's memory (a bounded map, flushed to the store in one transaction every
//! second), so a redirect costs no database write.

mod attribution;
pub(crate) mod clicks;
pub mod collabs;
pub mod commission;
pub mod earnings;
pub mod posts;
pub mod tiers;
mod views;

pub(crate) use attribution::{ConnectCache, Credit};

pub use clicks::Clicks;
pub use views::{CreatorApplication, CreatorView, LinkInput, LinkView, PublicCreator};

use crate::accounts::Actor;
use crate::merchants::Decision;
use crate::page::{self, Page};
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::creator::{is_link_code, new_link_code, Handle};
use caravan_domain::id::{CreatorId, TypedId};
use caravan_domain::merchant::MerchantStatus;
use caravan_domain::{Country, Locale};
use caravan_store::creators::{CreatorRecord, LinkRecord, Refusal};
use caravan_store::StoreError;

/// Where a followed link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The page's path on this site.
    pub path: String,
    /// The link's code (the attribution cookie's value).
    pub code: String,
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidCreatorApplication, message)
}

/// The application's checked lists as JSON: languages, countries, https links.
fn checked_lists(a: &CreatorApplication) -> Result<(String, String, String), MarketError> {
    if a.languages.is_empty() || a.languages.len() > 8 {
        return Err(bad("name 1 to 8 languages"));
    }
    if a.countries.is_empty() || a.countries.len() > 50 {
        return Err(bad("name 1 to 50 countries"));
    }
    if a.links.len() > 5
        || a.links
            .iter()
            .any(|l| !l.starts_with("https://") || l.len() > 300 || l.contains(char::is_whitespace))
    {
        return Err(bad("up to 5 https links of at most 300 characters"));
    }
    let languages: Vec<&str> = a
        .languages
        .iter()
        .map(|l| Locale::parse(l).map(Locale::code))
        .collect::<Result<_, _>>()?;
    let countries: Vec<String> = a
        .countries
        .iter()
        .map(|c| Country::parse(c).map(|c| c.code().to_owned()))
        .collect::<Result<_, _>>()?;
    Ok((json(&languages), json(&countries), json(&a.links)))
}

/// A list of strings as JSON (serializing strings cannot fail).
fn json<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

impl Market {
    /// The actor applies to be a creator; one application per account, handles unique.
    pub async fn apply_to_create(
        &self,
        actor: &Actor,
        a: CreatorApplication,
    ) -> Result<CreatorView, MarketError> {
        let handle = Handle::parse(&a.handle)?;
        let (languages, countries, links) = checked_lists(&a)?;
        let pitch = clean_name(&a.pitch, 500, Code::InvalidCreatorApplication, "a pitch")?;
        let now = self.now();
        let record = CreatorRecord {
            id: CreatorId::generate().to_string(),
            user_id: actor.user_id.to_string(),
            handle: handle.as_str().to_owned(),
            languages,
            countries,
            links,
            pitch,
            status: MerchantStatus::Pending.as_str().to_owned(),
            status_reason: None,
            created_at: now,
            updated_at: now,
            code: None,
            payout_currency: "EUR".to_owned(),
            bonus_bps: 0,
            tier: String::new(),
            earned_90d_eur_minor: 0,
        };
        match self.store.insert_creator(&record).await? {
            None => views::creator(record),
            Some(Refusal::AlreadyApplied) => Err(MarketError::new(
                Code::AlreadyCreator,
                "this account has applied to be a creator already",
            )),
            Some(Refusal::HandleTaken) => Err(MarketError::new(
                Code::HandleTaken,
                "another creator has that handle",
            )),
        }
    }

    /// The actor's own creator profile, in any status.
    pub async fn my_creator(&self, actor: &Actor) -> Result<CreatorView, MarketError> {
        let c = self.store.creator_of_user(actor.user_id.as_str()).await?;
        views::creator(c.ok_or_else(|| MarketError::not_found("creator profile for this account"))?)
    }

    /// The approved creator the actor is, or why not.
    pub(crate) async fn acting_creator(&self, actor: &Actor) -> Result<CreatorRecord, MarketError> {
        actor.require(Role::Creator)?;
        let c = self
            .store
            .creator_of_user(actor.user_id.as_str())
            .await?
            .ok_or_else(|| MarketError::new(Code::Forbidden, "this account is no creator"))?;
        if c.status != MerchantStatus::Approved.as_str() {
            return Err(MarketError::new(
                Code::CreatorNotActive,
                format!("the creator profile is {}", c.status),
            ));
        }
        Ok(c)
    }

    /// An operator approves, rejects, suspends or reinstates a creator.
    pub async fn decide_creator(
        &self,
        actor: &Actor,
        id: &str,
        d: Decision,
    ) -> Result<CreatorView, MarketError> {
        actor.require(Role::Operator)?;
        let id = CreatorId::parse(id)?;
        let c = self
            .store
            .creator_by_id(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("creator"))?;
        let (from, to, reason) = crate::merchants::review(&c.status, &d)?;
        self.store
            .set_creator_status(
                id.as_str(),
                from.as_str(),
                to.as_str(),
                reason.as_deref(),
                self.now(),
            )
            .await
            .map_err(|e| match e {
                StoreError::Stale => MarketError::new(Code::InvalidTransition, "decided meanwhile"),
                other => other.into(),
            })?;
        // The role changed: forget cached tokens, and where this node's links lead.
        self.inner.cache.drop_tokens();
        self.inner.connect.clear();
        let c = self.store.creator_by_id(id.as_str()).await?;
        views::creator(c.ok_or_else(|| MarketError::not_found("creator"))?)
    }

    /// Creators for operators, oldest first, optionally by status.
    pub async fn list_creators(
        &self,
        actor: &Actor,
        status: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<CreatorView>, MarketError> {
        actor.require(Role::Operator)?;
        let status = status.map(MerchantStatus::parse).transpose()?;
        let limit = page::limit(limit)?;
        let rows = self
            .store
            .list_creators(
                status.map(MerchantStatus::as_str),
                page::decode(cursor)?,
                limit + 1,
            )
            .await?;
        let rows: Vec<_> = rows
            .into_iter()
            .map(|r| (r.created_at, r.id.clone(), views::creator(r)))
            .collect();
        let page = page::paginate(rows, limit, |(t, id, _)| (*t, id.clone()), |(_, _, v)| v);
        Ok(Page {
            items: page.items.into_iter().collect::<Result<_, _>>()?,
            next_cursor: page.next_cursor,
        })
    }

    /// An approved creator's public profile by handle; others are `not_found`.
    pub async fn public_creator(&self, handle: &str) -> Result<PublicCreator, MarketError> {
        let h = Handle::parse(handle).map_err(|_| MarketError::not_found("creator"))?;
        self.store
            .creator_by_handle(h.as_str())
            .await?
            .filter(|c| c.status == MerchantStatus::Approved.as_str())
            .map(views::public)
            .ok_or_else(|| MarketError::not_found("creator"))
    }

    /// An approved creator makes a tracking link to a published product or a campaign.
    pub async fn create_link(&self, actor: &Actor, l: LinkInput) -> Result<LinkView, MarketError> {
        let c = self.acting_creator(actor).await?;
        let (kind, target) = self.link_target(&l.target).await?;
        let mut record = LinkRecord {
            code: new_link_code(),
            creator_id: c.id,
            target_kind: kind.to_owned(),
            target_id: target,
            clicks: 0,
            created_at: self.now(),
        };
        // 31^8 codes: a clash is rare; a second draw settles it.
        for _ in 0..3 {
            match self.store.insert_link(&record).await {
                Ok(()) => return Ok(views::link(&record, 0, 0)),
                Err(StoreError::Conflict) => record.code = new_link_code(),
                Err(e) => return Err(e.into()),
            }
        }
        Err(MarketError::internal("no free link code"))
    }

    /// What a link may lead to: a published product of an approved store, or a campaign.
    async fn link_target(&self, target: &str) -> Result<(&'static str, String), MarketError> {
        let wrong = || MarketError::new(Code::InvalidLinkTarget, "no such product or campaign");
        if target.starts_with("prd_") {
            let p = self
                .product(target, Locale::En)
                .await
                .map_err(|_| wrong())?;
            return Ok(("product", p.id));
        }
        let c = self.campaign_named(target).await.map_err(|_| wrong())?;
        Ok(("campaign", c.id))
    }

    /// The actor's links with their clicks (flushed, plus this node's not yet flushed).
    pub async fn my_links(&self, actor: &Actor) -> Result<Vec<LinkView>, MarketError> {
        let c = self.acting_creator(actor).await?;
        let links = self.store.links_of(&c.id).await?;
        let orders: std::collections::HashMap<String, i64> = self
            .store
            .orders_by_reference(&c.id)
            .await?
            .into_iter()
            .collect();
        Ok(links
            .iter()
            .map(|l| {
                let n = orders.get(&l.code).copied().unwrap_or(0);
                views::link(l, self.inner.clicks.pending(&l.code), n)
            })
            .collect())
    }

    /// Follows a link: where to send the visitor, and the click counted in memory; `not_found`
    /// for an unknown code or a suspended creator's link.
    pub async fn follow_link(&self, code: &str) -> Result<Redirect, MarketError> {
        let gone = || MarketError::not_found("link");
        if !is_link_code(code) {
            return Err(gone());
        }
        let now = self.now();
        let path = match self.inner.connect.destinations.get_or_reread(code, now) {
            Some((path, reread)) => {
                if let Some(reread) = reread {
                    tokio::spawn(self.clone().reread_destination(code.to_owned(), reread));
                }
                path
            }
            None => {
                let path = self.destination(code).await?;
                self.inner.connect.destinations.put(code, path.clone(), now);
                path
            }
        };
        let path = path.ok_or_else(gone)?;
        self.inner.clicks.count(code);
        Ok(Redirect {
            path,
            code: code.to_owned(),
        })
    }

    /// [`Self::destination`] off the redirect's path; a failed read leaves the entry to its TTL.
    async fn reread_destination(self, code: String, reread: crate::recent::Reread) {
        let now = self.now();
        match self.destination(&code).await {
            Ok(path) => {
                let d = &self.inner.connect.destinations;
                d.put_reread(&code, path, now, reread);
            }
            Err(e) => tracing::debug!(error = %e, "rereading a link failed"),
        }
    }

    /// Where a link leads, read from the store: none for an unknown code or a link of a
    /// creator who is not approved.
    async fn destination(&self, code: &str) -> Result<Option<String>, MarketError> {
        let Some(link) = self.store.link(code).await? else {
            return Ok(None);
        };
        let active = self
            .store
            .creator_by_id(&link.creator_id)
            .await?
            .is_some_and(|c| c.status == MerchantStatus::Approved.as_str());
        Ok(active.then(|| match link.target_kind.as_str() {
            "product" => format!("/p/{}", link.target_id),
            _ => format!("/festival/{}", link.target_id),
        }))
    }

    /// Writes this node's counted clicks (and orders through posts) to the store, one
    /// transaction each; how many links and posts.
    pub async fn flush_clicks(&self) -> Result<usize, MarketError> {
        let clicks = self.inner.clicks.take();
        if !clicks.is_empty() {
            if let Err(e) = self.store.add_clicks(&clicks).await {
                // Put them back: the next flush tries again.
                self.inner.clicks.restore(&clicks);
                return Err(e.into());
            }
        }
        let orders = self.inner.post_orders.take();
        if !orders.is_empty() {
            if let Err(e) = self.store.add_post_orders(&orders).await {
                self.inner.post_orders.restore(&orders);
                return Err(e.into());
            }
        }
        Ok(clicks.len() + orders.len())
    }

    /// Lists new commissions under their creators until none are left (the store's
    /// `list_commissions`, [`LIST_STEP`] outbox events a transaction); how many events passed.
    pub async fn list_commissions(&self) -> Result<i64, MarketError> {
        let mut passed = 0;
        loop {
            let n = self.store.list_commissions(LIST_STEP).await?;
            passed += n;
            if n < LIST_STEP {
                return Ok(passed);
            }
        }
    }

    /// Every second until the task is dropped: flushes clicks and lists new commissions.
    pub async fn run_connect_flusher(self) {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            if let Err(e) = self.flush_clicks().await {
                tracing::warn!(code = %e.code, error = %e.message, "flushing clicks failed; retrying");
            }
            if let Err(e) = self.list_commissions().await {
                tracing::warn!(code = %e.code, error = %e.message, "listing commissions failed; retrying");
            }
        }
    }
}

/// Outbox events one listing transaction passes: a second of a busy festival's orders, so the
/// order writer never waits long behind it.
const LIST_STEP: i64 = 5_000;
