//! The HTTP load generator: one loop per buyer token posting prepared bodies for a fixed time
//! after a second of warm-up, and the line each measurement prints.

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One measurement.
pub struct Run {
    /// Requests answered 201.
    pub ok: usize,
    /// Store orders they placed (a checkout across two stores places two).
    pub orders: usize,
    /// Answers other than 201, by status (0: no answer).
    pub refused: BTreeMap<u16, usize>,
    pub latencies_us: Vec<u64>,
    pub seconds: f64,
}

impl Run {
    pub(crate) fn empty(seconds: f64) -> Run {
        Run {
            ok: 0,
            orders: 0,
            refused: BTreeMap::new(),
            latencies_us: Vec::new(),
            seconds,
        }
    }

    /// The `q` quantile of the admitted requests' latencies, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let mut l = self.latencies_us.clone();
        l.sort_unstable();
        let i = ((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1));
        l.get(i).copied().unwrap_or(0) as f64 / 1000.0
    }

    /// Store orders per second.
    pub fn per_second(&self) -> f64 {
        self.orders as f64 / self.seconds
    }

    /// `label orders_per_s=… [checkouts_per_s=…] p50_ms=… p99_ms=… rss_mb=…`, then `extra`,
    /// then what was refused. Checkouts are shown where they differ from orders.
    pub fn line(&self, label: &str, extra: &str) -> String {
        let checkouts = if self.orders == self.ok {
            String::new()
        } else {
            format!(" checkouts_per_s={:.0}", self.ok as f64 / self.seconds)
        };
        let mut s = format!(
            "{label} orders_per_s={:.0}{checkouts} p50_ms={:.2} p99_ms={:.2} rss_mb={:.0}",
            self.per_second(),
            self.quantile_ms(0.50),
            self.quantile_ms(0.99),
            crate::rss::peak_mb()
        );
        s.push_str(extra);
        let failed: usize = self.refused.values().sum();
        if failed > 0 {
            s.push_str(&format!(" failed={failed}"));
            for (status, n) in &self.refused {
                s.push_str(&format!(" s{status}={n}"));
            }
        }
        s
    }
}

/// How the load generator makes Idempotency-Keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// No key (the baselines).
    None,
    /// 48-bit milliseconds, then the buyer and its counter.
    TimeOrdered,
    /// 128 random bits.
    Random,
}

impl Keys {
    fn make(self, buyer: usize, n: u64) -> Option<String> {
        match self {
            Keys::None => None,
            Keys::TimeOrdered => {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or(0);
                Some(format!("{ms:012x}-{buyer:04x}-{n:08x}"))
            }
            Keys::Random => Some(format!("{:032x}", rand::random::<u128>())),
        }
    }
}

/// A checkout body of one unit of `variant` shipped to France.
pub fn one_unit(variant: &str) -> String {
    json!({"items": [{"variant_id": variant, "quantity": 1}],
        "address": {"name": "B", "line1": "L", "city": "C", "postal_code": "1", "country": "FR"},
        "payment_method": "pm_sandbox_success"})
    .to_string()
}

/// Drives one loop per token posting to `path` for `seconds` (after a second of warm-up): buyer
/// `b`'s n-th request sends `bodies[(b + n) % len]`, with Idempotency-Keys made as `keys` says.
/// Bodies are made once, so the generator spends its share of the cores on HTTP, not JSON.
pub async fn drive(
    base: &str,
    tokens: &[String],
    path: &str,
    seconds: u64,
    bodies: Arc<Vec<String>>,
    keys: Keys,
) -> Run {
    drive_with(base, tokens, path, seconds, bodies, keys, Extra::default()).await
}

/// What a drive adds to the plain loops.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Buyer `b` sends `cookies[b % len]` (none if empty).
    pub cookies: Arc<Vec<String>>,
    /// Requests per second offered by all buyers together, each buyer sending on its own
    /// schedule whatever the answers' pace (open loop); none: each sends when answered.
    pub rate: Option<f64>,
}

