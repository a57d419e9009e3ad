//! `caravan bench search`: a deterministic synthetic catalogue, the index built on disk with
//! every core, then a realistic query mix run one query at a time.

use anyhow::Result;
use caravan_market::demo::{bench_queries, synthetic_catalogue, BenchQuery};
use caravan_search::{Filters, SearchIndex, SearchRequest};
use caravan_store::testing::temp_dir;
use std::time::Instant;

/// Options of `caravan bench search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Products in the synthetic catalogue.
    #[arg(long, default_value_t = 100_000)]
    pub products: usize,
    /// Queries in the mix (one fifth of them suggestions).
    #[arg(long, default_value_t = 5_000)]
    pub queries: usize,
}

/// Price-bucket bounds in euro cents, as the API asks for them.
const BOUNDS: [i64; 7] = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000];

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn dir_bytes(dir: &std::path::Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

/// Runs the benchmark and prints its one line.
pub fn search(args: SearchArgs) -> Result<()> {
    let dir = temp_dir().join("search");
    let index = SearchIndex::open(&dir)?;
    let started = Instant::now();
    let built = index.rebuild(synthetic_catalogue(args.products, 42), 0)?;
    let build_s = started.elapsed().as_secs_f64();
    let index_mb = dir_bytes(&dir)? as f64 / 1_048_576.0;
    let queries = bench_queries(args.queries, 7);
    // Warm the page cache and the analysers as a running server would be.
    for q in queries.iter().take(200) {
        run(&index, q)?;
    }
    let mut search_us = Vec::new();
    let mut suggest_us = Vec::new();
    let mut hits = 0u64;
    for q in &queries {
        let t = Instant::now();
        let found = run(&index, q)?;
        let us = t.elapsed().as_micros() as u64;
        hits += found;
        match q {
            BenchQuery::Search { .. } => search_us.push(us),
            BenchQuery::Suggest(_) => suggest_us.push(us),
        }
    }
    search_us.sort_unstable();
    suggest_us.sort_unstable();
    println!(
        "bench search products={built} build_docs_per_s={:.0} index_mb={index_mb:.1} \
         search_p50_ms={:.2} search_p99_ms={:.2} suggest_p50_ms={:.2} suggest_p99_ms={:.2} \
         queries={} mean_hits={:.0} rss_mb={:.0}",
        built as f64 / build_s,
        percentile(&search_us, 0.5),
        percentile(&search_us, 0.99),
        percentile(&suggest_us, 0.5),
        percentile(&suggest_us, 0.99),
        queries.len(),
        hits as f64 / queries.len().max(1) as f64,
        crate::rss::peak_mb(),
    );
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn run(index: &SearchIndex, q: &BenchQuery) -> Result<u64> {
    Ok(match q {
        BenchQuery::Search {
            locale,
            text,
            category,
        } => {
            let req = SearchRequest {
                text: text.clone(),
                locale: *locale,
                filters: Filters {
                    category: category.clone(),
                    ..Filters::default()
                },
                limit: 24,
                facets: true,
                price_bounds: BOUNDS.to_vec(),
                ..SearchRequest::default()
            };
            index.search(&req)?.total
        }
        BenchQuery::Suggest(prefix) => index.suggest(prefix, 10)?.len() as u64,
    })
}
