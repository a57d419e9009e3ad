//! The demo's collaborations: the store behind Marie's bag asks creators to film it for a fixed
//! fee (Olga delivered her post with the bag and was paid; Marie was accepted and can deliver
//! hers from her hub; Kasia waits for an answer), and the store behind Carmen's olive oil pays
//! 25% per sale to the creators it accepts (Carmen is in; Olga waits).

use super::commissions::Earner;
use crate::accounts::Actor;
use crate::connect::collabs::{
    CollabApplyInput, CollabDecisionInput, CollabDeliveryInput, CollabInput,
};
use crate::{Market, MarketError, DAY_MS};
use caravan_domain::Locale;

/// One demo brief: (title, brief, kind, value in basis points or euro cents).
type Brief = (&'static str, &'static str, &'static str, i64);

const FEE_BRIEF: Brief = (
    "Our bags on camera",
    "Film one of our handmade bags in your everyday life and tell where it was made. One post, \
     tagged with the bag.",
    "fixed_fee",
    4_000,
);

const SALE_BRIEF: Brief = (
    "Cook with our olive oil",
    "Share a recipe with our olive oil. Accepted creators earn 25% on every bottle their posts, \
     links and codes sell during the brief.",
    "per_sale",
    2_500,
);

impl Market {
    /// See the module's documentation.
    pub(super) async fn seed_collabs(
        &self,
        stores: &[Actor],
        earners: &[Earner],
    ) -> Result<(), MarketError> {
        let by = |code: &str| earners.iter().find(|e| e.code == code);
        let (Some(marie), Some(kasia), Some(carmen), Some(olga)) =
            (by("MARIE10"), by("KASIA10"), by("CARMEN10"), by("OLGA10"))
        else {
            return Err(MarketError::internal("the demo misses a creator"));
        };
        let fee = self.demo_brief(stores, marie, FEE_BRIEF).await?;
        self.demo_join(&fee, olga, "Мои шарфы и сумки видят тысячи подписчиц")
            .await?;
        // Her second post shows Marie's bag with her scarf.
        let post = olga.posts.get(1).cloned().unwrap_or_default();
        let delivery = CollabDeliveryInput { post_id: post };
        self.deliver_collab(&olga.actor, &fee.0, delivery).await?;
        self.demo_join(&fee, marie, "Je porte ce sac tous les jours")
            .await?;
        self.demo_apply(&fee.0, kasia, "Moje poranki z herbatą i torbą na ramieniu")
            .await?;
        let sale = self.demo_brief(stores, carmen, SALE_BRIEF).await?;
        self.demo_join(&sale, carmen, "Mis recetas llegan a miles de cocinas")
            .await?;
        self.demo_apply(&sale.0, olga, "Готовлю по-средиземноморски каждый выходной")
            .await?;
        Ok(())
    }

    /// The store selling the earner's product publishes `brief` on it; (its id, the store).
    async fn demo_brief(
        &self,
        stores: &[Actor],
        e: &Earner,
        (title, brief, kind, value): Brief,
    ) -> Result<(String, Actor), MarketError> {
        let v = self.store.variant(&e.variant).await?;
        let p = match v {
            Some(v) => self.store.product(&v.product_id).await?,
            None => None,
        };
        let p = p.ok_or_else(|| MarketError::internal("a demo product is gone"))?;
        let mut owner = None;
        for s in stores {
            if self.my_merchant(s).await?.id == p.merchant_id {
                owner = Some(s.clone());
            }
        }
        let owner = owner.ok_or_else(|| MarketError::internal("a demo product's store"))?;
        let input = CollabInput {
            title: title.into(),
            brief: brief.into(),
            locale: Some("en".into()),
            product_ids: vec![p.id],
            kind: kind.into(),
            value,
            places: 3,
            ends_at: caravan_domain::rfc3339(self.now() + 30 * DAY_MS),
        };
        let c = self.create_collab(&owner, input, Locale::En).await?;
        Ok((c.id, owner))
    }

    /// The creator applies; the store accepts.
    async fn demo_join(
        &self,
        (id, owner): &(String, Actor),
        e: &Earner,
        pitch: &str,
    ) -> Result<(), MarketError> {
        let a = self.demo_apply(id, e, pitch).await?;
        let accept = CollabDecisionInput {
            decision: "accept".into(),
        };
        self.decide_collab(owner, id, &a, accept).await?;
        Ok(())
    }

    /// The creator applies; their creator id.
    async fn demo_apply(&self, id: &str, e: &Earner, pitch: &str) -> Result<String, MarketError> {
        let pitch = CollabApplyInput {
            pitch: pitch.into(),
        };
        Ok(self.apply_to_collab(&e.actor, id, pitch).await?.creator_id)
    }
}
