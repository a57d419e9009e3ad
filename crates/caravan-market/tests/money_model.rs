//! A randomized state-machine test of the money: seeded random sequences of checkout, payment,
//! ship, deliver, confirm, refund, cancel, dispute, payout and timers, on SQLite and (when
//! `CARAVAN_TEST_POSTGRES` is set) PostgreSQL. After every step: each ledger transaction sums to
//! zero per currency, running balances equal their entries, escrow equals the money of paid but
//! not completed orders, no merchant balance is negative, stock plus sold units equals the
//! starting stock, deal units and coupon budgets match the standing orders, and every payment authorization either belongs to a checkout the buyer was
//! told succeeded or was given back (checkouts are repeated with their key now and then).
//! A creator earns on checkouts that type their code or followed their link (the last buyer is
//! the creator: those checkouts are self-referrals and earn nothing): the creator's pending,
//! held, available and paid-out money always adds up to the commission not reversed, each
//! commission's reversed part is exactly its share of what its order refunded, and creator
//! payouts never overdraw. Two stores pledge to a cause (a share of each sale, an amount per
//! unit): its pending and confirmed ledger accounts (plus what was remitted) always hold the
//! pledges left on paid and on completed orders (plus buyers' paid donations, made with some
//! checkouts: paid exactly when the payment is captured), and the public meter, its per-store
//! parts and the donations equal the ledger to the cent. The creator is accepted to the third
//! store's per-sale collaboration, and now and then a store publishes a fixed-fee brief, accepts
//! the creator (holding the fee from its balance, refused when it does not cover it), and the
//! creator delivers or the fee lapses back: each brief's account always holds the fees of its
//! accepted, undelivered creators, and delivered fees join the creator's money.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly on the first broken expectation"
)]

use caravan_domain::account::Role;
use caravan_domain::Locale;
use caravan_market::accounts::{Actor, Credentials, Registration};
use caravan_market::carts::LineInput;
use caravan_market::catalogue::{NewCategory, NewProduct, NewVariant, TextInput};
use caravan_market::checkout::{Address, CheckoutRequest, Referral};
use caravan_market::festival::{
    CampaignInput, CampaignText, CouponInput, DealDecision, DealInput, StoreDiscountInput,
};
use caravan_market::merchants::{Application, Decision};
use caravan_market::orders::{CancelInput, DisputeDecision, NewDispute, RefundInput, ShipInput};
use caravan_market::payments::Sandbox;
use caravan_market::payouts::PayoutInput;
use caravan_market::rates::SetRates;
use caravan_market::shipping::{BandInput, RuleInput, ShippingRules};
use caravan_market::{ManualClock, Market, MarketConfig, DAY_MS};
use caravan_store::testing::TestDb;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

fn idem(k: &str) -> caravan_market::idempotency::IdempotencyKey {
    caravan_market::idempotency::IdempotencyKey::parse(Some(k)).expect("a valid key")
}

const SECRET: &str = "whsec_model";
const STOCK: i64 = 40;

struct World {
    market: Market,
    provider: Arc<Sandbox>,
    clock: Arc<ManualClock>,
    op: Actor,
    merchants: Vec<Actor>,
    /// Store id → the actor who runs it.
    store_owner: HashMap<String, Actor>,
    buyers: Vec<Actor>,
    variants: Vec<String>,
    /// A festival deal on the first variant (cap 15, 3 per buyer), live for 20 days.
    deal: String,
    /// The creator (the last buyer's account), their id and a link of theirs.
    creator: (Actor, String, String),
    /// A cause the second and third stores pledge to (8% of each sale; 1.50 a unit).
    cause: String,
}

async fn actor(market: &Market, email: &str, extra: &[Role]) -> Actor {
    let r = Registration {
        email: email.into(),
        password: "model password 1".into(),
        display_name: email.into(),
        country: Some("FR".into()),
        locale: None,
    };
    market.register(r, extra).await.unwrap();
    let t = market
        .login(Credentials {
            email: email.into(),
            password: "model password 1".into(),
        })
        .await
        .unwrap();
    market.authenticate(&t.token).await.unwrap()
}

async fn world(db: &TestDb) -> World {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let config = MarketConfig {
        webhook_secret: SECRET.into(),
        payout_minimum_units: 1,
        creator_payout_minimum_units: 1,
        commission_hold_ms: 3 * DAY_MS,
        ..MarketConfig::default()
    };
    // The sandbox remembers every authorization and what was given back.
    let provider = Arc::new(Sandbox::new(SECRET.into()));
    let market = Market::with_provider(db.store.clone(), clock.clone(), config, provider.clone());
    let op = actor(&market, "op@model.test", &[Role::Operator]).await;
    market
        .set_rates(
            &op,
            SetRates {
                rates: BTreeMap::from([
                    ("PLN".into(), "4.3".into()),
                    ("TRY".into(), "35.5".into()),
                ]),
            },
        )
        .await
        .unwrap();
    let cat = market
        .create_category(
            &op,
            NewCategory {
                slug: "things".into(),
                parent_id: None,
                position: 0,
                names: BTreeMap::from([("en".into(), "Things".into())]),
            },
        )
        .await
        .unwrap();
    market.set_category_fee(&op, &cat.id, 730).await.unwrap();
    let mut merchants = Vec::new();
    let mut store_owner = HashMap::new();
    let mut variants = Vec::new();
    for (i, (country, currency)) in [("IT", "EUR"), ("PL", "PLN"), ("TR", "TRY")]
        .into_iter()
        .enumerate()
    {
        let a = actor(&market, &format!("m{i}@model.test"), &[]).await;
        let app = Application {
            store_name: format!("Store {i}"),
            country: country.into(),
            settlement_currency: currency.into(),
            default_locale: "en".into(),
            description: String::new(),
        };
        let m = market.apply_to_sell(&a, app).await.unwrap();
        market
            .decide_merchant(
                &op,
                &m.id,
                Decision {
                    decision: caravan_domain::merchant::MerchantDecision::Approve,
                    reason: None,
                },
            )
            .await
            .unwrap();
        let a = market
            .authenticate(&market.create_token(&a, "model").await.unwrap().token)
            .await
            .unwrap();
        let rules = ShippingRules {
            rules: vec![RuleInput {
                destination: "*".into(),
                method: "standard".into(),
                bands: vec![BandInput {
                    up_to_grams: 100_000,
                    price_minor: 333 + i as i64 * 100,
                }],
                free_over_minor: Some(20_000),
                min_days: 2,
                max_days: 9,
            }],
        };
        market.set_shipping(&a, rules).await.unwrap();
        for j in 0..2 {
            let price = 1999 + (i * 2 + j) as i64 * 777;
            let p = new_product(
                &cat.id,
                &format!("Thing {i}{j}"),
                &format!("S{i}{j}"),
                price,
                STOCK,
            );
            variants.push(
                market.create_product(&a, p).await.unwrap().variants[0]
                    .id
                    .clone(),
            );
        }
        store_owner.insert(m.id.clone(), a.clone());
        merchants.push(a);
    }
    let mut buyers = Vec::new();
    for i in 0..3 {
        buyers.push(actor(&market, &format!("b{i}@model.test"), &[]).await);
    }
    let deal = festival_deal(&market, &op, &merchants[0], &variants[0]).await;
    coupons(&market, &op, &merchants[0], &buyers[0]).await;
    let creator = creator(&market, &op, &merchants, &buyers[2], &variants[2]).await;
    let cause = charity(&market, &op, &merchants).await;
    per_sale_collab((&market, &clock), &merchants[2], &creator.0, &variants[4]).await;
    World {
        cause,
        market,
        provider,
        clock,
        op,
        merchants,
        store_owner,
        buyers,
        variants,
        deal,
        creator,
    }
}

