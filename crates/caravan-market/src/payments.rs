//! The payment-provider interface and the built-in sandbox provider, plus webhook signatures.
//!
//! Sandbox payment methods: `pm_sandbox_success` (authorized and captured at once),
//! `pm_sandbox_delayed` (authorized; confirmed later by a `payment.captured` webhook) and
//! `pm_sandbox_decline` (declined). Webhooks carry `Caravan-Signature: t=<unix seconds>,v1=<hex>`,
//! an HMAC-SHA256 over `"{t}.{raw body}"` with the shared secret, valid for five minutes.

use caravan_domain::Money;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// A provider call in flight.
pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an authorization came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    /// Authorized and captured: the money is ours to hold.
    Captured(String),
    /// Authorized; capture will be confirmed by a webhook.
    Pending(String),
    /// Declined by the issuer.
    Declined,
}

/// A payment provider: authorizes buyers' payments, refunds them, pays merchants out.
pub trait PaymentProvider: Send + Sync {
    /// The provider's name, stored with each payment.
    fn name(&self) -> &'static str;
    /// Authorizes (and, where it can, captures) `amount` with a payment method token.
    fn authorize<'a>(&'a self, method: &'a str, amount: Money)
        -> ProviderFuture<'a, Authorization>;
    /// Returns `amount` of a captured payment to the buyer; the provider's refund reference.
    fn refund<'a>(&'a self, payment_ref: &'a str, amount: Money) -> ProviderFuture<'a, String>;
    /// Cancels an authorization that was never captured (nothing is taken from the buyer).
    fn void<'a>(&'a self, payment_ref: &'a str) -> ProviderFuture<'a, ()>;
    /// Pays `amount` out to a merchant; the provider's transfer reference.
    fn payout<'a>(&'a self, merchant_id: &'a str, amount: Money) -> ProviderFuture<'a, String>;
    /// The webhook signing secret.
    fn webhook_secret(&self) -> &str;
}

/// The built-in sandbox: deterministic answers by payment-method token, no network. Like a real
/// provider's dashboard, it keeps a record of each authorization and of what was given back (the
/// newest [`Sandbox::KEPT`]), so tests and the demo can check that no money was kept for an
/// order that does not exist.
pub struct Sandbox {
    secret: String,
    records: Mutex<Records>,
}

/// One authorization as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxHold {
    /// The provider reference.
    pub reference: String,
    /// Authorized amount, minor units.
    pub amount_minor: i64,
    /// Captured at once (`pm_sandbox_success`), or only authorized (`pm_sandbox_delayed`).
    pub captured: bool,
    /// Refunded so far, minor units.
    pub refunded_minor: i64,
    /// The authorization was voided (nothing taken).
    pub voided: bool,
}

#[derive(Default)]
struct Records {
    holds: HashMap<String, SandboxHold>,
    order: VecDeque<String>,
}

impl Sandbox {
    /// How many authorizations the sandbox remembers (the oldest are forgotten first).
    pub const KEPT: usize = 100_000;

    /// A sandbox signing webhooks with `secret`.
    pub fn new(secret: String) -> Self {
        Self {
            secret,
            records: Mutex::new(Records::default()),
        }
    }

