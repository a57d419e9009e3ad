//! Collaborations in the browser: the seller centre publishes briefs and decides on creators'
//! applications (`/seller/collaborations`); creators find briefs, apply and deliver posts
//! (`/creator/collaborations`).

use super::chrome::Chrome;
use super::extract::{CsrfForm, Page, Seller, SignedIn};
use super::i18n::Tr;
use super::seller::parse_price;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::catalogue::ProductListParams;
use caravan_market::connect::collabs::{
    CollabApplyInput, CollabDecisionInput, CollabDeliveryInput, CollabInput, CollabView,
};
use caravan_market::{Code, MarketError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// An application as the pages list it.
struct AppRow {
    creator_id: String,
    handle: String,
    pitch: String,
    state: String,
    label: String,
    post_id: Option<String>,
}

/// A collaboration as the pages show it.
struct CollabRow {
    id: String,
    store_name: String,
    title: String,
    brief: String,
    terms: String,
    places: String,
    ends: String,
    open: bool,
    ended: bool,
    fee: bool,
    products: Vec<(String, String)>,
    apps: Vec<AppRow>,
}

fn row(c: CollabView, tr: Tr, now: i64) -> CollabRow {
    let terms = match (&c.fee, c.rate_bps) {
        (Some(f), _) => tr.t1(
            "collab-terms-fee",
            "fee",
            &tr.money(f.amount_minor, &f.currency),
        ),
        (None, Some(bps)) => tr.t1("collab-terms-rate", "rate", &tr.number(bps, 2)),
        (None, None) => String::new(),
    };
    let ends_ms = caravan_domain::parse_rfc3339(&c.ends_at).unwrap_or(0);
    CollabRow {
        places: format!("{} / {}", c.accepted, c.places),
        ends: tr.datetime(ends_ms),
        ended: now >= ends_ms,
        fee: c.fee.is_some(),
        open: c.open,
        products: c
            .products
            .into_iter()
            .map(|p| {
                let t = if p.title.is_empty() {
                    p.id.clone()
                } else {
                    p.title
                };
                (p.id, t)
            })
            .collect(),
        apps: c
            .applications
            .into_iter()
            .map(|a| AppRow {
                label: tr.t(&format!("collab-state-{}", a.state)),
                creator_id: a.creator_id,
                handle: a.handle,
                pitch: a.pitch,
                state: a.state,
                post_id: a.post_id,
            })
            .collect(),
        id: c.id,
        store_name: c.store_name,
        title: c.title,
        brief: c.brief,
        terms,
    }
}

#[derive(Template)]
#[template(path = "seller_collabs.html")]
struct SellerPage {
    tr: Tr,
    chrome: Chrome,
    products: Vec<(String, String)>,
    collabs: Vec<CollabRow>,
}

/// `GET /seller/collaborations`.
pub async fn seller(page: Page, Seller(actor): Seller) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let params = ProductListParams {
        limit: Some(100),
        ..ProductListParams::default()
    };
    let (own, collabs) = match (
        m.list_own_products(&actor, params, page.prefs.locale).await,
        m.store_collabs(&actor, page.prefs.locale).await,
    ) {
        (Ok(p), Ok(c)) => (p.items, c),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/seller").await,
    };
    let now = m.now_ms();
    let body = SellerPage {
        products: own
            .into_iter()
            .filter(|p| p.status == "published")
            .map(|p| (p.id, p.title))
            .collect(),
        collabs: collabs.into_iter().map(|c| row(c, tr, now)).collect(),
        chrome: page.chrome("/seller/collaborations").await,
        tr,
    };
    page.html(body.render())
}

