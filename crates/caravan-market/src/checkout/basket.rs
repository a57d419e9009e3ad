//! The first step of a checkout: what is bought, where it goes, how it is paid, checked before
//! anything is priced.

use super::request::{Address, CheckoutRequest};
use crate::accounts::Actor;
use crate::carts::{CartAccess, LineInput, MAX_LINES, MAX_QUANTITY};
use crate::{Code, Market, MarketError};
use caravan_domain::account::clean_name;
use caravan_domain::id::{TypedId, VariantId};
use caravan_domain::{Country, Currency};

/// A checked checkout request: the items (variant id, quantity), the cart they came from (empty
/// for "buy now"), the destination and the currency to pay in.
pub(super) struct Basket {
    pub items: Vec<(String, i64)>,
    pub cart_id: String,
    pub country: Country,
    pub currency: Currency,
}

/// Checks an address (required parts 1 to 200 characters, no control characters; phone at most
/// 40) and returns its country.
pub(crate) fn check_address(a: &Address) -> Result<Country, MarketError> {
    let country = Country::parse(&a.country)?;
    for (v, what) in [
        (&a.name, "a name"),
        (&a.line1, "an address line"),
        (&a.city, "a city"),
        (&a.postal_code, "a postal code"),
    ] {
        clean_name(v, 200, Code::InvalidAddress, what)?;
    }
    if let Some(l) = a.line2.as_deref().filter(|l| !l.trim().is_empty()) {
        clean_name(l, 200, Code::InvalidAddress, "a second address line")?;
    }
    if let Some(p) = a.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        clean_name(p, 40, Code::InvalidAddress, "a phone number")?;
    }
    Ok(country)
}

impl Market {
    /// Checks `req`: the items (from the caller's cart or the request), the address and the
    /// currency.
    pub(super) async fn basket(
        &self,
        actor: &Actor,
        req: &CheckoutRequest,
    ) -> Result<Basket, MarketError> {
        let (items, cart_id, cart_currency) = match (&req.cart_id, &req.items) {
            (Some(id), None) => {
                let access = CartAccess {
                    actor: Some(actor),
                    token: None,
                };
                let cart = self.cart_for(id, access).await?;
                let lines = self.store.cart_lines(&cart.id).await?;
                (lines, cart.id, Some(cart.currency))
            }
            (None, Some(items)) => (merge_items(items)?, String::new(), None),
            _ => {
                return Err(MarketError::new(
                    Code::InvalidCheckout,
                    "give either cart_id or items",
                ))
            }
        };
        check_size(&items)?;
        let country = check_address(&req.address)?;
        let currency = match req.currency.as_deref().or(cart_currency.as_deref()) {
            Some(c) => Currency::parse(c)?,
            None => Currency::EUR,
        };
        Ok(Basket {
            items,
            cart_id,
            country,
            currency,
        })
    }
}

/// "Buy now" items: ids checked, repeats of one variant merged, each quantity 1 to 99.
fn merge_items(items: &[LineInput]) -> Result<Vec<(String, i64)>, MarketError> {
    let bad = || MarketError::new(Code::InvalidQuantity, "a quantity is 1 to 99");
    let mut out: Vec<(String, i64)> = Vec::new();
    for i in items {
        let v = VariantId::parse(&i.variant_id).map_err(|_| crate::pricing::unknown_variant())?;
        if !(1..=MAX_QUANTITY).contains(&i.quantity) {
            return Err(bad());
        }
        match out.iter_mut().find(|(id, _)| id == v.as_str()) {
            Some(line) => line.1 = (line.1 + i.quantity).min(MAX_QUANTITY + 1),
            None => out.push((v.to_string(), i.quantity)),
        }
    }
    if out.iter().any(|(_, q)| *q > MAX_QUANTITY) {
        return Err(bad());
    }
    Ok(out)
}

/// At least one line, at most [`MAX_LINES`].
fn check_size(items: &[(String, i64)]) -> Result<(), MarketError> {
    if items.is_empty() {
        return Err(MarketError::new(
            Code::CartEmpty,
            "there is nothing to check out",
        ));
    }
    if items.len() > MAX_LINES {
        return Err(MarketError::new(
            Code::CartFull,
            "at most 100 lines per checkout",
        ));
    }
    Ok(())
}

/// A payment method the provider knows.
pub(super) fn check_payment_method(method: &str) -> Result<(), MarketError> {
    if !crate::payments::SANDBOX_METHODS.contains(&method) {
        return Err(MarketError::new(
            Code::InvalidPaymentMethod,
            "use pm_sandbox_success, pm_sandbox_delayed or pm_sandbox_decline",
        ));
    }
    Ok(())
}
