//! The rows one checkout writes (group, orders, lines, payment), the placement that carries
//! them to the order writer, and what the writer made of each placement.

use crate::durable::Durable;
use crate::idempotency::NewAnswer;
use crate::journal::{LedgerTx, NewEvent};

/// A checkout's order group (one per checkout, many merchants).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct GroupRecord {
    /// `grp_…`.
    pub id: String,
    /// The buyer.
    pub buyer_id: String,
    /// The cart it came from (its lines are removed in the same transaction).
    pub cart_id: String,
    /// Presentment (buyer's) currency.
    pub currency: String,
    /// Total in the presentment currency.
    pub total_minor: i64,
    /// JSON shipping address.
    pub address: String,
    /// Destination country.
    pub country: String,
    /// `pay_…`.
    pub payment_id: String,
    /// UTC milliseconds.
    pub placed_at: i64,
}

/// One merchant's order.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OrderRecord {
    /// `ord_…`.
    pub id: String,
    /// `grp_…`.
    pub group_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// The merchant.
    pub merchant_id: String,
    /// Current status.
    pub status: String,
    /// Settlement (merchant's) currency.
    pub currency: String,
    /// Goods, settlement currency.
    pub goods_minor: i64,
    /// Shipping, settlement currency.
    pub shipping_minor: i64,
    /// Goods + shipping.
    pub total_minor: i64,
    /// Platform fee frozen at sale (sum of line fees).
    pub fee_minor: i64,
    /// The platform-funded part of the discounts (platform coupons): the platform pays it into
    /// escrow beside the buyer, so `total_minor` is what the store is settled on.
    pub platform_discount_minor: i64,
    /// Buyer's currency.
    pub presentment_currency: String,
    /// Total in the buyer's currency.
    pub presentment_total_minor: i64,
    /// Buyer-currency units per merchant-currency unit × 10^9.
    pub fx_rate_e9: i64,
    /// economy | standard | express.
    pub shipping_method: String,
    /// Delivery estimate.
    pub min_days: i64,
    /// Delivery estimate.
    pub max_days: i64,
    /// Refunded so far, settlement currency.
    pub refunded_minor: i64,
    /// Set when shipped.
    pub carrier: Option<String>,
    /// Set when shipped.
    pub tracking_number: Option<String>,
    /// UTC milliseconds.
    pub placed_at: i64,
    /// When paid.
    pub paid_at: Option<i64>,
    /// When shipped.
    pub shipped_at: Option<i64>,
    /// When delivered.
    pub delivered_at: Option<i64>,
    /// When completed.
    pub completed_at: Option<i64>,
    /// When cancelled.
    pub cancelled_at: Option<i64>,
    /// Bumped by every transition (optimistic concurrency).
    pub version: i64,
    /// The creator the order was attributed to (Connect), if any.
    pub creator_id: Option<String>,
    /// The creator's commission frozen at sale (sum of the lines'), settlement currency.
    pub commission_minor: i64,
    /// The cause the store pledged this sale to, if any.
    pub cause_id: Option<String>,
    /// The store's pledge frozen at sale (sum of the lines'), settlement currency.
    pub pledge_minor: i64,
}

/// One line of an order, frozen at sale.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct LineRecord {
    /// The order.
    pub order_id: String,
    /// Position in the order.
    pub position: i64,
    /// The SKU sold.
    pub variant_id: String,
    /// Its product.
    pub product_id: String,
    /// SKU code at sale.
    pub sku: String,
    /// Title at sale.
    pub title: String,
    /// Units.
    pub quantity: i64,
    /// Unit price, settlement currency.
    pub unit_price_minor: i64,
    /// quantity × unit price.
    pub total_minor: i64,
    /// Settlement currency.
    pub currency: String,
    /// Line total in the buyer's currency.
    pub presentment_total_minor: i64,
    /// Buyer's currency.
    pub presentment_currency: String,
    /// Rate used.
    pub fx_rate_e9: i64,
    /// Platform fee rate of the category at sale.
    pub fee_bps: i64,
    /// Fee on this line.
    pub fee_minor: i64,
    /// All discounts on this line (the list total is `total_minor + discount_minor`).
    pub discount_minor: i64,
    /// The festival deal it was sold under, if any (its units count against the deal's cap and
    /// the buyer's limit).
    pub deal_id: Option<String>,
    /// The creator commission rate the merchant offered at sale (0: none).
    pub commission_bps: i64,
    /// The commission this line earns its order's creator (0: none attributed).
    pub commission_minor: i64,
    /// What the store pledged of this line to its order's cause (0: none).
    pub pledge_minor: i64,
}

/// A creator's commission on one order, as it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CommissionRecord {
    /// The order.
    pub order_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// The order's store.
    pub merchant_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// The store's currency.
    pub currency: String,
    /// Frozen at sale.
    pub amount_minor: i64,
    /// Taken back by refunds so far.
    pub reversed_minor: i64,
    /// pending | confirmed | available | reversed.
    pub state: String,
    /// link | post | code.
    pub source: String,
    /// The link code, post id or creator code.
    pub reference: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// When the order completed.
    pub confirmed_at: Option<i64>,
    /// When the hold ended.
    pub available_at: Option<i64>,
}

