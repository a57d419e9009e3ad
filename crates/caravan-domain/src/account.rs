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

/// Trims a human-facing name and checks its length (1..=`max` characters, no control characters).
pub fn clean_name(s: &str, max: usize, code: Code, what: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let n = t.chars().count();
    if n == 0 || n > max || t.chars().any(char::is_control) {
        return Err(DomainError::new(
            code,
            format!("{what} must have 1 to {max} characters and no control characters"),
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
