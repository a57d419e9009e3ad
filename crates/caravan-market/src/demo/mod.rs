//! The demo marketplace: a deterministic, multi-country catalogue generated in code from word
//! lists and a seeded RNG (no downloads). Seeds only an empty database.

mod charity;
mod collabs;
mod commissions;
mod creators;
mod festival;
mod glossary;
mod site;
mod synthetic;
mod words;

pub use synthetic::{bench_queries, brand, synthetic_catalogue, BenchQuery};

use crate::accounts::{Actor, Registration};
use crate::catalogue::{NewCategory, NewProduct, NewVariant, TextInput};
use crate::merchants::{Application, Decision};
use crate::shipping::{BandInput, RuleInput, ShippingRules};
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::fx::Rate;
use caravan_domain::id::{TypedId, UserId};
use caravan_domain::merchant::MerchantDecision;
use caravan_domain::{Country, Currency, Locale};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};
use words::{Leaf, MATERIAL_FIRST, MODELS, ROOTS};

/// The password of every demo account (demo data only; real accounts never get a default).
pub const DEMO_PASSWORD: &str = "caravan-demo";

/// What the demo created, for printing.
#[derive(Debug, Default)]
pub struct DemoSummary {
    /// (role, e-mail, country) of each demo login.
    pub logins: Vec<(String, String, String)>,
    /// Approved merchants.
    pub merchants: usize,
    /// Pending applications.
    pub pending: usize,
    /// Categories.
    pub categories: usize,
    /// Products.
    pub products: usize,
}

struct DemoMerchant {
    key: &'static str,
    store: &'static str,
    country: &'static str,
    currency: &'static str,
    /// Units of the currency per euro, as (numerator, denominator).
    per_eur: (i64, i64),
    locale: Locale,
    leaves: &'static [&'static str],
}

const MERCHANTS: &[DemoMerchant] = &[
    DemoMerchant {
        key: "seta-como",
        store: "Seta di Como",
        country: "IT",
        currency: "EUR",
        per_eur: (1, 1),
        locale: Locale::It,
        leaves: &["scarves", "bags", "home-textiles"],
    },
    DemoMerchant {
        key: "olivar-jaen",
        store: "Olivar de Jaén",
        country: "ES",
        currency: "EUR",
        per_eur: (1, 1),
        locale: Locale::Es,
        leaves: &["pantry", "skincare"],
    },
    DemoMerchant {
        key: "anadolu-tekstil",
        store: "Anadolu Tekstil",
        country: "TR",
        currency: "TRY",
        per_eur: (35, 1),
        locale: Locale::Tr,
        leaves: &["home-textiles", "scarves", "decor"],
    },
    DemoMerchant {
        key: "ural-masters",
        store: "Уральские мастера",
        country: "RU",
        currency: "RUB",
        per_eur: (95, 1),
        locale: Locale::Ru,
        leaves: &["decor", "kitchen", "toys"],
    },
    DemoMerchant {
        key: "krakow-ceramika",
        store: "Ceramika Kraków",
        country: "PL",
        currency: "PLN",
        per_eur: (43, 10),
        locale: Locale::Pl,
        leaves: &["kitchen", "decor", "toys"],
    },
    DemoMerchant {
        key: "maison-lavande",
        store: "Maison Lavande",
        country: "FR",
        currency: "EUR",
        per_eur: (1, 1),
        locale: Locale::Fr,
        leaves: &["fragrance", "skincare"],
    },
    DemoMerchant {
        key: "shenzhen-sound",
        store: "深圳声学 Shenzhen Sound",
        country: "CN",
        currency: "CNY",
        per_eur: (77, 10),
        locale: Locale::Zh,
        leaves: &["audio", "phone-accessories"],
    },
    DemoMerchant {
        key: "hangzhou-tea",
        store: "杭州茶社 Hangzhou Tea House",
        country: "CN",
        currency: "CNY",
        per_eur: (77, 10),
        locale: Locale::Zh,
        leaves: &["tea-coffee", "kitchen"],
    },
    DemoMerchant {
        key: "barcelona-run",
        store: "Barcelona Running",
        country: "ES",
        currency: "EUR",
        per_eur: (1, 1),
        locale: Locale::Es,
        leaves: &["shoes", "outdoor", "fitness"],
    },
];

const PENDING: &[(&str, &str, &str, &str, Locale)] = &[
    ("berlin-bikes", "Berlin Bikes", "DE", "EUR", Locale::En),
    (
        "lisboa-azulejos",
        "Lisboa Azulejos",
        "PT",
        "EUR",
        Locale::En,
    ),
    ("kyiv-linen", "Kyiv Linen", "UA", "UAH", Locale::En),
];

