//! Creator tiers and leaderboards: the operator's ladder; each creator's tier from the
//! commission confirmed to them over 90 days (in euros at the day's rates), recomputed by the
//! timers, its bonus added to every rate at sale; and the monthly leaderboards of confirmed
//! sales, overall or by audience country, for creators.

use crate::accounts::Actor;
use crate::catalogue::MoneyView;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::fx::{convert, Rate};
use caravan_domain::tier::{check_ladder, tier_of, TierRule, WINDOW_MS};
use caravan_domain::{Country, Currency, Money};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A rung of the ladder.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierInput {
    /// Shown to creators.
    pub name: String,
    /// Commission confirmed over 90 days from which it applies, euro cents (0 for the first).
    pub min_eur_minor: i64,
    /// Added to every rate, basis points (0 to 2000).
    pub bonus_bps: i64,
}

/// The ladder to set, lowest first.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierLadder {
    /// 1 to 8 tiers.
    pub tiers: Vec<TierInput>,
}

/// Where a creator stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TierView {
    /// The tier's name.
    pub tier: String,
    /// Its bonus on every rate.
    pub bonus_bps: i64,
    /// Commission confirmed over the last 90 days, in euros, as last computed.
    pub earned_90d: MoneyView,
    /// The next tier and what it takes, if there is one.
    pub next: Option<TierInput>,
}

/// One place on a leaderboard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeaderView {
    /// 1 for the first.
    pub rank: usize,
    /// The creator's handle.
    pub handle: String,
    /// Confirmed sales through them that month, in euros.
    pub sales: MoneyView,
}

/// A leaderboard query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardParams {
    /// YYYY-MM (this month if absent).
    pub month: Option<String>,
    /// Creators whose audience includes this country (all if absent).
    pub country: Option<String>,
}

fn rules(rows: Vec<(i64, String, i64, i64)>) -> Vec<TierRule> {
    rows.into_iter()
        .map(|(_, name, min_eur_minor, bonus_bps)| TierRule {
            name,
            min_eur_minor,
            bonus_bps,
        })
        .collect()
}

/// Sums amounts in several currencies into euro cents at `rates` (unknown currencies count 0).
fn in_euros(amounts: &[(String, i64)], rates: &HashMap<Currency, Rate>) -> i64 {
    let eur = Rate::euro();
    amounts
        .iter()
        .filter_map(|(c, v)| {
            let c = Currency::parse(c).ok()?;
            convert(Money::new(*v, c), *rates.get(&c)?, eur).ok()
        })
        .map(|m| m.minor())
        .sum()
}

impl Market {
    /// The ladder, lowest first.
    pub async fn tier_ladder(&self) -> Result<Vec<TierInput>, MarketError> {
        let rows = self.store.creator_tiers().await?;
        Ok(rules(rows)
            .into_iter()
            .map(|r| TierInput {
                name: r.name,
                min_eur_minor: r.min_eur_minor,
                bonus_bps: r.bonus_bps,
            })
            .collect())
    }

    /// An operator replaces the ladder; tiers are recomputed at once.
    pub async fn set_tier_ladder(
        &self,
        actor: &Actor,
        l: TierLadder,
    ) -> Result<Vec<TierInput>, MarketError> {
        actor.require(Role::Operator)?;
        let rules: Vec<TierRule> = l
            .tiers
            .iter()
            .map(|t| TierRule {
                name: t.name.trim().to_owned(),
                min_eur_minor: t.min_eur_minor,
                bonus_bps: t.bonus_bps,
            })
            .collect();
        check_ladder(&rules)?;
        let rows: Vec<(i64, String, i64, i64)> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (i as i64, r.name.clone(), r.min_eur_minor, r.bonus_bps))
            .collect();
        self.store.set_creator_tiers(&rows).await?;
        self.refresh_tiers().await?;
        self.tier_ladder().await
    }

    /// Recomputes every earning creator's tier and bonus; how many changed.
    pub(crate) async fn refresh_tiers(&self) -> Result<usize, MarketError> {
        let ladder = rules(self.store.creator_tiers().await?);
        let rates = self.rate_table().await?;
        let mut earned: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
        for (creator, currency, amount) in
            self.store.confirmed_since(self.now() - WINDOW_MS).await?
        {
            earned.entry(creator).or_default().push((currency, amount));
        }
        for (creator, _) in self.store.ranked_creators().await? {
            earned.entry(creator).or_default();
        }
        let mut changed = 0;
        for (creator, amounts) in earned {
            let eur = in_euros(&amounts, &rates);
            let Some(rule) = ladder.get(tier_of(&ladder, eur)) else {
                continue;
            };
            self.store
                .set_creator_tier(&creator, &rule.name, rule.bonus_bps, eur)
                .await?;
            changed += 1;
        }
        // The bonus is frozen at sale: new checkouts see it after the caches' few seconds.
        self.inner.connect.creators.clear();
        Ok(changed)
    }

    /// Where a creator stands on the ladder.
    pub(crate) async fn tier_view(
        &self,
        c: &caravan_store::creators::CreatorRecord,
    ) -> Result<TierView, MarketError> {
        let ladder = self.tier_ladder().await?;
        let at = ladder.iter().position(|t| t.name == c.tier).unwrap_or(0);
        Ok(TierView {
            tier: ladder.get(at).map(|t| t.name.clone()).unwrap_or_default(),
            bonus_bps: c.bonus_bps,
            earned_90d: MoneyView::new(c.earned_90d_eur_minor, "EUR"),
            next: ladder.get(at + 1).cloned(),
        })
    }

    /// A month's leaderboard of confirmed sales (creators only), top 20.
    pub async fn leaderboard(
        &self,
        actor: &Actor,
        q: LeaderboardParams,
    ) -> Result<Vec<LeaderView>, MarketError> {
        actor.require(Role::Creator)?;
        let country = q.country.as_deref().map(Country::parse).transpose()?;
        self.creator_board(q.month.as_deref(), country).await
    }

    /// The month's creators by confirmed sales in euros (top 20), of an audience if given.
    pub(crate) async fn creator_board(
        &self,
        month: Option<&str>,
        country: Option<Country>,
    ) -> Result<Vec<LeaderView>, MarketError> {
        let (from, to) = caravan_domain::tier::month_range(month, self.now())?;
        let rates = self.rate_table().await?;
        let mut sales: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
        for (creator, currency, amount) in self.store.confirmed_sales(from, to).await? {
            sales.entry(creator).or_default().push((currency, amount));
        }
        let mut board = Vec::new();
        for (creator, amounts) in sales {
            let Some(c) = self.store.creator_by_id(&creator).await? else {
                continue;
            };
            let audience: Vec<String> = serde_json::from_str(&c.countries).unwrap_or_default();
            if country.is_some_and(|k| !audience.iter().any(|a| a == k.code())) {
                continue;
            }
            board.push((in_euros(&amounts, &rates), c.handle));
        }
        board.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(board
            .into_iter()
            .take(20)
            .enumerate()
            .map(|(i, (eur, handle))| LeaderView {
                rank: i + 1,
                handle,
                sales: MoneyView::new(eur, "EUR"),
            })
            .collect())
    }
}
