//! A campaign site as a visitor sees it: invisible before its schedule opens (404), archived
//! after it (410 `site_archived`), operators' previews excepted; each block resolved in the
//! visitor's language with fallback (English, then any) — products, deals, posts, the meter,
//! polls, quizzes, cheers, the creators' leaderboard. What is the same for every visitor is
//! kept two seconds per site, language and currency; a signed-in visitor's own vote and quiz
//! result are read on top.

use super::engagement::{CheerView, PollView, QuizView};
use super::{blocks_of, schedule_of, texts_of, BlockInput};
use crate::accounts::Actor;
use crate::catalogue::{MoneyView, ProductListParams};
use crate::charity::meter::MeterView;
use crate::connect::posts::{FeedParams, PostView};
use crate::connect::tiers::LeaderView;
use crate::festival::DealView;
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::locale::pick;
use caravan_domain::site::SiteState;
use caravan_domain::{rfc3339, Country, Currency, Locale};
use caravan_store::sites::SiteRecord;
use serde::Serialize;
use std::sync::Arc;

/// A product card in a collection.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CardView {
    /// `prd_…`.
    pub id: String,
    /// In the visitor's language.
    pub title: String,
    /// First image.
    pub image: Option<String>,
    /// Cheapest variant, the store's currency.
    pub price: MoneyView,
}

/// A block resolved for a visitor; the fields its kind does not use are empty.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct BlockView {
    /// The block's kind.
    pub kind: String,
    /// Title in the visitor's language (fallback English, then any).
    pub title: String,
    /// Body likewise.
    pub body: String,
    /// hero: RFC 3339 instant the countdown runs to (the live window's start, else its end).
    pub countdown_to: Option<String>,
    /// hero: starts | ends.
    pub countdown: Option<String>,
    /// collection.
    pub products: Vec<CardView>,
    /// deals.
    pub deals: Vec<DealView>,
    /// posts.
    pub posts: Vec<PostView>,
    /// meter.
    pub meter: Option<MeterView>,
    /// poll.
    pub poll: Option<PollView>,
    /// quiz.
    pub quiz: Option<QuizView>,
    /// cheers: teams, most cheered first (every team listed).
    pub cheers: Vec<CheerView>,
    /// leaderboard: this month's creators.
    pub leaders: Vec<LeaderView>,
}

/// A campaign site's page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SitePageView {
    /// `sit_…`.
    pub id: String,
    /// `/c/{slug}`.
    pub slug: String,
    /// In the visitor's language.
    pub title: String,
    /// In the visitor's language.
    pub tagline: String,
    /// The palette.
    pub theme: String,
    /// Logo image.
    pub logo: Option<String>,
    /// Hero image.
    pub hero: Option<String>,
    /// scheduled | upcoming | live | ended | archived (operators' previews only for the first
    /// and the last).
    pub state: String,
    /// RFC 3339.
    pub live_from: String,
    /// RFC 3339.
    pub live_until: String,
    /// The festival campaign's slug, if any.
    pub campaign: Option<String>,
    /// The blocks, in order.
    pub blocks: Vec<BlockView>,
}

/// Pages kept per site, language and currency.
pub(crate) type SiteCache = crate::recent::Recent<Arc<SitePageView>>;

impl Market {
    /// The site's page for a visitor in `locale` and `currency`; `preview` lets operators see
    /// it outside its schedule.
    pub async fn site_page(
        &self,
        slug: &str,
        locale: Locale,
        currency: Currency,
        viewer: Option<&Actor>,
        preview: bool,
    ) -> Result<SitePageView, MarketError> {
        let now = self.now();
        let key = format!("{slug}|{}|{}", locale.code(), currency.code());
        let operator = preview && viewer.is_some_and(|a| a.require(Role::Operator).is_ok());
        let shared = match self.inner.sites.get(&key, now).filter(|_| !operator) {
            Some(p) => p,
            None => {
                let s = self.site_named(slug).await?;
                let state = schedule_of(&s).state(now);
                gate(state, operator)?;
                let page = Arc::new(self.resolve(&s, locale, currency).await?);
                if !operator {
                    self.inner.sites.put(&key, page.clone(), now);
                }
                page
            }
        };
        let mut page = (*shared).clone();
        gate(state_of(&page.state), operator)?;
        if let Some(a) = viewer {
            self.personalise(&mut page, locale, a).await?;
        }
        Ok(page)
    }

    /// The viewer's own vote and quiz result.
    async fn personalise(
        &self,
        page: &mut SitePageView,
        locale: Locale,
        a: &Actor,
    ) -> Result<(), MarketError> {
        for b in &mut page.blocks {
            if let Some(p) = &b.poll {
                b.poll = Some(self.poll(&p.id, locale, Some(a)).await?);
            }
            if let Some(q) = &b.quiz {
                b.quiz = Some(self.quiz(&q.id, locale, Some(a)).await?);
            }
        }
        Ok(())
    }

    async fn resolve(
        &self,
        s: &SiteRecord,
        locale: Locale,
        currency: Currency,
    ) -> Result<SitePageView, MarketError> {
        let texts = texts_of(s);
        let list: Vec<(Locale, &super::SiteText)> = texts
            .iter()
            .filter_map(|(l, t)| Some((Locale::parse(l).ok()?, t)))
            .collect();
        let text = pick(&list, locale, Locale::En);
        let campaign = match &s.campaign_id {
            Some(c) => Some(self.campaign_named(c).await?.slug),
            None => None,
        };
        let mut blocks = Vec::new();
        for b in blocks_of(s) {
            blocks.push(self.resolve_block(s, &b, locale, currency).await?);
        }
        Ok(SitePageView {
            id: s.id.clone(),
            slug: s.slug.clone(),
            title: text
                .map(|t| t.title.clone())
                .unwrap_or_else(|| s.slug.clone()),
            tagline: text.map(|t| t.tagline.clone()).unwrap_or_default(),
            theme: s.theme.clone(),
            logo: s.logo.clone(),
            hero: s.hero.clone(),
            state: schedule_of(s).state(self.now()).as_str().to_owned(),
            live_from: rfc3339(s.live_from),
            live_until: rfc3339(s.live_until),
            campaign,
            blocks,
        })
    }

