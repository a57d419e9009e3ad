//! The waiting room in front of a browser's checkout. Two kinds of room:
//!
//! - a flash slot's room, open from [`EARLY_MS`] before the slot starts: everyone who arrives
//!   before the start waits and is given a place **by lot at the start** (so opening many tabs
//!   early gains nothing); later arrivals queue behind them, first come first served, while the
//!   surge lasts ([`SURGE_MS`]) or anyone is still waiting;
//! - the busy room, opened when the order writer's queue is full: a refused buyer queues there
//!   and everyone after them queues behind until the line is through.
//!
//! Places are admitted at the configured rate (a second's worth at once). A visitor is known
//! by a ticket (a random id the browser keeps in a cookie); rooms live in this node's memory,
//! bounded ([`MAX_TICKETS`]) and dropped when idle. Nothing the visitor did is touched: their
//! cart and collected coupons are in the database. API clients are not queued: they get 503
//! with `Retry-After`.

use crate::Market;
use rand::seq::SliceRandom;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::Mutex;

/// A flash slot's room opens its doors this long before the slot starts.
pub const EARLY_MS: i64 = 10 * 60 * 1000;
/// New arrivals queue for this long after a slot starts (and afterwards while anyone waits).
pub const SURGE_MS: i64 = 60 * 1000;
/// Most tickets in all rooms of a node; a visitor beyond it is told to come back.
const MAX_TICKETS: usize = 200_000;
/// A room nobody asked about for this long (and with nobody waiting) is dropped.
const IDLE_MS: i64 = 5 * 60 * 1000;

/// Where a visitor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Go on to checkout.
    Admitted,
    /// Wait.
    Waiting(Wait),
    /// The rooms are full: come back in a minute.
    Full,
}

/// A visitor's wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// People in front of them plus one; `None` until the lot is drawn at the opening.
    pub place: Option<u64>,
    /// Seconds until the room opens (0 once open).
    pub opens_in_s: i64,
    /// Estimated seconds until they are admitted.
    pub estimate_s: i64,
}

/// A visitor's ticket and where they stand.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The ticket to keep (a cookie).
    pub ticket: String,
    /// Where they stand.
    pub admission: Admission,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum RoomKey {
    /// A flash slot starting at this instant.
    Slot(i64),
    /// The writer's queue was full.
    Busy,
}

#[derive(Debug)]
struct Room {
    opens_at: i64,
    /// Arrived before the opening, in arrival order (the lot is drawn at the opening).
    early: Vec<String>,
    places: HashMap<String, u64>,
    next: u64,
    drawn: bool,
    touched: i64,
}

impl Room {
    fn new(opens_at: i64, now: i64) -> Self {
        Self {
            opens_at,
            early: Vec::new(),
            places: HashMap::new(),
            next: 0,
            drawn: false,
            touched: now,
        }
    }

    /// Places admitted by `now`: a second's worth at the opening, then `rate` a second.
    fn admitted(&self, now: i64, rate: u64) -> u64 {
        if now < self.opens_at {
            return 0;
        }
        let elapsed = u64::try_from(now - self.opens_at).unwrap_or(0);
        rate.saturating_add(elapsed.saturating_mul(rate) / 1000)
    }

    /// The lot: early arrivals get the first places in random order.
    fn draw(&mut self) {
        let mut early = std::mem::take(&mut self.early);
        early.shuffle(&mut rand::thread_rng());
        for t in early {
            self.places.entry(t).or_insert_with(|| {
                self.next += 1;
                self.next - 1
            });
        }
        self.drawn = true;
    }

    /// Someone is still waiting.
    fn queue(&self, now: i64, rate: u64) -> bool {
        !self.early.is_empty() || self.next > self.admitted(now, rate)
    }

    fn tickets(&self) -> usize {
        self.early.len() + self.places.len()
    }

