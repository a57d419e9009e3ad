//! Campaign sites: a theme from a fixed safe palette, a schedule (visible, live, archived), and
//! pages built from typed blocks whose texts exist per language with fallback; fan engagement
//! rules (poll options, quiz answers, cheer limits). Checked here before anything is stored.

use crate::account::{clean_name, is_invisible};
use crate::code::Code;
use crate::error::DomainError;
use crate::locale::Locale;
use std::collections::BTreeMap;

/// Most blocks on one site.
pub const MAX_BLOCKS: usize = 24;
/// Longest block body, in characters.
pub const MAX_BODY: usize = 4_000;
/// Most cheers one account gives one site per day.
pub const CHEERS_PER_DAY: i64 = 20;
/// Shortest gap between one account's cheers, in milliseconds.
pub const CHEER_GAP_MS: i64 = 3_000;

fn bad(message: &str) -> DomainError {
    DomainError::new(Code::InvalidSite, message)
}

/// The palettes a site may use: colours chosen to keep text readable, never free CSS.
pub const THEMES: [&str; 5] = ["glacier", "aurora", "ember", "pine", "midnight"];

/// Checks a theme's name.
pub fn theme(name: &str) -> Result<&'static str, DomainError> {
    THEMES
        .iter()
        .find(|t| **t == name)
        .copied()
        .ok_or_else(|| bad("a theme is glacier, aurora, ember, pine or midnight"))
}

/// When a site shows and what it shows (UTC milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Visitors see it from here (before: 404)…
    pub visible_from: i64,
    /// …counting down to the live window…
    pub live_from: i64,
    /// …which ends here…
    pub live_until: i64,
    /// …and from here it is archived (410).
    pub archived_after: i64,
}

/// Where a site is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteState {
    /// Not visible yet.
    Scheduled,
    /// Visible, counting down.
    Upcoming,
    /// In its live window.
    Live,
    /// After the live window, still visible.
    Ended,
    /// Gone (410).
    Archived,
}

impl SiteState {
    /// The name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteState::Scheduled => "scheduled",
            SiteState::Upcoming => "upcoming",
            SiteState::Live => "live",
            SiteState::Ended => "ended",
            SiteState::Archived => "archived",
        }
    }
}

impl Schedule {
    /// Checks the order: visible ≤ live from < live until ≤ archived.
    pub fn check(self) -> Result<Schedule, DomainError> {
        let ordered = self.visible_from <= self.live_from
            && self.live_from < self.live_until
            && self.live_until <= self.archived_after
            && self.visible_from >= 0;
        if ordered {
            Ok(self)
        } else {
            Err(bad(
                "a schedule runs visible ≤ live from < live until ≤ archived",
            ))
        }
    }

    /// The state at `now`.
    pub fn state(self, now: i64) -> SiteState {
        if now >= self.archived_after {
            SiteState::Archived
        } else if now >= self.live_until {
            SiteState::Ended
        } else if now >= self.live_from {
            SiteState::Live
        } else if now >= self.visible_from {
            SiteState::Upcoming
        } else {
            SiteState::Scheduled
        }
    }
}

/// The kinds of block a page is built from.
pub const BLOCK_KINDS: [&str; 10] = [
    "hero",
    "text",
    "collection",
    "posts",
    "deals",
    "meter",
    "poll",
    "quiz",
    "cheers",
    "leaderboard",
];

/// Checks a block kind.
pub fn block_kind(kind: &str) -> Result<&'static str, DomainError> {
    BLOCK_KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .ok_or_else(|| bad("a block is hero, text, collection, posts, deals, meter, poll, quiz, cheers or leaderboard"))
}

/// A block's title and body in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockText {
    /// Up to 120 characters (may be empty).
    pub title: String,
    /// Up to 4,000 characters, line breaks allowed.
    pub body: String,
}

