//! The demo's 11.11 festival: live when the demo starts (it began an hour ago and ends in 23
//! hours), with deals from every demo store, one in a flash slot and one nearly sold out; a past
//! campaign that has ended, with orders placed in its time; the marketplace's ELEVEN coupon
//! (collect first) and a store's WELCOME10; a store's 5% off everything; a pop-up banner and a
//! dismissible notice.

use super::BUYERS;
use crate::accounts::Actor;
use crate::catalogue::ProductListParams;
use crate::checkout::{Address, CheckoutRequest};
use crate::clock::ManualClock;
use crate::festival::{
    CampaignInput, CampaignText, CouponInput, DealDecision, DealInput, PromotionInput,
    StoreDiscountInput,
};
use crate::idempotency::IdempotencyKey;
use crate::{Market, MarketError};
use caravan_domain::{rfc3339, Locale};
use std::collections::BTreeMap;
use std::sync::Arc;

const HOUR: i64 = 60 * 60 * 1000;

/// The festival's name in the eight languages.
const NAMES: [(&str, &str); 8] = [
    ("en", "11.11 Global Shopping Festival"),
    ("ru", "Всемирный фестиваль покупок 11.11"),
    ("fr", "Festival mondial du shopping 11.11"),
    ("es", "Festival mundial de compras 11.11"),
    ("pl", "Światowy festiwal zakupów 11.11"),
    ("it", "Festival mondiale dello shopping 11.11"),
    ("tr", "11.11 Küresel Alışveriş Festivali"),
    ("zh", "双十一全球购物节"),
];

/// The pop-up banner.
const BANNER: [(&str, &str); 8] = [
    (
        "en",
        "11.11 is live: flash deals from every country, while stocks last",
    ),
    (
        "ru",
        "11.11 уже идёт: молниеносные скидки со всего мира, пока есть товар",
    ),
    (
        "fr",
        "Le 11.11 a commencé : ventes flash du monde entier, dans la limite des stocks",
    ),
    (
        "es",
        "¡El 11.11 ya está aquí! Ofertas flash de todo el mundo hasta agotar existencias",
    ),
    (
        "pl",
        "11.11 trwa: błyskawiczne okazje z całego świata, do wyczerpania zapasów",
    ),
    (
        "it",
        "L’11.11 è iniziato: offerte lampo da tutto il mondo, fino a esaurimento scorte",
    ),
    (
        "tr",
        "11.11 başladı: dünyanın dört bir yanından flaş fırsatlar, stoklarla sınırlı",
    ),
    ("zh", "双十一进行中：全球限时秒杀，售完即止"),
];

/// The pop-up notice.
const NOTICE: [(&str, &str); 8] = [
    ("en", "Collect a €5 coupon: ELEVEN, on orders from €40"),
    ("ru", "Получите купон на 5 €: ELEVEN, для заказов от 40 €"),
    (
        "fr",
        "Récupérez un coupon de 5 € : ELEVEN, dès 40 € d’achat",
    ),
    (
        "es",
        "Consigue un cupón de 5 €: ELEVEN, en pedidos desde 40 €",
    ),
    ("pl", "Odbierz kupon 5 €: ELEVEN, przy zamówieniach od 40 €"),
    ("it", "Ritira un coupon da 5 €: ELEVEN, su ordini da 40 €"),
    ("tr", "5 € kupon alın: ELEVEN, 40 € ve üzeri siparişlerde"),
    ("zh", "领取 5 欧元优惠券：ELEVEN，满 40 欧元可用"),
];