/// The last buyer becomes a creator with the code MMCREATOR and a link to the second store's
/// product; the first two stores offer commission (10%, 15% on one product), the third none.
async fn creator(
    market: &Market,
    op: &Actor,
    merchants: &[Actor],
    who: &Actor,
    variant: &str,
) -> (Actor, String, String) {
    use caravan_market::connect::commission::CommissionRateInput;
    use caravan_market::connect::earnings::CreatorSettings;
    use caravan_market::connect::{CreatorApplication, LinkInput};
    let app = CreatorApplication {
        handle: "model.creator".into(),
        languages: vec!["fr".into()],
        countries: vec!["FR".into()],
        links: vec![],
        pitch: "Things".into(),
    };
    let c = market.apply_to_create(who, app).await.unwrap();
    let approve = Decision {
        decision: caravan_domain::merchant::MerchantDecision::Approve,
        reason: None,
    };
    market.decide_creator(op, &c.id, approve).await.unwrap();
    let who = market
        .authenticate(&market.create_token(who, "creator").await.unwrap().token)
        .await
        .unwrap();
    let settings = CreatorSettings {
        code: Some("mmcreator".into()),
        payout_currency: Some("EUR".into()),
    };
    market.set_creator_settings(&who, settings).await.unwrap();
    for (i, m) in merchants.iter().take(2).enumerate() {
        let rate = CommissionRateInput {
            scope: "store".into(),
            target_id: None,
            rate_bps: Some(1000 + 500 * i as i64),
        };
        market.set_commission_rate(m, rate).await.unwrap();
    }
    let product = market.store().variant(variant).await.unwrap().unwrap();
    let link = LinkInput {
        target: product.product_id,
    };
    let link = market.create_link(&who, link).await.unwrap();
    (who, c.id, link.code)
}

/// A cause collecting for 90 days; the second store pledges 8% of each sale, the third 1.50
/// a unit (pledges are made before the cause starts, so they can still be changed: the third
/// first pledges 5% and then changes its mind).
async fn charity(market: &Market, op: &Actor, merchants: &[Actor]) -> String {
    use caravan_market::charity::{CauseInput, CauseTextInput, PledgeInput};
    let now = 1_800_000_000_000i64;
    let at = caravan_domain::rfc3339;
    let cause = CauseInput {
        slug: "model-cause".into(),
        texts: BTreeMap::from([(
            "en".into(),
            CauseTextInput {
                name: "Model cause".into(),
                description: String::new(),
            },
        )]),
        partner: "Partner".into(),
        partner_url: String::new(),
        target_minor: 100_000,
        currency: "EUR".into(),
        starts_at: at(now + 1),
        ends_at: at(now + 90 * DAY_MS),
    };
    let c = market.create_cause(op, cause, Locale::En).await.unwrap();
    for (m, kind, value) in [
        (&merchants[1], "percent", 800),
        (&merchants[2], "percent", 500),
        (&merchants[2], "per_unit", 150),
    ] {
        let p = PledgeInput {
            kind: kind.into(),
            value,
        };
        market.pledge(m, &c.id, p, Locale::En).await.unwrap();
    }
    c.id
}

fn provider_ref(checkout_answer: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(checkout_answer).unwrap();
    v["payment"]["provider_ref"].as_str().unwrap().to_owned()
}

/// Every authorization belongs to a checkout the buyer was told succeeded, or was given back.
fn check_holds(w: &World, answered: &std::collections::HashSet<String>, step: usize, seed: u64) {
    for h in w.provider.holds() {
        let r = &h.reference;
        if answered.contains(r) {
            assert!(
                !h.voided,
                "seed {seed} step {step}: {r} voided but its checkout stands"
            );
        } else {
            assert!(
                h.voided || h.refunded_minor >= h.amount_minor,
                "seed {seed} step {step}: {r} held for a checkout that did not happen: {h:?}"
            );
        }
    }
}

/// A live campaign with an approved deal on `variant` (30% off, 15 units, 3 per buyer) and the
/// store's discount on everything.
async fn festival_deal(market: &Market, op: &Actor, store: &Actor, variant: &str) -> String {
    let now = market.now_ms();
    let at = caravan_domain::rfc3339;
    let c = CampaignInput {
        slug: "model".into(),
        time_zone: "UTC".into(),
        texts: BTreeMap::from([(
            "en".into(),
            CampaignText {
                name: "Model festival".into(),
                description: String::new(),
            },
        )]),
        enrol_from: at(now - DAY_MS),
        warmup_at: at(now - DAY_MS),
        starts_at: at(now - 60_000),
        ends_at: at(now + 20 * DAY_MS),
        min_discount_bps: 1000,
        min_units: 5,
        categories: vec![],
        ship_from: vec![],
        banner: None,
    };
    let c = market.create_campaign(op, c, Locale::En).await.unwrap();
    // The store's 5% off everything from €20.00, after the deal price and before the coupons.
    let discount = StoreDiscountInput {
        campaign_id: c.id.clone(),
        percent_bps: 500,
        min_spend_minor: 2000,
    };
    market.create_store_discount(store, discount).await.unwrap();
    let d = DealInput {
        campaign_id: c.id,
        variant_id: variant.into(),
        price_minor: 1999 * 7 / 10,
        cap: 15,
        per_buyer: 3,
        slot_from: None,
        slot_to: None,
    };
    let d = market.enrol_deal(store, d, Locale::En).await.unwrap();
    let approve =
        serde_json::from_value::<DealDecision>(serde_json::json!({"decision": "approve"}));
    market
        .decide_deal(op, &d.id, approve.unwrap(), Locale::En)
        .await
        .unwrap();
    d.id
}

/// Two coupons for the checkouts to name: the platform's €2.00 off (20 uses, 2 per buyer) and
/// the first store's 10% off (€30.00 of budget, collect first; only the first buyer has).
async fn coupons(market: &Market, op: &Actor, store: &Actor, collector: &Actor) {
    let now = market.now_ms();
    let input = |code: &str, kind: &str, value: i64| CouponInput {
        code: code.into(),
        kind: kind.into(),
        value,
        currency: Some("EUR".into()),
        min_spend_minor: 0,
        valid_from: caravan_domain::rfc3339(now),
        valid_to: caravan_domain::rfc3339(now + 20 * DAY_MS),
        budget_uses: None,
        budget_minor: None,
        per_buyer: 2,
        collect: false,
        campaign_id: None,
    };
    let platform = CouponInput {
        budget_uses: Some(20),
        ..input("MM-PLATFORM", "fixed", 200)
    };
    market.create_platform_coupon(op, platform).await.unwrap();
    let own = CouponInput {
        budget_minor: Some(3000),
        collect: true,
        ..input("MM-STORE", "percent", 1000)
    };
    market.create_store_coupon(store, own).await.unwrap();
    market.collect_coupon(collector, "MM-STORE").await.unwrap();
}

