//! Attribution at checkout: the creator a checkout earns for (a typed code, else the link
//! followed last inside the window), refused and flagged when the buyer is the creator (the
//! same account, mailbox or delivery address). Only attributed checkouts read anything more.

use crate::accounts::Actor;
use crate::checkout::{Address, CheckoutRequest};
use crate::recent::Recent;
use crate::{Code, Market, MarketError};
use caravan_domain::attribution::{
    address_key, choose, mailbox, CreatorCode, SelfReferral, Source, Touch,
};
use caravan_domain::id::TypedId;
use caravan_domain::merchant::MerchantStatus;
use caravan_store::checkout::ReferralFlag;
use caravan_store::creators::CreatorRecord;
use std::collections::HashMap;
use std::sync::Arc;

/// What attribution and redirects read lately, for [`crate::recent::RECENT_TTL_MS`].
#[derive(Debug, Default)]
pub(crate) struct ConnectCache {
    /// Link code → the path it leads to (none: leads nowhere).
    pub destinations: Recent<Option<String>>,
    /// Link code or post id → its creator, if it attributes.
    pub sources: Recent<Option<String>>,
    /// Creator id → the creator, their mailbox and address keys (none: not approved).
    pub creators: Recent<Option<Arc<Identity>>>,
    /// Buyer id → mailbox.
    pub mailboxes: Recent<String>,
    /// Creator id → handle (posts' bylines).
    pub handles: Recent<String>,
    /// When this node last recomputed the creators' tiers (UTC ms).
    pub tiers_at: std::sync::atomic::AtomicI64,
}

impl ConnectCache {
    /// Forgets everything (a creator's status changed on this node).
    pub(crate) fn clear(&self) {
        self.destinations.clear();
        self.sources.clear();
        self.creators.clear();
        self.mailboxes.clear();
    }
}

/// An approved creator as attribution needs them.
#[derive(Debug)]
pub(crate) struct Identity {
    pub creator: CreatorRecord,
    pub mailbox: String,
    pub places: Vec<String>,
    /// The rates of the per-sale collaborations that accepted them.
    pub collabs: Arc<CollabRates>,
}

/// A creator's per-sale collaboration rates: product → (basis points, end in UTC ms).
#[derive(Debug, Default)]
pub(crate) struct CollabRates(HashMap<String, (i64, i64)>);

impl CollabRates {
    /// From the store's rows (products JSON, rate, merchant, end); the best rate per product.
    fn new(rows: Vec<(String, i64, String, i64)>) -> Self {
        let mut rates: HashMap<String, (i64, i64)> = HashMap::new();
        for (products, bps, _, ends_at) in rows {
            let ids: Vec<String> = serde_json::from_str(&products).unwrap_or_default();
            for id in ids {
                let e = rates.entry(id).or_insert((bps, ends_at));
                if bps > e.0 {
                    *e = (bps, ends_at);
                }
            }
        }
        Self(rates)
    }

    /// The collaboration's rate on `product` at `now` (0: none).
    pub(crate) fn rate(&self, product: &str, now: i64) -> i64 {
        match self.0.get(product) {
            Some(&(bps, ends_at)) if now < ends_at => bps,
            _ => 0,
        }
    }
}

/// Whom a checkout earns commission for.
#[derive(Debug, Clone, Default)]
pub(crate) enum Credit {
    /// Nobody.
    #[default]
    Nobody,
    /// This creator, through this touch; `bonus_bps` is added to every rate offered.
    Creator {
        /// `cre_…`.
        creator_id: String,
        /// The tier's bonus.
        bonus_bps: i64,
        /// How the buyer came.
        touch: Touch,
        /// Their per-sale collaborations' rates (the better of it and the store's applies).
        collabs: Arc<CollabRates>,
    },
    /// Nobody: the buyer is the creator.
    Refused(ReferralFlag),
}

