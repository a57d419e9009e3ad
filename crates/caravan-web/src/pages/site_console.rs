//! The operators' console for campaign sites: the list with a form to create one, and each
//! site's editor — blocks in order (move, remove, add, their text per language), its polls and
//! quizzes, and a preview of the page outside its schedule.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Operator, Page};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_domain::site::{BLOCK_KINDS, THEMES};
use caravan_market::accounts::Actor;
use caravan_market::sites::engagement::{OptionInput, PollInput};
use caravan_market::sites::{BlockConfig, BlockInput, BlockText, SiteInput, SiteSummary, SiteText};
use caravan_market::MarketError;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "admin_sites.html")]
struct ListPage {
    tr: Tr,
    chrome: Chrome,
    sites: Vec<SiteSummary>,
    themes: Vec<&'static str>,
    /// (slug, name) of campaigns and of causes.
    campaigns: Vec<(String, String)>,
    causes: Vec<(String, String)>,
}

/// `GET /admin/sites`.
pub async fn list(page: Page, Operator(actor): Operator) -> Response {
    let m = &page.state.market;
    let locale = page.prefs.locale;
    let (sites, campaigns, causes) = match (
        m.sites(&actor).await,
        m.campaigns(locale).await,
        m.causes(locale).await,
    ) {
        (Ok(s), Ok(c), Ok(k)) => (s, c, k),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page.failed(e, "/admin").await,
    };
    let tr = page.tr();
    let body = ListPage {
        sites,
        themes: THEMES.to_vec(),
        campaigns: campaigns.into_iter().map(|c| (c.slug, c.name)).collect(),
        causes: causes.into_iter().map(|c| (c.slug, c.name)).collect(),
        chrome: page.chrome("/admin/sites").await,
        tr,
    };
    page.html(body.render())
}

/// The new-site form; instants are the operator's `datetime-local` values, read as UTC.
#[derive(Debug, Deserialize)]
pub struct NewSiteForm {
    slug: String,
    title: String,
    theme: String,
    campaign: String,
    cause: String,
    visible_from: String,
    live_from: String,
    live_until: String,
    archived_after: String,
}

fn utc(local: &str) -> String {
    let t = local.trim();
    if t.len() == 16 {
        format!("{t}:00Z")
    } else {
        t.to_owned()
    }
}

/// `POST /admin/sites`: a site with a hero block to start from.
pub async fn create(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<NewSiteForm>,
) -> Response {
    let some = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let hero = BlockInput {
        kind: "hero".into(),
        ..BlockInput::default()
    };
    let input = SiteInput {
        slug: f.slug.trim().to_owned(),
        theme: f.theme,
        texts: BTreeMap::from([(
            "en".to_owned(),
            SiteText {
                title: f.title,
                tagline: String::new(),
            },
        )]),
        campaign: some(f.campaign),
        cause: some(f.cause),
        logo: None,
        hero: None,
        visible_from: utc(&f.visible_from),
        live_from: utc(&f.live_from),
        live_until: utc(&f.live_until),
        archived_after: utc(&f.archived_after),
        blocks: vec![hero],
    };
    let r = page.state.market.create_site(&actor, input).await;
    match r {
        Ok(s) => super::session::see_other(&format!("/admin/sites/{}", s.slug), &[]),
        Err(e) => page.message(&e.message, "/admin/sites").await,
    }
}

/// A block as the editor lists it.
struct BlockLine {
    kind: String,
    title: String,
    languages: String,
    config: String,
}

#[derive(Template)]
#[template(path = "admin_site.html")]
struct EditPage {
    tr: Tr,
    chrome: Chrome,
    site: SiteSummary,
    state: String,
    /// (logo | hero, label, the current picture).
    pictures: Vec<(&'static str, String, Option<String>)>,
    blocks: Vec<BlockLine>,
    kinds: Vec<&'static str>,
    /// (id, kind, English text).
    engagements: Vec<(String, String, String)>,
    languages: Vec<(&'static str, &'static str)>,
}

/// `GET /admin/sites/{slug}`.
pub async fn edit(page: Page, Operator(actor): Operator, Path(slug): Path<String>) -> Response {
    let m = &page.state.market;
    let (site, engagements) = match (
        m.site_for_editing(&actor, &slug).await,
        m.engagements(&actor, &slug).await,
    ) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/admin/sites").await,
    };
    let tr = page.tr();
    let blocks = site
        .blocks
        .iter()
        .map(|b| BlockLine {
            kind: b.kind.clone(),
            title: b
                .texts
                .get("en")
                .or_else(|| b.texts.values().next())
                .map(|t| t.title.clone())
                .unwrap_or_default(),
            languages: b.texts.keys().cloned().collect::<Vec<_>>().join(" "),
            config: serde_json::to_string(&b.config).unwrap_or_default(),
        })
        .collect();
    let body = EditPage {
        pictures: vec![
            ("logo", tr.t("admin-sites-logo"), site.logo.clone()),
            ("hero", tr.t("admin-sites-hero"), site.hero.clone()),
        ],
        state: tr.t(&format!("site-state-{}", site.state)),
        blocks,
        kinds: BLOCK_KINDS.to_vec(),
        engagements,
        languages: super::chrome::LANGUAGES.to_vec(),
        chrome: page.chrome(&format!("/admin/sites/{slug}")).await,
        site,
        tr,
    };
    page.html(body.render())
}

