//! Store discounts in the seller centre: the form that gives a percentage off the whole store
//! while a campaign is live, the store's discounts and the button that withdraws one.

use super::extract::{CsrfForm, NoFields, Page, Seller};
use super::i18n::Tr;
use super::seller::parse_price;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::festival::{CampaignView, StoreDiscountInput};
use caravan_market::{Market, MarketError};
use serde::Deserialize;

/// A store discount as the seller centre lists it.
pub(crate) struct StoreDiscountRow {
    pub id: String,
    pub campaign: String,
    /// "−10% from €20.00".
    pub off: String,
    pub status: String,
    pub active: bool,
}

/// The acting store's discounts, with their campaigns' names.
pub(crate) async fn rows(
    m: &Market,
    actor: &Actor,
    campaigns: &[CampaignView],
    tr: Tr,
) -> Result<Vec<StoreDiscountRow>, MarketError> {
    Ok(m.my_store_discounts(actor)
        .await?
        .into_iter()
        .map(|d| {
            let percent = format!("−{}%", d.percent_bps as f64 / 100.0);
            let min = tr.money(d.min_spend.amount_minor, &d.min_spend.currency);
            StoreDiscountRow {
                campaign: campaigns
                    .iter()
                    .find(|c| c.id == d.campaign_id)
                    .map_or_else(|| d.campaign_id.clone(), |c| c.name.clone()),
                off: tr.t2("store-discount-off", ("percent", &percent), ("min", &min)),
                active: d.status == "active",
                status: tr.t(&format!("store-discount-{}", d.status)),
                id: d.id,
            }
        })
        .collect())
}

/// The store-discount form: a percentage ("12,5") and a minimum spend in the store's currency.
#[derive(Debug, Deserialize)]
pub struct StoreDiscountForm {
    campaign_id: String,
    percent: String,
    #[serde(default)]
    min_spend: String,
}

/// `POST /seller/festival/store-discounts`.
pub async fn create(
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<StoreDiscountForm>,
) -> Response {
    let back = "/seller/festival";
    let m = &page.state.market;
    let currency = match m.my_merchant(&actor).await {
        Ok(s) => s.settlement_currency,
        Err(e) => return page.message(&e.message, back).await,
    };
    // A percentage has two decimals, like basis points: "12,5" is 1250.
    let Some(percent_bps) = parse_price(&f.percent, "EUR") else {
        return page
            .message(&page.tr().t("field-store-discount"), back)
            .await;
    };
    let min_spend_minor = if f.min_spend.trim().is_empty() {
        0
    } else {
        match parse_price(&f.min_spend, &currency) {
            Some(v) => v,
            None => return page.message(&page.tr().t("field-min-spend"), back).await,
        }
    };
    let d = StoreDiscountInput {
        campaign_id: f.campaign_id,
        percent_bps,
        min_spend_minor,
    };
    let r = m.create_store_discount(&actor, d).await;
    page.done(r.map(|_| ()), back, back).await
}

/// `POST /seller/festival/store-discounts/{id}/withdraw`.
pub async fn withdraw(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let back = "/seller/festival";
    let r = page.state.market.withdraw_store_discount(&actor, &id).await;
    page.done(r, back, back).await
}