const BUYERS: &[(&str, &str, &str, Locale)] = &[
    ("anna", "Анна Иванова", "RU", Locale::Ru),
    ("camille", "Camille Martin", "FR", Locale::Fr),
    ("lucia", "Lucía García", "ES", Locale::Es),
    ("jan", "Jan Kowalski", "PL", Locale::Pl),
];

/// Products per approved merchant.
const PRODUCTS_PER_MERCHANT: usize = 36;

fn email(key: &str) -> String {
    format!("{key}@demo.caravan.test")
}

fn sold_by(locale: Locale, store: &str) -> String {
    match locale {
        Locale::En => format!("Made by {store}. Shipped worldwide with tracking."),
        Locale::Ru => {
            format!("Сделано мастерами «{store}». Доставка по всему миру с отслеживанием.")
        }
        Locale::Fr => format!("Fabriqué par {store}. Livraison dans le monde entier avec suivi."),
        Locale::Es => format!("Fabricado por {store}. Envío a todo el mundo con seguimiento."),
        Locale::Pl => format!("Wyprodukowane przez {store}. Wysyłka na cały świat ze śledzeniem."),
        Locale::It => {
            format!("Prodotto da {store}. Spedizione in tutto il mondo con tracciamento.")
        }
        Locale::Tr => format!("{store} tarafından üretildi. Takipli dünya çapında gönderim."),
        Locale::Zh => format!("由{store}制作。全球配送，可追踪。"),
    }
}

fn title(leaf: &Leaf, noun: usize, material: usize, model: &str, locale_index: usize) -> String {
    let n = leaf.nouns[noun][locale_index];
    let m = leaf.materials[material][locale_index];
    if locale_index == 7 {
        format!("{m}{n} {model}")
    } else if MATERIAL_FIRST[locale_index] {
        format!("{m} {n} {model}")
    } else {
        format!("{n} {m} {model}")
    }
}

fn actor(user_id: &str, roles: &[Role]) -> Result<Actor, MarketError> {
    Ok(Actor {
        user_id: UserId::parse(user_id)?,
        roles: roles.to_vec(),
        token_id: String::new(),
    })
}

impl Market {
    /// Seeds the demo marketplace into an empty database; `None` if it holds accounts already.
    pub async fn seed_demo(&self) -> Result<Option<DemoSummary>, MarketError> {
        if !self.store.is_empty().await? {
            return Ok(None);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(1111);
        let mut summary = DemoSummary::default();
        self.seed_rates().await?;
        let op = self
            .demo_account(
                "operator",
                "Caravan Operator",
                "IE",
                Locale::En,
                &[Role::Operator],
            )
            .await?;
        summary
            .logins
            .push(("operator".into(), op.email.clone(), "IE".into()));
        let operator = actor(&op.id, &[Role::Buyer, Role::Operator])?;
        let leaf_ids = self.seed_categories(&operator, &mut summary).await?;
        self.seed_glossary(&operator, &leaf_ids).await?;
        let mut buyers = Vec::new();
        for b in BUYERS {
            let u = self.demo_account(b.0, b.1, b.2, b.3, &[]).await?;
            buyers.push((actor(&u.id, &[Role::Buyer])?, b.2));
            summary.logins.push(("buyer".into(), u.email, b.2.into()));
        }
        self.seed_applications(&mut summary).await?;
        let stores = self
            .seed_stores(&operator, &leaf_ids, &mut rng, &mut summary)
            .await?;
        // Every title in all eight languages before the marketplace opens.
        self.translate_all_due().await?;
        self.seed_festival(&operator, &stores, &buyers).await?;
        let earners = self.seed_creators(&operator, &stores, &mut summary).await?;
        self.seed_commissions(&stores, &buyers, &earners).await?;
        self.seed_collabs(&stores, &earners).await?;
        let (cause, giving) = self.seed_charity(&operator, &stores, &buyers).await?;
        self.seed_site(&operator, (&cause, giving), &buyers).await?;
        Ok(Some(summary))
    }

    /// A demo account (password [`DEMO_PASSWORD`]) with `extra` roles besides buyer.
    async fn demo_account(
        &self,
        key: &str,
        name: &str,
        country: &str,
        locale: Locale,
        extra: &[Role],
    ) -> Result<crate::accounts::UserView, MarketError> {
        let r = Registration {
            email: email(key),
            password: DEMO_PASSWORD.to_owned(),
            display_name: name.to_owned(),
            country: Some(country.to_owned()),
            locale: Some(locale.code().to_owned()),
        };
        self.register(r, extra).await
    }

    /// The stores that applied and wait for the operator.
    async fn seed_applications(&self, summary: &mut DemoSummary) -> Result<(), MarketError> {
        for (key, store, country, currency, locale) in PENDING {
            let u = self.demo_account(key, store, country, *locale, &[]).await?;
            let a = actor(&u.id, &[Role::Buyer])?;
            let application = Application {
                store_name: (*store).into(),
                country: (*country).into(),
                settlement_currency: (*currency).into(),
                default_locale: locale.code().into(),
                description: format!("{store} would like to sell on Caravan."),
            };
            self.apply_to_sell(&a, application).await?;
            summary.pending += 1;
        }
        Ok(())
    }

    /// The approved stores with their products; their owners.
    async fn seed_stores(
        &self,
        operator: &Actor,
        leaf_ids: &HashMap<&'static str, (String, &'static Leaf)>,
        rng: &mut ChaCha8Rng,
        summary: &mut DemoSummary,
    ) -> Result<Vec<Actor>, MarketError> {
        let mut stores = Vec::new();
        for dm in MERCHANTS {
            let u = self
                .demo_account(dm.key, dm.store, dm.country, dm.locale, &[])
                .await?;
            summary
                .logins
                .push(("merchant".into(), u.email.clone(), dm.country.into()));
            let owner = self.open_store(operator, dm, &u.id).await?;
            summary.merchants += 1;
            let local = Locale::ALL
                .iter()
                .position(|l| *l == dm.locale)
                .unwrap_or(0);
            for n in 0..PRODUCTS_PER_MERCHANT {
                if self
                    .seed_product(&owner, dm, n, local, leaf_ids, rng)
                    .await?
                {
                    summary.products += 1;
                }
            }
            stores.push(owner);
        }
        debug_assert!(MERCHANTS.iter().all(|m| Country::parse(m.country).is_ok()));
        Ok(stores)
    }

