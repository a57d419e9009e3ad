//! The storefront: home, search and category results with facets, product pages.

use super::chrome::{Card, Chrome};
use super::i18n::Tr;
use super::prefs::Prefs;
use super::session::Session;
use super::{html, not_found};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::search::{SearchFacets, SearchPage, SearchParams};
use caravan_market::ErrorKind;
use serde::Deserialize;

/// Home page.
#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    tr: Tr,
    chrome: Chrome,
    /// The festival in warm-up or live: (slug, name, phase, instant it changes next, label).
    festival: Option<(String, String, String, String, String)>,
    /// Campaign sites open now.
    sites: Vec<caravan_market::sites::SiteLink>,
    roots: Vec<Root>,
    popular: Vec<Card>,
    newest: Vec<Card>,
}

struct Root {
    id: String,
    name: String,
    children: Vec<Root>,
}

/// Product cards from the search index; a node without search shows none (its home page still
/// works), any other failure is the caller's error page.
async fn cards(
    state: &AppState,
    prefs: &Prefs,
    sort: &str,
    limit: i64,
) -> Result<Vec<Card>, caravan_market::MarketError> {
    let params = SearchParams {
        sort: Some(sort.to_owned()),
        limit: Some(limit),
        currency: Some(prefs.currency.clone()),
        ..SearchParams::default()
    };
    match state.market.search(params, prefs.locale).await {
        Ok(page) => Ok(page
            .items
            .iter()
            .map(|i| Card::of(i, Tr::new(prefs.locale)))
            .collect()),
        Err(e) if e.code == caravan_market::Code::SearchUnavailable => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// `GET /`.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
) -> Response {
    let failed = |e| async {
        let page = super::extract::Page::of(&state, &headers, &prefs, &session);
        page.failed(e, "/").await
    };
    let cats = match state.market.categories(prefs.locale).await {
        Ok(cats) => cats,
        Err(e) => return failed(e).await,
    };
    let (popular, newest) = match tokio::try_join!(
        cards(&state, &prefs, "best_selling", 12),
        cards(&state, &prefs, "newest", 12)
    ) {
        Ok(both) => both,
        Err(e) => return failed(e).await,
    };
    let roots = cats
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|r| Root {
            id: r.id.clone(),
            name: r.name.clone(),
            children: cats
                .iter()
                .filter(|c| c.parent_id.as_deref() == Some(r.id.as_str()))
                .map(|c| Root {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    children: Vec::new(),
                })
                .collect(),
        })
        .collect();
    let festival = match state.market.campaigns(prefs.locale).await {
        Ok(all) => all
            .into_iter()
            .find(|c| c.phase == "live" || c.phase == "warm_up")
            .map(|c| festival_banner(c, Tr::new(prefs.locale))),
        Err(e) => return failed(e).await,
    };
    let sites = match state.market.open_sites(prefs.locale).await {
        Ok(all) => all,
        Err(e) => return failed(e).await,
    };
    let page = Home {
        sites,
        festival,
        tr: Tr::new(prefs.locale),
        chrome: Chrome::new(&state.market, &prefs, &session, "/", "").await,
        roots,
        popular,
        newest,
    };
    html(&headers, &prefs, page.render())
}

/// The festival deal on the chosen variant, its prices in the buyer's currency like every other
/// price on the page.
async fn deal_box(
    state: &AppState,
    prefs: &Prefs,
    variant: Option<&str>,
) -> Result<Option<super::festival::DealRow>, caravan_market::MarketError> {
    let Some(variant) = variant else {
        return Ok(None);
    };
    let Some(d) = state.market.deal_on(variant, prefs.locale).await? else {
        return Ok(None);
    };
    let tr = Tr::new(prefs.locale);
    let mut row = super::festival::deal_row(&d, tr);
    for (money, out) in [
        (&d.price, &mut row.price),
        (&d.reference_price, &mut row.reference),
    ] {
        let m = &state.market;
        if let Ok(v) = m
            .display_price(money.amount_minor, &money.currency, &prefs.currency)
            .await
        {
            *out = tr.money(v.amount_minor, &v.currency);
        }
    }
    Ok(Some(row))
}

