//! Connect's posts over HTTP: creators publish text, photos and tagged products; posts show on
//! the creator's and the product's page and in the feed (language, ship-to country, newest or
//! most bought, cursor pages); a product followed from a post attributes the order to its
//! creator, until an operator hides the post.

use crate::app::TestApp;
use crate::connect::creator;
use crate::festival::{cookies, CSRF};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::{address, shop};
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(
    creators_publish_posts_that_show_on_their_pages_and_in_the_feed,
    a_product_followed_from_a_post_attributes_until_the_post_is_hidden,
    posts_in_the_pages_from_the_hub_to_the_feed_and_moderation,
);

/// Uploads the 1×1 PNG as a creator photo; its URL.
async fn photo(app: &TestApp, token: &str) -> String {
    let r = app
        .client
        .post(format!("{}/api/v1/creator/images", app.base))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(crate::pages::PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    v["url"].as_str().unwrap().to_owned()
}

async fn product_of(app: &TestApp, variant: &str) -> String {
    app.market
        .store()
        .variant(variant)
        .await
        .unwrap()
        .unwrap()
        .product_id
}

/// The ids of a page's posts.
fn ids(page: &Value) -> Vec<String> {
    listed(&page["items"])
}

/// The ids of a list of posts.
fn listed(posts: &Value) -> Vec<String> {
    posts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn creators_publish_posts_that_show_on_their_pages_and_in_the_feed(app: &TestApp) {
    let s = shop(app).await;
    let (it_product, pl_product) = (
        product_of(app, &s.it.2).await,
        product_of(app, &s.pl.2).await,
    );
    let (marie, _) = creator(app, &s.op, "marie@example.com", "marie").await;
    let (olga, _) = creator(app, &s.op, "olga@example.com", "olga").await;
    let url = photo(app, &marie).await;
    let posts = "/api/v1/creator/posts";
    // Bad posts are refused and store nothing.
    let buyer = app.buyer("b@example.com").await;
    let good =
        json!({"texts": {"fr": "Mon sac préféré"}, "products": [it_product], "images": [url]});
    app.post(posts, Some(&buyer), good.clone())
        .await
        .error(403, "forbidden");
    for bad in [
        json!({"texts": {}, "products": [it_product]}),
        json!({"texts": {"fr": "hi"}, "products": []}),
        json!({"texts": {"fr": "hi"}, "products": ["prd_nope"]}),
        json!({"texts": {"fr": "hi"}, "products": [it_product], "images": ["/media/img_nope"]}),
    ] {
        app.post(posts, Some(&marie), bad)
            .await
            .error(422, "invalid_post");
    }
    let unknown = json!({"texts": {"xx": "hi"}, "products": [it_product]});
    app.post(posts, Some(&marie), unknown)
        .await
        .error(422, "invalid_locale");
    let olga_photo = json!({"texts": {"fr": "x"}, "products": [it_product], "images": [url]});
    app.post(posts, Some(&olga), olga_photo)
        .await
        .error(422, "invalid_post");
    // Marie: a French post on the Italian product, then one in French and English on both.
    let first = app.post(posts, Some(&marie), good).await;
    let first = first.ok(201).clone();
    assert_eq!(first["images"][0], url.as_str());
    assert_eq!(
        first["products"][0]["path"],
        format!("/r/post/{}/{it_product}", first["id"].as_str().unwrap())
    );
    app.clock.advance(1_000);
    let both = json!({"texts": {"fr": "Deux trouvailles", "en": "Two finds"}, "products": [it_product, pl_product]});
    let second = app.post(posts, Some(&marie), both).await;
    let second = second.ok(201)["id"].as_str().unwrap().to_owned();
    let first = first["id"].as_str().unwrap().to_owned();
    // The feed in French, newest first, in pages of one.
    let page1 = app.get("/api/v1/feed?locale=fr&limit=1", None).await;
    assert_eq!(ids(page1.ok(200)), [second.as_str()]);
    let cursor = page1.body["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(
            &format!("/api/v1/feed?locale=fr&limit=1&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(ids(page2.ok(200)), [first.as_str()]);
    assert!(page2.body["next_cursor"].is_null());
    // In English only the second; its text is the English one.
    let en = app.get("/api/v1/feed?locale=en", None).await;
    assert_eq!(ids(en.ok(200)), [second.as_str()]);
    assert_eq!(en.body["items"][0]["text"], "Two finds");
    // Its cards show both products; once the Polish store takes its product off sale, the
    // feed drops it at once (the cards read for the pages before are not shown again).
    let tagged = |page: &Value| -> Vec<String> {
        page["items"][0]["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(tagged(&en.body), [it_product.as_str(), pl_product.as_str()]);
    let draft = json!({"status": "draft"});
    let off = format!("/api/v1/merchant/products/{pl_product}");
    app.patch(&off, Some(&s.pl.0), draft).await.ok(200);
    let en = app.get("/api/v1/feed?locale=en", None).await;
    assert_eq!(tagged(en.ok(200)), [it_product.as_str()]);
    app.patch(&off, Some(&s.pl.0), json!({"status": "published"}))
        .await
        .ok(200);
    // The Italian store ships everywhere, so both posts reach Japan; bad queries are refused.
    let jp = app.get("/api/v1/feed?locale=fr&country=JP", None).await;
    assert_eq!(ids(jp.ok(200)).len(), 2);
    app.get("/api/v1/feed?sort=random", None)
        .await
        .error(422, "invalid_sort");
    app.get("/api/v1/feed?country=XX", None)
        .await
        .error(422, "invalid_country");
    app.get("/api/v1/feed?cursor=junk", None)
        .await
        .error(422, "invalid_cursor");
    // On Marie's page and on each tagged product's page.
    let mine = app.get("/api/v1/creators/marie/posts", None).await;
    assert_eq!(ids(mine.ok(200)), [second.as_str(), first.as_str()]);
    let on_pl = app
        .get(&format!("/api/v1/products/{pl_product}/posts"), None)
        .await;
    assert_eq!(listed(on_pl.ok(200)), [second.as_str()]);
    app.get("/api/v1/creators/nobody/posts", None)
        .await
        .error(404, "not_found");
}

async fn a_product_followed_from_a_post_attributes_until_the_post_is_hidden(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    app.put(
        "/api/v1/merchant/commission-rates",
        Some(it),
        json!({"scope": "store", "rate_bps": 1000}),
    )
    .await
    .ok(200);
    let it_product = product_of(app, it_var).await;
    let (marie, marie_id) = creator(app, &s.op, "marie@example.com", "marie").await;
    let p = app
        .post(
            "/api/v1/creator/posts",
            Some(&marie),
            json!({"texts": {"fr": "Mon sac"}, "products": [it_product]}),
        )
        .await;
    let post = p.ok(201)["id"].as_str().unwrap().to_owned();
    // Following the tagged product: 302 to it, the post in the attribution cookie.
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let follow = |path: String| {
        let c = c.clone();
        async move { c.get(path).send().await.unwrap() }
    };
    let r = follow(format!("{}/r/post/{post}/{it_product}", app.base)).await;
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], format!("/p/{it_product}"));
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    assert!(
        cookie.starts_with(&format!("caravan_ref={post}.")),
        "{cookie}"
    );
    let other = follow(format!(
        "{}/r/post/{post}/{}",
        app.base,
        product_of(app, &s.pl.2).await
    ))
    .await;
    assert_eq!(other.status(), 404, "a product the post does not tag");
    let buyer = app.buyer("anna@example.com").await;
    let buy = |key: &'static str| {
        let (buyer, cookie) = (buyer.clone(), cookie.clone());
        async move {
            let body = json!({"items": [{"variant_id": it_var, "quantity": 1}], "currency": "EUR",
                "address": address("FR"), "payment_method": "pm_sandbox_success"});
            let r = app
                .client
                .post(format!("{}/api/v1/checkout", app.base))
                .bearer_auth(&buyer)
                .header("Idempotency-Key", key)
                .header("Cookie", cookie)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            let v: Value = r.json().await.unwrap();
            let id = v["orders"][0]["id"].as_str().unwrap().to_owned();
            app.market.store().order(&id).await.unwrap().unwrap()
        }
    };
    let o = buy("p1").await;
    assert_eq!(
        (o.creator_id.as_deref(), o.commission_minor),
        (Some(marie_id.as_str()), 250)
    );
    let c = app.market.store().commission(&o.id).await.unwrap().unwrap();
    assert_eq!(
        (c.source.as_str(), c.reference.as_str()),
        ("post", post.as_str())
    );
    // The order counts for "most bought" (this node's memory until the flush).
    let mine = app.get("/api/v1/creator/posts", Some(&marie)).await;
    assert_eq!(mine.ok(200)[0]["orders"], 1);
    // A newer post without orders: first by date, second by orders once they are flushed.
    app.clock.advance(1_000);
    let newer = app
        .post(
            "/api/v1/creator/posts",
            Some(&marie),
            json!({"texts": {"fr": "Nouveau"}, "products": [it_product]}),
        )
        .await;
    let newer = newer.ok(201)["id"].as_str().unwrap().to_owned();
    app.market.flush_clicks().await.unwrap();
    let newest = app.get("/api/v1/feed?locale=fr", None).await;
    assert_eq!(ids(newest.ok(200)), [newer.as_str(), post.as_str()]);
    let bought = app
        .get("/api/v1/feed?locale=fr&sort=most_bought&limit=1", None)
        .await;
    assert_eq!(ids(bought.ok(200)), [post.as_str()]);
    let cursor = bought.body["next_cursor"].as_str().unwrap();
    let next = format!("/api/v1/feed?locale=fr&sort=most_bought&limit=1&cursor={cursor}");
    assert_eq!(ids(app.get(&next, None).await.ok(200)), [newer.as_str()]);
    // Hidden by an operator: off the feed and the pages, and no longer attributing.
    let moderation = format!("/api/v1/admin/posts/{post}/moderation");
    app.post(&moderation, Some(&marie), json!({"hidden": true}))
        .await
        .error(403, "forbidden");
    let r = app
        .post(
            &moderation,
            Some(&s.op),
            json!({"hidden": true, "reason": "Undisclosed ad"}),
        )
        .await;
    assert_eq!(r.status, 204);
    let feed = app.get("/api/v1/feed?locale=fr", None).await;
    assert_eq!(ids(feed.ok(200)), [newer.as_str()]);
    let on_product = app
        .get(&format!("/api/v1/products/{it_product}/posts"), None)
        .await;
    assert_eq!(listed(on_product.ok(200)), [newer.as_str()]);
    let o = buy("p2").await;
    assert_eq!((o.creator_id, o.commission_minor), (None, 0));
    assert_eq!(
        follow(format!("{}/r/post/{post}/{it_product}", app.base))
            .await
            .status(),
        404
    );
    let console = app.get("/api/v1/admin/posts", Some(&s.op)).await;
    let statuses: Vec<(&str, &str)> = console
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [(newer.as_str(), "published"), (post.as_str(), "hidden")]
    );
    app.post(
        "/api/v1/admin/posts/pst_nope/moderation",
        Some(&s.op),
        json!({"hidden": true}),
    )
    .await
    .error(404, "not_found");
}

/// The pages, as forms: Marie publishes from her hub; the French feed, her page and the
/// product's page show the post; the operator hides it from the console.
async fn posts_in_the_pages_from_the_hub_to_the_feed_and_moderation(app: &TestApp) {
    let s = shop(app).await;
    let product = product_of(app, &s.it.2).await;
    let (marie, _) = creator(app, &s.op, "marie@example.com", "marie").await;
    let hub = cookies(&marie, "fr.EUR.FR");
    let (_, html, _) = page(app, Method::GET, "/creator", &hub, &[]).await;
    assert!(
        html.contains("Vos publications") && html.contains("Pas encore de publication."),
        "{html}"
    );
    let link = format!("http://localhost/p/{product}");
    let form = [
        ("csrf", CSRF),
        ("locale", "fr"),
        ("text", "Mon sac préféré"),
        ("products", link.as_str()),
    ];
    let (status, _, _) = page(app, Method::POST, "/creator/posts", &hub, &form).await;
    assert_eq!(status, 303);
    let visitor = "caravan_prefs=fr.EUR.FR";
    let (_, feed, _) = page(app, Method::GET, "/feed", visitor, &[]).await;
    assert!(
        feed.contains("Par les créateurs") && feed.contains("Mon sac préféré"),
        "{feed}"
    );
    assert!(
        feed.contains("/r/post/pst_") && feed.contains("@marie"),
        "{feed}"
    );
    let (_, profile, _) = page(app, Method::GET, "/@marie", visitor, &[]).await;
    assert!(profile.contains("Mon sac préféré"), "{profile}");
    let (_, on_product, _) = page(app, Method::GET, &format!("/p/{product}"), visitor, &[]).await;
    assert!(
        on_product.contains("Vu dans les publications des créateurs"),
        "{on_product}"
    );
    // In English there is nothing yet.
    let (_, en, _) = page(app, Method::GET, "/feed", "caravan_prefs=en.EUR.FR", &[]).await;
    assert!(en.contains("No posts in your language"), "{en}");
    // The console hides it.
    let post = app.get("/api/v1/creator/posts", Some(&marie)).await;
    let post = post.ok(200)[0]["id"].as_str().unwrap().to_owned();
    let console = cookies(&s.op, "fr.EUR.FR");
    let (_, admin, _) = page(app, Method::GET, "/admin/creators", &console, &[]).await;
    assert!(
        admin.contains("Mon sac préféré") && admin.contains("Masquer"),
        "{admin}"
    );
    let hide = [
        ("csrf", CSRF),
        ("hidden", "1"),
        ("reason", "Publicité non signalée"),
    ];
    let path = format!("/admin/posts/{post}/moderation");
    assert_eq!(page(app, Method::POST, &path, &console, &hide).await.0, 303);
    let (_, feed, _) = page(app, Method::GET, "/feed", visitor, &[]).await;
    assert!(!feed.contains("Mon sac préféré"), "{feed}");
    let (_, admin, _) = page(app, Method::GET, "/admin/creators", &console, &[]).await;
    assert!(
        admin.contains("Masquée") && admin.contains("Afficher de nouveau"),
        "{admin}"
    );
}
