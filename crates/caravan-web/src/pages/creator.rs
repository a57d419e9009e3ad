//! Connect in the browser (first part): the creator hub at `/creator` (apply; then share
//! tracking links and see their clicks) and the operator's review of creators.

use super::chrome::{Chrome, LANGUAGES};
use super::extract::{CsrfForm, Operator, Page, SignedIn};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::connect::{CreatorApplication, CreatorView, LinkInput};
use caravan_market::{ErrorKind, MarketError};
use serde::Deserialize;

/// A link's row: share URL, what it leads to, clicks.
struct LinkRow {
    url: String,
    target: String,
    clicks: i64,
    orders: i64,
    /// Orders per click, as a percentage.
    conversion: String,
}

#[derive(Template)]
#[template(path = "creator.html")]
struct Hub {
    tr: Tr,
    chrome: Chrome,
    /// None: not applied yet (the form shows).
    creator: Option<CreatorView>,
    status: String,
    links: Vec<LinkRow>,
    languages: [(&'static str, &'static str); 8],
    /// Earnings, payouts and settings (approved creators).
    money: Option<super::creator_money::HubMoney>,
    /// Their posts, hidden ones too.
    posts: Vec<super::posts::PostCard>,
}

/// `GET /creator`.
pub async fn hub(page: Page, SignedIn(actor): SignedIn) -> Response {
    let m = &page.state.market;
    let tr = page.tr();
    let creator = match m.my_creator(&actor).await {
        Ok(c) => Some(c),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return page.failed(e, "/").await,
    };
    let approved = creator.as_ref().is_some_and(|c| c.status == "approved");
    let (links, money, posts) = if approved {
        let money = super::creator_money::hub_money(m, &actor, tr).await;
        let posts = m.my_posts(&actor, page.prefs.locale).await;
        match (m.my_links(&actor).await, money, posts) {
            (Ok(l), Ok(money), Ok(posts)) => (l, Some(money), super::posts::cards(posts, tr)),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page.failed(e, "/").await,
        }
    } else {
        (Vec::new(), None, Vec::new())
    };
    let origin = origin(&page);
    let body = Hub {
        status: creator
            .as_ref()
            .map(|c| tr.t(&format!("status-{}", c.status)))
            .unwrap_or_default(),
        links: links
            .into_iter()
            .map(|l| LinkRow {
                url: format!("{origin}{}", l.path),
                target: match l.target_kind.as_str() {
                    "product" => format!("/p/{}", l.target_id),
                    _ => tr.t("creator-link-campaign"),
                },
                clicks: l.clicks,
                orders: l.orders,
                conversion: tr.number(l.conversion_bps, 2) + " %",
            })
            .collect(),
        creator,
        money,
        posts,
        languages: LANGUAGES,
        chrome: page.chrome("/creator").await,
        tr,
    };
    page.html(body.render())
}

/// `scheme://host` of this request, for links to share.
fn origin(page: &Page) -> String {
    let host = page
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if super::prefs::is_secure(&page.headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The application form: languages are checkboxes (`lang_xx`), countries comma-separated.
#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    handle: String,
    countries: String,
    link: Option<String>,
    pitch: String,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

/// `POST /creator/apply`.
pub async fn apply(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<ApplyForm>,
) -> Response {
    let a = CreatorApplication {
        handle: f.handle,
        languages: f
            .rest
            .keys()
            .filter_map(|k| k.strip_prefix("lang_"))
            .map(str::to_owned)
            .collect(),
        countries: f
            .countries
            .split(',')
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
        links: f
            .link
            .filter(|l| !l.trim().is_empty())
            .into_iter()
            .collect(),
        pitch: f.pitch,
    };
    let r = page.state.market.apply_to_create(&actor, a).await;
    page.done(r.map(|_| ()), "/creator", "/creator").await
}

/// The new-link form.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    target: String,
}

/// `POST /creator/links`.
pub async fn create_link(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<LinkForm>,
) -> Response {
    let target = f.target.trim().trim_start_matches("/p/").to_owned();
    let r = page
        .state
        .market
        .create_link(&actor, LinkInput { target })
        .await;
    page.done(r.map(|_| ()), "/creator", "/creator").await
}

#[derive(Template)]
#[template(path = "admin_creators.html")]
struct Review {
    tr: Tr,
    chrome: Chrome,
    /// (id, handle, what, status, status label).
    rows: Vec<(String, String, String, String, String)>,
    /// Refused self-referrals: (when, creator, buyer, reason, how).
    flags: Vec<(String, String, String, String, String)>,
    /// Recent posts, hidden ones too.
    posts: Vec<super::posts::PostCard>,
    /// The tier ladder as the form shows it: (name, from in euros, bonus in percent), and one
    /// empty row to add a tier.
    tiers: Vec<(String, String, String)>,
}

/// `GET /admin/creators`: applications first, then approved and suspended creators.
pub async fn review(page: Page, Operator(actor): Operator) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let mut rows = Vec::new();
    for status in ["pending", "approved", "suspended"] {
        let listed: Result<_, MarketError> =
            m.list_creators(&actor, Some(status), None, Some(100)).await;
        match listed {
            Ok(p) => rows.extend(p.items.into_iter().map(|c| {
                let what = format!(
                    "{} · {} · {}",
                    c.languages.join(", "),
                    c.countries.join(", "),
                    c.pitch
                );
                let label = tr.t(&format!("status-{}", c.status));
                (c.id, c.handle, what, c.status, label)
            })),
            Err(e) => return page.failed(e, "/admin").await,
        }
    }
    let (flags, posts) = match (
        m.referral_flags(&actor).await,
        m.moderation_posts(&actor).await,
    ) {
        (Ok(f), Ok(p)) => (f, super::posts::cards(p, tr)),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/admin").await,
    };
    let flags = flag_rows(&flags, &rows, tr);
    let mut tiers: Vec<(String, String, String)> = match m.tier_ladder().await {
        Ok(l) => l
            .into_iter()
            .map(|t| {
                (
                    t.name,
                    tr.number(t.min_eur_minor, 2),
                    tr.number(t.bonus_bps, 2),
                )
            })
            .collect(),
        Err(e) => return page.failed(e, "/admin").await,
    };
    if tiers.len() < 8 {
        tiers.push(Default::default());
    }
    let body = Review {
        tiers,
        posts,
        flags,
        rows,
        chrome: page.chrome("/admin/creators").await,
        tr,
    };
    page.html(body.render())
}

