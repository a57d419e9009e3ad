//! `caravan bench festival`: midnight at 11.11 over HTTP. Two stores with 20 flash deals each
//! (per-buyer limit 2), a store coupon each and one platform coupon every checkout shares; every
//! buyer starts at once and checks out carts of 1–3 lines across 1–2 stores naming their coupons.
//! In the same run, the plain hot-SKU checkout (before and after the burst) and the no-op
//! ceiling, and the ratios between them.
//! After the burst the database is checked: units over stock or a deal's cap (`oversold`), units
//! over a buyer's deal limit (`over_limit`), coupon uses over a budget or a buyer's limit or
//! differing from the orders (`over_budget`).

use crate::drive::{drive, noop, one_unit, serve, Keys, Run};
use crate::seed::{self, err, STOCK};
use anyhow::Result;
use axum::routing::post;
use axum::Router;
use caravan_market::accounts::Actor;
use caravan_market::festival::{CampaignInput, CampaignText, CouponInput, DealDecision, DealInput};
use caravan_market::Market;
use caravan_store::Store;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Options of `caravan bench festival`.
#[derive(Debug, clap::Args)]
pub struct FestivalArgs {
    /// The database engine and, for PostgreSQL, its server.
    #[command(flatten)]
    pub db: crate::seed::EngineArgs,
    /// Concurrent buyers.
    #[arg(long, default_value_t = 1024)]
    pub buyers: usize,
    /// Seconds each measurement runs (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
}

const DEALS_PER_STORE: usize = 20;
const PER_BUYER: i64 = 2;

/// What the festival was seeded with.
pub(crate) struct Festival {
    /// Per store: its deal variants and its coupon's code.
    stores: Vec<(Vec<String>, String)>,
    /// A variant in no deal, for the hot-SKU comparison.
    hot: String,
}

/// The live campaign, the stores' deals (approved) and coupons, and the platform coupon.
pub(crate) async fn seed_festival(market: &Market) -> Result<Festival> {
    let op = seed::operator(market).await?;
    let cat = seed::category(market, &op).await?;
    let now = market.now_ms();
    let campaign = market
        .create_campaign(&op, campaign(now), caravan_domain::Locale::En)
        .await
        .map_err(err)?;
    let mut stores = Vec::new();
    let mut hot = String::new();
    for (k, country) in ["IT", "ES"].into_iter().enumerate() {
        let owner = seed::store(market, &op, &format!("store{k}"), country).await?;
        let variants =
            seed::variants(market, &owner, &cat, &format!("S{k}"), DEALS_PER_STORE).await?;
        for v in &variants {
            deal(market, &op, &owner, &campaign.id, v).await?;
        }
        let code = format!("STORE{k}");
        let own = coupon(&code, "percent", 1000, now);
        market.create_store_coupon(&owner, own).await.map_err(err)?;
        if k == 0 {
            hot = seed::variants(market, &owner, &cat, "HOT", 1)
                .await?
                .remove(0);
        }
        stores.push((variants, code));
    }
    let shared = CouponInput {
        budget_uses: None,
        budget_minor: Some(caravan_domain::catalogue::MAX_PRICE_MINOR),
        ..coupon("MIDNIGHT", "fixed", 100, now)
    };
    market
        .create_platform_coupon(&op, shared)
        .await
        .map_err(err)?;
    Ok(Festival { stores, hot })
}

/// Live from a minute ago for a day.
fn campaign(now: i64) -> CampaignInput {
    let at = caravan_domain::rfc3339;
    let name = CampaignText {
        name: "11.11 bench".into(),
        description: String::new(),
    };
    CampaignInput {
        slug: "midnight".into(),
        time_zone: "Asia/Shanghai".into(),
        texts: BTreeMap::from([("en".into(), name)]),
        enrol_from: at(now - 3_600_000),
        warmup_at: at(now - 1_800_000),
        starts_at: at(now - 60_000),
        ends_at: at(now + 86_400_000),
        min_discount_bps: 1000,
        min_units: 10,
        categories: Vec::new(),
        ship_from: Vec::new(),
        banner: None,
    }
}

