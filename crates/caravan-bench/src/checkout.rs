//! `caravan bench checkout`: the real server on a fresh database, N concurrent buyers over HTTP,
//! and two references measured the same way in the same run: `baseline=row-lock` (one
//! transaction and one row lock per order, as most commerce platforms do it) and `baseline=noop`
//! (an endpoint that does nothing: the ceiling of HTTP on this machine).

use anyhow::{bail, Context, Result};
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use caravan_domain::account::Role;
use caravan_market::accounts::{Credentials, Registration};
use caravan_market::catalogue::{NewCategory, NewProduct, NewVariant, TextInput};
use caravan_market::merchants::{Application, Decision};
use caravan_market::shipping::{BandInput, RuleInput, ShippingRules};
use caravan_market::{Market, MarketConfig, SystemClock};
use caravan_store::testing::TestDb;
use caravan_store::Store;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `caravan bench checkout`.
#[derive(Debug, clap::Args)]
pub struct CheckoutArgs {
    /// sqlite or postgres.
    #[arg(long, default_value = "sqlite")]
    pub engine: String,
    /// hot-sku (everyone buys one SKU) or spread (500 SKUs).
    #[arg(long, default_value = "hot-sku")]
    pub scenario: String,
    /// Concurrent buyers.
    #[arg(long, default_value_t = 256)]
    pub buyers: usize,
    /// Idempotency keys the buyers send: time-ordered (milliseconds first, like UUIDv7, as the
    /// storefront sends them) or random (like UUIDv4: each lands on a random index page).
    #[arg(long, default_value = "time-ordered")]
    pub keys: String,
    /// Seconds each measurement runs (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// PostgreSQL server for `--engine postgres` (a fresh database is created on it).
    #[arg(
        long,
        env = "CARAVAN_TEST_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
}

const STOCK: i64 = 1_000_000_000;

struct Run {
    ok: usize,
    failed: usize,
    latencies_us: Vec<u64>,
    seconds: f64,
}

impl Run {
    fn line(&self, label: &str, oversold: Option<i64>) -> String {
        let mut l = self.latencies_us.clone();
        l.sort_unstable();
        let pct = |p: f64| {
            l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0) as f64
                / 1000.0
        };
        let mut s = format!(
            "{label} orders_per_s={:.0} p50_ms={:.2} p99_ms={:.2}",
            self.ok as f64 / self.seconds,
            pct(0.50),
            pct(0.99)
        );
        s.push_str(&format!(" rss_mb={:.0}", crate::rss::peak_mb()));
        if let Some(o) = oversold {
            s.push_str(&format!(" oversold={o}"));
        }
        if self.failed > 0 {
            s.push_str(&format!(" failed={}", self.failed));
        }
        s
    }
}

/// How the load generator makes Idempotency-Keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// No key (the baselines).
    None,
    /// 48-bit milliseconds, then the buyer and its counter.
    TimeOrdered,
    /// 128 random bits.
    Random,
}

impl Keys {
    fn make(self, buyer: usize, n: u64) -> Option<String> {
        match self {
            Keys::None => None,
            Keys::TimeOrdered => {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or(0);
                Some(format!("{ms:012x}-{buyer:04x}-{n:08x}"))
            }
            Keys::Random => Some(format!("{:032x}", rand::random::<u128>())),
        }
    }
}

/// Drives one loop per token posting to `path` for `seconds` (after a warm-up), sending
/// Idempotency-Keys made as `keys` says.
async fn drive(
    base: &str,
    tokens: &[String],
    path: &str,
    seconds: u64,
    variants: Arc<Vec<String>>,
    keys: Keys,
) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(tokens.len())
        .build()
        .unwrap_or_default();
    let start = Instant::now();
    let warm = start + Duration::from_secs(1);
    let end = warm + Duration::from_secs(seconds);
    let mut set = tokio::task::JoinSet::new();
    // Every request body is made once, so the load generator spends its share of the two
    // cores on HTTP, not on building JSON.
    let bodies: Arc<Vec<String>> = Arc::new(
        variants
            .iter()
            .map(|variant| {
                json!({"items": [{"variant_id": variant, "quantity": 1}],
                    "address": {"name": "B", "line1": "L", "city": "C", "postal_code": "1", "country": "FR"},
                    "payment_method": "pm_sandbox_success"})
                .to_string()
            })
            .collect(),
    );
    for (b, token) in tokens.iter().enumerate() {
        let (client, url, auth, bodies) = (
            client.clone(),
            format!("{base}{path}"),
            format!("Bearer {token}"),
            bodies.clone(),
        );
        set.spawn(async move {
            let (mut ok, mut failed, mut lat) = (0usize, 0usize, Vec::new());
            let mut n = 0u64;
            loop {
                let now = Instant::now();
                if now >= end {
                    break;
                }
                n += 1;
                let body = bodies[(b + n as usize) % bodies.len()].clone();
                let mut req = client
                    .post(&url)
                    .header(AUTHORIZATION, &auth)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body);
                if let Some(key) = keys.make(b, n) {
                    req = req.header("Idempotency-Key", key);
                }
                let t = Instant::now();
                let res = req.send().await;
                let status = match res {
                    Ok(r) => {
                        let s = r.status();
                        let _ = r.bytes().await;
                        s.as_u16()
                    }
                    Err(_) => 0,
                };
                if t >= warm {
                    if status == 201 {
                        ok += 1;
                        lat.push(t.elapsed().as_micros() as u64);
                    } else {
                        failed += 1;
                    }
                }
            }
            (ok, failed, lat)
        });
    }
    let mut run = Run {
        ok: 0,
        failed: 0,
        latencies_us: Vec::new(),
        seconds: seconds as f64,
    };
    while let Some(Ok((ok, failed, lat))) = set.join_next().await {
        run.ok += ok;
        run.failed += failed;
        run.latencies_us.extend(lat);
    }
    run
}

