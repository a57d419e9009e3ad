//! The operator's live festival screen: GMV in the platform currency, orders per second, the top
//! buyer countries, the top deals by % claimed and the sold-out count of the current campaign,
//! published every second to whoever watches (server-sent events in the web layer).
//!
//! The figures follow the outbox — `order.placed` events inside the campaign's window — and never
//! read the order tables; the deals' claimed units come from the deals themselves. One follower
//! runs per node while someone watches; it keeps its position and sums when the last watcher
//! leaves, so the next one resumes instead of reading the outbox again.

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::festival::live::window_of;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::festival::Phase;
use caravan_domain::fx::convert;
use caravan_domain::{rfc3339, Currency, Locale, Money};
use caravan_store::festival::CampaignRecord;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::watch;

/// The platform's currency, the GMV's.
const PLATFORM_CURRENCY: Currency = Currency::EUR;
/// Seconds of orders-per-second history the chart shows.
const HISTORY_S: i64 = 120;
/// Events read per pass.
const EVENTS_PER_PASS: i64 = 5_000;
/// Rows of the top-countries and top-deals lists.
const TOP: usize = 5;

/// What the screen shows.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct LiveFigures {
    /// The campaign shown (the live one, else the last that started), if any.
    pub campaign: Option<String>,
    /// Its slug.
    pub slug: Option<String>,
    /// Its phase.
    pub phase: Option<String>,
    /// Orders placed in its window, converted to the platform currency at today's rates.
    pub gmv: Option<MoneyView>,
    /// Store orders placed in its window.
    pub orders: i64,
    /// Orders per second over the last five seconds.
    pub orders_per_s: f64,
    /// Orders per second, oldest first: `[unix second, orders]` for the last two minutes.
    pub per_second: Vec<(i64, i64)>,
    /// Top buyer countries: `[country, orders]`.
    pub countries: Vec<(String, i64)>,
    /// Top deals by % claimed.
    pub deals: Vec<DealBar>,
    /// Deals sold out.
    pub sold_out: i64,
    /// The outbox position the figures include.
    pub position: i64,
    /// RFC 3339.
    pub updated_at: String,
}

/// One deal on the screen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DealBar {
    /// The product's title.
    pub title: String,
    /// Units claimed of the cap, percent.
    pub claimed_percent: i64,
    /// Every unit is claimed.
    pub sold_out: bool,
}

/// The follower's sums for one campaign.
#[derive(Debug, Default)]
pub(crate) struct ScreenState {
    campaign: Option<String>,
    cursor: i64,
    gmv_minor: i64,
    orders: i64,
    per_second: BTreeMap<i64, i64>,
    countries: HashMap<String, i64>,
    titles: HashMap<String, String>,
}

/// Who watches, and the sums while nobody does.
#[derive(Default)]
pub(crate) struct ScreenSlot {
    watching: Option<watch::Sender<Arc<LiveFigures>>>,
    state: Option<ScreenState>,
}

impl Market {
    /// Watches the live screen (operators): the latest figures now and on every change (about
    /// each second).
    pub fn watch_live(
        &self,
        actor: &Actor,
    ) -> Result<watch::Receiver<Arc<LiveFigures>>, MarketError> {
        actor.require(Role::Operator)?;
        Ok(self.live_screen())
    }

    fn live_screen(&self) -> watch::Receiver<Arc<LiveFigures>> {
        let mut slot = self.inner.screen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = &slot.watching {
            return tx.subscribe();
        }
        let (tx, rx) = watch::channel(Arc::new(LiveFigures::default()));
        slot.watching = Some(tx.clone());
        let state = slot.state.take().unwrap_or_default();
        tokio::spawn(self.clone().follow_screen(tx, state));
        rx
    }

    /// The current figures (operators), once the follower has read the outbox.
    pub async fn live_figures(&self, actor: &Actor) -> Result<Arc<LiveFigures>, MarketError> {
        let mut rx = self.watch_live(actor)?;
        let deadline = std::time::Duration::from_secs(10);
        let ready = async {
            rx.wait_for(|f| !f.updated_at.is_empty())
                .await
                .map(|f| f.clone())
        };
        match tokio::time::timeout(deadline, ready).await {
            Ok(Ok(f)) => Ok(f),
            _ => Err(MarketError::internal("the live screen did not catch up")),
        }
    }

    /// One campaign's figures (operators), by id or slug: an ended campaign's totals, read
    /// once from the outbox events of its window.
    pub async fn campaign_figures(
        &self,
        actor: &Actor,
        campaign: &str,
    ) -> Result<LiveFigures, MarketError> {
        actor.require(Role::Operator)?;
        let c = self.campaign_named(campaign).await?;
        let mut state = ScreenState {
            campaign: Some(c.id.clone()),
            ..ScreenState::default()
        };
        self.read_orders(&mut state, &c).await?;
        self.figures(&mut state, &c).await
    }

