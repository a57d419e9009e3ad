//! The festival: a campaign with enrolment rules, deals checked against the EU Omnibus reference
//! price, and deal caps and per-buyer limits that hold under a midnight burst, on one node and on
//! two sharing one database.

use crate::app::TestApp;
use crate::concurrency::buyers;
use crate::on_both_engines;
use crate::shop::{address, audit, product, shop, Shop};
use caravan_market::Clock;
use serde_json::{json, Value};
use tokio::task::JoinSet;

on_both_engines!(
    the_reference_price_is_the_lowest_of_the_30_days_before,
    enrolment_follows_the_campaigns_rules,
    a_deal_cap_of_50_holds_under_2000_checkouts,
    a_buyer_with_two_logins_gets_no_more_than_the_limit,
    caps_and_limits_hold_across_two_nodes,
    a_cancelled_order_gives_its_deal_units_back,
    a_buyers_claims_are_read_for_every_live_deal_at_once,
    the_festival_in_the_three_web_areas,
    the_live_screen_follows_the_outbox,
);

const DAY: i64 = 24 * 60 * 60 * 1000;

fn at(ms: i64) -> String {
    caravan_domain::rfc3339(ms)
}

/// A campaign from `start` for a day (enrolment a day before it), 20% minimum discount, at
/// least 10 units per deal; returns its id.
pub(crate) async fn campaign(app: &TestApp, op: &str, slug: &str, start: i64) -> String {
    let body = json!({
        "slug": slug, "time_zone": "Asia/Shanghai",
        "texts": {"en": {"name": "11.11 Global Shopping Festival", "description": "24 hours"},
                  "ru": {"name": "Фестиваль 11.11"}},
        "enrol_from": at(start - 10 * DAY), "warmup_at": at(start - DAY),
        "starts_at": at(start), "ends_at": at(start + DAY),
        "min_discount_bps": 2000, "min_units": 10,
    });
    let c = app.post("/api/v1/admin/campaigns", Some(op), body).await;
    c.ok(201)["id"].as_str().unwrap().to_owned()
}

/// A live campaign with one approved deal on a fresh variant (stock 1000, €10.00, deal €7.00
/// with `cap` units and `per_buyer`); returns (shop, variant, deal id).
pub(crate) async fn live_deal(app: &TestApp, cap: i64, per_buyer: i64) -> (Shop, String, String) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let cat = crate::shop::shop_category(app).await;
    let (_, variant) = product(app, it, &cat, "DEAL-1", 1000, 1000, "EUR").await;
    let cid = campaign(app, &s.op, "double-eleven", app.clock.now_ms() - 60_000).await;
    let deal = json!({"campaign_id": cid, "variant_id": variant, "price_minor": 700, "cap": cap, "per_buyer": per_buyer});
    let d = app.post("/api/v1/merchant/deals", Some(it), deal).await;
    let did = d.ok(201)["id"].as_str().unwrap().to_owned();
    let decided = app
        .post(
            &format!("/api/v1/admin/deals/{did}/decision"),
            Some(&s.op),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(decided.ok(200)["status"], "approved");
    (s, variant, did)
}

pub(crate) fn one(variant: &str, quantity: i64) -> Value {
    json!({"items": [{"variant_id": variant, "quantity": quantity}], "currency": "EUR",
           "address": address("FR"), "payment_method": "pm_sandbox_success"})
}

/// Units sold under `deal`, and units of `variant` sold without it (from the order lines).
async fn sold(app: &TestApp, variant: &str, deal: &str) -> (i64, i64) {
    let store = app.market.store();
    let orders = store.orders_by("status", "paid", 100_000).await.unwrap();
    let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
    let lines = store.order_lines(&ids).await.unwrap();
    let mine = lines.iter().filter(|l| l.variant_id == variant);
    mine.fold((0, 0), |(at_deal, normal), l| {
        if l.deal_id.as_deref() == Some(deal) {
            assert_eq!(l.total_minor, 700 * l.quantity, "the deal price");
            assert_eq!(
                l.discount_minor,
                300 * l.quantity,
                "list price less deal price"
            );
            (at_deal + l.quantity, normal)
        } else {
            assert_eq!(l.total_minor, 1000 * l.quantity, "the normal price");
            (at_deal, normal + l.quantity)
        }
    })
}

