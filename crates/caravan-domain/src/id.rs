//! Public ids: 128 random bits in hex behind a type prefix (`prd_…`), parsed into newtypes.

use crate::error::DomainError;
use rand::RngCore;

/// Implemented by every id newtype.
pub trait TypedId: Sized {
    /// The prefix including the underscore, e.g. `prd_`.
    const PREFIX: &'static str;
    /// Wraps an already-validated string.
    fn from_valid(s: String) -> Self;
    /// The full id with its prefix.
    fn as_str(&self) -> &str;

    /// A new random id (128 bits from the OS generator).
    fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let mut s = String::with_capacity(Self::PREFIX.len() + 32);
        s.push_str(Self::PREFIX);
        for b in bytes {
            s.push_str(&format!("{b:02x}"));
        }
        Self::from_valid(s)
    }

    /// Parses an id; a wrong prefix or malformed body is `not_found` (callers answer 404).
    fn parse(s: &str) -> Result<Self, DomainError> {
        let valid = s.strip_prefix(Self::PREFIX).is_some_and(|body| {
            body.len() == 32 && body.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        });
        if valid {
            Ok(Self::from_valid(s.to_owned()))
        } else {
            Err(DomainError::new(
                "not_found",
                format!("no such {}… object", Self::PREFIX),
            ))
        }
    }
}

macro_rules! typed_id {
    ($(#[$doc:meta] $name:ident => $prefix:literal),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl TypedId for $name {
            const PREFIX: &'static str = $prefix;
            fn from_valid(s: String) -> Self {
                Self(s)
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
    )*};
}

typed_id! {
    /// A user account.
    UserId => "usr_",
    /// An API token (its public handle, not the secret).
    TokenId => "tok_",
    /// A merchant (a store).
    MerchantId => "mer_",
    /// A category.
    CategoryId => "cat_",
    /// A product.
    ProductId => "prd_",
    /// A variant (SKU) of a product.
    VariantId => "var_",
    /// A cart.
    CartId => "crt_",
    /// One checkout's group of orders.
    GroupId => "grp_",
    /// One merchant's order.
    OrderId => "ord_",
    /// A payment.
    PaymentId => "pay_",
    /// A dispute.
    DisputeId => "dsp_",
    /// A payout.
    PayoutId => "pyo_",
    /// A ledger transaction.
    LedgerTxId => "ltx_",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back() {
        let id = ProductId::generate();
        assert!(id.as_str().starts_with("prd_"));
        assert_eq!(ProductId::parse(id.as_str()).expect("parses"), id);
        assert_ne!(ProductId::generate(), id);
    }

    #[test]
    fn wrong_prefix_or_body_is_not_found() {
        let id = MerchantId::generate();
        assert_eq!(
            ProductId::parse(id.as_str()).expect_err("prefix").code,
            "not_found"
        );
        for bad in [
            "",
            "prd_",
            "prd_xyz",
            "prd_0123456789abcdef0123456789ABCDEF",
            "prd_💥",
        ] {
            assert!(ProductId::parse(bad).is_err(), "{bad}");
        }
    }
}
