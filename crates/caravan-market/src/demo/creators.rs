//! The demo's creators: one each in Russia, France, Spain and Poland, approved, with tracking
//! links to a product in their audience's favourite category and to the 11.11 campaign, and
//! clicks on them; one more applicant waits for the operator.

use super::{actor, email, DemoSummary, DEMO_PASSWORD};
use crate::accounts::{Actor, Registration};
use crate::connect::commission::CommissionRateInput;
use crate::connect::{CreatorApplication, LinkInput};
use crate::merchants::Decision;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::merchant::MerchantDecision;
use caravan_domain::Locale;

/// (key, name, handle, country, language, pitch, English word of their product's title, clicks).
type DemoCreator = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Locale,
    &'static str,
    &'static str,
    u32,
);

const CREATORS: &[DemoCreator] = &[
    (
        "olga",
        "Ольга Смирнова",
        "olga.style",
        "RU",
        Locale::Ru,
        "Стиль на каждый день: шарфы, сумки и находки со всего мира",
        "scarf",
        37,
    ),
    (
        "marie",
        "Marie Dubois",
        "marie.paris",
        "FR",
        Locale::Fr,
        "Mode lente et artisans d’Europe, testés pour vous",
        "bag",
        52,
    ),
    (
        "carmen",
        "Carmen López",
        "carmen.cocina",
        "ES",
        Locale::Es,
        "Cocina mediterránea con productos de pequeños productores",
        "olive oil",
        21,
    ),
    (
        "kasia",
        "Kasia Nowak",
        "kasia.tea",
        "PL",
        Locale::Pl,
        "Herbata, kawa i rytuały na spokojny poranek",
        "tea",
        14,
    ),
];

impl Market {
    /// Seeds the stores' commission rates, the creators, their links and clicks (adding their
    /// logins to `summary`); the creators with a code, ready to earn.
    pub(super) async fn seed_creators(
        &self,
        operator: &Actor,
        stores: &[Actor],
        summary: &mut DemoSummary,
    ) -> Result<Vec<super::commissions::Earner>, MarketError> {
        self.seed_commission_rates(stores).await?;
        let mut earners = Vec::new();
        for (key, name, handle, country, locale, pitch, word, clicks) in CREATORS {
            let u = self
                .register(
                    Registration {
                        email: email(key),
                        password: DEMO_PASSWORD.to_owned(),
                        display_name: (*name).to_owned(),
                        country: Some((*country).to_owned()),
                        locale: Some(locale.code().to_owned()),
                    },
                    &[],
                )
                .await?;
            let buyer = actor(&u.id, &[Role::Buyer])?;
            let c = self
                .apply_to_create(&buyer, application(handle, country, *locale, pitch))
                .await?;
            let approve = Decision {
                decision: MerchantDecision::Approve,
                reason: None,
            };
            self.decide_creator(operator, &c.id, approve).await?;
            let me = actor(&u.id, &[Role::Buyer, Role::Creator])?;
            let product = self.demo_product_for(word).await?;
            for target in product.iter().cloned().chain(["double-eleven".to_owned()]) {
                let link = self.create_link(&me, LinkInput { target }).await?;
                for _ in 0..*clicks {
                    self.inner.clicks.count(&link.code);
                }
            }
            if let Some(p) = product {
                earners.push(self.demo_earner(me, key, &p).await?);
            }
            summary
                .logins
                .push(("creator".into(), u.email, (*country).into()));
        }
        self.flush_clicks().await?;
        let u = self
            .register(
                Registration {
                    email: email("lea"),
                    password: DEMO_PASSWORD.to_owned(),
                    display_name: "Léa Bernard".to_owned(),
                    country: Some("FR".to_owned()),
                    locale: Some("fr".to_owned()),
                },
                &[],
            )
            .await?;
        let lea = actor(&u.id, &[Role::Buyer])?;
        let pitch = "Beauté naturelle et savons artisanaux";
        self.apply_to_create(&lea, application("lea.beaute", "FR", Locale::Fr, pitch))
            .await?;
        Ok(earners)
    }

    /// The stores' commission rates: 8% on everything, 12% on the first stores' newest product.
    async fn seed_commission_rates(&self, stores: &[Actor]) -> Result<(), MarketError> {
        for (i, store) in stores.iter().enumerate() {
            let rate = |scope: &str, target_id: Option<String>, bps: i64| CommissionRateInput {
                scope: scope.to_owned(),
                target_id,
                rate_bps: Some(bps),
            };
            self.set_commission_rate(store, rate("store", None, 800))
                .await?;
            if i < 3 {
                let params = crate::catalogue::ProductListParams {
                    limit: Some(1),
                    ..Default::default()
                };
                let own = self.list_own_products(store, params, Locale::En).await?;
                for p in own.items {
                    self.set_commission_rate(store, rate("product", Some(p.id), 1200))
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// The newest product whose English title (the merchant's own) contains `word`.
    async fn demo_product_for(&self, word: &str) -> Result<Option<String>, MarketError> {
        let mut cursor = None;
        loop {
            let q = crate::catalogue::ProductListParams {
                limit: Some(100),
                cursor,
                ..Default::default()
            };
            let page = self.list_products(q, Locale::En).await?;
            let hit = page
                .items
                .iter()
                .find(|p| p.title.to_lowercase().contains(word));
            if let Some(p) = hit {
                return Ok(Some(p.id.clone()));
            }
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(None),
            }
        }
    }
}

fn application(handle: &str, country: &str, locale: Locale, pitch: &str) -> CreatorApplication {
    CreatorApplication {
        handle: handle.to_owned(),
        languages: vec![locale.code().to_owned(), "en".to_owned()],
        countries: vec![country.to_owned()],
        links: vec![format!("https://video.example/@{handle}")],
        pitch: pitch.to_owned(),
    }
}
