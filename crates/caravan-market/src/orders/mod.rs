//! Orders after checkout: who may see them (`read`), their lifecycle (ship, deliver, confirm,
//! cancel, refund: `actions`), disputes, the provider webhook and the timers (`jobs`). Every
//! change is one guarded store transaction with its ledger postings, stock returns and outbox
//! events (`lifecycle`).

mod actions;
mod disputes;
mod jobs;
mod lifecycle;
mod read;
mod views;

pub use actions::{CancelInput, RefundInput, ShipInput};
pub use disputes::{DisputeAnswer, DisputeDecision, DisputeView, NewDispute};
pub use jobs::TimerReport;
pub(crate) use lifecycle::{donation_ledger, payment_ledger, placed_payload};
pub use read::Viewer;
pub(crate) use views::order_view;
pub use views::{HistoryView, LineDiscountView, OrderLineView, OrderPledgeView, OrderView};
