//! The storefront in a real browser: Debian's headless Chromium driven over WebDriver
//! (chromedriver), against `caravan serve --demo`. Screenshots of the key pages are saved under
//! `target/screenshots/` for people to look at.
//!
//! Runs when `CARAVAN_TEST_BROWSER` is set (`.ci/run` sets it after installing chromium and
//! chromium-driver); then a missing browser fails the test. Without it the test says SKIPPED,
//! except in CI (`CI` set), where skipping is itself a failure.

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

/// A fresh data directory for one browser test, or `None` (the test skips) when
/// `CARAVAN_TEST_BROWSER` is not set; in CI (`CI` set) a missing switch fails instead.
fn browser_dir(name: &str) -> Option<PathBuf> {
    if std::env::var_os("CARAVAN_TEST_BROWSER").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but CARAVAN_TEST_BROWSER is not: the browser test must run in CI"
        );
        eprintln!("SKIPPED: set CARAVAN_TEST_BROWSER=1 (with chromium and chromium-driver installed) to run the browser test");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Some(dir)
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

/// A `side`×`side` RGB gradient as a PNG, written with stored (uncompressed) zlib blocks.
fn gradient_png(side: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..side {
        raw.push(0); // no filter
        for x in 0..side {
            let (r, g, b) = (
                230 - x * 80 / side,
                90 + y * 100 / side,
                60 + (x + y) * 90 / side,
            );
            raw.extend_from_slice(&[r as u8, g as u8, b as u8]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
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

async fn log_in(c: &Client, url: &str, email: &str) {
    c.goto(&format!("{url}/login")).await.unwrap();
    type_into(c, "input[name=email]", email).await;
    type_into(c, "input[name=password]", "caravan-demo").await;
    click(c, "form.stack button").await;
    let started = Instant::now();
    while c.current_url().await.unwrap().path() == "/login" {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "login failed for {email}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn log_out(c: &Client) {
    click(c, "nav.me form button").await;
    // Signed out, the header offers to log in again (the pages are in Russian here).
    shows(c, "Войти").await;
}

/// Waits (up to ten seconds) until the page shows `wanted` (after a form posts to the same path).
async fn shows(c: &Client, wanted: &str) {
    let started = Instant::now();
    loop {
        if let Ok(b) = c.find(Locator::Css("body")).await {
            if b.text().await.is_ok_and(|t| t.contains(wanted)) {
                return;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the page never showed {wanted:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(c: &Client, css: &str, keys: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
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
async fn a_russian_buyer_buys_from_two_stores_and_the_store_gets_paid() {
    let Some(dir) = browser_dir("caravan-browser") else {
        return;
    };
    let (_server, url, printed) = serve(&dir, &["--demo"]);
    let login_of = |role: &str, country: &str| -> String {
        printed
            .lines()
            .map(str::split_whitespace)
            .filter_map(|mut w| Some((w.next()?, w.next()?, w.next()?)))
            .find(|(r, c, _)| *r == role && *c == country)
            .map(|(_, _, e)| e.to_owned())
            .unwrap_or_else(|| panic!("no demo {role} in {country}: {printed}"))
    };
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

    // «шарф» finds the Italian and Turkish stores' scarves, titled in Russian by machine
    // translation and marked so; the product page shows the original on request, no script.
    let q = c.find(Locator::Css("input#q")).await.unwrap();
    q.send_keys("шарф\u{E007}").await.unwrap();
    arrive(&c, "/search").await;
    let cards = text(&c, "ul.grid").await;
    assert!(
        cards.contains("Шарф") && cards.contains("автоперевод"),
        "{cards}"
    );
    c.goto(&format!(
        "{url}/search?q=%D1%88%D0%B0%D1%80%D1%84&ship_from=IT"
    ))
    .await
    .unwrap();
    click(&c, "li.card a").await;
    arrive(&c, "/p/").await;
    let title = text(&c, "h1").await;
    assert!(
        title.starts_with("Шарф") || title.starts_with("Шаль"),
        "{title}"
    );
    assert!(text(&c, "p.translated")
        .await
        .contains("Переведено автоматически"));
    shot(&c, "01b-translated-ru").await;
    click(&c, "p.translated a").await;
    shows(&c, "Оригинальный текст (Italiano)").await;
    let original = text(&c, "h1").await;
    assert!(
        original.starts_with("Sciarpa") || original.starts_with("Scialle"),
        "{original}"
    );
    click(&c, "p.translated a").await;
    shows(&c, "Переведено автоматически").await;
    assert_eq!(text(&c, "h1").await, title);

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
    // Machine translation titles every store's mugs in Russian: the Russian store's one is
    // the one this buyer picks (its store ships and is paid below).
    c.goto(&format!(
        "{url}/search?q=%D0%BA%D1%80%D1%83%D0%B6%D0%BA%D0%B8&ship_from=RU"
    ))
    .await
    .unwrap();

    // The product page: price in roubles, delivery to Russia, the store.
    click(&c, "li.card a").await;
    arrive(&c, "/p/").await;
    assert!(text(&c, "p.price.big").await.contains('₽'));
    assert!(text(&c, ".delivery h2")
        .await
        .starts_with("Доставка: Россия"));
    assert!(!text(&c, ".seller").await.is_empty());
    shot(&c, "03-product-ru").await;

    // The same page on a phone-sized screen.
    c.set_window_size(390, 844).await.unwrap();
    c.refresh().await.unwrap();
    shot(&c, "04-product-ru-phone").await;
    c.set_window_size(1280, 900).await.unwrap();

    // Still a guest, the buyer puts the mug in the cart; checking out asks to log in.
    click(&c, "form.addcart button").await;
    arrive(&c, "/cart").await;
    assert!(text(&c, "p.guest").await.contains("Войдите"));
    assert!(c
        .find(Locator::Css("#checkout input[name=line1]"))
        .await
        .is_err());
    shot(&c, "04b-cart-guest-ru").await;

    // A Russian buyer logs in (the guest cart comes along) and buys from two stores in one
    // checkout, paying with the sandbox.
    let buyer = login_of("buyer", "RU");
    log_in(&c, &url, &buyer).await;
    // The demo buyers already bought at the festival: count what is there before.
    c.goto(&format!("{url}/orders")).await.unwrap();
    let earlier = c
        .find_all(Locator::Css("section.order"))
        .await
        .unwrap()
        .len();
    c.goto(&format!("{url}/cart")).await.unwrap();
    assert_eq!(
        c.find_all(Locator::Css("section.group"))
            .await
            .unwrap()
            .len(),
        1,
        "the guest's mug is in the buyer's cart"
    );
    c.goto(&format!("{url}/search?q=scarf&ship_from=IT"))
        .await
        .unwrap();
    click(&c, "li.card a").await;
    arrive(&c, "/p/").await;
    click(&c, "form.addcart button").await;
    arrive(&c, "/cart").await;
    assert_eq!(
        c.find_all(Locator::Css("section.group"))
            .await
            .unwrap()
            .len(),
        2,
        "two stores in the cart"
    );
    assert!(text(&c, "#checkout").await.contains('₽'));
    for (name, value) in [
        ("line1", "ул. Тверская, 1"),
        ("city", "Москва"),
        ("postal_code", "125009"),
    ] {
        c.find(Locator::Css(&format!("input[name={name}]")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    shot(&c, "05-cart-ru").await;
    click(&c, "#checkout button.primary").await;
    arrive(&c, "/orders").await;
    let orders = c.find_all(Locator::Css("section.order")).await.unwrap();
    assert_eq!(orders.len(), earlier + 2, "one order per store");
    assert!(text(&c, "p.note").await.contains("Спасибо"));
    assert_eq!(
        c.find_all(Locator::Css("section.order .status"))
            .await
            .unwrap()
            .len(),
        earlier + 2
    );
    // The two new orders, listed first, are paid (the demo's earlier ones may be further on).
    for s in c
        .find_all(Locator::Css("section.order .status"))
        .await
        .unwrap()
        .into_iter()
        .take(2)
    {
        assert_eq!(s.text().await.unwrap(), "Оплачен");
    }
    shot(&c, "06-orders-ru").await;
    // "Save this address" was ticked: the account page keeps it for next time.
    c.goto(&format!("{url}/account")).await.unwrap();
    let book = text(&c, "section.addresses").await;
    assert!(
        book.contains("ул. Тверская, 1") && book.contains("1 сохранённый адрес"),
        "{book}"
    );
    shot(&c, "06b-account-ru").await;
    log_out(&c).await;

    // The Russian store ships with tracking and reports delivery.
    let merchant = login_of("merchant", "RU");
    log_in(&c, &url, &merchant).await;
    c.goto(&format!("{url}/seller")).await.unwrap();
    let before = text(&c, "p.balance").await;
    assert!(before.starts_with("Доступно: 0,00"), "{before}");
    type_into(&c, "form.ship input[name=carrier]", "Почта России").await;
    type_into(&c, "form.ship input[name=tracking_number]", "RA123456789RU").await;
    click(&c, "form.ship button").await;
    shows(&c, "RA123456789RU").await;
    click(&c, "section.order form button").await;
    shows(&c, "Доставлен").await;
    shot(&c, "07-seller-ru").await;
    log_out(&c).await;

    // The buyer confirms receipt.
    log_in(&c, &url, &buyer).await;
    c.goto(&format!("{url}/orders")).await.unwrap();
    assert!(
        text(&c, "body").await.contains("RA123456789RU"),
        "tracking shown to the buyer"
    );
    // Its order page has the timeline.
    click(&c, "section.order a[href^='/orders/']").await;
    shows(&c, "История").await;
    shot(&c, "07b-order-ru").await;
    c.goto(&format!("{url}/orders")).await.unwrap();
    click(&c, "section.order form button").await;
    shows(&c, "Завершён").await;
    log_out(&c).await;

    // The store's balance now shows the money (minus the platform fee).
    log_in(&c, &url, &merchant).await;
    c.goto(&format!("{url}/seller")).await.unwrap();
    let after = text(&c, "p.balance").await;
    assert!(
        after.starts_with("Доступно: ") && !after.starts_with("Доступно: 0,00"),
        "{after}"
    );
    shot(&c, "08-seller-paid-ru").await;

    // The store lists a new product from the seller centre; search finds it moments later.
    type_into(
        &c,
        "form.new-product input[name=title]",
        "Кружка тестовая Caravan",
    )
    .await;
    type_into(&c, "form.new-product input[name=price]", "1234,50").await;
    type_into(&c, "form.new-product input[name=sku]", "TEST-1").await;
    click(&c, "form.new-product button").await;
    shows(&c, "Кружка тестовая Caravan").await;
    // And pays out what is available.
    click(&c, "form[action='/seller/payout'] button").await;
    shows(&c, "Выплата отправлена").await;
    assert!(text(&c, "p.balance").await.starts_with("Доступно: 0,00"));
    assert_eq!(
        c.find_all(Locator::Css("table.payouts tr"))
            .await
            .unwrap()
            .len(),
        1,
        "the payout is listed"
    );
    shot(&c, "08b-seller-products-ru").await;
    c.goto(&format!("{url}/seller/shipping")).await.unwrap();
    shows(&c, "Тарифы доставки").await;
    shot(&c, "08c-seller-shipping-ru").await;
    // A photo uploaded from the product editor joins the gallery.
    c.goto(&format!("{url}/seller")).await.unwrap();
    click(&c, "a[href^='/seller/products/']").await;
    arrive(&c, "/seller/products/").await;
    let photos = c.find_all(Locator::Css(".thumbs img")).await.unwrap().len();
    let file = std::env::temp_dir().join(format!("caravan-photo-{}.png", std::process::id()));
    std::fs::write(&file, gradient_png(96)).unwrap();
    type_into(&c, "form.upload input[type=file]", file.to_str().unwrap()).await;
    click(&c, "form.upload button").await;
    shows(&c, "Сохранено").await;
    assert_eq!(
        c.find_all(Locator::Css(".thumbs img")).await.unwrap().len(),
        photos + 1
    );
    let mut here = c.current_url().await.unwrap();
    here.set_fragment(Some("photos"));
    c.goto(here.as_str()).await.unwrap();
    shot(&c, "08d-seller-photo-ru").await;
    let _ = std::fs::remove_file(&file);
    let started = Instant::now();
    loop {
        c.goto(&format!(
            "{url}/search?q=%D1%82%D0%B5%D1%81%D1%82%D0%BE%D0%B2%D0%B0%D1%8F"
        ))
        .await
        .unwrap();
        if text(&c, "section.hits")
            .await
            .contains("Кружка тестовая Caravan")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the new product never became searchable"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    log_out(&c).await;

    // The operator approves a pending store application in the console.
    log_in(&c, &url, &login_of("operator", "IE")).await;
    c.goto(&format!("{url}/admin")).await.unwrap();
    let pending = c
        .find_all(Locator::Css("tr.application"))
        .await
        .unwrap()
        .len();
    assert!(pending >= 1, "the demo has pending applications");
    shot(&c, "09-admin-ru").await;
    click(&c, "tr.application button.primary").await;
    let started = Instant::now();
    while c
        .find_all(Locator::Css("tr.application"))
        .await
        .map_or(pending, |v| v.len())
        != pending - 1
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the application was not approved"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

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
        c.current_url().await.unwrap().path().starts_with("/admin"),
        "back on the same page"
    );
    assert!(text(&c, "h1").await.starts_with("Operator console"));
    c.goto(&format!("{url}/")).await.unwrap();
    assert!(
        text(&c, "li.card .price").await.contains('€'),
        "the choice is remembered"
    );
    shot(&c, "10-home-en").await;
    c.close().await.unwrap();
}

/// Logs in over the API; returns the bearer token.
async fn token(http: &reqwest::Client, url: &str, email: &str) -> String {
    let r = http
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": "caravan-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "login of {email}");
    r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// POSTs JSON with a bearer token; asserts the status and returns the body.
async fn post_json(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: serde_json::Value,
    status: u16,
) -> serde_json::Value {
    let r = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), status, "POST {url}");
    r.json().await.unwrap()
}

/// A variant of the French demo store that no demo deal uses: (product id, variant id, price).
async fn free_variant(http: &reqwest::Client, url: &str, store: &str) -> (String, String, i64) {
    let taken =
        common::get_json(http, &format!("{url}/api/v1/campaigns/double-eleven"), None).await;
    let taken: Vec<&str> = taken["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["variant_id"].as_str().unwrap())
        .collect();
    let list = common::get_json(
        http,
        &format!("{url}/api/v1/merchant/products?limit=20"),
        Some(store),
    )
    .await;
    for p in list["items"].as_array().unwrap().iter().rev() {
        let id = p["id"].as_str().unwrap();
        let detail = common::get_json(
            http,
            &format!("{url}/api/v1/merchant/products/{id}"),
            Some(store),
        )
        .await;
        let v = &detail["variants"][0];
        if !taken.contains(&v["id"].as_str().unwrap()) && v["stock"].as_i64().unwrap() > 10 {
            let price = v["price"]["amount_minor"].as_i64().unwrap();
            return (id.to_owned(), v["id"].as_str().unwrap().to_owned(), price);
        }
    }
    panic!("no free variant in the demo store");
}

/// A flash campaign that starts `lead` from now (warm-up already on), a flash deal of the
/// French store at 40% off its price in a slot from the start, its store coupon FLASH10 (10%)
/// and the marketplace's FLASH5 (€5, collect first). Returns (product id, what the deal takes
/// off a unit).
async fn flash_sale(
    http: &reqwest::Client,
    url: &str,
    op: &str,
    store: &str,
    lead: Duration,
) -> (String, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let at = |ms: i64| caravan_domain::rfc3339(ms);
    let start = now + lead.as_millis() as i64;
    let campaign = json!({"slug": "flash-friday", "time_zone": "Europe/Paris",
        "texts": {"en": {"name": "Flash Friday"}, "fr": {"name": "Vendredi flash"}},
        "enrol_from": at(now - 3_600_000), "warmup_at": at(now - 60_000),
        "starts_at": at(start), "ends_at": at(start + 86_400_000),
        "min_discount_bps": 2000, "min_units": 10});
    let c = post_json(
        http,
        &format!("{url}/api/v1/admin/campaigns"),
        op,
        campaign,
        201,
    )
    .await;
    let cid = c["id"].as_str().unwrap();
    let (product, variant, price) = free_variant(http, url, store).await;
    let deal_price = price * 6 / 10;
    let deal = json!({"campaign_id": cid, "variant_id": variant, "price_minor": deal_price,
        "cap": 20, "per_buyer": 1, "slot_from": at(start), "slot_to": at(start + 3_600_000)});
    let d = post_json(
        http,
        &format!("{url}/api/v1/merchant/deals"),
        store,
        deal,
        201,
    )
    .await;
    let decide = format!(
        "{url}/api/v1/admin/deals/{}/decision",
        d["id"].as_str().unwrap()
    );
    post_json(http, &decide, op, json!({"decision": "approve"}), 200).await;
    let coupon = |code: &str, kind: &str, value: i64, collect: bool| {
        json!({"code": code, "kind": kind, "value": value, "valid_from": at(now - 60_000),
               "valid_to": at(start + 86_400_000), "per_buyer": 1, "budget_uses": 100,
               "collect": collect, "campaign_id": cid})
    };
    let own = coupon("FLASH10", "percent", 1000, false);
    post_json(
        http,
        &format!("{url}/api/v1/merchant/coupons"),
        store,
        own,
        201,
    )
    .await;
    let platform = coupon("FLASH5", "fixed", 500, true);
    post_json(
        http,
        &format!("{url}/api/v1/admin/coupons"),
        op,
        platform,
        201,
    )
    .await;
    (product, price - deal_price)
}

/// Waits (up to `limit`) for the browser to arrive at a path starting with `prefix`.
async fn arrive_within(c: &Client, prefix: &str, limit: Duration) {
    let started = Instant::now();
    while !c.current_url().await.unwrap().path().starts_with(prefix) {
        assert!(started.elapsed() < limit, "never reached {prefix}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_festival_buyer_waits_for_the_flash_slot_and_buys_with_two_coupons() {
    let Some(dir) = browser_dir("caravan-browser-flash") else {
        return;
    };
    let (_server, url, _) = serve(&dir, &["--demo"]);
    let http = reqwest::Client::new();
    let op = token(&http, &url, "operator@demo.caravan.test").await;
    let store = token(&http, &url, "maison-lavande@demo.caravan.test").await;
    let (product, deal_off) = flash_sale(&http, &url, &op, &store, Duration::from_secs(30)).await;

    // The operator watches the live screen.
    let (_op_driver, screen) = browser("en-GB").await;
    log_in(&screen, &url, "operator@demo.caravan.test").await;

    // In the warm-up, a French buyer collects the marketplace's coupon in the wallet, puts
    // the flash deal in the cart and is shown into the waiting room: the slot has not opened.
    let (_driver, c) = browser("fr-FR").await;
    log_in(&c, &url, "camille@demo.caravan.test").await;
    c.goto(&format!("{url}/coupons")).await.unwrap();
    click(&c, "form[action='/coupons/FLASH5/collect'] button").await;
    shows(&c, "Récupéré").await;
    c.goto(&format!("{url}/p/{product}")).await.unwrap();
    click(&c, "form.addcart button").await;
    arrive(&c, "/waiting").await;
    let room = text(&c, "section.waiting-room").await;
    assert!(
        room.contains("salle d’attente") && room.contains("tirée au sort"),
        "{room}"
    );
    shot(&c, "11-waiting-room-fr").await;

    // The slot opens: the page's own refresh takes the buyer to the cart, as it was.
    arrive_within(&c, "/cart", Duration::from_secs(60)).await;
    // The operator's screen now follows the flash campaign, live.
    screen
        .goto(&format!("{url}/admin/festival/live"))
        .await
        .unwrap();
    let orders_before: i64 = text(&screen, "#live-orders").await.trim().parse().unwrap();
    assert!(text(&screen, "#live-campaign")
        .await
        .contains("Flash Friday"));
    for (name, value) in [
        ("line1", "12 rue de la Paix"),
        ("city", "Paris"),
        ("postal_code", "75002"),
        ("coupons", "FLASH10 FLASH5"),
    ] {
        type_into(&c, &format!("#checkout input[name={name}]"), value).await;
    }
    shot(&c, "12-cart-flash-fr").await;
    click(&c, "#checkout button.primary").await;
    arrive(&c, "/orders").await;
    let placed = Instant::now();

    // The operator's screen shows the order within two seconds.
    loop {
        let now: i64 = text(&screen, "#live-orders")
            .await
            .trim()
            .parse()
            .unwrap_or(0);
        if now > orders_before {
            break;
        }
        assert!(
            placed.elapsed() < Duration::from_secs(2),
            "the live screen did not show the order in 2 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    shot(&screen, "13-live-screen").await;

    // The order lists each discount with who funds it.
    click(&c, "section.order a[href^='/orders/']").await;
    arrive(&c, "/orders/").await;
    let discounts = c
        .find_all(Locator::Css("table.discounts tr.discount"))
        .await
        .unwrap();
    assert_eq!(
        discounts.len(),
        3,
        "deal price, store coupon, marketplace coupon"
    );
    let table = text(&c, "table.discounts").await;
    for wanted in [
        "Prix de l’offre du festival",
        "Coupon de la boutique",
        "Coupon de la place de marché",
        "financé par la boutique",
        "financé par la place de marché",
    ] {
        assert!(table.contains(wanted), "{wanted}: {table}");
    }
    shot(&c, "14-order-discounts-fr").await;
    // The same through the API, with the amounts: the deal's cut is the store's, and so is
    // the store coupon; the €5 is the marketplace's.
    let buyer = token(&http, &url, "camille@demo.caravan.test").await;
    let orders = common::get_json(&http, &format!("{url}/api/v1/orders"), Some(&buyer)).await;
    let steps: Vec<(String, String, i64)> = orders[0]["lines"][0]["discounts"]
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
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(
        (steps[0].0.as_str(), steps[0].1.as_str(), steps[0].2),
        ("deal", "merchant", deal_off)
    );
    assert_eq!(
        (steps[1].0.as_str(), steps[1].1.as_str()),
        ("store_coupon", "merchant")
    );
    assert_eq!(
        (steps[2].0.as_str(), steps[2].1.as_str(), steps[2].2),
        ("platform_coupon", "platform", 500)
    );
    c.close().await.unwrap();
    screen.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The bearer token of the demo store that runs `merchant_id`.
async fn store_token(http: &reqwest::Client, url: &str, merchant_id: &str) -> String {
    for key in [
        "seta-como",
        "olivar-jaen",
        "anadolu-tekstil",
        "ural-masters",
        "krakow-ceramika",
        "maison-lavande",
        "shenzhen-sound",
        "hangzhou-tea",
        "barcelona-run",
    ] {
        let t = token(http, url, &format!("{key}@demo.caravan.test")).await;
        let me = common::get_json(http, &format!("{url}/api/v1/me/merchant"), Some(&t)).await;
        if me["id"] == merchant_id {
            return t;
        }
    }
    panic!("no demo store runs {merchant_id}");
}

/// The creator's commission on `order`: its state, if it has one.
async fn commission_state(http: &reqwest::Client, url: &str, creator: &str, order: &str) -> String {
    let e = common::get_json(
        http,
        &format!("{url}/api/v1/creator/earnings"),
        Some(creator),
    )
    .await;
    e["commissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["order_id"] == order)
        .map(|c| c["state"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_french_buyer_buys_from_a_creators_post_and_the_creator_is_paid() {
    let Some(dir) = browser_dir("caravan-browser-post") else {
        return;
    };
    // No hold on commission, so it becomes available at the server's next timer tick.
    let (_server, url, _) = serve(&dir, &["--demo", "--commission-hold-days", "0"]);
    let http = reqwest::Client::new();

    // A French buyer opens Carmen's page, follows a product from her post and buys it.
    let (_driver, c) = browser("fr-FR").await;
    log_in(&c, &url, "camille@demo.caravan.test").await;
    c.goto(&format!("{url}/@carmen.cocina")).await.unwrap();
    shows(&c, "@carmen.cocina").await;
    shot(&c, "15-creator-posts-fr").await;
    click(&c, "article.post ul.tagged a").await;
    arrive(&c, "/p/").await;
    click(&c, "form.addcart button").await;
    arrive(&c, "/cart").await;
    for (name, value) in [
        ("line1", "5 rue des Carmes"),
        ("city", "Paris"),
        ("postal_code", "75005"),
    ] {
        type_into(&c, &format!("#checkout input[name={name}]"), value).await;
    }
    click(&c, "#checkout button.primary").await;
    arrive(&c, "/orders").await;
    let buyer = token(&http, &url, "camille@demo.caravan.test").await;
    let orders = common::get_json(&http, &format!("{url}/api/v1/orders"), Some(&buyer)).await;
    let order = orders[0]["id"].as_str().unwrap().to_owned();
    let merchant = orders[0]["merchant_id"].as_str().unwrap().to_owned();

    // Carmen's hub shows it pending, through her post.
    let carmen = token(&http, &url, "carmen@demo.caravan.test").await;
    assert_eq!(
        commission_state(&http, &url, &carmen, &order).await,
        "pending"
    );
    let (_hub_driver, hub) = browser("es-ES").await;
    log_in(&hub, &url, "carmen@demo.caravan.test").await;
    hub.goto(&format!("{url}/creator")).await.unwrap();
    let row = text(&hub, "tr.commission.pending").await;
    assert!(row.contains("Pendiente") && row.contains(&order), "{row}");
    let page = text(&hub, "section.earnings").await;
    assert!(
        page.contains(&order) && page.contains("publicación"),
        "{page}"
    );
    shot(&hub, "16-creator-hub-pending-es").await;

    // The store ships and delivers, the buyer confirms: the order completes, and at the next
    // timer tick the commission is available.
    let store = store_token(&http, &url, &merchant).await;
    let ship = json!({"carrier": "La Poste", "tracking_number": "LP123"});
    post_json(
        &http,
        &format!("{url}/api/v1/orders/{order}/ship"),
        &store,
        ship,
        200,
    )
    .await;
    post_json(
        &http,
        &format!("{url}/api/v1/orders/{order}/deliver"),
        &store,
        json!({}),
        200,
    )
    .await;
    post_json(
        &http,
        &format!("{url}/api/v1/orders/{order}/confirm"),
        &buyer,
        json!({}),
        200,
    )
    .await;
    let started = Instant::now();
    while commission_state(&http, &url, &carmen, &order).await != "available" {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never available"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    hub.goto(&format!("{url}/creator")).await.unwrap();
    let page = text(&hub, "section.earnings").await;
    assert!(
        page.contains("Disponible") && page.contains(&order),
        "{page}"
    );

    // Carmen is paid out from her hub.
    click(&hub, "form[action='/creator/payout'] button").await;
    arrive(&hub, "/creator").await;
    shows(&hub, "Cobrado:").await;
    shot(&hub, "17-creator-paid-es").await;
    let paid = common::get_json(
        &http,
        &format!("{url}/api/v1/creator/payouts"),
        Some(&carmen),
    )
    .await;
    assert_eq!(paid.as_array().unwrap().len(), 1, "{paid}");
    c.close().await.unwrap();
    hub.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo cause's confirmed money in `currency`, exactly, from the public meter (read after
/// its two-second cache).
async fn raised(http: &reqwest::Client, url: &str, currency: &str) -> i64 {
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let m = common::get_json(
        http,
        &format!("{url}/api/v1/causes/learn-to-swim/meter?currency=EUR"),
        None,
    )
    .await;
    m["raised_by_currency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["currency"] == currency)
        .map_or(0, |x| x["amount_minor"].as_i64().unwrap())
}

#[tokio::test]
async fn a_polish_fan_votes_cheers_and_buys_and_the_meter_counts_the_gift() {
    let Some(dir) = browser_dir("caravan-browser-site") else {
        return;
    };
    let (_server, url, _) = serve(&dir, &["--demo"]);
    let http = reqwest::Client::new();
    let (_driver, c) = browser("pl-PL").await;
    log_in(&c, &url, "jan@demo.caravan.test").await;
    c.goto(&format!("{url}/c/winter-youth-games"))
        .await
        .unwrap();
    shows(&c, "Zimowe Igrzyska Młodzieży").await;
    shot(&c, "18-campaign-site-pl").await;

    // Jan predicts Poland, then cheers for Poland.
    click(&c, ".vote-form button[value=pl]").await;
    shows(&c, "Głosy: 4").await;
    let mine = text(&c, ".poll-results li.mine").await;
    assert!(mine.contains("Polska"), "{mine}");
    let before: i64 = text(&c, "li[data-team=PL] strong.count")
        .await
        .parse()
        .unwrap();
    click(&c, "li[data-team=PL] button").await;
    arrive(&c, "/c/winter-youth-games").await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    c.refresh().await.unwrap();
    let after: i64 = text(&c, "li[data-team=PL] strong.count")
        .await
        .parse()
        .unwrap();
    assert_eq!(after, before + 1);
    shot(&c, "19-campaign-site-voted-pl").await;

    // He buys from a store that gives to the cause.
    let buyer = token(&http, &url, "jan@demo.caravan.test").await;
    click(
        &c,
        "section.block-meter + section.block-collection li.card a",
    )
    .await;
    arrive(&c, "/p/").await;
    let badge = text(&c, "p.charity-badge").await;
    assert!(badge.contains("wspiera „Naucz się pływać”"), "{badge}");
    click(&c, "form.addcart button").await;
    arrive(&c, "/cart").await;
    for (name, value) in [
        ("line1", "ul. Marszałkowska 10"),
        ("city", "Warszawa"),
        ("postal_code", "00-590"),
    ] {
        type_into(&c, &format!("#checkout input[name={name}]"), value).await;
    }
    click(&c, "#checkout button.primary").await;
    arrive(&c, "/orders").await;
    let orders = common::get_json(&http, &format!("{url}/api/v1/orders"), Some(&buyer)).await;
    let order = orders[0].clone();
    let id = order["id"].as_str().unwrap().to_owned();
    let gift = order["charity"]["amount"].clone();
    let (currency, amount) = (
        gift["currency"].as_str().unwrap().to_owned(),
        gift["amount_minor"].as_i64().unwrap(),
    );
    assert!(amount > 0, "{order}");
    assert_eq!(order["charity"]["state"], "pending");
    let raised_before = raised(&http, &url, &currency).await;

    // The store ships and delivers, Jan confirms: the gift is confirmed and the meter counts it.
    let merchant = order["merchant_id"].as_str().unwrap().to_owned();
    let store = store_token(&http, &url, &merchant).await;
    let ship = json!({"carrier": "InPost", "tracking_number": "IP123"});
    let base = format!("{url}/api/v1/orders/{id}");
    post_json(&http, &format!("{base}/ship"), &store, ship, 200).await;
    post_json(&http, &format!("{base}/deliver"), &store, json!({}), 200).await;
    post_json(&http, &format!("{base}/confirm"), &buyer, json!({}), 200).await;
    assert_eq!(raised(&http, &url, &currency).await, raised_before + amount);
    c.goto(&format!("{url}/orders/{id}")).await.unwrap();
    let line = text(&c, "p.order-charity").await;
    assert!(
        line.contains("To zamówienie przekazuje") && line.contains("potwierdzono"),
        "{line}"
    );
    c.goto(&format!("{url}/c/winter-youth-games"))
        .await
        .unwrap();
    shows(&c, "Naucz się pływać").await;
    shot(&c, "20-campaign-site-meter-pl").await;
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
