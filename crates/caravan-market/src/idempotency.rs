//! Idempotency keys of money-moving requests (checkout, refunds, payouts): the key parsed once at
//! the edge, a claim on it for the length of the request, and the stored answer replayed for a
//! repeat. Same key and body: the first answer again; same key, other body: 422; same key still
//! running on this node: 409.

use crate::{Code, Market, MarketError};
use caravan_store::idempotency::{NewAnswer, StoredAnswer};

/// A checked `Idempotency-Key`: 1 to 255 visible ASCII characters. Forms carry it as a field,
/// checked as it is deserialized.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct IdempotencyKey(String);

impl TryFrom<String> for IdempotencyKey {
    type Error = MarketError;

    fn try_from(raw: String) -> Result<Self, MarketError> {
        Self::parse(Some(&raw))
    }
}

impl IdempotencyKey {
    /// Longest key accepted.
    pub const MAX_LEN: usize = 255;

    /// Parses the header's value; a missing key is `idempotency_key_required`, a bad one
    /// `invalid_idempotency_key`.
    pub fn parse(raw: Option<&str>) -> Result<Self, MarketError> {
        let raw = raw.ok_or_else(|| {
            MarketError::new(
                Code::IdempotencyKeyRequired,
                "send an Idempotency-Key header",
            )
        })?;
        let visible = raw.bytes().all(|b| b.is_ascii_graphic());
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !visible {
            return Err(MarketError::new(
                Code::InvalidIdempotencyKey,
                "an Idempotency-Key has 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An answer that may be replayed for the same idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayable {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

impl Replayable {
    fn stored(s: StoredAnswer) -> Self {
        Self {
            status: u16::try_from(s.status).unwrap_or(200),
            body: s.response,
        }
    }
}

/// What a claim on `(scope, key)` found.
pub(crate) enum Claim<'a> {
    /// Nobody used the key: go ahead while holding the guard.
    Fresh(Guard<'a>),
    /// The key answered this very request before: answer the same.
    Replay(Replayable),
}

/// Holds `(scope, key)` as running on this node until dropped, however the request ends.
pub(crate) struct Guard<'a> {
    market: &'a Market,
    key: (String, String),
}

impl Guard<'_> {
    /// The answer to store, with the request's effects, under this key.
    pub(crate) fn answer(&self, request_hash: &str, status: u16, body: &str) -> NewAnswer {
        NewAnswer {
            scope: self.key.0.clone(),
            key: self.key.1.clone(),
            request_hash: request_hash.to_owned(),
            status: i64::from(status),
            response: body.to_owned(),
        }
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.market.inner.in_flight.lock() {
            set.remove(&self.key);
        }
    }
}

impl Market {
    /// Claims `key` of `scope` for this request: fresh, or the stored answer for the same body;
    /// `idempotency_key_reused` for another body, `idempotency_key_in_use` while it runs.
    pub(crate) async fn claim(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        request_hash: &str,
    ) -> Result<Claim<'_>, MarketError> {
        if let Some(replay) = self.stored_answer(scope, key, request_hash).await? {
            return Ok(Claim::Replay(replay));
        }
        Ok(Claim::Fresh(self.hold(scope, key)?))
    }

    /// The stored answer for `(scope, key)` if there is one (`idempotency_key_reused` when it was
    /// given for another request body).
    pub(crate) async fn stored_answer(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        request_hash: &str,
    ) -> Result<Option<Replayable>, MarketError> {
        match self.store.idempotency_record(scope, key.as_str()).await? {
            Some(s) if s.request_hash == request_hash => Ok(Some(Replayable::stored(s))),
            Some(_) => Err(key_reused()),
            None => Ok(None),
        }
    }

    /// Marks `(scope, key)` as running on this node until the guard drops, without reading
    /// the store; a concurrent repeat is `idempotency_key_in_use`.
    pub(crate) fn hold(&self, scope: &str, key: &IdempotencyKey) -> Result<Guard<'_>, MarketError> {
        let k = (scope.to_owned(), key.as_str().to_owned());
        let fresh = self
            .inner
            .in_flight
            .lock()
            .map(|mut s| s.insert(k.clone()))
            .unwrap_or(false);
        if !fresh {
            return Err(key_in_use());
        }
        Ok(Guard {
            market: self,
            key: k,
        })
    }
}

/// The key was stored for another request body.
pub(crate) fn key_reused() -> MarketError {
    MarketError::new(
        Code::IdempotencyKeyReused,
        "this Idempotency-Key was used with another request",
    )
}

/// The key's first request is still running.
pub(crate) fn key_in_use() -> MarketError {
    MarketError::new(
        Code::IdempotencyKeyInUse,
        "a request with this Idempotency-Key is still running",
    )
}

#[cfg(test)]
mod tests {
    use super::IdempotencyKey;

    #[test]
    fn keys_are_checked_once_at_the_edge() {
        assert_eq!(
            IdempotencyKey::parse(None).unwrap_err().code,
            "idempotency_key_required"
        );
        for bad in ["", "has space", "tab\t", "é", &"k".repeat(256)] {
            assert_eq!(
                IdempotencyKey::parse(Some(bad)).unwrap_err().code,
                "invalid_idempotency_key",
                "{bad:?}"
            );
        }
        let ok = IdempotencyKey::parse(Some(&"k".repeat(255))).map(|k| k.as_str().len());
        assert_eq!(ok.ok(), Some(255));
    }
}