/// The brief form: products are checkboxes (`product_prd_…`); the value is a percentage for a
/// per-sale brief, an amount in the store's currency for a fee.
#[derive(Debug, Deserialize)]
pub struct BriefForm {
    title: String,
    brief: String,
    kind: String,
    value: String,
    places: String,
    days: String,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

/// `POST /seller/collaborations`.
pub async fn create(
    page: Page,
    Seller(actor): Seller,
    CsrfForm(f): CsrfForm<BriefForm>,
) -> Response {
    let back = "/seller/collaborations";
    let m = &page.state.market;
    let currency = match m.my_merchant(&actor).await {
        Ok(s) if f.kind == "fixed_fee" => s.settlement_currency,
        Ok(_) => "EUR".to_owned(),
        Err(e) => return page.failed(e, back).await,
    };
    let bad = |what: &str| MarketError::new(Code::InvalidCollaboration, what);
    let value =
        parse_price(&f.value, &currency).ok_or_else(|| bad("write a number such as 12 or 30.00"));
    let days: Result<i64, _> = f
        .days
        .trim()
        .parse()
        .map_err(|_| bad("the days it runs are a number"));
    let (value, days) = match (value, days) {
        (Ok(v), Ok(d)) if (1..=180).contains(&d) => (v, d),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, back).await,
        _ => {
            return page
                .failed(bad("a collaboration runs 1 to 180 days"), back)
                .await
        }
    };
    let input = CollabInput {
        title: f.title,
        brief: f.brief,
        locale: Some(page.prefs.locale.code().to_owned()),
        product_ids: f
            .rest
            .keys()
            .filter_map(|k| k.strip_prefix("product_"))
            .map(str::to_owned)
            .collect(),
        kind: f.kind,
        value,
        places: f.places.trim().parse().unwrap_or(0),
        ends_at: caravan_domain::rfc3339(m.now_ms() + days * caravan_market::DAY_MS),
    };
    let r = m.create_collab(&actor, input, page.prefs.locale).await;
    page.done(r.map(|_| ()), back, back).await
}

/// The store's decision on an application.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
}

/// `POST /seller/collaborations/{id}/{creator}`.
pub async fn decide(
    page: Page,
    Seller(actor): Seller,
    Path((id, creator)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Response {
    let back = "/seller/collaborations";
    let d = CollabDecisionInput {
        decision: f.decision,
    };
    let r = page
        .state
        .market
        .decide_collab(&actor, &id, &creator, d)
        .await;
    page.done(r.map(|_| ()), back, back).await
}

#[derive(Template)]
#[template(path = "creator_collabs.html")]
struct CreatorPage {
    tr: Tr,
    chrome: Chrome,
    collabs: Vec<CollabRow>,
    /// Their published posts: (id, first words).
    posts: Vec<(String, String)>,
}

/// `GET /creator/collaborations`.
pub async fn hub(page: Page, SignedIn(actor): SignedIn) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let (collabs, posts) = match (
        m.creator_collabs(&actor, page.prefs.locale).await,
        m.my_posts(&actor, page.prefs.locale).await,
    ) {
        (Ok(c), Ok(p)) => (c, p),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/creator").await,
    };
    let now = m.now_ms();
    let body = CreatorPage {
        collabs: collabs.into_iter().map(|c| row(c, tr, now)).collect(),
        posts: posts
            .into_iter()
            .filter(|p| p.status == "published")
            .map(|p| (p.id, p.text.chars().take(40).collect()))
            .collect(),
        chrome: page.chrome("/creator/collaborations").await,
        tr,
    };
    page.html(body.render())
}

/// The creator's pitch.
#[derive(Debug, Deserialize)]
pub struct PitchForm {
    pitch: String,
}

/// `POST /creator/collaborations/{id}/apply`.
pub async fn apply(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PitchForm>,
) -> Response {
    let back = "/creator/collaborations";
    let a = CollabApplyInput { pitch: f.pitch };
    let r = page.state.market.apply_to_collab(&actor, &id, a).await;
    page.done(r.map(|_| ()), back, back).await
}

/// The post a creator delivers.
#[derive(Debug, Deserialize)]
pub struct DeliveryForm {
    post_id: String,
}

/// `POST /creator/collaborations/{id}/deliver`.
pub async fn deliver(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DeliveryForm>,
) -> Response {
    let back = "/creator/collaborations";
    let d = CollabDeliveryInput { post_id: f.post_id };
    let r = page.state.market.deliver_collab(&actor, &id, d).await;
    page.done(r.map(|_| ()), back, back).await
}
