//! Connect's creators: the handle a creator is found by (`/@handle`) and the codes of their
//! tracking links.

use crate::code::Code;
use crate::error::DomainError;

/// A creator's public handle: 3 to 30 of `a-z`, `0-9`, `_` and `.`, starting with a letter,
/// stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    /// Parses a handle typed with or without its `@`.
    pub fn parse(s: &str) -> Result<Handle, DomainError> {
        let h = s.trim().trim_start_matches('@').to_ascii_lowercase();
        let n = h.chars().count();
        let ok = (3..=30).contains(&n)
            && h.starts_with(|c: char| c.is_ascii_lowercase())
            && h.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            && !h.ends_with('.')
            && !h.contains("..");
        if ok {
            Ok(Handle(h))
        } else {
            Err(DomainError::new(
                Code::InvalidHandle,
                "a handle has 3 to 30 letters a-z, digits, _ or ., and starts with a letter",
            ))
        }
    }

    /// The handle, without `@`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters of link codes: no 0/O or 1/l/I to misread.
const CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Length of a generated link code.
pub const LINK_CODE_LEN: usize = 8;

/// A fresh random link code.
pub fn new_link_code() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..LINK_CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Whether `s` can be a link code (checked before any lookup).
pub fn is_link_code(s: &str) -> bool {
    s.len() == LINK_CODE_LEN && s.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_checked_and_lower_cased() {
        assert_eq!(
            Handle::parse("@Marie.Paris").expect("ok").as_str(),
            "marie.paris"
        );
        assert_eq!(Handle::parse("olga_2").expect("ok").as_str(), "olga_2");
        for bad in [
            "",
            "ab",
            "2fast",
            "a b",
            "ана",
            "x..y",
            "end.",
            &"a".repeat(31),
        ] {
            assert!(Handle::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn link_codes_are_recognised() {
        let c = new_link_code();
        assert!(is_link_code(&c), "{c}");
        assert!(!is_link_code("short"));
        assert!(!is_link_code("ABCDEFGH"));
        assert!(!is_link_code("0o1lI234"));
    }
}
