//! `caravan bench connect`: Connect under load over HTTP. A store offering 10% commission, 50
//! approved creators with a link each, and a feed of `--posts` posts (8 languages, written
//! straight to the store). Measured in one run: plain checkout alone, checkout carrying a
//! creator's attribution cookie alone, plain checkout alone again (attribution's cost is the
//! attributed rate against the mean of the two plain ones, so the database's growth during the
//! run favours neither), then tracking link redirects, feed pages and attributed checkouts all
//! together, and the no-op ceiling.

use crate::drive::{drive, drive_with, noop, one_unit, serve, Extra, Keys, Run};
use crate::seed::{self, err};
use anyhow::Result;
use axum::routing::post;
use axum::Router;
use caravan_domain::account::Role;
use caravan_domain::id::{PostId, TypedId};
use caravan_market::connect::commission::CommissionRateInput;
use caravan_market::connect::{CreatorApplication, LinkInput};
use caravan_market::merchants::Decision;
use caravan_market::Market;
use caravan_store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `caravan bench connect`.
#[derive(Debug, clap::Args)]
pub struct ConnectArgs {
    /// The database engine and, for PostgreSQL, its server.
    #[command(flatten)]
    pub db: crate::seed::EngineArgs,
    /// Concurrent buyers checking out.
    #[arg(long, default_value_t = 128)]
    pub buyers: usize,
    /// Concurrent visitors following links.
    #[arg(long, default_value_t = 128)]
    pub clickers: usize,
    /// Concurrent visitors reading the feed.
    #[arg(long, default_value_t = 32)]
    pub readers: usize,
    /// Posts in the feed.
    #[arg(long, default_value_t = 100_000)]
    pub posts: usize,
    /// Seconds each measurement runs (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Attributed checkouts per second offered while links and the feed are read (open loop);
    /// 0: as fast as the buyers are answered.
    #[arg(long, default_value_t = 0.0)]
    pub checkout_rate: f64,
}

const CREATORS: usize = 50;
const LOCALES: [&str; 8] = ["en", "ru", "fr", "es", "pl", "it", "tr", "zh"];

/// The store's hot variant and product, and the creators' link codes.
struct Seeded {
    variant: String,
    product: String,
    links: Vec<String>,
    creators: Vec<String>,
}

async fn seed_connect(market: &Market) -> Result<Seeded> {
    let op = seed::operator(market).await?;
    let cat = seed::category(market, &op).await?;
    let owner = seed::store(market, &op, "store", "IT").await?;
    let variant = seed::variants(market, &owner, &cat, "C", 1)
        .await?
        .remove(0);
    let rate = CommissionRateInput {
        scope: "store".into(),
        target_id: None,
        rate_bps: Some(1000),
    };
    market
        .set_commission_rate(&owner, rate)
        .await
        .map_err(err)?;
    let product = market
        .store()
        .variant(&variant)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no variant"))?
        .product_id;
    let (mut links, mut creators) = (Vec::new(), Vec::new());
    for i in 0..CREATORS {
        let me = seed::sign_up(market, &format!("c{i}@bench.test"), &[]).await?;
        let app = CreatorApplication {
            handle: format!("creator{i}"),
            languages: vec![LOCALES[i % 8].into()],
            countries: vec!["FR".into()],
            links: vec![],
            pitch: "Bench".into(),
        };
        let c = market.apply_to_create(&me, app).await.map_err(err)?;
        let approve: Decision = serde_json::from_value(serde_json::json!({"decision": "approve"}))?;
        market
            .decide_creator(&op, &c.id, approve)
            .await
            .map_err(err)?;
        let mut me = me;
        me.roles.push(Role::Creator);
        let target = LinkInput {
            target: product.clone(),
        };
        links.push(market.create_link(&me, target).await.map_err(err)?.code);
        creators.push(c.id);
    }
    Ok(Seeded {
        variant,
        product,
        links,
        creators,
    })
}

