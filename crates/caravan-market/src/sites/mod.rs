//! Campaign sites: operators build a site at `/c/{slug}` for a campaign (or on its own) with
//! a theme from the safe palette, a schedule and a page of typed blocks whose texts exist per
//! language; `page` renders it for a visitor, `engagement` runs its polls, quizzes and cheers.

pub mod engagement;
pub mod page;

use crate::accounts::Actor;
use crate::{Code, Market, MarketError};
use caravan_domain::account::{clean_name, Role};
use caravan_domain::catalogue::slug;
use caravan_domain::id::{CategoryId, ProductId, SiteId, TypedId};
use caravan_domain::site::{block_kind, block_texts, theme, Schedule, SiteState, MAX_BLOCKS};
use caravan_domain::{parse_rfc3339, rfc3339, Country, Locale};
use caravan_store::sites::SiteRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A site's title and tagline in one language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteText {
    /// 1 to 120 characters.
    pub title: String,
    /// Up to 200 characters.
    #[serde(default)]
    pub tagline: String,
}

/// A block's title and body in one language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockText {
    /// Up to 120 characters.
    #[serde(default)]
    pub title: String,
    /// Up to 4,000 characters.
    #[serde(default)]
    pub body: String,
}

/// What a block shows, by kind; fields a kind does not use must be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockConfig {
    /// collection: hand-picked `prd_…` ids (1 to 24)…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// …or a rule: a category (and those below it)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// …a ship-from country…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_from: Option<String>,
    /// …or the campaign's deals.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub campaign_deals: bool,
    /// poll: `pol_…` of this site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<String>,
    /// quiz: `qui_…` of this site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz: Option<String>,
    /// cheers: the teams (country codes, 2 to 32).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
}

/// One block of a site's page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    /// hero, text, collection, posts, deals, meter, poll, quiz, cheers or leaderboard.
    pub kind: String,
    /// Per locale (missing ones fall back to English, then to any).
    #[serde(default)]
    pub texts: BTreeMap<String, BlockText>,
    /// What it shows.
    #[serde(default)]
    pub config: BlockConfig,
}

/// A site to create or rewrite.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    /// `/c/{slug}` (1 to 60 of a-z, 0-9 and -); fixed once created.
    pub slug: String,
    /// glacier, aurora, ember, pine or midnight.
    pub theme: String,
    /// Per locale; English is required.
    pub texts: BTreeMap<String, SiteText>,
    /// The festival campaign it belongs to (`cmp_…` or slug), if any.
    #[serde(default)]
    pub campaign: Option<String>,
    /// The cause whose meter it shows (`cau_…` or slug), if any.
    #[serde(default)]
    pub cause: Option<String>,
    /// `/media/img_…` from the image upload.
    #[serde(default)]
    pub logo: Option<String>,
    /// `/media/img_…` from the image upload.
    #[serde(default)]
    pub hero: Option<String>,
    /// RFC 3339: visible from (before: 404).
    pub visible_from: String,
    /// RFC 3339: the live window opens…
    pub live_from: String,
    /// RFC 3339: …and closes.
    pub live_until: String,
    /// RFC 3339: archived from here (410).
    pub archived_after: String,
    /// The page's blocks, in order (at most 24).
    #[serde(default)]
    pub blocks: Vec<BlockInput>,
}

/// A site anyone may open now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteLink {
    /// `/c/{slug}`.
    pub slug: String,
    /// In the caller's language.
    pub title: String,
    /// In the caller's language.
    pub tagline: String,
    /// upcoming | live | ended.
    pub state: String,
    /// RFC 3339.
    pub live_from: String,
}

/// A site as operators list it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteSummary {
    /// `sit_…`.
    pub id: String,
    /// `/c/{slug}`.
    pub slug: String,
    /// English title.
    pub title: String,
    /// scheduled | upcoming | live | ended | archived.
    pub state: String,
    /// The palette.
    pub theme: String,
    /// RFC 3339.
    pub live_from: String,
    /// RFC 3339.
    pub live_until: String,
    /// Logo image.
    pub logo: Option<String>,
    /// Hero image.
    pub hero: Option<String>,
    /// Blocks on the page.
    pub blocks: Vec<BlockInput>,
    /// Bumped by every edit.
    pub version: i64,
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidSite, message)
}

impl Market {
    /// An operator creates a site.
    pub async fn create_site(
        &self,
        actor: &Actor,
        s: SiteInput,
    ) -> Result<SiteSummary, MarketError> {
        actor.require(Role::Operator)?;
        let id = SiteId::generate().to_string();
        let record = self.site_record(&id, &s, 0).await?;
        self.store.insert_site(&record).await.map_err(|e| match e {
            caravan_store::StoreError::Conflict => bad("a site with this slug exists"),
            other => other.into(),
        })?;
        self.inner.site_links.clear();
        Ok(summary(&record, self.now()))
    }

