//! `TestApp`: the real app on port 0 with its own database and a clock the test can move.

use caravan_domain::account::Role;
use caravan_market::accounts::Registration;
use caravan_market::{ManualClock, Market, MarketConfig};
use caravan_search::SearchIndex;
use caravan_store::testing::TestDb;
use caravan_web::AppState;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery";
pub const WEBHOOK_SECRET: &str = "whsec_test_secret";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub market: Market,
    pub clock: Arc<ManualClock>,
    /// The payment provider, with its record of every authorization.
    pub sandbox: Arc<caravan_market::payments::Sandbox>,
    /// The database this app made (None for a second node on another app's database).
    db: Option<TestDb>,
    store: caravan_store::Store,
    server: tokio::task::JoinHandle<()>,
    indexer: tokio::task::JoinHandle<()>,
    translator: tokio::task::JoinHandle<()>,
    flusher: tokio::task::JoinHandle<()>,
}

/// One node's HTTP address and client, cheap to clone into spawned tasks (for requests sent at
/// once).
#[derive(Clone)]
pub struct Remote {
    client: reqwest::Client,
    base: String,
}

impl Remote {
    /// A POST with an `Idempotency-Key`.
    pub async fn post_idem(&self, path: &str, token: &str, key: &str, body: Value) -> Res {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        Res {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }
}

/// A response: status, headers and JSON body (Null when empty or not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Res {
    /// Asserts an error with `status` and `code`, and that the code is in the documented table.
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        assert!(self.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert!(
            documented_errors().contains(&format!("| `{code}` | {status} |")),
            "{code} must be in the OpenAPI description's error table with status {status}"
        );
    }

    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        &self.body
    }
}

/// The error table of the OpenAPI document as served (its `info.description`).
pub fn documented_errors() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let doc: Value = serde_json::from_str(&caravan_web::openapi_json()).expect("OpenAPI JSON");
        doc["info"]["description"]
            .as_str()
            .expect("a description")
            .to_owned()
    })
}

impl TestApp {
    async fn start(db: TestDb) -> TestApp {
        let store = db.store.clone();
        let clock = Arc::new(ManualClock::new(1_800_000_000_000));
        Self::start_node(store, Some(db), clock).await
    }

    /// Another node on this app's database: its own connections, caches, order writer and HTTP
    /// server, as a second Caravan process behind a load balancer would have. Stop it with
    /// [`TestApp::cleanup`] before this app.
    pub async fn another_node(&self) -> TestApp {
        let url = &self.db.as_ref().expect("a first node").url;
        let store = caravan_store::Store::connect(url)
            .await
            .expect("second connection");
        Self::start_node(store, None, self.clock.clone()).await
    }

    async fn start_node(
        store: caravan_store::Store,
        db: Option<TestDb>,
        clock: Arc<ManualClock>,
    ) -> TestApp {
        let config = MarketConfig {
            webhook_secret: WEBHOOK_SECRET.to_owned(),
            ..MarketConfig::default()
        };
        let sandbox = Arc::new(caravan_market::payments::Sandbox::new(
            WEBHOOK_SECRET.to_owned(),
        ));
        let market = Market::with_provider(store.clone(), clock.clone(), config, sandbox.clone());
        market.attach_search(Arc::new(
            SearchIndex::in_memory().expect("in-memory search index"),
        ));
        let indexer = tokio::spawn(market.clone().run_indexer());
        let translator = tokio::spawn(market.clone().run_translator());
        let flusher = tokio::spawn(market.clone().run_connect_flusher());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = AppState::new(market.clone());
        let server = tokio::spawn(async move {
            caravan_web::serve(listener, state, std::future::pending())
                .await
                .expect("serve");
        });
        TestApp {
            base,
            client: reqwest::Client::new(),
            market,
            clock,
            sandbox,
            db,
            store,
            server,
            indexer,
            translator,
            flusher,
        }
    }