impl Market {
    /// The credit of a checkout. A typed code that names no active creator is refused (422
    /// `unknown_creator_code`); a link that no longer leads anywhere is simply ignored.
    pub(crate) async fn attribute(
        &self,
        actor: &Actor,
        req: &CheckoutRequest,
        group_id: &str,
    ) -> Result<Credit, MarketError> {
        let now = self.now();
        let by_code = match req.creator_code.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(self.creator_by_code(c, now).await?),
            _ => None,
        };
        let by_link = match (&by_code, &req.referral) {
            (None, Some(r)) => self.source_creator(&r.code, now).await?.map(|c| (c, r)),
            _ => None,
        };
        let code_touch = by_code.as_ref().map(|(c, code)| Touch {
            creator_id: c.creator.id.clone(),
            source: Source::Code,
            reference: code.clone(),
            at: now,
        });
        let link_touch = by_link.as_ref().map(|(c, r)| Touch {
            creator_id: c.creator.id.clone(),
            source: if r.code.starts_with("pst_") {
                Source::Post
            } else {
                Source::Link
            },
            reference: r.code.clone(),
            at: r.clicked_at,
        });
        let window = self.config.attribution_window_ms;
        let Some(touch) = choose(code_touch, link_touch, now, window) else {
            return Ok(Credit::Nobody);
        };
        let who = by_code
            .map(|(c, _)| c)
            .or(by_link.map(|(c, _)| c))
            .ok_or_else(|| MarketError::internal("a touch without its creator"))?;
        let buyer = self.buyer_mailbox(actor, now).await?;
        if let Some(reason) = self_referral(actor, &buyer, &who, &req.address) {
            if reason == SelfReferral::SameAccount {
                // The creator's own order adds an address of theirs: read them afresh next time.
                self.inner.connect.creators.forget(&who.creator.id);
            }
            return Ok(Credit::Refused(ReferralFlag {
                group_id: group_id.to_owned(),
                creator_id: who.creator.id.clone(),
                buyer_id: actor.user_id.to_string(),
                reason: reason.as_str().to_owned(),
                source: touch.source.as_str().to_owned(),
                reference: touch.reference,
                created_at: now,
            }));
        }
        Ok(Credit::Creator {
            creator_id: who.creator.id.clone(),
            bonus_bps: who.creator.bonus_bps,
            touch,
            collabs: who.collabs.clone(),
        })
    }

    /// The approved creator with this checkout code, and the code as stored.
    async fn creator_by_code(
        &self,
        typed: &str,
        now: i64,
    ) -> Result<(Arc<Identity>, String), MarketError> {
        let unknown = || MarketError::new(Code::UnknownCreatorCode, "no creator has this code");
        let code = CreatorCode::parse(typed).map_err(|_| unknown())?;
        let c = self
            .store
            .creator_by_code(code.as_str())
            .await?
            .ok_or_else(unknown)?;
        let who = self.identity(&c.id, now).await?.ok_or_else(unknown)?;
        Ok((who, code.as_str().to_owned()))
    }

    /// The approved creator a link or a (published) post attributes to, if any.
    async fn source_creator(
        &self,
        code: &str,
        now: i64,
    ) -> Result<Option<Arc<Identity>>, MarketError> {
        let cache = &self.inner.connect.sources;
        let creator = match cache.get(code, now) {
            Some(c) => c,
            None => {
                let c = if code.starts_with("pst_") {
                    self.published_post(code).await?.map(|p| p.creator_id)
                } else {
                    self.store.link(code).await?.map(|l| l.creator_id)
                };
                cache.put(code, c.clone(), now);
                c
            }
        };
        match creator {
            Some(id) => self.identity(&id, now).await,
            None => Ok(None),
        }
    }

    /// An approved creator with their mailbox and addresses (read lately, or now).
    async fn identity(
        &self,
        creator_id: &str,
        now: i64,
    ) -> Result<Option<Arc<Identity>>, MarketError> {
        let cache = &self.inner.connect.creators;
        if let Some(hit) = cache.get(creator_id, now) {
            return Ok(hit);
        }
        let creator = self
            .store
            .creator_by_id(creator_id)
            .await?
            .filter(|c| c.status == MerchantStatus::Approved.as_str());
        let who = match creator {
            Some(creator) => {
                let (email, places) = self.store.creator_identity(&creator.user_id).await?;
                let places = places
                    .iter()
                    .map(|(line1, postal, country)| address_key(line1, postal, country))
                    .collect();
                let collabs = CollabRates::new(self.store.collab_rates(&creator.id, now).await?);
                Some(Arc::new(Identity {
                    mailbox: mailbox(&email),
                    places,
                    creator,
                    collabs: Arc::new(collabs),
                }))
            }
            None => None,
        };
        cache.put(creator_id, who.clone(), now);
        Ok(who)
    }

    /// The buyer's mailbox (read lately, or now).
    async fn buyer_mailbox(&self, actor: &Actor, now: i64) -> Result<String, MarketError> {
        let id = actor.user_id.as_str();
        if let Some(m) = self.inner.connect.mailboxes.get(id, now) {
            return Ok(m);
        }
        let email = self.store.user_by_id(id).await?.map(|u| u.email);
        let m = mailbox(&email.unwrap_or_default());
        self.inner.connect.mailboxes.put(id, m.clone(), now);
        Ok(m)
    }
}

/// Why the buyer is the creator, if they are: the same account, mailbox or delivery address.
fn self_referral(
    actor: &Actor,
    buyer_mailbox: &str,
    who: &Identity,
    to: &Address,
) -> Option<SelfReferral> {
    if who.creator.user_id == actor.user_id.as_str() {
        return Some(SelfReferral::SameAccount);
    }
    if !buyer_mailbox.is_empty() && buyer_mailbox == who.mailbox {
        return Some(SelfReferral::SameEmail);
    }
    let here = address_key(&to.line1, &to.postal_code, &to.country);
    who.places
        .contains(&here)
        .then_some(SelfReferral::SameAddress)
}
