//! `caravan bench search`: a deterministic synthetic catalogue, the index built on disk with
//! every core, then a realistic query mix run one query at a time; in the same run, the same
//! catalogue and search queries on the reference a team would pick instead: PostgreSQL full-text
//! search (a `tsvector` column with a GIN index, ranked by `ts_rank`, the same facet counts by
//! SQL; the way Saleor searches), printed as `baseline=postgres-fts`.

use anyhow::{Context, Result};
use caravan_market::demo::{bench_queries, synthetic_catalogue, BenchQuery};
use caravan_search::{Filters, ProductDoc, SearchIndex, SearchRequest};
use caravan_store::testing::temp_dir;
use std::time::Instant;

/// Options of `caravan bench search`.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// Products in the synthetic catalogue.
    #[arg(long, default_value_t = 100_000)]
    pub products: usize,
    /// Queries in the mix (one fifth of them suggestions).
    #[arg(long, default_value_t = 5_000)]
    pub queries: usize,
    /// Index only the category names as the vocabulary (the index before the glossary).
    #[arg(long)]
    pub without_glossary: bool,
    /// Skip the PostgreSQL full-text baseline.
    #[arg(long)]
    pub no_baseline: bool,
    /// PostgreSQL server for the baseline (a throw-away database is created on it).
    #[arg(
        long,
        env = "CARAVAN_TEST_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
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

/// Search latencies of one engine.
struct Timings {
    search_us: Vec<u64>,
    hits: u64,
    /// Each search's time by its part of the mix.
    by_kind: std::collections::BTreeMap<&'static str, Vec<u64>>,
}

impl Timings {
    fn p(&self, q: f64) -> f64 {
        percentile(&self.search_us, q)
    }

    fn mean_hits(&self) -> f64 {
        self.hits as f64 / self.search_us.len().max(1) as f64
    }
}

/// Runs the benchmark and prints its lines: Caravan's, then the baseline's with the ratios.
pub async fn search(args: SearchArgs) -> Result<()> {
    let a = args.clone();
    let caravan = tokio::task::spawn_blocking(move || caravan_search(&a)).await??;
    if args.no_baseline {
        return Ok(());
    }
    let pg = postgres_fts(&args).await?;
    println!(
        "bench search baseline=postgres-fts products={} search_p50_ms={:.2} search_p99_ms={:.2} \
         queries={} mean_hits={:.0} caravan_speedup_p50={:.2}x caravan_speedup_p99={:.2}x \
         rss_mb={:.0}",
        args.products,
        pg.p(0.5),
        pg.p(0.99),
        pg.search_us.len(),
        pg.mean_hits(),
        pg.p(0.5) / caravan.p(0.5).max(0.001),
        pg.p(0.99) / caravan.p(0.99).max(0.001),
        crate::rss::peak_mb(),
    );
    Ok(())
}

/// Caravan's index: build, size, the whole mix; prints its line.
fn caravan_search(args: &SearchArgs) -> Result<Timings> {
    let dir = temp_dir().join("search");
    let index = SearchIndex::open(&dir)?;
    let started = Instant::now();
    let docs = synthetic_catalogue(args.products, 42, !args.without_glossary);
    let built = index.rebuild(docs, 0)?;
    let build_s = started.elapsed().as_secs_f64();
    let index_mb = dir_bytes(&dir)? as f64 / 1_048_576.0;
    let queries = bench_queries(args.queries, 7);
    // Warm the page cache and the analysers as a running server would be.
    for q in queries.iter().take(200) {
        run(&index, q)?;
    }
    let mut t = Timings {
        search_us: Vec::new(),
        hits: 0,
        by_kind: Default::default(),
    };
    let mut suggest_us = Vec::new();
    for q in &queries {
        let started = Instant::now();
        let found = run(&index, q)?;
        let us = started.elapsed().as_micros() as u64;
        match q {
            BenchQuery::Search { kind, .. } => {
                t.search_us.push(us);
                t.by_kind.entry(kind).or_default().push(us);
                t.hits += found;
            }
            BenchQuery::Suggest(_) => suggest_us.push(us),
        }
    }
    t.search_us.sort_unstable();
    suggest_us.sort_unstable();
    println!(
        "bench search products={built} glossary={} build_docs_per_s={:.0} index_mb={index_mb:.1} segments={} \
         search_p50_ms={:.2} search_p99_ms={:.2} suggest_p50_ms={:.2} suggest_p99_ms={:.2} \
         queries={} mean_hits={:.0} rss_mb={:.0}",
        !args.without_glossary,
        built as f64 / build_s,
        index.segments(),
        t.p(0.5),
        t.p(0.99),
        percentile(&suggest_us, 0.5),
        percentile(&suggest_us, 0.99),
        queries.len(),
        t.mean_hits(),
        crate::rss::peak_mb(),
    );
    print_kinds(&mut t.by_kind);
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(t)
}

