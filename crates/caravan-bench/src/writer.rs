//! `caravan bench writer`: the order writer alone. Festival checkouts (the same carts, deals and
//! coupons as `bench festival`) are prepared in memory first — priced, authorized, turned into
//! records — and then written in batches by as many streams as the store has writer
//! connections (split as the server's queues split them), with no HTTP and no request path;
//! only the writing is timed. Prints the rate, the rows each order writes,
//! the batch latency, and where the batches' time went, step by step.

use crate::festival::{bodies, seed_festival};
use crate::seed::{self, err};
use anyhow::Result;
use caravan_market::accounts::Actor;
use caravan_market::checkout::{CheckoutRequest, Written};
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::Market;
use caravan_store::checkout::{Outcome, Placement};
use caravan_store::Store;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Options of `caravan bench writer`.
#[derive(Debug, clap::Args)]
pub struct WriterArgs {
    /// The database engine and, for PostgreSQL, its server.
    #[command(flatten)]
    pub db: crate::seed::EngineArgs,
    /// Checkouts to prepare and write.
    #[arg(long, default_value_t = 20_000)]
    pub checkouts: usize,
    /// Buyers they come from.
    #[arg(long, default_value_t = 1024)]
    pub buyers: usize,
}

/// What the streams wrote.
#[derive(Default)]
struct Tally {
    checkouts: usize,
    orders: usize,
    refused: BTreeMap<String, usize>,
    batch_us: Vec<u64>,
    steps: BTreeMap<&'static str, u64>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.checkouts += other.checkouts;
        self.orders += other.orders;
        for (k, n) in other.refused {
            *self.refused.entry(k).or_default() += n;
        }
        self.batch_us.extend(other.batch_us);
        for (k, us) in other.steps {
            *self.steps.entry(k).or_default() += us;
        }
    }
}

/// Prepares checkouts `from..to` of the run, buyer `i % buyers` making the i-th.
async fn prepare(
    market: &Market,
    actors: &[Actor],
    bodies: &[String],
    (from, to): (usize, usize),
) -> Result<Vec<Placement>> {
    let mut out = Vec::with_capacity(to - from);
    for chunk in (from..to).collect::<Vec<_>>().chunks(64) {
        let mut set = tokio::task::JoinSet::new();
        for &i in chunk {
            let (market, actor) = (market.clone(), actors[i % actors.len()].clone());
            let req: CheckoutRequest = serde_json::from_str(&bodies[i % bodies.len()])?;
            set.spawn(async move {
                let key = IdempotencyKey::parse(Some(&format!("writer-{i}")))?;
                let hash = format!("h{i}");
                market
                    .prepare_checkout(&actor, &key, &hash, req, caravan_domain::Locale::En)
                    .await
            });
        }
        while let Some(p) = set.join_next().await {
            out.push(p?.map_err(err)?);
        }
    }
    Ok(out)
}

/// Writes `placements` in batches of `batch`, one after the other, as the writer does; waits
/// until the last is durable.
async fn stream(market: Market, placements: Vec<Placement>, batch: usize) -> Result<Tally> {
    let store = market.store().clone();
    let mut tally = Tally::default();
    let mut durable = Vec::new();
    for chunk in placements.chunks(batch) {
        let t = Instant::now();
        let written = store.write_batch(chunk).await?;
        tally.batch_us.push(t.elapsed().as_micros() as u64);
        for (p, o) in chunk.iter().zip(&written.outcomes) {
            // As the server does: the buyer's next checkout is priced knowing this one.
            market.written(&Written::of(p), o);
            match o {
                Outcome::Placed => {
                    tally.checkouts += 1;
                    tally.orders += p.orders.len();
                }
                other => {
                    let name = format!("{other:?}");
                    let kind = name.split('(').next().unwrap_or("").to_owned();
                    *tally.refused.entry(kind).or_default() += 1;
                }
            }
        }
        for (step, us) in written.phases.steps {
            *tally.steps.entry(step).or_default() += us;
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        written.durable.then(move |r| {
            let _ = tx.send(r);
        });
        durable.push(rx);
    }
    let t = Instant::now();
    for rx in durable {
        rx.await??;
    }
    *tally.steps.entry("wait for fsync").or_default() += t.elapsed().as_micros() as u64;
    Ok(tally)
}

/// Rows in every table of the benchmark's database.
async fn rows(store: &Store, engine: &str) -> Result<i64> {
    let list = if engine == "sqlite" {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'"
    } else {
        "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '_sqlx%'"
    };
    let tables: Vec<String> = sqlx::query_scalar(list).fetch_all(store.pool()).await?;
    let mut n = 0;
    for t in tables {
        let q = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}");
        n += sqlx::query_scalar::<_, i64>(&q)
            .fetch_one(store.pool())
            .await?;
    }
    Ok(n)
}

