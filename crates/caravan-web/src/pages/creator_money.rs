//! The creator hub's money (Connect): earnings by currency and state, what can be paid out now
//! and the hold, the latest commissions, payouts, and the creator's code and payout currency.

use super::extract::{CsrfForm, Page, SignedIn};
use super::i18n::Tr;
use super::session::see_other;
use axum::response::Response;
use caravan_market::connect::earnings::{CreatorSettings, EarningsView};
use caravan_market::connect::tiers::{TierInput, TierLadder};
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::{Market, MarketError};
use rand::RngCore;
use serde::Deserialize;

/// A commission's row: order, state label, state, amount, how it came, when.
pub struct CommissionRow {
    pub order: String,
    pub state: String,
    pub state_label: String,
    pub amount: String,
    pub source: String,
    pub when: String,
}

/// The money panel of the hub.
pub struct HubMoney {
    /// (currency, pending, confirmed, available, reversed), formatted.
    pub lines: Vec<(String, String, String, String, String)>,
    pub payable: String,
    pub hold: String,
    pub paid: Vec<String>,
    pub commissions: Vec<CommissionRow>,
    /// The payout form's idempotency key.
    pub key: String,
    pub code: String,
    pub payout_currency: String,
    /// "Tier: Rising (+0.50% …)" and what the next one takes.
    pub tier: String,
    pub next_tier: Option<String>,
    /// This month's leaderboard: (rank, handle, sales).
    pub leaders: Vec<(usize, String, String)>,
    /// The last 30 days as bars: (x, y, height, "day: amount").
    pub chart: Vec<(i64, i64, i64, String)>,
}

/// Bars of the daily earnings, 12 px apart, scaled to 80 px for the best day.
fn chart(e: &EarningsView, tr: Tr) -> Vec<(i64, i64, i64, String)> {
    let top = e
        .daily
        .iter()
        .map(|d| d.earned.amount_minor)
        .max()
        .unwrap_or(0)
        .max(1);
    e.daily
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = (d.earned.amount_minor.max(0) * 80 / top).max(1);
            let label = format!("{}: {}", d.day, tr.money(d.earned.amount_minor, "EUR"));
            (i as i64 * 12, 90 - h, h, label)
        })
        .collect()
}

/// The acting creator's money, formatted for `tr`.
pub async fn hub_money(
    m: &Market,
    actor: &caravan_market::accounts::Actor,
    tr: Tr,
) -> Result<HubMoney, MarketError> {
    let e = m.creator_earnings(actor).await?;
    let settings = m.creator_settings(actor).await?;
    let board = m.leaderboard(actor, Default::default()).await?;
    let t = &e.tier;
    let mut key = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut key);
    Ok(HubMoney {
        lines: lines(&e, tr),
        payable: tr.t2(
            "creator-payable",
            (
                "amount",
                &tr.money(e.payable.amount_minor, &e.payable.currency),
            ),
            (
                "minimum",
                &tr.money(e.payout_minimum.amount_minor, &e.payout_minimum.currency),
            ),
        ),
        hold: tr.t1("creator-hold", "days", &e.hold_days.to_string()),
        paid: e
            .paid
            .iter()
            .map(|p| tr.money(p.amount_minor, &p.currency))
            .collect(),
        commissions: commission_rows(&e, tr),
        chart: chart(&e, tr),
        key: hex::encode(key),
        code: settings.code.unwrap_or_default(),
        payout_currency: settings.payout_currency,
        tier: tr.tn(
            "creator-tier",
            &[
                ("tier", &t.tier),
                ("bonus", &tr.number(t.bonus_bps, 2)),
                ("earned", &tr.money(t.earned_90d.amount_minor, "EUR")),
            ],
        ),
        next_tier: t.next.as_ref().map(|n| {
            tr.t2(
                "creator-tier-next",
                ("tier", &n.name),
                ("amount", &tr.money(n.min_eur_minor, "EUR")),
            )
        }),
        leaders: board
            .into_iter()
            .map(|l| {
                (
                    l.rank,
                    l.handle,
                    tr.money(l.sales.amount_minor, &l.sales.currency),
                )
            })
            .collect(),
    })
}

