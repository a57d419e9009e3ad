//! ISO 3166-1 countries.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 3166-1 country, written as its alpha-2 code (`FR`, `CN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country(isocountry::CountryCode);

impl Country {
    /// Parses an upper-case ISO 3166-1 alpha-2 code.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let bad = || {
            DomainError::new(
                Code::InvalidCountry,
                format!("{code:?} is not an ISO 3166-1 alpha-2 country code"),
            )
        };
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad());
        }
        isocountry::CountryCode::for_alpha2(code)
            .map(Self)
            .map_err(|_| bad())
    }

    /// The alpha-2 code.
    pub fn code(self) -> &'static str {
        self.0.alpha2()
    }

    /// Every country, by alpha-2 code.
    pub fn all() -> impl Iterator<Item = Country> {
        isocountry::CountryCode::iter_alpha2().map(|c| Country(*c))
    }

    /// The English short name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Country::parse(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_codes() {
        for code in ["CN", "IT", "ES", "TR", "RU", "PL", "FR", "GB", "US"] {
            assert_eq!(Country::parse(code).expect(code).code(), code);
        }
        assert_eq!(Country::parse("FR").expect("FR").name(), "France");
    }

    #[test]
    fn rejects_unknown_and_malformed_codes() {
        for code in ["XX", "fr", "FRA", "", "F"] {
            assert_eq!(
                Country::parse(code).expect_err(code).code,
                "invalid_country"
            );
        }
    }
}