/// Refused self-referrals as rows: (when, creator, buyer, reason, how).
fn flag_rows(
    flags: &[caravan_market::connect::earnings::ReferralFlagView],
    rows: &[(String, String, String, String, String)],
    tr: Tr,
) -> Vec<(String, String, String, String, String)> {
    let handle = |id: &str| {
        rows.iter()
            .find(|r| r.0 == id)
            .map_or_else(|| id.to_owned(), |r| format!("@{}", r.1))
    };
    flags
        .iter()
        .map(|f| {
            let when = super::order::millis(&f.created_at)
                .map(|ms| tr.datetime(ms))
                .unwrap_or_default();
            let reason = tr.t(&format!("referral-{}", f.reason.replace('_', "-")));
            let how = format!(
                "{} {}",
                tr.t(&format!("creator-source-{}", f.source)),
                f.reference
            );
            (when, handle(&f.creator_id), f.buyer_id.clone(), reason, how)
        })
        .collect()
}

/// `POST /admin/creators/{id}/decision`.
pub async fn decide(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<super::admin::DecisionForm>,
) -> Response {
    let Some(d) = f.decision() else {
        return page.message("unknown decision", "/admin/creators").await;
    };
    let r = page.state.market.decide_creator(&actor, &id, d).await;
    page.done(r.map(|_| ()), "/admin/creators", "/admin/creators")
        .await
}

#[derive(Template)]
#[template(path = "creator_profile.html")]
struct Profile {
    tr: Tr,
    chrome: Chrome,
    creator: caravan_market::connect::PublicCreator,
    /// Language names.
    languages: String,
    /// Country names.
    countries: String,
    /// Their published posts, newest first.
    posts: Vec<super::posts::PostCard>,
    /// The next page of posts.
    next: Option<String>,
}

/// `GET /@{handle}`: an approved creator's public page (others are the 404 page).
pub async fn profile(
    page: Page,
    Path(handle): Path<String>,
    axum::extract::Query(q): axum::extract::Query<super::posts::FeedQuery>,
) -> Response {
    let tr = page.tr();
    let creator = match page.state.market.public_creator(&handle).await {
        Ok(c) => c,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => return page.failed(e, "/").await,
    };
    let languages = creator
        .languages
        .iter()
        .map(|l| {
            LANGUAGES
                .iter()
                .find(|(code, _)| code == l)
                .map_or(l.clone(), |(_, n)| (*n).to_owned())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let countries = creator
        .countries
        .iter()
        .map(|c| tr.country(c))
        .collect::<Vec<_>>()
        .join(", ");
    let m = &page.state.market;
    let found = match m
        .creator_posts(&handle, q.cursor.as_deref(), Some(12), page.prefs.locale)
        .await
    {
        Ok(f) => f,
        Err(e) => return page.failed(e, "/").await,
    };
    let body = Profile {
        next: found
            .next_cursor
            .map(|c| format!("/@{}?cursor={c}", creator.handle)),
        posts: super::posts::cards(found.items, tr),
        chrome: page.chrome(&format!("/@{}", creator.handle)).await,
        creator,
        languages,
        countries,
        tr,
    };
    page.html(body.render())
}
