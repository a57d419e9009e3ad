//! Buying in the browser: the cart grouped by store with a shipping choice per store, checkout
//! with an address and the sandbox payment, and the buyer's orders with receipt confirmation.

use super::chrome::Chrome;
use super::extract::{CsrfForm, NoFields, Page, SignedIn};
use super::i18n::Tr;
use super::prefs::{cookie, is_secure};
use super::session::{local, see_other};
use super::waiting::{gate, queue_busy, with_cookies, Gate};
use askama::Template;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::cart_session::{CartKeys, CartPlace, OpenedCart};
use caravan_market::carts::CartView;
use caravan_market::checkout::{Address, CheckoutRequest, DonationInput};
use caravan_market::idempotency::IdempotencyKey;
use caravan_market::Code;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Cookie naming the signed-in buyer's cart.
const CART_COOKIE: &str = "caravan_cart";
/// Cookie holding a guest cart as `<cart id>.<secret token>` (HttpOnly: scripts never see it).
const GUEST_COOKIE: &str = "caravan_guest";

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<u32>) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{}{}",
        max_age
            .map(|a| format!("; Max-Age={a}"))
            .unwrap_or_default(),
        if is_secure(headers) { "; Secure" } else { "" }
    )
}

/// The visitor's cart in the chosen country and currency (the market finds, claims, merges or
/// creates it), and the cookies that remember it.
pub(crate) async fn open_cart(
    page: &Page,
) -> Result<(OpenedCart, Vec<String>), caravan_market::MarketError> {
    let headers = &page.headers;
    let keys = CartKeys {
        guest: cookie(headers, GUEST_COOKIE).and_then(|v| v.split_once('.')),
        own: cookie(headers, CART_COOKIE),
    };
    let place = CartPlace {
        country: page.prefs.country.clone(),
        currency: page.prefs.currency.clone(),
        locale: page.prefs.locale,
    };
    let actor = page.session.0.as_ref();
    let opened = page.state.market.open_cart(actor, keys, &place).await?;
    let mut cookies = Vec::new();
    if let Some(id) = &opened.remember_own {
        cookies.push(set_cookie(headers, CART_COOKIE, id, None));
    }
    if opened.forget_guest {
        cookies.push(set_cookie(headers, GUEST_COOKIE, "", Some(0)));
    }
    if let Some((id, token)) = &opened.remember_guest {
        cookies.push(set_cookie(
            headers,
            GUEST_COOKIE,
            &format!("{id}.{token}"),
            None,
        ));
    }
    Ok((opened, cookies))
}

/// Add-to-cart and remove forms.
#[derive(Debug, Deserialize)]
pub struct LineForm {
    variant_id: String,
    quantity: Option<i64>,
    back: Option<String>,
}

/// `POST /cart/add`: more of a variant (one unless the form says how many).
pub async fn add(page: Page, CsrfForm(f): CsrfForm<LineForm>) -> Response {
    let more = f.quantity.unwrap_or(1);
    set_line(page, f, Some(more)).await
}

/// `POST /cart/remove`.
pub async fn remove(page: Page, CsrfForm(f): CsrfForm<LineForm>) -> Response {
    set_line(page, f, None).await
}

/// Adds `more` of the form's variant to the visitor's cart, or removes it (`None`).
async fn set_line(page: Page, f: LineForm, more: Option<i64>) -> Response {
    let back = local(f.back);
    let (open, cookies) = match open_cart(&page).await {
        Ok(c) => c,
        Err(e) => return page.message(&e.message, &back).await,
    };
    let actor = page.session.0.as_ref();
    let m = &page.state.market;
    let r = match more {
        Some(n) => {
            m.add_to_cart(&open, actor, &f.variant_id, n, page.prefs.locale)
                .await
        }
        None => {
            m.remove_from_cart(&open, actor, &f.variant_id, page.prefs.locale)
                .await
        }
    };
    match r {
        Ok(_) => see_other("/cart", &cookies),
        Err(e) => page.message(&e.message, &back).await,
    }
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
    /// A cause collecting now the buyer may round up for: (slug, "Round up for …").
    round_up: Option<(String, String)>,
}

