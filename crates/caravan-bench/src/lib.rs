//! Caravan's benchmarks, behind `caravan bench …` (the binary's `bench` feature):
//! checkout over HTTP with the row-lock and no-op baselines measured in the same run, the
//! festival's midnight burst, the order writer alone, Connect's redirects, feed and attributed
//! checkouts,
//! search over a synthetic multilingual catalogue, and the storefront's page times.
//!
//! Benchmarks run on throw-away databases, so this crate (and only it, besides tests) uses
//! `caravan-store`'s `testing` feature; the production binary built without `bench` carries
//! neither.

pub mod checkout;
pub mod connect;
mod drive;
pub mod festival;
pub mod pages;
pub mod rss;
pub mod search;
mod seed;
pub mod writer;

use anyhow::Result;

/// Which benchmark.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Checkout over HTTP against the real server (one hot SKU, or 500 SKUs), with the row-lock
    /// and no-op baselines.
    Checkout(checkout::CheckoutArgs),
    /// Midnight at 11.11: flash deals, store and platform coupons, with the hot-SKU checkout and
    /// the no-op ceiling in the same run.
    Festival(festival::FestivalArgs),
    /// The order writer alone, fed prepared festival checkouts in memory.
    Writer(writer::WriterArgs),
    /// Search over a synthetic multilingual catalogue: index build rate, size, query latencies.
    Search(search::SearchArgs),
    /// Server time of the storefront's product, search and home pages on the demo data.
    Pages(pages::PagesArgs),
    /// Connect: tracking-link redirects, feed pages and attributed checkouts together, with
    /// plain checkout and the no-op ceiling in the same run.
    Connect(connect::ConnectArgs),
}

/// Runs one benchmark and prints its figures.
pub async fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Checkout(args) => checkout::checkout(args).await,
        BenchCommand::Festival(args) => festival::festival(args).await,
        BenchCommand::Writer(args) => writer::writer(args).await,
        BenchCommand::Pages(args) => pages::pages(args).await,
        BenchCommand::Search(args) => search::search(args).await,
        BenchCommand::Connect(args) => connect::connect(args).await,
    }
}
