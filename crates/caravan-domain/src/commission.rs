//! Creator commission rates (Connect): a merchant offers 3–50% per store, per category (and
//! the categories below it) or per product; the most specific rate in force is frozen on each
//! order line at sale.

use crate::code::Code;
use crate::error::DomainError;

/// The lowest rate a merchant may offer: 3%, in basis points.
pub const MIN_BPS: i64 = 300;
/// The highest: 50%.
pub const MAX_BPS: i64 = 5_000;

/// What a rate applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything the store sells.
    Store,
    /// A category and those below it.
    Category,
    /// One product.
    Product,
}

impl Scope {
    /// Parses `store`, `category` or `product`.
    pub fn parse(s: &str) -> Result<Scope, DomainError> {
        match s {
            "store" => Ok(Scope::Store),
            "category" => Ok(Scope::Category),
            "product" => Ok(Scope::Product),
            _ => Err(DomainError::new(
                Code::InvalidCommissionRate,
                "scope is store, category or product",
            )),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Store => "store",
            Scope::Category => "category",
            Scope::Product => "product",
        }
    }
}

/// Checks a rate in basis points.
pub fn check_rate(bps: i64) -> Result<i64, DomainError> {
    if (MIN_BPS..=MAX_BPS).contains(&bps) {
        Ok(bps)
    } else {
        Err(DomainError::new(
            Code::InvalidCommissionRate,
            "a commission rate is 3% to 50% (300 to 5000 basis points)",
        ))
    }
}

/// The rate in force for a product: its own, else the nearest category's on its path (leaf
/// first), else the store's; none if the merchant offers none.
pub fn rate_in_force(
    product: Option<i64>,
    categories_leaf_first: impl IntoIterator<Item = Option<i64>>,
    store: Option<i64>,
) -> Option<i64> {
    product
        .or_else(|| categories_leaf_first.into_iter().flatten().next())
        .or(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_rate_wins() {
        assert_eq!(rate_in_force(Some(900), [Some(700)], Some(500)), Some(900));
        assert_eq!(rate_in_force(None, [None, Some(700)], Some(500)), Some(700));
        assert_eq!(
            rate_in_force(None, [Some(800), Some(700)], Some(500)),
            Some(800)
        );
        assert_eq!(rate_in_force(None, [None], Some(500)), Some(500));
        assert_eq!(rate_in_force(None, [None], None), None);
    }

    #[test]
    fn rates_are_three_to_fifty_percent() {
        assert!(check_rate(299).is_err());
        assert!(check_rate(5_001).is_err());
        assert_eq!(check_rate(300).ok(), Some(300));
        assert_eq!(check_rate(5_000).ok(), Some(5_000));
        assert!(Scope::parse("shop").is_err());
        assert_eq!(
            Scope::parse("category").map(Scope::as_str).ok(),
            Some("category")
        );
    }
}