/// One edit of the block list: `move` (with `to` up | down), `remove`, `text` (with a
/// language's title and body) or `add` (a kind, English texts and its settings).
#[derive(Debug, Deserialize)]
pub struct BlockForm {
    action: String,
    index: Option<usize>,
    to: Option<String>,
    kind: Option<String>,
    locale: Option<String>,
    title: Option<String>,
    body: Option<String>,
    products: Option<String>,
    category: Option<String>,
    ship_from: Option<String>,
    campaign_deals: Option<String>,
    poll: Option<String>,
    quiz: Option<String>,
    teams: Option<String>,
}

/// `POST /admin/sites/{slug}/blocks`.
pub async fn edit_blocks(
    page: Page,
    Operator(actor): Operator,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<BlockForm>,
) -> Response {
    let back = format!("/admin/sites/{slug}");
    let r = apply_edit(&page, &actor, &slug, f).await;
    page.done(r, &back, &back).await
}

async fn apply_edit(
    page: &Page,
    actor: &Actor,
    slug: &str,
    f: BlockForm,
) -> Result<(), MarketError> {
    let m = &page.state.market;
    let mut blocks = m.site_for_editing(actor, slug).await?.blocks;
    let at = f.index.filter(|i| *i < blocks.len());
    match (f.action.as_str(), at) {
        ("move", Some(i)) => {
            let j = if f.to.as_deref() == Some("up") {
                i.checked_sub(1)
            } else {
                Some(i + 1)
            };
            if let Some(j) = j.filter(|j| *j < blocks.len()) {
                blocks.swap(i, j);
            }
        }
        ("remove", Some(i)) => {
            blocks.remove(i);
        }
        ("text", Some(i)) => {
            let locale = f.locale.clone().unwrap_or_else(|| "en".into());
            let text = BlockText {
                title: f.title.clone().unwrap_or_default(),
                body: f.body.clone().unwrap_or_default(),
            };
            if text.title.trim().is_empty() && text.body.trim().is_empty() {
                blocks[i].texts.remove(&locale);
            } else {
                blocks[i].texts.insert(locale, text);
            }
        }
        ("add", _) => blocks.push(new_block(&f)),
        _ => {}
    }
    m.set_site_blocks(actor, slug, blocks).await.map(|_| ())
}

fn new_block(f: &BlockForm) -> BlockInput {
    let some = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let list = |s: &Option<String>| -> Vec<String> {
        s.as_deref()
            .unwrap_or_default()
            .split([',', ' '])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut texts = BTreeMap::new();
    let text = BlockText {
        title: f.title.clone().unwrap_or_default(),
        body: f.body.clone().unwrap_or_default(),
    };
    if !text.title.trim().is_empty() || !text.body.trim().is_empty() {
        texts.insert(f.locale.clone().unwrap_or_else(|| "en".into()), text);
    }
    BlockInput {
        kind: f.kind.clone().unwrap_or_default(),
        texts,
        config: BlockConfig {
            products: list(&f.products),
            category: some(&f.category),
            ship_from: some(&f.ship_from),
            campaign_deals: f.campaign_deals.is_some(),
            poll: some(&f.poll),
            quiz: some(&f.quiz),
            teams: list(&f.teams),
        },
    }
}

/// The new-poll form: the English question, one option per line, the close.
#[derive(Debug, Deserialize)]
pub struct PollForm {
    kind: String,
    question: String,
    options: String,
    closes_at: String,
}

/// `POST /admin/sites/{slug}/polls`: options are keyed a, b, c… in order.
pub async fn create_poll(
    page: Page,
    Operator(actor): Operator,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<PollForm>,
) -> Response {
    let back = format!("/admin/sites/{slug}");
    let options = f
        .options
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .zip(b'a'..=b'z')
        .map(|(label, key)| OptionInput {
            key: char::from(key).to_string(),
            texts: BTreeMap::from([("en".to_owned(), label.to_owned())]),
        })
        .collect();
    let input = PollInput {
        kind: f.kind,
        texts: BTreeMap::from([("en".to_owned(), f.question)]),
        options,
        closes_at: utc(&f.closes_at),
    };
    let r = page.state.market.create_poll(&actor, &slug, input).await;
    page.done(r.map(|_| ()), &back, &back).await
}

/// `POST /admin/sites/{slug}/pictures/{which}` (multipart): an uploaded file becomes the site's
/// logo or hero image.
pub async fn upload_picture(
    page: Page,
    Operator(actor): Operator,
    Path((slug, which)): Path<(String, String)>,
    mut form: axum::extract::Multipart,
) -> Response {
    let back = format!("/admin/sites/{slug}");
    let (csrf, file) = match super::listing::upload_fields(&mut form).await {
        Ok(fields) => fields,
        Err(text) => return page.message(&text, &back).await,
    };
    if let Some(r) = super::session::check_csrf(&page.prefs, &csrf) {
        return r;
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return page.message(&page.tr().t("upload-choose"), &back).await;
    };
    let m = &page.state.market;
    let r = match m.upload_site_image(&actor, file.to_vec()).await {
        Ok(img) => {
            m.set_site_picture(&actor, &slug, &which, Some(&img.url))
                .await
        }
        Err(e) => Err(e),
    };
    page.done(r.map(|_| ()), &back, &back).await
}
