//! The store contract: every store operation, run on SQLite always and on PostgreSQL when
//! `CARAVAN_TEST_POSTGRES` is set (then an unreachable server fails the test, never skips it).

#![allow(
    clippy::expect_used,
    reason = "a test fails loudly on the first broken expectation"
)]
use caravan_store::merchants::MerchantRecord;
use caravan_store::products::{
    CategoryRecord, ProductQuery, ProductRecord, ProductSort, ProductTextRecord, QueuedTranslation,
    VariantRecord, Visibility,
};
use caravan_store::testing::{TestDb, POSTGRES_ENV};
use caravan_store::users::{TokenRecord, UserRecord};
use caravan_store::{Engine, Store, StoreError};

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let db = TestDb::sqlite().await.expect("sqlite test database");
                    super::$name(&db.store).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    match TestDb::postgres().await.expect("CARAVAN_TEST_POSTGRES is set but unusable") {
                        Some(db) => {
                            super::$name(&db.store).await;
                            db.cleanup().await;
                        }
                        None => eprintln!("SKIPPED {}: {POSTGRES_ENV} is not set", stringify!($name)),
                    }
                }
            )*
        }
    };
}

contract!(
    users_roles_and_tokens,
    login_failures_count_in_a_window,
    merchant_applications_and_review,
    categories_products_and_variants,
    listing_filters_sorts_and_pages,
    translations_never_replace_a_merchants_text,
    the_orphan_audit_finds_what_no_key_checks,
);

/// Ledger entries, line discounts, order lines and history rows carry no foreign key on either
/// engine (the order writer keeps their parents, ADR 0019); the audit finds each missing
/// parent, twice for a line missing both its order and its variant. The keys of groups, orders
/// and the festival's rows are declared on SQLite and dropped on PostgreSQL: an order group of
/// a buyer who does not exist is refused by the one and found by the audit on the other.
async fn the_orphan_audit_finds_what_no_key_checks(s: &Store) {
    assert_eq!(s.orphans().await.expect("audit"), 0, "a new store is clean");
    sqlx::query(
        "INSERT INTO ledger_entries (tx_id, position, account, currency, amount_minor) \
         VALUES ('ltx_missing', 0, 'escrow', 'EUR', 100)",
    )
    .execute(s.pool())
    .await
    .expect("no key refuses the entry");
    sqlx::query(
        "INSERT INTO order_line_discounts (order_id, position, seq, stage, funder, source, amount_minor) \
         VALUES ('ord_missing', 0, 0, 'deal', 'merchant', 'deal_1', 50)",
    )
    .execute(s.pool())
    .await
    .expect("no key refuses the discount");
    sqlx::query(
        "INSERT INTO order_lines (order_id, position, variant_id, product_id, sku, title, \
         quantity, unit_price_minor, total_minor, currency, presentment_total_minor, \
         presentment_currency, fx_rate_e9, fee_bps, fee_minor) \
         VALUES ('ord_missing', 0, 'var_missing', 'prd_missing', 'SKU', 'Scarf', 1, 100, 100, \
         'EUR', 100, 'EUR', 1000000000, 0, 0)",
    )
    .execute(s.pool())
    .await
    .expect("no key refuses the line");
    sqlx::query(
        "INSERT INTO order_history (order_id, seq, status, note, at) \
         VALUES ('ord_missing', 0, 'placed', NULL, 0)",
    )
    .execute(s.pool())
    .await
    .expect("no key refuses the history row");
    assert_eq!(s.orphans().await.expect("audit"), 5);
    let group = sqlx::query(
        "INSERT INTO order_groups (id, buyer_id, cart_id, currency, total_minor, address, \
         country, payment_id, placed_at) \
         VALUES ('grp_orphan', 'usr_missing', 'crt_1', 'EUR', 0, 'A', 'FR', 'pay_1', 0)",
    )
    .execute(s.pool())
    .await;
    match s.engine() {
        Engine::Postgres => {
            group.expect("PostgreSQL leaves the buyer's key to the writer");
            assert_eq!(s.orphans().await.expect("audit"), 6);
        }
        Engine::Sqlite => {
            assert!(group.is_err(), "SQLite still checks the buyer's key");
            assert_eq!(s.orphans().await.expect("audit"), 5);
        }
    }
}

