//! What the HTTP benchmarks seed on a fresh database: an operator, approved stores with a
//! shipping rule, published variants with huge stock, and buyers with tokens.

use anyhow::Result;
use caravan_domain::account::Role;
use caravan_market::accounts::{Actor, Credentials, Registration};
use caravan_market::catalogue::{NewCategory, NewProduct, NewVariant, TextInput};
use caravan_market::merchants::{Application, Decision};
use caravan_market::shipping::{BandInput, RuleInput, ShippingRules};
use caravan_market::{Market, MarketError};
use std::collections::BTreeMap;

/// Stock of every benchmark variant: never the limit.
pub const STOCK: i64 = 1_000_000_000;

const PASSWORD: &str = "bench password 1";

pub fn err(e: MarketError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.code, e.message)
}

fn registration(email: &str) -> Registration {
    Registration {
        email: email.to_owned(),
        password: PASSWORD.into(),
        display_name: "Bench".into(),
        country: Some("FR".into()),
        locale: None,
    }
}

/// Registers `email` with `roles`, logs in, and returns the signed-in actor.
pub(crate) async fn sign_up(market: &Market, email: &str, roles: &[Role]) -> Result<Actor> {
    market
        .register(registration(email), roles)
        .await
        .map_err(err)?;
    let login = Credentials {
        email: email.to_owned(),
        password: PASSWORD.into(),
    };
    let token = market.login(login).await.map_err(err)?.token;
    market.authenticate(&token).await.map_err(err)
}

/// The operator.
pub async fn operator(market: &Market) -> Result<Actor> {
    sign_up(market, "op@bench.test", &[Role::Operator]).await
}

/// An approved store in `country` selling in euros, shipping everywhere for €4.99; its owner.
pub async fn store(market: &Market, op: &Actor, key: &str, country: &str) -> Result<Actor> {
    let owner = sign_up(market, &format!("{key}@bench.test"), &[]).await?;
    let app = Application {
        store_name: format!("Bench {key}"),
        country: country.into(),
        settlement_currency: "EUR".into(),
        default_locale: "en".into(),
        description: String::new(),
    };
    let m = market.apply_to_sell(&owner, app).await.map_err(err)?;
    let approve = Decision {
        decision: caravan_domain::merchant::MerchantDecision::Approve,
        reason: None,
    };
    market
        .decide_merchant(op, &m.id, approve)
        .await
        .map_err(err)?;
    // A new token carries the merchant role.
    let token = market
        .create_token(&owner, "bench")
        .await
        .map_err(err)?
        .token;
    let owner = market.authenticate(&token).await.map_err(err)?;
    let rule = RuleInput {
        destination: "*".into(),
        method: "standard".into(),
        bands: vec![BandInput {
            up_to_grams: 100_000,
            price_minor: 499,
        }],
        free_over_minor: None,
        min_days: 3,
        max_days: 9,
    };
    let rules = ShippingRules { rules: vec![rule] };
    market.set_shipping(&owner, rules).await.map_err(err)?;
    Ok(owner)
}

/// The benchmark's category.
pub async fn category(market: &Market, op: &Actor) -> Result<String> {
    let c = NewCategory {
        slug: "deals".into(),
        parent_id: None,
        position: 0,
        names: BTreeMap::from([("en".into(), "Deals".into())]),
    };
    Ok(market.create_category(op, c).await.map_err(err)?.id)
}

/// `n` published products of one variant each at €19.99 with [`STOCK`] units; their variants.
pub async fn variants(
    market: &Market,
    owner: &Actor,
    category: &str,
    prefix: &str,
    n: usize,
) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let text = TextInput {
            title: format!("Festival deal {prefix}{i}"),
            description: String::new(),
        };
        let p = NewProduct {
            category_id: category.to_owned(),
            texts: BTreeMap::from([("en".into(), text)]),
            images: vec![],
            attributes: BTreeMap::new(),
            hs_code: None,
            origin_country: None,
            ship_from_country: None,
            weight_grams: 300,
            status: Some("published".into()),
            variants: vec![NewVariant {
                sku: format!("{prefix}-{i}"),
                options: BTreeMap::new(),
                price_minor: 1999,
                currency: None,
                stock: STOCK,
            }],
        };
        let created = market.create_product(owner, p).await.map_err(err)?;
        out.push(created.variants[0].id.clone());
    }
    Ok(out)
}

/// `n` buyers, registered a few at a time (password hashing is meant to be slow); their tokens.
pub async fn buyers(market: &Market, n: usize) -> Result<Vec<String>> {
    let mut tokens = Vec::with_capacity(n);
    let mut set: tokio::task::JoinSet<Result<String, MarketError>> = tokio::task::JoinSet::new();
    for i in 0..n {
        if set.len() >= 16 {
            if let Some(t) = set.join_next().await {
                tokens.push(t?.map_err(err)?);
            }
        }
        let market = market.clone();
        set.spawn(async move {
            let email = format!("buyer{i}@bench.test");
            market.register(registration(&email), &[]).await?;
            let login = Credentials {
                email,
                password: PASSWORD.into(),
            };
            market.login(login).await.map(|t| t.token)
        });
    }
    while let Some(t) = set.join_next().await {
        tokens.push(t?.map_err(err)?);
    }
    Ok(tokens)
}

/// Which database a benchmark runs on.
#[derive(Debug, clap::Args)]
pub struct EngineArgs {
    /// sqlite or postgres.
    #[arg(long, default_value = "sqlite")]
    pub engine: String,
    /// PostgreSQL server for `--engine postgres` (a fresh database is created on it).
    #[arg(
        long,
        env = "CARAVAN_TEST_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
}

impl EngineArgs {
    /// A fresh database on the chosen engine.
    pub async fn database(&self) -> Result<caravan_store::testing::TestDb> {
        database(&self.engine, &self.postgres_url).await
    }
}

/// A fresh database on `engine` (`sqlite`, or `postgres` on the server at `postgres_url`).
pub async fn database(engine: &str, postgres_url: &str) -> Result<caravan_store::testing::TestDb> {
    use anyhow::Context;
    use caravan_store::testing::TestDb;
    match engine {
        "sqlite" => Ok(TestDb::sqlite().await?),
        "postgres" => TestDb::postgres_at(postgres_url)
            .await
            .context("creating a PostgreSQL database for the benchmark"),
        other => anyhow::bail!("--engine is sqlite or postgres, not {other:?}"),
    }
}

/// A market on `store` with the system clock and the default configuration.
pub fn market(store: caravan_store::Store) -> Market {
    let config = caravan_market::MarketConfig {
        webhook_secret: caravan_market::payments::random_secret(),
        ..caravan_market::MarketConfig::default()
    };
    Market::new(
        store,
        std::sync::Arc::new(caravan_market::SystemClock),
        config,
    )
}
