//! Accounts: roles, e-mail addresses, passwords and display names.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};

/// What a user may do. A user holds one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Buys; every account starts as a buyer.
    Buyer,
    /// Owns an approved store.
    Merchant,
    /// Publishes shoppable content (Connect).
    Creator,
    /// Runs the marketplace.
    Operator,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Merchant => "merchant",
            Role::Creator => "creator",
            Role::Operator => "operator",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "buyer" => Ok(Role::Buyer),
            "merchant" => Ok(Role::Merchant),
            "creator" => Ok(Role::Creator),
            "operator" => Ok(Role::Operator),
            _ => Err(DomainError::new(
                Code::InvalidRole,
                format!("unknown role {s:?}"),
            )),
        }
    }
}

/// A syntactically plausible e-mail address, stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Trims, lower-cases and checks the shape `local@domain.tld` (≤ 254 characters).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_lowercase();
        let bad = || DomainError::new(Code::InvalidEmail, "not a valid e-mail address");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(bad());
        }
        if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 10 to 128 characters. (Never stored; only its argon2id hash is.)
pub fn check_new_password(password: &str) -> Result<(), DomainError> {
    let n = password.chars().count();
    if !(10..=128).contains(&n) {
        return Err(DomainError::new(
            Code::WeakPassword,
            "a password has 10 to 128 characters",
        ));
    }
    Ok(())
}

/// Characters that change how the text around them is shown without being seen themselves:
/// bidirectional controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), zero-width
/// characters (U+200B–U+200D, U+2060–U+2064) and the byte-order mark (U+FEFF). In a name shown
/// to others they let one party pass for another (`"Official\u{202e}erotS"` renders as
/// "OfficialStore"), so names, titles and addresses refuse them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Trims a human-facing name and checks its length (1..=`max` characters, no control, bidi or
/// invisible characters: [`is_invisible`]).
pub fn clean_name(s: &str, max: usize, code: Code, what: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let n = t.chars().count();
    if n == 0 || n > max || t.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(DomainError::new(
            code,
            format!(
                "{what} must have 1 to {max} characters and no control, bidi or invisible characters"
            ),
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.COM ").expect("ok").as_str(),
            "ana@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.com",
            "a@b",
            "a b@c.com",
            "a@@b.com",
            "a@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_length_range() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough pw").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn names_refuse_characters_that_spoof_others() {
        let code = Code::InvalidDisplayName;
        for bad in [
            "Official\u{202e}erotS",
            "Off\u{200b}icial",
            "\u{feff}Shop",
            "Shop\u{2066}x\u{2069}",
            "a\u{200f}b",
            "tab\there",
        ] {
            let err = clean_name(bad, 80, code, "a name").expect_err(bad);
            assert_eq!(err.code, "invalid_display_name", "{bad:?}");
        }
        for good in ["Anna Iwanowa", "Анна", "李娜", "Ayşe Yılmaz", "Zoë 🙂"] {
            assert_eq!(clean_name(good, 80, code, "a name").expect(good), good);
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Buyer, Role::Merchant, Role::Creator, Role::Operator] {
            assert_eq!(Role::parse(r.as_str()).expect("round trip"), r);
        }
        assert_eq!(
            Role::parse("root").expect_err("unknown").code,
            "invalid_role"
        );
    }
}