async fn the_reference_price_is_the_lowest_of_the_30_days_before(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let cat = crate::shop::shop_category(app).await;
    let (_, variant) = product(app, it, &cat, "OMNI-1", 1000, 100, "EUR").await;
    let start = app.clock.now_ms() + 40 * DAY;
    let cid = campaign(app, &s.op, "omnibus", start).await;
    // A week before the campaign the store raises the price by half.
    app.clock.advance(33 * DAY);
    app.patch(
        &format!("/api/v1/merchant/variants/{variant}"),
        Some(it),
        json!({"price_minor": 1500}),
    )
    .await
    .ok(200);
    let deal = |price: i64| json!({"campaign_id": cid, "variant_id": variant, "price_minor": price, "cap": 20, "per_buyer": 2});
    // 850 is 43% below today's 1,500 but only 15% below the reference 1,000; 1,100 is no
    // discount at all.
    app.post("/api/v1/merchant/deals", Some(it), deal(850))
        .await
        .error(422, "discount_too_small");
    app.post("/api/v1/merchant/deals", Some(it), deal(1100))
        .await
        .error(422, "invalid_deal");
    let d = app
        .post("/api/v1/merchant/deals", Some(it), deal(800))
        .await;
    let d = d.ok(201).clone();
    assert_eq!(d["reference_price"]["amount_minor"], 1000);
    assert_eq!(d["discount_bps"], 2000);
    assert_eq!(d["status"], "pending");
    app.post("/api/v1/merchant/deals", Some(it), deal(700))
        .await
        .error(409, "deal_exists");
}

async fn enrolment_follows_the_campaigns_rules(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, _) = &s.it;
    let (pl, _, pl_var) = &s.pl;
    let cats = app.get("/api/v1/categories", None).await;
    let (root, child) = {
        let c = cats.ok(200);
        (
            c[0]["id"].as_str().unwrap().to_owned(),
            c[1]["id"].as_str().unwrap().to_owned(),
        )
    };
    let (_, variant) = product(app, it, &child, "RULE-1", 1000, 30, "EUR").await;
    let now = app.clock.now_ms();
    let body = json!({
        "slug": "italy-only", "time_zone": "Europe/Rome",
        "texts": {"en": {"name": "Made in Italy"}},
        "enrol_from": at(now - DAY), "warmup_at": at(now + DAY), "starts_at": at(now + 2 * DAY),
        "ends_at": at(now + 3 * DAY), "min_discount_bps": 1000, "min_units": 10,
        "categories": [root], "ship_from": ["IT"],
    });
    let cid = app.post("/api/v1/admin/campaigns", Some(&s.op), body).await;
    let cid = cid.ok(201)["id"].as_str().unwrap().to_owned();
    let deal = |v: &str, price: i64, cap: i64| json!({"campaign_id": cid, "variant_id": v, "price_minor": price, "cap": cap, "per_buyer": 1});
    // Polish stock ships from Poland: not eligible; a foreign variant is not found.
    app.post("/api/v1/merchant/deals", Some(pl), deal(pl_var, 3000, 10))
        .await
        .error(422, "not_eligible");
    app.post("/api/v1/merchant/deals", Some(it), deal(pl_var, 3000, 10))
        .await
        .error(404, "not_found");
    app.post("/api/v1/merchant/deals", Some(it), deal(&variant, 800, 31))
        .await
        .error(422, "invalid_deal");
    app.post("/api/v1/merchant/deals", Some(it), deal(&variant, 800, 9))
        .await
        .error(422, "invalid_deal");
    let d = app
        .post("/api/v1/merchant/deals", Some(it), deal(&variant, 800, 30))
        .await;
    let did = d.ok(201)["id"].as_str().unwrap().to_owned();
    // Only operators decide; a buyer cannot; a decided deal is not decided again.
    let buyer = app.buyer("b@example.com").await;
    let approve = json!({"decision": "approve"});
    let path = format!("/api/v1/admin/deals/{did}/decision");
    app.post(&path, Some(&buyer), approve.clone())
        .await
        .error(403, "forbidden");
    app.post(&path, Some(&s.op), json!({"decision": "reject"}))
        .await
        .ok(200);
    app.post(&path, Some(&s.op), approve)
        .await
        .error(409, "invalid_transition");
    // A campaign whose enrolment has not opened takes no deals; bad campaigns are refused.
    let later = campaign(app, &s.op, "later", now + 30 * DAY).await;
    let closed = json!({"campaign_id": later, "variant_id": variant, "price_minor": 700, "cap": 10, "per_buyer": 1});
    app.post("/api/v1/merchant/deals", Some(it), closed)
        .await
        .error(409, "campaign_closed");
    let backwards = json!({"slug": "backwards", "time_zone": "UTC", "texts": {"en": {"name": "x"}},
        "enrol_from": at(now), "warmup_at": at(now), "starts_at": at(now + DAY), "ends_at": at(now),
        "min_discount_bps": 0, "min_units": 1});
    app.post("/api/v1/admin/campaigns", Some(&s.op), backwards)
        .await
        .error(422, "invalid_campaign");
    let list = app.get("/api/v1/campaigns?locale=ru", None).await;
    let list = list.ok(200).as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    let shown = app.get("/api/v1/campaigns/later?locale=ru", None).await;
    assert_eq!(shown.ok(200)["name"], "Фестиваль 11.11");
    assert_eq!(shown.ok(200)["phase"], "announced");
}

