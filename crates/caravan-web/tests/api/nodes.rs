//! Two nodes on one database, as behind a load balancer: a catalogue change made through one
//! reaches the other's checkout within its cache's version check (not only when its cache
//! entries age out), and units sold through one are never sold again through the other.

use crate::app::{Res, TestApp};
use crate::on_both_engines;
use crate::shop::{address, shop};
use serde_json::json;
use std::time::{Duration, Instant};

on_both_engines!(
    a_catalogue_change_on_one_node_reaches_the_other_nodes_checkout,
    buyers_on_two_nodes_race_for_the_last_units_of_two_skus,
);

async fn buy(node: &TestApp, buyer: &str, variant: &str, quantity: i64, key: &str) -> Res {
    node.post_idem(
        "/api/v1/checkout",
        buyer,
        key,
        json!({"items": [{"variant_id": variant, "quantity": quantity}], "currency": "EUR",
               "address": address("FR"), "payment_method": "pm_sandbox_success"}),
    )
    .await
}

/// Changes a variant through `node` as its store (`token`).
async fn set_variant(node: &TestApp, token: &str, variant: &str, patch: serde_json::Value) {
    node.patch(
        &format!("/api/v1/merchant/variants/{variant}"),
        Some(token),
        patch,
    )
    .await
    .ok(200);
}

/// The store's only product, as its seller centre shows it (with stock).
async fn only_product(node: &TestApp, token: &str) -> serde_json::Value {
    let products = node.get("/api/v1/merchant/products", Some(token)).await;
    let pid = products.ok(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = node
        .get(&format!("/api/v1/merchant/products/{pid}"), Some(token))
        .await;
    p.ok(200).clone()
}

/// Checks out one unit on `node` until `done` says the answer shows the change, for at most
/// three seconds (the version is reread every 0.2 s; cache entries otherwise live 30 s).
async fn until_seen(
    node: &TestApp,
    buyer: &str,
    variant: &str,
    what: &str,
    done: impl Fn(&Res) -> bool,
) {
    let start = Instant::now();
    for n in 0.. {
        let res = buy(node, buyer, variant, 1, &format!("{what}-{n}")).await;
        if done(&res) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{what} not seen by the other node after {:?}: {}",
            start.elapsed(),
            res.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_catalogue_change_on_one_node_reaches_the_other_nodes_checkout(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, variant) = &s.it;
    let other = app.another_node().await;
    let buyer = app.buyer("nina@example.fr").await;
    // Enough stock that waiting for a change never sells out.
    set_variant(app, it, variant, json!({"stock": 500})).await;

    // The other node prices (and caches) the scarf: €25.00 + €9.00 shipping.
    let first = buy(&other, &buyer, variant, 1, "before").await;
    assert_eq!(first.ok(201)["total"]["amount_minor"], 3400);

    // A new price set through the first node.
    set_variant(app, it, variant, json!({"price_minor": 3000})).await;
    until_seen(&other, &buyer, variant, "price", |r| {
        r.status == 201 && r.body["total"]["amount_minor"] == 3900
    })
    .await;

    // Stock set through the first node, then sold through it: the other node's figure may be
    // stale, but its order writer sells nothing that is not there.
    set_variant(app, it, variant, json!({"stock": 2})).await;
    buy(app, &buyer, variant, 2, "the-last-two").await.ok(201);
    buy(&other, &buyer, variant, 1, "one-more")
        .await
        .error(409, "out_of_stock");
    let product = only_product(app, it).await;
    assert_eq!(product["variants"][0]["stock"], 0, "{product}");
    let pid = product["id"].as_str().unwrap().to_owned();

    // Restocked and unpublished through the first node: the other refuses to sell it.
    set_variant(app, it, variant, json!({"stock": 5})).await;
    app.patch(
        &format!("/api/v1/merchant/products/{pid}"),
        Some(it),
        json!({"status": "draft"}),
    )
    .await
    .ok(200);
    until_seen(&other, &buyer, variant, "unpublished", |r| {
        r.status == 422 && r.body["error"]["code"] == "not_purchasable"
    })
    .await;
    other.cleanup().await;
}

/// Forty checkouts, half through each node, each buying one unit of two SKUs (two stores, so
/// each batch decrements several SKUs at once): exactly the fifteen units there are are sold,
/// and stock plus sold still equals what there was, for both SKUs.
async fn buyers_on_two_nodes_race_for_the_last_units_of_two_skus(app: &TestApp) {
    let s = shop(app).await;
    let (it, _, it_var) = &s.it;
    let (pl, _, pl_var) = &s.pl;
    for (token, variant) in [(it, it_var), (pl, pl_var)] {
        set_variant(app, token, variant, json!({"stock": 15})).await;
    }
    let other = app.another_node().await;
    let buyer = app.buyer("race@example.fr").await;
    let body = json!({"items": [{"variant_id": it_var, "quantity": 1}, {"variant_id": pl_var, "quantity": 1}],
                      "currency": "EUR", "address": address("PL"), "payment_method": "pm_sandbox_success"});
    let mut set = tokio::task::JoinSet::new();
    for i in 0..40 {
        let node = if i % 2 == 0 { app } else { &other };
        let (remote, buyer, body) = (node.remote(), buyer.clone(), body.clone());
        set.spawn(async move {
            let r = remote
                .post_idem("/api/v1/checkout", &buyer, &format!("race-{i}"), body)
                .await;
            (r.status.as_u16(), r.body)
        });
    }
    let (mut placed, mut sold_out) = (0, 0);
    while let Some(answer) = set.join_next().await {
        let (status, body) = answer.unwrap();
        match status {
            201 => placed += 1,
            409 if body["error"]["code"] == "out_of_stock" => sold_out += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((placed, sold_out), (15, 25));
    for (token, variant) in [(it, it_var), (pl, pl_var)] {
        let v = only_product(app, token).await["variants"][0].clone();
        assert_eq!(v["id"], json!(variant));
        assert_eq!(v["stock"], 0, "{v}");
    }
    let orders = app.get("/api/v1/orders", Some(&buyer)).await;
    let n = orders.ok(200).as_array().map(Vec::len);
    assert_eq!(
        n,
        Some(30),
        "two orders (one per store) for each of the 15 checkouts"
    );
    other.cleanup().await;
}