struct GroupRow {
    merchant_id: String,
    merchant: String,
    lines: Vec<(String, String, String, i64, String)>,
    options: Vec<(String, String, bool)>,
}

/// `GET /cart`.
pub async fn cart(page: Page) -> Response {
    let guest_cookie = cookie(&page.headers, GUEST_COOKIE).is_some();
    let (cart, cookies) = if page.session.0.is_none() && !guest_cookie {
        // A visitor who never added anything sees an empty cart; no row is written for them.
        let prefs = &page.prefs;
        let empty = CartView {
            id: String::new(),
            country: prefs.country.clone(),
            currency: prefs.currency.clone(),
            groups: Vec::new(),
            goods_total: caravan_market::catalogue::MoneyView::new(0, &prefs.currency),
        };
        (empty, Vec::new())
    } else {
        match open_cart(&page).await {
            Ok((open, cookies)) => (open.cart, cookies),
            Err(e) => return page.failed(e, "/").await,
        }
    };
    let mut cookies = cookies;
    match gate(&page, &cart, "/cart").await {
        Gate::Pass(ticket) => cookies.push(ticket),
        Gate::Wait(res) => return with_cookies(res, &cookies),
    }
    let body = match cart_page(&page, &cart).await {
        Ok(body) => body,
        Err(e) => return page.failed(e, "/").await,
    };
    with_cookies(page.html(body.render()), &cookies)
}

async fn cart_page(page: &Page, cart: &CartView) -> Result<CartPage, caravan_market::MarketError> {
    let tr = page.tr();
    let actor = page.session.0.as_ref();
    // The form starts from the newest saved address in the ship-to country.
    let (me, address) = match actor {
        Some(a) => {
            let name = page.state.market.me(a).await?.display_name;
            let saved = page.state.market.addresses(a).await?;
            let here = saved
                .into_iter()
                .map(|s| s.address)
                .find(|a| a.country == page.prefs.country);
            (name, here)
        }
        None => (String::new(), None),
    };
    let total = tr.money(cart.goods_total.amount_minor, &cart.goods_total.currency);
    let causes = page.state.market.causes(page.prefs.locale).await?;
    let round_up = causes
        .into_iter()
        .find(|c| c.state == "collecting")
        .map(|c| (c.slug, tr.t1("checkout-round-up", "cause", &c.name)));
    Ok(CartPage {
        round_up,
        groups: cart.groups.iter().map(|g| group_row(g, tr)).collect(),
        total: tr.t1("cart-total", "total", &total),
        // Time-ordered (48-bit milliseconds, then 128 random bits): it appends to the
        // idempotency index instead of landing on a random page of it (ADR 0004).
        key: caravan_domain::id::time_ordered_hex(),
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
        chrome: page.chrome("/cart").await,
        tr,
    })
}

fn group_row(g: &caravan_market::carts::CartGroupView, tr: Tr) -> GroupRow {
    let line = |l: &caravan_market::carts::CartLineView| {
        let opts: Vec<String> = l.options.values().cloned().collect();
        (
            l.variant_id.clone(),
            l.title.clone(),
            opts.join(", "),
            l.quantity,
            tr.money(l.total.amount_minor, &l.total.currency),
        )
    };
    let option = |(i, o): (usize, &caravan_market::carts::ShippingOptionView)| {
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
        let method = tr.t(&format!("method-{}", o.method));
        (
            o.method.clone(),
            format!("{method} · {price} · {days}"),
            i == 0,
        )
    };
    GroupRow {
        merchant_id: g.merchant.id.clone(),
        merchant: g.merchant.store_name.clone(),
        lines: g.lines.iter().map(line).collect(),
        options: g.shipping_options.iter().enumerate().map(option).collect(),
    }
}

