//! Command-line interface.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Caravan: an open-source cross-border marketplace engine.
#[derive(Debug, Parser)]
#[command(name = "caravan", version, about)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings: a config file, then `CARAVAN_*` variables, then flags, each overriding the one before.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML configuration file.
    #[arg(long, global = true, env = "CARAVAN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "CARAVAN_BIND")]
    pub bind: Option<String>,
    /// Directory for the embedded database and indexes [default: ./data].
    #[arg(long, global = true, env = "CARAVAN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB [default: SQLite in the data directory].
    #[arg(long, global = true, env = "CARAVAN_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Log format: text or json [default: text].
    #[arg(long, global = true, env = "CARAVAN_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Secret the payment provider signs webhooks with [default: a random one per start].
    #[arg(
        long,
        global = true,
        env = "CARAVAN_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub webhook_secret: Option<String>,
    /// A LibreTranslate server for machine translation of product texts, e.g.
    /// `http://127.0.0.1:5000` [default: off; the built-in glossary provider translates].
    #[arg(long, global = true, env = "CARAVAN_TRANSLATE_URL")]
    pub translate_url: Option<String>,
    /// That server's API key, if it requires one.
    #[arg(
        long,
        global = true,
        env = "CARAVAN_TRANSLATE_KEY",
        hide_env_values = true
    )]
    pub translate_key: Option<String>,
    /// Days a creator's commission on a completed order is held before it can be paid out
    /// [default: 14].
    #[arg(long, global = true, env = "CARAVAN_COMMISSION_HOLD_DAYS")]
    pub commission_hold_days: Option<i64>,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the marketplace (migrations are applied first).
    Serve {
        /// Seed the demo marketplace first (only into an empty database).
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Print the effective configuration (secrets redacted).
    Config,
    /// Seed the demo marketplace into an empty database and exit.
    Demo,
    /// Rebuild the search index (in the data directory) from the database and exit.
    Reindex,
    /// Print the OpenAPI 3.1 document.
    Openapi,
    /// Exchange rates.
    Rates {
        /// What to do.
        #[command(subcommand)]
        command: RatesCommand,
    },
    /// Measure Caravan on this machine (built with `--features bench`).
    #[cfg(feature = "bench")]
    Bench {
        /// Which benchmark.
        #[command(subcommand)]
        command: caravan_bench::BenchCommand,
    },
    /// Operator accounts.
    Admin {
        /// What to do.
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// Operator account commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an operator. The password comes from CARAVAN_ADMIN_PASSWORD or a prompt.
    Create {
        /// The operator's e-mail (login).
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "Operator")]
        name: String,
    },
}

/// Exchange-rate commands.
#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Import the ECB's daily reference rates (eurofxref-daily.xml).
    Import {
        /// The XML file.
        file: std::path::PathBuf,
    },
}