/// A coupon's (id, used uses, used money, budget in uses, budget in money, per-buyer limit).
type Budget = (String, i64, i64, Option<i64>, Option<i64>, i64);

/// Each coupon's used budget is exactly what the standing orders took of it: a checkout's use
/// while one of its orders that used the coupon stands, and their money; never over a budget or
/// a buyer's limit; the platform never spends more than the platform discounts it recorded.
async fn check_coupons(w: &World, step: usize, seed: u64) {
    let pool = w.market.store().pool();
    let budgets: Vec<Budget> = sqlx::query_as(
        "SELECT id, used_uses, used_minor, budget_uses, budget_minor, per_buyer FROM coupons",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (id, uses, minor, budget_uses, budget_minor, per_buyer) in budgets {
        let standing: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT g.buyer_id, oc.group_id, oc.amount_minor FROM order_coupons oc \
             JOIN orders o ON o.id = oc.order_id JOIN order_groups g ON g.id = oc.group_id \
             WHERE oc.coupon_id = $1 AND o.status <> 'cancelled'",
        )
        .bind(&id)
        .fetch_all(pool)
        .await
        .unwrap();
        let groups: std::collections::BTreeSet<(&str, &str)> = standing
            .iter()
            .map(|s| (s.0.as_str(), s.1.as_str()))
            .collect();
        let money: i64 = standing.iter().map(|s| s.2).sum();
        let at = format!("seed {seed} step {step}: coupon {id}");
        assert_eq!(
            (uses, minor),
            (groups.len() as i64, money),
            "{at}: used ≠ orders"
        );
        assert!(budget_uses.is_none_or(|b| uses <= b), "{at}: over its uses");
        assert!(
            budget_minor.is_none_or(|b| minor <= b),
            "{at}: over its money"
        );
        for b in &w.buyers {
            let mine = groups
                .iter()
                .filter(|g| g.0 == b.user_id.to_string())
                .count();
            assert!(mine as i64 <= per_buyer, "{at}: over a buyer's limit");
        }
    }
    let recorded: BTreeMap<String, i64> = sqlx::query_as(
        "SELECT currency, CAST(SUM(platform_discount_minor) AS BIGINT) FROM orders GROUP BY currency",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    for (account, currency, balance) in w.market.store().balances().await.unwrap() {
        if account == "platform:promotions" {
            let most = recorded.get(&currency).copied().unwrap_or(0);
            assert!(
                (0..=most).contains(&-balance),
                "seed {seed} step {step}: the platform spent {} {currency} of {most}",
                -balance
            );
        }
    }
}

/// The deal's claimed units are exactly its units in orders that were not cancelled, never
/// over its cap, and no buyer holds more than the per-buyer limit.
async fn check_deal(w: &World, step: usize, seed: u64) {
    let pool = w.market.store().pool();
    let per_buyer: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.buyer_id, CAST(SUM(l.quantity) AS BIGINT) FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE l.deal_id = $1 AND o.status <> 'cancelled' \
         GROUP BY o.buyer_id",
    )
    .bind(&w.deal)
    .fetch_all(pool)
    .await
    .unwrap();
    let (claimed,): (i64,) = sqlx::query_as("SELECT claimed FROM deals WHERE id = $1")
        .bind(&w.deal)
        .fetch_one(pool)
        .await
        .unwrap();
    let sold: i64 = per_buyer.iter().map(|(_, n)| n).sum();
    assert_eq!(
        claimed, sold,
        "seed {seed} step {step}: claimed units match the orders"
    );
    assert!(claimed <= 15, "seed {seed} step {step}: over the cap");
    assert!(
        per_buyer.iter().all(|(_, n)| *n <= 3),
        "seed {seed} step {step}: over a buyer's limit: {per_buyer:?}"
    );
}

/// The first buyer checks out with the creator's code at the first store, the order completes,
/// its commission's hold ends; the invariants hold at every step. The order's id.
async fn commission_to_the_end(
    w: &World,
    seen: &mut std::collections::BTreeSet<String>,
    seed: u64,
) -> String {
    let m = &w.market;
    // A product of the first store (it offers 10%) that the walk never buys.
    let variant = tail_product(w).await;
    let req = CheckoutRequest {
        cart_id: None,
        items: Some(vec![LineInput {
            variant_id: variant,
            quantity: 1,
        }]),
        currency: Some("EUR".into()),
        shipping: BTreeMap::new(),
        address: Address {
            name: "A".into(),
            line1: "0 Model Street".into(),
            line2: None,
            city: "C".into(),
            postal_code: "1".into(),
            country: "FR".into(),
            phone: None,
        },
        payment_method: "pm_sandbox_success".into(),
        coupons: vec![],
        creator_code: Some("MMCREATOR".into()),
        donation: None,
        referral: None,
    };
    let placed = m
        .checkout(
            &w.buyers[0],
            &idem("tail"),
            "tail",
            req,
            caravan_domain::Locale::En,
        )
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&placed.body).unwrap();
    let order = v["orders"][0]["id"].as_str().unwrap().to_owned();
    let owner = &w.merchants[0];
    let ship = ShipInput {
        carrier: "DHL".into(),
        tracking_number: "TAIL".into(),
    };
    m.ship(owner, &order, ship).await.unwrap();
    m.deliver(owner, &order).await.unwrap();
    m.confirm_receipt(&w.buyers[0], &order).await.unwrap();
    check_invariants(w, 10_000, seed).await;
    seen.extend(commission_states(w).await);
    w.clock.advance(4 * DAY_MS);
    m.run_timers().await.unwrap();
    check_invariants(w, 10_001, seed).await;
    seen.extend(commission_states(w).await);
    let c = m.store().commission(&order).await.unwrap().unwrap();
    assert_eq!(c.state, "available", "seed {seed}: {c:?}");
    order
}

/// A published product with one variant.
fn new_product(cat: &str, title: &str, sku: &str, price_minor: i64, stock: i64) -> NewProduct {
    NewProduct {
        category_id: cat.to_owned(),
        texts: BTreeMap::from([(
            "en".into(),
            TextInput {
                title: title.to_owned(),
                description: String::new(),
            },
        )]),
        images: vec![],
        attributes: BTreeMap::new(),
        hs_code: None,
        origin_country: None,
        ship_from_country: None,
        weight_grams: 250,
        status: Some("published".into()),
        variants: vec![NewVariant {
            sku: sku.to_owned(),
            options: BTreeMap::new(),
            price_minor,
            currency: None,
            stock,
        }],
    }
}

/// A product of the first store kept for the end of the walk; its variant.
async fn tail_product(w: &World) -> String {
    let cat = w
        .market
        .store()
        .product(
            &w.market
                .store()
                .variant(&w.variants[1])
                .await
                .unwrap()
                .unwrap()
                .product_id,
        )
        .await
        .unwrap()
        .unwrap()
        .category_id;
    let p = new_product(&cat, "Tail thing", "TAIL", 2500, 5);
    let p = w.market.create_product(&w.merchants[0], p).await.unwrap();
    p.variants[0].id.clone()
}

/// The states the creator's commissions are in now.
async fn commission_states(w: &World) -> Vec<String> {
    let states: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT state FROM commissions")
        .fetch_all(w.market.store().pool())
        .await
        .unwrap();
    states.into_iter().map(|s| s.0).collect()
}