async fn noop() -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({})))
}

/// One transaction and one row lock per order: the design the comparison is against.
async fn row_lock(State(store): State<Store>, Json(body): Json<Value>) -> StatusCode {
    let variant = body["items"][0]["variant_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let result: Result<bool, sqlx::Error> = async {
        let mut tx = store.pool().begin().await?;
        let done =
            sqlx::query("UPDATE variants SET stock = stock - 1 WHERE id = $1 AND stock >= 1")
                .bind(&variant)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO bench_orders (variant_id, quantity, created_at) VALUES ($1, 1, $2)",
        )
        .bind(&variant)
        .bind(0i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => StatusCode::CREATED,
        Ok(false) => StatusCode::CONFLICT,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

async fn seed(
    market: &Market,
    scenario: &str,
    buyers: usize,
) -> Result<(Vec<String>, Vec<String>)> {
    let err = |e: caravan_market::MarketError| anyhow::anyhow!("{}: {}", e.code, e.message);
    let password = "bench password 1";
    let reg = |email: String| Registration {
        email,
        password: password.into(),
        display_name: "Bench".into(),
        country: Some("FR".into()),
        locale: None,
    };
    market
        .register(reg("op@bench.test".into()), &[Role::Operator])
        .await
        .map_err(err)?;
    let op = market
        .authenticate(
            &market
                .login(Credentials {
                    email: "op@bench.test".into(),
                    password: password.into(),
                })
                .await
                .map_err(err)?
                .token,
        )
        .await
        .map_err(err)?;
    market
        .register(reg("shop@bench.test".into()), &[])
        .await
        .map_err(err)?;
    let owner = market
        .authenticate(
            &market
                .login(Credentials {
                    email: "shop@bench.test".into(),
                    password: password.into(),
                })
                .await
                .map_err(err)?
                .token,
        )
        .await
        .map_err(err)?;
    let app = Application {
        store_name: "Bench".into(),
        country: "IT".into(),
        settlement_currency: "EUR".into(),
        default_locale: "it".into(),
        description: String::new(),
    };
    let m = market.apply_to_sell(&owner, app).await.map_err(err)?;
    market
        .decide_merchant(
            &op,
            &m.id,
            Decision {
                decision: caravan_domain::merchant::MerchantDecision::Approve,
                reason: None,
            },
        )
        .await
        .map_err(err)?;
    let owner = market
        .authenticate(
            &market
                .create_token(&owner, "bench")
                .await
                .map_err(err)?
                .token,
        )
        .await
        .map_err(err)?;
    let cat = market
        .create_category(
            &op,
            NewCategory {
                slug: "deals".into(),
                parent_id: None,
                position: 0,
                names: BTreeMap::from([("en".into(), "Deals".into())]),
            },
        )
        .await
        .map_err(err)?;
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
    market
        .set_shipping(&owner, ShippingRules { rules: vec![rule] })
        .await
        .map_err(err)?;
    let skus = if scenario == "spread" { 500 } else { 1 };
    let mut variants = Vec::new();
    for i in 0..skus {
        let p = NewProduct {
            category_id: cat.id.clone(),
            texts: BTreeMap::from([(
                "en".into(),
                TextInput {
                    title: format!("Festival deal {i}"),
                    description: String::new(),
                },
            )]),
            images: vec![],
            attributes: BTreeMap::new(),
            hs_code: None,
            origin_country: None,
            ship_from_country: None,
            weight_grams: 300,
            status: Some("published".into()),
            variants: vec![NewVariant {
                sku: format!("DEAL-{i}"),
                options: BTreeMap::new(),
                price_minor: 1999,
                currency: None,
                stock: STOCK,
            }],
        };
        variants.push(
            market
                .create_product(&owner, p)
                .await
                .map_err(err)?
                .variants[0]
                .id
                .clone(),
        );
    }
    let mut tokens = Vec::new();
    let mut set: tokio::task::JoinSet<Result<String, caravan_market::MarketError>> =
        tokio::task::JoinSet::new();
    for i in 0..buyers {
        // A few at a time: password hashing is meant to be slow.
        if set.len() >= 16 {
            if let Some(t) = set.join_next().await {
                tokens.push(t?.map_err(err)?);
            }
        }
        let market = market.clone();
        set.spawn(async move {
            let email = format!("buyer{i}@bench.test");
            market
                .register(
                    Registration {
                        email: email.clone(),
                        password: "bench password 1".into(),
                        display_name: "B".into(),
                        country: Some("FR".into()),
                        locale: None,
                    },
                    &[],
                )
                .await?;
            market
                .login(Credentials {
                    email,
                    password: "bench password 1".into(),
                })
                .await
                .map(|t| t.token)
        });
    }
    while let Some(t) = set.join_next().await {
        tokens.push(t?.map_err(err)?);
    }
    Ok((tokens, variants))
}

/// Units in orders minus units taken from stock: anything above zero was sold twice.
async fn oversold(store: &Store, variants: &[String], table: &str) -> Result<i64> {
    let mut sold: i64 = 0;
    let mut taken: i64 = 0;
    for v in variants {
        let q = format!(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM {table} WHERE variant_id = $1"
        );
        sold += sqlx::query_scalar::<_, i64>(&q)
            .bind(v)
            .fetch_one(store.pool())
            .await?;
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(v)
            .fetch_one(store.pool())
            .await?;
        if stock < 0 {
            bail!("negative stock on {v}");
        }
        taken += STOCK - stock;
    }
    Ok(sold - taken)
}

async fn reset_stock(store: &Store) -> Result<()> {
    sqlx::query("UPDATE variants SET stock = $1")
        .bind(STOCK)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Runs the benchmark and prints one line per measurement.
pub async fn checkout(args: CheckoutArgs) -> Result<()> {
    if !matches!(args.scenario.as_str(), "hot-sku" | "spread") {
        bail!("--scenario is hot-sku or spread");
    }
    let keys = match args.keys.as_str() {
        "time-ordered" => Keys::TimeOrdered,
        "random" => Keys::Random,
        other => bail!("--keys is time-ordered or random, not {other:?}"),
    };
    let db = match args.engine.as_str() {
        "sqlite" => TestDb::sqlite().await?,
        "postgres" => TestDb::postgres_at(&args.postgres_url)
            .await
            .context("creating a PostgreSQL database for the benchmark")?,
        other => bail!("--engine is sqlite or postgres, not {other:?}"),
    };
    let market = Market::new(
        db.store.clone(),
        Arc::new(SystemClock),
        MarketConfig {
            webhook_secret: caravan_market::payments::random_secret(),
            ..MarketConfig::default()
        },
    );
    eprintln!(
        "seeding {} buyers on {} ({})…",
        args.buyers, args.engine, args.scenario
    );
    let (tokens, variants) = seed(&market, &args.scenario, args.buyers).await?;
    sqlx::query("CREATE TABLE bench_orders (variant_id TEXT NOT NULL, quantity BIGINT NOT NULL, created_at BIGINT NOT NULL)")
        .execute(db.store.pool())
        .await?;
    let bench = Router::new()
        .route("/bench/noop", post(noop))
        .route("/bench/row-lock", post(row_lock))
        .with_state(db.store.clone());
    let app = caravan_web::router(caravan_web::AppState::new(market.clone())).merge(bench);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let variants = Arc::new(variants);
    let label = format!(
        "bench checkout engine={} scenario={} buyers={}",
        args.engine, args.scenario, args.buyers
    );
    let checkout_label = format!("{label} keys={}", args.keys);

    crate::rss::reset_peak();
    let run = drive(
        &base,
        &tokens,
        "/api/v1/checkout",
        args.seconds,
        variants.clone(),
        keys,
    )
    .await;
    let over = oversold(&db.store, &variants, "order_lines").await?;
    println!("{}", run.line(&checkout_label, Some(over)));
    reset_stock(&db.store).await?;
    crate::rss::reset_peak();
    let run = drive(
        &base,
        &tokens,
        "/bench/row-lock",
        args.seconds,
        variants.clone(),
        Keys::None,
    )
    .await;
    let over = oversold(&db.store, &variants, "bench_orders").await?;
    println!(
        "{}",
        run.line(&format!("{label} baseline=row-lock"), Some(over))
    );
    crate::rss::reset_peak();
    let run = drive(
        &base,
        &tokens,
        "/bench/noop",
        args.seconds,
        variants.clone(),
        Keys::None,
    )
    .await;
    println!("{}", run.line(&format!("{label} baseline=noop"), None));
    server.abort();
    db.cleanup().await;
    Ok(())
}