/// One line with each part of the mix's p50 and p99, to see which kind of query the tail is.
fn print_kinds(by_kind: &mut std::collections::BTreeMap<&'static str, Vec<u64>>) {
    let mut line = String::from("bench search parts:");
    for (kind, us) in by_kind.iter_mut() {
        us.sort_unstable();
        line.push_str(&format!(
            " {kind}_p50_ms={:.2} {kind}_p99_ms={:.2}",
            percentile(us, 0.5),
            percentile(us, 0.99)
        ));
    }
    println!("{line}");
}

fn run(index: &SearchIndex, q: &BenchQuery) -> Result<u64> {
    Ok(match q {
        BenchQuery::Search {
            locale,
            text,
            category,
            ..
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
                // What the marketplace asks for: the page shows the most frequent stores.
                max_merchants: Some(caravan_market::search::MERCHANT_FACET_SIZE),
                ..SearchRequest::default()
            };
            index.search(&req)?.total
        }
        BenchQuery::Suggest(prefix) => index.suggest(prefix, 10)?.len() as u64,
    })
}

/// The baseline's table: one row per product, its words in a `tsvector` (titles weighted A,
/// the catalogue's words C) under a GIN index.
const FTS_TABLE: &str = "CREATE TABLE bench_fts (id TEXT PRIMARY KEY, merchant TEXT NOT NULL, \
    root TEXT NOT NULL, leaf TEXT NOT NULL, price BIGINT NOT NULL, ship_from TEXT NOT NULL, \
    in_stock BOOLEAN NOT NULL, doc TSVECTOR NOT NULL)";

/// The page of hits: ranked, 24.
const FTS_PAGE: &str = "SELECT id FROM bench_fts, plainto_tsquery('simple', $1) q \
    WHERE doc @@ q AND ($2::text IS NULL OR root = $2) ORDER BY ts_rank(doc, q) DESC, id LIMIT 24";

/// The facet counts over every match: total, categories, stores, ship-from, price buckets.
const FTS_FACETS: &str = "SELECT root, leaf, merchant, ship_from, bucket, COUNT(*) FROM ( \
    SELECT root, leaf, merchant, ship_from, \
      width_bucket(price, ARRAY[0, 1000, 2500, 5000, 10000, 25000, 50000]::bigint[]) AS bucket \
    FROM bench_fts WHERE doc @@ plainto_tsquery('simple', $1) AND ($2::text IS NULL OR root = $2)) m \
    GROUP BY GROUPING SETS ((), (root), (leaf), (merchant), (ship_from), (bucket))";

