//! Catalogue values: product text, SKU codes, HS codes, prices, stock, attributes.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest product title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest product description, in characters.
pub const MAX_DESCRIPTION: usize = 20_000;
/// Most images per product.
pub const MAX_IMAGES: usize = 20;
/// Most variants per product.
pub const MAX_VARIANTS: usize = 100;
/// Largest stock of one variant.
pub const MAX_STOCK: i64 = 1_000_000_000;
/// Largest price, in minor units.
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000_000;

/// Whether buyers can see a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    /// Only the merchant sees it.
    Draft,
    /// Listed publicly (when the merchant is approved).
    Published,
}

impl ProductStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Published => "published",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "draft" => Ok(ProductStatus::Draft),
            "published" => Ok(ProductStatus::Published),
            _ => Err(DomainError::new(
                Code::InvalidStatus,
                format!("unknown status {s:?}"),
            )),
        }
    }
}

fn text(
    s: &str,
    max: usize,
    code: Code,
    what: &str,
    allow_newlines: bool,
) -> Result<String, DomainError> {
    let t = s.trim();
    let n = t.chars().count();
    let newline = |c: char| allow_newlines && (c == '\n' || c == '\t' || c == '\r');
    let bad_char = t
        .chars()
        .any(|c| (c.is_control() && !newline(c)) || crate::account::is_invisible(c));
    if n == 0 || n > max || bad_char {
        return Err(DomainError::new(
            code,
            format!(
                "{what} must have 1 to {max} characters and no control, bidi or invisible characters"
            ),
        ));
    }
    Ok(t.to_owned())
}

/// A product title: 1..=200 characters.
pub fn title(s: &str) -> Result<String, DomainError> {
    text(s, MAX_TITLE, Code::InvalidTitle, "a title", false)
}

/// A product description: up to 20,000 characters, newlines allowed.
pub fn description(s: &str) -> Result<String, DomainError> {
    if s.trim().is_empty() {
        return Ok(String::new());
    }
    text(
        s,
        MAX_DESCRIPTION,
        Code::InvalidDescription,
        "a description",
        true,
    )
}

/// A SKU code: 1..=64 of `A-Z a-z 0-9 . _ -`, unique per merchant.
pub fn sku_code(s: &str) -> Result<String, DomainError> {
    let ok = (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(DomainError::new(
            Code::InvalidSku,
            "a SKU code has 1 to 64 letters, digits, dots, dashes or underscores",
        ))
    }
}

/// A Harmonized System code: 6, 8 or 10 digits (dots and spaces are removed).
pub fn hs_code(s: &str) -> Result<String, DomainError> {
    let digits: String = s.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    if matches!(digits.len(), 6 | 8 | 10) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(DomainError::new(
            Code::InvalidHsCode,
            "an HS code has 6, 8 or 10 digits",
        ))
    }
}

/// A price in minor units: positive and at most 10^12.
pub fn price(minor: i64) -> Result<i64, DomainError> {
    if minor > 0 && minor <= MAX_PRICE_MINOR {
        Ok(minor)
    } else {
        Err(DomainError::new(
            Code::InvalidPrice,
            "a price must be positive",
        ))
    }
}

/// A stock level: 0..=10^9.
pub fn stock(n: i64) -> Result<i64, DomainError> {
    if (0..=MAX_STOCK).contains(&n) {
        Ok(n)
    } else {
        Err(DomainError::new(
            Code::InvalidStock,
            "stock must be between 0 and 1,000,000,000",
        ))
    }
}

/// A shipping weight in grams: 1..=1,000,000.
pub fn weight_grams(g: i64) -> Result<i64, DomainError> {
    if (1..=1_000_000).contains(&g) {
        Ok(g)
    } else {
        Err(DomainError::new(
            Code::InvalidWeight,
            "weight must be 1 g to 1,000 kg",
        ))
    }
}

/// Attributes or variant options: up to 30 pairs, keys 1..=40 and values 1..=200 characters.
pub fn attributes(map: &BTreeMap<String, String>) -> Result<(), DomainError> {
    let ok = map.len() <= 30
        && map.iter().all(|(k, v)| {
            let (kn, vn) = (k.trim().chars().count(), v.trim().chars().count());
            (1..=40).contains(&kn)
                && (1..=200).contains(&vn)
                && !k.chars().chain(v.chars()).any(char::is_control)
        });
    if ok {
        Ok(())
    } else {
        Err(DomainError::new(
            Code::InvalidAttributes,
            "up to 30 attributes, names of 1 to 40 and values of 1 to 200 characters",
        ))
    }
}

/// Image URLs: up to 20, each an `http(s)://` URL of at most 2,048 characters.
pub fn images(urls: &[String]) -> Result<(), DomainError> {
    let ok = urls.len() <= MAX_IMAGES
        && urls.iter().all(|u| {
            u.len() <= 2048
                && (u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/'))
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        });
    if ok {
        Ok(())
    } else {
        Err(DomainError::new(
            Code::InvalidImages,
            "up to 20 image URLs (http, https or a site path), 2,048 characters each",
        ))
    }
}

/// A URL-safe slug: 1..=60 of `a-z 0-9 -`.
pub fn slug(s: &str) -> Result<String, DomainError> {
    let ok = (1..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(DomainError::new(
            Code::InvalidSlug,
            "a slug has 1 to 60 of a-z, 0-9 and -",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_have_bounds() {
        assert_eq!(title("  Silk scarf ").expect("ok"), "Silk scarf");
        assert!(title("").is_err());
        assert!(title(&"a".repeat(201)).is_err());
        assert!(title(&"я".repeat(200)).is_ok());
        assert!(title("bad\u{0}").is_err());
    }

    #[test]
    fn skus_hs_codes_prices_and_stock() {
        assert!(sku_code("SCARF-RED_L.1").is_ok());
        assert!(sku_code("bad sku").is_err());
        assert!(sku_code("").is_err());
        assert_eq!(hs_code("6214.10").expect("ok"), "621410");
        assert!(hs_code("12345").is_err());
        assert!(price(0).is_err());
        assert!(price(-1).is_err());
        assert!(price(1).is_ok());
        assert!(stock(-1).is_err());
        assert!(stock(0).is_ok());
        assert!(weight_grams(0).is_err());
    }

    #[test]
    fn attributes_and_images() {
        let mut m = BTreeMap::new();
        m.insert("material".to_owned(), "silk".to_owned());
        assert!(attributes(&m).is_ok());
        m.insert(String::new(), "x".to_owned());
        assert!(attributes(&m).is_err());
        assert!(images(&["https://img.example/a.jpg".to_owned()]).is_ok());
        assert!(images(&["javascript:alert(1)".to_owned()]).is_err());
    }
}