/// [`drive`] with [`Extra`]s. A paced request's latency counts from when it was due, so a
/// slow answer that delays the next request shows in the next one's latency too.
pub async fn drive_with(
    base: &str,
    tokens: &[String],
    path: &str,
    seconds: u64,
    bodies: Arc<Vec<String>>,
    keys: Keys,
    extra: Extra,
) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(tokens.len())
        .build()
        .unwrap_or_default();
    let warm = Instant::now() + Duration::from_secs(1);
    let window = (warm, warm + Duration::from_secs(seconds));
    let mut set = tokio::task::JoinSet::new();
    let cookies = &extra.cookies;
    let every = extra
        .rate
        .filter(|r| *r > 0.0)
        .map(|r| Duration::from_secs_f64(tokens.len() as f64 / r));
    for (b, token) in tokens.iter().enumerate() {
        let buyer = Buyer {
            client: client.clone(),
            url: format!("{base}{path}"),
            auth: format!("Bearer {token}"),
            index: b,
            cookie: (!cookies.is_empty()).then(|| cookies[b % cookies.len()].clone()),
            pace: every.map(|e| Pace {
                every: e,
                first: Instant::now() + e.mul_f64(b as f64 / tokens.len() as f64),
            }),
        };
        set.spawn(buyer.run(bodies.clone(), keys, window));
    }
    let mut all = Run::empty(seconds as f64);
    while let Some(Ok(run)) = set.join_next().await {
        all.ok += run.ok;
        all.orders += run.orders;
        for (s, n) in run.refused {
            *all.refused.entry(s).or_default() += n;
        }
        all.latencies_us.extend(run.latencies_us);
    }
    all
}

/// One simulated buyer.
struct Buyer {
    client: reqwest::Client,
    url: String,
    auth: String,
    index: usize,
    cookie: Option<String>,
    pace: Option<Pace>,
}

/// A paced buyer's schedule: its first request's instant, then one each `every`.
#[derive(Debug, Clone, Copy)]
struct Pace {
    first: Instant,
    every: Duration,
}

impl Pace {
    /// Waits for the `n`-th request's instant (counting from 1) and returns it.
    async fn due(self, n: u64) -> Instant {
        let at = self.first + self.every.mul_f64(n.saturating_sub(1) as f64);
        tokio::time::sleep_until(at.into()).await;
        at
    }
}

impl Buyer {
    /// Posts one request after the other until the window ends; counts those sent in it.
    async fn run(
        self,
        bodies: Arc<Vec<String>>,
        keys: Keys,
        (warm, end): (Instant, Instant),
    ) -> Run {
        let mut run = Run::empty(0.0);
        let mut n = 0u64;
        while Instant::now() < end {
            n += 1;
            let body = bodies[(self.index + n as usize) % bodies.len()].clone();
            let mut req = self
                .client
                .post(&self.url)
                .header(AUTHORIZATION, &self.auth)
                .header(CONTENT_TYPE, "application/json")
                .body(body);
            if let Some(key) = keys.make(self.index, n) {
                req = req.header("Idempotency-Key", key);
            }
            if let Some(c) = &self.cookie {
                req = req.header("Cookie", c);
            }
            let t = match self.pace {
                Some(pace) => pace.due(n).await,
                None => Instant::now(),
            };
            if t >= end {
                break;
            }
            let (status, orders) = match req.send().await {
                Ok(r) => {
                    let s = r.status().as_u16();
                    let body = r.bytes().await.unwrap_or_default();
                    (s, orders_in(&body))
                }
                Err(_) => (0, 0),
            };
            if t < warm {
                continue;
            }
            if status == 201 {
                run.ok += 1;
                run.orders += orders.max(1);
                run.latencies_us.push(t.elapsed().as_micros() as u64);
            } else {
                *run.refused.entry(status).or_default() += 1;
            }
        }
        run
    }
}

/// How many store orders a checkout's answer holds (its `"id":"ord_…"` fields).
fn orders_in(body: &[u8]) -> usize {
    let needle = br#""id":"ord_"#;
    body.windows(needle.len()).filter(|w| w == needle).count()
}

/// The no-op endpoint: the ceiling of HTTP on this machine.
pub async fn noop() -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({})))
}

/// Serves `app` on a free local port; its base URL and the server task (abort it when done).
pub async fn serve(
    app: axum::Router,
) -> anyhow::Result<(String, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = caravan_web::listen("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    Ok((
        base,
        tokio::spawn(async move { axum::serve(listener, app).await }),
    ))
}