    /// Where `ticket` stands at `now`, joining the room if it is new.
    fn stand(&mut self, ticket: &str, now: i64, rate: u64) -> Admission {
        self.touched = now;
        if now < self.opens_at {
            if !self.early.iter().any(|t| t == ticket) {
                self.early.push(ticket.to_owned());
            }
            let opens_in_s = (self.opens_at - now + 999) / 1000;
            let behind = u64::try_from(self.early.len()).unwrap_or(u64::MAX);
            return Admission::Waiting(Wait {
                place: None,
                opens_in_s,
                estimate_s: opens_in_s + seconds(behind.saturating_sub(rate), rate) / 2,
            });
        }
        if !self.drawn {
            self.draw();
        }
        let place = *self.places.entry(ticket.to_owned()).or_insert_with(|| {
            self.next += 1;
            self.next - 1
        });
        let admitted = self.admitted(now, rate);
        if place < admitted {
            return Admission::Admitted;
        }
        let ahead = place - admitted + 1;
        Admission::Waiting(Wait {
            place: Some(ahead),
            opens_in_s: 0,
            estimate_s: seconds(ahead, rate),
        })
    }
}

/// Seconds `n` places take at `rate` a second, rounded up.
fn seconds(n: u64, rate: u64) -> i64 {
    i64::try_from(n.div_ceil(rate.max(1))).unwrap_or(i64::MAX)
}

/// This node's rooms.
#[derive(Debug)]
pub(crate) struct WaitingRoom {
    rate: u64,
    rooms: Mutex<HashMap<RoomKey, Room>>,
}

impl WaitingRoom {
    /// Rooms admitting `rate` places a second.
    pub fn new(rate: u64) -> Self {
        Self {
            rate: rate.max(1),
            rooms: Mutex::new(HashMap::new()),
        }
    }

    /// Where `ticket` stands in the rooms of these flash `slots` (and the busy room, if it
    /// has a line): admitted only when admitted everywhere; the longest wait otherwise.
    fn check(&self, ticket: &str, slots: &[i64], now: i64) -> Admission {
        let Ok(mut rooms) = self.rooms.lock() else {
            return Admission::Full;
        };
        rooms.retain(|_, r| r.queue(now, self.rate) || now - r.touched < IDLE_MS);
        let total: usize = rooms.values().map(Room::tickets).sum();
        let mut keys: Vec<RoomKey> = Vec::new();
        for &s in slots {
            let near = s - EARLY_MS <= now && now < s + SURGE_MS;
            let queued = rooms
                .get(&RoomKey::Slot(s))
                .is_some_and(|r| r.queue(now, self.rate) || r.places.contains_key(ticket));
            if near || queued {
                keys.push(RoomKey::Slot(s));
            }
        }
        if rooms
            .get(&RoomKey::Busy)
            .is_some_and(|r| r.queue(now, self.rate) || r.places.contains_key(ticket))
        {
            keys.push(RoomKey::Busy);
        }
        let mut worst = Admission::Admitted;
        for key in keys {
            let room = match rooms.get_mut(&key) {
                Some(r) => r,
                None if total >= MAX_TICKETS => return Admission::Full,
                None => {
                    let RoomKey::Slot(at) = key else { continue };
                    rooms.entry(key).or_insert_with(|| Room::new(at, now))
                }
            };
            worst = longer(worst, room.stand(ticket, now, self.rate));
        }
        worst
    }

    /// A checkout refused because the writer's queue is full: `ticket` queues in the busy
    /// room (at the end, unless it holds a place there already that is not yet admitted).
    fn busy(&self, ticket: &str, now: i64) -> Admission {
        let Ok(mut rooms) = self.rooms.lock() else {
            return Admission::Full;
        };
        let total: usize = rooms.values().map(Room::tickets).sum();
        if total >= MAX_TICKETS {
            return Admission::Full;
        }
        let rate = self.rate;
        let room = rooms
            .entry(RoomKey::Busy)
            .or_insert_with(|| Room::new(now, now));
        // An admitted place that was refused again goes to the back of the line.
        if room
            .places
            .get(ticket)
            .is_some_and(|p| *p < room.admitted(now, rate))
        {
            room.places.remove(ticket);
        }
        match room.stand(ticket, now, rate) {
            // Refused just now: they wait at least for the next admission.
            Admission::Admitted => Admission::Waiting(Wait {
                place: Some(1),
                opens_in_s: 0,
                estimate_s: 1,
            }),
            other => other,
        }
    }
}

