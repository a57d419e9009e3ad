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

/// Each creator's two posts: (their language, English).
const POSTS: [[(&str, &str); 2]; 4] = [
    [
        (
            "Мой любимый шарф этой осени: тёплый и лёгкий, носите с пальто и с худи.",
            "My favourite scarf this autumn: warm and light, with a coat or a hoodie.",
        ),
        (
            "Две находки для холодных дней — проверено в Москве.",
            "Two finds for cold days, tested in Moscow.",
        ),
    ],
    [
        (
            "Le sac que je porte tous les jours, fait main par un petit atelier.",
            "The bag I carry every day, handmade by a small workshop.",
        ),
        (
            "Ma sélection slow fashion de la semaine.",
            "My slow-fashion picks of the week.",
        ),
    ],
    [
        (
            "Aceite de oliva de pequeños productores: así lo uso en casa.",
            "Olive oil from small producers: how I use it at home.",
        ),
        (
            "Mi despensa mediterránea, de la tostada al té de la tarde.",
            "My Mediterranean pantry, from morning toast to afternoon tea.",
        ),
    ],
    [
        (
            "Poranna herbata: mój rytuał na spokojny dzień.",
            "Morning tea: my ritual for a calm day.",
        ),
        (
            "Prezenty dla miłośników herbaty i dobrych szali.",
            "Gifts for lovers of tea and good scarves.",
        ),
    ],
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
                let mut earner = self.demo_earner(me, key, &p).await?;
                earner.posts = self.demo_posts(&earner.actor, key, &p).await?;
                earners.push(earner);
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

    /// The creator's two posts in their language and English: their product alone, then with
    /// the next creator's; the posts' ids, oldest first.
    async fn demo_posts(
        &self,
        me: &Actor,
        key: &str,
        product: &str,
    ) -> Result<Vec<String>, MarketError> {
        let Some(i) = CREATORS.iter().position(|c| c.0 == key) else {
            return Ok(Vec::new());
        };
        let (_, _, _, _, locale, _, _, _) = CREATORS[i];
        let next_word = CREATORS[(i + 1) % CREATORS.len()].6;
        let other = self.demo_product_for(next_word).await?;
        let mut ids = Vec::new();
        for (n, (own, english)) in POSTS[i].iter().enumerate() {
            let mut products = vec![product.to_owned()];
            products.extend(other.iter().filter(|_| n == 1).cloned());
            let input = crate::connect::posts::PostInput {
                texts: std::collections::BTreeMap::from([
                    (locale.code().to_owned(), (*own).to_owned()),
                    ("en".to_owned(), (*english).to_owned()),
                ]),
                products,
                images: Vec::new(),
            };
            ids.push(self.create_post(me, input, locale).await?.id);
        }
        Ok(ids)
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