/// The commission left on an order: the frozen commission less its share of the refunds.
fn commission_left(o: &caravan_store::checkout::OrderRecord) -> i64 {
    o.commission_minor
        - caravan_domain::prorate(o.commission_minor, o.refunded_minor, o.total_minor).unwrap()
}

/// The creator's money adds up: pending is the commission left on paid, uncompleted orders;
/// held is the confirmed commissions' unreversed part; pending + held + available + paid out
/// is every posted commission's unreversed part; each commission's reversed part is exactly
/// its share of its order's refunds (all of it when the order was cancelled or refunded).
async fn check_creator(w: &World, all: &[caravan_store::checkout::OrderRecord], at: &str) {
    let store = w.market.store();
    let id = &w.creator.1;
    let mut expect: BTreeMap<(String, &str), i64> = BTreeMap::new();
    for o in all {
        let Some(c) = store.commission(&o.id).await.unwrap() else {
            assert_eq!(o.commission_minor, 0, "{at}: commission without its record");
            continue;
        };
        assert_eq!(o.creator_id.as_deref(), Some(id.as_str()));
        assert_eq!(c.amount_minor, o.commission_minor, "{at}: frozen amount");
        let reversed = match o.status.as_str() {
            "cancelled" | "refunded" => c.amount_minor,
            _ => c.amount_minor - commission_left(o),
        };
        assert_eq!(c.reversed_minor, reversed, "{at}: {} reversed", o.id);
        let left = c.amount_minor - c.reversed_minor;
        if c.state == "reversed" {
            assert_eq!(left, 0, "{at}: a reversed commission with money left");
        }
        let posted = o.status != "awaiting_payment" && o.paid_at.is_some();
        if posted {
            *expect.entry((c.currency.clone(), "total")).or_default() += left;
        }
        match (o.status.as_str(), c.state.as_str()) {
            ("paid" | "shipped" | "delivered", "pending") => {
                *expect.entry((c.currency.clone(), "pending")).or_default() += left
            }
            ("completed", "confirmed") => {
                *expect.entry((c.currency.clone(), "held")).or_default() += left
            }
            ("completed", "available") | ("cancelled" | "refunded", "reversed") => {}
            ("completed" | "awaiting_payment", "reversed" | "pending") if left == 0 => {}
            ("awaiting_payment", "pending") => {}
            (s, st) => panic!("{at}: an order {s} with its commission {st}"),
        }
    }
    for (currency, fees) in check_collabs(w, at).await {
        if fees != 0 {
            *expect.entry((currency, "total")).or_default() += fees;
        }
    }
    let mut have: BTreeMap<(String, &str), i64> = BTreeMap::new();
    for (account, currency, balance) in store.creator_balances(id).await.unwrap() {
        let slot = if account.ends_with(":pending") {
            "pending"
        } else if account.ends_with(":held") {
            "held"
        } else {
            "available"
        };
        *have.entry((currency.clone(), slot)).or_default() += balance;
        *have.entry((currency, "total")).or_default() += balance;
    }
    let paid: Vec<(String, i64)> = sqlx::query_as(
        "SELECT e.currency, CAST(SUM(e.amount_minor) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_transactions t ON t.id = e.tx_id \
         WHERE t.kind = 'creator_payout' AND e.account = $1 GROUP BY e.currency",
    )
    .bind(format!("creator:{id}"))
    .fetch_all(store.pool())
    .await
    .unwrap();
    for (currency, out) in paid {
        *have.entry((currency, "total")).or_default() -= out;
    }
    for (k, v) in have.iter().filter(|(k, _)| k.1 != "available") {
        assert_eq!(
            expect.get(k).copied().unwrap_or(0),
            *v,
            "{at}: creator {k:?}"
        );
    }
    for (k, v) in &expect {
        assert_eq!(have.get(k).copied().unwrap_or(0), *v, "{at}: creator {k:?}");
    }
}

/// The third store's per-sale brief (20%) on its first product, with the creator accepted.
async fn per_sale_collab(
    (market, clock): (&Market, &ManualClock),
    store: &Actor,
    creator: &Actor,
    variant: &str,
) {
    let v = market.store().variant(variant).await.unwrap().unwrap();
    let now = {
        use caravan_market::Clock;
        clock.now_ms()
    };
    let id = brief(market, store, &v.product_id, ("per_sale", 2_000, now)).await;
    apply_and_accept(market, store, creator, &id).await.unwrap();
}

/// A brief of `store` featuring `product`, running for 6 days; its id.
async fn brief(
    market: &Market,
    store: &Actor,
    product: &str,
    (kind, value, now): (&str, i64, i64),
) -> String {
    let input = caravan_market::connect::collabs::CollabInput {
        title: "Model brief".into(),
        brief: "Feature the product, please".into(),
        locale: None,
        product_ids: vec![product.to_owned()],
        kind: kind.into(),
        value,
        places: 1,
        ends_at: caravan_domain::rfc3339(now + 6 * DAY_MS),
    };
    market
        .create_collab(store, input, Locale::En)
        .await
        .unwrap()
        .id
}

/// The creator applies to a brief and its store accepts them.
async fn apply_and_accept(
    market: &Market,
    store: &Actor,
    creator: &Actor,
    id: &str,
) -> Result<(), caravan_market::MarketError> {
    use caravan_market::connect::collabs::{CollabApplyInput, CollabDecisionInput};
    let pitch = CollabApplyInput { pitch: "Me".into() };
    let me = market.apply_to_collab(creator, id, pitch).await.unwrap();
    let accept = CollabDecisionInput {
        decision: "accept".into(),
    };
    market
        .decide_collab(store, id, &me.creator_id, accept)
        .await
        .map(|_| ())
}

/// A fixed-fee brief's walk, chosen by the key: a store publishes one and tries to accept the
/// creator; the creator delivers a post for the latest; stores lapse what ended undelivered.
/// Refusals are only the expected ones. `moved` counts fees held, paid and returned.
async fn fee_collab_step(
    w: &World,
    key: u64,
    briefs: &mut Vec<(String, usize, String)>,
    moved: &mut [usize; 3],
) {
    use caravan_market::connect::collabs::{CollabDecisionInput, CollabDeliveryInput};
    let (m, creator) = (&w.market, &w.creator.0);
    let expected = |e: &caravan_market::MarketError, codes: &[&str]| {
        assert!(codes.contains(&e.code.as_str()), "key {key}: {e:?}");
    };
    match key / 9 % 3 {
        0 => {
            let at = (key / 27 % 3) as usize;
            let v = m
                .store()
                .variant(&w.variants[at * 2 + 1])
                .await
                .unwrap()
                .unwrap();
            let id = brief(
                m,
                &w.merchants[at],
                &v.product_id,
                ("fixed_fee", 300 + (key % 5) as i64 * 100, w.clock_now()),
            )
            .await;
            match apply_and_accept(m, &w.merchants[at], creator, &id).await {
                Ok(()) => moved[0] += 1,
                Err(e) => expected(&e, &["insufficient_balance"]),
            }
            briefs.push((id, at, v.product_id));
        }
        // Every other time the creator lets the latest brief lapse.
        1 if key / 27 % 2 == 1 => {}
        1 => {
            let Some((id, _, product)) = briefs.last().cloned() else {
                return;
            };
            let post = caravan_market::connect::posts::PostInput {
                texts: BTreeMap::from([("fr".into(), "Voilà".into())]),
                products: vec![product],
                images: vec![],
            };
            let post = m.create_post(creator, post, Locale::Fr).await.unwrap();
            let d = CollabDeliveryInput { post_id: post.id };
            match m.deliver_collab(creator, &id, d).await {
                Ok(_) => moved[1] += 1,
                Err(e) => expected(&e, &["invalid_transition"]),
            }
        }
        _ => {
            for (id, at, _) in briefs.iter() {
                let lapse = CollabDecisionInput {
                    decision: "lapse".into(),
                };
                let me = &w.creator.1;
                match m.decide_collab(&w.merchants[*at], id, me, lapse).await {
                    Ok(_) => moved[2] += 1,
                    Err(e) => expected(&e, &["invalid_transition"]),
                }
            }
        }
    }
}