/// 25% off `variant` (€14.99 for €19.99), a cap far above the burst, 2 per buyer; approved.
async fn deal(
    market: &Market,
    op: &Actor,
    owner: &Actor,
    campaign: &str,
    variant: &str,
) -> Result<()> {
    let d = DealInput {
        campaign_id: campaign.to_owned(),
        variant_id: variant.to_owned(),
        price_minor: 1499,
        cap: STOCK / 10,
        per_buyer: PER_BUYER,
        slot_from: None,
        slot_to: None,
    };
    let en = caravan_domain::Locale::En;
    let d = market.enrol_deal(owner, d, en).await.map_err(err)?;
    let approve: DealDecision = serde_json::from_value(json!({"decision": "approve"}))?;
    market
        .decide_deal(op, &d.id, approve, en)
        .await
        .map_err(err)?;
    Ok(())
}

/// A coupon valid for the day with a budget far above the burst and no per-buyer pinch.
fn coupon(code: &str, kind: &str, value: i64, now: i64) -> CouponInput {
    CouponInput {
        code: code.into(),
        kind: kind.into(),
        value,
        currency: Some("EUR".into()),
        min_spend_minor: 0,
        valid_from: caravan_domain::rfc3339(now - 60_000),
        valid_to: caravan_domain::rfc3339(now + 86_400_000),
        budget_uses: Some(100_000_000),
        budget_minor: None,
        per_buyer: 9_999,
        collect: false,
        campaign_id: None,
    }
}

/// 512 checkout bodies: 1–3 lines of deal variants from one store or two, the stores' coupons
/// and the platform's.
pub(crate) fn bodies(f: &Festival) -> Vec<String> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1111);
    (0..512).map(|_| body(f, &mut rng)).collect()
}

fn body(f: &Festival, rng: &mut rand::rngs::StdRng) -> String {
    let lines = rng.gen_range(1..=3usize);
    let first = rng.gen_range(0..f.stores.len());
    let split = if lines > 1 && rng.gen_bool(0.5) {
        vec![
            (first, lines.div_ceil(2)),
            ((first + 1) % f.stores.len(), lines / 2),
        ]
    } else {
        vec![(first, lines)]
    };
    let mut items: BTreeMap<&str, i64> = BTreeMap::new();
    let mut coupons = vec!["MIDNIGHT".to_owned()];
    for (store, n) in split {
        let (variants, code) = &f.stores[store];
        for _ in 0..n {
            items.insert(&variants[rng.gen_range(0..variants.len())], 1);
        }
        coupons.push(code.clone());
    }
    let items: Vec<_> = items
        .into_iter()
        .map(|(v, q)| json!({"variant_id": v, "quantity": q}))
        .collect();
    json!({"items": items, "coupons": coupons, "payment_method": "pm_sandbox_success",
        "address": {"name": "B", "line1": "L", "city": "C", "postal_code": "1", "country": "FR"}})
    .to_string()
}

async fn scalar(store: &Store, sql: &str) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(store.pool())
        .await?)
}

/// Units sold beyond stock or beyond a deal's cap, and deals whose claimed count differs from
/// their units in orders.
async fn oversold(store: &Store) -> Result<i64> {
    let stock = scalar(
        store,
        "SELECT CAST(COALESCE(SUM(s.n - (1000000000 - v.stock)), 0) AS BIGINT) FROM variants v \
         JOIN (SELECT l.variant_id, SUM(l.quantity) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.status <> 'cancelled' GROUP BY l.variant_id) s ON s.variant_id = v.id",
    )
    .await?;
    debug_assert_eq!(STOCK, 1_000_000_000);
    let deals = scalar(
        store,
        "SELECT CAST(COALESCE(SUM(CASE WHEN units > d.cap THEN units - d.cap ELSE 0 END \
         + CASE WHEN units <> d.claimed THEN 1 ELSE 0 END), 0) AS BIGINT) FROM deals d \
         JOIN (SELECT l.deal_id, SUM(l.quantity) AS units FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.status <> 'cancelled' AND l.deal_id IS NOT NULL GROUP BY l.deal_id) s ON s.deal_id = d.id",
    )
    .await?;
    Ok(stock + deals)
}

/// Units bought at a deal's price beyond a buyer's limit.
async fn over_limit(store: &Store) -> Result<i64> {
    scalar(
        store,
        "SELECT CAST(COALESCE(SUM(units - per_buyer), 0) AS BIGINT) FROM (SELECT d.per_buyer, SUM(l.quantity) AS units \
         FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN deals d ON d.id = l.deal_id \
         WHERE o.status <> 'cancelled' GROUP BY d.id, d.per_buyer, o.buyer_id) x WHERE units > per_buyer",
    )
    .await
}

