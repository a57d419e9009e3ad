//! The storefront in a real browser: Debian's headless Chromium driven over WebDriver
//! (chromedriver), against `caravan serve --demo`. Screenshots of the key pages are saved under
//! `target/screenshots/` for people to look at.
//!
//! Runs when `CARAVAN_TEST_BROWSER` is set (`.ci/run` sets it after installing chromium and
//! chromium-driver); then a missing browser fails the test. Without it the test says SKIPPED.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test fails loudly on the first broken expectation"
)]

mod common;

use common::serve;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn browser(language: &str) -> (Driver, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(
            std::env::var("CARAVAN_CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (apt-get install chromium-driver)"),
    );
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": std::env::var("CARAVAN_CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", format!("--lang={language}")],
            "prefs": {"intl.accept_languages": language}
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(caps.clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => return (driver, c),
            Err(e) if started.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session: {e}"),
        }
    }
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits (up to ten seconds) for the browser to arrive at a path starting with `prefix`.
async fn arrive(c: &Client, prefix: &str) {
    let started = Instant::now();
    while !c.current_url().await.unwrap().path().starts_with(prefix) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never reached {prefix}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_russian_buyer_browses_searches_and_reads_a_product_page() {
    if std::env::var_os("CARAVAN_TEST_BROWSER").is_none() {
        eprintln!("SKIPPED: set CARAVAN_TEST_BROWSER=1 (with chromium and chromium-driver installed) to run the browser test");
        return;
    }
    let dir = std::env::temp_dir().join(format!("caravan-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_server, url, _) = serve(&dir, &["--demo"]);
    let (_driver, c) = browser("ru-RU").await;

    // Home, negotiated from the browser's language: Russian text, prices in roubles.
    c.goto(&format!("{url}/")).await.unwrap();
    let started = Instant::now();
    loop {
        // The index is built in the background right after the demo is seeded.
        if c.find_all(Locator::Css("ul.grid li.card"))
            .await
            .unwrap()
            .len()
            >= 6
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no products on the home page"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        c.goto(&format!("{url}/")).await.unwrap();
    }
    let html = c.source().await.unwrap();
    assert!(
        html.contains("<html lang=\"ru\">"),
        "language negotiated from Accept-Language"
    );
    assert!(html.contains("Покупайте по всему миру"));
    let price = text(&c, "li.card .price").await;
    assert!(price.contains('₽'), "price in roubles: {price}");
    assert!(price.starts_with("от "), "{price}");
    shot(&c, "01-home-ru").await;

    // Search by typing into the header and pressing Enter: an inflected Russian word.
    let q = c.find(Locator::Css("input#q")).await.unwrap();
    q.send_keys("кружки\u{E007}").await.unwrap();
    arrive(&c, "/search").await;
    let heading = text(&c, "section.hits h1").await;
    assert_eq!(heading, "Результаты по запросу «кружки»");
    let summary = text(&c, "p.summary").await;
    assert!(
        summary.ends_with("товаров") || summary.ends_with("товара") || summary.ends_with("товар"),
        "{summary}"
    );
    let titles: Vec<String> = {
        let mut v = Vec::new();
        for e in c.find_all(Locator::Css("li.card .name")).await.unwrap() {
            v.push(e.text().await.unwrap());
        }
        v
    };
    assert!(!titles.is_empty());
    assert!(
        titles.iter().all(|t| t.to_lowercase().contains("кружк")),
        "{titles:?}"
    );
    assert!(text(&c, "aside.facets").await.contains("Цена"));
    shot(&c, "02-search-ru").await;

    // The product page: price in roubles, delivery to Russia, the store.
    click(&c, "li.card a").await;
    arrive(&c, "/p/").await;
    assert!(text(&c, "p.price.big").await.contains('₽'));
    assert!(text(&c, ".delivery h2").await.starts_with("Доставка в"));
    assert!(!text(&c, ".seller").await.is_empty());
    shot(&c, "03-product-ru").await;

    // The same page on a phone-sized screen.
    c.set_window_size(390, 844).await.unwrap();
    c.refresh().await.unwrap();
    shot(&c, "04-product-ru-phone").await;
    c.set_window_size(1280, 900).await.unwrap();

    // Switch to English and euros with the header's selectors; it is remembered.
    click(&c, "select[name=locale] option[value=en]").await;
    click(&c, "select[name=currency] option[value=EUR]").await;
    click(&c, "form.prefs button").await;
    let started = Instant::now();
    loop {
        let html = c.source().await.unwrap();
        if html.contains("<html lang=\"en\">") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "language did not switch"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        c.current_url().await.unwrap().path().starts_with("/p/"),
        "back on the same page"
    );
    assert!(text(&c, "p.price.big").await.starts_with('€'));
    c.goto(&format!("{url}/")).await.unwrap();
    assert!(
        text(&c, "li.card .price").await.contains('€'),
        "the choice is remembered"
    );
    shot(&c, "05-home-en").await;
    c.close().await.unwrap();
}
