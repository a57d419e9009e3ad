//! What a checkout asks for and what it answers: the request (a cart or items, the address,
//! shipping choices, the payment method) and the placed checkout's view.

use crate::carts::LineInput;
use crate::catalogue::MoneyView;
use crate::orders::OrderView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the parcels go.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Recipient.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// More.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Alpha-2 country; shipping is priced to it.
    pub country: String,
    /// Phone for the carrier.
    pub phone: Option<String>,
}

/// A checkout: a cart, or items bought at once ("buy now"). Prices and totals are always
/// computed on the server.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutRequest {
    /// `crt_…` (the caller's cart). Give this or `items`.
    pub cart_id: Option<String>,
    /// Items to buy without a cart.
    pub items: Option<Vec<LineInput>>,
    /// Currency to pay in; the cart's, else EUR.
    pub currency: Option<String>,
    /// Shipping method per store (`mer_…` → economy|standard|express); the cheapest if absent.
    #[serde(default)]
    pub shipping: BTreeMap<String, String>,
    /// Delivery address.
    pub address: Address,
    /// Sandbox: `pm_sandbox_success`, `pm_sandbox_delayed` or `pm_sandbox_decline`.
    pub payment_method: String,
    /// Coupon codes: at most one store coupon per store and one platform coupon (at most 8).
    #[serde(default)]
    pub coupons: Vec<String>,
    /// A creator's checkout code (Connect): the creator earns their commission on the lines
    /// whose stores offer one; it beats a followed link.
    pub creator_code: Option<String>,
    /// A donation to a cause collecting now, paid with the orders in the buyer's currency.
    #[serde(default)]
    pub donation: Option<DonationInput>,
    /// The last creator link followed (the `caravan_ref` cookie the site set), read by the web
    /// layer, never from the body.
    #[serde(skip)]
    pub referral: Option<Referral>,
}

/// A buyer's donation at checkout.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonationInput {
    /// The cause (`cau_…` or its slug), collecting now.
    pub cause: String,
    /// round_up (to the next whole unit of what the buyer pays) or fixed.
    pub kind: String,
    /// fixed: minor units of the buyer's currency (1 to 1000 whole units).
    #[serde(default)]
    pub amount_minor: Option<i64>,
}

/// A followed creator link: its code and when it was clicked (UTC ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// The link's code.
    pub code: String,
    /// When it was followed.
    pub clicked_at: i64,
}

impl Referral {
    /// The referral in the attribution cookie's value (`{code}.{ms}`), if it is one.
    pub fn from_cookie(value: &str) -> Option<Referral> {
        caravan_domain::attribution::parse_ref_cookie(value)
            .map(|(code, clicked_at)| Referral { code, clicked_at })
    }
}

/// The payment of a checkout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    /// `pay_…`.
    pub id: String,
    /// The provider's reference (webhooks name it).
    pub provider_ref: String,
    /// captured or authorized.
    pub status: String,
    /// Amount in the buyer's currency.
    pub amount: MoneyView,
}

/// A placed checkout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckoutView {
    /// `grp_…`.
    pub group_id: String,
    /// paid, or awaiting_payment when the payment confirms later.
    pub status: String,
    /// Everything, in the buyer's currency (the donation included).
    pub total: MoneyView,
    /// The buyer's donation, in their currency, if any.
    pub donation: Option<MoneyView>,
    /// The payment.
    pub payment: PaymentView,
    /// One order per store.
    pub orders: Vec<OrderView>,
}
