//! The `caravan` binary as a user runs it: configuration layers, loud failures on bad databases,
//! operator creation, migrations on both engines, and `serve --demo` answering over HTTP.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail loudly on the first broken expectation"
)]

mod common;

use common::{caravan, get_json, serve};
use std::process::{Command, Output};

fn run(c: &mut Command) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = c.output().expect("run caravan");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn temp() -> std::path::PathBuf {
    caravan_store::testing::temp_dir()
}

#[test]
fn bad_database_urls_fail_loudly_and_create_nothing() {
    let dir = temp();
    let (ok, _, err) =
        run(caravan(&dir).args(["migrate", "--database-url", "mysql://root@localhost/x"]));
    assert!(!ok);
    assert!(err.contains("unsupported database URL"), "{err}");

    let (ok, _, err) = run(caravan(&dir).args([
        "migrate",
        "--database-url",
        "sqlite://no/such/dir/caravan.db",
    ]));
    assert!(!ok);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!dir.join("no").exists(), "no directory was made");

    let (ok, _, err) = run(caravan(&dir).args([
        "serve",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/nothing",
    ]));
    assert!(
        !ok,
        "an unreachable server is an error, not an empty database elsewhere"
    );
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(!dir.join("data").exists(), "no fallback SQLite file");
}

#[test]
fn configuration_layers_file_then_env_then_flags() {
    let dir = temp();
    std::fs::write(
        dir.join("caravan.toml"),
        "bind = \"0.0.0.0:9000\"\ndata_dir = \"/srv/caravan\"\ndatabase_url = \"postgres://shop:s3cret@db/shop\"\n",
    )
    .unwrap();
    let (ok, out, err) = run(caravan(&dir).args(["--config", "caravan.toml", "config"]));
    assert!(ok, "{err}");
    assert!(
        out.contains("bind = \"0.0.0.0:9000\"  # from config file"),
        "{out}"
    );
    assert!(out.contains("postgres://shop:***@db/shop"), "{out}");
    assert!(!out.contains("s3cret"), "secrets are redacted");

    let (_, out, _) = run(caravan(&dir)
        .args(["--config", "caravan.toml", "config"])
        .env("CARAVAN_BIND", "127.0.0.1:7000"));
    assert!(
        out.contains("bind = \"127.0.0.1:7000\"  # from flag or environment"),
        "{out}"
    );
    let (_, out, _) = run(caravan(&dir)
        .args([
            "--config",
            "caravan.toml",
            "config",
            "--bind",
            "127.0.0.1:6000",
        ])
        .env("CARAVAN_BIND", "127.0.0.1:7000"));
    assert!(out.contains("bind = \"127.0.0.1:6000\""), "{out}");
    assert!(
        out.contains("data_dir = \"/srv/caravan\"  # from config file"),
        "{out}"
    );

    let (_, out, _) = run(caravan(&dir).arg("config"));
    assert!(
        out.contains("bind = \"127.0.0.1:8080\"  # from default"),
        "{out}"
    );
    assert!(out.contains("sqlite://./data/caravan.db"), "{out}");

    let (ok, _, err) = run(caravan(&dir).args(["--config", "missing.toml", "config"]));
    assert!(!ok && err.contains("missing.toml"), "{err}");
    std::fs::write(dir.join("bad.toml"), "colour = \"blue\"\n").unwrap();
    let (ok, _, err) = run(caravan(&dir).args(["--config", "bad.toml", "config"]));
    assert!(!ok && err.contains("bad.toml"), "{err}");
}

