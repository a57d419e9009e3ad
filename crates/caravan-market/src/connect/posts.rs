//! Connect's posts and the shoppable feed: an approved creator publishes text (per language),
//! their photos and 1–12 published products; posts show on the creator's page, on each tagged
//! product's page and in the feed (the visitor's language, products that ship to their country,
//! newest or most bought, cursor pages). A tagged product followed from a post attributes to the
//! post's creator (`/r/post/{post}/{product}`); an operator may hide a post, which then neither
//! shows nor attributes. Orders through a post are counted in memory and flushed with clicks.

use super::Redirect;
use crate::accounts::Actor;
use crate::catalogue::read::{summary, texts_by_product};
use crate::catalogue::MoneyView;
use crate::catalogue::ProductSummary;
use crate::images::{ImageView, Owner};
use crate::page::{self, Page};
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::id::{PostId, TypedId};
use caravan_domain::merchant::MerchantStatus;
use caravan_domain::{post, rfc3339, Country, Locale};
use caravan_store::posts::{FeedOrder, PostRecord};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A new post.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    /// Locale → text (1 to 8 languages, 1 to 2000 characters each).
    pub texts: BTreeMap<String, String>,
    /// 1 to 12 published products (`prd_…`).
    pub products: Vec<String>,
    /// Up to 6 of the creator's photos (`/media/img_…` URLs from `POST /api/v1/creator/images`).
    #[serde(default)]
    pub images: Vec<String>,
}

/// A tagged product as a post shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaggedProduct {
    /// `prd_…`.
    pub id: String,
    /// In the reader's language.
    pub title: String,
    /// First image.
    pub image: Option<String>,
    /// Lowest price, the store's currency.
    pub price_from: MoneyView,
    /// Follow this to buy through the post (attributes the order to its creator).
    pub path: String,
}

/// A post.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PostView {
    /// `pst_…`.
    pub id: String,
    /// The creator's handle.
    pub handle: String,
    /// The text in the reader's language (else the first language written).
    pub text: String,
    /// Its locale.
    pub locale: String,
    /// Every language written.
    pub texts: BTreeMap<String, String>,
    /// Photos.
    pub images: Vec<String>,
    /// Tagged products that are on sale now.
    pub products: Vec<TaggedProduct>,
    /// published or hidden.
    pub status: String,
    /// Orders through the post.
    pub orders: i64,
    /// RFC 3339.
    pub created_at: String,
}

/// A feed query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// The reader's language (en if absent).
    pub locale: Option<String>,
    /// Ship-to country: only posts with a product shipping there.
    pub country: Option<String>,
    /// newest (default) or most_bought.
    pub sort: Option<String>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
    /// 1 to 100 (20).
    pub limit: Option<i64>,
}

/// An operator hides a post.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HidePost {
    /// true hides, false shows it again.
    pub hidden: bool,
    /// Why (shown to the creator).
    pub reason: Option<String>,
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidPost, message)
}

impl Market {
    /// An approved creator uploads a photo for their posts.
    pub async fn upload_creator_image(
        &self,
        actor: &Actor,
        data: Vec<u8>,
    ) -> Result<ImageView, MarketError> {
        let c = self.acting_creator(actor).await?;
        self.keep_image(Owner::Creator(c.id), data).await
    }

    /// An approved creator publishes a post.
    pub async fn create_post(
        &self,
        actor: &Actor,
        p: PostInput,
        locale: Locale,
    ) -> Result<PostView, MarketError> {
        let c = self.acting_creator(actor).await?;
        let texts = post::texts(&p.texts)?;
        let products = post::products(&p.products)?;
        let images = self.post_images(&c.id, &p.images).await?;
        let mut merchants = Vec::new();
        for id in &products {
            let d = self
                .product(id, Locale::En)
                .await
                .map_err(|_| bad(&format!("{id} is not a published product")))?;
            merchants.push(d.merchant.id);
        }
        let ships_to = self.ships_to_of_stores(&merchants).await?;
        let texts: BTreeMap<&str, String> = texts.into_iter().map(|(l, t)| (l.code(), t)).collect();
        let record = PostRecord {
            id: PostId::generate().to_string(),
            creator_id: c.id.clone(),
            texts: serde_json::to_string(&texts)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            images: serde_json::to_string(&images)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            products: serde_json::to_string(&products)
                .map_err(|e| MarketError::internal(e.to_string()))?,
            ships_to,
            status: "published".into(),
            hidden_reason: None,
            orders: 0,
            created_at: self.now(),
        };
        let locales: Vec<&str> = texts.keys().copied().collect();
        self.store.insert_post(&record, &locales).await?;
        let mut views = self.post_views(vec![record], locale).await?;
        views
            .pop()
            .ok_or_else(|| MarketError::internal("a post without its view"))
    }

