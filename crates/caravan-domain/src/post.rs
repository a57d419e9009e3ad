//! Connect's posts: what a creator publishes — text in one or more languages, tagged products,
//! their own photos — checked before anything is stored.

use crate::account::is_invisible;
use crate::code::Code;
use crate::error::DomainError;
use crate::id::{ProductId, TypedId};
use crate::locale::Locale;
use std::collections::BTreeMap;

/// Most products one post tags.
pub const MAX_PRODUCTS: usize = 12;
/// Most photos one post shows.
pub const MAX_IMAGES: usize = 6;
/// Longest text, in characters.
pub const MAX_TEXT: usize = 2_000;

fn bad(message: &str) -> DomainError {
    DomainError::new(Code::InvalidPost, message)
}

/// A post's texts by locale, trimmed: 1 to 8 supported languages, 1 to 2000 characters each, line
/// breaks allowed, no other control, bidi or invisible characters.
pub fn texts(raw: &BTreeMap<String, String>) -> Result<BTreeMap<Locale, String>, DomainError> {
    if raw.is_empty() || raw.len() > Locale::ALL.len() {
        return Err(bad("write the post in 1 to 8 languages"));
    }
    let mut out = BTreeMap::new();
    for (code, text) in raw {
        let locale = Locale::parse(code)?;
        let t = text.trim();
        let n = t.chars().count();
        let clean = !t
            .chars()
            .any(|c| (c.is_control() && c != '\n') || is_invisible(c));
        if n == 0 || n > MAX_TEXT || !clean {
            return Err(bad(
                "each text has 1 to 2000 characters, no control or invisible ones",
            ));
        }
        out.insert(locale, t.replace("\r\n", "\n"));
    }
    Ok(out)
}

/// The tagged products, in order and without repeats: 1 to 12 product ids.
pub fn products(raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for p in raw {
        let id = ProductId::parse(p.trim()).map_err(|_| bad("tag products by their prd_… id"))?;
        if !out.iter().any(|o| o == id.as_str()) {
            out.push(id.to_string());
        }
    }
    if out.is_empty() || out.len() > MAX_PRODUCTS {
        return Err(bad("tag 1 to 12 products"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_per_language_and_clean() {
        let ok = BTreeMap::from([("fr".to_owned(), "  Mon sac préféré\nà Paris ".to_owned())]);
        let t = texts(&ok).expect("ok");
        assert_eq!(t[&Locale::Fr], "Mon sac préféré\nà Paris");
        for bad in [
            BTreeMap::new(),
            BTreeMap::from([("xx".to_owned(), "hi".to_owned())]),
            BTreeMap::from([("en".to_owned(), "   ".to_owned())]),
            BTreeMap::from([("en".to_owned(), "a\u{202e}b".to_owned())]),
            BTreeMap::from([("en".to_owned(), "x".repeat(2001))]),
        ] {
            assert!(texts(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn products_are_ids_without_repeats() {
        let id = ProductId::generate().to_string();
        assert_eq!(products(&[id.clone(), id.clone()]).expect("ok"), [id]);
        assert!(products(&[]).is_err());
        assert!(products(&["shoes".to_owned()]).is_err());
        let many: Vec<String> = (0..13).map(|_| ProductId::generate().to_string()).collect();
        assert!(products(&many).is_err());
    }
}
