//! The seller centre's listing completeness: which products lack a text in one of the eight
//! languages (or show a machine translation the merchant may correct), images, an HS code, or
//! shipping to the marketplace's top destinations, each with a link to fix it.

use super::chrome::{Chrome, LANGUAGES};
use super::extract::{Page, Seller};
use super::i18n::Tr;
use askama::Template;
use axum::response::Response;
use caravan_market::catalogue::completeness::ListingGaps;

/// One product's row.
struct Row {
    id: String,
    title: String,
    /// (code, name) of languages without a text.
    missing: Vec<(String, String)>,
    /// (code, name) of machine-translated languages.
    machine: Vec<(String, String)>,
    queued: i64,
    no_images: bool,
    no_hs_code: bool,
    /// Country names.
    no_shipping_to: String,
}

#[derive(Template)]
#[template(path = "completeness.html")]
struct CompletenessPage {
    tr: Tr,
    chrome: Chrome,
    summary: String,
    destinations: String,
    rows: Vec<Row>,
}

fn named(codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| {
            let name = LANGUAGES
                .iter()
                .find(|(code, _)| code == c)
                .map_or(c.as_str(), |(_, n)| n);
            (c.clone(), name.to_owned())
        })
        .collect()
}

fn row(g: &ListingGaps, tr: Tr) -> Row {
    Row {
        id: g.id.clone(),
        title: g.title.clone(),
        missing: named(&g.missing_languages),
        machine: named(&g.machine_languages),
        queued: i64::try_from(g.queued_languages.len()).unwrap_or(i64::MAX),
        no_images: g.no_images,
        no_hs_code: g.no_hs_code,
        no_shipping_to: g
            .no_shipping_to
            .iter()
            .map(|c| tr.country(c))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `GET /seller/completeness`.
pub async fn page(page: Page, Seller(actor): Seller) -> Response {
    let tr = page.tr();
    let c = match page.state.market.listing_completeness(&actor).await {
        Ok(c) => c,
        Err(e) => return page.failed(e, "/seller").await,
    };
    let body = CompletenessPage {
        summary: tr.t2(
            "completeness-summary",
            ("complete", &c.complete.to_string()),
            ("total", &c.products.to_string()),
        ),
        destinations: tr.t1(
            "completeness-destinations",
            "countries",
            &c.destinations
                .iter()
                .map(|d| tr.country(d))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        rows: c.items.iter().map(|g| row(g, tr)).collect(),
        chrome: page.chrome("/seller/completeness").await,
        tr,
    };
    page.html(body.render())
}
