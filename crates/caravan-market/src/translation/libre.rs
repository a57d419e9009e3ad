//! A translation provider speaking the LibreTranslate API (`POST /translate` with
//! `{q: [texts], source, target, format: "text", api_key}` → `{translatedText: [texts]}`), the
//! self-hostable open-source machine-translation server. Plain HTTP: run it beside Caravan.

use super::{TranslateError, TranslateFuture, Translator};
use caravan_domain::Locale;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The adapter.
pub struct LibreTranslate {
    client: reqwest::Client,
    url: String,
    api_key: Option<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    q: &'a [String],
    source: &'a str,
    target: &'a str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "translatedText")]
    translated_text: Vec<String>,
}

#[derive(Deserialize)]
struct Refusal {
    error: String,
}

impl LibreTranslate {
    /// A client of the server at `url` (e.g. `http://127.0.0.1:5000`), with its API key if it
    /// requires one; each call gives up after `timeout`.
    pub fn new(
        url: &str,
        api_key: Option<String>,
        timeout: Duration,
    ) -> Result<Self, TranslateError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| TranslateError::Unreachable(e.to_string()))?;
        Ok(Self {
            client,
            url: format!("{}/translate", url.trim_end_matches('/')),
            api_key,
        })
    }

    async fn call(
        &self,
        texts: &[String],
        from: Locale,
        to: Locale,
    ) -> Result<Vec<String>, TranslateError> {
        let body = Request {
            q: texts,
            source: from.code(),
            target: to.code(),
            format: "text",
            api_key: self.api_key.as_deref(),
        };
        let res = self
            .client
            .post(&self.url)
            .json(&body)
            .send()
            .await
            .map_err(|e| TranslateError::Unreachable(e.to_string()))?;
        let status = res.status();
        let text = res
            .text()
            .await
            .map_err(|e| TranslateError::Unreachable(e.to_string()))?;
        if !status.is_success() {
            let why = serde_json::from_str::<Refusal>(&text)
                .map(|r| r.error)
                .unwrap_or(text);
            return Err(TranslateError::Refused(format!("{status}: {why}")));
        }
        serde_json::from_str::<Answer>(&text)
            .map(|a| a.translated_text)
            .map_err(|e| TranslateError::BadAnswer(e.to_string()))
    }
}

impl Translator for LibreTranslate {
    fn name(&self) -> &'static str {
        "libretranslate"
    }

    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        from: Locale,
        to: Locale,
    ) -> TranslateFuture<'a> {
        Box::pin(self.call(texts, from, to))
    }
}
