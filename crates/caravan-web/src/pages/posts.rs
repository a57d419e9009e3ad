//! Connect's posts in the storefront: the feed (`/feed`, the visitor's language and ship-to
//! country, newest or most bought), the cards shown there and on creators' and products'
//! pages, the hub's new-post form and the operators' moderation.

use super::chrome::Chrome;
use super::extract::{CsrfForm, Operator, Page, SignedIn};
use super::i18n::Tr;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use caravan_market::connect::posts::{FeedParams, HidePost, PostInput, PostView};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A tagged product on a card.
pub struct Tagged {
    pub path: String,
    pub title: String,
    pub image: Option<String>,
    pub price: String,
}

/// A post as a card.
pub struct PostCard {
    pub id: String,
    pub handle: String,
    pub text: String,
    pub when: String,
    pub images: Vec<String>,
    pub products: Vec<Tagged>,
    pub hidden: bool,
}

/// The cards of these posts, in the reader's language.
pub fn cards(posts: Vec<PostView>, tr: Tr) -> Vec<PostCard> {
    posts
        .into_iter()
        .map(|p| PostCard {
            when: super::order::millis(&p.created_at)
                .map(|ms| tr.datetime(ms))
                .unwrap_or_default(),
            hidden: p.status == "hidden",
            products: p
                .products
                .into_iter()
                .map(|t| Tagged {
                    price: tr.money(t.price_from.amount_minor, &t.price_from.currency),
                    path: t.path,
                    title: t.title,
                    image: t.image,
                })
                .collect(),
            id: p.id,
            handle: p.handle,
            text: p.text,
            images: p.images,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "feed.html")]
struct Feed {
    tr: Tr,
    chrome: Chrome,
    posts: Vec<PostCard>,
    most_bought: bool,
    next: Option<String>,
}

/// The feed's query on the page.
#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    sort: Option<String>,
    pub cursor: Option<String>,
}

/// `GET /feed`.
pub async fn feed(page: Page, Query(q): Query<FeedQuery>) -> Response {
    let tr = page.tr();
    let most_bought = q.sort.as_deref() == Some("most_bought");
    let params = FeedParams {
        locale: Some(page.prefs.locale.code().to_owned()),
        country: Some(page.prefs.country.clone()),
        sort: most_bought.then(|| "most_bought".to_owned()),
        cursor: q.cursor,
        limit: Some(20),
    };
    let found = match page.state.market.feed(params).await {
        Ok(f) => f,
        Err(e) => return page.failed(e, "/feed").await,
    };
    let sort = if most_bought { "sort=most_bought&" } else { "" };
    let body = Feed {
        next: found.next_cursor.map(|c| format!("/feed?{sort}cursor={c}")),
        posts: cards(found.items, tr),
        most_bought,
        chrome: page.chrome("/feed").await,
        tr,
    };
    page.html(body.render())
}

/// The hub's new-post form: one language's text and the products' ids or links.
#[derive(Debug, Deserialize)]
pub struct PostForm {
    locale: String,
    text: String,
    products: String,
}

/// `POST /creator/posts`.
pub async fn create(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<PostForm>,
) -> Response {
    let products = f
        .products
        .split([',', ' ', '\n'])
        .map(|p| {
            p.trim()
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
        })
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let input = PostInput {
        texts: BTreeMap::from([(f.locale, f.text)]),
        products,
        images: Vec::new(),
    };
    let locale = page.prefs.locale;
    let r = page.state.market.create_post(&actor, input, locale).await;
    page.done(r.map(|_| ()), "/creator", "/creator").await
}

/// The moderation form.
#[derive(Debug, Deserialize)]
pub struct ModerationForm {
    hidden: String,
    reason: Option<String>,
}

/// `POST /admin/posts/{id}/moderation`.
pub async fn moderate(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ModerationForm>,
) -> Response {
    let h = HidePost {
        hidden: f.hidden == "1",
        reason: f.reason,
    };
    let r = page.state.market.moderate_post(&actor, &id, h).await;
    page.done(r, "/admin/creators", "/admin/creators").await
}
