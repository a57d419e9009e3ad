//! Buying in the browser: the cart grouped by store with a shipping choice per store, checkout
//! with an address and the sandbox payment, and the buyer's orders with receipt confirmation.

use super::addresses::latest_in;
use super::chrome::Chrome;
use super::i18n::Tr;
use super::prefs::{cookie, is_secure, Prefs};
use super::session::{check_csrf, local, see_other, Session, TokenForm};
use super::{html, message};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::accounts::Actor;
use caravan_market::carts::{CartAccess, CartPatch, CartView, LineInput, NewCart};
use caravan_market::checkout::{Address, CheckoutRequest};
use caravan_market::idempotency::IdempotencyKey;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Cookie naming the signed-in buyer's cart.
const CART_COOKIE: &str = "caravan_cart";
/// Cookie holding a guest cart as `<cart id>.<secret token>` (HttpOnly: scripts never see it).
const GUEST_COOKIE: &str = "caravan_guest";

pub(crate) fn login_first(back: &str) -> Response {
    let q = serde_urlencoded::to_string([("back", back)]).unwrap_or_default();
    see_other(&format!("/login?{q}"), &[])
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<u32>) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{}{}",
        max_age
            .map(|a| format!("; Max-Age={a}"))
            .unwrap_or_default(),
        if is_secure(headers) { "; Secure" } else { "" }
    )
}

/// The cart a request works on, how to reach it, and the cookies to set.
struct OpenCart {
    cart: CartView,
    /// The guest token (guests only).
    token: Option<String>,
    cookies: Vec<String>,
}

impl OpenCart {
    fn access<'a>(&'a self, actor: Option<&'a Actor>) -> CartAccess<'a> {
        CartAccess {
            actor,
            token: self.token.as_deref(),
        }
    }
}

/// Brings a cart to the chosen country and currency.
async fn fit(
    state: &AppState,
    prefs: &Prefs,
    cart: CartView,
    access: CartAccess<'_>,
) -> Result<CartView, caravan_market::MarketError> {
    if cart.country == prefs.country && cart.currency == prefs.currency {
        return Ok(cart);
    }
    let patch = CartPatch {
        country: Some(prefs.country.clone()),
        currency: Some(prefs.currency.clone()),
    };
    state
        .market
        .update_cart(&cart.id, access, patch, prefs.locale)
        .await
}

