//! The operator console's live festival screen: the figures rendered on the server, then kept
//! current by server-sent events (the script and the vendored chart are an enhancement).

use super::chrome::Chrome;
use super::extract::{Operator, Page};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin_live.html")]
struct LivePage {
    tr: Tr,
    chrome: Chrome,
    campaign: String,
    phase: String,
    gmv: String,
    orders: String,
    rate: String,
    sold_out: String,
    /// (code, name, orders).
    countries: Vec<(String, String, String)>,
    deals: Vec<caravan_market::festival::DealBar>,
    updated_at: String,
    updated: String,
    /// The figures follow the stream (the live screen), not one campaign's totals.
    streaming: bool,
    /// (slug, name) of every campaign: links to their figures.
    campaigns: Vec<(String, String)>,
}

/// `?campaign=` of the screen.
#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    campaign: Option<String>,
}

/// `GET /admin/festival/live`: the live screen, or `?campaign=` one campaign's figures.
pub async fn page(page: Page, Operator(actor): Operator, Query(q): Query<LiveQuery>) -> Response {
    let m = &page.state.market;
    let figures = match &q.campaign {
        Some(c) => m.campaign_figures(&actor, c).await.map(Arc::new),
        None => m.live_figures(&actor).await,
    };
    let campaigns = m.campaigns(page.prefs.locale).await;
    let (f, campaigns) = match (figures, campaigns) {
        (Ok(f), Ok(c)) => (f, c),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/admin/festival").await,
    };
    let tr = page.tr();
    let body = LivePage {
        streaming: q.campaign.is_none(),
        campaigns: campaigns.into_iter().map(|c| (c.slug, c.name)).collect(),
        campaign: f.campaign.clone().unwrap_or_else(|| tr.t("live-none")),
        phase: f
            .phase
            .as_ref()
            .map(|p| tr.t(&format!("phase-{p}")))
            .unwrap_or_default(),
        gmv: f
            .gmv
            .as_ref()
            .map(|m| tr.money(m.amount_minor, &m.currency))
            .unwrap_or_default(),
        orders: tr.number(f.orders, 0),
        rate: tr.number((f.orders_per_s * 10.0).round() as i64, 1),
        sold_out: tr.number(f.sold_out, 0),
        countries: f
            .countries
            .iter()
            .map(|(c, n)| (c.clone(), tr.country(c), tr.number(*n, 0)))
            .collect(),
        deals: f.deals.clone(),
        updated: super::order::millis(&f.updated_at)
            .map(|ms| tr.datetime(ms))
            .unwrap_or_default(),
        updated_at: f.updated_at.clone(),
        chrome: page.chrome("/admin/festival/live").await,
        tr,
    };
    page.html(body.render())
}

/// `GET /admin/festival/live/stream`: the figures as server-sent events.
pub async fn stream(page: Page, Operator(actor): Operator) -> Response {
    match page.state.market.watch_live(&actor) {
        Ok(rx) => crate::sse::figures(rx),
        Err(e) => page.failed(e, "/admin/festival").await,
    }
}