    pub async fn sqlite() -> TestApp {
        Self::start(TestDb::sqlite().await.expect("sqlite database")).await
    }

    pub async fn postgres() -> Option<TestApp> {
        let db = TestDb::postgres()
            .await
            .expect("CARAVAN_TEST_POSTGRES is set but unusable")?;
        Some(Self::start(db).await)
    }

    pub async fn cleanup(self) {
        self.server.abort();
        self.indexer.abort();
        self.translator.abort();
        self.flusher.abort();
        match self.db {
            Some(db) => db.cleanup().await,
            None => self.store.close().await,
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// A POST with an `Idempotency-Key`.
    pub async fn post_idem(&self, path: &str, token: &str, key: &str, body: Value) -> Res {
        self.remote().post_idem(path, token, key, body).await
    }

    /// This node's address and client, to move into a spawned task.
    pub fn remote(&self) -> Remote {
        Remote {
            client: self.client.clone(),
            base: self.base.clone(),
        }
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    /// Registers through the API and logs in; returns the token.
    pub async fn buyer(&self, email: &str) -> String {
        self.post(
            "/api/v1/auth/register",
            None,
            json!({"email": email, "password": PASSWORD, "display_name": "Test Buyer", "country": "FR", "locale": "fr"}),
        )
        .await
        .ok(201);
        self.login(email).await
    }

    pub async fn login(&self, email: &str) -> String {
        let res = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        res.ok(200)["token"].as_str().expect("token").to_owned()
    }

    /// An operator (operators are made by the CLI, not the API) with a token.
    pub async fn operator(&self) -> String {
        let r = Registration {
            email: "op@example.com".into(),
            password: PASSWORD.into(),
            display_name: "Op".into(),
            country: None,
            locale: None,
        };
        self.market
            .register(r, &[Role::Operator])
            .await
            .expect("operator");
        self.login("op@example.com").await
    }

    /// A buyer who applied to sell and was approved by `op`; returns (token, merchant id).
    pub async fn merchant(
        &self,
        op: &str,
        email: &str,
        country: &str,
        currency: &str,
    ) -> (String, String) {
        let token = self.buyer(email).await;
        let m = self
            .post(
                "/api/v1/merchant-applications",
                Some(&token),
                json!({"store_name": format!("Store {email}"), "country": country, "settlement_currency": currency, "default_locale": "it"}),
            )
            .await;
        let id = m.ok(201)["id"].as_str().expect("id").to_owned();
        self.post(
            &format!("/api/v1/admin/merchants/{id}/decision"),
            Some(op),
            json!({"decision": "approve"}),
        )
        .await
        .ok(200);
        (token, id)
    }

    /// A root category and a child; returns (root id, child id).
    pub async fn categories(&self, op: &str) -> (String, String) {
        let root = self
            .post(
                "/api/v1/categories",
                Some(op),
                json!({"slug": "fashion", "names": {"en": "Fashion", "ru": "Мода"}}),
            )
            .await;
        let root = root.ok(201)["id"].as_str().expect("id").to_owned();
        let child = self
            .post(
                "/api/v1/categories",
                Some(op),
                json!({"slug": "scarves", "parent_id": root, "names": {"en": "Scarves", "ru": "Шарфы"}}),
            )
            .await;
        (root, child.ok(201)["id"].as_str().expect("id").to_owned())
    }
}

/// A valid new-product body in category `cat` with one variant.
pub fn product_body(cat: &str, sku: &str, price: i64, stock: i64) -> Value {
    json!({
        "category_id": cat,
        "texts": {"en": {"title": "Silk scarf", "description": "From Como"}, "ru": {"title": "Шёлковый шарф"}},
        "images": ["https://img.example/scarf.jpg"],
        "attributes": {"material": "silk"},
        "hs_code": "6214.10",
        "weight_grams": 120,
        "status": "published",
        "variants": [{"sku": sku, "options": {"colour": "red"}, "price_minor": price, "currency": "EUR", "stock": stock}]
    })
}