    /// Demo store `dm` of account `user_id`: applied, approved by `operator`, with its shipping
    /// rules; its owner as a merchant.
    async fn open_store(
        &self,
        operator: &Actor,
        dm: &DemoMerchant,
        user_id: &str,
    ) -> Result<Actor, MarketError> {
        let owner = actor(user_id, &[Role::Buyer])?;
        let application = Application {
            store_name: dm.store.into(),
            country: dm.country.into(),
            settlement_currency: dm.currency.into(),
            default_locale: dm.locale.code().into(),
            description: sold_by(dm.locale, dm.store),
        };
        let m = self.apply_to_sell(&owner, application).await?;
        let approve = Decision {
            decision: MerchantDecision::Approve,
            reason: None,
        };
        self.decide_merchant(operator, &m.id, approve).await?;
        let owner = actor(user_id, &[Role::Buyer, Role::Merchant])?;
        self.set_shipping(&owner, demo_shipping(dm)).await?;
        Ok(owner)
    }

    /// Reference rates (units per euro); operators update them or import the ECB's file.
    async fn seed_rates(&self) -> Result<(), MarketError> {
        let rates: Vec<Rate> = [
            ("USD", "1.08"),
            ("GBP", "0.85"),
            ("CNY", "7.7"),
            ("TRY", "35"),
            ("RUB", "95"),
            ("PLN", "4.3"),
            ("JPY", "160"),
            ("CHF", "0.94"),
            ("UAH", "44"),
            ("SEK", "11.5"),
            ("CZK", "25.2"),
        ]
        .iter()
        .filter_map(|(c, r)| Rate::parse(Currency::parse(c).ok()?, r).ok())
        .collect();
        self.store_rates(&rates, "demo").await?;
        Ok(())
    }

