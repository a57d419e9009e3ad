//! The cart a browser visitor works on: a guest's cart behind its secret token, or the signed-in
//! buyer's own; when a guest signs in, the guest cart becomes theirs (or its lines join the cart
//! they already had). The web layer keeps the cookies; the decisions are made here.

use crate::accounts::Actor;
use crate::carts::{CartAccess, CartPatch, CartView, LineInput, NewCart, MAX_QUANTITY};
use crate::{Market, MarketError};
use caravan_domain::Locale;

/// What the browser remembers: a guest cart `(id, token)`, and the signed-in buyer's cart id.
#[derive(Debug, Clone, Copy, Default)]
pub struct CartKeys<'a> {
    /// The guest cart and its secret token.
    pub guest: Option<(&'a str, &'a str)>,
    /// The signed-in buyer's cart.
    pub own: Option<&'a str>,
}

/// Where the cart should be: shipped to `country`, priced in `currency`.
#[derive(Debug, Clone)]
pub struct CartPlace {
    /// ISO country.
    pub country: String,
    /// ISO currency.
    pub currency: String,
    /// Language of the lines' titles.
    pub locale: Locale,
}

/// The cart to work on, and what the browser should remember from now on.
#[derive(Debug)]
pub struct OpenedCart {
    /// The cart, in the place asked for.
    pub cart: CartView,
    /// The token that reaches it (guests only).
    pub token: Option<String>,
    /// A cart the signed-in buyer should remember (found again, claimed or new).
    pub remember_own: Option<String>,
    /// A new guest cart to remember: `(id, token)`.
    pub remember_guest: Option<(String, String)>,
    /// The guest cart was taken over: forget it.
    pub forget_guest: bool,
}

impl OpenedCart {
    /// How `actor` (or the guest's token) reaches the cart.
    pub fn access<'a>(&'a self, actor: Option<&'a Actor>) -> CartAccess<'a> {
        CartAccess {
            actor,
            token: self.token.as_deref(),
        }
    }
}

impl Market {
    /// The visitor's cart in `place`, created when there is none.
    pub async fn open_cart(
        &self,
        actor: Option<&Actor>,
        keys: CartKeys<'_>,
        place: &CartPlace,
    ) -> Result<OpenedCart, MarketError> {
        match actor {
            None => self.open_guest_cart(keys, place).await,
            Some(actor) => self.open_own_cart(actor, keys, place).await,
        }
    }

    async fn open_guest_cart(
        &self,
        keys: CartKeys<'_>,
        place: &CartPlace,
    ) -> Result<OpenedCart, MarketError> {
        if let Some((id, token)) = keys.guest {
            let access = CartAccess {
                actor: None,
                token: Some(token),
            };
            if let Ok(cart) = self.cart(id, access, place.locale).await {
                return Ok(OpenedCart {
                    cart: self.fit(cart, access, place).await?,
                    token: Some(token.to_owned()),
                    remember_own: None,
                    remember_guest: None,
                    forget_guest: false,
                });
            }
        }
        let created = self
            .create_cart(None, new_cart(place), place.locale)
            .await?;
        let token = created.token.unwrap_or_default();
        Ok(OpenedCart {
            remember_guest: Some((created.cart.id.clone(), token.clone())),
            cart: created.cart,
            token: Some(token),
            remember_own: None,
            forget_guest: false,
        })
    }

    async fn open_own_cart(
        &self,
        actor: &Actor,
        keys: CartKeys<'_>,
        place: &CartPlace,
    ) -> Result<OpenedCart, MarketError> {
        let mine = CartAccess {
            actor: Some(actor),
            token: None,
        };
        let mut remember_own = None;
        let mut cart = match keys.own {
            Some(id) => self.cart(id, mine, place.locale).await.ok(),
            None => None,
        };
        if cart.is_none() {
            // Signed in on another device, or the cookie was lost: the buyer's latest cart.
            cart = self.latest_cart(actor, place.locale).await?;
            remember_own = cart.as_ref().map(|c| c.id.clone());
        }
        if let Some(guest) = keys.guest {
            let (taken, claimed) = self.take_over(actor, guest, cart, place.locale).await?;
            cart = taken;
            remember_own = claimed.or(remember_own);
        }
        let cart = match cart {
            Some(c) => self.fit(c, mine, place).await?,
            None => {
                let created = self.create_cart(Some(actor), new_cart(place), place.locale);
                let created = created.await?.cart;
                remember_own = Some(created.id.clone());
                created
            }
        };
        Ok(OpenedCart {
            cart,
            token: None,
            remember_own,
            remember_guest: None,
            forget_guest: keys.guest.is_some(),
        })
    }