    /// An operator rewrites a site (its slug stays); `stale` if it changed meanwhile.
    pub async fn update_site(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        s: SiteInput,
    ) -> Result<SiteSummary, MarketError> {
        actor.require(Role::Operator)?;
        let old = self.site_named(id_or_slug).await?;
        if s.slug != old.slug {
            return Err(bad("a site's slug cannot change"));
        }
        let mut record = self.site_record(&old.id, &s, old.created_at).await?;
        self.store.update_site(&record, old.version).await?;
        record.version = old.version + 1;
        self.inner.sites.clear();
        self.inner.site_links.clear();
        Ok(summary(&record, self.now()))
    }

    /// An operator replaces a site's blocks (the console's edits); `stale` if it changed
    /// meanwhile.
    pub async fn set_site_blocks(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        blocks: Vec<BlockInput>,
    ) -> Result<SiteSummary, MarketError> {
        actor.require(Role::Operator)?;
        let mut record = self.site_named(id_or_slug).await?;
        let checked = self
            .checked_blocks(
                &record.id,
                &blocks,
                record.campaign_id.is_some(),
                record.cause_id.is_some(),
            )
            .await?;
        record.blocks = to_json(&checked)?;
        record.updated_at = self.now();
        self.store.update_site(&record, record.version).await?;
        record.version += 1;
        self.inner.sites.clear();
        self.inner.site_links.clear();
        Ok(summary(&record, self.now()))
    }

    /// The sites visitors may open now (visible, not archived), live ones first; read at most
    /// once per two seconds per language.
    pub async fn open_sites(&self, locale: Locale) -> Result<Vec<SiteLink>, MarketError> {
        let now = self.now();
        if let Some(links) = self.inner.site_links.get(locale.code(), now) {
            return Ok((*links).clone());
        }
        let links = self.read_open_sites(locale).await?;
        let shared = std::sync::Arc::new(links.clone());
        self.inner.site_links.put(locale.code(), shared, now);
        Ok(links)
    }

    async fn read_open_sites(&self, locale: Locale) -> Result<Vec<SiteLink>, MarketError> {
        let now = self.now();
        let mut out = Vec::new();
        for s in self.store.sites().await? {
            let state = schedule_of(&s).state(now);
            if matches!(state, SiteState::Scheduled | SiteState::Archived) {
                continue;
            }
            let texts = texts_of(&s);
            let list: Vec<(Locale, &SiteText)> = texts
                .iter()
                .filter_map(|(l, t)| Some((Locale::parse(l).ok()?, t)))
                .collect();
            let text = caravan_domain::locale::pick(&list, locale, Locale::En);
            out.push(SiteLink {
                slug: s.slug.clone(),
                title: text.map_or_else(|| s.slug.clone(), |t| t.title.clone()),
                tagline: text.map(|t| t.tagline.clone()).unwrap_or_default(),
                state: state.as_str().to_owned(),
                live_from: rfc3339(s.live_from),
            });
        }
        out.sort_by_key(|l| l.state != "live");
        Ok(out)
    }

    /// An operator sets a site's logo or hero image (`which`: logo | hero) to an uploaded
    /// picture's address, or removes it (`None`).
    pub async fn set_site_picture(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        which: &str,
        url: Option<&str>,
    ) -> Result<SiteSummary, MarketError> {
        actor.require(Role::Operator)?;
        let mut record = self.site_named(id_or_slug).await?;
        let picture = image(url)?;
        match which {
            "logo" => record.logo = picture,
            "hero" => record.hero = picture,
            _ => return Err(bad("a site's picture is its logo or its hero image")),
        }
        record.updated_at = self.now();
        self.store.update_site(&record, record.version).await?;
        record.version += 1;
        self.inner.sites.clear();
        Ok(summary(&record, self.now()))
    }

    /// Every site (operators).
    pub async fn sites(&self, actor: &Actor) -> Result<Vec<SiteSummary>, MarketError> {
        actor.require(Role::Operator)?;
        let now = self.now();
        Ok(self
            .store
            .sites()
            .await?
            .iter()
            .map(|s| summary(s, now))
            .collect())
    }