/// The home page's banner of a festival in warm-up (counting down to its start) or live
/// (counting down to its end).
fn festival_banner(
    c: caravan_market::festival::CampaignView,
    tr: Tr,
) -> (String, String, String, String, String) {
    let (at, key) = if c.phase == "live" {
        (c.ends_at, "fest-ends")
    } else {
        (c.starts_at, "fest-starts")
    };
    let when = super::order::millis(&at)
        .map(|ms| tr.datetime(ms))
        .unwrap_or_default();
    let phase = tr.t(&format!("phase-{}", c.phase));
    (c.slug, c.name, phase, at, tr.t1(key, "when", &when))
}

/// Query of the search page; everything optional and lenient (bad values are ignored).
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    category: Option<String>,
    merchant: Option<String>,
    ship_from: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    min_price: Option<String>,
    max_price: Option<String>,
}

/// Search results page.
#[derive(Template)]
#[template(path = "search.html")]
struct Results {
    tr: Tr,
    chrome: Chrome,
    heading: String,
    summary: String,
    typo: bool,
    cards: Vec<Card>,
    facets: Vec<FacetBox>,
    sorts: Vec<(String, String, bool)>,
    hidden: Vec<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
    page_label: String,
}

struct FacetBox {
    title: String,
    values: Vec<FacetLink>,
}

struct FacetLink {
    label: String,
    href: String,
    count: u64,
    active: bool,
}

const SORTS: [&str; 5] = [
    "relevance",
    "price_asc",
    "price_desc",
    "newest",
    "best_selling",
];
const PAGE_SIZE: i64 = 24;