/// A checkout that would have paid its own buyer's creator, flagged for operators.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralFlag {
    /// The checkout.
    pub group_id: String,
    /// `cre_…`.
    pub creator_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// same_account | same_email | same_address.
    pub reason: String,
    /// link | post | code.
    pub source: String,
    /// The link code, post id or creator code.
    pub reference: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// What one order uses of one coupon: one use per checkout (group), the amount in the coupon's
/// currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CouponUse {
    /// The order.
    pub order_id: String,
    /// Its checkout.
    pub group_id: String,
    /// `cpn_…`.
    pub coupon_id: String,
    /// The discount it gave this order, in the coupon's currency (its money budget).
    pub amount_minor: i64,
}

/// One discount on one order line: its stage in the stacking order, who funds it, what gave it.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct DiscountRecord {
    /// The order.
    pub order_id: String,
    /// The line's position.
    pub position: i64,
    /// Its place among the line's discounts (stacking order).
    pub seq: i64,
    /// deal | store_discount | store_coupon | platform_coupon.
    pub stage: String,
    /// merchant | platform.
    pub funder: String,
    /// The deal or coupon id.
    pub source: String,
    /// Amount, the line's currency.
    pub amount_minor: i64,
}

/// A payment with the provider.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct PaymentRecord {
    /// `pay_…`.
    pub id: String,
    /// `grp_…`.
    pub group_id: String,
    /// Provider name.
    pub provider: String,
    /// The provider's reference.
    pub provider_ref: String,
    /// authorized | captured | failed | voided.
    pub status: String,
    /// Amount.
    pub amount_minor: i64,
    /// Currency.
    pub currency: String,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

/// A buyer's donation at checkout, in their currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DonationRecord {
    /// The checkout.
    pub group_id: String,
    /// `cau_…`.
    pub cause_id: String,
    /// The buyer.
    pub buyer_id: String,
    /// round_up | fixed.
    pub kind: String,
    /// Minor units of `currency`.
    pub amount_minor: i64,
    /// The buyer's currency.
    pub currency: String,
    /// pending | paid | cancelled.
    pub state: String,
    /// UTC milliseconds.
    pub created_at: i64,
}

/// Everything one checkout writes, prepared (validated and priced) before the writer sees it.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// The answer to store under the checkout's idempotency key (and to give the buyer).
    pub answer: NewAnswer,
    /// The group.
    pub group: GroupRecord,
    /// One per merchant.
    pub orders: Vec<OrderRecord>,
    /// All lines.
    pub lines: Vec<LineRecord>,
    /// The payment.
    pub payment: PaymentRecord,
    /// The lines' discounts.
    pub discounts: Vec<DiscountRecord>,
    /// What each order uses of each coupon's budget.
    pub coupons: Vec<CouponUse>,
    /// The creator's commission on each attributed order.
    pub commissions: Vec<CommissionRecord>,
    /// A self-referral the checkout was refused commission for.
    pub flag: Option<ReferralFlag>,
    /// The buyer's donation to a cause, if any.
    pub donation: Option<DonationRecord>,
    /// Postings (when the payment was captured at once).
    pub ledger: Vec<LedgerTx>,
    /// Outbox events.
    pub events: Vec<NewEvent>,
    /// UTC milliseconds.
    pub now: i64,
}

/// What happened to one placement of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written.
    Placed,
    /// Not enough stock of this variant; nothing written.
    SoldOut(String),
    /// The key was used before with the same request: the stored answer.
    Replay(i64, String),
    /// The key was used before with another request.
    KeyReused,
    /// The same key is earlier in this very batch.
    InFlight,
    /// The deal's committed units are all claimed.
    DealSoldOut(String),
    /// The buyer would go over the deal's per-buyer limit.
    DealLimit(String),
    /// The coupon's budget (uses or money) is spent.
    CouponExhausted(String),
    /// The buyer has used the coupon as often as it allows.
    CouponLimit(String),
    /// The coupon must be collected before it is used.
    CouponNotCollected(String),
    /// This placement alone could not be written (it breaks a constraint); nothing of it was
    /// written, and the rest of its batch was written without it.
    Unwritable(String),
}

/// A written batch: one outcome per placement, in order, to be answered once `durable` says
/// the batch is on disk.
#[derive(Debug)]
pub struct Written {
    /// What happened to each placement.
    pub outcomes: Vec<Outcome>,
    /// When the answers may go out.
    pub durable: Durable,
    /// Where the batch's time went.
    pub phases: Phases,
}

/// Where a batch's time went: microseconds per step, in the order the steps ran (the order
/// writer's benchmark adds them up).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phases {
    /// (step, microseconds), in the order they ran.
    pub steps: Vec<(&'static str, u64)>,
    last: Option<std::time::Instant>,
}

impl Phases {
    /// Starts the clock.
    pub fn start() -> Phases {
        Phases {
            steps: Vec::new(),
            last: Some(std::time::Instant::now()),
        }
    }

    /// Charges the time since the last mark to `step`.
    pub fn mark(&mut self, step: &'static str) {
        let now = std::time::Instant::now();
        let since = self
            .last
            .map_or(0, |t| now.duration_since(t).as_micros() as u64);
        self.steps.push((step, since));
        self.last = Some(now);
    }

    /// Adds another batch's steps (a split batch's halves).
    pub fn add(&mut self, other: Phases) {
        self.steps.extend(other.steps);
    }
}
