//! The demo creators' money: demo buyers typed each creator's code over the last forty days
//! (orders placed and moved by a market whose clock is set then), so every hub shows commission
//! in every state — available (after the hold), confirmed (held), pending — and Marie's also a
//! payout, an order refunded before completion (reversed), a refund after the payout (clawed
//! back), and her own purchase, refused and flagged for the operator.

use super::festival::demo_request;
use crate::accounts::Actor;
use crate::clock::ManualClock;
use crate::connect::earnings::CreatorSettings;
use crate::idempotency::IdempotencyKey;
use crate::orders::{CancelInput, RefundInput, ShipInput};
use crate::{Market, MarketError, DAY_MS};
use caravan_domain::Locale;
use std::collections::HashMap;
use std::sync::Arc;

/// A demo creator ready to earn: their account, the variant they promote, their code, their
/// posts (newest last).
pub(super) struct Earner {
    pub actor: Actor,
    pub variant: String,
    pub code: String,
    pub posts: Vec<String>,
}

/// Who runs each store: merchant id → its owner.
type Owners<'a> = HashMap<String, &'a Actor>;

impl Market {
    /// Gives the creator a checkout code and a payout currency; the earner.
    pub(super) async fn demo_earner(
        &self,
        me: Actor,
        key: &str,
        product: &str,
    ) -> Result<Earner, MarketError> {
        let code = format!("{}10", key.to_uppercase());
        let p = self.product(product, Locale::En).await?;
        let v = p
            .variants
            .first()
            .ok_or_else(|| MarketError::internal("a demo product without variants"))?;
        // Paid in the currency of the store they promote: its commission needs no conversion.
        let settings = CreatorSettings {
            code: Some(code.clone()),
            payout_currency: Some(v.price.currency.clone()),
        };
        self.set_creator_settings(&me, settings).await?;
        let variant = v.id.clone();
        Ok(Earner {
            actor: me,
            variant,
            code,
            posts: Vec::new(),
        })
    }