/// The checkout form: address, a method per store (`ship_<merchant id>`), payment.
#[derive(Debug, Deserialize)]
pub struct CheckoutForm {
    key: IdempotencyKey,
    name: String,
    line1: String,
    city: String,
    postal_code: String,
    save_address: Option<String>,
    /// Coupon codes, separated by spaces or commas.
    coupons: Option<String>,
    /// A creator's checkout code.
    creator_code: Option<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

/// `POST /checkout`: one order per store, paid with the sandbox; the form's key makes a double
/// submit place the orders once.
pub async fn checkout(
    page: Page,
    SignedIn(actor): SignedIn,
    CsrfForm(f): CsrfForm<CheckoutForm>,
) -> Response {
    let cart = match open_cart(&page).await {
        Ok((open, _)) => open.cart,
        Err(e) => return page.message(&e.message, "/cart").await,
    };
    if let Gate::Wait(res) = gate(&page, &cart, "/cart").await {
        return res;
    }
    let (req, keep) = checkout_request(&page, &cart.id, &f);
    let hash = format!("page:{}:{}", cart.id, f.key.as_str());
    let m = &page.state.market;
    match m
        .checkout(&actor, &f.key, &hash, req, page.prefs.locale)
        .await
    {
        Ok(r) if r.status < 300 => {
            if let Some(a) = keep {
                // The order stands either way; a full address book only means it is not kept.
                if let Err(e) = m.add_address(&actor, a).await {
                    tracing::info!(code = %e.code, "checkout address not saved");
                }
            }
            see_other("/orders?placed=1", &[])
        }
        Ok(r) => {
            let text = super::replay_error(&r.body, "checkout failed");
            page.message(&text, "/cart").await
        }
        Err(e) if e.code == Code::Overloaded => queue_busy(&page, "/cart"),
        Err(e) => {
            page.message(
                &super::said(page.prefs.locale, &e, &CHECKOUT_CODES),
                "/cart",
            )
            .await
        }
    }
}

/// The checkout request of the form, and the address to keep if the buyer asked.
fn checkout_request(
    page: &Page,
    cart_id: &str,
    f: &CheckoutForm,
) -> (CheckoutRequest, Option<Address>) {
    let shipping = f
        .rest
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("ship_").map(|m| (m.to_owned(), v.clone())))
        .collect();
    let address = Address {
        name: f.name.clone(),
        line1: f.line1.clone(),
        line2: None,
        city: f.city.clone(),
        postal_code: f.postal_code.clone(),
        country: page.prefs.country.clone(),
        phone: None,
    };
    let keep = f.save_address.is_some().then(|| address.clone());
    let req = CheckoutRequest {
        cart_id: Some(cart_id.to_owned()),
        items: None,
        currency: Some(page.prefs.currency.clone()),
        shipping,
        address,
        payment_method: "pm_sandbox_success".to_owned(),
        coupons: f
            .coupons
            .as_deref()
            .unwrap_or_default()
            .split([' ', ','])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        creator_code: f.creator_code.clone().filter(|c| !c.trim().is_empty()),
        donation: f.rest.get("round_up").map(|cause| DonationInput {
            cause: cause.clone(),
            kind: "round_up".to_owned(),
            amount_minor: None,
        }),
        referral: super::connect::referral(&page.headers),
    };
    (req, keep)
}

/// The checkout refusals the cart page says in the buyer's language.
const CHECKOUT_CODES: [Code; 7] = [
    Code::UnknownCreatorCode,
    Code::CouponNotApplicable,
    Code::CouponExhausted,
    Code::CouponLimitReached,
    Code::CouponNotCollected,
    Code::DealSoldOut,
    Code::DealLimitReached,
];

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
    page: Page,
    SignedIn(actor): SignedIn,
    axum::extract::Query(p): axum::extract::Query<Placed>,
) -> Response {
    let list = match page.state.market.my_orders(&actor).await {
        Ok(list) => list,
        Err(e) => return page.failed(e, "/").await,
    };
    let tr = page.tr();
    let body = OrdersPage {
        placed: p.placed.is_some(),
        orders: rows(&list, tr, true),
        chrome: page.chrome("/orders").await,
        tr,
    };
    page.html(body.render())
}

/// `POST /orders/{id}/confirm`: the buyer confirms receipt; the order completes.
pub async fn confirm(
    page: Page,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let r = page.state.market.confirm_receipt(&actor, &id).await;
    page.done(r.map(|_| ()), "/orders", "/orders").await
}
