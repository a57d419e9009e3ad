//! The one configuration struct: file, then environment, then flags.

use crate::cli::GlobalArgs;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::PathBuf;

/// What may appear in the config file (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    log_format: Option<String>,
    webhook_secret: Option<String>,
    translate_url: Option<String>,
    translate_key: Option<String>,
    commission_hold_days: Option<i64>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub bind: String,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Database URL.
    pub database_url: String,
    /// Whether the URL was derived from the data directory (then the directory may be created).
    database_is_default: bool,
    /// text or json.
    pub log_format: String,
    /// Webhook signing secret, if configured.
    pub webhook_secret: Option<String>,
    /// The LibreTranslate server, if configured.
    pub translate_url: Option<String>,
    /// Its API key.
    pub translate_key: Option<String>,
    /// Days a creator's commission is held after the order completes.
    pub commission_hold_days: i64,
    /// Where each value came from, for `caravan config`.
    sources: Vec<(&'static str, &'static str)>,
}

fn pick<T>(flag_or_env: Option<T>, file: Option<T>, default: T) -> (T, &'static str) {
    match (flag_or_env, file) {
        (Some(v), _) => (v, "flag or environment"),
        (None, Some(v)) => (v, "config file"),
        (None, None) => (default, "default"),
    }
}

impl Config {
    /// Resolves the layers. A config file that is named but missing or invalid is an error.
    pub fn resolve(args: &GlobalArgs) -> Result<Config> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("parsing config file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let (bind, bind_src) = pick(args.bind.clone(), file.bind, "127.0.0.1:8080".to_owned());
        let (data_dir, dir_src) = pick(
            args.data_dir.clone(),
            file.data_dir,
            PathBuf::from("./data"),
        );
        let default_url = format!("sqlite://{}", data_dir.join("caravan.db").display());
        let (database_url, url_src) =
            pick(args.database_url.clone(), file.database_url, default_url);
        let (log_format, log_src) =
            pick(args.log_format.clone(), file.log_format, "text".to_owned());
        if !matches!(log_format.as_str(), "text" | "json") {
            bail!("log format must be text or json, not {log_format:?}");
        }
        let webhook_secret = args
            .webhook_secret
            .clone()
            .or(file.webhook_secret)
            .filter(|s| !s.is_empty());
        let translate_url = args
            .translate_url
            .clone()
            .or(file.translate_url)
            .filter(|s| !s.is_empty());
        if let Some(url) = &translate_url {
            if !url.starts_with("http://") {
                bail!("translate_url must be an http:// URL (a LibreTranslate server beside Caravan), not {url:?}");
            }
        }
        let translate_key = args
            .translate_key
            .clone()
            .or(file.translate_key)
            .filter(|s| !s.is_empty());
        let (commission_hold_days, hold_src) =
            pick(args.commission_hold_days, file.commission_hold_days, 14);
        if !(0..=365).contains(&commission_hold_days) {
            bail!("commission_hold_days must be 0 to 365, not {commission_hold_days}");
        }
        Ok(Config {
            commission_hold_days,
            webhook_secret,
            translate_url,
            translate_key,
            bind,
            data_dir,
            database_url,
            database_is_default: url_src == "default",
            log_format,
            sources: vec![
                ("bind", bind_src),
                ("data_dir", dir_src),
                ("database_url", url_src),
                ("log_format", log_src),
                ("commission_hold_days", hold_src),
            ],
        })
    }

    /// Creates the data directory when the database lives in it by default. An explicit SQLite
    /// URL must point into an existing directory: a typo never yields an empty database elsewhere.
    pub fn prepare_data_dir(&self) -> Result<()> {
        if self.database_is_default {
            std::fs::create_dir_all(&self.data_dir)
                .with_context(|| format!("creating data directory {}", self.data_dir.display()))?;
        }
        Ok(())
    }

    /// Where the search index lives: `search/` in the data directory.
    pub fn search_dir(&self) -> std::path::PathBuf {
        self.data_dir.join("search")
    }

    /// The database URL with any password replaced by `***`.
    pub fn redacted_database_url(&self) -> String {
        caravan_store::StoreError::redact(&self.database_url)
    }

    /// The effective configuration as TOML-like lines, with where each value came from.
    pub fn render(&self) -> String {
        let values = [
            ("bind", self.bind.clone()),
            ("data_dir", self.data_dir.display().to_string()),
            ("database_url", self.redacted_database_url()),
            ("log_format", self.log_format.clone()),
            (
                "commission_hold_days",
                self.commission_hold_days.to_string(),
            ),
            (
                "translate_url",
                self.translate_url
                    .clone()
                    .unwrap_or_else(|| "(off: the built-in glossary translates)".to_owned()),
            ),
            (
                "webhook_secret",
                if self.webhook_secret.is_some() {
                    "***".to_owned()
                } else {
                    "(random per start)".to_owned()
                },
            ),
        ];
        let mut out = String::new();
        for (key, value) in values {
            let src = self
                .sources
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| *s)
                .unwrap_or("default");
            out.push_str(&format!("{key} = {value:?}  # from {src}\n"));
        }
        out
    }
}
