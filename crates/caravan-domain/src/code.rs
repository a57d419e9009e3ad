//! Every stable error code Caravan answers with, in one enum: its text, its family (which the
//! web crate maps to one HTTP status) and its meaning. The API's documented error table is
//! generated from [`Code::ALL`]; nothing else names a code as a string.
//!
//! The enum lives in the domain, not the use-case crate, because domain rules fail with codes
//! too (`invalid_currency`, `invalid_sku`…): one enum for both layers instead of two lists.

/// The family of an error; each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The request is malformed or lacks something required (400).
    BadRequest,
    /// The input breaks a rule (422).
    Invalid,
    /// No such object, or not the caller's (404).
    NotFound,
    /// Clashes with existing state (409).
    Conflict,
    /// No or bad credentials (401).
    Unauthenticated,
    /// Authenticated but not allowed (403).
    Forbidden,
    /// Throttled (429).
    TooMany,
    /// Existed, and is gone for good (410).
    Gone,
    /// The payment was declined (402).
    PaymentRequired,
    /// Overloaded or switched off: try again later (503).
    Unavailable,
    /// The body is larger than the route accepts (413).
    TooLarge,
    /// The body is not of a media type the route accepts (415).
    UnsupportedMediaType,
    /// The route exists, but not with this method (405).
    MethodNotAllowed,
    /// Something broke inside (500); the message is logged, never sent.
    Internal,
}

impl Kind {
    /// The HTTP status of this family.
    pub fn status(self) -> u16 {
        match self {
            Kind::BadRequest => 400,
            Kind::Unauthenticated => 401,
            Kind::PaymentRequired => 402,
            Kind::Forbidden => 403,
            Kind::NotFound => 404,
            Kind::MethodNotAllowed => 405,
            Kind::Conflict => 409,
            Kind::TooLarge => 413,
            Kind::UnsupportedMediaType => 415,
            Kind::Invalid => 422,
            Kind::TooMany => 429,
            Kind::Gone => 410,
            Kind::Internal => 500,
            Kind::Unavailable => 503,
        }
    }
}

macro_rules! codes {
    ($($variant:ident = ($text:literal, $kind:ident, $meaning:literal);)*) => {
        /// A stable, machine-readable error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
        }

        impl Code {
            /// Every code, in the documented table's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as the API spells it (`out_of_stock`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// Its family (and so its HTTP status).
            pub fn kind(self) -> Kind {
                match self { $(Code::$variant => Kind::$kind,)* }
            }

            /// What it means, for the documented table.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning,)* }
            }
        }
    };
}

