//! Store discounts: a store's percentage off everything while a campaign is live, the second
//! step of the declared stacking order (deal price → store discount → store coupon → platform
//! coupon), from a minimum spend, funded by the store, recorded on each line.

use crate::app::TestApp;
use crate::festival::{cookies, live_deal, one};
use crate::on_both_engines;
use crate::promotions::page;
use crate::shop::audit;
use caravan_market::Clock;
use reqwest::Method;
use serde_json::{json, Value};

on_both_engines!(a_store_discount_stacks_after_the_deal_and_before_the_coupons,);

/// (stage, funder, amount) of each discount on the first line of the first order.
fn steps(placed: &Value) -> Vec<(String, String, i64)> {
    placed["orders"][0]["lines"][0]["discounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_owned();
            (
                s("stage"),
                s("funder"),
                d["amount"]["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn step(stage: &str, funder: &str, amount: i64) -> (String, String, i64) {
    (stage.to_owned(), funder.to_owned(), amount)
}

async fn a_store_discount_stacks_after_the_deal_and_before_the_coupons(app: &TestApp) {
    let (s, variant, _) = live_deal(app, 50, 5).await;
    let (it, _, _) = &s.it;
    let campaigns = app.get("/api/v1/campaigns", None).await;
    let cid = campaigns.ok(200)[0]["id"].as_str().unwrap().to_owned();
    let path = "/api/v1/merchant/store-discounts";
    let body = |bps: i64| json!({"campaign_id": cid, "percent_bps": bps, "min_spend_minor": 1000});
    for bad in [0, 9001] {
        app.post(path, Some(it), body(bad))
            .await
            .error(422, "invalid_store_discount");
    }
    let buyer = app.buyer("sd@example.com").await;
    app.post(path, Some(&buyer), body(1000))
        .await
        .error(403, "forbidden");
    let missing = json!({"campaign_id": "cmp_00000000000000000000000000000000000000000000", "percent_bps": 1000});
    app.post(path, Some(it), missing)
        .await
        .error(404, "not_found");
    let d = app.post(path, Some(it), body(1000)).await.ok(201).clone();
    app.post(path, Some(it), body(500))
        .await
        .error(409, "store_discount_exists");

    let now = app.clock.now_ms();
    let coupon = |code: &str, value: i64| {
        json!({"code": code, "kind": "fixed", "value": value, "valid_from": caravan_domain::rfc3339(now - 1000),
               "valid_to": caravan_domain::rfc3339(now + 3_600_000), "per_buyer": 5})
    };
    app.post("/api/v1/merchant/coupons", Some(it), coupon("IT1", 100))
        .await
        .ok(201);
    app.post("/api/v1/admin/coupons", Some(&s.op), coupon("ALL2", 200))
        .await
        .ok(201);

    // One unit at the deal price (€7.00) is below the €10.00 minimum: the deal alone.
    let r = app
        .post_idem("/api/v1/checkout", &buyer, "sd-1", one(&variant, 1))
        .await;
    assert_eq!(steps(r.ok(201)), [step("deal", "merchant", 300)]);
    // Two units (€14.00): 10% off (€1.40), the store's €1.00, the marketplace's €2.00.
    let mut two = one(&variant, 2);
    two["coupons"] = json!(["IT1", "ALL2"]);
    let r = app.post_idem("/api/v1/checkout", &buyer, "sd-2", two).await;
    let placed = r.ok(201).clone();
    assert_eq!(
        steps(&placed),
        [
            step("deal", "merchant", 600),
            step("store_discount", "merchant", 140),
            step("store_coupon", "merchant", 100),
            step("platform_coupon", "platform", 200),
        ]
    );
    let o = &placed["orders"][0];
    assert_eq!(
        (
            o["goods"]["amount_minor"].as_i64(),
            o["platform_discount"]["amount_minor"].as_i64()
        ),
        (Some(1160), Some(200))
    );

    // Buyers see it on the campaign (API and page, in their language).
    let shown = app
        .get("/api/v1/campaigns/double-eleven/store-discounts", None)
        .await;
    let shown = shown.ok(200).clone();
    assert_eq!(
        (
            shown[0]["merchant_id"].as_str(),
            shown[0]["percent_bps"].as_i64()
        ),
        (Some(s.it.1.as_str()), Some(1000))
    );
    let (_, campaign, _) = page(
        app,
        Method::GET,
        "/festival/double-eleven",
        &cookies(&buyer, "pl.EUR.PL"),
        &[],
    )
    .await;
    assert!(
        campaign.contains("Rabat na cały sklep")
            && campaign.contains("−10% przy zamówieniach od 10,00"),
        "{campaign}"
    );
    // The seller centre lists it in the store's language; withdrawn, it no longer applies.
    let (_, centre, _) = page(
        app,
        Method::GET,
        "/seller/festival",
        &cookies(it, "it.EUR.IT"),
        &[],
    )
    .await;
    assert!(
        centre.contains("Sconto su tutto il negozio") && centre.contains("−10%"),
        "{centre}"
    );
    let id = d["id"].as_str().unwrap();
    let gone = app
        .call(Method::DELETE, &format!("{path}/{id}"), Some(it), None)
        .await;
    assert_eq!(gone.status, 204);
    let r = app
        .post_idem("/api/v1/checkout", &buyer, "sd-3", one(&variant, 2))
        .await;
    assert_eq!(steps(r.ok(201)), [step("deal", "merchant", 600)]);
    app.call(Method::DELETE, &format!("{path}/{id}"), Some(it), None)
        .await
        .error(404, "not_found");
    let listed = app.get(path, Some(it)).await;
    assert_eq!(listed.ok(200)[0]["status"], "withdrawn");
    audit(app).await;
}