/// Each brief's account holds the fees of its accepted, undelivered creators; what delivered
/// fees paid the creator, per currency.
async fn check_collabs(w: &World, at: &str) -> BTreeMap<String, i64> {
    let store = w.market.store();
    let mut paid: BTreeMap<String, i64> = BTreeMap::new();
    for c in store.collabs(None, 0).await.unwrap() {
        let apps = store.applications(Some(&c.id), None).await.unwrap();
        let fee = if c.kind == "fixed_fee" { c.value } else { 0 };
        let count = |state: &str| apps.iter().filter(|a| a.state == state).count() as i64;
        let held = store
            .balance(&format!("collab:{}", c.id), &c.currency)
            .await
            .unwrap();
        assert_eq!(
            held,
            fee * count("accepted"),
            "{at}: brief {} holds its fees",
            c.id
        );
        *paid.entry(c.currency.clone()).or_default() += fee * count("delivered");
        assert!(c.accepted <= c.places, "{at}: more accepted than places");
    }
    paid
}

/// The cause's money adds up: its pending account holds the pledge left on paid, uncompleted
/// orders, its confirmed account (plus what was remitted) the pledge left on completed ones;
/// each order's pledge is its lines', and only pledging stores' orders pledge.
async fn check_charity(w: &World, all: &[caravan_store::checkout::OrderRecord], at: &str) {
    let store = w.market.store();
    let mut expect: BTreeMap<(String, &str), i64> = BTreeMap::new();
    let ids: Vec<String> = all.iter().map(|o| o.id.clone()).collect();
    let lines = store.order_lines(&ids).await.unwrap();
    for o in all {
        let of_lines: i64 = lines
            .iter()
            .filter(|l| l.order_id == o.id)
            .map(|l| l.pledge_minor)
            .sum();
        assert_eq!(
            of_lines, o.pledge_minor,
            "{at}: {} pledge ≠ its lines'",
            o.id
        );
        if o.pledge_minor == 0 {
            continue;
        }
        assert_eq!(o.cause_id.as_deref(), Some(w.cause.as_str()), "{at}");
        assert_ne!(
            o.merchant_id,
            w.merchants_ids()[0],
            "{at}: a store that never pledged"
        );
        let slot = match o.status.as_str() {
            "paid" | "shipped" | "delivered" => "pending",
            "completed" => "raised",
            _ => continue,
        };
        *expect.entry((o.currency.clone(), slot)).or_default() += pledge_left(o);
    }
    for (currency, given) in donations(w, at).await {
        *expect.entry((currency, "raised")).or_default() += given;
    }
    let mut have: BTreeMap<(String, &str), i64> = BTreeMap::new();
    for (account, currency, balance) in store.cause_balances(&w.cause).await.unwrap() {
        let slot = if account.ends_with(":pending") {
            "pending"
        } else {
            "raised"
        };
        *have.entry((currency, slot)).or_default() += balance;
    }
    for (currency, out) in store.remitted(&w.cause).await.unwrap() {
        *have.entry((currency, "raised")).or_default() += out;
    }
    have.retain(|_, v| *v != 0);
    expect.retain(|_, v| *v != 0);
    assert_eq!(
        have, expect,
        "{at}: the cause's ledger ≠ its orders' pledges"
    );
}

/// The cause's window in the model: from a millisecond after the start for 90 days.
const CAUSE_FROM: i64 = 1_800_000_000_001;
const CAUSE_TO: i64 = 1_800_000_000_000 + 90 * DAY_MS;

/// A donation for checkout `key` at `now`: a round-up every third, 1.50 every fifth.
fn donation(key: u64, now: i64) -> Option<caravan_market::checkout::DonationInput> {
    if !(CAUSE_FROM..CAUSE_TO).contains(&now) {
        return None;
    }
    let (kind, amount) = match key % 15 {
        0 | 3 | 6 | 9 | 12 => ("round_up", None),
        1 | 11 => ("fixed", Some(150)),
        _ => return None,
    };
    Some(caravan_market::checkout::DonationInput {
        cause: "model-cause".into(),
        kind: kind.into(),
        amount_minor: amount,
    })
}

/// Buyers' paid donations per currency; every donation is paid exactly when its checkout's
/// payment was captured, cancelled when it failed, and the payment took it with the orders.
async fn donations(w: &World, at: &str) -> BTreeMap<String, i64> {
    let rows: Vec<(String, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT d.group_id, d.state, d.amount_minor, d.currency, p.status, p.amount_minor \
         FROM donations d JOIN order_groups g ON g.id = d.group_id JOIN payments p ON p.id = g.payment_id",
    )
    .fetch_all(w.market.store().pool())
    .await
    .unwrap();
    let mut paid: BTreeMap<String, i64> = BTreeMap::new();
    for (group, state, amount, currency, payment, charged) in rows {
        let orders = w
            .market
            .store()
            .orders_by("group_id", &group, 100)
            .await
            .unwrap();
        let for_orders: i64 = orders.iter().map(|o| o.presentment_total_minor).sum();
        assert_eq!(charged, for_orders + amount, "{at}: {group} charged");
        let expected = match payment.as_str() {
            "captured" => "paid",
            "failed" => "cancelled",
            _ => "pending",
        };
        assert_eq!(
            state, expected,
            "{at}: {group} donation with a {payment} payment"
        );
        if state == "paid" {
            *paid.entry(currency).or_default() += amount;
        }
    }
    paid
}

/// The pledge left on an order: the frozen pledge less its share of the refunds.
fn pledge_left(o: &caravan_store::checkout::OrderRecord) -> i64 {
    o.pledge_minor
        - caravan_domain::prorate(o.pledge_minor, o.refunded_minor, o.total_minor).unwrap()
}

