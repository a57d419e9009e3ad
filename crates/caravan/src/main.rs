//! The `caravan` command: serve the marketplace, migrate, print configuration, seed demo data,
//! manage operators. Thin: parsing and wiring only; everything else lives in the library crates.

mod cli;
mod config;

use anyhow::{bail, Context, Result};
use caravan_market::translation::libre::LibreTranslate;
use caravan_market::{Market, MarketConfig, SystemClock};
use caravan_search::SearchIndex;
use caravan_store::Store;
use clap::Parser;
use cli::{AdminCommand, Cli, Command, RatesCommand};
use config::Config;
use std::sync::Arc;

/// mimalloc instead of the system allocator: request handling allocates many small short-lived
/// buffers across threads, where glibc's malloc spent ~8% of the workers' time (ADR 0004).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let cli = Cli::parse();
    let config = Config::resolve(&cli.global)?;
    init_logging(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_start(behind_the_writer)
        .build()?;
    runtime.block_on(run(cli.command, config))
}

/// Request threads run at nice +5, below the order writer and its database thread (started from
/// the main thread, so at nice 0), which every checkout waits on: on a busy machine the writer
/// then gets a core as soon as it is runnable instead of queueing behind request handling.
/// Lowering one's own priority needs no privilege (ADR 0004).
fn behind_the_writer() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 5) {
        tracing::debug!(error = %e, "could not lower a request thread's priority");
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(config: &Config) -> Result<Market> {
    config.prepare_data_dir()?;
    let store = Store::connect(&config.database_url)
        .await
        .context("opening the database")?;
    store.migrate().await.context("applying migrations")?;
    let webhook_secret = config
        .webhook_secret
        .clone()
        .unwrap_or_else(caravan_market::payments::random_secret);
    let market = Market::new(
        store,
        Arc::new(SystemClock),
        MarketConfig {
            webhook_secret,
            commission_hold_ms: config.commission_hold_days * caravan_market::DAY_MS,
            ..MarketConfig::default()
        },
    );
    if let Some(url) = &config.translate_url {
        let provider = LibreTranslate::new(
            url,
            config.translate_key.clone(),
            std::time::Duration::from_secs(10),
        )
        .map_err(|e| anyhow::anyhow!("the translation provider: {e}"))?;
        market.set_translator(Arc::new(provider));
    }
    Ok(market)
}

async fn run(command: Command, config: Config) -> Result<()> {
    match command {
        Command::Serve { demo } => serve(config, demo).await,
        Command::Migrate => {
            let market = open(&config).await?;
            println!("migrations applied to {}", config.redacted_database_url());
            market.store().close().await;
            Ok(())
        }
        Command::Config => {
            print!("{}", config.render());
            Ok(())
        }
        Command::Reindex => {
            let market = open(&config).await?;
            attach_search(&market, &config)?;
            let started = std::time::Instant::now();
            let n = market
                .reindex()
                .await
                .map_err(|e| anyhow::anyhow!("reindexing: {}: {}", e.code, e.message))?;
            println!(
                "search index rebuilt: {n} products in {:.1} s ({})",
                started.elapsed().as_secs_f64(),
                config.search_dir().display()
            );
            market.store().close().await;
            Ok(())
        }
        Command::Demo => {
            let market = open(&config).await?;
            seed_demo(&market).await?;
            market.store().close().await;
            Ok(())
        }
        Command::Rates {
            command: RatesCommand::Import { file },
        } => {
            let xml = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let market = open(&config).await?;
            let n = market
                .import_ecb(&xml)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
            println!("imported {n} exchange rates from {}", file.display());
            market.store().close().await;
            Ok(())
        }
        #[cfg(feature = "bench")]
        Command::Bench { command } => caravan_bench::run(command).await,
        Command::Openapi => {
            println!("{}", caravan_web::openapi_json());
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            let password = admin_password()?;
            let market = open(&config).await?;
            let registration = caravan_market::accounts::Registration {
                email,
                password,
                display_name: name,
                country: None,
                locale: None,
            };
            let user = market
                .register(registration, &[caravan_domain::account::Role::Operator])
                .await
                .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
            println!("operator {} created ({})", user.email, user.id);
            market.store().close().await;
            Ok(())
        }
    }
}

/// From `CARAVAN_ADMIN_PASSWORD`, else asked twice at a terminal. Never a default.
fn admin_password() -> Result<String> {
    if let Ok(p) = std::env::var("CARAVAN_ADMIN_PASSWORD") {
        return Ok(p);
    }
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        bail!("no password given: set CARAVAN_ADMIN_PASSWORD or run in a terminal to be asked");
    }
    let first = rpassword::prompt_password("Password for the new operator: ")?;
    let second = rpassword::prompt_password("Again: ")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

async fn seed_demo(market: &Market) -> Result<()> {
    match market
        .seed_demo()
        .await
        .map_err(|e| anyhow::anyhow!("seeding the demo: {}: {}", e.code, e.message))?
    {
        Some(s) => {
            println!(
                "demo marketplace seeded: {} merchants, {} pending applications, {} categories, {} products",
                s.merchants, s.pending, s.categories, s.products
            );
            println!(
                "demo logins (password for all: {}):",
                caravan_market::demo::DEMO_PASSWORD
            );
            for (role, email, country) in s.logins {
                println!("  {role:<9} {country}  {email}");
            }
        }
        None => println!("the database already holds data; demo data was not added"),
    }
    Ok(())
}

/// Opens the search index in the data directory and hands it to the market.
fn attach_search(market: &Market, config: &Config) -> Result<()> {
    let dir = config.search_dir();
    let index = SearchIndex::open(&dir).with_context(|| {
        format!(
            "opening the search index in {} (is another caravan using it?)",
            dir.display()
        )
    })?;
    market.attach_search(Arc::new(index));
    Ok(())
}

async fn serve(config: Config, demo: bool) -> Result<()> {
    let market = open(&config).await?;
    if demo {
        seed_demo(&market).await?;
    }
    attach_search(&market, &config)?;
    tokio::spawn(market.clone().run_indexer());
    tokio::spawn(market.clone().run_translator());
    tokio::spawn(market.clone().run_connect_flusher());
    let listener = caravan_web::listen(&config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let addr = listener.local_addr()?;
    println!("Caravan is serving on http://{addr}/  (API docs: http://{addr}/api/docs)");
    tracing::info!(%addr, database = %config.redacted_database_url(), "serving");
    let timers = market.clone();
    tokio::spawn(async move {
        // Unpaid orders time out, delivered orders complete: check every ten seconds.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = timers.run_timers().await {
                tracing::warn!(code = %e.code, error = %e.message, "timers failed; retrying");
            }
        }
    });
    let state = caravan_web::AppState::new(market.clone());
    caravan_web::serve(listener, state, shutdown_signal()).await?;
    market.store().close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