    /// Every authorization remembered, with what was given back.
    pub fn holds(&self) -> Vec<SandboxHold> {
        match self.records.lock() {
            Ok(r) => r
                .order
                .iter()
                .filter_map(|k| r.holds.get(k).cloned())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn remember(&self, hold: SandboxHold) {
        if let Ok(mut r) = self.records.lock() {
            if r.order.len() >= Self::KEPT {
                if let Some(old) = r.order.pop_front() {
                    r.holds.remove(&old);
                }
            }
            r.order.push_back(hold.reference.clone());
            r.holds.insert(hold.reference.clone(), hold);
        }
    }

    fn change(&self, reference: &str, f: impl FnOnce(&mut SandboxHold)) {
        if let Ok(mut r) = self.records.lock() {
            if let Some(h) = r.holds.get_mut(reference) {
                f(h);
            }
        }
    }
}

fn reference(prefix: &str) -> String {
    // Time-ordered like ids, so the unique index on provider references grows at its end.
    format!("{prefix}_{}", caravan_domain::id::time_ordered_hex())
}

/// A fresh random webhook secret (used when none is configured: webhooks then cannot be signed
/// by anyone else, which disables them).
pub fn random_secret() -> String {
    reference("whsec")
}

/// The payment methods the sandbox knows.
pub const SANDBOX_METHODS: [&str; 3] = [
    "pm_sandbox_success",
    "pm_sandbox_delayed",
    "pm_sandbox_decline",
];

impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn authorize<'a>(
        &'a self,
        method: &'a str,
        amount: Money,
    ) -> ProviderFuture<'a, Authorization> {
        Box::pin(async move {
            let captured = match method {
                "pm_sandbox_success" => true,
                "pm_sandbox_delayed" => false,
                _ => return Authorization::Declined,
            };
            let r = reference("sbx_ch");
            self.remember(SandboxHold {
                reference: r.clone(),
                amount_minor: amount.minor(),
                captured,
                refunded_minor: 0,
                voided: false,
            });
            if captured {
                Authorization::Captured(r)
            } else {
                Authorization::Pending(r)
            }
        })
    }

    fn refund<'a>(&'a self, payment_ref: &'a str, amount: Money) -> ProviderFuture<'a, String> {
        Box::pin(async move {
            self.change(payment_ref, |h| h.refunded_minor += amount.minor());
            reference("sbx_re")
        })
    }

    fn void<'a>(&'a self, payment_ref: &'a str) -> ProviderFuture<'a, ()> {
        Box::pin(async move { self.change(payment_ref, |h| h.voided = true) })
    }

    fn payout<'a>(&'a self, _merchant_id: &'a str, _amount: Money) -> ProviderFuture<'a, String> {
        Box::pin(async move { reference("sbx_tr") })
    }

    fn webhook_secret(&self) -> &str {
        &self.secret
    }
}

/// A provider event, as posted to the webhook endpoint.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct WebhookEvent {
    /// Unique event id (repeats are acknowledged and ignored).
    pub id: String,
    /// `payment.captured` or `payment.failed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The provider's payment reference.
    pub payment_ref: String,
}

/// Why a webhook was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// Missing or malformed header.
    Malformed,
    /// Older or newer than five minutes.
    Expired,
    /// The HMAC does not match.
    Mismatch,
}

/// Webhook timestamps may differ from our clock by this much.
pub const WEBHOOK_TOLERANCE_S: i64 = 300;

/// The `Caravan-Signature` header value for `body` at `t` (unix seconds).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body)))
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length; the error arm cannot happen.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Vec::new();
    };
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    m.finalize().into_bytes().to_vec()
}

/// Checks a `Caravan-Signature` header against `body` at `now_s` (unix seconds).
pub fn verify(secret: &str, header: &str, body: &[u8], now_s: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() || secret.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_s - t).abs() > WEBHOOK_TOLERANCE_S {
        return Err(SignatureError::Expired);
    }
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Err(SignatureError::Mismatch);
    };
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    // Constant-time comparison against each offered signature.
    if sigs.iter().any(|s| m.clone().verify_slice(s).is_ok()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_expire() {
        let body = br#"{"id":"evt_1","type":"payment.captured","payment_ref":"x"}"#;
        let h = sign("s3cret", 1_000, body);
        assert_eq!(verify("s3cret", &h, body, 1_100), Ok(()));
        assert_eq!(
            verify("s3cret", &h, body, 1_301),
            Err(SignatureError::Expired)
        );
        assert_eq!(
            verify("other", &h, body, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &h, b"{}", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", "garbage", body, 1_000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(verify("", &h, body, 1_000), Err(SignatureError::Malformed));
    }
}
