//! `caravan bench pages`: server time of the storefront's product, search and home pages and of
//! the demo's campaign site (`/c/winter-youth-games`, every block kind but deals and posts) on
//! the demo data, one request at a time over loopback HTTP (so the figure includes HTTP, not the
//! browser).

use anyhow::{Context, Result};
use caravan_market::{Market, MarketConfig, SystemClock};
use caravan_search::SearchIndex;
use caravan_store::testing::{temp_dir, TestDb};
use std::sync::Arc;
use std::time::Instant;

/// Options of `caravan bench pages`.
#[derive(Debug, clap::Args)]
pub struct PagesArgs {
    /// Requests per page kind.
    #[arg(long, default_value_t = 2_000)]
    pub requests: usize,
}

/// Searches of the mix: demo words in several languages, inflected, one with a typo.
const QUERIES: [&str; 8] = [
    "scarf",
    "кружки",
    "torebki",
    "sciarpa",
    "bufandas",
    "绿茶",
    "çaydanlık",
    "ceramc mug",
];

fn p(sorted: &[u64], q: f64) -> f64 {
    let i = ((sorted.len().max(1) - 1) as f64 * q).round() as usize;
    sorted.get(i).copied().unwrap_or(0) as f64 / 1000.0
}

async fn time(client: &reqwest::Client, url: &str, cookie: &str) -> Result<u64> {
    let t = Instant::now();
    let res = client.get(url).header("cookie", cookie).send().await?;
    let status = res.status();
    res.bytes().await?;
    anyhow::ensure!(status.is_success(), "{url}: {status}");
    Ok(t.elapsed().as_micros() as u64)
}

/// Runs the benchmark and prints one line.
pub async fn pages(args: PagesArgs) -> Result<()> {
    let db = TestDb::sqlite().await?;
    let market = Market::new(
        db.store.clone(),
        Arc::new(SystemClock),
        MarketConfig::default(),
    );
    market
        .seed_demo()
        .await
        .map_err(|e| anyhow::anyhow!("seeding: {}", e.message))?;
    market.attach_search(Arc::new(SearchIndex::open(&temp_dir().join("search"))?));
    market
        .reindex()
        .await
        .map_err(|e| anyhow::anyhow!("indexing: {}", e.message))?;
    let listener = caravan_web::listen("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = caravan_web::AppState::new(market.clone());
    tokio::spawn(async move { caravan_web::serve(listener, state, std::future::pending()).await });
    let client = reqwest::Client::new();
    let page: serde_json::Value = client
        .get(format!("{base}/api/v1/products?limit=100"))
        .send()
        .await?
        .json()
        .await
        .context("listing products")?;
    let ids: Vec<String> = page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    anyhow::ensure!(!ids.is_empty(), "the demo has no products");
    let cookie = "caravan_prefs=ru.RUB.RU";
    // Warm up caches and connections as a running shop would be.
    for id in ids.iter().take(50) {
        time(&client, &format!("{base}/p/{id}"), cookie).await?;
    }
    let (mut product, mut search, mut home) = (Vec::new(), Vec::new(), Vec::new());
    let mut site = Vec::new();
    let fan = "caravan_prefs=pl.PLN.PL";
    let site_url = format!("{base}/c/winter-youth-games");
    for i in 0..args.requests {
        site.push(time(&client, &site_url, fan).await?);
        let id = &ids[i % ids.len()];
        product.push(time(&client, &format!("{base}/p/{id}"), cookie).await?);
        let q = QUERIES[i % QUERIES.len()];
        let url = reqwest::Url::parse_with_params(&format!("{base}/search"), &[("q", q)])?;
        search.push(time(&client, url.as_str(), cookie).await?);
        if i % 10 == 0 {
            home.push(time(&client, &format!("{base}/"), cookie).await?);
        }
    }
    for v in [&mut product, &mut search, &mut home, &mut site] {
        v.sort_unstable();
    }
    report(args.requests, [&product, &search, &home, &site]);
    db.cleanup().await;
    Ok(())
}

/// The benchmark's line: each page's p50 and p99 and the peak resident memory.
fn report(requests: usize, [product, search, home, site]: [&Vec<u64>; 4]) {
    println!(
        "bench pages requests={} product_p50_ms={:.2} product_p99_ms={:.2} search_p50_ms={:.2} search_p99_ms={:.2} home_p50_ms={:.2} home_p99_ms={:.2} site_p50_ms={:.2} site_p99_ms={:.2} rss_mb={:.0}",
        requests,
        p(product, 0.5),
        p(product, 0.99),
        p(search, 0.5),
        p(search, 0.99),
        p(home, 0.5),
        p(home, 0.99),
        p(site, 0.5),
        p(site, 0.99),
        crate::rss::peak_mb(),
    );
}
