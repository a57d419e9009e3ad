//! One bad checkout never fails another buyer's: a batch of the order writer with poisoned
//! placements in it writes every ordinary one, each poisoned one gets its own 4xx, and every
//! authorization of a failed checkout is given back (the sandbox's records and the ledger say so).
//! Totals that would overflow are refused with 422 `amount_out_of_range`, never a 500 or a wrap.

use crate::app::TestApp;
use crate::concurrency::buyers;
use crate::on_both_engines;
use crate::shop::{address, audit, filled_cart, product, shop};
use caravan_store::Engine;
use serde_json::{json, Value};
use std::collections::HashSet;
use tokio::task::JoinSet;

on_both_engines!(
    a_poisoned_batch_fails_only_its_poisoned_checkouts,
    totals_that_would_overflow_are_refused
);

/// A trigger that refuses any order group whose address mentions POISON, as a broken row would:
/// the checkout passes every check before the writer and fails inside its batch.
async fn poison_the_database(app: &TestApp) {
    let pool = app.market.store().pool();
    let statements: &[&str] = match app.market.store().engine() {
        Engine::Sqlite => &["CREATE TRIGGER poison BEFORE INSERT ON order_groups \
             WHEN NEW.address LIKE '%POISON%' BEGIN SELECT RAISE(ABORT, 'poisoned order'); END"],
        Engine::Postgres => &[
            "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.address LIKE '%POISON%' THEN \
             RAISE EXCEPTION 'poisoned order' USING ERRCODE = 'check_violation'; END IF; \
             RETURN NEW; END $$",
            "CREATE TRIGGER poison BEFORE INSERT ON order_groups \
             FOR EACH ROW EXECUTE FUNCTION poison()",
        ],
    };
    for sql in statements {
        sqlx::raw_sql(sql).execute(pool).await.unwrap();
    }
}

