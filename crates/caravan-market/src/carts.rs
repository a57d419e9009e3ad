//! Carts for signed-in buyers and guests (a guest reaches its cart with a secret token), with
//! lines from many merchants, priced on the server and grouped by merchant with shipping options.

use crate::accounts::{token_hash, Actor};
use crate::catalogue::{MerchantRef, MoneyView};
use crate::pricing::{Destination, PricedCart};
use crate::Code;
use crate::{Market, MarketError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use caravan_domain::id::{CartId, TypedId, VariantId};
use caravan_domain::pricing::checked_sum;
use caravan_domain::{Country, Currency, Locale};
use caravan_store::commerce::CartRecord;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most units of one variant in a cart.
pub const MAX_QUANTITY: i64 = 99;
/// Most lines in a cart.
pub const MAX_LINES: usize = 100;

/// A new cart.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCart {
    /// Ship-to country (alpha-2).
    pub country: String,
    /// Display currency (ISO 4217); EUR if absent.
    pub currency: Option<String>,
}

/// Changes to a cart's destination or display currency.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartPatch {
    /// Ship-to country.
    pub country: Option<String>,
    /// Display currency.
    pub currency: Option<String>,
}

/// Sets how many units of a variant are in the cart.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// `var_…`.
    pub variant_id: String,
    /// 1..=99, and no more than in stock.
    pub quantity: i64,
}

/// Who is asking for a cart: the signed-in buyer, or the holder of a guest token.
#[derive(Debug, Clone, Copy, Default)]
pub struct CartAccess<'a> {
    /// The signed-in caller.
    pub actor: Option<&'a Actor>,
    /// The `X-Cart-Token` header.
    pub token: Option<&'a str>,
}

/// A shipping option for one merchant's parcel.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShippingOptionView {
    /// economy, standard or express.
    pub method: String,
    /// Price in the display currency.
    pub price: MoneyView,
    /// Delivery estimate, days.
    pub min_days: i64,
    /// Delivery estimate, days.
    pub max_days: i64,
}

/// A cart line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CartLineView {
    /// `var_…`.
    pub variant_id: String,
    /// `prd_…`.
    pub product_id: String,
    /// SKU code.
    pub sku: String,
    /// Title in the buyer's language.
    pub title: String,
    /// Options (colour, size…).
    pub options: BTreeMap<String, String>,
    /// Units.
    pub quantity: i64,
    /// Unit list price in the store's currency.
    pub unit_price: MoneyView,
    /// Line total in the display currency, after the deal if one applies.
    pub total: MoneyView,
    /// The festival deal the line is priced with (none when no deal is live, it sold out, or
    /// the quantity would pass the buyer's limit: then the normal price is what is charged).
    pub deal: Option<CartDealView>,
    /// Enough stock for the quantity.
    pub in_stock: bool,
    /// Still on sale (published, store active).
    pub purchasable: bool,
}

/// A deal as a cart line shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CartDealView {
    /// `del_…`.
    pub id: String,
    /// Deal price per unit, the store's currency.
    pub unit_price: MoneyView,
    /// The reference price (the lowest of the 30 days before the campaign), the store's currency.
    pub reference_price: MoneyView,
    /// Units one buyer may take.
    pub per_buyer: i64,
    /// RFC 3339: when it stops applying.
    pub ends_at: String,
}

/// One merchant's part of the cart.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CartGroupView {
    /// The store.
    pub merchant: MerchantRef,
    /// Lines.
    pub lines: Vec<CartLineView>,
    /// Goods in the display currency.
    pub goods: MoneyView,
    /// Parcel weight.
    pub weight_grams: i64,
    /// Ways this store ships to the cart's country (empty: it does not).
    pub shipping_options: Vec<ShippingOptionView>,
}

/// A cart, priced.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CartView {
    /// `crt_…`.
    pub id: String,
    /// Ship-to country.
    pub country: String,
    /// Display currency.
    pub currency: String,
    /// Lines grouped by store.
    pub groups: Vec<CartGroupView>,
    /// All goods in the display currency (shipping is chosen at checkout).
    pub goods_total: MoneyView,
}

/// A new cart; `token` is set (once) for guest carts: send it as `X-Cart-Token`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedCart {
    /// The cart.
    pub cart: CartView,
    /// The guest token, shown once.
    pub token: Option<String>,
}

fn cart_id() -> String {
    CartId::generate().to_string()
}

/// Where a cart goes and who buys it (a guest cart has no buyer yet).
fn destination(cart: &CartRecord) -> Result<Destination<'_>, MarketError> {
    Ok(Destination {
        country: Country::parse(&cart.country)?,
        currency: Currency::parse(&cart.currency)?,
        buyer: cart.user_id.as_deref(),
    })
}