    /// Follows the outbox and publishes each second while anyone watches; then leaves its sums
    /// for the next watcher.
    async fn follow_screen(self, tx: watch::Sender<Arc<LiveFigures>>, mut state: ScreenState) {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(1000));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while tx.receiver_count() > 0 {
            match self.screen_pass(&mut state).await {
                Ok(figures) => {
                    tx.send_replace(Arc::new(figures));
                }
                Err(e) => {
                    tracing::warn!(code = %e.code, error = %e.message, "live screen pass failed")
                }
            }
            tick.tick().await;
        }
        let mut slot = self.inner.screen.lock().unwrap_or_else(|p| p.into_inner());
        slot.watching = None;
        slot.state = Some(state);
    }

    /// Reads what the outbox holds since the last pass and makes the figures.
    async fn screen_pass(&self, state: &mut ScreenState) -> Result<LiveFigures, MarketError> {
        let Some(campaign) = self.shown_campaign().await? else {
            return Ok(LiveFigures {
                updated_at: rfc3339(self.now()),
                ..LiveFigures::default()
            });
        };
        if state.campaign.as_deref() != Some(campaign.id.as_str()) {
            *state = ScreenState {
                campaign: Some(campaign.id.clone()),
                ..ScreenState::default()
            };
        }
        self.read_orders(state, &campaign).await?;
        self.figures(state, &campaign).await
    }

    /// The live campaign, else the one that started last, else the next to start.
    async fn shown_campaign(&self) -> Result<Option<CampaignRecord>, MarketError> {
        let now = self.now();
        let all = self.store.campaigns().await?;
        let live = all.iter().find(|c| window_of(c).phase(now) == Phase::Live);
        let started = all
            .iter()
            .filter(|c| c.starts_at <= now)
            .max_by_key(|c| c.starts_at);
        let next = all.iter().min_by_key(|c| c.starts_at);
        Ok(live.or(started).or(next).cloned())
    }

    /// Adds the `order.placed` events of the campaign's window the outbox holds past the cursor.
    async fn read_orders(
        &self,
        state: &mut ScreenState,
        c: &CampaignRecord,
    ) -> Result<(), MarketError> {
        let tables = self.tables().await?;
        loop {
            let events = self
                .store
                .events_after(state.cursor, EVENTS_PER_PASS)
                .await?;
            let Some(last) = events.last().map(|e| e.seq) else {
                return Ok(());
            };
            for e in events.iter().filter(|e| e.kind == "order.placed") {
                if !(c.starts_at..c.ends_at).contains(&e.created_at) {
                    continue;
                }
                let p: PlacedPayload = serde_json::from_str(&e.payload).unwrap_or_default();
                let money = Currency::parse(&p.currency)
                    .ok()
                    .and_then(|cur| Some((cur, *tables.rates.get(&cur)?)))
                    .zip(tables.rates.get(&PLATFORM_CURRENCY));
                if let Some(((cur, from), to)) = money {
                    let eur = convert(Money::new(p.total_minor, cur), from, *to)?;
                    state.gmv_minor = state.gmv_minor.saturating_add(eur.minor());
                }
                state.orders += 1;
                *state.per_second.entry(e.created_at / 1000).or_default() += 1;
                if !p.country.is_empty() {
                    *state.countries.entry(p.country).or_default() += 1;
                }
            }
            state.cursor = last;
            let newest = state.per_second.keys().next_back().copied().unwrap_or(0);
            state.per_second.retain(|s, _| *s > newest - HISTORY_S);
            if (events.len() as i64) < EVENTS_PER_PASS {
                return Ok(());
            }
        }
    }

    /// The figures from the sums and the campaign's deals.
    async fn figures(
        &self,
        state: &mut ScreenState,
        c: &CampaignRecord,
    ) -> Result<LiveFigures, MarketError> {
        let now = self.now();
        let deals = self.store.deals_by("campaign_id", &c.id).await?;
        let approved: Vec<_> = deals
            .into_iter()
            .filter(|d| d.status == "approved")
            .collect();
        if approved.iter().any(|d| !state.titles.contains_key(&d.id)) {
            let view = self.campaign(&c.id, Locale::En).await?;
            state.titles = view.deals.into_iter().map(|d| (d.id, d.title)).collect();
        }
        let mut bars: Vec<DealBar> = approved
            .iter()
            .map(|d| DealBar {
                title: state.titles.get(&d.id).cloned().unwrap_or_default(),
                claimed_percent: d.claimed * 100 / d.cap.max(1),
                sold_out: d.claimed >= d.cap,
            })
            .collect();
        bars.sort_by_key(|b| std::cmp::Reverse(b.claimed_percent));
        let sold_out = bars.iter().filter(|b| b.sold_out).count() as i64;
        bars.truncate(TOP);
        let mut countries: Vec<(String, i64)> = state
            .countries
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        countries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        countries.truncate(TOP);
        // An ended campaign's chart shows its last minutes.
        let second = now.min(c.ends_at - 1) / 1000;
        let recent: i64 = (second - 4..=second)
            .map(|s| state.per_second.get(&s).copied().unwrap_or(0))
            .sum();
        let texts = self
            .store
            .campaign_texts(std::slice::from_ref(&c.id))
            .await?;
        let name = texts
            .iter()
            .find(|t| t.locale == "en")
            .or(texts.first())
            .map(|t| t.name.clone());
        Ok(LiveFigures {
            campaign: name.or_else(|| Some(c.slug.clone())),
            slug: Some(c.slug.clone()),
            phase: Some(window_of(c).phase(now).as_str().to_owned()),
            gmv: Some(MoneyView::new(state.gmv_minor, PLATFORM_CURRENCY.code())),
            orders: state.orders,
            orders_per_s: recent as f64 / 5.0,
            per_second: (second - HISTORY_S + 1..=second)
                .map(|s| (s, state.per_second.get(&s).copied().unwrap_or(0)))
                .collect(),
            countries,
            deals: bars,
            sold_out,
            position: state.cursor,
            updated_at: rfc3339(now),
        })
    }
}

/// What the screen reads of an `order.placed` event.
#[derive(Debug, Default, serde::Deserialize)]
struct PlacedPayload {
    #[serde(default)]
    total_minor: i64,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    country: String,
}
