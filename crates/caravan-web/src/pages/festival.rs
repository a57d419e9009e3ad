//! The festival in the browser: a campaign's page with its deals (struck-through reference
//! price, the discount, a countdown, % claimed); the seller centre's enrolment of deals; the
//! operator console's campaigns and the deals waiting for a decision.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Operator, Page, Seller};
use super::i18n::Tr;
use super::seller::parse_price;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::catalogue::ProductListParams;
use caravan_market::festival::{CampaignInput, CampaignText, CampaignView, DealInput, DealView};
use caravan_market::{ErrorKind, MarketError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A deal as the pages show it.
pub(crate) struct DealRow {
    pub id: String,
    pub product_id: String,
    pub variant_id: String,
    pub campaign: String,
    pub title: String,
    pub price: String,
    pub reference: String,
    pub off: String,
    pub claimed: String,
    pub claimed_percent: i64,
    pub ends: String,
    pub ends_iso: String,
    pub limit: String,
    pub sold_out: bool,
    pub status: String,
}

/// A deal's row in `tr`'s language.
pub(crate) fn deal_row(d: &DealView, tr: Tr) -> DealRow {
    DealRow {
        id: d.id.clone(),
        product_id: d.product_id.clone(),
        variant_id: d.variant_id.clone(),
        campaign: d.campaign_id.clone(),
        title: d.title.clone(),
        price: tr.money(d.price.amount_minor, &d.price.currency),
        reference: tr.money(d.reference_price.amount_minor, &d.reference_price.currency),
        off: tr.t1("fest-off", "percent", &(d.discount_bps / 100).to_string()),
        claimed: tr.t1("fest-claimed", "percent", &d.claimed_percent.to_string()),
        claimed_percent: d.claimed_percent,
        ends: tr.t1("fest-ends", "when", &when(tr, &d.ends_at)),
        ends_iso: d.ends_at.clone(),
        limit: tr.t1("fest-limit", "count", &d.per_buyer.to_string()),
        sold_out: d.sold_out,
        status: tr.t(&format!("status-{}", d.status)),
    }
}

/// An RFC 3339 instant in `tr`'s language (UTC on the server; the script shows local time).
pub(crate) fn when(tr: Tr, rfc3339: &str) -> String {
    super::order::millis(rfc3339)
        .map(|ms| tr.datetime(ms))
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "festival.html")]
struct FestivalPage {
    tr: Tr,
    chrome: Chrome,
    c: CampaignView,
    phase: String,
    starts: String,
    ends: String,
    zone: String,
    deals: Vec<DealRow>,
    coupons: Vec<super::coupons::CouponRow>,
    /// (merchant id, "Store: −5% on orders from €0.00").
    store_discounts: Vec<(String, String)>,
    signed_in: bool,
}

/// `GET /festival/{slug}`.
pub async fn campaign(page: Page, Path(slug): Path<String>) -> Response {
    let c = match page.state.market.campaign(&slug, page.prefs.locale).await {
        Ok(c) => c,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => return page.failed(e, "/").await,
    };
    let tr = page.tr();
    let actor = page.session.0.as_ref();
    let coupons = match page.state.market.campaign_coupons(&c.id, actor).await {
        Ok(all) => all
            .iter()
            .map(|k| super::coupons::coupon_row(k, tr))
            .collect(),
        Err(e) => return page.failed(e, "/").await,
    };
    let store_discounts = match page.state.market.campaign_store_discounts(&c.id).await {
        Ok(all) => all.iter().map(|d| store_discount_line(d, tr)).collect(),
        Err(e) => return page.failed(e, "/").await,
    };
    let body = FestivalPage {
        coupons,
        store_discounts,
        signed_in: actor.is_some(),
        phase: tr.t(&format!("phase-{}", c.phase)),
        starts: tr.t1("fest-starts", "when", &when(tr, &c.starts_at)),
        ends: tr.t1("fest-ends", "when", &when(tr, &c.ends_at)),
        zone: tr.t1("fest-zone", "zone", &c.time_zone),
        deals: c.deals.iter().map(|d| deal_row(d, tr)).collect(),
        chrome: page.chrome(&format!("/festival/{slug}")).await,
        c,
        tr,
    };
    page.html(body.render())
}

/// A store's discount on the campaign page: (merchant id, "Store: −5% on orders from €0.00").
fn store_discount_line(
    d: &caravan_market::festival::StoreDiscountBadge,
    tr: Tr,
) -> (String, String) {
    let percent = format!("−{}%", d.percent_bps as f64 / 100.0);
    let min = tr.money(d.min_spend.amount_minor, &d.min_spend.currency);
    let off = tr.t2("store-discount-off", ("percent", &percent), ("min", &min));
    (d.merchant_id.clone(), format!("{}: {off}", d.store_name))
}