/// The visitor's cart in the chosen country and currency, created when there is none. A guest's
/// cart lives behind its secret token; when the guest signs in, it becomes theirs (or its lines
/// join the cart they already had).
async fn open_cart(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    actor: Option<&Actor>,
) -> Result<OpenCart, caravan_market::MarketError> {
    let m = &state.market;
    let guest = cookie(headers, GUEST_COOKIE).and_then(|v| v.split_once('.'));
    let Some(actor) = actor else {
        if let Some((id, token)) = guest {
            let access = CartAccess {
                actor: None,
                token: Some(token),
            };
            if let Ok(cart) = m.cart(id, access, prefs.locale).await {
                return Ok(OpenCart {
                    cart: fit(state, prefs, cart, access).await?,
                    token: Some(token.to_owned()),
                    cookies: Vec::new(),
                });
            }
        }
        let created = m
            .create_cart(
                None,
                NewCart {
                    country: prefs.country.clone(),
                    currency: Some(prefs.currency.clone()),
                },
                prefs.locale,
            )
            .await?;
        let token = created.token.unwrap_or_default();
        let value = format!("{}.{token}", created.cart.id);
        return Ok(OpenCart {
            cookies: vec![set_cookie(headers, GUEST_COOKIE, &value, None)],
            cart: created.cart,
            token: Some(token),
        });
    };
    let mine = CartAccess {
        actor: Some(actor),
        token: None,
    };
    let mut cookies = Vec::new();
    let mut cart = match cookie(headers, CART_COOKIE) {
        Some(id) => m.cart(id, mine, prefs.locale).await.ok(),
        None => None,
    };
    if cart.is_none() {
        // Signed in on another device, or the cookie was lost: the buyer's own latest cart.
        cart = m.latest_cart(actor, prefs.locale).await?;
        if let Some(c) = &cart {
            cookies.push(set_cookie(headers, CART_COOKIE, &c.id, None));
        }
    }
    if let Some((gid, token)) = guest {
        cookies.push(set_cookie(headers, GUEST_COOKIE, "", Some(0)));
        match &cart {
            None => {
                if let Ok(claimed) = m.claim_cart(gid, actor, Some(token), prefs.locale).await {
                    cookies.push(set_cookie(headers, CART_COOKIE, &claimed.id, None));
                    cart = Some(claimed);
                }
            }
            Some(own) => {
                let access = CartAccess {
                    actor: None,
                    token: Some(token),
                };
                if let Ok(g) = m.cart(gid, access, prefs.locale).await {
                    for l in g.groups.iter().flat_map(|g| &g.lines) {
                        let already = own
                            .groups
                            .iter()
                            .flat_map(|g| &g.lines)
                            .find(|o| o.variant_id == l.variant_id)
                            .map_or(0, |o| o.quantity);
                        let line = LineInput {
                            variant_id: l.variant_id.clone(),
                            quantity: (already + l.quantity).min(99),
                        };
                        // A line that no longer fits (sold out meanwhile) is dropped; either
                        // way it leaves the guest cart, so a second pass never adds it twice.
                        let _ = m.set_cart_line(&own.id, mine, line, prefs.locale).await;
                        let gone = LineInput {
                            variant_id: l.variant_id.clone(),
                            quantity: 0,
                        };
                        let _ = m.set_cart_line(gid, access, gone, prefs.locale).await;
                    }
                    cart = m.cart(&own.id, mine, prefs.locale).await.ok();
                }
            }
        }
    }
    if let Some(cart) = cart {
        return Ok(OpenCart {
            cart: fit(state, prefs, cart, mine).await?,
            token: None,
            cookies,
        });
    }
    let created = m
        .create_cart(
            Some(actor),
            NewCart {
                country: prefs.country.clone(),
                currency: Some(prefs.currency.clone()),
            },
            prefs.locale,
        )
        .await?;
    cookies.push(set_cookie(headers, CART_COOKIE, &created.cart.id, None));
    Ok(OpenCart {
        cart: created.cart,
        token: None,
        cookies,
    })
}

/// Add-to-cart and remove forms.
#[derive(Debug, Deserialize)]
pub struct LineForm {
    csrf: String,
    variant_id: String,
    quantity: Option<i64>,
    back: Option<String>,
}

async fn set_line(
    state: &AppState,
    headers: &HeaderMap,
    prefs: &Prefs,
    session: &Session,
    f: LineForm,
    remove: bool,
) -> Response {
    if let Some(r) = check_csrf(prefs, &f.csrf) {
        return r;
    }
    let back = local(f.back.clone());
    let actor = session.0.as_ref();
    let open = match open_cart(state, headers, prefs, actor).await {
        Ok(c) => c,
        Err(e) => return message(state, headers, prefs, session, &e.message, &back).await,
    };
    let already = open
        .cart
        .groups
        .iter()
        .flat_map(|g| &g.lines)
        .find(|l| l.variant_id == f.variant_id)
        .map_or(0, |l| l.quantity);
    let quantity = if remove {
        0
    } else {
        already + f.quantity.unwrap_or(1)
    };
    let line = LineInput {
        variant_id: f.variant_id,
        quantity,
    };
    match state
        .market
        .set_cart_line(&open.cart.id, open.access(actor), line, prefs.locale)
        .await
    {
        Ok(_) => see_other("/cart", &open.cookies),
        Err(e) => message(state, headers, prefs, session, &e.message, &back).await,
    }
}

/// `POST /cart/add`.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<LineForm>,
) -> Response {
    set_line(&state, &headers, &prefs, &session, f, false).await
}

