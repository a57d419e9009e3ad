//! Running the `caravan` binary from tests: a command with a clean environment, and a server on
//! port 0 that is killed (SIGKILL) when dropped.

#![allow(dead_code, reason = "each test binary uses part of it")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// `caravan` in `dir`, with no inherited `CARAVAN_*` variables.
pub fn caravan(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caravan"));
    c.current_dir(dir).stdin(Stdio::null());
    for (k, _) in std::env::vars() {
        if k.starts_with("CARAVAN_") {
            c.env_remove(k);
        }
    }
    c
}

/// A running server; dropping it kills it with SIGKILL.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `caravan serve` on port 0; returns the server, its base URL and what it printed.
pub fn serve(dir: &Path, args: &[&str]) -> (Server, String, String) {
    let mut child = caravan(dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut printed = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.strip_prefix("Caravan is serving on ") {
            let url = rest
                .split_whitespace()
                .next()
                .expect("url")
                .trim_end_matches('/')
                .to_owned();
            return (server, url, printed);
        }
    }
    panic!("the server stopped before serving: {printed}");
}

/// GET `url` (with a bearer token when given) and parse the JSON answer.
pub async fn get_json(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> serde_json::Value {
    let mut req = client.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON")
}
