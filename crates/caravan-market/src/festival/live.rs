//! The deals checkout prices with: every approved deal of a campaign that has not ended, read
//! with the other small tables (fees, rates) and kept until the catalogue version moves (an
//! approval bumps it). Whether a deal applies is decided at pricing time with the injected clock;
//! a deal the writer found sold out is marked so at once and no longer offered.

use caravan_domain::festival::{deal_live, Window};
use caravan_store::festival::{CampaignRecord, DealRecord};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A deal as checkout sees it.
#[derive(Debug)]
pub(crate) struct LiveDeal {
    pub id: String,
    pub price_minor: i64,
    pub reference_minor: i64,
    pub per_buyer: i64,
    pub window: Window,
    pub slot: Option<(i64, i64)>,
    /// The writer found its units all claimed (or they were when it was read).
    sold_out: AtomicBool,
}

impl LiveDeal {
    /// Whether it is on offer at `now`.
    pub fn offered(&self, now: i64) -> bool {
        !self.sold_out.load(Ordering::Acquire) && deal_live(self.window, self.slot, now)
    }

    /// The instant it stops applying.
    pub fn ends_at(&self) -> i64 {
        self.slot.map_or(self.window.ends_at, |(_, to)| to)
    }
}

/// Open deals by variant.
#[derive(Debug, Default)]
pub(crate) struct DealTable {
    by_variant: HashMap<String, Vec<Arc<LiveDeal>>>,
    by_id: HashMap<String, Arc<LiveDeal>>,
}

impl DealTable {
    /// The table of `deals` in `campaigns`.
    pub fn new(deals: Vec<DealRecord>, campaigns: &[CampaignRecord]) -> Self {
        let windows: HashMap<&str, Window> = campaigns
            .iter()
            .map(|c| (c.id.as_str(), window_of(c)))
            .collect();
        let mut table = DealTable::default();
        for d in deals {
            let Some(window) = windows.get(d.campaign_id.as_str()).copied() else {
                continue;
            };
            let slot = d.slot_from.zip(d.slot_to);
            let live = Arc::new(LiveDeal {
                id: d.id.clone(),
                price_minor: d.price_minor,
                reference_minor: d.reference_minor,
                per_buyer: d.per_buyer,
                window,
                slot,
                sold_out: AtomicBool::new(d.claimed >= d.cap),
            });
            table.by_id.insert(d.id, live.clone());
            table.by_variant.entry(d.variant_id).or_default().push(live);
        }
        table
    }

    /// The cheapest deal on `variant` offered at `now`.
    pub fn offered(&self, variant: &str, now: i64) -> Option<Arc<LiveDeal>> {
        self.by_variant
            .get(variant)?
            .iter()
            .filter(|d| d.offered(now))
            .min_by_key(|d| d.price_minor)
            .cloned()
    }

    /// The starts of the flash slots of the deals on `variant` that are not sold out.
    pub fn slot_starts(&self, variant: &str) -> Vec<i64> {
        self.by_variant.get(variant).map_or_else(Vec::new, |deals| {
            deals
                .iter()
                .filter(|d| !d.sold_out.load(Ordering::Acquire))
                .filter_map(|d| d.slot.map(|(from, _)| from))
                .collect()
        })
    }

    /// Marks a deal sold out (the writer said so).
    pub fn sold_out(&self, id: &str) {
        if let Some(d) = self.by_id.get(id) {
            d.sold_out.store(true, Ordering::Release);
        }
    }
}

/// A campaign's window.
pub(crate) fn window_of(c: &CampaignRecord) -> Window {
    Window {
        enrol_from: c.enrol_from,
        warmup_at: c.warmup_at,
        starts_at: c.starts_at,
        ends_at: c.ends_at,
    }
}
