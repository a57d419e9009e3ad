//! The seller centre's product editor: title and description in any of the languages, weight and
//! image addresses; every variant's SKU, price and stock; new variants with an option (colour,
//! size…). Publication stays on the dashboard.

use super::chrome::{Chrome, LANGUAGES};
use super::i18n::Tr;
use super::prefs::Prefs;
use super::seller::parse_price;
use super::session::{check_csrf, see_other, Session};
use super::{html, message, not_found};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use caravan_market::catalogue::{NewVariant, ProductPatch, TextInput, VariantPatch};
use caravan_market::ErrorKind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One variant row of the editor.
struct VariantRow {
    id: String,
    sku: String,
    options: String,
    price: String,
    stock: i64,
}

#[derive(Template)]
#[template(path = "listing.html")]
struct Editor {
    tr: Tr,
    chrome: Chrome,
    id: String,
    status: String,
    /// The language being edited and its text.
    lang: String,
    title: String,
    description: String,
    /// (code, name, has a text).
    languages: Vec<(&'static str, &'static str, bool)>,
    weight_grams: i64,
    images: String,
    /// The images as the gallery shows them.
    gallery: Vec<String>,
    variants: Vec<VariantRow>,
    price_label: String,
    saved: bool,
}

/// Which language to edit, and whether something was just saved.
#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    lang: Option<String>,
    saved: Option<String>,
}

/// Writes a price in minor units the way a seller types it (`12.50`).
fn decimal(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let unit = 10i64.pow(exponent);
    format!(
        "{}.{:0width$}",
        minor / unit,
        minor % unit,
        width = exponent as usize
    )
}

/// `GET /seller/products/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Response {
    let Some(actor) = &session.0 else {
        return see_other(&format!("/login?back=%2Fseller%2Fproducts%2F{id}"), &[]);
    };
    let p = match state.market.own_product(actor, &id, prefs.locale).await {
        Ok(p) => p,
        Err(e) if e.kind() == ErrorKind::NotFound || e.kind() == ErrorKind::Invalid => {
            return not_found(&state, &headers, &prefs, &session).await
        }
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    };
    let tr = Tr::new(prefs.locale);
    let lang = q
        .lang
        .filter(|l| LANGUAGES.iter().any(|(c, _)| c == l))
        .unwrap_or_else(|| p.locale.clone());
    let text = p.texts.get(&lang);
    let currency = p.price_from.currency.clone();
    let exponent = caravan_domain::Currency::parse(&currency)
        .map(|c| c.exponent())
        .unwrap_or(2);
    let page = Editor {
        id: p.id.clone(),
        status: tr.t(&format!("status-{}", p.status)),
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        description: text.map(|t| t.description.clone()).unwrap_or_default(),
        languages: LANGUAGES
            .iter()
            .map(|(c, n)| (*c, *n, p.texts.contains_key(*c)))
            .collect(),
        lang,
        weight_grams: p.weight_grams,
        images: p.images.join("\n"),
        gallery: p.images.clone(),
        variants: p
            .variants
            .iter()
            .map(|v| VariantRow {
                id: v.id.clone(),
                sku: v.sku.clone(),
                options: v
                    .options
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                price: decimal(v.price.amount_minor, exponent),
                stock: v.stock,
            })
            .collect(),
        price_label: tr.t1("field-price", "currency", &currency),
        saved: q.saved.is_some(),
        chrome: Chrome::new(
            &state.market,
            &prefs,
            &session,
            &format!("/seller/products/{}", p.id),
            "",
        )
        .await,
        tr,
    };
    html(&headers, &prefs, page.render())
}

/// The text, weight and images form.
#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    csrf: String,
    lang: String,
    title: String,
    description: Option<String>,
    weight_grams: String,
    images: Option<String>,
}

/// `POST /seller/products/{id}`: saves the text in one language, the weight and the images.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<DetailsForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let back = format!("/seller/products/{id}?lang={}", f.lang);
    let tr = Tr::new(prefs.locale);
    let Ok(weight) = f.weight_grams.trim().parse::<i64>() else {
        let text = tr.t("field-weight");
        return message(&state, &headers, &prefs, &session, &text, &back).await;
    };
    let images = f
        .images
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let patch = ProductPatch {
        texts: Some(BTreeMap::from([(
            f.lang.clone(),
            TextInput {
                title: f.title,
                description: f.description.unwrap_or_default(),
            },
        )])),
        weight_grams: Some(weight),
        images: Some(images),
        ..ProductPatch::default()
    };
    match state.market.update_product(actor, &id, patch).await {
        Ok(p) => see_other(
            &format!("/seller/products/{}?lang={}&saved=1", p.id, f.lang),
            &[],
        ),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}