/// Coupon uses over a budget or a buyer's limit, and coupons whose recorded uses differ from
/// the checkouts that used them.
async fn over_budget(store: &Store) -> Result<i64> {
    let per_coupon = scalar(
        store,
        "SELECT CAST(COALESCE(SUM(CASE WHEN c.budget_uses IS NOT NULL AND uses > c.budget_uses THEN uses - c.budget_uses ELSE 0 END \
         + CASE WHEN uses <> c.used_uses THEN 1 ELSE 0 END), 0) AS BIGINT) FROM coupons c \
         JOIN (SELECT coupon_id, COUNT(DISTINCT group_id) AS uses FROM order_coupons GROUP BY coupon_id) u ON u.coupon_id = c.id",
    )
    .await?;
    let per_buyer = scalar(
        store,
        "SELECT CAST(COALESCE(SUM(uses - per_buyer), 0) AS BIGINT) FROM (SELECT c.per_buyer, COUNT(DISTINCT oc.group_id) AS uses \
         FROM order_coupons oc JOIN coupons c ON c.id = oc.coupon_id JOIN order_groups g ON g.id = oc.group_id \
         GROUP BY c.id, c.per_buyer, g.buyer_id) x WHERE uses > per_buyer",
    )
    .await?;
    Ok(per_coupon + per_buyer)
}

/// Runs the benchmark: hot-SKU checkout, the festival burst, hot-SKU again, the no-op
/// ceiling; one line each and the ratios.
pub async fn festival(args: FestivalArgs) -> Result<()> {
    let db = args.db.database().await?;
    let market = seed::market(db.store.clone());
    eprintln!(
        "seeding the festival and {} buyers on {}…",
        args.buyers, args.db.engine
    );
    let f = seed_festival(&market).await?;
    let tokens = seed::buyers(&market, args.buyers).await?;
    let bench = Router::new().route("/bench/noop", post(noop));
    let app = caravan_web::router(caravan_web::AppState::new(market.clone())).merge(bench);
    let (base, server) = serve(app).await?;
    let label = format!("engine={} buyers={}", args.db.engine, args.buyers);
    let measure = |path: &'static str, bodies: Vec<String>, keys: Keys| {
        crate::rss::reset_peak();
        drive(&base, &tokens, path, args.seconds, Arc::new(bodies), keys)
    };
    let hot_line = |run: &Run, scenario: &str| {
        println!(
            "{}",
            run.line(&format!("bench checkout {label} scenario={scenario}"), "")
        );
    };
    let hot_sku = || vec![one_unit(&f.hot)];
    let hot = measure("/api/v1/checkout", hot_sku(), Keys::TimeOrdered).await;
    hot_line(&hot, "hot-sku");
    let fest = measure("/api/v1/checkout", bodies(&f), Keys::TimeOrdered).await;
    let checks = format!(
        " oversold={} over_limit={} over_budget={}",
        oversold(&db.store).await?,
        over_limit(&db.store).await?,
        over_budget(&db.store).await?
    );
    println!("{}", fest.line(&format!("bench festival {label}"), &checks));
    // Hot-SKU again on the grown database: the ratios take the mean of both, so neither the
    // database's growth nor the machine's drift during the run favours either side.
    let hot_after = measure("/api/v1/checkout", hot_sku(), Keys::TimeOrdered).await;
    hot_line(&hot_after, "hot-sku-after");
    let ceiling = measure("/bench/noop", hot_sku(), Keys::None).await;
    println!(
        "{}",
        ceiling.line(&format!("bench checkout {label} baseline=noop"), "")
    );
    println!("{}", ratios(&label, &fest, [&hot, &hot_after], &ceiling));
    server.abort();
    db.cleanup().await;
    Ok(())
}

/// The targets' ratios within the run, against the mean of the two hot-SKU runs: festival ÷
/// hot-SKU orders/s (≥ 0.70), hot-SKU ÷ no-op (≥ 0.15), festival p99 ÷ hot-SKU p50 (≤ 5).
fn ratios(label: &str, fest: &Run, [hot, hot_after]: [&Run; 2], ceiling: &Run) -> String {
    let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let hot_per_s = (hot.per_second() + hot_after.per_second()) / 2.0;
    let hot_p50 = (hot.quantile_ms(0.50) + hot_after.quantile_ms(0.50)) / 2.0;
    format!(
        "bench festival {label} festival_vs_hot_sku={:.2} hot_sku_vs_noop={:.2} p99_vs_hot_p50={:.1}",
        div(fest.per_second(), hot_per_s),
        div(hot_per_s, ceiling.per_second()),
        div(fest.quantile_ms(0.99), hot_p50)
    )
}
