//! `caravan bench checkout`: the real server on a fresh database, N concurrent buyers over HTTP,
//! and two references measured the same way in the same run: `baseline=row-lock` (one
//! transaction and one row lock per order, as most commerce platforms do it) and `baseline=noop`
//! (an endpoint that does nothing: the ceiling of HTTP on this machine).

use crate::drive::{drive, noop, one_unit, serve, Keys};
use crate::seed::{self, STOCK};
use anyhow::{bail, Result};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use caravan_market::Market;
use caravan_store::Store;
use serde_json::Value;
use std::sync::Arc;

/// Options of `caravan bench checkout`.
#[derive(Debug, clap::Args)]
pub struct CheckoutArgs {
    /// The database engine and, for PostgreSQL, its server.
    #[command(flatten)]
    pub db: crate::seed::EngineArgs,
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

/// The store, its hot SKU (or 500 SKUs for `spread`), and the buyers' tokens.
async fn seed(
    market: &Market,
    scenario: &str,
    buyers: usize,
) -> Result<(Vec<String>, Vec<String>)> {
    let op = seed::operator(market).await?;
    let owner = seed::store(market, &op, "shop", "IT").await?;
    let cat = seed::category(market, &op).await?;
    let skus = if scenario == "spread" { 500 } else { 1 };
    let variants = seed::variants(market, &owner, &cat, "DEAL", skus).await?;
    Ok((seed::buyers(market, buyers).await?, variants))
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
    let db = args.db.database().await?;
    let market = seed::market(db.store.clone());
    eprintln!(
        "seeding {} buyers on {} ({})…",
        args.buyers, args.db.engine, args.scenario
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
    let (base, server) = serve(app).await?;
    let bodies = Arc::new(variants.iter().map(|v| one_unit(v)).collect::<Vec<_>>());
    let label = format!(
        "bench checkout engine={} scenario={} buyers={}",
        args.db.engine, args.scenario, args.buyers
    );
    let measure = |path: &'static str, keys: Keys| {
        crate::rss::reset_peak();
        drive(&base, &tokens, path, args.seconds, bodies.clone(), keys)
    };
    let run = measure("/api/v1/checkout", keys).await;
    let over = oversold(&db.store, &variants, "order_lines").await?;
    let checkout_label = format!("{label} keys={}", args.keys);
    println!(
        "{}",
        run.line(&checkout_label, &format!(" oversold={over}"))
    );
    reset_stock(&db.store).await?;
    let run = measure("/bench/row-lock", Keys::None).await;
    let over = oversold(&db.store, &variants, "bench_orders").await?;
    let baseline = format!("{label} baseline=row-lock");
    println!("{}", run.line(&baseline, &format!(" oversold={over}")));
    let run = measure("/bench/noop", Keys::None).await;
    println!("{}", run.line(&format!("{label} baseline=noop"), ""));
    server.abort();
    db.cleanup().await;
    Ok(())
}