fn user(id: &str, email: &str) -> UserRecord {
    UserRecord {
        id: id.to_owned(),
        email: email.to_owned(),
        password_hash: "$argon2id$stub".to_owned(),
        display_name: "Ana".to_owned(),
        country: Some("FR".to_owned()),
        locale: "fr".to_owned(),
        created_at: 1_000,
        suspended_at: None,
    }
}

async fn users_roles_and_tokens(s: &Store) {
    s.insert_user(&user("usr_1", "ana@example.com"), &["buyer"])
        .await
        .expect("insert");
    let dup = s
        .insert_user(&user("usr_2", "ana@example.com"), &["buyer"])
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict)), "{dup:?}");
    assert!(
        s.user_by_id("usr_2").await.expect("read").is_none(),
        "failed insert left nothing"
    );
    let u = s
        .user_by_email("ana@example.com")
        .await
        .expect("read")
        .expect("found");
    assert_eq!((u.id.as_str(), u.country.as_deref()), ("usr_1", Some("FR")));
    assert_eq!(s.roles_of("usr_1").await.expect("roles"), vec!["buyer"]);
    s.insert_user(&user("usr_3", "bo@example.com"), &["buyer"])
        .await
        .expect("insert");
    let page = s.list_users(None, 1).await.expect("list");
    assert_eq!(page.len(), 1);
    let rest = s
        .list_users(Some((page[0].created_at, page[0].id.clone())), 10)
        .await
        .expect("list");
    assert_eq!(rest.len(), 1);
    assert_ne!(rest[0].id, page[0].id);

    let token = TokenRecord {
        id: "tok_1".to_owned(),
        user_id: "usr_1".to_owned(),
        token_hash: "h1".to_owned(),
        name: "login".to_owned(),
        created_at: 3_000,
        revoked_at: None,
    };
    s.insert_token(&token).await.expect("token");
    let (live, roles) = s.live_token("h1").await.expect("read").expect("live");
    assert_eq!(live.user_id, "usr_1");
    assert_eq!(roles, s.roles_of("usr_1").await.expect("roles"));
    assert!(!roles.is_empty(), "the owner's roles come with the token");
    assert!(matches!(
        s.revoke_token("tok_1", "usr_3", 4_000).await,
        Err(StoreError::Stale)
    ));
    s.revoke_token("tok_1", "usr_1", 4_000)
        .await
        .expect("revoke");
    assert!(s.live_token("h1").await.expect("read").is_none());
    assert!(matches!(
        s.revoke_token("tok_1", "usr_1", 5_000).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        s.tokens_of("usr_1").await.expect("list")[0].revoked_at,
        Some(4_000)
    );
}

async fn login_failures_count_in_a_window(s: &Store) {
    assert_eq!(s.login_failures("a@x.io", 0).await.expect("read").0, 0);
    for now in [100, 200, 300] {
        s.record_login_failure("a@x.io", now, 0)
            .await
            .expect("record");
    }
    assert_eq!(s.login_failures("a@x.io", 0).await.expect("read"), (3, 100));
    // The window started at 100; seen from after it, it has expired.
    assert_eq!(s.login_failures("a@x.io", 150).await.expect("read").0, 0);
    s.record_login_failure("a@x.io", 1_000, 150)
        .await
        .expect("record");
    assert_eq!(
        s.login_failures("a@x.io", 150).await.expect("read"),
        (1, 1_000)
    );
    s.clear_login_failures("a@x.io").await.expect("clear");
    assert_eq!(s.login_failures("a@x.io", 0).await.expect("read").0, 0);
}

fn merchant(id: &str, owner: &str, created_at: i64) -> MerchantRecord {
    MerchantRecord {
        id: id.to_owned(),
        owner_user_id: owner.to_owned(),
        store_name: format!("Store {id}"),
        country: "IT".to_owned(),
        settlement_currency: "EUR".to_owned(),
        default_locale: "it".to_owned(),
        description: "Silk from Como".to_owned(),
        status: "pending".to_owned(),
        status_reason: None,
        created_at,
        updated_at: created_at,
    }
}