impl Market {
    /// Seeds the festival: `stores` are the demo merchants' owners, `buyers` the demo buyers.
    pub(super) async fn seed_festival(
        &self,
        operator: &Actor,
        stores: &[Actor],
        buyers: &[(Actor, &'static str)],
    ) -> Result<(), MarketError> {
        let now = self.now();
        self.seed_past(operator, stores, buyers).await?;
        let live = campaign("double-eleven", NAMES[0].1, now - HOUR);
        let c = self.create_campaign(operator, live, Locale::En).await?;
        let mut first = None;
        for (s, store) in stores.iter().enumerate() {
            for (n, (variant, price)) in self.deal_candidates(store).await?.into_iter().enumerate()
            {
                // The first store's first deal commits few units; one deal runs in a flash slot.
                let (cap, slot) = match (s, n) {
                    (0, 0) => (10, None),
                    (1, 0) => (40, Some((now - HOUR / 2, now + 2 * HOUR))),
                    _ => (30 + 10 * n as i64, None),
                };
                let deal = DealInput {
                    campaign_id: c.id.clone(),
                    variant_id: variant.clone(),
                    price_minor: price * 7 / 10 / 100 * 100 + 99,
                    cap,
                    per_buyer: 2,
                    slot_from: slot.map(|s| rfc3339(s.0)),
                    slot_to: slot.map(|s| rfc3339(s.1)),
                };
                let d = self.enrol_deal(store, deal, Locale::En).await?;
                self.decide_deal(operator, &d.id, approve()?, Locale::En)
                    .await?;
                first.get_or_insert(variant);
            }
        }
        if let Some(variant) = first {
            self.claim_most_of(&variant, buyers).await?;
        }
        // The third store takes 5% off everything it sells while the festival is live.
        if let Some(store) = stores.get(2) {
            let off = StoreDiscountInput {
                campaign_id: c.id.clone(),
                percent_bps: 500,
                min_spend_minor: 0,
            };
            self.create_store_discount(store, off).await?;
        }
        self.seed_coupons(operator, stores, &c.id, buyers).await?;
        self.seed_promotions(operator, &c.id).await
    }

    /// The festival's pop-up promotions, for everyone in the eight languages: a banner that
    /// leads to the festival and a dismissible notice that leads to the coupon.
    async fn seed_promotions(&self, operator: &Actor, campaign: &str) -> Result<(), MarketError> {
        let now = self.now();
        for (kind, texts, link) in [
            ("banner", BANNER, "/festival/double-eleven"),
            ("notice", NOTICE, "/coupons"),
        ] {
            let p = PromotionInput {
                kind: kind.to_owned(),
                shows_from: rfc3339(now - HOUR),
                shows_to: rfc3339(now + 22 * HOUR),
                countries: Vec::new(),
                locales: Vec::new(),
                texts: texts
                    .iter()
                    .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                    .collect(),
                link: Some(link.to_owned()),
            };
            self.create_promotion(operator, campaign, p, Locale::En)
                .await?;
        }
        Ok(())
    }

    /// The festival's coupons: the marketplace's €5 off from €40 (collect first, 1,000 uses,
    /// one per buyer; the first demo buyer has collected it) and the first store's 10% off.
    async fn seed_coupons(
        &self,
        operator: &Actor,
        stores: &[Actor],
        campaign: &str,
        buyers: &[(Actor, &'static str)],
    ) -> Result<(), MarketError> {
        let now = self.now();
        let coupon = |code: &str, kind: &str, value: i64, until: i64| CouponInput {
            code: code.to_owned(),
            kind: kind.to_owned(),
            value,
            currency: None,
            min_spend_minor: 0,
            valid_from: rfc3339(now - HOUR),
            valid_to: rfc3339(until),
            budget_uses: Some(1000),
            budget_minor: None,
            per_buyer: 1,
            collect: false,
            campaign_id: Some(campaign.to_owned()),
        };
        let eleven = CouponInput {
            min_spend_minor: 4000,
            collect: true,
            ..coupon("ELEVEN", "fixed", 500, now + 23 * HOUR)
        };
        self.create_platform_coupon(operator, eleven).await?;
        if let Some((anna, _)) = buyers.first() {
            self.collect_coupon(anna, "ELEVEN").await?;
        }
        if let Some(store) = stores.first() {
            let own = CouponInput {
                per_buyer: 2,
                campaign_id: None,
                ..coupon("WELCOME10", "percent", 1000, now + 30 * 24 * HOUR)
            };
            self.create_store_coupon(store, own).await?;
        }
        Ok(())
    }

    /// Up to three published variants of `store` with stock for a deal, and their prices.
    pub(super) async fn deal_candidates(
        &self,
        store: &Actor,
    ) -> Result<Vec<(String, i64)>, MarketError> {
        let params = ProductListParams {
            limit: Some(20),
            ..ProductListParams::default()
        };
        let mut out = Vec::new();
        for p in self
            .list_own_products(store, params, Locale::En)
            .await?
            .items
        {
            if p.status != "published" || out.len() == 3 {
                continue;
            }
            let detail = self.own_product(store, &p.id, Locale::En).await?;
            if let Some(v) = detail.variants.iter().find(|v| v.stock >= 50) {
                out.push((v.id.clone(), v.price.amount_minor));
            }
        }
        Ok(out)
    }

    /// Four demo buyers take two units each of the nearly sold-out deal (8 of its 10).
    async fn claim_most_of(
        &self,
        variant: &str,
        buyers: &[(Actor, &'static str)],
    ) -> Result<(), MarketError> {
        for (i, (buyer, country)) in buyers.iter().enumerate() {
            let key = format!("demo-festival-{i}");
            self.demo_checkout(buyer, i, country, variant, 2, &key)
                .await?;
        }
        Ok(())
    }

    /// The demo buyer `i` (of `BUYERS`) in `country` buys `quantity` of `variant`, paying with
    /// the sandbox.
    async fn demo_checkout(
        &self,
        buyer: &Actor,
        i: usize,
        country: &str,
        variant: &str,
        quantity: i64,
        key: &str,
    ) -> Result<(), MarketError> {
        let req = demo_request(i, country, variant, quantity);
        let idem = IdempotencyKey::parse(Some(key))?;
        self.checkout(buyer, &idem, key, req, Locale::En).await?;
        Ok(())
    }

    /// Last year's campaign, forty days ago, with deals of three stores and the demo buyers'
    /// orders placed at its time (by a market whose clock is set then): its figures show on the
    /// live screen's campaign tabs.
    async fn seed_past(
        &self,
        operator: &Actor,
        stores: &[Actor],
        buyers: &[(Actor, &'static str)],
    ) -> Result<(), MarketError> {
        let start = self.now() - 40 * 24 * HOUR;
        let past = campaign("singles-day-2025", "Singles' Day 2025", start);
        let c = self.create_campaign(operator, past, Locale::En).await?;
        let clock = Arc::new(ManualClock::new(start + 2 * HOUR));
        let then = self.at_clock(clock.clone());
        let mut variants = Vec::new();
        for store in stores.iter().take(3) {
            let Some((variant, price)) = then.deal_candidates(store).await?.into_iter().nth(1)
            else {
                continue;
            };
            let deal = DealInput {
                campaign_id: c.id.clone(),
                variant_id: variant.clone(),
                price_minor: price * 7 / 10 / 100 * 100 + 99,
                cap: 50,
                per_buyer: 5,
                slot_from: None,
                slot_to: None,
            };
            let d = then.enrol_deal(store, deal, Locale::En).await?;
            then.decide_deal(operator, &d.id, approve()?, Locale::En)
                .await?;
            variants.push(variant);
        }
        for (i, (buyer, country)) in buyers.iter().enumerate() {
            for (k, variant) in variants.iter().enumerate() {
                clock.advance(7 * 60 * 1000);
                let key = format!("demo-past-{i}-{k}");
                then.demo_checkout(buyer, i, country, variant, 1 + (i + k) as i64 % 2, &key)
                    .await?;
            }
        }
        Ok(())
    }
}

/// The demo buyer `i` (of `BUYERS`)'s checkout of `quantity` of `variant` to `country`, paid
/// with the sandbox.
pub(super) fn demo_request(
    i: usize,
    country: &str,
    variant: &str,
    quantity: i64,
) -> CheckoutRequest {
    CheckoutRequest {
        cart_id: None,
        items: Some(vec![crate::carts::LineInput {
            variant_id: variant.to_owned(),
            quantity,
        }]),
        currency: None,
        shipping: BTreeMap::new(),
        address: Address {
            name: BUYERS[i % BUYERS.len()].1.to_owned(),
            line1: "1 Festival Street".into(),
            line2: None,
            city: "Demo City".into(),
            postal_code: "11011".into(),
            country: country.to_owned(),
            phone: None,
        },
        payment_method: "pm_sandbox_success".into(),
        coupons: Vec::new(),
        creator_code: None,
        donation: None,
        referral: None,
    }
}

/// An operator's approval.
fn approve() -> Result<DealDecision, MarketError> {
    serde_json::from_value::<DealDecision>(serde_json::json!({"decision": "approve"}))
        .map_err(|e| MarketError::internal(e.to_string()))
}

/// A day-long campaign from `start`, with enrolment from three days before and warm-up from
/// one day before, 20% off at least, 10 units at least.
fn campaign(slug: &str, name: &str, start: i64) -> CampaignInput {
    let mut texts: BTreeMap<String, CampaignText> = NAMES
        .iter()
        .map(|(l, n)| {
            let t = CampaignText {
                name: (*n).to_owned(),
                description: String::new(),
            };
            ((*l).to_owned(), t)
        })
        .collect();
    if slug != "double-eleven" {
        texts = BTreeMap::from([(
            "en".to_owned(),
            CampaignText {
                name: name.to_owned(),
                description: String::new(),
            },
        )]);
    }
    CampaignInput {
        slug: slug.to_owned(),
        time_zone: "Asia/Shanghai".into(),
        texts,
        enrol_from: rfc3339(start - 72 * HOUR),
        warmup_at: rfc3339(start - 24 * HOUR),
        starts_at: rfc3339(start),
        ends_at: rfc3339(start + 24 * HOUR),
        min_discount_bps: 2000,
        min_units: 10,
        categories: Vec::new(),
        ship_from: Vec::new(),
        banner: None,
    }
}