    /// One site as its editor sees it (operators).
    pub async fn site_for_editing(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<SiteSummary, MarketError> {
        actor.require(Role::Operator)?;
        Ok(summary(&self.site_named(id).await?, self.now()))
    }

    pub(crate) async fn site_named(&self, id_or_slug: &str) -> Result<SiteRecord, MarketError> {
        self.store
            .site(id_or_slug)
            .await?
            .ok_or_else(|| MarketError::not_found("site"))
    }

    /// The checked record of a site.
    async fn site_record(
        &self,
        id: &str,
        s: &SiteInput,
        created: i64,
    ) -> Result<SiteRecord, MarketError> {
        let at = |v: &str| parse_rfc3339(v).ok_or_else(|| bad("instants are RFC 3339"));
        let schedule = Schedule {
            visible_from: at(&s.visible_from)?,
            live_from: at(&s.live_from)?,
            live_until: at(&s.live_until)?,
            archived_after: at(&s.archived_after)?,
        }
        .check()?;
        let campaign = match &s.campaign {
            Some(c) => Some(
                self.campaign_named(c)
                    .await
                    .map_err(|_| bad("no such campaign"))?
                    .id,
            ),
            None => None,
        };
        let cause = match &s.cause {
            Some(c) => Some(
                self.cause_named(c)
                    .await
                    .map_err(|_| bad("no such cause"))?
                    .id,
            ),
            None => None,
        };
        let blocks = self
            .checked_blocks(id, &s.blocks, campaign.is_some(), cause.is_some())
            .await?;
        let now = self.now();
        Ok(SiteRecord {
            id: id.to_owned(),
            slug: slug(&s.slug).map_err(|_| bad("a slug has 1 to 60 of a-z, 0-9 and -"))?,
            theme: theme(&s.theme)?.to_owned(),
            logo: image(s.logo.as_deref())?,
            hero: image(s.hero.as_deref())?,
            campaign_id: campaign,
            cause_id: cause,
            visible_from: schedule.visible_from,
            live_from: schedule.live_from,
            live_until: schedule.live_until,
            archived_after: schedule.archived_after,
            texts: to_json(&site_texts(&s.texts)?)?,
            blocks: to_json(&blocks)?,
            version: 0,
            created_at: if created == 0 { now } else { created },
            updated_at: now,
        })
    }

    /// Each block checked against its kind, with its texts cleaned.
    async fn checked_blocks(
        &self,
        site: &str,
        blocks: &[BlockInput],
        has_campaign: bool,
        has_cause: bool,
    ) -> Result<Vec<BlockInput>, MarketError> {
        if blocks.len() > MAX_BLOCKS {
            return Err(bad("a site has at most 24 blocks"));
        }
        let mut out = Vec::with_capacity(blocks.len());
        for b in blocks {
            let kind = block_kind(&b.kind)?;
            let raw = b
                .texts
                .iter()
                .map(|(l, t)| (l.clone(), (t.title.clone(), t.body.clone())))
                .collect();
            let texts = block_texts(&raw)?
                .into_iter()
                .map(|(l, t)| {
                    (
                        l.code().to_owned(),
                        BlockText {
                            title: t.title,
                            body: t.body,
                        },
                    )
                })
                .collect();
            let config = self
                .checked_config(site, kind, &b.config, has_campaign, has_cause)
                .await?;
            out.push(BlockInput {
                kind: kind.to_owned(),
                texts,
                config,
            });
        }
        Ok(out)
    }

    /// A block's settings, checked for its kind.
    async fn checked_config(
        &self,
        site: &str,
        kind: &str,
        c: &BlockConfig,
        has_campaign: bool,
        has_cause: bool,
    ) -> Result<BlockConfig, MarketError> {
        let used = |k: &str| -> bool {
            match k {
                "collection" => c.poll.is_none() && c.quiz.is_none() && c.teams.is_empty(),
                "poll" => c.poll.is_some() && c.quiz.is_none() && c.teams.is_empty(),
                "quiz" => c.quiz.is_some() && c.poll.is_none() && c.teams.is_empty(),
                "cheers" => c.poll.is_none() && c.quiz.is_none(),
                _ => *c == BlockConfig::default(),
            }
        };
        let collection_only = c.products.is_empty()
            && c.category.is_none()
            && c.ship_from.is_none()
            && !c.campaign_deals;
        if !used(kind) || (kind != "collection" && !collection_only) {
            return Err(bad("a block's settings do not fit its kind"));
        }
        match kind {
            "collection" => self.checked_collection(c, has_campaign).await,
            "poll" => {
                let p = self
                    .store
                    .poll(c.poll.as_deref().unwrap_or_default())
                    .await?;
                p.filter(|p| p.site_id == site)
                    .ok_or_else(|| bad("no such poll on this site"))?;
                Ok(c.clone())
            }
            "quiz" => {
                let q = self
                    .store
                    .quiz(c.quiz.as_deref().unwrap_or_default())
                    .await?;
                q.filter(|q| q.site_id == site)
                    .ok_or_else(|| bad("no such quiz on this site"))?;
                Ok(c.clone())
            }
            "cheers" => {
                let teams: Vec<String> = c
                    .teams
                    .iter()
                    .map(|t| Country::parse(t).map(|k| k.code().to_owned()))
                    .collect::<Result<_, _>>()?;
                if !(2..=32).contains(&teams.len()) {
                    return Err(bad("cheers name 2 to 32 teams (countries)"));
                }
                Ok(BlockConfig {
                    teams,
                    ..BlockConfig::default()
                })
            }
            "deals" if !has_campaign => Err(bad("a deals block needs the site's campaign")),
            "meter" if !has_cause => Err(bad("a meter block needs the site's cause")),
            _ => Ok(c.clone()),
        }
    }

    /// A collection: 1 to 24 hand-picked products, or a rule.
    async fn checked_collection(
        &self,
        c: &BlockConfig,
        has_campaign: bool,
    ) -> Result<BlockConfig, MarketError> {
        let rule = c.category.is_some() || c.ship_from.is_some() || c.campaign_deals;
        if c.products.is_empty() != rule || c.products.len() > 24 {
            return Err(bad(
                "a collection hand-picks 1 to 24 products, or follows a rule",
            ));
        }
        if c.campaign_deals && !has_campaign {
            return Err(bad("the campaign's deals need the site's campaign"));
        }
        let products = c
            .products
            .iter()
            .map(|p| {
                ProductId::parse(p.trim())
                    .map(|id| id.to_string())
                    .map_err(|_| bad("products by their prd_… id"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(cat) = &c.category {
            let id = CategoryId::parse(cat).map_err(|_| bad("no such category"))?;
            if !self.tree().await?.contains(id.as_str()) {
                return Err(bad("no such category"));
            }
        }
        let ship_from = c.ship_from.as_deref().map(Country::parse).transpose()?;
        Ok(BlockConfig {
            products,
            category: c.category.clone(),
            ship_from: ship_from.map(|k| k.code().to_owned()),
            campaign_deals: c.campaign_deals,
            ..BlockConfig::default()
        })
    }
}

/// The checked texts: English required.
fn site_texts(
    texts: &BTreeMap<String, SiteText>,
) -> Result<BTreeMap<String, SiteText>, MarketError> {
    if !texts.contains_key("en") {
        return Err(bad("a site needs its English title"));
    }
    let mut out = BTreeMap::new();
    for (l, t) in texts {
        let locale = Locale::parse(l).map_err(|_| bad("an unknown language"))?;
        let tagline = if t.tagline.trim().is_empty() {
            String::new()
        } else {
            clean_name(&t.tagline, 200, Code::InvalidSite, "a tagline")?
        };
        let title = clean_name(&t.title, 120, Code::InvalidSite, "a site's title")?;
        out.insert(locale.code().to_owned(), SiteText { title, tagline });
    }
    Ok(out)
}

fn image(v: Option<&str>) -> Result<Option<String>, MarketError> {
    let v = v.map(str::trim).filter(|s| !s.is_empty());
    if v.is_some_and(|b| !b.starts_with("/media/img_") || b.len() > 80) {
        return Err(bad("an image is an uploaded image's /media/img_… address"));
    }
    Ok(v.map(str::to_owned))
}

fn to_json<T: Serialize>(v: &T) -> Result<String, MarketError> {
    serde_json::to_string(v).map_err(|e| MarketError::internal(e.to_string()))
}

pub(crate) fn schedule_of(s: &SiteRecord) -> Schedule {
    Schedule {
        visible_from: s.visible_from,
        live_from: s.live_from,
        live_until: s.live_until,
        archived_after: s.archived_after,
    }
}

pub(crate) fn blocks_of(s: &SiteRecord) -> Vec<BlockInput> {
    serde_json::from_str(&s.blocks).unwrap_or_default()
}

pub(crate) fn texts_of(s: &SiteRecord) -> BTreeMap<String, SiteText> {
    serde_json::from_str(&s.texts).unwrap_or_default()
}

fn summary(s: &SiteRecord, now: i64) -> SiteSummary {
    SiteSummary {
        id: s.id.clone(),
        slug: s.slug.clone(),
        title: texts_of(s)
            .get("en")
            .map(|t| t.title.clone())
            .unwrap_or_default(),
        state: schedule_of(s).state(now).as_str().to_owned(),
        theme: s.theme.clone(),
        live_from: rfc3339(s.live_from),
        live_until: rfc3339(s.live_until),
        logo: s.logo.clone(),
        hero: s.hero.clone(),
        blocks: blocks_of(s),
        version: s.version,
    }
}