async fn merchant_applications_and_review(s: &Store) {
    s.insert_user(&user("usr_1", "a@example.com"), &["buyer"])
        .await
        .expect("user");
    s.insert_user(&user("usr_2", "b@example.com"), &["buyer"])
        .await
        .expect("user");
    s.insert_merchant(&merchant("mer_1", "usr_1", 10))
        .await
        .expect("apply");
    let again = s.insert_merchant(&merchant("mer_9", "usr_1", 11)).await;
    assert!(
        matches!(again, Err(StoreError::Conflict)),
        "one store per user"
    );
    s.insert_merchant(&merchant("mer_2", "usr_2", 20))
        .await
        .expect("apply");
    assert_eq!(
        s.merchant_of_user("usr_2")
            .await
            .expect("read")
            .expect("found")
            .id,
        "mer_2"
    );

    s.set_merchant_status("mer_1", "pending", "approved", None, 30)
        .await
        .expect("approve");
    assert_eq!(
        s.roles_of("usr_1").await.expect("roles"),
        vec!["buyer", "merchant"]
    );
    let stale = s
        .set_merchant_status("mer_1", "pending", "rejected", Some("late"), 40)
        .await;
    assert!(
        matches!(stale, Err(StoreError::Stale)),
        "guarded by the current status"
    );
    let m = s
        .merchant_by_id("mer_1")
        .await
        .expect("read")
        .expect("found");
    assert_eq!((m.status.as_str(), m.updated_at), ("approved", 30));

    let pending = s
        .list_merchants(Some("pending"), None, 10)
        .await
        .expect("list");
    assert_eq!(
        pending.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["mer_2"]
    );
    let first = s.list_merchants(None, None, 1).await.expect("list");
    assert_eq!(first[0].id, "mer_1");
    let next = s
        .list_merchants(None, Some((first[0].created_at, first[0].id.clone())), 5)
        .await;
    assert_eq!(next.expect("list")[0].id, "mer_2");
}

fn category(id: &str, parent: Option<&str>, slug: &str) -> CategoryRecord {
    CategoryRecord {
        id: id.to_owned(),
        parent_id: parent.map(str::to_owned),
        slug: slug.to_owned(),
        position: 0,
        created_at: 1,
    }
}

fn product(id: &str, merchant: &str, cat: &str, status: &str, created_at: i64) -> ProductRecord {
    ProductRecord {
        id: id.to_owned(),
        merchant_id: merchant.to_owned(),
        category_id: cat.to_owned(),
        status: status.to_owned(),
        default_locale: "it".to_owned(),
        hs_code: Some("621410".to_owned()),
        origin_country: "IT".to_owned(),
        ship_from_country: "IT".to_owned(),
        weight_grams: 120,
        attributes: "{}".to_owned(),
        images: "[]".to_owned(),
        price_currency: "EUR".to_owned(),
        min_price_minor: 1,
        created_at,
        updated_at: created_at,
    }
}

fn variant(
    id: &str,
    product: &str,
    merchant: &str,
    sku: &str,
    price: i64,
    stock: i64,
) -> VariantRecord {
    VariantRecord {
        id: id.to_owned(),
        product_id: product.to_owned(),
        merchant_id: merchant.to_owned(),
        sku: sku.to_owned(),
        options: "{}".to_owned(),
        price_minor: price,
        price_currency: "EUR".to_owned(),
        stock,
        position: 0,
        created_at: 1,
        updated_at: 1,
    }
}

fn text(product: &str, locale: &str, title: &str) -> ProductTextRecord {
    ProductTextRecord {
        product_id: product.to_owned(),
        locale: locale.to_owned(),
        title: title.to_owned(),
        description: String::new(),
        machine: 0,
        source_locale: None,
        source_hash: None,
    }
}

