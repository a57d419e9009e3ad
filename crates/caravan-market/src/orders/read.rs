//! Reading orders: who may see one (its buyer, its store, an operator; anyone else gets
//! `not_found`), one order with its lines and history, and the lists of a buyer and a store.

use super::views::{self, order_view, OrderView};
use crate::accounts::Actor;
use crate::{Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::id::{OrderId, TypedId};
use caravan_domain::order::OrderStatus;
use caravan_store::checkout::OrderRecord;

/// Who is looking at an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Its buyer.
    Buyer,
    /// Its store.
    Merchant,
    /// An operator.
    Operator,
}

impl Market {
    /// The order if `actor` may see it (its buyer, its store, an operator); otherwise `not_found`.
    pub(crate) async fn visible_order(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(OrderRecord, Viewer), MarketError> {
        let id = OrderId::parse(id)?;
        let o = self
            .store
            .order(id.as_str())
            .await?
            .ok_or_else(|| MarketError::not_found("order"))?;
        if o.buyer_id == actor.user_id.as_str() {
            return Ok((o, Viewer::Buyer));
        }
        if actor.roles.contains(&Role::Merchant) {
            if let Some(m) = self.store.merchant_of_user(actor.user_id.as_str()).await? {
                if m.id == o.merchant_id {
                    return Ok((o, Viewer::Merchant));
                }
            }
        }
        if actor.roles.contains(&Role::Operator) {
            return Ok((o, Viewer::Operator));
        }
        Err(MarketError::not_found("order"))
    }

    /// One order with its lines and history.
    pub async fn order(&self, actor: &Actor, id: &str) -> Result<OrderView, MarketError> {
        Ok(self.order_seen_by(actor, id).await?.0)
    }

    /// One order with its lines and history, and who `actor` is to it.
    pub async fn order_seen_by(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(OrderView, Viewer), MarketError> {
        let (o, viewer) = self.visible_order(actor, id).await?;
        Ok((self.order_detail(&o).await?, viewer))
    }

    pub(crate) async fn order_detail(&self, o: &OrderRecord) -> Result<OrderView, MarketError> {
        let lines = self.store.order_lines(std::slice::from_ref(&o.id)).await?;
        let discounts = self
            .store
            .line_discounts(std::slice::from_ref(&o.id))
            .await?;
        let history = views::history_views(self.store.order_history(&o.id).await?);
        Ok(order_view(o, &lines, &discounts, history))
    }

    /// The caller's orders as a buyer, newest first.
    pub async fn my_orders(&self, actor: &Actor) -> Result<Vec<OrderView>, MarketError> {
        let orders = self
            .store
            .orders_by("buyer_id", actor.user_id.as_str(), 200)
            .await?;
        self.order_list(orders).await
    }

    /// The acting merchant's orders, newest first, optionally in one status.
    pub async fn store_orders(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<OrderView>, MarketError> {
        let m = self.acting_merchant_any_status(actor).await?;
        let status = status.map(OrderStatus::parse).transpose()?;
        let orders = self.store.orders_by("merchant_id", &m.id, 500).await?;
        let orders = orders
            .into_iter()
            .filter(|o| status.is_none_or(|s| o.status == s.as_str()))
            .collect();
        self.order_list(orders).await
    }

    async fn order_list(&self, orders: Vec<OrderRecord>) -> Result<Vec<OrderView>, MarketError> {
        let ids: Vec<String> = orders.iter().map(|o| o.id.clone()).collect();
        let lines = self.store.order_lines(&ids).await?;
        let discounts = self.store.line_discounts(&ids).await?;
        Ok(orders
            .iter()
            .map(|o| order_view(o, &lines, &discounts, Vec::new()))
            .collect())
    }
}