/// `POST /cart/remove`.
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<LineForm>,
) -> Response {
    set_line(&state, &headers, &prefs, &session, f, true).await
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage {
    tr: Tr,
    chrome: Chrome,
    groups: Vec<GroupRow>,
    total: String,
    key: String,
    name: String,
    line1: String,
    city: String,
    postal_code: String,
    /// "Save this address" starts ticked when none is saved for this country.
    save_address: bool,
    /// Guests see their cart and are asked to log in to check out.
    signed_in: bool,
}

struct GroupRow {
    merchant_id: String,
    merchant: String,
    lines: Vec<(String, String, String, i64, String)>,
    options: Vec<(String, String, bool)>,
}

/// `GET /cart`.
pub async fn cart(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
) -> Response {
    let actor = session.0.as_ref();
    let tr = Tr::new(prefs.locale);
    let (cart, cookies) = if actor.is_none() && cookie(&headers, GUEST_COOKIE).is_none() {
        // A visitor who never added anything sees an empty cart; no row is written for them.
        let empty = CartView {
            id: String::new(),
            country: prefs.country.clone(),
            currency: prefs.currency.clone(),
            groups: Vec::new(),
            goods_total: caravan_market::catalogue::MoneyView::new(0, &prefs.currency),
        };
        (empty, Vec::new())
    } else {
        match open_cart(&state, &headers, &prefs, actor).await {
            Ok(c) => (c.cart, c.cookies),
            Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/").await,
        }
    };
    let groups = cart
        .groups
        .iter()
        .map(|g| GroupRow {
            merchant_id: g.merchant.id.clone(),
            merchant: g.merchant.store_name.clone(),
            lines: g
                .lines
                .iter()
                .map(|l| {
                    let opts: Vec<String> = l.options.values().cloned().collect();
                    (
                        l.variant_id.clone(),
                        l.title.clone(),
                        opts.join(", "),
                        l.quantity,
                        tr.money(l.total.amount_minor, &l.total.currency),
                    )
                })
                .collect(),
            options: g
                .shipping_options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let price = if o.price.amount_minor == 0 {
                        tr.t("free")
                    } else {
                        tr.money(o.price.amount_minor, &o.price.currency)
                    };
                    let days = tr.t2(
                        "product-delivery-days",
                        ("min", &o.min_days.to_string()),
                        ("max", &o.max_days.to_string()),
                    );
                    (
                        o.method.clone(),
                        format!(
                            "{} · {price} · {days}",
                            tr.t(&format!("method-{}", o.method))
                        ),
                        i == 0,
                    )
                })
                .collect(),
        })
        .collect();
    // Time-ordered (48-bit milliseconds, then 128 random bits): it appends to the idempotency
    // index instead of landing on a random page of it (docs/decisions/0004).
    let key = caravan_domain::id::time_ordered_hex();
    // The form starts from the newest saved address in the ship-to country.
    let (me, address) = match actor {
        Some(a) => {
            let name = state
                .market
                .me(a)
                .await
                .map(|u| u.display_name)
                .unwrap_or_default();
            (name, latest_in(&state.market, a, &prefs.country).await)
        }
        None => (String::new(), None),
    };
    let page = CartPage {
        groups,
        total: tr.t1(
            "cart-total",
            "total",
            &tr.money(cart.goods_total.amount_minor, &cart.goods_total.currency),
        ),
        key,
        name: address.as_ref().map_or(me, |a| a.name.clone()),
        line1: address
            .as_ref()
            .map(|a| a.line1.clone())
            .unwrap_or_default(),
        city: address.as_ref().map(|a| a.city.clone()).unwrap_or_default(),
        postal_code: address
            .as_ref()
            .map(|a| a.postal_code.clone())
            .unwrap_or_default(),
        save_address: address.is_none(),
        signed_in: actor.is_some(),
        chrome: Chrome::new(&state.market, &prefs, &session, "/cart", "").await,
        tr,
    };
    let mut res = html(&headers, &prefs, page.render());
    for c in cookies {
        if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
            res.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    res
}