    /// A guest cart reaches a buyer who signed in: claimed when they have no cart (its id is
    /// returned to remember), else its lines join theirs.
    async fn take_over(
        &self,
        actor: &Actor,
        (guest_id, token): (&str, &str),
        own: Option<CartView>,
        locale: Locale,
    ) -> Result<(Option<CartView>, Option<String>), MarketError> {
        let Some(own) = own else {
            let claimed = self
                .claim_cart(guest_id, actor, Some(token), locale)
                .await
                .ok();
            let id = claimed.as_ref().map(|c| c.id.clone());
            return Ok((claimed, id));
        };
        let guest = CartAccess {
            actor: None,
            token: Some(token),
        };
        let Ok(g) = self.cart(guest_id, guest, locale).await else {
            return Ok((Some(own), None));
        };
        let mine = CartAccess {
            actor: Some(actor),
            token: None,
        };
        for l in g.groups.iter().flat_map(|g| &g.lines) {
            let already = own
                .groups
                .iter()
                .flat_map(|g| &g.lines)
                .find(|o| o.variant_id == l.variant_id)
                .map_or(0, |o| o.quantity);
            let line = LineInput {
                variant_id: l.variant_id.clone(),
                quantity: (already + l.quantity).min(MAX_QUANTITY),
            };
            // A line that no longer fits (sold out meanwhile) is dropped; either way it leaves
            // the guest cart, so a second pass never adds it twice.
            let _ = self.set_cart_line(&own.id, mine, line, locale).await;
            let gone = LineInput {
                variant_id: l.variant_id.clone(),
                quantity: 0,
            };
            let _ = self.set_cart_line(guest_id, guest, gone, locale).await;
        }
        Ok((self.cart(&own.id, mine, locale).await.ok(), None))
    }

    /// Adds `more` units of a variant to an opened cart (on top of what it already holds).
    pub async fn add_to_cart(
        &self,
        opened: &OpenedCart,
        actor: Option<&Actor>,
        variant_id: &str,
        more: i64,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        let already = opened
            .cart
            .groups
            .iter()
            .flat_map(|g| &g.lines)
            .find(|l| l.variant_id == variant_id)
            .map_or(0, |l| l.quantity);
        let line = LineInput {
            variant_id: variant_id.to_owned(),
            quantity: already.saturating_add(more),
        };
        self.set_cart_line(&opened.cart.id, opened.access(actor), line, locale)
            .await
    }

    /// Takes a variant out of an opened cart.
    pub async fn remove_from_cart(
        &self,
        opened: &OpenedCart,
        actor: Option<&Actor>,
        variant_id: &str,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        let line = LineInput {
            variant_id: variant_id.to_owned(),
            quantity: 0,
        };
        self.set_cart_line(&opened.cart.id, opened.access(actor), line, locale)
            .await
    }

    /// Brings a cart to the place asked for.
    async fn fit(
        &self,
        cart: CartView,
        access: CartAccess<'_>,
        place: &CartPlace,
    ) -> Result<CartView, MarketError> {
        if cart.country == place.country && cart.currency == place.currency {
            return Ok(cart);
        }
        let patch = CartPatch {
            country: Some(place.country.clone()),
            currency: Some(place.currency.clone()),
        };
        self.update_cart(&cart.id, access, patch, place.locale)
            .await
    }
}

fn new_cart(place: &CartPlace) -> NewCart {
    NewCart {
        country: place.country.clone(),
        currency: Some(place.currency.clone()),
    }
}