/// Runs the benchmark in rounds of one checkout per buyer — prepared (not timed), then written
/// by the streams (timed) — so each round is priced knowing what the earlier ones claimed, as
/// buyers are at the storefront; prints the figures and where the time went.
pub async fn writer(args: WriterArgs) -> Result<()> {
    let db = args.db.database().await?;
    let market = seed::market(db.store.clone());
    eprintln!(
        "seeding the festival and {} buyers on {}…",
        args.buyers, args.db.engine
    );
    let f = seed_festival(&market).await?;
    let mut actors = Vec::with_capacity(args.buyers);
    for t in seed::buyers(&market, args.buyers).await? {
        actors.push(market.authenticate(&t).await.map_err(err)?);
    }
    let (bodies, buyers) = (bodies(&f), args.buyers.max(1));
    let streams = db.store.writer_connections().max(1);
    let batch = caravan_market::MarketConfig::default().writer_batch.max(1);
    let before = rows(&db.store, &args.db.engine).await?;
    crate::rss::reset_peak();
    let (mut tally, mut elapsed) = (Tally::default(), Duration::ZERO);
    for from in (0..args.checkouts).step_by(buyers) {
        let to = (from + buyers).min(args.checkouts);
        let round = prepare(&market, &actors, &bodies, (from, to)).await?;
        let started = Instant::now();
        tally.add(write_round(&market, round, streams, batch).await?);
        elapsed += started.elapsed();
    }
    let written = rows(&db.store, &args.db.engine).await? - before;
    println!(
        "{}",
        line(&args.db.engine, streams, batch, &tally, elapsed, written)
    );
    println!("{}", time_line(&args.db.engine, &tally));
    db.cleanup().await;
    Ok(())
}

/// One round, split across the streams as the writer's queues split checkouts.
async fn write_round(
    market: &Market,
    round: Vec<Placement>,
    streams: usize,
    batch: usize,
) -> Result<Tally> {
    let mut parts: Vec<Vec<Placement>> = (0..streams).map(|_| Vec::new()).collect();
    for p in round {
        parts[queue_of(&p, streams)].push(p);
    }
    let mut set = tokio::task::JoinSet::new();
    for part in parts {
        set.spawn(stream(market.clone(), part, batch));
    }
    let mut tally = Tally::default();
    while let Some(t) = set.join_next().await {
        tally.add(t??);
    }
    Ok(tally)
}

/// The writer queue a placement goes to: FNV-1a of its smallest variant id, as the server does.
fn queue_of(p: &Placement, n: usize) -> usize {
    let first = p
        .lines
        .iter()
        .map(|l| l.variant_id.as_str())
        .min()
        .unwrap_or("");
    let h = first.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (h % n as u64) as usize
}

fn line(
    engine: &str,
    streams: usize,
    batch: usize,
    t: &Tally,
    elapsed: Duration,
    rows: i64,
) -> String {
    let mut lat = t.batch_us.clone();
    lat.sort_unstable();
    let p99 = lat.get(lat.len() * 99 / 100).copied().unwrap_or(0) as f64 / 1000.0;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut s = format!(
        "bench writer engine={engine} streams={streams} batch={batch} orders_per_s={:.0} checkouts_per_s={:.0} rows_per_order={:.1} batch_p99_ms={p99:.2} rss_mb={:.0}",
        t.orders as f64 / secs,
        t.checkouts as f64 / secs,
        rows as f64 / t.orders.max(1) as f64,
        crate::rss::peak_mb()
    );
    for (kind, n) in &t.refused {
        s.push_str(&format!(" refused_{kind}={n}"));
    }
    s
}

/// `bench writer engine=… time: step=share% …`, largest first.
fn time_line(engine: &str, t: &Tally) -> String {
    let total: u64 = t.steps.values().sum::<u64>().max(1);
    let mut steps: Vec<_> = t.steps.iter().collect();
    steps.sort_by(|a, b| b.1.cmp(a.1));
    let parts: Vec<String> = steps
        .iter()
        .map(|(k, us)| {
            format!(
                "{}={:.0}%",
                k.replace(' ', "_"),
                **us as f64 * 100.0 / total as f64
            )
        })
        .collect();
    format!("bench writer engine={engine} time: {}", parts.join(" "))
}