/// The checkout form: address, a method per store (`ship_<merchant id>`), payment.
#[derive(Debug, Deserialize)]
pub struct CheckoutForm {
    csrf: String,
    key: IdempotencyKey,
    name: String,
    line1: String,
    city: String,
    postal_code: String,
    save_address: Option<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

/// `POST /checkout`: one order per store, paid with the sandbox; the form's key makes a double
/// submit place the orders once.
pub async fn checkout(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Form(f): Form<CheckoutForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return login_first("/cart");
    };
    let cart = match open_cart(&state, &headers, &prefs, Some(actor)).await {
        Ok(c) => c.cart,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/cart").await,
    };
    let shipping = f
        .rest
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("ship_").map(|m| (m.to_owned(), v.clone())))
        .collect();
    let req = CheckoutRequest {
        cart_id: Some(cart.id.clone()),
        items: None,
        currency: Some(prefs.currency.clone()),
        shipping,
        address: Address {
            name: f.name,
            line1: f.line1,
            line2: None,
            city: f.city,
            postal_code: f.postal_code,
            country: prefs.country.clone(),
            phone: None,
        },
        payment_method: "pm_sandbox_success".to_owned(),
    };
    let hash = format!("page:{}:{}", cart.id, f.key.as_str());
    let keep = f.save_address.is_some().then(|| req.address.clone());
    match state
        .market
        .checkout(actor, &f.key, &hash, req, prefs.locale)
        .await
    {
        Ok(r) if r.status < 300 => {
            if let Some(a) = keep {
                // The order stands either way; a full address book only means it is not kept.
                if let Err(e) = state.market.add_address(actor, a).await {
                    tracing::info!(code = %e.code, "checkout address not saved");
                }
            }
            see_other("/orders?placed=1", &[])
        }
        Ok(r) => {
            let text = super::replay_error(&r.body, "checkout failed");
            message(&state, &headers, &prefs, &session, &text, "/cart").await
        }
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/cart").await,
    }
}

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    tr: Tr,
    chrome: Chrome,
    placed: bool,
    orders: Vec<OrderRow>,
}

/// An order as the pages show it (buyer and seller).
pub struct OrderRow {
    /// `ord_…`.
    pub id: String,
    /// Machine status.
    pub status: String,
    /// Localised status.
    pub status_label: String,
    /// What the buyer paid, in their currency.
    pub total: String,
    /// Title × quantity per line.
    pub lines: Vec<String>,
    /// Carrier and tracking number, once shipped.
    pub tracking: Option<String>,
}

/// Rows for a list of orders.
pub fn rows(orders: &[caravan_market::orders::OrderView], tr: Tr, buyer: bool) -> Vec<OrderRow> {
    orders
        .iter()
        .map(|o| OrderRow {
            id: o.id.clone(),
            status: o.status.clone(),
            status_label: tr.t(&format!("status-{}", o.status)),
            total: if buyer {
                tr.money(
                    o.presentment_total.amount_minor,
                    &o.presentment_total.currency,
                )
            } else {
                tr.money(o.total.amount_minor, &o.total.currency)
            },
            lines: o
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.title, l.quantity))
                .collect(),
            tracking: o.tracking_number.as_ref().map(|n| {
                tr.t2(
                    "order-tracking",
                    ("carrier", o.carrier.as_deref().unwrap_or("")),
                    ("number", n),
                )
            }),
        })
        .collect()
}

/// Shows that the orders were just placed.
#[derive(Debug, Default, Deserialize)]
pub struct Placed {
    placed: Option<String>,
}

/// `GET /orders`.
pub async fn orders(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    axum::extract::Query(p): axum::extract::Query<Placed>,
) -> Response {
    let Some(actor) = &session.0 else {
        return login_first("/orders");
    };
    let tr = Tr::new(prefs.locale);
    let list = state.market.my_orders(actor).await.unwrap_or_default();
    let page = OrdersPage {
        placed: p.placed.is_some(),
        orders: rows(&list, tr, true),
        chrome: Chrome::new(&state.market, &prefs, &session, "/orders", "").await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// `POST /orders/{id}/confirm`: the buyer confirms receipt; the order completes.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return login_first("/orders");
    };
    match state.market.confirm_receipt(actor, &id).await {
        Ok(_) => see_other("/orders", &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/orders").await,
    }
}