/// A campaign as the seller centre and the console list it.
struct CampaignRow {
    id: String,
    slug: String,
    name: String,
    phase: String,
    window: String,
    rules: String,
    min_units: i64,
}

fn campaign_row(c: &CampaignView, tr: Tr) -> CampaignRow {
    let off = tr.t1(
        "fest-off",
        "percent",
        &(c.min_discount_bps / 100).to_string(),
    );
    CampaignRow {
        id: c.id.clone(),
        slug: c.slug.clone(),
        name: c.name.clone(),
        phase: tr.t(&format!("phase-{}", c.phase)),
        window: format!("{} – {}", when(tr, &c.starts_at), when(tr, &c.ends_at)),
        rules: format!("{off} · {}", c.min_units),
        min_units: c.min_units,
    }
}

#[derive(Template)]
#[template(path = "seller_festival.html")]
struct SellerFestival {
    tr: Tr,
    chrome: Chrome,
    campaigns: Vec<CampaignRow>,
    variants: Vec<(String, String)>,
    deals: Vec<DealRow>,
    discounts: Vec<super::store_discounts::StoreDiscountRow>,
    price_label: String,
    min_spend_label: String,
}

/// `GET /seller/festival`: campaigns taking enrolments, the form, the store's deals.
pub async fn seller(page: Page, Seller(actor): Seller) -> Response {
    match seller_page(&page, &actor).await {
        Ok(body) => page.html(body.render()),
        Err(e) => page.failed(e, "/seller").await,
    }
}

async fn seller_page(page: &Page, actor: &Actor) -> Result<SellerFestival, MarketError> {
    let m = &page.state.market;
    let tr = page.tr();
    let locale = page.prefs.locale;
    let open = ["enrolment", "warm_up", "live"];
    let campaigns = m.campaigns(locale).await?;
    let currency = m.my_merchant(actor).await?.settlement_currency;
    let params = ProductListParams {
        limit: Some(100),
        ..ProductListParams::default()
    };
    let mut variants = Vec::new();
    for p in m.list_own_products(actor, params, locale).await?.items {
        for v in m.own_product(actor, &p.id, locale).await?.variants {
            variants.push((v.id, format!("{} · {}", p.title, v.sku)));
        }
    }
    Ok(SellerFestival {
        campaigns: campaigns
            .iter()
            .filter(|c| open.contains(&c.phase.as_str()))
            .map(|c| campaign_row(c, tr))
            .collect(),
        variants,
        deals: m
            .my_deals(actor, locale)
            .await?
            .iter()
            .map(|d| deal_row(d, tr))
            .collect(),
        discounts: super::store_discounts::rows(m, actor, &campaigns, tr).await?,
        price_label: tr.t1("field-deal-price", "currency", &currency),
        min_spend_label: tr.t1("field-store-min-spend", "currency", &currency),
        chrome: page.chrome("/seller/festival").await,
        tr,
    })
}

/// The enrolment form.
#[derive(Debug, Deserialize)]
pub struct DealForm {
    campaign_id: String,
    variant_id: String,
    price: String,
    cap: i64,
    per_buyer: i64,
    slot_from: Option<String>,
    slot_to: Option<String>,
}

/// A `datetime-local` value (`2026-11-11T00:00`, read as UTC) in RFC 3339; empty is none.
pub(crate) fn utc(local: Option<String>) -> Option<String> {
    let v = local?.trim().to_owned();
    if v.is_empty() {
        return None;
    }
    Some(if v.len() == 16 {
        format!("{v}:00Z")
    } else {
        format!("{v}Z")
    })
}

/// `POST /seller/festival/deals`.
pub async fn enrol(page: Page, Seller(actor): Seller, CsrfForm(f): CsrfForm<DealForm>) -> Response {
    let back = "/seller/festival";
    let m = &page.state.market;
    let currency = match m.my_merchant(&actor).await {
        Ok(s) => s.settlement_currency,
        Err(e) => return page.message(&e.message, back).await,
    };
    let Some(price_minor) = parse_price(&f.price, &currency) else {
        let text = page.tr().t1("field-deal-price", "currency", &currency);
        return page.message(&text, back).await;
    };
    let d = DealInput {
        campaign_id: f.campaign_id,
        variant_id: f.variant_id,
        price_minor,
        cap: f.cap,
        per_buyer: f.per_buyer,
        slot_from: utc(f.slot_from),
        slot_to: utc(f.slot_to),
    };
    let r = m.enrol_deal(&actor, d, page.prefs.locale).await;
    page.done(r.map(|_| ()), back, back).await
}