/// Six variants at the largest price the API accepts (10^12 cents); 99 of each in IDR at
/// 17,500 per euro is more rupiah than an i64 holds.
async fn priciest_variants(app: &TestApp, token: &str, cat: &str) -> Vec<String> {
    let variants: Vec<Value> = (0..6)
        .map(|i| json!({"sku": format!("MAX-{i}"), "price_minor": 1_000_000_000_000i64, "stock": 1000}))
        .collect();
    let mut body = crate::app::product_body(cat, "MAX-0", 1, 1);
    body["variants"] = json!(variants);
    let p = app
        .post("/api/v1/merchant/products", Some(token), body)
        .await;
    p.ok(201)["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The two-country shop with a rate for the rupiah (17,500 per euro) and its child category.
async fn rupiah_shop(app: &TestApp) -> (crate::shop::Shop, String) {
    let s = shop(app).await;
    let rates = json!({"rates": {"IDR": "17500"}});
    app.put("/api/v1/admin/rates", Some(&s.op), rates)
        .await
        .ok(200);
    let cat = crate::shop::shop_category(app).await;
    (s, cat)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Ordinary,
    Declined,
    Unwritable,
    Overflowing,
}

fn kind(i: usize) -> Kind {
    match (i % 10, (i / 10) % 3) {
        (0, 0) => Kind::Declined,
        (0, 1) => Kind::Unwritable,
        (0, _) => Kind::Overflowing,
        _ => Kind::Ordinary,
    }
}

async fn a_poisoned_batch_fails_only_its_poisoned_checkouts(app: &TestApp) {
    let (s, cat) = rupiah_shop(app).await;
    let (it, _, _) = &s.it;
    let (product_id, variant) = product(app, it, &cat, "BULK-1", 500, 1000, "EUR").await;
    let priciest = priciest_variants(app, it, &cat).await;
    poison_the_database(app).await;
    let tokens = buyers(app, 20).await;

    let mut set = JoinSet::new();
    for i in 0..400 {
        let (remote, token) = (app.remote(), tokens[i % tokens.len()].clone());
        let (variant, priciest) = (variant.clone(), priciest.clone());
        set.spawn(async move {
            let k = kind(i);
            let mut addr = address("FR");
            let mut body = json!({"items": [{"variant_id": variant, "quantity": 1}], "payment_method": "pm_sandbox_success"});
            match k {
                Kind::Declined => body["payment_method"] = json!("pm_sandbox_decline"),
                Kind::Unwritable => addr["line1"] = json!("1 POISON street"),
                Kind::Overflowing => {
                    body["currency"] = json!("IDR");
                    body["items"] = json!(priciest
                        .iter()
                        .map(|v| json!({"variant_id": v, "quantity": 99}))
                        .collect::<Vec<_>>());
                }
                Kind::Ordinary => {}
            }
            body["address"] = addr;
            let r = remote
                .post_idem("/api/v1/checkout", &token, &format!("poison-{i}"), body)
                .await;
            (k, r.status.as_u16(), r.body)
        });
    }
    let mut kept = HashSet::new();
    let mut placed = 0;
    while let Some(r) = set.join_next().await {
        let (k, status, body) = r.unwrap();
        let code = body["error"]["code"].as_str().unwrap_or("").to_owned();
        match k {
            Kind::Ordinary => {
                assert_eq!(status, 201, "an ordinary checkout failed: {body}");
                kept.insert(body["payment"]["provider_ref"].as_str().unwrap().to_owned());
                placed += 1;
            }
            Kind::Declined => assert_eq!((status, code.as_str()), (402, "payment_declined")),
            Kind::Unwritable => assert_eq!((status, code.as_str()), (422, "order_not_writable")),
            Kind::Overflowing => {
                assert_eq!((status, code.as_str()), (422, "amount_out_of_range"))
            }
        }
    }
    assert_eq!(placed, 360);

    // Every authorization is kept for a placed checkout, or was given back in full.
    let holds = app.sandbox.holds();
    assert_eq!(
        holds.len(),
        360 + 13,
        "ordinary ones and the unwritable ones were authorized"
    );
    for h in &holds {
        if kept.contains(&h.reference) {
            assert!(!h.voided && h.refunded_minor == 0, "{h:?}");
        } else {
            assert!(
                h.voided || h.refunded_minor == h.amount_minor,
                "kept: {h:?}"
            );
        }
    }
    let p = app
        .get(&format!("/api/v1/merchant/products/{product_id}"), Some(it))
        .await;
    assert_eq!(p.ok(200)["variants"][0]["stock"], 1000 - 360);
    let paid = app
        .market
        .store()
        .orders_by("status", "paid", 10_000)
        .await
        .unwrap();
    assert_eq!(paid.len(), 360);
    audit(app).await;
}

async fn totals_that_would_overflow_are_refused(app: &TestApp) {
    let (s, cat) = rupiah_shop(app).await;
    let (it, _, _) = &s.it;
    let priciest = priciest_variants(app, it, &cat).await;
    let buyer = app.buyer("rich@example.com").await;
    // The cart: five lines of 99 in rupiah fit in an i64, a sixth would not; it is refused and
    // the cart stays as it was instead of showing a negative total.
    let cid = filled_cart(app, &buyer, ("FR", "IDR"), &priciest[..5], 99).await;
    let line = |v: &str| json!({"variant_id": v, "quantity": 99});
    app.post(
        &format!("/api/v1/carts/{cid}/lines"),
        Some(&buyer),
        line(&priciest[5]),
    )
    .await
    .error(422, "amount_out_of_range");
    let view = app.get(&format!("/api/v1/carts/{cid}"), Some(&buyer)).await;
    let view = view.ok(200).clone();
    let total = view["goods_total"]["amount_minor"].as_i64().unwrap();
    assert!(
        total > 8_000_000_000_000_000_000,
        "five lines still fit: {total}"
    );
    assert_eq!(
        view["groups"][0]["lines"].as_array().unwrap().len(),
        5,
        "nothing written"
    );
    let items: Vec<Value> = priciest.iter().map(|v| line(v)).collect();
    let body = json!({"items": items, "currency": "IDR", "address": address("FR"), "payment_method": "pm_sandbox_success"});
    app.post_idem("/api/v1/checkout", &buyer, "too-much", body)
        .await
        .error(422, "amount_out_of_range");
    assert!(app.sandbox.holds().is_empty(), "nothing was authorized");

    // Every input that feeds a sum is bounded: shipping bands, thresholds, rates.
    let band = |price: i64| json!({"rules": [{"destination": "*", "method": "standard", "bands": [{"up_to_grams": 1000, "price_minor": price}], "min_days": 3, "max_days": 9}]});
    app.put("/api/v1/merchant/shipping", Some(it), band(i64::MAX))
        .await
        .error(422, "invalid_shipping");
    app.put(
        "/api/v1/merchant/shipping",
        Some(it),
        band(1_000_000_000_001),
    )
    .await
    .error(422, "invalid_shipping");
    app.put(
        "/api/v1/merchant/shipping",
        Some(it),
        band(1_000_000_000_000),
    )
    .await
    .ok(200);
    let mut free = band(100);
    free["rules"][0]["free_over_minor"] = json!(i64::MAX);
    app.put("/api/v1/merchant/shipping", Some(it), free)
        .await
        .error(422, "invalid_shipping");
    let huge = json!({"rates": {"VND": "1000000001"}});
    app.put("/api/v1/admin/rates", Some(&s.op), huge)
        .await
        .error(422, "invalid_rate");
    let mut price = crate::app::product_body(&cat, "OVER-1", 1, 1);
    price["variants"][0]["price_minor"] = json!(1_000_000_000_001i64);
    app.post("/api/v1/merchant/products", Some(it), price)
        .await
        .error(422, "invalid_price");
    let qty = json!({"items": [{"variant_id": priciest[0], "quantity": 100}], "address": address("FR"), "payment_method": "pm_sandbox_success"});
    app.post_idem("/api/v1/checkout", &buyer, "too-many", qty)
        .await
        .error(422, "invalid_quantity");
    audit(app).await;
}