    /// The demo's commissions in every state (see the module's documentation).
    pub(super) async fn seed_commissions(
        &self,
        stores: &[Actor],
        buyers: &[(Actor, &'static str)],
        earners: &[Earner],
    ) -> Result<(), MarketError> {
        let mut owners: Owners = HashMap::new();
        for s in stores {
            owners.insert(self.my_merchant(s).await?.id, s);
        }
        let now = self.now();
        let clock = Arc::new(ManualClock::new(now - 40 * DAY_MS));
        let then = self.at_clock(clock.clone());
        let mi = earners
            .iter()
            .position(|e| e.code == "MARIE10")
            .ok_or_else(|| MarketError::internal("the demo has no Marie"))?;
        let marie = &earners[mi];
        let first = then
            .first_commissions(&clock, &owners, buyers, earners)
            .await?;
        clock.advance(now - 20 * DAY_MS - then.now());
        then.run_timers().await?;
        // Marie is paid out, then a refund of half her first order claws back.
        let key = IdempotencyKey::parse(Some("demo-creator-payout"))?;
        then.request_creator_payout(&marie.actor, &key, "demo-creator-payout")
            .await?;
        clock.advance(5 * DAY_MS);
        then.refund_half(&owners, &first[mi].0).await?;
        // Ten days ago, completed four days later: confirmed, held (the hold is 14 days).
        clock.advance(now - 10 * DAY_MS - then.now());
        let mut held = Vec::new();
        for (k, e) in earners.iter().enumerate() {
            let b = (k + 2) % buyers.len();
            held.push(then.coded_order(buyers, b, e, &format!("held-{k}")).await?);
        }
        clock.advance(4 * DAY_MS);
        for (o, b) in &held {
            then.complete_demo_order(&owners, o, &buyers[*b].0).await?;
        }
        // Marie's order the buyer cancelled before it shipped: reversed.
        let (o, b) = then.coded_order(buyers, 3, marie, "cancelled").await?;
        then.cancel(&buyers[b].0, &o, CancelInput::default())
            .await?;
        // Now, through the creators' posts: pending.
        for (k, e) in earners.iter().enumerate() {
            self.post_order(buyers, k % buyers.len(), e, &format!("new-{k}"))
                .await?;
        }
        self.flush_clicks().await?;
        self.list_commissions().await?;
        // Marie buys with her own code: nobody earns, the operator sees why.
        let mut own = demo_request(1, "FR", &marie.variant, 1);
        own.creator_code = Some(marie.code.clone());
        own.address.line1 = "8 rue des Artisans".into();
        let key = IdempotencyKey::parse(Some("demo-own-code"))?;
        self.checkout(&marie.actor, &key, "demo-own-code", own, Locale::Fr)
            .await?;
        Ok(())
    }

    /// Forty days ago: each creator's first orders (enough for a payout), completed within
    /// three days; the orders and their buyers.
    async fn first_commissions(
        &self,
        clock: &ManualClock,
        owners: &Owners<'_>,
        buyers: &[(Actor, &'static str)],
        earners: &[Earner],
    ) -> Result<Vec<(String, usize)>, MarketError> {
        // Forty days ago: each creator's first order, completed two or three days later,
        // available after the hold.
        let mut first = Vec::new();
        for (k, e) in earners.iter().enumerate() {
            let b = (k + 1) % buyers.len();
            first.push(self.coded_order(buyers, b, e, &format!("old-{k}")).await?);
        }
        // Enough more for each creator to be paid out (Marie is, right away).
        for k in 0..earners.len() {
            let e = &earners[k];
            let minimum = self.creator_minimum_of(&e.actor).await?;
            let mut earned = self.commission_of(&first[k].0).await?;
            for n in 0..12 {
                if earned >= minimum + minimum / 2 {
                    break;
                }
                let b = (k + 1) % buyers.len();
                let o = self.coded_order(buyers, b, e, &format!("more-{n}")).await?;
                earned += self.commission_of(&o.0).await?;
                first.push(o);
            }
        }
        clock.advance(2 * DAY_MS);
        for (o, b) in &first {
            clock.advance(DAY_MS / 4);
            self.complete_demo_order(owners, o, &buyers[*b].0).await?;
        }
        Ok(first)
    }

    /// Demo buyer `b` buys the earner's product with their code; the order and the buyer.
    async fn coded_order(
        &self,
        buyers: &[(Actor, &'static str)],
        b: usize,
        e: &Earner,
        key: &str,
    ) -> Result<(String, usize), MarketError> {
        let (buyer, country) = &buyers[b];
        let mut req = demo_request(b, country, &e.variant, 1);
        req.creator_code = Some(e.code.clone());
        let key = format!("demo-commission-{}-{key}", e.code);
        let idem = IdempotencyKey::parse(Some(&key))?;
        let placed = self.checkout(buyer, &idem, &key, req, Locale::En).await?;
        let v: serde_json::Value =
            serde_json::from_str(&placed.body).map_err(|e| MarketError::internal(e.to_string()))?;
        let id = v["orders"][0]["id"].as_str().unwrap_or_default().to_owned();
        Ok((id, b))
    }

    /// Demo buyer `b` buys the earner's product after following it from their first post.
    async fn post_order(
        &self,
        buyers: &[(Actor, &'static str)],
        b: usize,
        e: &Earner,
        key: &str,
    ) -> Result<(), MarketError> {
        let (buyer, country) = &buyers[b];
        let mut req = demo_request(b, country, &e.variant, 1);
        req.referral = e.posts.first().map(|p| crate::checkout::Referral {
            code: p.clone(),
            clicked_at: self.now() - 60_000,
        });
        let key = format!("demo-post-order-{}-{key}", e.code);
        let idem = IdempotencyKey::parse(Some(&key))?;
        self.checkout(buyer, &idem, &key, req, Locale::En).await?;
        Ok(())
    }

    /// The store ships and delivers the order, the buyer confirms it.
    async fn complete_demo_order(
        &self,
        owners: &Owners<'_>,
        order: &str,
        buyer: &Actor,
    ) -> Result<(), MarketError> {
        let store = self.owner_of(owners, order).await?;
        let ship = ShipInput {
            carrier: "DHL".into(),
            tracking_number: format!("DEMO{}", &order[order.len() - 6..]),
        };
        self.ship(store, order, ship).await?;
        self.deliver(store, order).await?;
        self.confirm_receipt(buyer, order).await?;
        Ok(())
    }

    /// The store refunds half of a completed order.
    async fn refund_half(&self, owners: &Owners<'_>, order: &str) -> Result<(), MarketError> {
        let store = self.owner_of(owners, order).await?;
        self.demo_refund_half(store, order, ("Colour not as shown", "demo-clawback"))
            .await
    }

    /// `store` refunds half of one of its orders, for `reason`, under idempotency key `key`.
    pub(super) async fn demo_refund_half(
        &self,
        store: &Actor,
        order: &str,
        (reason, key): (&str, &str),
    ) -> Result<(), MarketError> {
        let o = self
            .store
            .order(order)
            .await?
            .ok_or_else(|| MarketError::not_found("order"))?;
        let input = RefundInput {
            amount_minor: Some(o.total_minor / 2),
            reason: Some(reason.into()),
        };
        let idem = IdempotencyKey::parse(Some(key))?;
        self.refund(store, order, &idem, key, input).await?;
        Ok(())
    }

    async fn commission_of(&self, order: &str) -> Result<i64, MarketError> {
        Ok(self
            .store
            .order(order)
            .await?
            .map_or(0, |o| o.commission_minor))
    }

    async fn owner_of<'a>(
        &self,
        owners: &Owners<'a>,
        order: &str,
    ) -> Result<&'a Actor, MarketError> {
        let o = self
            .store
            .order(order)
            .await?
            .ok_or_else(|| MarketError::not_found("order"))?;
        owners
            .get(&o.merchant_id)
            .copied()
            .ok_or_else(|| MarketError::internal("a demo order of an unknown store"))
    }
}