/// A variant's row: SKU, price, stock.
#[derive(Debug, Deserialize)]
pub struct VariantForm {
    csrf: String,
    sku: String,
    price: String,
    stock: String,
    option: Option<String>,
    value: Option<String>,
}

/// What a variant form says, checked: (sku, price in minor units, stock, options).
type Checked = (String, i64, i64, BTreeMap<String, String>);

fn check_variant(f: &VariantForm, currency: &str, tr: &Tr) -> Result<Checked, String> {
    let price = parse_price(&f.price, currency)
        .ok_or_else(|| tr.t1("field-price", "currency", currency))?;
    let stock = f
        .stock
        .trim()
        .parse::<i64>()
        .map_err(|_| tr.t("field-stock"))?;
    let mut options = BTreeMap::new();
    let name = f.option.as_deref().unwrap_or("").trim();
    let value = f.value.as_deref().unwrap_or("").trim();
    if !name.is_empty() || !value.is_empty() {
        options.insert(name.to_owned(), value.to_owned());
    }
    Ok((f.sku.trim().to_owned(), price, stock, options))
}

/// `POST /seller/products/{id}/variants`: adds a variant.
pub async fn add_variant(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<VariantForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let back = format!("/seller/products/{id}");
    let currency = match state.market.my_merchant(actor).await {
        Ok(m) => m.settlement_currency,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, &back).await,
    };
    let (sku, price_minor, stock, options) =
        match check_variant(&f, &currency, &Tr::new(prefs.locale)) {
            Ok(c) => c,
            Err(text) => return message(&state, &headers, &prefs, &session, &text, &back).await,
        };
    let v = NewVariant {
        sku,
        options,
        price_minor,
        currency: Some(currency),
        stock,
    };
    match state.market.add_variant(actor, &id, v).await {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}

/// `POST /seller/variants/{id}`: changes a variant's SKU, price and stock.
pub async fn update_variant(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    Form(f): Form<VariantForm>,
) -> Response {
    if let Some(r) = check_csrf(&prefs, &f.csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let currency = match state.market.my_merchant(actor).await {
        Ok(m) => m.settlement_currency,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    };
    let (sku, price_minor, stock, _) = match check_variant(&f, &currency, &Tr::new(prefs.locale)) {
        Ok(c) => c,
        Err(text) => return message(&state, &headers, &prefs, &session, &text, "/seller").await,
    };
    let patch = VariantPatch {
        sku: Some(sku),
        price_minor: Some(price_minor),
        stock: Some(stock),
        ..VariantPatch::default()
    };
    match state.market.update_variant(actor, &id, patch).await {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    }
}

/// `POST /seller/products/{id}/images` (multipart: `csrf` and `file`): uploads a photo and adds
/// it to the product's gallery.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    prefs: Prefs,
    session: Session,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let back = format!("/seller/products/{id}");
    let mut csrf = String::new();
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => match field.bytes().await {
                    Ok(b) => file = Some(b),
                    Err(e) => {
                        let text = e.body_text();
                        return message(&state, &headers, &prefs, &session, &text, &back).await;
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(e) => {
                let text = e.body_text();
                return message(&state, &headers, &prefs, &session, &text, &back).await;
            }
        }
    }
    if let Some(r) = check_csrf(&prefs, &csrf) {
        return r;
    }
    let Some(actor) = &session.0 else {
        return see_other("/login", &[]);
    };
    let tr = Tr::new(prefs.locale);
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        let text = tr.t("upload-choose");
        return message(&state, &headers, &prefs, &session, &text, &back).await;
    };
    // The gallery must have room before the file is stored.
    let mut images = match state.market.own_product(actor, &id, prefs.locale).await {
        Ok(p) => p.images,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, "/seller").await,
    };
    if images.len() >= caravan_domain::catalogue::MAX_IMAGES {
        let text = tr.t("upload-gallery-full");
        return message(&state, &headers, &prefs, &session, &text, &back).await;
    }
    let uploaded = match state.market.upload_image(actor, file.to_vec()).await {
        Ok(v) => v,
        Err(e) => return message(&state, &headers, &prefs, &session, &e.message, &back).await,
    };
    images.push(uploaded.url);
    let patch = ProductPatch {
        images: Some(images),
        ..ProductPatch::default()
    };
    match state.market.update_product(actor, &id, patch).await {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) => message(&state, &headers, &prefs, &session, &e.message, &back).await,
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn prices_as_sellers_type_them() {
        assert_eq!(decimal(1250, 2), "12.50");
        assert_eq!(decimal(5, 2), "0.05");
        assert_eq!(decimal(500, 0), "500");
        assert_eq!(decimal(1234, 3), "1.234");
    }
}
