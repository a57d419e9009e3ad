//! Attribution at checkout: the creator a checkout earns for (a typed code, else the link
//! followed last inside the window), refused and flagged when the buyer is the creator (the
//! same account, mailbox or delivery address). Only attributed checkouts read anything more.

use crate::accounts::Actor;
use crate::checkout::{Address, CheckoutRequest};
use crate::{Code, Market, MarketError};
use caravan_domain::attribution::{
    address_key, choose, mailbox, CreatorCode, SelfReferral, Source, Touch,
};
use caravan_domain::id::TypedId;
use caravan_domain::merchant::MerchantStatus;
use caravan_store::checkout::ReferralFlag;
use caravan_store::creators::CreatorRecord;

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
            Some(c) if !c.is_empty() => Some(self.creator_by_code(c).await?),
            _ => None,
        };
        let by_link = match (&by_code, &req.referral) {
            (None, Some(r)) => self.link_creator(&r.code).await?.map(|c| (c, r)),
            _ => None,
        };
        let code_touch = by_code.as_ref().map(|(c, code)| Touch {
            creator_id: c.id.clone(),
            source: Source::Code,
            reference: code.clone(),
            at: now,
        });
        let link_touch = by_link.as_ref().map(|(c, r)| Touch {
            creator_id: c.id.clone(),
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
        let creator = by_code
            .map(|(c, _)| c)
            .or(by_link.map(|(c, _)| c))
            .ok_or_else(|| MarketError::internal("a touch without its creator"))?;
        if let Some(reason) = self.self_referral(actor, &creator, &req.address).await? {
            return Ok(Credit::Refused(ReferralFlag {
                group_id: group_id.to_owned(),
                creator_id: creator.id,
                buyer_id: actor.user_id.to_string(),
                reason: reason.as_str().to_owned(),
                source: touch.source.as_str().to_owned(),
                reference: touch.reference,
                created_at: now,
            }));
        }
        Ok(Credit::Creator {
            creator_id: creator.id,
            bonus_bps: creator.bonus_bps,
            touch,
        })
    }

    /// The approved creator with this checkout code, and the code as stored.
    async fn creator_by_code(&self, typed: &str) -> Result<(CreatorRecord, String), MarketError> {
        let unknown = || MarketError::new(Code::UnknownCreatorCode, "no creator has this code");
        let code = CreatorCode::parse(typed).map_err(|_| unknown())?;
        let c = self
            .store
            .creator_by_code(code.as_str())
            .await?
            .filter(|c| c.status == MerchantStatus::Approved.as_str())
            .ok_or_else(unknown)?;
        Ok((c, code.as_str().to_owned()))
    }

    /// The approved creator of a link (or a post, which must still be published), if it
    /// exists and its creator is active.
    async fn link_creator(&self, code: &str) -> Result<Option<CreatorRecord>, MarketError> {
        let creator = if code.starts_with("pst_") {
            self.published_post(code).await?.map(|p| p.creator_id)
        } else {
            self.store.link(code).await?.map(|l| l.creator_id)
        };
        let Some(creator) = creator else {
            return Ok(None);
        };
        Ok(self
            .store
            .creator_by_id(&creator)
            .await?
            .filter(|c| c.status == MerchantStatus::Approved.as_str()))
    }

    /// Why the buyer is the creator, if they are.
    async fn self_referral(
        &self,
        actor: &Actor,
        creator: &CreatorRecord,
        to: &Address,
    ) -> Result<Option<SelfReferral>, MarketError> {
        if creator.user_id == actor.user_id.as_str() {
            return Ok(Some(SelfReferral::SameAccount));
        }
        let (creator_email, places) = self.store.creator_identity(&creator.user_id).await?;
        let buyer = self.store.user_by_id(actor.user_id.as_str()).await?;
        if buyer.is_some_and(|b| mailbox(&b.email) == mailbox(&creator_email)) {
            return Ok(Some(SelfReferral::SameEmail));
        }
        let here = address_key(&to.line1, &to.postal_code, &to.country);
        if places
            .iter()
            .any(|(line1, postal, country)| address_key(line1, postal, country) == here)
        {
            return Ok(Some(SelfReferral::SameAddress));
        }
        Ok(None)
    }
}
