//! Connect's attribution: which creator an order earns for. A creator code typed at checkout
//! beats a link; a link's click counts only inside the window (the last click wins, because the
//! cookie keeps only the last); nobody earns on their own purchase (the same account, the same
//! mailbox or the same delivery address); and a line earns only if its merchant offers a rate.

use crate::code::Code;
use crate::error::DomainError;

/// How long a click attributes by default: 15 days.
pub const DEFAULT_WINDOW_MS: i64 = 15 * 24 * 60 * 60 * 1000;

/// How far in the future a click may claim to be (clock skew between nodes).
const SKEW_MS: i64 = 60_000;

/// How the buyer came to the creator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A tracking link (`/r/{code}`).
    Link,
    /// A creator's post (a tagged product followed from it).
    Post,
    /// The creator's code typed at checkout.
    Code,
}

impl Source {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Link => "link",
            Source::Post => "post",
            Source::Code => "code",
        }
    }
}

/// One way a creator touched this checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    /// `cre_…`.
    pub creator_id: String,
    /// Link, post or code.
    pub source: Source,
    /// The link code, post id or creator code.
    pub reference: String,
    /// When (UTC ms): the click, or the checkout for a code.
    pub at: i64,
}

/// The touch an order is attributed to: a typed code, else the last click if it is inside
/// `window_ms` of `now` (and not from the future).
pub fn choose(
    code: Option<Touch>,
    click: Option<Touch>,
    now: i64,
    window_ms: i64,
) -> Option<Touch> {
    code.or_else(|| click.filter(|c| c.at <= now + SKEW_MS && now - c.at <= window_ms))
}

/// Why a creator earns nothing on a checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfReferral {
    /// The creator bought with their own account.
    SameAccount,
    /// The buyer's e-mail reaches the creator's mailbox.
    SameEmail,
    /// The parcel goes to one of the creator's addresses.
    SameAddress,
}

impl SelfReferral {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SelfReferral::SameAccount => "same_account",
            SelfReferral::SameEmail => "same_email",
            SelfReferral::SameAddress => "same_address",
        }
    }
}

/// The mailbox an e-mail address reaches: lower-case, without a `+tag`, and for Gmail without
/// dots (`O.lga+x@GoogleMail.com` and `olga@gmail.com` are one mailbox).
pub fn mailbox(email: &str) -> String {
    let e = email.trim().to_lowercase();
    let Some((local, domain)) = e.rsplit_once('@') else {
        return e;
    };
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    if domain == "gmail.com" {
        format!("{}@{domain}", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// A delivery address reduced to what identifies the place: the street line's and postal
/// code's letters and digits, and the country (case, spaces and punctuation ignored).
pub fn address_key(line1: &str, postal_code: &str, country: &str) -> String {
    let keep = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    format!(
        "{}|{}|{}",
        keep(line1),
        keep(postal_code),
        country.to_ascii_uppercase()
    )
}

/// A line's commission: `rate_bps` of its amount after all discounts, rounded half up, never
/// more than what the merchant keeps of the line after the platform's fee.
pub fn line_commission(amount_minor: i64, rate_bps: i64, fee_minor: i64) -> i64 {
    if rate_bps <= 0 || amount_minor <= 0 {
        return 0;
    }
    crate::order::fee(amount_minor, rate_bps)
        .min(amount_minor - fee_minor)
        .max(0)
}

/// A creator's checkout code: 4 to 20 letters A-Z and digits, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatorCode(String);

impl CreatorCode {
    /// Parses a code as typed (case and surrounding spaces ignored).
    pub fn parse(s: &str) -> Result<CreatorCode, DomainError> {
        let c = s.trim().to_ascii_uppercase();
        if (4..=20).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(CreatorCode(c))
        } else {
            Err(DomainError::new(
                Code::InvalidCreatorCode,
                "a creator code has 4 to 20 letters A-Z and digits",
            ))
        }
    }

    /// The code, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The attribution cookie's value, `{link code or post id}.{clicked at, UTC ms}`; `None` if it
/// is not one.
pub fn parse_ref_cookie(v: &str) -> Option<(String, i64)> {
    use crate::id::{PostId, TypedId};
    let (code, at) = v.split_once('.')?;
    let at: i64 = at.parse().ok()?;
    let known = crate::creator::is_link_code(code) || PostId::parse(code).is_ok();
    (known && at > 0).then(|| (code.to_owned(), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(source: Source, at: i64) -> Touch {
        Touch {
            creator_id: format!("cre_{}", source.as_str()),
            source,
            reference: "r".into(),
            at,
        }
    }

    #[test]
    fn a_code_beats_a_click_and_a_click_counts_inside_its_window() {
        let day = 24 * 60 * 60 * 1000;
        let now = 100 * day;
        let click = touch(Source::Link, now - 3 * day);
        let code = touch(Source::Code, now);
        assert_eq!(
            choose(Some(code.clone()), Some(click.clone()), now, 15 * day),
            Some(code)
        );
        assert_eq!(
            choose(None, Some(click.clone()), now, 15 * day),
            Some(click.clone())
        );
        assert_eq!(choose(None, Some(click.clone()), now, 2 * day), None);
        let exactly = touch(Source::Link, now - 15 * day);
        assert!(choose(None, Some(exactly), now, 15 * day).is_some());
        let future = touch(Source::Link, now + day);
        assert_eq!(choose(None, Some(future), now, 15 * day), None);
        assert_eq!(choose(None, None, now, 15 * day), None);
    }

    #[test]
    fn mailboxes_ignore_tags_case_and_gmail_dots() {
        assert_eq!(mailbox("O.lga+shop@GoogleMail.com"), "olga@gmail.com");
        assert_eq!(mailbox("olga@gmail.com"), "olga@gmail.com");
        assert_eq!(mailbox("Marie.P+x@Orange.fr"), "marie.p@orange.fr");
        assert_ne!(mailbox("marie.p@orange.fr"), mailbox("mariep@orange.fr"));
    }

    #[test]
    fn addresses_compare_by_street_postal_code_and_country() {
        assert_eq!(
            address_key("12, Rue de la Paix", "75 002", "fr"),
            address_key("12 rue de la paix", "75002", "FR")
        );
        assert_ne!(
            address_key("12 rue de la paix", "75002", "FR"),
            address_key("14 rue de la paix", "75002", "FR")
        );
    }

    #[test]
    fn commission_is_the_rate_of_the_line_and_never_more_than_the_merchant_keeps() {
        assert_eq!(line_commission(10_000, 800, 700), 800);
        assert_eq!(line_commission(999, 1000, 0), 100);
        assert_eq!(line_commission(10_000, 5000, 6000), 4000);
        assert_eq!(line_commission(10_000, 0, 700), 0);
        assert_eq!(line_commission(0, 800, 0), 0);
    }

    #[test]
    fn creator_codes_and_cookies_are_parsed() {
        assert_eq!(
            CreatorCode::parse(" olga10 ").expect("ok").as_str(),
            "OLGA10"
        );
        for bad in ["abc", "with space", "ÉTÉ2026", &"A".repeat(21)] {
            assert!(CreatorCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_ref_cookie("abcd2345.1700000000000"),
            Some(("abcd2345".to_owned(), 1_700_000_000_000))
        );
        assert_eq!(parse_ref_cookie("abcd2345"), None);
        assert_eq!(parse_ref_cookie("nope.12"), None);
        assert_eq!(parse_ref_cookie("abcd2345.x"), None);
    }
}