codes! {
    MalformedJson = ("malformed_json", BadRequest, "the body is not valid JSON");
    InvalidQuery = ("invalid_query", BadRequest, "a query parameter has the wrong type or format");
    InvalidBody = ("invalid_body", Invalid, "the JSON does not match the schema (unknown field, wrong type, missing field)");
    UnsupportedMediaType = ("unsupported_media_type", UnsupportedMediaType, "send Content-Type: application/json");
    BodyTooLarge = ("body_too_large", TooLarge, "the body exceeds 256 KiB (6 MiB for an image upload)");
    UnreadableBody = ("unreadable_body", BadRequest, "the request body could not be read");
    BadRequest = ("bad_request", BadRequest, "the request cannot be read (a header, the path or the query is malformed)");
    InvalidImage = ("invalid_image", Invalid, "not a PNG, JPEG, WebP or GIF of at most 5 MiB and 10,000 pixels a side");
    TooManyImages = ("too_many_images", Invalid, "a store keeps at most 2,000 images");
    Unauthenticated = ("unauthenticated", Unauthenticated, "no valid bearer token");
    AccountSuspended = ("account_suspended", Forbidden, "an operator suspended this account; it cannot log in");
    CannotSuspendSelf = ("cannot_suspend_self", Invalid, "an operator cannot suspend their own account");
    InvalidCredentials = ("invalid_credentials", Unauthenticated, "wrong e-mail or password");
    TooManyAttempts = ("too_many_attempts", TooMany, "too many failed logins; see Retry-After");
    Forbidden = ("forbidden", Forbidden, "the caller lacks the role this route needs");
    MerchantNotActive = ("merchant_not_active", Forbidden, "the caller's store is not approved (pending, rejected or suspended)");
    NotFound = ("not_found", NotFound, "no such object, or it is not the caller's");
    MethodNotAllowed = ("method_not_allowed", MethodNotAllowed, "the route exists but not with this method");
    EmailTaken = ("email_taken", Conflict, "an account with this e-mail exists");
    AlreadyApplied = ("already_applied", Conflict, "the account already has a store");
    AlreadyCreator = ("already_creator", Conflict, "the account has applied to be a creator already");
    HandleTaken = ("handle_taken", Conflict, "another creator has that handle");
    InvalidHandle = ("invalid_handle", Invalid, "a handle has 3 to 30 letters a-z, digits, _ or ., and starts with a letter");
    InvalidCreatorApplication = ("invalid_creator_application", Invalid, "a creator application names 1 to 8 languages, 1 to 50 countries, up to 5 https links and a pitch of 1 to 500 characters");
    CreatorNotActive = ("creator_not_active", Forbidden, "the caller is not an approved creator (pending, rejected or suspended)");
    InvalidCommissionRate = ("invalid_commission_rate", Invalid, "a commission rate is 3% to 50% (300 to 5000 basis points) for the store, one of its products, or a category");
    InvalidLinkTarget = ("invalid_link_target", Invalid, "a link leads to a published product or a campaign");
    InvalidCreatorCode = ("invalid_creator_code", Invalid, "a creator code has 4 to 20 letters A-Z and digits");
    UnknownCreatorCode = ("unknown_creator_code", Invalid, "no active creator has this code");
    CreatorCodeTaken = ("creator_code_taken", Conflict, "another creator has that code");
    InvalidTiers = ("invalid_tiers", Invalid, "a tier ladder has 1 to 8 tiers, the first from zero, thresholds rising, bonuses of 0 to 2000 basis points never falling, and distinct names of 1 to 30 characters");
    InvalidMonth = ("invalid_month", Invalid, "a month is written YYYY-MM");
    InvalidCause = ("invalid_cause", Invalid, "a cause has a slug of 1 to 60 of a-z, 0-9 and -, a name (1 to 120 characters) in English and any other language, descriptions up to 2000 characters, a partner, a positive target and a window of at most 92 days");
    InvalidPledge = ("invalid_pledge", Invalid, "a pledge is a percentage of 0.01% to 50% (1 to 5000 basis points) of each campaign sale, or a positive fixed amount per unit in the store's currency");
    InvalidDonation = ("invalid_donation", Invalid, "a donation goes to a cause collecting now: a round-up of the payment to the next whole unit, or a fixed amount of 1 minor unit to 1000 whole units of the buyer's currency");
    PledgeLocked = ("pledge_locked", Conflict, "a pledge cannot change or be withdrawn once its cause has started");
    NothingToRemit = ("nothing_to_remit", Conflict, "the cause has no confirmed money left to remit");
    InvalidSite = ("invalid_site", Invalid, "a site has a slug, a title in English, a theme from the palette, an ordered schedule and at most 24 known blocks whose texts and settings are valid");
    SiteArchived = ("site_archived", Gone, "the campaign site is over and archived");
    InvalidVote = ("invalid_vote", Invalid, "the vote names none of the poll's options, or the poll is closed");
    AlreadyVoted = ("already_voted", Conflict, "this account has voted in this poll already");
    AlreadyAnswered = ("already_answered", Conflict, "this account has taken this quiz already");
    InvalidAnswers = ("invalid_answers", Invalid, "a quiz is answered with one of each question's options, in order");
    TooManyCheers = ("too_many_cheers", TooMany, "an account cheers at most 20 times a day per site, 3 seconds apart");
    InvalidCollaboration = ("invalid_collaboration", Invalid, "a collaboration has a title (1 to 120 characters), a brief (10 to 2000), 1 to 12 distinct products of the store, per-sale terms (300 to 5000 basis points) or a fixed fee (up to 100,000 units), 1 to 100 places and an end within 180 days");
    CollaborationClosed = ("collaboration_closed", Conflict, "the collaboration has ended or has no places left");
    AlreadyInCollaboration = ("already_in_collaboration", Conflict, "this creator has applied to this collaboration already");
    InvalidDelivery = ("invalid_delivery", Invalid, "a delivery is one of the creator's visible posts that tags a product of the collaboration");
    InvalidPost = ("invalid_post", Invalid, "a post has text in 1 to 8 languages (1 to 2000 characters each), tags 1 to 12 published products and shows up to 6 of the creator's images");
    InvalidTransition = ("invalid_transition", Conflict, "the object is not in a state that allows this");
    DuplicateSku = ("duplicate_sku", Conflict, "the store already uses this SKU code");
    DuplicateSlug = ("duplicate_slug", Conflict, "a category with this slug exists");
    Conflict = ("conflict", Conflict, "conflicts with an existing record");
    Stale = ("stale", Conflict, "the record changed meanwhile; retry");
    InvalidEmail = ("invalid_email", Invalid, "not a valid e-mail address");
    WeakPassword = ("weak_password", Invalid, "a password has 10 to 128 characters");
    InvalidDisplayName = ("invalid_display_name", Invalid, "a display name has 1 to 80 characters");
    InvalidName = ("invalid_name", Invalid, "a name has the wrong length or characters");
    InvalidStoreName = ("invalid_store_name", Invalid, "a store name has 1 to 80 characters");
    InvalidDescription = ("invalid_description", Invalid, "a description is too long or has control characters");
    InvalidReason = ("invalid_reason", Invalid, "a reason has 1 to 500 characters");
    InvalidCountry = ("invalid_country", Invalid, "not an ISO 3166-1 alpha-2 country code");
    InvalidCurrency = ("invalid_currency", Invalid, "not an ISO 4217 currency code");
    CurrencyMismatch = ("currency_mismatch", Invalid, "prices must be in the store's settlement currency");
    CurrencyRequired = ("currency_required", Invalid, "price bounds and price sorts need a currency");
    InvalidLocale = ("invalid_locale", Invalid, "not a supported locale (en, ru, fr, es, pl, it, tr, zh)");
    InvalidStatus = ("invalid_status", Invalid, "not a known status");
    InvalidRole = ("invalid_role", Invalid, "not a known role");
    InvalidTitle = ("invalid_title", Invalid, "a title has 1 to 200 characters");
    InvalidSku = ("invalid_sku", Invalid, "a SKU code has 1 to 64 letters, digits, dots, dashes or underscores");
    InvalidHsCode = ("invalid_hs_code", Invalid, "an HS code has 6, 8 or 10 digits");
    InvalidPrice = ("invalid_price", Invalid, "a price must be positive (and at most 10^12 minor units)");
    InvalidStock = ("invalid_stock", Invalid, "stock is between 0 and 10^9");
    InvalidWeight = ("invalid_weight", Invalid, "weight is 1 g to 1,000 kg");
    InvalidAttributes = ("invalid_attributes", Invalid, "up to 30 attributes with bounded names and values");
    InvalidImages = ("invalid_images", Invalid, "up to 20 http(s) image URLs");
    InvalidVariants = ("invalid_variants", Invalid, "a product has 1 to 100 variants");
    InvalidSlug = ("invalid_slug", Invalid, "a slug has 1 to 60 of a-z, 0-9 and -");
    InvalidNames = ("invalid_names", Invalid, "category names need English and valid locales");
    UnknownCategory = ("unknown_category", Invalid, "no such category");
    InvalidPageSize = ("invalid_page_size", Invalid, "limit is 1 to 100");
    InvalidCursor = ("invalid_cursor", Invalid, "the cursor is not one this API gave out");
    InvalidSort = ("invalid_sort", Invalid, "unknown sort");
    QueryTooLong = ("query_too_long", Invalid, "a search query has at most 500 characters");
    InvalidPage = ("invalid_page", Invalid, "pages are numbered from 1");
    PageTooDeep = ("page_too_deep", Invalid, "search results beyond the first 10,000 are not paged");
    SearchUnavailable = ("search_unavailable", Unavailable, "search is not enabled on this node");
    DatabaseUnavailable = ("database_unavailable", Unavailable, "the database connection was lost; retry after the Retry-After seconds");
    AmountOutOfRange = ("amount_out_of_range", Invalid, "an amount overflows");
    IdempotencyKeyRequired = ("idempotency_key_required", BadRequest, "this request moves money: send an Idempotency-Key header");
    InvalidIdempotencyKey = ("invalid_idempotency_key", BadRequest, "an Idempotency-Key has 1 to 255 visible ASCII characters");
    IdempotencyKeyReused = ("idempotency_key_reused", Invalid, "the Idempotency-Key was used with another request body");
    IdempotencyKeyInUse = ("idempotency_key_in_use", Conflict, "a request with this Idempotency-Key is still running");
    InvalidSignature = ("invalid_signature", BadRequest, "the webhook signature is missing, expired or wrong");
    UnknownEvent = ("unknown_event", Invalid, "unknown webhook event type");
    OutOfStock = ("out_of_stock", Conflict, "not enough stock");
    DealSoldOut = ("deal_sold_out", Conflict, "the deal's committed units are all claimed; the variant may still sell at its normal price");
    DealLimitReached = ("deal_limit_reached", Conflict, "the buyer has reached the deal's per-buyer limit");
    InvalidCampaign = ("invalid_campaign", Invalid, "a campaign's slug, texts, window, time zone or rules are wrong");
    InvalidPromotion = ("invalid_promotion", Invalid, "a promotion's kind, texts, window (inside its campaign's, from warm-up to the end), countries, languages or link are wrong");
    InvalidGlossaryTerm = ("invalid_glossary_term", Invalid, "a glossary term is a noun or a modifier with 1 to 8 forms of 1 to 60 characters in at least two of the eight languages");
    PromotionWithdrawn = ("promotion_withdrawn", Conflict, "the promotion was withdrawn already");
    InvalidStoreDiscount = ("invalid_store_discount", Invalid, "a store discount takes 0.01% to 90% off (1 to 9000 basis points), from a minimum spend of 0 to 10^12 minor units");
    StoreDiscountExists = ("store_discount_exists", Conflict, "the store already has a discount in this campaign (withdraw it first)");
    CampaignClosed = ("campaign_closed", Conflict, "the campaign is not taking enrolments (or the deal's slot is outside it)");
    InvalidDeal = ("invalid_deal", Invalid, "a deal's price, committed units, per-buyer limit or flash slot are wrong");
    DiscountTooSmall = ("discount_too_small", Invalid, "the deal is not at least the campaign's minimum discount below the reference price (the lowest price of the 30 days before the campaign)");
    NotEligible = ("not_eligible", Invalid, "the product's category or ship-from country is not eligible for the campaign");
    DealExists = ("deal_exists", Conflict, "the variant already has a deal in this campaign");
    InvalidCoupon = ("invalid_coupon", Invalid, "a coupon's code, value, minimum spend, window, budget or limits are wrong");
    CouponNotApplicable = ("coupon_not_applicable", Invalid, "the coupon does not apply here: unknown code, outside its window, another store's, below its minimum spend, or a second coupon of its kind");
    CouponExhausted = ("coupon_exhausted", Conflict, "the coupon's budget (uses or money) is spent");
    CouponLimitReached = ("coupon_limit_reached", Conflict, "the buyer has used the coupon as often as it allows");
    CouponNotCollected = ("coupon_not_collected", Conflict, "the coupon must be collected before it is used");
    OrderNotWritable = ("order_not_writable", Invalid, "the order could not be recorded (a value breaks a storage rule); nothing was charged and no other order was affected");
    NotPurchasable = ("not_purchasable", Invalid, "the product is unpublished or its store is not active");
    NotShippable = ("not_shippable", Invalid, "a store does not ship to the destination");
    UnknownShippingMethod = ("unknown_shipping_method", Invalid, "the store does not offer that shipping method there");
    InvalidQuantity = ("invalid_quantity", Invalid, "a quantity is 1 to 99");
    CartEmpty = ("cart_empty", Invalid, "there is nothing to check out");
    UnknownVariant = ("unknown_variant", Invalid, "the body names a variant that does not exist (an id in the path that names nothing is 404)");
    InvalidCheckout = ("invalid_checkout", Invalid, "a checkout names either a cart (cart_id) or items, not both and not neither");
    CartFull = ("cart_full", Invalid, "a cart holds at most 100 lines");
    TooManyAddresses = ("too_many_addresses", Invalid, "an account keeps at most 20 saved addresses");
    InvalidAddress = ("invalid_address", Invalid, "an address field is empty or too long");
    InvalidPaymentMethod = ("invalid_payment_method", Invalid, "unknown payment method");
    PaymentDeclined = ("payment_declined", PaymentRequired, "the payment was declined");
    RateUnavailable = ("rate_unavailable", Invalid, "no exchange rate for a currency involved");
    InvalidRate = ("invalid_rate", Invalid, "a rate is a positive decimal with at most 9 decimals");
    InvalidRatesFile = ("invalid_rates_file", Invalid, "not an ECB reference-rate XML file");
    InvalidShipping = ("invalid_shipping", Invalid, "shipping rules: bands, days or duplicates are wrong");
    InvalidFee = ("invalid_fee", Invalid, "a fee rate is 0 to 5000 basis points");
    InvalidTracking = ("invalid_tracking", Invalid, "carrier and tracking number are required");
    InvalidAmount = ("invalid_amount", Invalid, "the amount is out of range for this order");
    InsufficientBalance = ("insufficient_balance", Conflict, "the balance does not cover this");
    PayoutBelowMinimum = ("payout_below_minimum", Invalid, "the payout is below the minimum");
    DisputeOpen = ("dispute_open", Conflict, "an open dispute decides this order");
    DisputeExists = ("dispute_exists", Conflict, "the order already has a dispute");
    ProtectionExpired = ("protection_expired", Conflict, "disputes need a shipped order, or a delivered one within the protection window");
    InvalidOutcome = ("invalid_outcome", Invalid, "a dispute outcome is refund or release");
    Overloaded = ("overloaded", Unavailable, "checkout is busy; retry after Retry-After seconds");
    NotReady = ("not_ready", Unavailable, "the database does not answer");
    Internal = ("internal", Internal, "something broke inside; it has been logged");
    InvalidWeights = ("invalid_weights", Internal, "an amount was split by weights that are all zero or negative (a bug)");
    Unbalanced = ("unbalanced", Internal, "ledger postings that do not balance (a bug)");
}

impl Code {
    /// The code spelled `text`, if there is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_parse_back() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(c
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(!c.meaning().is_empty());
        }
        assert_eq!(Code::parse("no_such_code"), None);
    }

    #[test]
    fn families_map_to_their_statuses() {
        assert_eq!(Code::OutOfStock.kind().status(), 409);
        assert_eq!(Code::InvalidBody.kind().status(), 422);
        assert_eq!(Code::BodyTooLarge.kind().status(), 413);
        assert_eq!(Code::Internal.kind().status(), 500);
    }
}
