//! Cursor pagination: opaque cursors over `(sort key, id)` and a capped page size.

use crate::Code;
use crate::MarketError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 24;
/// Largest page size.
pub const MAX_LIMIT: i64 = 100;

/// A page of items and the cursor of the next page, if there is one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Checks a requested page size (1..=100, default 24).
pub fn limit(requested: Option<i64>) -> Result<i64, MarketError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(MarketError::new(
            Code::InvalidPageSize,
            format!("limit must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Encodes a position.
pub fn encode(key: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{key}:{id}"))
}

/// Decodes a cursor made by [`encode`]; anything else is `invalid_cursor`.
pub fn decode(cursor: Option<&str>) -> Result<Option<(i64, String)>, MarketError> {
    let Some(c) = cursor else { return Ok(None) };
    let bad = || {
        MarketError::new(
            Code::InvalidCursor,
            "the cursor is not one this API gave out",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let s = String::from_utf8(bytes).map_err(|_| bad())?;
    let (k, id) = s.split_once(':').ok_or_else(bad)?;
    let key = k.parse().map_err(|_| bad())?;
    if id.is_empty() || id.len() > 64 {
        return Err(bad());
    }
    Ok(Some((key, id.to_owned())))
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
pub fn paginate<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> (i64, String),
    view: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        rows.last().map(|r| {
            let (k, id) = key(r);
            encode(k, &id)
        })
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = encode(-5, "prd_abc");
        assert_eq!(
            decode(Some(&c)).expect("ok"),
            Some((-5, "prd_abc".to_owned()))
        );
        assert!(decode(Some("!!")).is_err());
        assert!(decode(Some(&URL_SAFE_NO_PAD.encode("x:y"))).is_err());
        assert_eq!(decode(None).expect("ok"), None);
    }

    #[test]
    fn page_size_is_capped() {
        assert_eq!(limit(None).expect("ok"), DEFAULT_LIMIT);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(101)).is_err());
        assert_eq!(limit(Some(100)).expect("ok"), 100);
    }
}