/// `n` posts written straight to the store in batches (one per transaction of 1,000), one
/// language each, newest last, with a few orders each for "most bought".
async fn seed_posts(store: &Store, s: &Seeded, n: usize, now: i64) -> Result<()> {
    let products = serde_json::to_string(&[&s.product])?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let mut tx = store.pool().begin().await?;
        for &i in chunk {
            let id = PostId::generate().to_string();
            let locale = LOCALES[i % LOCALES.len()];
            let at = now - (n - i) as i64 * 1_000;
            let texts = serde_json::json!({ locale: format!("Post {i}") }).to_string();
            let orders = (i * 7919 % 13) as i64;
            sqlx::query("INSERT INTO posts (id, creator_id, texts, images, products, ships_to, status, orders, created_at) VALUES ($1, $2, $3, '[]', $4, ',*,', 'published', $5, $6)")
                .bind(&id).bind(&s.creators[i % s.creators.len()]).bind(texts).bind(&products).bind(orders).bind(at)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO post_feed (post_id, locale, status, ships_to, orders, created_at) VALUES ($1, $2, 'published', ',*,', $3, $4)")
                .bind(&id).bind(locale).bind(orders).bind(at)
                .execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// GETs `paths` (visitor `v`'s n-th request: `paths[(v + n) % len]`) from `workers` loops for
/// `seconds` after a second of warm-up, redirects not followed; 200 and 302 count.
async fn drive_get(base: &str, paths: Arc<Vec<String>>, workers: usize, seconds: u64) -> Run {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(workers)
        .build()
        .unwrap_or_default();
    let warm = Instant::now() + Duration::from_secs(1);
    let end = warm + Duration::from_secs(seconds);
    let mut set = tokio::task::JoinSet::new();
    for v in 0..workers {
        let (client, paths, base) = (client.clone(), paths.clone(), base.to_owned());
        set.spawn(async move {
            let mut run = Run::empty(0.0);
            let mut n = 0usize;
            while Instant::now() < end {
                n += 1;
                let url = format!("{base}{}", paths[(v + n) % paths.len()]);
                let t = Instant::now();
                let status = match client.get(url).send().await {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                if t < warm {
                    continue;
                }
                if status == 200 || status == 302 {
                    run.ok += 1;
                    run.orders += 1;
                    run.latencies_us.push(t.elapsed().as_micros() as u64);
                } else {
                    *run.refused.entry(status).or_default() += 1;
                }
            }
            run
        });
    }
    let mut all = Run::empty(seconds as f64);
    while let Some(Ok(r)) = set.join_next().await {
        all.ok += r.ok;
        all.orders += r.orders;
        for (s, n) in r.refused {
            *all.refused.entry(s).or_default() += n;
        }
        all.latencies_us.extend(r.latencies_us);
    }
    all
}

/// Feed pages a visitor asks for: each language, newest and most bought.
fn feed_paths() -> Vec<String> {
    LOCALES
        .iter()
        .flat_map(|l| {
            [
                format!("/api/v1/feed?locale={l}&country=FR&limit=20"),
                format!("/api/v1/feed?locale={l}&country=FR&limit=20&sort=most_bought"),
            ]
        })
        .collect()
}

/// Runs the benchmark.
pub async fn connect(args: ConnectArgs) -> Result<()> {
    let db = args.db.database().await?;
    let market = seed::market(db.store.clone());
    eprintln!(
        "seeding {} creators, {} posts and {} buyers on {}…",
        CREATORS, args.posts, args.buyers, args.db.engine
    );
    let s = seed_connect(&market).await?;
    seed_posts(&db.store, &s, args.posts, market.now_ms()).await?;
    let tokens = seed::buyers(&market, args.buyers).await?;
    let flusher = tokio::spawn(market.clone().run_connect_flusher());
    let bench = Router::new().route("/bench/noop", post(noop));
    let app = caravan_web::router(caravan_web::AppState::new(market.clone())).merge(bench);
    let (base, server) = serve(app).await?;
    let label = format!(
        "engine={} buyers={} clickers={} readers={} posts={}",
        args.db.engine, args.buyers, args.clickers, args.readers, args.posts
    );
    let load = Load {
        base: &base,
        tokens: &tokens,
        seconds: args.seconds,
        body: Arc::new(vec![one_unit(&s.variant)]),
        cookies: Arc::new(
            s.links
                .iter()
                .map(|c| format!("caravan_ref={c}.{}", market.now_ms()))
                .collect(),
        ),
    };
    load.measure(&s, &args, &label, &db.store).await?;
    flusher.abort();
    server.abort();
    db.cleanup().await;
    Ok(())
}

/// The load generator's fixed parts.
struct Load<'a> {
    base: &'a str,
    tokens: &'a [String],
    seconds: u64,
    body: Arc<Vec<String>>,
    /// Each buyer's attribution cookie (a creator's link, clicked now).
    cookies: Arc<Vec<String>>,
}

impl Load<'_> {
    /// Checkouts from every buyer, with `cookies` (or none), at `rate` per second (or as fast
    /// as answered).
    async fn checkout(&self, cookies: Arc<Vec<String>>, rate: Option<f64>) -> Run {
        drive_with(
            self.base,
            self.tokens,
            "/api/v1/checkout",
            self.seconds,
            self.body.clone(),
            Keys::TimeOrdered,
            Extra { cookies, rate },
        )
        .await
    }

    /// Every measurement, one line each, then the summary line.
    async fn measure(
        &self,
        s: &Seeded,
        args: &ConnectArgs,
        label: &str,
        store: &Store,
    ) -> Result<()> {
        let alone = self.alone(label, store).await?;
        let [clicks, feed, together] = self.together(s, args, label).await;
        crate::rss::reset_peak();
        let ceiling = drive(
            self.base,
            self.tokens,
            "/bench/noop",
            self.seconds,
            self.body.clone(),
            Keys::None,
        )
        .await;
        println!(
            "{}",
            ceiling.line(&format!("bench connect {label} baseline=noop"), "")
        );
        let [plain, attributed, plain_after] = &alone;
        let runs = [&clicks, &feed, &together, &ceiling];
        println!("{}", summary(label, [plain, plain_after, attributed], runs));
        Ok(())
    }

    /// Checkout alone: plain, attributed, and plain again (the database grew meanwhile, so the
    /// cost is measured against the mean of the two plain runs: no drift favours either).
    async fn alone(&self, label: &str, store: &Store) -> Result<[Run; 3]> {
        let mut runs = Vec::with_capacity(3);
        for scenario in [
            "plain-checkout",
            "attributed-checkout",
            "plain-checkout-after",
        ] {
            crate::rss::reset_peak();
            let attributed = scenario == "attributed-checkout";
            let cookies = if attributed {
                self.cookies.clone()
            } else {
                Arc::new(Vec::new())
            };
            let run = self.checkout(cookies, None).await;
            let extra = if attributed {
                format!(" attributed_orders={}", attributed_count(store).await?)
            } else {
                String::new()
            };
            let name = format!("bench connect {label} scenario={scenario}");
            println!("{}", run.line(&name, &extra));
            runs.push(run);
        }
        runs.try_into()
            .map_err(|_| anyhow::anyhow!("three checkout runs"))
    }

    /// Redirects, feed pages and attributed checkouts all at once.
    async fn together(&self, s: &Seeded, args: &ConnectArgs, label: &str) -> [Run; 3] {
        crate::rss::reset_peak();
        let links: Vec<String> = s.links.iter().map(|c| format!("/r/{c}")).collect();
        let (clicks, feed, together) = tokio::join!(
            drive_get(self.base, Arc::new(links), args.clickers, self.seconds),
            drive_get(
                self.base,
                Arc::new(feed_paths()),
                args.readers,
                self.seconds
            ),
            self.checkout(
                self.cookies.clone(),
                Some(args.checkout_rate).filter(|r| *r > 0.0)
            ),
        );
        for (run, scenario) in [
            (&clicks, "redirects"),
            (&feed, "feed"),
            (&together, "attributed"),
        ] {
            let name = format!("bench connect {label} scenario={scenario}-together");
            println!("{}", run.line(&name, ""));
        }
        [clicks, feed, together]
    }
}

/// The figures: redirects and their p99, the feed's p99 and attributed orders, all
/// together; attribution's cost (1 − attributed ÷ the mean of plain checkout alone before and
/// after it); redirects ÷ no-op.
fn summary(
    label: &str,
    [plain, plain_after, attributed]: [&Run; 3],
    [clicks, feed, together, ceiling]: [&Run; 4],
) -> String {
    let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let plain_mean = (plain.per_second() + plain_after.per_second()) / 2.0;
    format!(
        "bench connect {label} redirects_per_s={:.0} redirect_p99_ms={:.2} feed_p99_ms={:.2} attributed_orders_per_s={:.0} attribution_cost={:.3} redirects_vs_noop={:.2} rss_mb={:.0}",
        clicks.per_second(),
        clicks.quantile_ms(0.99),
        feed.quantile_ms(0.99),
        together.per_second(),
        1.0 - div(attributed.per_second(), plain_mean),
        div(clicks.per_second(), ceiling.per_second()),
        crate::rss::peak_mb()
    )
}

/// Orders that earned a creator their commission.
async fn attributed_count(store: &Store) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM commissions")
            .fetch_one(store.pool())
            .await?,
    )
}