/// A block's texts by locale, cleaned: at most the eight languages.
pub fn block_texts(
    raw: &BTreeMap<String, (String, String)>,
) -> Result<BTreeMap<Locale, BlockText>, DomainError> {
    let mut out = BTreeMap::new();
    for (code, (title, body)) in raw {
        let locale = Locale::parse(code).map_err(|_| bad("an unknown language"))?;
        let title = if title.trim().is_empty() {
            String::new()
        } else {
            clean_name(title, 120, Code::InvalidSite, "a block's title")?
        };
        let body = body.trim().replace("\r\n", "\n");
        let clean = !body
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_invisible(c));
        if body.chars().count() > MAX_BODY || !clean {
            return Err(bad(
                "a block's text has up to 4000 characters, no control or invisible ones",
            ));
        }
        out.insert(locale, BlockText { title, body });
    }
    Ok(out)
}

/// A poll's or quiz question's options: 2 to 8 keys of 1 to 30 a-z, 0-9, - or _, no repeats.
pub fn option_keys(keys: &[String]) -> Result<Vec<String>, DomainError> {
    let ok = |k: &str| {
        (1..=30).contains(&k.len())
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    let mut seen: Vec<String> = Vec::new();
    for k in keys {
        if !ok(k) || seen.contains(k) {
            return Err(bad(
                "options have distinct keys of 1 to 30 of a-z, 0-9, - and _",
            ));
        }
        seen.push(k.clone());
    }
    if !(2..=8).contains(&seen.len()) {
        return Err(bad("a poll or question has 2 to 8 options"));
    }
    Ok(seen)
}

/// A quiz's score: how many answers match the key.
pub fn score(answers: &[String], key: &[String]) -> i64 {
    let right = answers.iter().zip(key).filter(|(a, k)| a == k).count();
    i64::try_from(right).unwrap_or(0)
}

/// Whether an account may cheer at `now`, given today's cheers and its last one.
pub fn may_cheer(today: i64, last_at: Option<i64>, now: i64) -> bool {
    today < CHEERS_PER_DAY && last_at.is_none_or(|at| now - at >= CHEER_GAP_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_orders_its_instants_and_names_its_state() {
        let s = Schedule {
            visible_from: 10,
            live_from: 20,
            live_until: 30,
            archived_after: 40,
        }
        .check()
        .expect("ordered");
        let states: Vec<&str> = [5, 10, 20, 30, 40]
            .iter()
            .map(|t| s.state(*t).as_str())
            .collect();
        assert_eq!(
            states,
            ["scheduled", "upcoming", "live", "ended", "archived"]
        );
        let backwards = Schedule {
            live_until: 15,
            ..s
        };
        assert_eq!(backwards.check().expect_err("refused").code, "invalid_site");
    }

    #[test]
    fn blocks_themes_and_options_are_checked() {
        assert_eq!(theme("aurora").ok(), Some("aurora"));
        assert!(theme("#ff0000").is_err());
        assert!(block_kind("iframe").is_err());
        assert_eq!(block_kind("poll").ok(), Some("poll"));
        let raw = BTreeMap::from([("pl".to_owned(), ("Ankieta".to_owned(), "a\r\nb".to_owned()))]);
        assert_eq!(block_texts(&raw).expect("valid")[&Locale::Pl].body, "a\nb");
        let raw = BTreeMap::from([("xx".to_owned(), (String::new(), String::new()))]);
        assert!(block_texts(&raw).is_err());
        let keys = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(option_keys(&keys(&["pl", "no"])).is_ok());
        assert!(option_keys(&keys(&["pl"])).is_err());
        assert!(option_keys(&keys(&["pl", "pl"])).is_err());
        assert!(option_keys(&keys(&["PL", "no"])).is_err());
        assert_eq!(score(&keys(&["a", "b", "c"]), &keys(&["a", "x", "c"])), 2);
        assert!(may_cheer(0, None, 0));
        assert!(!may_cheer(0, Some(1_000), 2_000));
        assert!(may_cheer(3, Some(1_000), 4_000));
        assert!(!may_cheer(CHEERS_PER_DAY, None, 0));
    }
}