    async fn resolve_block(
        &self,
        s: &SiteRecord,
        b: &BlockInput,
        locale: Locale,
        currency: Currency,
    ) -> Result<BlockView, MarketError> {
        let list: Vec<(Locale, &super::BlockText)> = b
            .texts
            .iter()
            .filter_map(|(l, t)| Some((Locale::parse(l).ok()?, t)))
            .collect();
        let text = pick(&list, locale, Locale::En);
        let mut v = BlockView {
            kind: b.kind.clone(),
            title: text.map(|t| t.title.clone()).unwrap_or_default(),
            body: text.map(|t| t.body.clone()).unwrap_or_default(),
            ..BlockView::default()
        };
        match b.kind.as_str() {
            "hero" => {
                let upcoming = self.now() < s.live_from;
                let to = if upcoming { s.live_from } else { s.live_until };
                v.countdown_to = Some(rfc3339(to));
                v.countdown = Some(if upcoming { "starts" } else { "ends" }.to_owned());
            }
            "collection" => v.products = self.collection(s, &b.config, locale).await?,
            "deals" => v.deals = self.site_deals(s, locale).await?,
            "posts" => v.posts = self.site_posts(locale).await?,
            "meter" => {
                let cause = s.cause_id.as_deref().unwrap_or_default();
                v.meter = Some(self.meter(cause, currency, locale).await?);
            }
            "poll" => {
                v.poll = Some(
                    self.poll(b.config.poll.as_deref().unwrap_or_default(), locale, None)
                        .await?,
                )
            }
            "quiz" => {
                v.quiz = Some(
                    self.quiz(b.config.quiz.as_deref().unwrap_or_default(), locale, None)
                        .await?,
                )
            }
            "cheers" => v.cheers = self.team_cheers(&s.id, &b.config.teams).await?,
            "leaderboard" => v.leaders = self.creator_board(None, None).await?,
            _ => {}
        }
        Ok(v)
    }

    /// Every team of a cheers block with its count, most first.
    async fn team_cheers(
        &self,
        site: &str,
        teams: &[String],
    ) -> Result<Vec<CheerView>, MarketError> {
        let counted = self.cheers(site).await?;
        let mut out: Vec<CheerView> = teams
            .iter()
            .map(|t| CheerView {
                team: t.clone(),
                count: counted.iter().find(|c| &c.team == t).map_or(0, |c| c.count),
            })
            .collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.count));
        Ok(out)
    }

    async fn site_deals(
        &self,
        s: &SiteRecord,
        locale: Locale,
    ) -> Result<Vec<DealView>, MarketError> {
        match &s.campaign_id {
            Some(c) => Ok(self.campaign(c, locale).await?.deals),
            None => Ok(Vec::new()),
        }
    }

    async fn site_posts(&self, locale: Locale) -> Result<Vec<PostView>, MarketError> {
        let q = FeedParams {
            locale: Some(locale.code().to_owned()),
            limit: Some(6),
            ..FeedParams::default()
        };
        Ok(self.feed(q).await?.items)
    }

    /// A collection's cards: the hand-picked products still on sale, or the rule's first 12.
    async fn collection(
        &self,
        s: &SiteRecord,
        c: &super::BlockConfig,
        locale: Locale,
    ) -> Result<Vec<CardView>, MarketError> {
        let mut cards = Vec::new();
        if !c.products.is_empty() {
            for id in &c.products {
                if let Ok(p) = self.product(id, locale).await {
                    cards.push(CardView {
                        id: p.id,
                        title: p.title,
                        image: p.images.first().cloned(),
                        price: p.price_from,
                    });
                }
            }
            return Ok(cards);
        }
        if c.campaign_deals {
            for d in self.site_deals(s, locale).await?.into_iter().take(12) {
                if let Ok(p) = self.product(&d.product_id, locale).await {
                    cards.push(CardView {
                        id: p.id,
                        title: p.title,
                        image: p.images.first().cloned(),
                        price: d.price,
                    });
                }
            }
            return Ok(cards);
        }
        let params = ProductListParams {
            category: c.category.clone(),
            ship_from: c
                .ship_from
                .as_deref()
                .map(Country::parse)
                .transpose()?
                .map(|k| k.code().to_owned()),
            in_stock: Some(true),
            limit: Some(12),
            ..ProductListParams::default()
        };
        for p in self.list_products(params, locale).await?.items {
            cards.push(CardView {
                id: p.id,
                title: p.title,
                image: p.image,
                price: p.price_from,
            });
        }
        Ok(cards)
    }
}

fn state_of(name: &str) -> SiteState {
    match name {
        "scheduled" => SiteState::Scheduled,
        "upcoming" => SiteState::Upcoming,
        "live" => SiteState::Live,
        "ended" => SiteState::Ended,
        _ => SiteState::Archived,
    }
}

/// Who may see a site in `state`: nobody before it is visible (404) or once archived (410),
/// except an operator's preview.
fn gate(state: SiteState, operator: bool) -> Result<(), MarketError> {
    match state {
        _ if operator => Ok(()),
        SiteState::Scheduled => Err(MarketError::not_found("site")),
        SiteState::Archived => Err(MarketError::new(
            Code::SiteArchived,
            "this campaign site is over",
        )),
        _ => Ok(()),
    }
}