pub(crate) fn view(cart: &CartRecord, priced: PricedCart) -> Result<CartView, MarketError> {
    let cur = priced.currency.code();
    let total = checked_sum(priced.groups.iter().map(|g| g.presentment_goods_minor))?;
    Ok(CartView {
        id: cart.id.clone(),
        country: priced.country.code().to_owned(),
        currency: cur.to_owned(),
        goods_total: MoneyView::new(total, cur),
        groups: priced
            .groups
            .into_iter()
            .map(|g| CartGroupView {
                merchant: MerchantRef {
                    id: g.merchant.id.clone(),
                    store_name: g.merchant.store_name.clone(),
                    country: g.merchant.country.clone(),
                },
                goods: MoneyView::new(g.presentment_goods_minor, cur),
                weight_grams: g.weight_grams,
                shipping_options: g
                    .options
                    .iter()
                    .map(|o| ShippingOptionView {
                        method: o.method.as_str().to_owned(),
                        price: MoneyView::new(o.presentment_minor, cur),
                        min_days: o.min_days,
                        max_days: o.max_days,
                    })
                    .collect(),
                lines: g
                    .lines
                    .into_iter()
                    .map(|l| CartLineView {
                        in_stock: l.stock >= l.quantity,
                        unit_price: MoneyView::new(l.unit_minor, g.currency.code()),
                        total: MoneyView::new(l.presentment_minor, cur),
                        deal: l.deal.as_ref().map(|d| CartDealView {
                            id: d.id.clone(),
                            unit_price: MoneyView::new(d.price_minor, g.currency.code()),
                            reference_price: MoneyView::new(d.reference_minor, g.currency.code()),
                            per_buyer: d.per_buyer,
                            ends_at: caravan_domain::rfc3339(d.ends_at()),
                        }),
                        options: serde_json::from_str(&l.options).unwrap_or_default(),
                        variant_id: l.variant_id,
                        product_id: l.product_id,
                        sku: l.sku,
                        title: l.title,
                        quantity: l.quantity,
                        purchasable: l.purchasable,
                    })
                    .collect(),
            })
            .collect(),
    })
}