/// Two approved merchants, a category tree fashion > scarves, and a category home.
async fn seed_catalogue(s: &Store) {
    for (u, e, m, t) in [
        ("usr_1", "a@x.io", "mer_1", 10),
        ("usr_2", "b@x.io", "mer_2", 20),
    ] {
        s.insert_user(&user(u, e), &["buyer"]).await.expect("user");
        s.insert_merchant(&merchant(m, u, t))
            .await
            .expect("merchant");
        s.set_merchant_status(m, "pending", "approved", None, t)
            .await
            .expect("approve");
    }
    s.insert_category(
        &category("cat_f", None, "fashion"),
        &[("en".into(), "Fashion".into())],
    )
    .await
    .expect("category");
    let names = [
        ("en".to_owned(), "Scarves".to_owned()),
        ("ru".to_owned(), "Шарфы".to_owned()),
    ];
    s.insert_category(&category("cat_s", Some("cat_f"), "scarves"), &names)
        .await
        .expect("child");
    s.insert_category(&category("cat_h", None, "home"), &[])
        .await
        .expect("category");
}

async fn categories_products_and_variants(s: &Store) {
    seed_catalogue(s).await;
    let dup = s
        .insert_category(&category("cat_x", None, "home"), &[])
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict)));
    assert_eq!(s.categories().await.expect("tree").len(), 3);
    let names = s.category_names().await.expect("names");
    assert!(names
        .iter()
        .any(|n| n.category_id == "cat_s" && n.locale == "ru" && n.name == "Шарфы"));

    let p = product("prd_1", "mer_1", "cat_s", "draft", 100);
    let vs = [
        variant("var_1", "prd_1", "mer_1", "SC-1", 2500, 3),
        variant("var_2", "prd_1", "mer_1", "SC-2", 1900, 0),
    ];
    s.insert_product(
        &p,
        &[text("prd_1", "it", "Sciarpa"), text("prd_1", "en", "Scarf")],
        &vs,
        &[],
    )
    .await
    .expect("product");
    let stored = s.product("prd_1").await.expect("read").expect("found");
    assert_eq!(stored.min_price_minor, 1900, "cheapest variant");

    // A duplicate SKU within the merchant rolls the whole product back.
    let p2 = product("prd_2", "mer_1", "cat_s", "draft", 101);
    let dup = s
        .insert_product(
            &p2,
            &[text("prd_2", "en", "Dup")],
            &[variant("var_3", "prd_2", "mer_1", "SC-1", 100, 1)],
            &[],
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict)), "{dup:?}");
    assert!(s.product("prd_2").await.expect("read").is_none());
    assert!(s
        .product_texts(&["prd_2".into()])
        .await
        .expect("read")
        .is_empty());
    // The same SKU code at another merchant is fine.
    let p3 = product("prd_3", "mer_2", "cat_h", "published", 102);
    s.insert_product(
        &p3,
        &[text("prd_3", "en", "Mug")],
        &[variant("var_4", "prd_3", "mer_2", "SC-1", 900, 5)],
        &[],
    )
    .await
    .expect("other merchant");

    // Updates are guarded by the owner.
    let mut edit = stored.clone();
    edit.status = "published".to_owned();
    edit.merchant_id = "mer_2".to_owned();
    edit.updated_at = 200;
    assert!(matches!(
        s.update_product(&edit, &[], &[]).await,
        Err(StoreError::Stale)
    ));
    edit.merchant_id = "mer_1".to_owned();
    s.update_product(&edit, &[text("prd_1", "en", "Silk scarf")], &[])
        .await
        .expect("update");
    let texts = s
        .product_texts(&["prd_1".into(), "prd_3".into()])
        .await
        .expect("texts");
    assert_eq!(texts.len(), 3);
    assert!(texts
        .iter()
        .any(|t| t.locale == "en" && t.title == "Silk scarf"));

    // Variants: add, reprice, never below zero stock, guarded by owner.
    let v = variant("var_5", "prd_1", "mer_1", "SC-3", 1500, 1);
    let foreign = VariantRecord {
        merchant_id: "mer_2".into(),
        ..v.clone()
    };
    assert!(matches!(
        s.insert_variant(&foreign).await,
        Err(StoreError::Stale)
    ));
    s.insert_variant(&v).await.expect("add variant");
    assert_eq!(
        s.product("prd_1")
            .await
            .expect("read")
            .expect("found")
            .min_price_minor,
        1500
    );
    let mut v2 = s.variant("var_1").await.expect("read").expect("found");
    v2.price_minor = 1000;
    v2.updated_at = 300;
    s.update_variant(&v2).await.expect("reprice");
    assert_eq!(
        s.product("prd_1")
            .await
            .expect("read")
            .expect("found")
            .min_price_minor,
        1000
    );
    v2.stock = -1;
    assert!(
        s.update_variant(&v2).await.is_err(),
        "CHECK (stock >= 0) backstops"
    );
    v2.stock = 7;
    v2.merchant_id = "mer_2".to_owned();
    assert!(matches!(
        s.update_variant(&v2).await,
        Err(StoreError::Stale)
    ));
    let all = s.variants_of(&["prd_1".into()]).await.expect("variants");
    assert_eq!(all.len(), 3);
    assert_eq!(
        all.iter().find(|v| v.id == "var_1").expect("var_1").stock,
        3
    );
}