/// The latest 20 commissions as rows.
fn commission_rows(e: &EarningsView, tr: Tr) -> Vec<CommissionRow> {
    e.commissions
        .iter()
        .take(20)
        .map(|c| CommissionRow {
            order: c.order_id.clone(),
            state_label: tr.t(&format!("creator-state-{}", c.state)),
            state: c.state.clone(),
            amount: tr.money(c.amount.amount_minor, &c.amount.currency),
            source: tr.t(&format!("creator-source-{}", c.source)),
            when: super::order::millis(&c.created_at)
                .map(|ms| tr.datetime(ms))
                .unwrap_or_default(),
        })
        .collect()
}

fn lines(e: &EarningsView, tr: Tr) -> Vec<(String, String, String, String, String)> {
    e.by_currency
        .iter()
        .map(|l| {
            let f =
                |v: &caravan_market::catalogue::MoneyView| tr.money(v.amount_minor, &v.currency);
            (
                l.currency.clone(),
                f(&l.pending),
                f(&l.confirmed),
                f(&l.available),
                f(&l.reversed),
            )
        })
        .collect()
}

/// The payout form (its key makes a double submit pay once).
#[derive(Debug, Deserialize)]
pub struct PayoutForm {
    key: IdempotencyKey,
}

/// `POST /creator/payout`: everything available, in the payout currency.
pub async fn payout(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<PayoutForm>,
) -> Response {
    let hash = format!("page:creator-payout:{}", f.key.as_str());
    let m = &page.state.market;
    match m.request_creator_payout(&actor, &f.key, &hash).await {
        Ok(r) if r.status < 300 => see_other("/creator?paid=1", &[]),
        Ok(r) => {
            let text = super::replay_error(&r.body, "payout failed");
            page.message(&text, "/creator").await
        }
        Err(e) => page.message(&e.message, "/creator").await,
    }
}

/// The settings form.
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    code: String,
    payout_currency: String,
}

/// `POST /creator/settings`.
pub async fn settings(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Response {
    let s = CreatorSettings {
        code: Some(f.code),
        payout_currency: Some(f.payout_currency.trim().to_uppercase()),
    };
    let r = page.state.market.set_creator_settings(&actor, s).await;
    page.done(r.map(|_| ()), "/creator", "/creator").await
}

/// The console's tier form: `name_i`, `from_i` (euros), `bonus_i` (percent) for each row; rows
/// without a name are left out.
#[derive(Debug, Deserialize)]
pub struct TiersForm {
    #[serde(flatten)]
    fields: std::collections::BTreeMap<String, String>,
}

/// The ladder the form describes, or why not.
fn ladder(f: &TiersForm) -> Result<Vec<TierInput>, MarketError> {
    let bad = || {
        MarketError::new(
            caravan_market::Code::InvalidTiers,
            "write each threshold in euros and each bonus as a percentage",
        )
    };
    let mut tiers = Vec::new();
    for i in 0..8 {
        let field = |k: &str| {
            f.fields
                .get(&format!("{k}_{i}"))
                .map(|v| v.trim().to_owned())
        };
        let Some(name) = field("name").filter(|n| !n.is_empty()) else {
            continue;
        };
        let from = field("from").unwrap_or_default();
        let bonus = field("bonus").unwrap_or_default();
        tiers.push(TierInput {
            name,
            min_eur_minor: super::seller::parse_price(&from, "EUR").ok_or_else(bad)?,
            bonus_bps: super::seller::parse_price(&bonus, "EUR").ok_or_else(bad)?,
        });
    }
    Ok(tiers)
}

/// `POST /admin/tiers`.
pub async fn set_tiers(
    page: Page,
    super::extract::Operator(actor): super::extract::Operator,
    CsrfForm(f): CsrfForm<TiersForm>,
) -> Response {
    let r = match ladder(&f) {
        Ok(tiers) => page
            .state
            .market
            .set_tier_ladder(&actor, TierLadder { tiers })
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    page.done(r, "/admin/creators", "/admin/creators").await
}
