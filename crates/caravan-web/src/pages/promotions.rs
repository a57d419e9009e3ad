//! Pop-up promotions in the browser: the dismiss button of a notice (a cookie, no script), and
//! the operator console's list of a campaign's promotions with the form that schedules one and
//! the button that withdraws one.

use super::chrome::LANGUAGES;
use super::extract::{CsrfForm, Operator, Page};
use super::festival::{utc, when};
use super::i18n::Tr;
use super::prefs::is_secure;
use super::session::{local, see_other};
use axum::extract::Path;
use axum::response::Response;
use caravan_domain::id::{PromotionId, TypedId};
use caravan_market::accounts::Actor;
use caravan_market::festival::{CampaignView, PromotionInput};
use caravan_market::{Market, MarketError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The dismiss button's form.
#[derive(Debug, Deserialize)]
pub struct DismissForm {
    back: Option<String>,
}

/// `POST /promotions/{id}/dismiss`: the notice no longer shows to this visitor (a cookie);
/// back to the page they were on.
pub async fn dismiss(
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DismissForm>,
) -> Response {
    if PromotionId::parse(&id).is_err() {
        return page.message(&page.tr().t("promo-unknown"), "/").await;
    }
    let cookie = page.prefs.dismiss_cookie(&id, is_secure(&page.headers));
    see_other(&local(f.back), &[cookie])
}

/// A promotion in the console.
pub(crate) struct PromoRow {
    pub id: String,
    pub campaign: String,
    pub kind: String,
    pub text: String,
    pub window: String,
    pub audience: String,
    pub status: String,
    pub withdrawable: bool,
}

/// The promotions of the campaigns that have not ended, for the console.
pub(crate) async fn promo_rows(
    m: &Market,
    actor: &Actor,
    campaigns: &[CampaignView],
    tr: Tr,
) -> Result<Vec<PromoRow>, MarketError> {
    let mut rows = Vec::new();
    for c in campaigns.iter().filter(|c| c.phase != "ended") {
        for p in m.campaign_promotions(actor, &c.id, tr.locale).await? {
            let mut audience: Vec<String> = p.countries.iter().map(|c| tr.country(c)).collect();
            audience.extend(p.locales.iter().cloned());
            rows.push(PromoRow {
                campaign: c.name.clone(),
                kind: tr.t(&format!("promo-kind-{}", p.kind)),
                window: format!("{} – {}", when(tr, &p.shows_from), when(tr, &p.shows_to)),
                audience: if audience.is_empty() {
                    tr.t("promo-everyone")
                } else {
                    audience.join(", ")
                },
                withdrawable: p.status == "scheduled" || p.status == "showing",
                status: tr.t(&format!("promo-status-{}", p.status)),
                text: p.text,
                id: p.id,
            });
        }
    }
    Ok(rows)
}

/// The schedule form: texts per language (English required), comma-separated countries.
#[derive(Debug, Deserialize)]
pub struct PromotionForm {
    campaign_id: String,
    kind: String,
    shows_from: String,
    shows_to: String,
    #[serde(default)]
    countries: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    link: String,
    #[serde(flatten)]
    texts: BTreeMap<String, String>,
}

/// `POST /admin/festival/promotions`.
pub async fn create(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<PromotionForm>,
) -> Response {
    let back = "/admin/festival";
    let texts: BTreeMap<String, String> = LANGUAGES
        .iter()
        .filter_map(|(code, _)| {
            let t = f.texts.get(&format!("text_{code}"))?.trim();
            (!t.is_empty()).then(|| ((*code).to_owned(), t.to_owned()))
        })
        .collect();
    let p = PromotionInput {
        kind: f.kind,
        shows_from: utc(Some(f.shows_from)).unwrap_or_default(),
        shows_to: utc(Some(f.shows_to)).unwrap_or_default(),
        countries: f
            .countries
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
        locales: Some(f.locale)
            .filter(|l| !l.is_empty())
            .into_iter()
            .collect(),
        texts,
        link: Some(f.link).filter(|l| !l.trim().is_empty()),
    };
    let r = page
        .state
        .market
        .create_promotion(&actor, &f.campaign_id, p, page.prefs.locale)
        .await;
    page.done(r.map(|_| ()), back, back).await
}

/// `POST /admin/festival/promotions/{id}/withdraw`.
pub async fn withdraw(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<DismissForm>,
) -> Response {
    let back = "/admin/festival";
    let r = page.state.market.withdraw_promotion(&actor, &id).await;
    page.done(r, back, back).await
}