async fn a_deal_cap_of_50_holds_under_2000_checkouts(app: &TestApp) {
    let (_, variant, deal) = live_deal(app, 50, 5).await;
    let tokens = buyers(app, 400).await;
    let mut set = JoinSet::new();
    for (b, token) in tokens.iter().enumerate() {
        for k in 0..5 {
            let (remote, token, body) = (app.remote(), token.clone(), one(&variant, 1));
            set.spawn(async move {
                let r = remote
                    .post_idem("/api/v1/checkout", &token, &format!("burst-{b}-{k}"), body)
                    .await;
                (r.status.as_u16(), r.body)
            });
        }
    }
    let (mut placed, mut refused) = (0, 0);
    while let Some(r) = set.join_next().await {
        let (status, body) = r.unwrap();
        match status {
            201 => placed += 1,
            // Refused at the deal price, or (once the 1,000 units are gone) at any price.
            409 => {
                let code = body["error"]["code"].as_str().unwrap_or("");
                assert!(["deal_sold_out", "out_of_stock"].contains(&code), "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(placed + refused, 2000);
    assert!(placed <= 1000, "never more than the stock");
    let (at_deal, normal) = sold(app, &variant, &deal).await;
    assert_eq!(at_deal, 50, "exactly the committed units at the deal price");
    assert_eq!(normal, placed - 50, "the rest at the normal price");
    let c = app.get("/api/v1/campaigns/double-eleven", None).await;
    let d = &c.ok(200)["deals"][0];
    assert_eq!(
        (d["claimed"].as_i64(), d["sold_out"].as_bool()),
        (Some(50), Some(true))
    );
    audit(app).await;
}

async fn a_buyer_with_two_logins_gets_no_more_than_the_limit(app: &TestApp) {
    let (_, variant, deal) = live_deal(app, 50, 2).await;
    let first = app.buyer("eager@example.com").await;
    let second = app.login("eager@example.com").await;
    let mut set = JoinSet::new();
    for k in 0..50 {
        let token = if k % 2 == 0 { &first } else { &second }.clone();
        let (remote, body) = (app.remote(), one(&variant, 1));
        set.spawn(async move {
            let r = remote
                .post_idem("/api/v1/checkout", &token, &format!("eager-{k}"), body)
                .await;
            (r.status.as_u16(), r.body)
        });
    }
    while let Some(r) = set.join_next().await {
        let (status, body) = r.unwrap();
        match status {
            201 => {}
            409 => assert_eq!(body["error"]["code"], "deal_limit_reached", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let (at_deal, _) = sold(app, &variant, &deal).await;
    assert_eq!(at_deal, 2, "never one unit over the buyer's limit");
    // The buyer's claims are known on this node as they commit: the next checkout is priced
    // normally at once, not refused.
    let after = app
        .post_idem("/api/v1/checkout", &first, "eager-after", one(&variant, 1))
        .await;
    after.ok(201);
    let (at_deal, normal) = sold(app, &variant, &deal).await;
    assert_eq!(at_deal, 2);
    assert!(normal >= 1, "{normal}");
    // Asked for more than the limit at once, the line is priced (and charged) normally.
    let other = app.buyer("other@example.com").await;
    let cart = app
        .post(
            "/api/v1/carts",
            Some(&other),
            json!({"country": "FR", "currency": "EUR"}),
        )
        .await;
    let cid = cart.ok(201)["cart"]["id"].as_str().unwrap().to_owned();
    let view = app
        .post(
            &format!("/api/v1/carts/{cid}/lines"),
            Some(&other),
            json!({"variant_id": variant, "quantity": 3}),
        )
        .await;
    let line = view.ok(200)["groups"][0]["lines"][0].clone();
    assert!(line["deal"].is_null(), "{line}");
    let view = app
        .post(
            &format!("/api/v1/carts/{cid}/lines"),
            Some(&other),
            json!({"variant_id": variant, "quantity": 2}),
        )
        .await;
    let line = view.ok(200)["groups"][0]["lines"][0].clone();
    assert_eq!(line["deal"]["id"], deal.as_str());
    assert_eq!(line["deal"]["reference_price"]["amount_minor"], 1000);
    audit(app).await;
}

async fn caps_and_limits_hold_across_two_nodes(app: &TestApp) {
    let (_, variant, deal) = live_deal(app, 20, 3).await;
    let other = app.another_node().await;
    let tokens = buyers(app, 30).await;
    let mut set = JoinSet::new();
    for (b, token) in tokens.iter().enumerate() {
        for k in 0..4 {
            let node = if (b + k) % 2 == 0 {
                app.remote()
            } else {
                other.remote()
            };
            let (token, body) = (token.clone(), one(&variant, 1));
            set.spawn(async move {
                let r = node
                    .post_idem("/api/v1/checkout", &token, &format!("two-{b}-{k}"), body)
                    .await;
                (b, r.status.as_u16(), r.body)
            });
        }
    }
    while let Some(r) = set.join_next().await {
        let (_, status, body) = r.unwrap();
        assert!(
            status == 201
                || (status == 409
                    && ["deal_sold_out", "deal_limit_reached"]
                        .contains(&body["error"]["code"].as_str().unwrap_or(""))),
            "{status}: {body}"
        );
    }
    let (at_deal, _) = sold(app, &variant, &deal).await;
    assert_eq!(at_deal, 20, "the cap, across both nodes");
    let store = app.market.store();
    let orders = store.orders_by("status", "paid", 10_000).await.unwrap();
    let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
    let lines = store.order_lines(&ids).await.unwrap();
    let mut per_buyer = std::collections::HashMap::<String, i64>::new();
    for o in &orders {
        for l in lines
            .iter()
            .filter(|l| l.order_id == o.id && l.deal_id.is_some())
        {
            *per_buyer.entry(o.buyer_id.clone()).or_default() += l.quantity;
        }
    }
    assert!(per_buyer.values().all(|n| *n <= 3), "{per_buyer:?}");
    other.cleanup().await;
    audit(app).await;
}

async fn a_cancelled_order_gives_its_deal_units_back(app: &TestApp) {
    let (_, variant, deal) = live_deal(app, 10, 2).await;
    let buyer = app.buyer("slow@example.com").await;
    let mut body = one(&variant, 2);
    body["payment_method"] = json!("pm_sandbox_delayed");
    let placed = app
        .post_idem("/api/v1/checkout", &buyer, "slow-1", body)
        .await;
    assert_eq!(placed.ok(201)["status"], "awaiting_payment");
    assert_eq!(claimed(app).await, 2);
    // The buyer's limit is used up while the order waits for its payment…
    app.post_idem("/api/v1/checkout", &buyer, "slow-2", one(&variant, 1))
        .await
        .ok(201);
    // …and given back (to the deal and to the buyer) when the unpaid order is cancelled.
    app.clock.advance(31 * 60 * 1000);
    app.market.run_timers().await.unwrap();
    assert_eq!(claimed(app).await, 0, "the deal's units came back");
    let r = app
        .post_idem("/api/v1/checkout", &buyer, "slow-3", one(&variant, 2))
        .await;
    let lines = r.ok(201)["orders"][0]["lines"][0].clone();
    assert_eq!(
        lines["deal_id"],
        deal.as_str(),
        "the buyer's limit came back too"
    );
    assert_eq!(claimed(app).await, 2);
    audit(app).await;
}

/// Checkout prices a buyer's cart against their claims on every live deal, read at once
/// (and remembered for a moment): the claims of campaigns that have ended are not read.
async fn a_buyers_claims_are_read_for_every_live_deal_at_once(app: &TestApp) {
    let (_, variant, deal) = live_deal(app, 10, 3).await;
    let buyer = app.buyer("claims@example.com").await;
    app.post_idem("/api/v1/checkout", &buyer, "claims-1", one(&variant, 2))
        .await
        .ok(201);
    let me = app.get("/api/v1/me", Some(&buyer)).await;
    let id = me.ok(200)["id"].as_str().unwrap().to_owned();
    let store = app.market.store();
    let now = app.clock.now_ms();
    let live = store.buyer_claims(&id, now).await.unwrap();
    assert_eq!(live, std::collections::HashMap::from([(deal.clone(), 2)]));
    let later = store.buyer_claims(&id, now + 2 * DAY).await.unwrap();
    assert!(later.is_empty(), "the campaign has ended: {later:?}");
    // Several buyers in one read (how checkout reads the buyers it does not remember): each
    // gets their own claims, a buyer without any is absent.
    let other = app.buyer("claims-other@example.com").await;
    app.post_idem("/api/v1/checkout", &other, "claims-o", one(&variant, 1))
        .await
        .ok(201);
    let other_id = app.get("/api/v1/me", Some(&other)).await.ok(200)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let idle = app.buyer("claims-idle@example.com").await;
    let idle_id = app.get("/api/v1/me", Some(&idle)).await.ok(200)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let asked = [id.clone(), other_id.clone(), idle_id.clone()];
    let both = store.buyers_claims(&asked, now).await.unwrap();
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(
        both[&id],
        std::collections::HashMap::from([(deal.clone(), 2)])
    );
    assert_eq!(
        both[&other_id],
        std::collections::HashMap::from([(deal.clone(), 1)])
    );
    assert!(!both.contains_key(&idle_id));
    // One more unit is within the limit of 3: the deal's price; then the limit is reached and
    // the next unit is priced normally, at once.
    for (k, expected) in [(2, Some(deal.as_str())), (3, None)] {
        let r = app
            .post_idem(
                "/api/v1/checkout",
                &buyer,
                &format!("claims-{k}"),
                one(&variant, 1),
            )
            .await;
        let line = r.ok(201)["orders"][0]["lines"][0].clone();
        assert_eq!(line["deal_id"].as_str(), expected, "{line}");
    }
    audit(app).await;
}

/// Cookies of a signed-in visitor with a CSRF token, in `prefs` (`locale.currency.country`).
pub(crate) fn cookies(token: &str, prefs: &str) -> String {
    format!("caravan_csrf={CSRF}; caravan_prefs={prefs}; caravan_session={token}")
}

pub(crate) const CSRF: &str = "0123456789abcdef0123456789abcdef";

async fn the_festival_in_the_three_web_areas(app: &TestApp) {
    let (s, variant, _) = live_deal(app, 50, 2).await;
    let (it, _, _) = &s.it;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = &app.base;
    let get = |path: String, cookie: String| {
        let c = c.clone();
        async move {
            let r = c.get(path).header("cookie", cookie).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // A buyer in Poland sees the banner, the campaign's page and the deal on the product page.
    let buyer = app.buyer("ola@example.com").await;
    let (status, home) = get(format!("{base}/"), cookies(&buyer, "pl.EUR.PL")).await;
    assert_eq!(status, 200);
    assert!(
        home.contains("festival-banner") && home.contains("Trwa teraz"),
        "{home}"
    );
    let (_, page) = get(
        format!("{base}/festival/double-eleven"),
        cookies(&buyer, "pl.EUR.PL"),
    )
    .await;
    assert!(
        page.contains("<del>10,00") && page.contains("7,00"),
        "{page}"
    );
    assert!(page.contains("data-countdown"), "{page}");
    let p = app.get("/api/v1/campaigns/double-eleven", None).await;
    let product = p.ok(200)["deals"][0]["product_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, pp) = get(
        format!("{base}/p/{product}?variant={variant}"),
        cookies(&buyer, "en.EUR.FR"),
    )
    .await;
    assert!(pp.contains("deal-box") && pp.contains("−30%"), "{pp}");
    assert!(
        pp.contains("Lowest price of the 30 days before the festival: €10.00"),
        "{pp}"
    );
    // The operator creates a campaign from the console and approves a deal a store enrolled
    // from the seller centre.
    let op = cookies(&s.op, "en.EUR.IE");
    let now = app.clock.now_ms();
    let local = |ms: i64| caravan_domain::rfc3339(ms)[..16].to_owned();
    let form = [
        ("csrf", CSRF.to_owned()),
        ("slug", "black-friday".to_owned()),
        ("name", "Black Friday".to_owned()),
        ("time_zone", "Europe/Paris".to_owned()),
        ("starts_at", local(now + 2 * DAY)),
        ("ends_at", local(now + 3 * DAY)),
        ("min_discount", "10".to_owned()),
        ("min_units", "5".to_owned()),
    ];
    let r = c
        .post(format!("{base}/admin/festival/campaigns"))
        .header("cookie", &op)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let bf = app.get("/api/v1/campaigns/black-friday", None).await;
    let bf = bf.ok(200)["id"].as_str().unwrap().to_owned();
    let store = cookies(it, "it.EUR.IT");
    let (status, centre) = get(format!("{base}/seller/festival"), store.clone()).await;
    assert_eq!(status, 200);
    assert!(
        centre.contains("Black Friday") && centre.contains(&variant),
        "{centre}"
    );
    let enrol = [
        ("csrf", CSRF),
        ("campaign_id", bf.as_str()),
        ("variant_id", variant.as_str()),
        ("price", "8,50"),
        ("cap", "20"),
        ("per_buyer", "1"),
        ("slot_from", ""),
        ("slot_to", ""),
    ];
    let r = c
        .post(format!("{base}/seller/festival/deals"))
        .header("cookie", &store)
        .form(&enrol)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, console) = get(format!("{base}/admin/festival"), op.clone()).await;
    assert!(
        console.contains("pending-deals") && console.contains("8.50"),
        "{console}"
    );
    let pending = app
        .get(&format!("/api/v1/admin/campaigns/{bf}/deals"), Some(&s.op))
        .await;
    let did = pending.ok(200)[0]["id"].as_str().unwrap().to_owned();
    let decide = [("csrf", CSRF), ("decision", "approve")];
    let r = c
        .post(format!("{base}/admin/festival/deals/{did}/decision"))
        .header("cookie", &op)
        .form(&decide)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, mine) = get(format!("{base}/seller/festival"), store).await;
    assert!(mine.contains("Approvata"), "{mine}");
    // A buyer is refused the console with the 403 page; a bad price changes nothing.
    let (status, _) = get(
        format!("{base}/admin/festival"),
        cookies(&buyer, "en.EUR.FR"),
    )
    .await;
    assert_eq!(status, 403);
}

/// Units claimed of the first deal of the demo-named campaign.
async fn claimed(app: &TestApp) -> i64 {
    let c = app.get("/api/v1/campaigns/double-eleven", None).await;
    c.ok(200)["deals"][0]["claimed"].as_i64().unwrap()
}

/// The live screen counts the campaign's orders from the outbox, in euros and per country, and
/// streams them; only operators watch it.
async fn the_live_screen_follows_the_outbox(app: &TestApp) {
    let (s, variant, _) = live_deal(app, 50, 5).await;
    let first = app.get("/api/v1/admin/festival/live", Some(&s.op)).await;
    let first = first.ok(200).clone();
    assert_eq!(first["campaign"], "11.11 Global Shopping Festival");
    assert_eq!(
        (first["phase"].as_str(), first["orders"].as_i64()),
        (Some("live"), Some(0))
    );
    let buyer = app.buyer("watched@example.com").await;
    app.get("/api/v1/admin/festival/live", Some(&buyer))
        .await
        .error(403, "forbidden");
    // The stream is open before the orders come in.
    let stream = app
        .client
        .get(format!("{}/api/v1/admin/festival/live/stream", app.base))
        .bearer_auth(&s.op)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    for k in 0..3 {
        let r = app
            .post_idem(
                "/api/v1/checkout",
                &buyer,
                &format!("live-{k}"),
                one(&variant, 1),
            )
            .await;
        r.ok(201);
    }
    // €7.00 at the deal price and €9.00 shipping to France, three times.
    let mut stream = stream;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("\"orders\":3,") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await;
        let chunk = chunk
            .expect("the stream shows the orders in time")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: figures"), "{seen}");
    let now = app.get("/api/v1/admin/festival/live", Some(&s.op)).await;
    let now = now.ok(200).clone();
    assert_eq!(now["orders"], 3);
    assert_eq!(now["gmv"]["amount_minor"], 3 * (700 + 900));
    assert_eq!(now["countries"], json!([["FR", 3]]));
    assert_eq!(now["deals"][0]["claimed_percent"], 6, "3 of 50");
    let per_second: i64 = now["per_second"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_i64().unwrap())
        .sum();
    assert_eq!(per_second, 3);
    // The console's page renders the same figures in the operator's language.
    let page = app
        .client
        .get(format!("{}/admin/festival/live", app.base))
        .header("cookie", cookies(&s.op, "ru.EUR.IE"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Фестиваль в реальном времени") && page.contains("48,00"),
        "{page}"
    );
    assert!(
        page.contains("/assets/uplot.js") && page.contains("data-stream"),
        "{page}"
    );
    // One campaign's figures, read once from the outbox (what an ended campaign shows).
    let one = app
        .get("/api/v1/admin/campaigns/double-eleven/figures", Some(&s.op))
        .await;
    let one = one.ok(200).clone();
    assert_eq!(
        (one["orders"].as_i64(), one["gmv"]["amount_minor"].as_i64()),
        (Some(3), Some(3 * 1600))
    );
    app.get("/api/v1/admin/campaigns/nothing/figures", Some(&s.op))
        .await
        .error(404, "not_found");
    let tab = app
        .client
        .get(format!(
            "{}/admin/festival/live?campaign=double-eleven",
            app.base
        ))
        .header("cookie", cookies(&s.op, "en.EUR.IE"))
        .send()
        .await
        .unwrap();
    let tab = tab.text().await.unwrap();
    assert!(
        tab.contains("48.00") && !tab.contains("data-stream"),
        "{tab}"
    );
    let chart = app
        .client
        .get(format!("{}/assets/uplot.js", app.base))
        .send()
        .await
        .unwrap();
    assert!(chart.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}