/// The same catalogue and search queries on PostgreSQL full-text search.
async fn postgres_fts(args: &SearchArgs) -> Result<Timings> {
    let db = caravan_store::testing::TestDb::postgres_at(&args.postgres_url)
        .await
        .context("creating a PostgreSQL database for the baseline")?;
    let pool = sqlx::PgPool::connect(&db.url).await?;
    sqlx::query(FTS_TABLE).execute(&pool).await?;
    let docs: Vec<ProductDoc> =
        synthetic_catalogue(args.products, 42, !args.without_glossary).collect();
    for chunk in docs.chunks(2_000) {
        load(&pool, chunk).await?;
    }
    sqlx::query("CREATE INDEX bench_fts_doc ON bench_fts USING GIN (doc)")
        .execute(&pool)
        .await?;
    sqlx::query("ANALYZE bench_fts").execute(&pool).await?;
    let queries: Vec<(String, Option<String>)> = bench_queries(args.queries, 7)
        .into_iter()
        .filter_map(|q| match q {
            BenchQuery::Search { text, category, .. } => Some((text, category)),
            BenchQuery::Suggest(_) => None,
        })
        .collect();
    for (text, category) in queries.iter().take(200) {
        fts_query(&pool, text, category.as_deref()).await?;
    }
    let mut t = Timings {
        search_us: Vec::with_capacity(queries.len()),
        hits: 0,
        by_kind: Default::default(),
    };
    for (text, category) in &queries {
        let started = Instant::now();
        t.hits += fts_query(&pool, text, category.as_deref()).await?;
        t.search_us.push(started.elapsed().as_micros() as u64);
    }
    t.search_us.sort_unstable();
    pool.close().await;
    db.cleanup().await;
    Ok(t)
}

/// Loads products with one statement per chunk (arrays unnested on the server).
async fn load(pool: &sqlx::PgPool, docs: &[ProductDoc]) -> Result<()> {
    let col = |f: &dyn Fn(&ProductDoc) -> String| docs.iter().map(f).collect::<Vec<String>>();
    let titles = col(&|d| {
        d.texts
            .iter()
            .map(|(_, t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let words = col(&|d| {
        d.vocabulary
            .iter()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    sqlx::query(
        "INSERT INTO bench_fts SELECT id, merchant, root, leaf, price, ship_from, in_stock, \
         setweight(to_tsvector('simple', titles), 'A') || setweight(to_tsvector('simple', words), 'C') \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], \
         $7::bool[], $8::text[], $9::text[]) \
         AS u(id, merchant, root, leaf, price, ship_from, in_stock, titles, words)",
    )
    .bind(col(&|d| d.id.clone()))
    .bind(col(&|d| d.merchant.clone()))
    .bind(col(&|d| d.categories.first().cloned().unwrap_or_default()))
    .bind(col(&|d| d.categories.last().cloned().unwrap_or_default()))
    .bind(docs.iter().map(|d| d.price).collect::<Vec<i64>>())
    .bind(col(&|d| d.ship_from.clone()))
    .bind(docs.iter().map(|d| d.in_stock).collect::<Vec<bool>>())
    .bind(titles)
    .bind(words)
    .execute(pool)
    .await?;
    Ok(())
}

/// One search on the baseline: the page and the facets; the number of matches.
async fn fts_query(pool: &sqlx::PgPool, text: &str, category: Option<&str>) -> Result<u64> {
    let page: Vec<(String,)> = sqlx::query_as(FTS_PAGE)
        .bind(text)
        .bind(category)
        .fetch_all(pool)
        .await?;
    let facets: Vec<FacetRow> = sqlx::query_as(FTS_FACETS)
        .bind(text)
        .bind(category)
        .fetch_all(pool)
        .await?;
    debug_assert!(page.len() <= 24);
    let total = facets
        .iter()
        .find(|r| r.0.is_none() && r.1.is_none() && r.2.is_none() && r.3.is_none() && r.4.is_none())
        .map_or(0, |r| r.5);
    Ok(u64::try_from(total).unwrap_or(0))
}

/// (root, leaf, merchant, ship_from, bucket, count) of a grouping set.
type FacetRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i32>,
    i64,
);