fn query() -> ProductQuery {
    ProductQuery {
        visibility: Visibility::Public,
        category_id: None,
        merchant_id: None,
        ship_from: None,
        currency: None,
        min_price: None,
        max_price: None,
        in_stock: false,
        sort: ProductSort::Newest,
        after: None,
        limit: 50,
    }
}

fn ids(rows: &[ProductRecord]) -> Vec<&str> {
    rows.iter().map(|p| p.id.as_str()).collect()
}

async fn listing_filters_sorts_and_pages(s: &Store) {
    seed_catalogue(s).await;
    // prd_a..prd_e published; prd_d draft; prd_e out of stock; mer_2's ships from TR.
    let rows = [
        ("prd_a", "mer_1", "cat_s", "published", 10, 3000, 1),
        ("prd_b", "mer_1", "cat_f", "published", 20, 1000, 1),
        ("prd_c", "mer_2", "cat_h", "published", 30, 2000, 1),
        ("prd_d", "mer_1", "cat_s", "draft", 40, 500, 1),
        ("prd_e", "mer_2", "cat_s", "published", 50, 4000, 0),
    ];
    for (i, (id, m, cat, status, t, price, stock)) in rows.into_iter().enumerate() {
        let mut p = product(id, m, cat, status, t);
        if m == "mer_2" {
            p.ship_from_country = "TR".to_owned();
        }
        let v = variant(
            &format!("var_{i}"),
            id,
            m,
            &format!("SKU-{i}"),
            price,
            stock,
        );
        s.insert_product(&p, &[text(id, "en", id)], &[v], &[])
            .await
            .expect("product");
    }
    let all = s.list_products(&query()).await.expect("list");
    assert_eq!(
        ids(&all),
        vec!["prd_e", "prd_c", "prd_b", "prd_a"],
        "newest first, no drafts"
    );

    let q = ProductQuery {
        category_id: Some("cat_f".into()),
        ..query()
    };
    assert_eq!(
        ids(&s.list_products(&q).await.expect("list")),
        vec!["prd_e", "prd_b", "prd_a"],
        "descendants included"
    );
    let q = ProductQuery {
        in_stock: true,
        ship_from: Some("TR".into()),
        ..query()
    };
    assert_eq!(
        ids(&s.list_products(&q).await.expect("list")),
        vec!["prd_c"]
    );
    let q = ProductQuery {
        merchant_id: Some("mer_1".into()),
        ..query()
    };
    assert_eq!(
        ids(&s.list_products(&q).await.expect("list")),
        vec!["prd_b", "prd_a"]
    );
    let q = ProductQuery {
        currency: Some("EUR".into()),
        min_price: Some(1500),
        max_price: Some(3000),
        sort: ProductSort::PriceAsc,
        ..query()
    };
    assert_eq!(
        ids(&s.list_products(&q).await.expect("list")),
        vec!["prd_c", "prd_a"]
    );
    let q = ProductQuery {
        currency: Some("PLN".into()),
        ..query()
    };
    assert!(s.list_products(&q).await.expect("list").is_empty());

    // Keyset pages of two, by price descending, cover everything once.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let q = ProductQuery {
            sort: ProductSort::PriceDesc,
            limit: 2,
            after: after.clone(),
            ..query()
        };
        let page = s.list_products(&q).await.expect("page");
        if page.is_empty() {
            break;
        }
        let last = page.last().expect("non-empty");
        after = Some((last.min_price_minor, last.id.clone()));
        seen.extend(page.into_iter().map(|p| p.id));
    }
    assert_eq!(seen, vec!["prd_e", "prd_a", "prd_c", "prd_b"]);

    // The merchant sees its drafts; suspending a merchant hides its products from buyers.
    let own = ProductQuery {
        visibility: Visibility::OwnedBy("mer_1".into()),
        ..query()
    };
    assert_eq!(
        ids(&s.list_products(&own).await.expect("list")),
        vec!["prd_d", "prd_b", "prd_a"]
    );
    s.set_merchant_status("mer_2", "approved", "suspended", Some("fraud"), 99)
        .await
        .expect("suspend");
    assert_eq!(
        ids(&s.list_products(&query()).await.expect("list")),
        vec!["prd_b", "prd_a"]
    );
}