impl Market {
    /// Creates a cart: the caller's if signed in, else a guest cart with a one-time token.
    pub async fn create_cart(
        &self,
        actor: Option<&Actor>,
        c: NewCart,
        locale: Locale,
    ) -> Result<CreatedCart, MarketError> {
        let country = Country::parse(&c.country)?;
        let currency = c
            .currency
            .as_deref()
            .map(Currency::parse)
            .transpose()?
            .unwrap_or(Currency::EUR);
        let token = actor.is_none().then(|| {
            let mut b = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut b);
            format!("cvc_{}", URL_SAFE_NO_PAD.encode(b))
        });
        let now = self.now();
        let record = CartRecord {
            id: cart_id(),
            user_id: actor.map(|a| a.user_id.to_string()),
            token_hash: token.as_deref().map(token_hash),
            country: country.code().to_owned(),
            currency: currency.code().to_owned(),
            created_at: now,
            updated_at: now,
        };
        self.store.insert_cart(&record).await?;
        let to = Destination {
            country,
            currency,
            buyer: actor.map(|a| a.user_id.as_str()),
        };
        let priced = self.price(&[], to, locale, true).await?;
        Ok(CreatedCart {
            cart: view(&record, priced)?,
            token,
        })
    }

    /// The cart if the caller may see it; anyone else's is `not_found`.
    pub(crate) async fn cart_for(
        &self,
        id: &str,
        access: CartAccess<'_>,
    ) -> Result<CartRecord, MarketError> {
        let not_found = || MarketError::not_found("cart");
        if CartId::parse(id).is_err() {
            return Err(not_found());
        }
        let cart = self.store.cart(id).await?.ok_or_else(not_found)?;
        let by_user =
            matches!((&cart.user_id, access.actor), (Some(u), Some(a)) if *u == a.user_id.as_str());
        let by_token =
            matches!((&cart.token_hash, access.token), (Some(h), Some(t)) if *h == token_hash(t));
        if by_user || by_token {
            Ok(cart)
        } else {
            Err(not_found())
        }
    }

    /// A cart, priced for its country and currency.
    pub async fn cart(
        &self,
        id: &str,
        access: CartAccess<'_>,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        let cart = self.cart_for(id, access).await?;
        self.cart_view(&cart, locale).await
    }

    /// The actor's most recently used cart, priced, if they have one (another device's cart).
    pub async fn latest_cart(
        &self,
        actor: &Actor,
        locale: Locale,
    ) -> Result<Option<CartView>, MarketError> {
        match self.store.latest_cart_of(actor.user_id.as_str()).await? {
            Some(cart) => Ok(Some(self.cart_view(&cart, locale).await?)),
            None => Ok(None),
        }
    }

    async fn cart_view(&self, cart: &CartRecord, locale: Locale) -> Result<CartView, MarketError> {
        let lines = self.store.cart_lines(&cart.id).await?;
        let priced = self.price(&lines, destination(cart)?, locale, true).await?;
        view(cart, priced)
    }

    /// Changes the cart's destination or display currency.
    pub async fn update_cart(
        &self,
        id: &str,
        access: CartAccess<'_>,
        p: CartPatch,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        let mut cart = self.cart_for(id, access).await?;
        if let Some(c) = &p.country {
            cart.country = Country::parse(c)?.code().to_owned();
        }
        if let Some(c) = &p.currency {
            cart.currency = Currency::parse(c)?.code().to_owned();
        }
        cart.updated_at = self.now();
        self.store.update_cart(&cart).await?;
        self.cart_view(&cart, locale).await
    }

    /// Sets a line's quantity (1..=99, never above stock; 0 removes it). Prices come from the
    /// catalogue, never from the client.
    pub async fn set_cart_line(
        &self,
        id: &str,
        access: CartAccess<'_>,
        l: LineInput,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        let cart = self.cart_for(id, access).await?;
        let variant = match VariantId::parse(&l.variant_id) {
            Ok(v) => v,
            // Removing a line that cannot be in the cart leaves the cart as it is.
            Err(_) if l.quantity == 0 => return self.cart_view(&cart, locale).await,
            Err(_) => return Err(crate::pricing::unknown_variant()),
        };
        if !(0..=MAX_QUANTITY).contains(&l.quantity) {
            return Err(MarketError::new(
                Code::InvalidQuantity,
                "a quantity is 1 to 99 (0 removes the line)",
            ));
        }
        if l.quantity > 0 {
            self.check_new_line(&cart, variant.as_str(), l.quantity, locale)
                .await?;
        }
        self.store
            .set_cart_line(&cart.id, variant.as_str(), l.quantity, self.now())
            .await?;
        self.cart_view(&cart, locale).await
    }

    /// Checks a line before it is written: the whole cart with it must price (a total that
    /// would overflow is `amount_out_of_range` and nothing is written), the product be on sale and
    /// in stock, and the cart have room.
    async fn check_new_line(
        &self,
        cart: &CartRecord,
        variant: &str,
        quantity: i64,
        locale: Locale,
    ) -> Result<(), MarketError> {
        let mut items = self.store.cart_lines(&cart.id).await?;
        let is_new = !items.iter().any(|(v, _)| v == variant);
        items.retain(|(v, _)| v != variant);
        items.push((variant.to_owned(), quantity));
        let priced = self.price(&items, destination(cart)?, locale, true).await?;
        let line = priced
            .groups
            .iter()
            .flat_map(|g| &g.lines)
            .find(|x| x.variant_id == variant)
            .ok_or_else(crate::pricing::unknown_variant)?;
        if !line.purchasable {
            return Err(MarketError::new(
                Code::NotPurchasable,
                "this product is not on sale",
            ));
        }
        if line.stock < quantity {
            return Err(MarketError::new(
                Code::OutOfStock,
                format!("only {} in stock", line.stock),
            ));
        }
        if is_new && items.len() > MAX_LINES {
            return Err(MarketError::new(
                Code::CartFull,
                "a cart holds at most 100 lines",
            ));
        }
        Ok(())
    }

    /// A signed-in buyer takes over a guest cart (token required); the token stops working.
    pub async fn claim_cart(
        &self,
        id: &str,
        actor: &Actor,
        token: Option<&str>,
        locale: Locale,
    ) -> Result<CartView, MarketError> {
        // Claiming a cart that is already the caller's changes nothing (a repeated claim).
        let mine = CartAccess {
            actor: Some(actor),
            token: None,
        };
        if let Ok(own) = self.cart_for(id, mine).await {
            if own.user_id.as_deref() == Some(actor.user_id.as_str()) {
                return self.cart_view(&own, locale).await;
            }
        }
        let mut cart = self.cart_for(id, CartAccess { actor: None, token }).await?;
        cart.user_id = Some(actor.user_id.to_string());
        cart.token_hash = None;
        cart.updated_at = self.now();
        self.store.update_cart(&cart).await?;
        self.cart_view(&cart, locale).await
    }
}