    /// The photos of a post: the creator's own, as `/media/…` URLs.
    async fn post_images(
        &self,
        creator: &str,
        urls: &[String],
    ) -> Result<Vec<String>, MarketError> {
        if urls.len() > post::MAX_IMAGES {
            return Err(bad("a post shows up to 6 photos"));
        }
        let ids: Vec<String> = urls
            .iter()
            .map(|u| u.trim().trim_start_matches("/media/").to_owned())
            .collect();
        if !self.store.creator_owns_images(creator, &ids).await? {
            return Err(bad("a post shows the creator's own photos"));
        }
        Ok(ids.iter().map(|i| format!("/media/{i}")).collect())
    }

    /// `,FR,DE,` (or `,*,`): the destinations of these stores' shipping rules.
    async fn ships_to_of_stores(&self, merchants: &[String]) -> Result<String, MarketError> {
        let rules = self.store.shipping_rules(merchants).await?;
        let all: BTreeSet<String> = rules.into_iter().map(|r| r.destination).collect();
        if all.contains("*") {
            return Ok(",*,".into());
        }
        Ok(format!(
            ",{},",
            all.into_iter().collect::<Vec<_>>().join(",")
        ))
    }

    /// Published products by id, as cards in `locale`: those read within the last second from
    /// memory (dropped with the catalogue's other entries when it changes), the rest in three
    /// reads for any number.
    pub(super) async fn tagged(
        &self,
        ids: &[String],
        locale: Locale,
    ) -> Result<HashMap<String, ProductSummary>, MarketError> {
        self.revalidate_caches().await?;
        let cache = &self.inner.cache;
        let since = cache.generation();
        let mut cards = HashMap::new();
        let mut missing = Vec::new();
        for id in ids {
            match cache.card(locale, id) {
                Some(card) => cards.extend(card.map(|c| (id.clone(), c))),
                None => missing.push(id.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(cards);
        }
        let mut read = self.read_cards(&missing, locale).await?;
        for id in missing {
            let card = read.remove(&id);
            cache.put_card(locale, &id, card.clone(), since);
            cards.extend(card.map(|c| (id, c)));
        }
        Ok(cards)
    }

    /// Published products by id, as cards in `locale`, read from the store.
    async fn read_cards(
        &self,
        ids: &[String],
        locale: Locale,
    ) -> Result<HashMap<String, ProductSummary>, MarketError> {
        let products = self.store.products_by_ids(ids).await?;
        let texts = texts_by_product(self.store.product_texts(ids).await?);
        let variants = self.store.variants_of(ids).await?;
        Ok(products
            .into_iter()
            .filter(|p| p.status == "published")
            .map(|p| {
                let t = texts.get(&p.id).map(Vec::as_slice).unwrap_or_default();
                (p.id.clone(), summary(p, t, &variants, locale))
            })
            .collect())
    }

    /// A post as readers see it in `locale`, with those of its tagged products on sale.
    fn post_view(
        &self,
        p: PostRecord,
        handle: &str,
        locale: Locale,
        on_sale: &HashMap<String, ProductSummary>,
    ) -> PostView {
        let texts: BTreeMap<String, String> = serde_json::from_str(&p.texts).unwrap_or_default();
        let (text_locale, text) = texts
            .get_key_value(locale.code())
            .or_else(|| texts.get_key_value("en"))
            .or_else(|| texts.iter().next())
            .map(|(l, t)| (l.clone(), t.clone()))
            .unwrap_or_default();
        let ids: Vec<String> = serde_json::from_str(&p.products).unwrap_or_default();
        let products = ids
            .iter()
            .filter_map(|id| on_sale.get(id))
            .map(|d| TaggedProduct {
                path: format!("/r/post/{}/{}", p.id, d.id),
                title: d.title.clone(),
                image: d.image.clone(),
                price_from: d.price_from.clone(),
                id: d.id.clone(),
            })
            .collect();
        let orders = p.orders + self.inner.post_orders.pending(&p.id);
        PostView {
            id: p.id,
            handle: handle.to_owned(),
            text,
            locale: text_locale,
            texts,
            images: serde_json::from_str(&p.images).unwrap_or_default(),
            products,
            status: p.status,
            orders,
            created_at: rfc3339(p.created_at),
        }
    }

    /// Views of stored posts (each with its creator's handle), their products read at once.
    async fn post_views(
        &self,
        posts: Vec<PostRecord>,
        locale: Locale,
    ) -> Result<Vec<PostView>, MarketError> {
        let mut ids: BTreeSet<String> = BTreeSet::new();
        let mut creators: BTreeSet<String> = BTreeSet::new();
        for p in &posts {
            let tagged: Vec<String> = serde_json::from_str(&p.products).unwrap_or_default();
            ids.extend(tagged);
            creators.insert(p.creator_id.clone());
        }
        let handles = self.handles(creators).await?;
        let ids: Vec<String> = ids.into_iter().collect();
        let on_sale = self.tagged(&ids, locale).await?;
        Ok(posts
            .into_iter()
            .map(|p| {
                let handle = handles.get(&p.creator_id).cloned().unwrap_or_default();
                self.post_view(p, &handle, locale, &on_sale)
            })
            .collect())
    }

    /// Creators' handles by id: those read lately from memory (a handle never changes), the
    /// rest in one read.
    async fn handles(
        &self,
        creators: BTreeSet<String>,
    ) -> Result<HashMap<String, String>, MarketError> {
        let (recent, now) = (&self.inner.connect.handles, self.now());
        let mut handles = HashMap::new();
        let mut missing = Vec::new();
        for id in creators {
            match recent.get(&id, now) {
                Some(h) => {
                    handles.insert(id, h);
                }
                None => missing.push(id),
            }
        }
        for (id, h) in self.store.creator_handles(&missing).await? {
            recent.put(&id, h.clone(), now);
            handles.insert(id, h);
        }
        Ok(handles)
    }

    /// The actor's posts, newest first (hidden ones too).
    pub async fn my_posts(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Vec<PostView>, MarketError> {
        let c = self.acting_creator(actor).await?;
        let posts = self.store.posts_of_creator(&c.id, false, None, 100).await?;
        self.post_views(posts, locale).await
    }

    /// An approved creator's published posts, newest first, in cursor pages.
    pub async fn creator_posts(
        &self,
        handle: &str,
        cursor: Option<&str>,
        limit: Option<i64>,
        locale: Locale,
    ) -> Result<Page<PostView>, MarketError> {
        self.public_creator(handle).await?;
        let h = caravan_domain::creator::Handle::parse(handle)?;
        let c = self
            .store
            .creator_by_handle(h.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("creator"))?;
        let limit = page::limit(limit)?;
        let rows = self
            .store
            .posts_of_creator(&c.id, true, page::decode(cursor)?, limit + 1)
            .await?;
        let views = self.post_views(rows.clone(), locale).await?;
        let keyed = rows
            .into_iter()
            .zip(views)
            .map(|(r, v)| (r.created_at, r.id, v));
        let page = page::paginate(
            keyed.collect(),
            limit,
            |(t, id, _)| (*t, id.clone()),
            |(_, _, v)| v,
        );
        Ok(page)
    }

    /// The feed: published posts in the reader's language whose products ship to their country.
    pub async fn feed(&self, q: FeedParams) -> Result<Page<PostView>, MarketError> {
        let locale = q
            .locale
            .as_deref()
            .map(Locale::parse)
            .transpose()?
            .unwrap_or(Locale::En);
        let country = match q.country.as_deref() {
            Some(c) => Country::parse(c)?.code().to_owned(),
            None => "*".to_owned(),
        };
        let order = match q.sort.as_deref() {
            None | Some("newest") => FeedOrder::Newest,
            Some("most_bought") => FeedOrder::MostBought,
            Some(_) => {
                return Err(MarketError::new(
                    Code::InvalidSort,
                    "sort is newest or most_bought",
                ))
            }
        };
        let limit = page::limit(q.limit)?;
        let after = q.cursor.as_deref().map(decode_feed_cursor).transpose()?;
        let rows = self
            .store
            .feed(locale.code(), &country, order, after, limit + 1)
            .await?;
        let more = rows.len() as i64 > limit;
        let rows: Vec<PostRecord> = rows.into_iter().take(limit as usize).collect();
        let next_cursor = more
            .then(|| {
                rows.last()
                    .map(|r| encode_feed_cursor(r.orders, r.created_at, &r.id))
            })
            .flatten();
        Ok(Page {
            items: self.post_views(rows, locale).await?,
            next_cursor,
        })
    }

    /// The published posts tagging a product (for its page), newest first.
    pub async fn product_posts(
        &self,
        product: &str,
        locale: Locale,
    ) -> Result<Vec<PostView>, MarketError> {
        let posts = self.store.posts_of_product(product, 10).await?;
        self.post_views(posts, locale).await
    }

    /// Recent posts for operators (hidden ones too).
    pub async fn moderation_posts(&self, actor: &Actor) -> Result<Vec<PostView>, MarketError> {
        actor.require(Role::Operator)?;
        let posts = self.store.recent_posts(100).await?;
        self.post_views(posts, Locale::En).await
    }

    /// An operator hides (or shows again) a post.
    pub async fn moderate_post(
        &self,
        actor: &Actor,
        id: &str,
        h: HidePost,
    ) -> Result<(), MarketError> {
        actor.require(Role::Operator)?;
        let id = PostId::parse(id)?;
        let reason = h
            .reason
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| caravan_domain::account::clean_name(r, 200, Code::InvalidPost, "a reason"))
            .transpose()?;
        let status = if h.hidden { "hidden" } else { "published" };
        if !self
            .store
            .set_post_status(id.as_str(), status, reason.as_deref())
            .await?
        {
            return Err(MarketError::not_found("post"));
        }
        // This node stops (or starts) attributing through it at once; others within seconds.
        self.inner.connect.sources.forget(id.as_str());
        Ok(())
    }

    /// Follows a tagged product from a post: where to go, and the post as the attribution
    /// cookie's reference; `not_found` if the post is hidden, its creator inactive, or the
    /// product not tagged in it.
    pub async fn follow_post(&self, post_id: &str, product: &str) -> Result<Redirect, MarketError> {
        let p = self
            .published_post(post_id)
            .await?
            .ok_or_else(|| MarketError::not_found("post"))?;
        let tagged: Vec<String> = serde_json::from_str(&p.products).unwrap_or_default();
        if !tagged.iter().any(|t| t == product) {
            return Err(MarketError::not_found("product in this post"));
        }
        Ok(Redirect {
            path: format!("/p/{product}"),
            code: p.id,
        })
    }

    /// A post that attributes: published, by an approved creator.
    pub(crate) async fn published_post(&self, id: &str) -> Result<Option<PostRecord>, MarketError> {
        let Ok(id) = PostId::parse(id) else {
            return Ok(None);
        };
        let Some(p) = self.store.post(id.as_str()).await? else {
            return Ok(None);
        };
        let active = self
            .store
            .creator_by_id(&p.creator_id)
            .await?
            .is_some_and(|c| c.status == MerchantStatus::Approved.as_str());
        Ok((p.status == "published" && active).then_some(p))
    }
}

fn encode_feed_cursor(orders: i64, at: i64, id: &str) -> String {
    page::encode(orders, &format!("{at}.{id}"))
}

/// A feed cursor: (orders, time, id) after which the page starts.
fn decode_feed_cursor(s: &str) -> Result<(i64, i64, String), MarketError> {
    let bad = || {
        MarketError::new(
            Code::InvalidCursor,
            "the cursor is not one this API gave out",
        )
    };
    let (orders, rest) = page::decode(Some(s))?.ok_or_else(bad)?;
    let (at, id) = rest.split_once('.').ok_or_else(bad)?;
    Ok((orders, at.parse().map_err(|_| bad())?, id.to_owned()))
}
