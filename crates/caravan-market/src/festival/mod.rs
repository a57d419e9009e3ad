//! The festival (11.11): campaigns with a window and rules (`campaigns`), merchants' deals and
//! the operators' decisions on them (`deals`), the deals checkout prices with (`live`), coupons,
//! pop-up promotions and the operators' live screen. The
//! caps and per-buyer limits are decided in the order writer's batch (`caravan-store`), never
//! here; the pure rules (phases, the reference price, a deal's checks, the deal step of the
//! pricing pipeline) are in `caravan_domain::festival`.

mod campaigns;
pub(crate) mod claims;
pub(crate) mod coupons;
mod deals;
pub(crate) mod live;
mod promotions;
pub(crate) mod screen;
pub(crate) mod store_discounts;
mod waiting;

pub use campaigns::{CampaignInput, CampaignText, CampaignView};
pub use coupons::{CouponInput, CouponView};
pub use deals::{DealDecision, DealInput, DealView};
pub use promotions::{PromotionInput, PromotionView};
pub use screen::{DealBar, LiveFigures};
pub use store_discounts::{StoreDiscountBadge, StoreDiscountInput, StoreDiscountView};
pub(crate) use waiting::WaitingRoom;
pub use waiting::{Admission, Standing, Wait, EARLY_MS, SURGE_MS};