async fn check_invariants(w: &World, step: usize, seed: u64) {
    check_deal(w, step, seed).await;
    check_coupons(w, step, seed).await;
    let store = w.market.store();
    let entries = store.ledger_entries().await.unwrap();
    let mut per_tx: HashMap<(String, String), i64> = HashMap::new();
    let mut per_account: HashMap<(String, String), i64> = HashMap::new();
    for (tx, account, currency, amount) in &entries {
        *per_tx.entry((tx.clone(), currency.clone())).or_default() += amount;
        *per_account
            .entry((account.clone(), currency.clone()))
            .or_default() += amount;
    }
    assert!(
        per_tx.values().all(|v| *v == 0),
        "seed {seed} step {step}: a ledger transaction does not balance"
    );
    assert_eq!(
        store.orphans().await.unwrap(),
        0,
        "seed {seed} step {step}: an entry without its transaction or a discount without its order"
    );
    let balances = store.balances().await.unwrap();
    let mut escrow: BTreeMap<String, i64> = BTreeMap::new();
    for (account, currency, balance) in &balances {
        assert_eq!(
            Some(balance),
            per_account
                .get(&(account.clone(), currency.clone()))
                .or(Some(&0)),
            "seed {seed} step {step}: {account}"
        );
        if account.starts_with("merchant:") {
            assert!(
                *balance >= 0,
                "seed {seed} step {step}: {account} went negative"
            );
        }
        if account == "escrow" && *balance != 0 {
            escrow.insert(currency.clone(), *balance);
        }
    }
    let mut held: BTreeMap<String, i64> = BTreeMap::new();
    let mut sold: HashMap<String, i64> = HashMap::new();
    let mut all = Vec::new();
    for status in [
        "awaiting_payment",
        "paid",
        "shipped",
        "delivered",
        "completed",
        "refunded",
        "cancelled",
    ] {
        all.extend(store.orders_by("status", status, 100_000).await.unwrap());
    }
    for o in &all {
        if matches!(o.status.as_str(), "paid" | "shipped" | "delivered") {
            // The creator's commission left on it was set aside from escrow at payment.
            // So was the cause's pledge.
            *held.entry(o.currency.clone()).or_default() +=
                o.total_minor - o.refunded_minor - commission_left(o) - pledge_left(o);
        }
        assert!(o.refunded_minor <= o.total_minor);
    }
    check_creator(w, &all, &format!("seed {seed} step {step}")).await;
    check_charity(w, &all, &format!("seed {seed} step {step}")).await;
    held.retain(|_, v| *v != 0);
    assert_eq!(
        escrow, held,
        "seed {seed} step {step}: escrow ≠ money of paid, uncompleted orders"
    );
    let live: Vec<String> = all
        .iter()
        .filter(|o| o.status != "cancelled")
        .map(|o| o.id.clone())
        .collect();
    for l in store.order_lines(&live).await.unwrap() {
        *sold.entry(l.variant_id).or_default() += l.quantity;
    }
    let mut sold_per_product: BTreeMap<String, i64> = BTreeMap::new();
    for v in &w.variants {
        let record = store.variant(v).await.unwrap().unwrap();
        assert_eq!(
            record.stock + sold.get(v).copied().unwrap_or(0),
            STOCK,
            "seed {seed} step {step}: stock of {v} leaked"
        );
        *sold_per_product.entry(record.product_id).or_default() +=
            sold.get(v).copied().unwrap_or(0);
    }
    // The running "units sold" that search ranks best sellers by agrees with the orders.
    let products: Vec<String> = sold_per_product.keys().cloned().collect();
    let counted: BTreeMap<String, i64> = store
        .units_sold(&products)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        counted, sold_per_product,
        "seed {seed} step {step}: units sold drifted"
    );
}