    /// The categories, with every name in all eight languages; the leaves by slug.
    async fn seed_categories(
        &self,
        operator: &Actor,
        summary: &mut DemoSummary,
    ) -> Result<HashMap<&'static str, (String, &'static Leaf)>, MarketError> {
        let mut leaf_ids: HashMap<&'static str, (String, &'static Leaf)> = HashMap::new();
        for (i, root) in ROOTS.iter().enumerate() {
            let names = |w: &words::Words| {
                Locale::ALL
                    .iter()
                    .zip(w)
                    .map(|(l, n)| (l.code().to_owned(), (*n).to_owned()))
                    .collect::<BTreeMap<_, _>>()
            };
            let r = self
                .create_category(
                    operator,
                    NewCategory {
                        slug: root.slug.into(),
                        parent_id: None,
                        position: i as i64,
                        names: names(&root.names),
                    },
                )
                .await?;
            summary.categories += 1;
            for (j, leaf) in root.leaves.iter().enumerate() {
                let c = self
                    .create_category(
                        operator,
                        NewCategory {
                            slug: leaf.slug.into(),
                            parent_id: Some(r.id.clone()),
                            position: j as i64,
                            names: names(&leaf.names),
                        },
                    )
                    .await?;
                summary.categories += 1;
                leaf_ids.insert(leaf.slug, (c.id, leaf));
            }
        }
        Ok(leaf_ids)
    }

    /// The `n`th product of demo store `dm` (its owner `owner`), titled in English and the
    /// store's language (`local`); false if its category is missing.
    async fn seed_product(
        &self,
        owner: &Actor,
        dm: &DemoMerchant,
        n: usize,
        local: usize,
        leaf_ids: &HashMap<&'static str, (String, &'static Leaf)>,
        rng: &mut ChaCha8Rng,
    ) -> Result<bool, MarketError> {
        let slug = dm.leaves[n % dm.leaves.len()];
        let Some((category_id, leaf)) = leaf_ids.get(slug) else {
            return Ok(false);
        };
        let noun = rng.gen_range(0..leaf.nouns.len());
        let material = rng.gen_range(0..leaf.materials.len());
        let model = MODELS[rng.gen_range(0..MODELS.len())];
        let mut texts = BTreeMap::new();
        for li in [0, local] {
            texts.insert(
                Locale::ALL[li].code().to_owned(),
                TextInput {
                    title: title(leaf, noun, material, model, li),
                    description: sold_by(Locale::ALL[li], dm.store),
                },
            );
        }
        let base = rng.gen_range(leaf.price_eur.0..=leaf.price_eur.1) * dm.per_eur.0 / dm.per_eur.1;
        let mut values: Vec<&str> = leaf.option.1.to_vec();
        values.shuffle(rng);
        let count = rng.gen_range(1..=values.len().min(4));
        let variants = values[..count]
            .iter()
            .enumerate()
            .map(|(i, value)| NewVariant {
                sku: format!("{}-{n:03}-{i}", dm.key.to_uppercase()),
                options: BTreeMap::from([(leaf.option.0.to_owned(), (*value).to_owned())]),
                // Prices end in .99, each variant a little dearer than the last.
                price_minor: (base / 100 + i as i64 * 2) * 100 + 99,
                currency: Some(dm.currency.to_owned()),
                stock: if rng.gen_bool(0.1) {
                    0
                } else {
                    rng.gen_range(1..=250)
                },
            })
            .collect();
        let product = NewProduct {
            category_id: category_id.clone(),
            texts,
            images: Vec::new(),
            attributes: BTreeMap::from([("model".to_owned(), model.to_owned())]),
            hs_code: Some(leaf.hs.to_owned()),
            origin_country: Some(dm.country.to_owned()),
            ship_from_country: Some(dm.country.to_owned()),
            weight_grams: rng.gen_range(leaf.grams.0..=leaf.grams.1),
            status: Some(
                if rng.gen_bool(0.95) {
                    "published"
                } else {
                    "draft"
                }
                .to_owned(),
            ),
            variants,
        };
        self.create_product(owner, product).await?;
        Ok(true)
    }
}

/// Economy and standard to the whole world, express at home; free over about €60.
fn demo_shipping(dm: &DemoMerchant) -> ShippingRules {
    let eur = |cents: i64| cents * dm.per_eur.0 / dm.per_eur.1;
    let bands = |base: i64| {
        vec![
            BandInput {
                up_to_grams: 500,
                price_minor: eur(base),
            },
            BandInput {
                up_to_grams: 2000,
                price_minor: eur(base * 2),
            },
            BandInput {
                up_to_grams: 10_000,
                price_minor: eur(base * 4),
            },
        ]
    };
    let rule =
        |destination: &str, method: &str, base: i64, min_days: i64, max_days: i64| RuleInput {
            destination: destination.to_owned(),
            method: method.to_owned(),
            bands: bands(base),
            free_over_minor: (method != "express").then(|| eur(6000)),
            min_days,
            max_days,
        };
    ShippingRules {
        rules: vec![
            rule("*", "economy", 399, 12, 25),
            rule("*", "standard", 899, 6, 12),
            rule(dm.country, "standard", 499, 2, 4),
            rule(dm.country, "express", 999, 1, 2),
        ],
    }
}