impl SearchQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("category", &self.category),
            ("merchant", &self.merchant),
            ("ship_from", &self.ship_from),
            ("min_price", &self.min_price),
            ("max_price", &self.max_price),
            ("sort", &self.sort),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                out.push((k, v.clone()));
            }
        }
        out
    }

    /// This query with `changes` applied (an empty value removes the key), page reset unless set.
    fn with(&self, changes: &[(&'static str, &str)]) -> String {
        let mut pairs = self.pairs();
        for (k, v) in changes {
            pairs.retain(|(key, _)| key != k);
            if !v.is_empty() {
                pairs.push((k, (*v).to_owned()));
            }
        }
        format!(
            "/search?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// `GET /search`: results, facets, sort and pages; an empty query browses.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Query(q): Query<SearchQuery>,
) -> Response {
    let tr = Tr::new(prefs.locale);
    let page_no = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 400);
    let sort = q.sort.clone().filter(|s| SORTS.contains(&s.as_str()));
    let text: String = q.q.clone().unwrap_or_default().chars().take(200).collect();
    let params = search_params(&q, &prefs, &text, sort.clone(), page_no);
    let found: SearchPage = match state.market.search(params, prefs.locale).await {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(code = %e.code, "search page: {}", e.message);
            SearchPage {
                total: 0,
                page: page_no,
                limit: PAGE_SIZE as usize,
                typo_tolerant: false,
                items: Vec::new(),
                facets: None,
            }
        }
    };
    let back = q.with(&[]);
    let facets = found
        .facets
        .as_ref()
        .map(|f| facet_boxes(f, &q, found.total, tr))
        .unwrap_or_default();
    let heading = if text.trim().is_empty() {
        tr.t("search-browse")
    } else {
        tr.t1("search-title", "query", text.trim())
    };
    let current_sort = sort.unwrap_or_else(|| "relevance".to_owned());
    let pages = (found.total as i64 + PAGE_SIZE - 1) / PAGE_SIZE;
    let page_text = page_no.to_string();
    let page = Results {
        summary: tr.count("search-results", found.total as i64),
        typo: found.typo_tolerant,
        cards: found.items.iter().map(|i| Card::of(i, tr)).collect(),
        facets,
        sorts: sort_links(&current_sort, tr),
        hidden: q
            .pairs()
            .into_iter()
            .filter(|(k, _)| *k != "sort")
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        prev: (page_no > 1).then(|| q.with(&[("page", &(page_no - 1).to_string())])),
        next: (page_no < pages).then(|| q.with(&[("page", &(page_no + 1).to_string())])),
        page_label: tr.t1("page-of", "page", &page_text),
        chrome: Chrome::new(&state.market, &prefs, &session, &back, &text).await,
        heading,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// What the search page asks the index: the query's filters in the visitor's currency.
fn search_params(
    q: &SearchQuery,
    prefs: &Prefs,
    text: &str,
    sort: Option<String>,
    page_no: i64,
) -> SearchParams {
    SearchParams {
        q: Some(text.to_owned()),
        category: q.category.clone().filter(|c| !c.is_empty()),
        merchant: q.merchant.clone().filter(|c| !c.is_empty()),
        ship_from: q.ship_from.clone().filter(|c| !c.is_empty()),
        min_price: q.min_price.as_deref().and_then(|v| v.parse().ok()),
        max_price: q.max_price.as_deref().and_then(|v| v.parse().ok()),
        currency: Some(prefs.currency.clone()),
        sort,
        page: Some(page_no),
        limit: Some(PAGE_SIZE),
        ..SearchParams::default()
    }
}

/// The sort choices, the current one marked.
fn sort_links(current: &str, tr: Tr) -> Vec<(String, String, bool)> {
    SORTS
        .iter()
        .map(|s| ((*s).to_owned(), tr.t(&format!("sort-{s}")), *s == current))
        .collect()
}

/// The category facet: the top level, and the active category with its children.
fn category_facet(f: &SearchFacets, q: &SearchQuery, total: u64, tr: Tr) -> FacetBox {
    let active_cat = q.category.clone().unwrap_or_default();
    let mut cat_values: Vec<FacetLink> = f
        .categories
        .iter()
        .filter(|c| {
            c.depth == 0
                || c.parent_id.as_deref() == Some(active_cat.as_str())
                || c.id == active_cat
        })
        .map(|c| FacetLink {
            label: c.name.clone(),
            href: q.with(&[("category", &c.id)]),
            count: c.count,
            active: c.id == active_cat,
        })
        .collect();
    if !active_cat.is_empty() {
        cat_values.insert(
            0,
            FacetLink {
                label: tr.t("facet-all"),
                href: q.with(&[("category", "")]),
                count: total,
                active: false,
            },
        );
    }
    FacetBox {
        title: tr.t("facet-categories"),
        values: cat_values,
    }
}

/// The facet boxes beside the results: categories, price, ship-from country, stores.
fn facet_boxes(f: &SearchFacets, q: &SearchQuery, total: u64, tr: Tr) -> Vec<FacetBox> {
    let mut facets = vec![category_facet(f, q, total, tr)];
    let price = f
        .price
        .iter()
        .map(|p| {
            let min = tr.money(p.min.amount_minor, &p.min.currency);
            let (label, max) = match &p.max {
                Some(m) => (
                    tr.t2(
                        "facet-price-range",
                        ("min", &min),
                        ("max", &tr.money(m.amount_minor, &m.currency)),
                    ),
                    (m.amount_minor - 1).to_string(),
                ),
                None => (tr.t1("facet-price-from", "min", &min), String::new()),
            };
            let lo = p.min.amount_minor.to_string();
            FacetLink {
                active: q.min_price.as_deref() == Some(lo.as_str()),
                href: q.with(&[("min_price", &lo), ("max_price", &max)]),
                label,
                count: p.count,
            }
        })
        .collect();
    facets.push(FacetBox {
        title: tr.t("facet-price"),
        values: price,
    });
    facets.push(FacetBox {
        title: tr.t("facet-ship-from"),
        values: f
            .ship_from
            .iter()
            .map(|c| FacetLink {
                label: tr.country(&c.country),
                href: q.with(&[("ship_from", &c.country)]),
                count: c.count,
                active: q.ship_from.as_deref() == Some(c.country.as_str()),
            })
            .collect(),
    });
    facets.push(FacetBox {
        title: tr.t("facet-merchants"),
        values: f
            .merchants
            .iter()
            .take(10)
            .map(|m| FacetLink {
                label: m.name.clone(),
                href: q.with(&[("merchant", &m.id)]),
                count: m.count,
                active: q.merchant.as_deref() == Some(m.id.as_str()),
            })
            .collect(),
    });
    facets
}

/// The chosen variant's price (in the visitor's currency where a rate is known) and stock,
/// and every variant's label for the picker.
async fn prices(
    state: &AppState,
    prefs: &Prefs,
    p: &caravan_market::catalogue::ProductDetail,
    chosen: Option<&caravan_market::catalogue::VariantView>,
    tr: Tr,
) -> (String, String, Vec<(String, String, bool)>) {
    let shown = |minor: i64, currency: &str| {
        let state = state.clone();
        let (currency, to) = (currency.to_owned(), prefs.currency.clone());
        async move {
            match state.market.display_price(minor, &currency, &to).await {
                Ok(m) => tr.money(m.amount_minor, &m.currency),
                Err(_) => tr.money(minor, &currency),
            }
        }
    };
    let (price, stock) = match chosen {
        Some(x) => (
            shown(x.price.amount_minor, &x.price.currency).await,
            if x.stock > 0 {
                tr.count("product-left", x.stock)
            } else {
                tr.t("product-sold-out")
            },
        ),
        None => (String::new(), tr.t("product-sold-out")),
    };
    let mut variants = Vec::new();
    for x in &p.variants {
        let options: Vec<String> = x.options.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let label = format!(
            "{} — {}",
            options.join(", "),
            shown(x.price.amount_minor, &x.price.currency).await
        );
        variants.push((x.id.clone(), label, chosen.is_some_and(|c| c.id == x.id)));
    }
    (price, stock, variants)
}

/// The shipping options to the visitor's country: (method, price or "free", days).
fn shipping_rows(
    quotes: &[caravan_market::pricing::ShippingQuote],
    tr: Tr,
) -> Vec<(String, String, String)> {
    quotes
        .iter()
        .map(|q| {
            (
                tr.t(&format!("method-{}", q.method)),
                if q.price.amount_minor == 0 {
                    tr.t("free")
                } else {
                    tr.money(q.price.amount_minor, &q.price.currency)
                },
                tr.t2(
                    "product-delivery-days",
                    ("min", &q.min_days.to_string()),
                    ("max", &q.max_days.to_string()),
                ),
            )
        })
        .collect()
}

/// What a product page shows around the product: the live deal on the chosen variant, the
/// shipping quotes to the visitor (none where the display currency has no rate yet) and the
/// creators' posts tagging it.
async fn around(
    state: &AppState,
    prefs: &Prefs,
    product: &str,
    chosen: Option<&caravan_market::catalogue::VariantView>,
    tr: Tr,
) -> Result<
    (
        Option<super::festival::DealRow>,
        Vec<caravan_market::pricing::ShippingQuote>,
        Vec<super::posts::PostCard>,
    ),
    caravan_market::MarketError,
> {
    let deal = deal_box(state, prefs, chosen.map(|c| c.id.as_str())).await?;
    let m = &state.market;
    let quotes = match m
        .shipping_quote(product, &prefs.country, &prefs.currency)
        .await
    {
        Ok(q) => q,
        Err(e) if e.kind() == ErrorKind::Internal => return Err(e),
        Err(_) => Vec::new(),
    };
    let posts = super::posts::cards(m.product_posts(product, prefs.locale).await?, tr);
    Ok((deal, quotes, posts))
}

/// Product page.
#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    tr: Tr,
    chrome: Chrome,
    href: String,
    title: String,
    initial: String,
    crumbs: Vec<(String, String)>,
    images: Vec<String>,
    price: String,
    stock: String,
    variants: Vec<(String, String, bool)>,
    chosen: Option<String>,
    delivery_heading: String,
    no_delivery: String,
    shipping: Vec<(String, String, String)>,
    ships_from: String,
    merchant: String,
    merchant_country: String,
    description: String,
    attributes: Vec<(String, String)>,
    /// The festival deal on the chosen variant, if one is live.
    deal: Option<super::festival::DealRow>,
    /// When the text is a machine translation: the note and the link to the other text.
    translation: Option<TranslationNote>,
    /// Creators' posts tagging it.
    posts: Vec<super::posts::PostCard>,
    /// "10 % of this sale supports Learn to swim": (cause slug, the sentence).
    charity: Option<(String, String)>,
}

/// "Automatically translated · show original", or the original with "show translation".
struct TranslationNote {
    note: String,
    link: String,
    href: String,
}

/// The text a product page shows: the translation (with a note linking the original) or, when
/// asked, the merchant's original (with a note linking back).
fn shown_text(
    p: &caravan_market::catalogue::ProductDetail,
    v: &VariantQuery,
    href: &str,
    tr: Tr,
) -> (String, String, Option<TranslationNote>) {
    let variant = v
        .variant
        .as_deref()
        .map(|x| format!("variant={x}&"))
        .unwrap_or_default();
    match (&p.original, v.original.is_some()) {
        (Some(o), true) => {
            let language = super::chrome::LANGUAGES
                .iter()
                .find(|(code, _)| *code == o.locale)
                .map_or(o.locale.as_str(), |(_, name)| name);
            let note = TranslationNote {
                note: tr.t1("product-original-text", "language", language),
                link: tr.t("product-show-translation"),
                href: format!("{href}?{}", variant.trim_end_matches('&')),
            };
            (o.title.clone(), o.description.clone(), Some(note))
        }
        (Some(_), false) => {
            let note = TranslationNote {
                note: tr.t("product-machine-translated"),
                link: tr.t("product-show-original"),
                href: format!("{href}?{variant}original=1"),
            };
            (p.title.clone(), p.description.clone(), Some(note))
        }
        (None, _) => (p.title.clone(), p.description.clone(), None),
    }
}

/// What a store gives of each sale, as its product page says it.
fn sale_pledge(c: &caravan_market::charity::SalePledgeView, tr: Tr) -> (String, String) {
    let text = match &c.per_unit {
        Some(m) => tr.t2(
            "product-pledge-per-unit",
            ("amount", &tr.money(m.amount_minor, &m.currency)),
            ("cause", &c.cause_name),
        ),
        None => tr.t2(
            "product-pledge-percent",
            ("share", &(tr.number(c.value, 2) + " %")),
            ("cause", &c.cause_name),
        ),
    };
    (c.cause_slug.clone(), text)
}

/// Which variant the picker shows.
#[derive(Debug, Default, Deserialize)]
pub struct VariantQuery {
    variant: Option<String>,
    /// Show the merchant's original text instead of the machine translation.
    original: Option<String>,
}

/// `GET /p/{id}`.
pub async fn product(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Query(v): Query<VariantQuery>,
) -> Response {
    let tr = Tr::new(prefs.locale);
    let href = format!("/p/{id}");
    let p = match state.market.product(&id, prefs.locale).await {
        Ok(p) => p,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Invalid) => {
            return not_found(&state, &headers, &prefs, &session).await
        }
        Err(e) => {
            let page = super::extract::Page::of(&state, &headers, &prefs, &session);
            return page.failed(e, "/").await;
        }
    };
    let chosen = v
        .variant
        .as_deref()
        .and_then(|want| p.variants.iter().find(|x| x.id == want))
        .or_else(|| p.variants.iter().find(|x| x.stock > 0))
        .or(p.variants.first());
    let (price, stock, variants) = prices(&state, &prefs, &p, chosen, tr).await;
    let (deal, quotes, posts) = match around(&state, &prefs, &p.id, chosen, tr).await {
        Ok(x) => x,
        Err(e) => {
            let page = super::extract::Page::of(&state, &headers, &prefs, &session);
            return page.failed(e, &href).await;
        }
    };
    let destination = tr.country(&prefs.country);
    let (title, description, translation) = shown_text(&p, &v, &href, tr);
    let page = ProductPage {
        charity: p.charity.as_ref().map(|c| sale_pledge(c, tr)),
        posts,
        translation,
        deal,
        href,
        initial: p.title.chars().next().map(String::from).unwrap_or_default(),
        crumbs: p
            .category
            .path
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        images: p.images.clone(),
        price,
        stock,
        chosen: chosen.filter(|c| c.stock > 0).map(|c| c.id.clone()),
        variants,
        delivery_heading: tr.t1("product-delivery", "country", &destination),
        no_delivery: tr.t1("product-no-delivery", "country", &destination),
        shipping: shipping_rows(&quotes, tr),
        ships_from: tr.t1(
            "product-ships-from",
            "country",
            &tr.country(&p.ship_from_country),
        ),
        merchant: p.merchant.store_name.clone(),
        merchant_country: tr.country(&p.merchant.country),
        description,
        attributes: p
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        title,
        chrome: Chrome::new(&state.market, &prefs, &session, &format!("/p/{id}"), "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}