async fn run(db: &TestDb, seed: u64, steps: usize) {
    let w = world(db).await;
    let m = &w.market;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut key = 0u64;
    // Every checkout sent: (buyer, key, body hash, request, first successful answer, when).
    type Sent = (usize, String, String, CheckoutRequest, Option<String>, i64);
    let mut sent: Vec<Sent> = Vec::new();
    // The payment references of every checkout a buyer was told succeeded.
    let mut answered = std::collections::HashSet::new();
    let mut replayed = 0;
    // The states the creator's commissions were seen in.
    let mut seen = std::collections::BTreeSet::new();
    // Fixed-fee briefs: (id, store, product); fees held, paid and returned.
    let mut briefs = Vec::new();
    let mut moved = [0usize; 3];
    for step in 0..steps {
        key += 1;
        if key % 9 == 4 {
            fee_collab_step(&w, key, &mut briefs, &mut moved).await;
        }
        let mut all = Vec::new();
        for (i, b) in w.buyers.iter().enumerate() {
            all.extend(m.my_orders(b).await.unwrap().into_iter().map(|o| (i, o)));
        }
        let pick = |rng: &mut ChaCha8Rng, status: &[&str]| {
            let c: Vec<_> = all
                .iter()
                .filter(|(_, o)| status.contains(&o.status.as_str()))
                .collect();
            (!c.is_empty()).then(|| (*c[rng.gen_range(0..c.len())]).clone())
        };
        let owner =
            |o: &caravan_market::orders::OrderView| w.store_owner.get(&o.merchant_id).cloned();
        match rng.gen_range(0..13) {
            0..=2 => {
                let bi = rng.gen_range(0..w.buyers.len());
                let buyer = &w.buyers[bi];
                let n = rng.gen_range(1..=3);
                let items = (0..n)
                    .map(|_| LineInput {
                        variant_id: w.variants[rng.gen_range(0..w.variants.len())].clone(),
                        quantity: rng.gen_range(1..=4),
                    })
                    .collect();
                let method = if rng.gen_bool(0.7) {
                    "pm_sandbox_success"
                } else {
                    "pm_sandbox_delayed"
                };
                let currency = ["EUR", "PLN", "TRY"][rng.gen_range(0..3)];
                let req = CheckoutRequest {
                    cart_id: None,
                    items: Some(items),
                    currency: Some(currency.into()),
                    shipping: BTreeMap::new(),
                    address: Address {
                        name: "A".into(),
                        line1: format!("{bi} Model Street"),
                        line2: None,
                        city: "C".into(),
                        postal_code: "1".into(),
                        country: "FR".into(),
                        phone: None,
                    },
                    payment_method: method.into(),
                    coupons: ["MM-PLATFORM", "MM-STORE"]
                        .into_iter()
                        .filter(|_| rng.gen_bool(0.2))
                        .map(str::to_owned)
                        .collect(),
                    creator_code: rng.gen_bool(0.3).then(|| "MMCreator".to_owned()),
                    // Some buyers round up or give a fixed amount to the cause while it collects
                    // (chosen by the key, so the walk's random draws stay as they were).
                    donation: donation(key, w.clock_now()),
                    // A click 0 to 20 days ago: inside the 15-day window three times in four.
                    referral: rng.gen_bool(0.4).then(|| Referral {
                        code: w.creator.2.clone(),
                        clicked_at: w.clock_now() - rng.gen_range(0..20) * DAY_MS,
                    }),
                };
                let (k, h) = (format!("k{key}"), format!("h{key}"));
                let r = m
                    .checkout(
                        buyer,
                        &idem(&k),
                        &h,
                        req.clone(),
                        caravan_domain::Locale::En,
                    )
                    .await;
                let first = r.ok().map(|r| r.body);
                if let Some(body) = &first {
                    answered.insert(provider_ref(body));
                }
                sent.push((bi, k, h, req, first, w.clock_now()));
            }
            // A checkout sent again with its key: its first answer again; with another body,
            // refused; if it had failed, a fresh attempt.
            12 => {
                // Keys are kept 24 hours at least; older ones may be forgotten.
                // Mostly a checkout that succeeded (its answer must come back), now and then one
                // that failed (it may be tried afresh).
                let succeeded = rng.gen_bool(0.7);
                let recent: Vec<usize> = (0..sent.len())
                    .filter(|i| w.clock_now() - sent[*i].5 < DAY_MS)
                    .filter(|i| !succeeded || sent[*i].4.is_some())
                    .collect();
                if recent.is_empty() {
                    continue;
                }
                let i = recent[rng.gen_range(0..recent.len())];
                let (bi, k, h, req, first, _) = sent[i].clone();
                let other = first.is_some() && rng.gen_bool(0.3);
                let hash = if other { format!("{h}-other") } else { h };
                let r = m
                    .checkout(
                        &w.buyers[bi],
                        &idem(&k),
                        &hash,
                        req,
                        caravan_domain::Locale::En,
                    )
                    .await;
                match (&first, r) {
                    (Some(_), Err(e)) if other => assert_eq!(e.code, "idempotency_key_reused"),
                    (Some(body), Ok(again)) if !other => {
                        assert_eq!(
                            &again.body, body,
                            "seed {seed} step {step}: a repeat is the first answer"
                        );
                        replayed += 1;
                    }
                    (None, Ok(fresh)) => {
                        answered.insert(provider_ref(&fresh.body));
                        sent[i].4 = Some(fresh.body);
                    }
                    (None, Err(_)) => {}
                    (first, r) => {
                        panic!("seed {seed} step {step}: repeat of {first:?} answered {r:?}")
                    }
                }
            }
            3 => {
                if let Some((_, o)) = pick(&mut rng, &["awaiting_payment"]) {
                    let group = m
                        .store()
                        .payment_of_group(&o.group_id)
                        .await
                        .unwrap()
                        .unwrap();
                    let kind = if rng.gen_bool(0.8) {
                        "payment.captured"
                    } else {
                        "payment.failed"
                    };
                    let body = serde_json::json!({"id": format!("evt_{key}"), "type": kind, "payment_ref": group.provider_ref}).to_string();
                    let sig = caravan_market::payments::sign(
                        SECRET,
                        w.clock_now() / 1000,
                        body.as_bytes(),
                    );
                    m.payment_webhook(Some(&sig), body.as_bytes())
                        .await
                        .unwrap();
                }
            }
            4 => {
                if let Some((_, o)) = pick(&mut rng, &["paid"]) {
                    let a = owner(&o).unwrap();
                    m.ship(
                        &a,
                        &o.id,
                        ShipInput {
                            carrier: "DHL".into(),
                            tracking_number: format!("T{key}"),
                        },
                    )
                    .await
                    .unwrap();
                }
            }
            5 => {
                if let Some((_, o)) = pick(&mut rng, &["shipped"]) {
                    m.deliver(&owner(&o).unwrap(), &o.id).await.unwrap();
                }
            }
            6 => {
                if let Some((bi, o)) = pick(&mut rng, &["shipped", "delivered"]) {
                    if let Err(e) = m.confirm_receipt(&w.buyers[bi], &o.id).await {
                        assert_eq!(e.code, "dispute_open", "seed {seed} step {step}: {e}");
                    }
                }
            }
            7 => {
                if let Some((_, o)) = pick(&mut rng, &["paid", "shipped", "delivered", "completed"])
                {
                    let left = o.total.amount_minor - o.refunded.amount_minor;
                    if left > 0 {
                        let amount = if rng.gen_bool(0.5) {
                            left
                        } else {
                            rng.gen_range(1..=left)
                        };
                        let a = owner(&o).unwrap();
                        let r = m
                            .refund(
                                &a,
                                &o.id,
                                &idem(&format!("r{key}")),
                                &format!("rh{key}"),
                                RefundInput {
                                    amount_minor: Some(amount),
                                    reason: None,
                                },
                            )
                            .await;
                        if let Err(e) = r {
                            assert_eq!(
                                e.code, "insufficient_balance",
                                "seed {seed} step {step}: {e}"
                            );
                        }
                    }
                }
            }
            8 => {
                if let Some((bi, o)) = pick(&mut rng, &["awaiting_payment", "paid"]) {
                    m.cancel(&w.buyers[bi], &o.id, CancelInput::default())
                        .await
                        .unwrap();
                }
            }
            9 => {
                if let Some((bi, o)) = pick(&mut rng, &["shipped", "delivered"]) {
                    let _ = m
                        .open_dispute(
                            &w.buyers[bi],
                            &o.id,
                            NewDispute {
                                reason: "broken".into(),
                            },
                        )
                        .await;
                    let outcome = if rng.gen_bool(0.5) {
                        "refund"
                    } else {
                        "release"
                    };
                    let left = o.total.amount_minor - o.refunded.amount_minor;
                    let amount = (outcome == "refund" && left > 1 && rng.gen_bool(0.5))
                        .then(|| rng.gen_range(1..left));
                    let _ = m
                        .decide_dispute(
                            &w.op,
                            &o.id,
                            DisputeDecision {
                                outcome: outcome.into(),
                                amount_minor: amount,
                            },
                        )
                        .await;
                }
            }
            10 if rng.gen_bool(0.4) => {
                let r = m
                    .request_creator_payout(
                        &w.creator.0,
                        &idem(&format!("cp{key}")),
                        &format!("cph{key}"),
                    )
                    .await;
                if let Err(e) = r {
                    assert!(
                        ["insufficient_balance", "payout_below_minimum"].contains(&e.code.as_str()),
                        "seed {seed} step {step}: {e}"
                    );
                }
            }
            10 => {
                let a = &w.merchants[rng.gen_range(0..w.merchants.len())];
                let amount = if rng.gen_bool(0.3) {
                    None
                } else {
                    Some(rng.gen_range(1..20_000))
                };
                if let Err(e) = m
                    .request_payout(
                        a,
                        &idem(&format!("p{key}")),
                        &format!("ph{key}"),
                        PayoutInput {
                            amount_minor: amount,
                        },
                    )
                    .await
                {
                    assert!(
                        ["insufficient_balance", "payout_below_minimum"].contains(&e.code.as_str()),
                        "seed {seed} step {step}: {e}"
                    );
                }
            }
            _ => {
                w.clock
                    .advance(rng.gen_range(0..4) * DAY_MS + rng.gen_range(0..3_600_000));
                m.run_timers().await.unwrap();
                // The operator sends the cause's confirmed money to its partner now and then.
                remit(&w, &format!("step {step}"), seed).await;
            }
        }
        check_invariants(&w, step, seed).await;
        check_holds(&w, &answered, step, seed);
        seen.extend(commission_states(&w).await);
    }
    // Payouts under concurrency never overdraw.
    for a in &w.merchants {
        let mut set = tokio::task::JoinSet::new();
        for k in 0..8 {
            let (m, a) = (m.clone(), a.clone());
            set.spawn(async move {
                m.request_payout(
                    &a,
                    &idem(&format!("race{k}")),
                    &format!("race{k}"),
                    PayoutInput {
                        amount_minor: Some(100),
                    },
                )
                .await
            });
        }
        while set.join_next().await.is_some() {}
    }
    // Delivered orders complete at the end of their protection period, and the hold on their
    // commission ends later; then one commission is followed through every state on purpose.
    for days in [16, 4] {
        w.clock.advance(days * DAY_MS);
        m.run_timers().await.unwrap();
        check_invariants(&w, steps, seed).await;
        seen.extend(commission_states(&w).await);
    }
    let order = commission_to_the_end(&w, &mut seen, seed).await;
    // The first store has just earned that order: it publishes twice (key 0: the first store,
    // the smallest fee). Held then lapsed back, then held again and delivered.
    for (k, days) in [(0, 0), (22, 7), (0, 0), (13, 0)] {
        w.clock.advance(days * DAY_MS);
        fee_collab_step(&w, k, &mut briefs, &mut moved).await;
        check_invariants(&w, steps, seed).await;
    }
    // Creator payouts under concurrency never overdraw either.
    let mut set = tokio::task::JoinSet::new();
    for k in 0..6 {
        let (m, a) = (m.clone(), w.creator.0.clone());
        set.spawn(async move {
            m.request_creator_payout(&a, &idem(&format!("crace{k}")), &format!("crace{k}"))
                .await
        });
    }
    while set.join_next().await.is_some() {}
    check_invariants(&w, steps, seed).await;
    // A refund (of half) after the payout claws half the commission back from the creator, not
    // the store.
    let total = m.store().order(&order).await.unwrap().unwrap().total_minor;
    let refund = RefundInput {
        amount_minor: Some(total / 2),
        reason: None,
    };
    let owner = &w.merchants[0];
    m.refund(owner, &order, &idem("tail-refund"), "tail-refund", refund)
        .await
        .unwrap();
    check_invariants(&w, steps, seed).await;
    check_meter(&w, seed).await;
    let left = m.creator_earnings(&w.creator.0).await.unwrap();
    assert!(
        left.by_currency
            .iter()
            .any(|l| l.available.amount_minor < 0),
        "seed {seed}: the clawback left no debt: {left:?}"
    );
    // The walk really went everywhere: orders in many states, refunds and payouts happened.
    let mut statuses = std::collections::BTreeSet::new();
    for b in &w.buyers {
        statuses.extend(m.my_orders(b).await.unwrap().into_iter().map(|o| o.status));
    }
    let kinds: std::collections::BTreeSet<String> = m
        .store()
        .events_after(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    eprintln!("seed {seed}: statuses {statuses:?}, events {kinds:?}, {replayed} replays");
    assert!(replayed > 0, "seed {seed}: no checkout was ever repeated");
    // … and so did the creator's money: commissions in every state, a self-referral refused.
    eprintln!("seed {seed}: commission states {seen:?}");
    eprintln!("seed {seed}: fixed fees held, paid, returned: {moved:?}");
    assert!(
        moved.iter().all(|n| *n > 0),
        "seed {seed}: fixed fees were not held, paid and returned: {moved:?}"
    );
    for st in ["pending", "confirmed", "available", "reversed"] {
        assert!(
            seen.contains(st),
            "seed {seed}: no commission was ever {st}"
        );
    }
    assert!(
        !m.store().referral_flags(10).await.unwrap().is_empty(),
        "seed {seed}: the creator's own checkouts were never flagged"
    );
    for k in [
        "creator.payout.paid",
        "order.placed",
        "order.paid",
        "order.shipped",
        "order.completed",
        "order.refunded",
        "order.cancelled",
        "payout.paid",
    ] {
        assert!(
            kinds.contains(k),
            "seed {seed}: the walk never produced {k}"
        );
    }
}

/// Remits the cause's confirmed money, if it has any; nothing left is the only refusal.
async fn remit(w: &World, reference: &str, seed: u64) {
    use caravan_market::charity::meter::RemitInput;
    let r = RemitInput {
        reference: reference.into(),
    };
    if let Err(e) = w.market.remit(&w.op, &w.cause, r).await {
        assert_eq!(e.code, "nothing_to_remit", "seed {seed}: {e}");
    }
}

/// The public meter reads what the ledger says, and its stores' parts add up to it.
async fn check_meter(w: &World, seed: u64) {
    remit(w, "final", seed).await;
    check_invariants(w, usize::MAX, seed).await;
    let c = caravan_domain::Currency::parse("EUR").unwrap();
    w.clock.advance(3_000);
    let meter = w.market.meter(&w.cause, c, Locale::En).await.unwrap();
    let store = w.market.store();
    let mut ledger: BTreeMap<(String, bool), i64> = BTreeMap::new();
    for (account, currency, balance) in store.cause_balances(&w.cause).await.unwrap() {
        *ledger
            .entry((currency, account.ends_with(":pending")))
            .or_default() += balance;
    }
    for (currency, out) in store.remitted(&w.cause).await.unwrap() {
        *ledger.entry((currency, false)).or_default() += out;
    }
    ledger.retain(|_, v| *v != 0);
    let mut shown: BTreeMap<(String, bool), i64> = BTreeMap::new();
    for (list, pending) in [
        (&meter.raised_by_currency, false),
        (&meter.pledged_by_currency, true),
    ] {
        for m in list.iter() {
            shown.insert((m.currency.clone(), pending), m.amount_minor);
        }
    }
    assert_eq!(shown, ledger, "seed {seed}: the meter ≠ the ledger");
    let mut parts: BTreeMap<(String, bool), i64> = BTreeMap::new();
    for m in &meter.donated_by_currency {
        *parts.entry((m.currency.clone(), false)).or_default() += m.amount_minor;
    }
    assert!(
        !meter.donated_by_currency.is_empty(),
        "seed {seed}: nobody ever donated"
    );
    for s in &meter.per_seller {
        *parts.entry((s.raised.currency.clone(), false)).or_default() += s.raised.amount_minor;
        *parts.entry((s.pledged.currency.clone(), true)).or_default() += s.pledged.amount_minor;
    }
    parts.retain(|_, v| *v != 0);
    assert_eq!(
        parts, ledger,
        "seed {seed}: the stores' parts and donations ≠ the meter"
    );
    assert_eq!(meter.sellers, 2);
    assert!(
        ledger.keys().any(|k| !k.1) && !meter.remittances.is_empty(),
        "seed {seed}: the cause never raised or remitted anything: {ledger:?}"
    );
}

impl World {
    fn merchants_ids(&self) -> Vec<String> {
        let mut ids: Vec<(String, &Actor)> = self
            .store_owner
            .iter()
            .map(|(k, v)| (k.clone(), v))
            .collect();
        ids.sort_by_key(|(_, a)| {
            self.merchants
                .iter()
                .position(|m| m.user_id == a.user_id)
                .unwrap_or(usize::MAX)
        });
        ids.into_iter().map(|(k, _)| k).collect()
    }

    fn clock_now(&self) -> i64 {
        use caravan_market::Clock;
        self.clock.now_ms()
    }
}

macro_rules! model_test {
    ($name:ident, $seed:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = TestDb::sqlite().await.unwrap();
                run(&db, $seed, 150).await;
                db.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match TestDb::postgres()
                    .await
                    .expect("CARAVAN_TEST_POSTGRES is set but unusable")
                {
                    Some(db) => {
                        run(&db, $seed, 150).await;
                        db.cleanup().await;
                    }
                    None => eprintln!("SKIPPED money model: CARAVAN_TEST_POSTGRES is not set"),
                }
            }
        }
    };
}

model_test!(seed_1, 1);
model_test!(seed_2, 2);
model_test!(seed_3, 3);
model_test!(seed_4, 4);