/// The longer of two waits.
fn longer(a: Admission, b: Admission) -> Admission {
    let rank = |x: &Admission| match x {
        Admission::Admitted => (0, 0),
        Admission::Waiting(w) => (1, w.estimate_s),
        Admission::Full => (2, 0),
    };
    if rank(&b) > rank(&a) {
        b
    } else {
        a
    }
}

/// A ticket: 16 random bytes in hex.
fn new_ticket() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A ticket a browser sent back, if it is one of ours in shape.
fn kept(ticket: Option<&str>) -> String {
    ticket
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(new_ticket, str::to_owned)
}

impl Market {
    /// Where the visitor holding `ticket` stands before checking out these variants (their
    /// cart) in the browser.
    pub async fn admission(
        &self,
        ticket: Option<&str>,
        variants: &[String],
    ) -> Result<Standing, crate::MarketError> {
        let tables = self.tables().await?;
        let mut slots: Vec<i64> = variants
            .iter()
            .flat_map(|v| tables.deals.slot_starts(v))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        let ticket = kept(ticket);
        let admission = self.inner.waiting.check(&ticket, &slots, self.now());
        Ok(Standing { ticket, admission })
    }

    /// The browser checkout of the visitor holding `ticket` was refused because the order
    /// writer's queue is full: they queue in the busy room.
    pub fn queue_busy(&self, ticket: Option<&str>) -> Standing {
        let ticket = kept(ticket);
        let admission = self.inner.waiting.busy(&ticket, self.now());
        Standing { ticket, admission }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(a: &Admission) -> Option<u64> {
        match a {
            Admission::Waiting(w) => w.place,
            _ => None,
        }
    }

    #[test]
    fn early_arrivals_draw_lots_and_later_ones_queue_behind() {
        let room = WaitingRoom::new(10);
        let open = 1_000_000;
        let early: Vec<String> = (0..100).map(|i| format!("{i:032x}")).collect();
        for t in &early {
            let a = room.check(t, &[open], open - 5_000);
            assert_eq!(place(&a), None, "no place before the lot");
        }
        // At the opening the lot is drawn: ten are in, the rest wait in a random order.
        let at_open: Vec<Admission> = early.iter().map(|t| room.check(t, &[open], open)).collect();
        let admitted = at_open
            .iter()
            .filter(|a| **a == Admission::Admitted)
            .count();
        assert_eq!(admitted, 10);
        let mut places: Vec<u64> = at_open.iter().filter_map(place).collect();
        let in_arrival_order = places.windows(2).all(|w| w[0] < w[1]);
        assert!(!in_arrival_order, "places are drawn, not by arrival");
        places.sort_unstable();
        assert_eq!(places, (1..=90).collect::<Vec<u64>>());
        // A later arrival queues behind every early one.
        let late = room.check(&format!("{:032x}", 999), &[open], open + 100);
        assert_eq!(
            place(&late),
            Some(90),
            "behind the 89 early ones still waiting at +0.1 s"
        );
        // Nine seconds later, everyone early is in.
        assert!(early
            .iter()
            .all(|t| room.check(t, &[open], open + 9_000) == Admission::Admitted));
    }

    #[test]
    fn the_busy_room_queues_until_its_line_is_through() {
        let room = WaitingRoom::new(2);
        let now = 5_000_000;
        let a = room.busy("a", now);
        assert!(matches!(a, Admission::Waiting(_)));
        for t in ["b", "c", "d"] {
            room.busy(t, now);
        }
        // A newcomer without a refused checkout queues behind them while the line lasts.
        let e = room.check("e", &[], now);
        assert_eq!(
            place(&e),
            Some(3),
            "a and b are admitted in the first second"
        );
        assert_eq!(room.check("e", &[], now + 2_000), Admission::Admitted);
        // The line is through: nobody waits.
        assert_eq!(room.check("f", &[], now + 60_000), Admission::Admitted);
    }
}
