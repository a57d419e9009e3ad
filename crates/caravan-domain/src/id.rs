//! Public ids: a type prefix (`prd_…`), 48 bits of creation time in milliseconds, then 128
//! random bits, all in hex. The time part makes new rows land at the end of every B-tree index
//! instead of on a random page (a batch of orders then dirties a few pages, not thousands); the
//! random part makes ids unguessable.
//!
//! The one exception to this crate's "no I/O" rule: generating an id reads the system clock and
//! the thread's random generator. The time part only orders ids for the indexes, it carries no
//! meaning (business time comes from the clock injected into `caravan-market`), so reading the
//! wall clock here cannot make a rule depend on real time.

use crate::error::{Code, DomainError};
use rand::RngCore;

/// Hex digits after the prefix: 12 of time, 32 of randomness.
pub const ID_HEX: usize = 44;

/// 12 hex digits of UTC milliseconds, then 32 hex digits from the thread's cryptographically
/// secure generator (ChaCha, seeded and reseeded from the OS). Written digit by digit: ids are
/// made several times per checkout, and `format!` per byte plus a system call for the random
/// bits showed up in the checkout profile.
pub fn time_ordered_hex() -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let random =
        rand::thread_rng().next_u64() as u128 | (rand::thread_rng().next_u64() as u128) << 64;
    let time = (0..12).rev().map(|i| (ms >> (4 * i)) as usize & 0xf);
    let rest = (0..32).rev().map(|i| (random >> (4 * i)) as usize & 0xf);
    time.chain(rest).map(|d| char::from(DIGITS[d])).collect()
}

/// Implemented by every id newtype.
pub trait TypedId: Sized {
    /// The prefix including the underscore, e.g. `prd_`.
    const PREFIX: &'static str;
    /// Wraps an already-validated string.
    fn from_valid(s: String) -> Self;
    /// The full id with its prefix.
    fn as_str(&self) -> &str;

    /// A new id: the current time, then 128 bits from the thread's ChaCha generator (seeded from
    /// the OS; see [`time_ordered_hex`]).
    fn generate() -> Self {
        Self::from_valid(format!("{}{}", Self::PREFIX, time_ordered_hex()))
    }

    /// Parses an id; a wrong prefix or malformed body is `not_found` (callers answer 404).
    fn parse(s: &str) -> Result<Self, DomainError> {
        let valid = s.strip_prefix(Self::PREFIX).is_some_and(|body| {
            body.len() == ID_HEX && body.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        });
        if valid {
            Ok(Self::from_valid(s.to_owned()))
        } else {
            Err(DomainError::new(
                Code::NotFound,
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
    /// A buyer's saved delivery address.
    AddressId => "adr_",
    /// An uploaded product image.
    ImageId => "img_",
    /// A campaign (a festival such as 11.11).
    CampaignId => "cmp_",
    /// A merchant's deal in a campaign.
    DealId => "del_",
    /// A coupon (a store's or the platform's).
    CouponId => "cpn_",
    /// A campaign's pop-up promotion (a banner or a notice).
    PromotionId => "pro_",
    /// A store's discount on everything it sells during a campaign.
    StoreDiscountId => "sdc_",
    /// A glossary term (a noun or modifier in the eight languages).
    GlossaryTermId => "gls_",
    /// A creator (Connect).
    CreatorId => "cre_",
    /// A creator's shoppable post (Connect).
    PostId => "pst_",
    /// A charity cause sellers pledge to.
    CauseId => "cau_",
    /// A remittance of a cause's money to its partner.
    RemittanceId => "rem_",
    /// A campaign site.
    SiteId => "sit_",
    /// A poll or prediction on a campaign site.
    PollId => "pol_",
    /// A quiz on a campaign site.
    QuizId => "qui_",
    /// A merchant's collaboration brief for creators (Connect).
    CollaborationId => "col_",
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

    /// The time part is the current UTC millisecond in 12 hex digits, so later ids sort after
    /// earlier ones; the random part differs every time and uses every digit.
    #[test]
    fn hex_ids_are_time_then_randomness() {
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis() as u64;
        let ids: Vec<String> = (0..2000).map(|_| time_ordered_hex()).collect();
        let after = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis() as u64;
        for id in &ids {
            assert_eq!(id.len(), ID_HEX);
            assert!(
                id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
                "{id}"
            );
            let ms = u64::from_str_radix(&id[..12], 16).expect("hex");
            assert!(
                (before..=after).contains(&ms),
                "{ms} not in {before}..={after}"
            );
        }
        assert!(ids.windows(2).all(|w| w[0][..12] <= w[1][..12]));
        let randoms: std::collections::HashSet<&str> = ids.iter().map(|i| &i[12..]).collect();
        assert_eq!(randoms.len(), ids.len());
        let digits: std::collections::HashSet<u8> =
            ids.iter().flat_map(|i| i[12..].bytes()).collect();
        assert_eq!(digits.len(), 16);
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