#[test]
fn admin_create_needs_a_password_and_makes_an_operator() {
    let dir = temp();
    let (ok, _, err) = run(caravan(&dir).args(["admin", "create", "--email", "root@example.com"]));
    assert!(!ok, "there is never a default password");
    assert!(err.contains("CARAVAN_ADMIN_PASSWORD"), "{err}");

    let create = || {
        run(caravan(&dir)
            .args(["admin", "create", "--email", "root@example.com"])
            .env("CARAVAN_ADMIN_PASSWORD", "a long operator pass"))
    };
    let (ok, out, err) = create();
    assert!(ok, "{err}");
    assert!(out.contains("operator root@example.com created"), "{out}");
    let (ok, _, err) = create();
    assert!(!ok && err.contains("email_taken"), "{err}");
    let (ok, _, err) = run(caravan(&dir)
        .args(["admin", "create", "--email", "x@example.com"])
        .env("CARAVAN_ADMIN_PASSWORD", "short"));
    assert!(!ok && err.contains("weak_password"), "{err}");
}

#[tokio::test]
async fn migrate_runs_on_postgres_when_configured() {
    let Some(db) = caravan_store::testing::TestDb::postgres()
        .await
        .expect("CARAVAN_TEST_POSTGRES is set but unusable")
    else {
        eprintln!(
            "SKIPPED migrate_runs_on_postgres_when_configured: CARAVAN_TEST_POSTGRES is not set"
        );
        return;
    };
    let dir = temp();
    let (ok, out, err) = run(caravan(&dir).args(["migrate", "--database-url", &db.url]));
    assert!(ok, "{err}");
    assert!(out.contains("migrations applied"), "{out}");
    let (ok, _, err) = run(caravan(&dir).args(["demo", "--database-url", &db.url]));
    assert!(ok, "{err}");
    assert!(
        db.store.is_empty().await.map(|e| !e).unwrap(),
        "the demo landed in PostgreSQL"
    );
    db.cleanup().await;
}

#[tokio::test]
async fn serve_demo_seeds_once_and_answers() {
    let dir = temp();
    let (server, url, printed) = serve(&dir, &["--demo"]);
    assert!(printed.contains("demo marketplace seeded"), "{printed}");
    assert!(printed.contains("password for all"), "{printed}");
    for country in ["CN", "IT", "ES", "TR", "RU", "PL", "FR"] {
        assert!(
            printed.contains(&format!("merchant  {country}")),
            "a merchant from {country}: {printed}"
        );
    }
    for country in ["RU", "FR", "ES", "PL"] {
        assert!(
            printed.contains(&format!("buyer     {country}")),
            "a buyer in {country}: {printed}"
        );
    }

    let client = reqwest::Client::new();
    let mut count = 0;
    let mut categories = std::collections::HashSet::new();
    let mut cursor = String::new();
    loop {
        let page = get_json(
            &client,
            &format!("{url}/api/v1/products?limit=100{cursor}"),
            None,
        )
        .await;
        for p in page["items"].as_array().unwrap() {
            count += 1;
            categories.insert(p["category_id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert!(count >= 300, "{count} published products");
    assert!(
        categories.len() >= 12,
        "{} categories with products",
        categories.len()
    );
    let ru = get_json(&client, &format!("{url}/api/v1/categories?locale=ru"), None).await;
    assert!(ru.as_array().unwrap().iter().any(|c| c["name"] == "Мода"));
    // The search index is built in the background from the database.
    let started = std::time::Instant::now();
    loop {
        let found = get_json(
            &client,
            &format!("{url}/api/v1/search?q=%D0%BA%D1%80%D1%83%D0%B6%D0%BA%D0%B8&locale=ru"),
            None,
        )
        .await;
        if found["total"].as_u64().unwrap_or(0) > 0 {
            assert_eq!(found["items"][0]["locale"], "ru", "{found}");
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "search never found кружки (mugs): {found}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    drop(server);

    // With the server gone, the index can be rebuilt by hand.
    let (ok, out, err) = run(caravan(&dir).args(["reindex"]));
    assert!(ok, "{err}");
    assert!(out.contains("search index rebuilt: "), "{out}");
    let n: u64 = out["search index rebuilt: ".len()..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(n >= 300, "{out}");

    // A second --demo never touches a database that holds data.
    let (_server, _, printed) = serve(&dir, &["--demo"]);
    assert!(printed.contains("already holds data"), "{printed}");
}
