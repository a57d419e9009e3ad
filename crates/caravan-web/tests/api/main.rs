//! HTTP tests: the real router served on port 0 over a real database, driven with reqwest.
//! Every test runs on SQLite, and on PostgreSQL when `CARAVAN_TEST_POSTGRES` is set.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly on the first broken expectation"
)]

mod accounts;
mod app;
mod bad_input;
mod catalogue;
mod charity;
mod checkout;
mod checkout_bad;
mod codes;
mod concurrency;
mod connect;
mod connect_collabs;
mod connect_money;
mod connect_posts;
mod coupons;
mod envelope;
mod festival;
mod merchants;
mod nodes;
mod ops;
mod pages;
mod promotions;
mod reliability;
mod search;
mod shop;
mod sites;
mod store_discounts;
mod translations;
mod waiting;

/// Declares `sqlite::name` and `postgres::name` tests for each `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::app::TestApp::sqlite().await;
                    super::$name(&app).await;
                    app.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match $crate::app::TestApp::postgres().await {
                        Some(app) => {
                            super::$name(&app).await;
                            app.cleanup().await;
                        }
                        None => eprintln!("SKIPPED {}: CARAVAN_TEST_POSTGRES is not set", stringify!($name)),
                    }
                }
            )*
        }
    };
}