fn queued(locale: &str, hash: &str) -> QueuedTranslation {
    QueuedTranslation {
        locale: locale.to_owned(),
        source_locale: "en".to_owned(),
        source_hash: hash.to_owned(),
    }
}

fn machine(locale: &str, title: &str, hash: &str) -> ProductTextRecord {
    ProductTextRecord {
        machine: 1,
        source_locale: Some("en".to_owned()),
        source_hash: Some(hash.to_owned()),
        ..text("prd_1", locale, title)
    }
}

async fn translations_never_replace_a_merchants_text(s: &Store) {
    seed_catalogue(s).await;
    let p = product("prd_1", "mer_1", "cat_s", "published", 100);
    let v = variant("var_1", "prd_1", "mer_1", "SC-1", 2500, 3);
    let jobs = [queued("ru", "h1"), queued("fr", "h1")];
    s.insert_product(&p, &[text("prd_1", "en", "Scarf")], &[v], &jobs)
        .await
        .expect("product");
    let due = s.due_translations(100, 10).await.expect("due");
    let locales: Vec<&str> = due.iter().map(|j| j.locale.as_str()).collect();
    assert_eq!(locales, ["fr", "ru"]);
    assert!(s.due_translations(99, 10).await.expect("due").is_empty());
    // One node claims; another's claim of the same job fails.
    let taken = s.claim_translations(&due, 500).await.expect("claim");
    assert_eq!(taken.len(), 2);
    assert!(s
        .claim_translations(&due, 500)
        .await
        .expect("claim")
        .is_empty());
    assert!(s.due_translations(499, 10).await.expect("due").is_empty());
    // A result for an outdated source is not stored.
    let results = [machine("ru", "old", "h0"), machine("ru", "Шарф", "h1")];
    assert_eq!(s.store_translations(&results, 101).await.expect("store"), 1);
    // The merchant writes French while it is queued: the job goes, and a late result cannot
    // replace the merchant's text.
    let mut edit = s.product("prd_1").await.expect("read").expect("found");
    edit.updated_at = 102;
    let french = text("prd_1", "fr", "Écharpe");
    s.update_product(&edit, &[french], &[]).await.expect("edit");
    assert_eq!(s.translation_backlog().await.expect("backlog"), 0);
    let late = [machine("fr", "machine", "h1")];
    assert_eq!(s.store_translations(&late, 103).await.expect("store"), 0);
    let texts = s.product_texts(&["prd_1".into()]).await.expect("texts");
    let by = |l: &str| texts.iter().find(|t| t.locale == l).expect("text");
    assert_eq!((by("fr").title.as_str(), by("fr").machine), ("Écharpe", 0));
    assert_eq!((by("ru").title.as_str(), by("ru").machine), ("Шарф", 1));
    assert_eq!(by("ru").source_hash.as_deref(), Some("h1"));
    // A failure is retried later.
    s.update_product(&edit, &[], &[queued("zh", "h1")])
        .await
        .expect("queue");
    let zh = &s.due_translations(200, 10).await.expect("due")[0];
    s.retry_translation(zh, 900, "timeout")
        .await
        .expect("retry");
    assert!(s.due_translations(899, 10).await.expect("due").is_empty());
    let again = &s.due_translations(900, 10).await.expect("due")[0];
    assert_eq!(
        (again.attempts, again.last_error.as_deref()),
        (1, Some("timeout"))
    );
}