#[derive(Template)]
#[template(path = "admin_festival.html")]
struct AdminFestival {
    tr: Tr,
    chrome: Chrome,
    campaigns: Vec<CampaignRow>,
    pending: Vec<DealRow>,
    promotions: Vec<super::promotions::PromoRow>,
    /// (slug, name) of the campaigns that have not ended: the promotion form's choices.
    open: Vec<(String, String)>,
    languages: Vec<(&'static str, &'static str)>,
}

/// `GET /admin/festival`: the deals waiting for a decision, the campaigns, the new-campaign form.
pub async fn console(page: Page, Operator(actor): Operator) -> Response {
    match console_page(&page, &actor).await {
        Ok(body) => page.html(body.render()),
        Err(e) => page.failed(e, "/admin").await,
    }
}

async fn console_page(page: &Page, actor: &Actor) -> Result<AdminFestival, MarketError> {
    let m = &page.state.market;
    let tr = page.tr();
    let locale = page.prefs.locale;
    let campaigns = m.campaigns(locale).await?;
    let mut pending = Vec::new();
    for c in campaigns.iter().filter(|c| c.phase != "ended") {
        for d in m.campaign_deals(actor, &c.id, locale).await? {
            if d.status == "pending" {
                let mut row = deal_row(&d, tr);
                row.campaign = c.name.clone();
                pending.push(row);
            }
        }
    }
    Ok(AdminFestival {
        promotions: super::promotions::promo_rows(m, actor, &campaigns, tr).await?,
        open: campaigns
            .iter()
            .filter(|c| c.phase != "ended")
            .map(|c| (c.slug.clone(), c.name.clone()))
            .collect(),
        languages: super::chrome::LANGUAGES.to_vec(),
        campaigns: campaigns.iter().map(|c| campaign_row(c, tr)).collect(),
        pending,
        chrome: page.chrome("/admin/festival").await,
        tr,
    })
}

/// The new-campaign form: enrolment opens now, warm-up a day before the start.
#[derive(Debug, Deserialize)]
pub struct CampaignForm {
    slug: String,
    name: String,
    time_zone: String,
    starts_at: String,
    ends_at: String,
    min_discount: i64,
    min_units: i64,
}

/// `POST /admin/festival/campaigns`.
pub async fn create(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> Response {
    let back = "/admin/festival";
    let (Some(starts), Some(ends)) = (utc(Some(f.starts_at)), utc(Some(f.ends_at))) else {
        return page.message(&page.tr().t("field-starts"), back).await;
    };
    let now = page.state.market.now_ms();
    let start_ms = caravan_domain::parse_rfc3339(&starts).unwrap_or_default();
    let warmup_ms = (start_ms - 24 * 60 * 60 * 1000).max(now).min(start_ms);
    let warmup = caravan_domain::rfc3339(warmup_ms);
    let c = CampaignInput {
        slug: f.slug,
        time_zone: f.time_zone,
        texts: BTreeMap::from([(
            "en".to_owned(),
            CampaignText {
                name: f.name,
                description: String::new(),
            },
        )]),
        enrol_from: caravan_domain::rfc3339(now.min(warmup_ms)),
        warmup_at: warmup,
        starts_at: starts,
        ends_at: ends,
        min_discount_bps: f.min_discount.saturating_mul(100),
        min_units: f.min_units,
        categories: Vec::new(),
        ship_from: Vec::new(),
        banner: None,
    };
    let r = page
        .state
        .market
        .create_campaign(&actor, c, page.prefs.locale)
        .await;
    page.done(r.map(|_| ()), back, back).await
}

/// The approve / reject buttons.
#[derive(Debug, Deserialize)]
pub struct VerdictForm {
    decision: String,
}

/// `POST /admin/festival/deals/{id}/decision`.
pub async fn decide(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<VerdictForm>,
) -> Response {
    let back = "/admin/festival";
    let d: Result<caravan_market::festival::DealDecision, _> =
        serde_json::from_value(serde_json::json!({ "decision": f.decision }));
    let Ok(d) = d else {
        return page.message("unknown decision", back).await;
    };
    let r = page
        .state
        .market
        .decide_deal(&actor, &id, d, page.prefs.locale)
        .await;
    page.done(r.map(|_| ()), back, back).await
}
