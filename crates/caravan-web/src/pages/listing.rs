//! The seller centre's product editor: title and description in any of the languages, weight and
//! image addresses; every variant's SKU, price and stock; new variants with an option (colour,
//! size…). Publication stays on the dashboard.

use super::chrome::{Chrome, LANGUAGES};
use super::extract::{CsrfForm, Page, Seller};
use super::i18n::Tr;
use super::seller::parse_price;
use super::session::{check_csrf, see_other};
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::Response;
use caravan_market::catalogue::{NewVariant, ProductDetail, ProductPatch, TextInput, VariantPatch};
use caravan_market::{Code, ErrorKind};
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

/// `GET /seller/products/{id}`: the editor, in the language asked for (the product's own by
/// default).
pub async fn edit(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Response {
    let p = match page
        .state
        .market
        .own_product(&actor, &id, page.prefs.locale)
        .await
    {
        Ok(p) => p,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Invalid) => {
            return super::not_found(&page.state, &page.headers, &page.prefs, &page.session).await
        }
        Err(e) => return page.failed(e, "/seller").await,
    };
    let lang = q
        .lang
        .filter(|l| LANGUAGES.iter().any(|(c, _)| c == l))
        .unwrap_or_else(|| p.locale.clone());
    let chrome = page.chrome(&format!("/seller/products/{}", p.id)).await;
    page.html(editor(p, lang, q.saved.is_some(), page.tr(), chrome).render())
}

fn editor(p: ProductDetail, lang: String, saved: bool, tr: Tr, chrome: Chrome) -> Editor {
    let text = p.texts.get(&lang);
    let currency = p.price_from.currency.clone();
    let exponent = caravan_domain::Currency::parse(&currency)
        .map(|c| c.exponent())
        .unwrap_or(2);
    let variant = |v: &caravan_market::catalogue::VariantView| VariantRow {
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
    };
    Editor {
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
        variants: p.variants.iter().map(variant).collect(),
        price_label: tr.t1("field-price", "currency", &currency),
        saved,
        chrome,
        tr,
    }
}

/// The editor's details form.
#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    lang: String,
    title: String,
    description: Option<String>,
    weight_grams: String,
    images: Option<String>,
}

/// `POST /seller/products/{id}`: the text in one language, the weight and the image addresses.
pub async fn save(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DetailsForm>,
) -> Response {
    let back = format!("/seller/products/{id}?lang={}", f.lang);
    let Ok(weight) = f.weight_grams.trim().parse::<i64>() else {
        return page.message(&page.tr().t("field-weight"), &back).await;
    };
    let images = f
        .images
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let text = TextInput {
        title: f.title,
        description: f.description.unwrap_or_default(),
    };
    let patch = ProductPatch {
        texts: Some(BTreeMap::from([(f.lang.clone(), text)])),
        weight_grams: Some(weight),
        images: Some(images),
        ..ProductPatch::default()
    };
    match page.state.market.update_product(&actor, &id, patch).await {
        Ok(p) => see_other(
            &format!("/seller/products/{}?lang={}&saved=1", p.id, f.lang),
            &[],
        ),
        Err(e) => page.message(&e.message, &back).await,
    }
}

/// A variant's form (new, or an existing one changed).
#[derive(Debug, Deserialize)]
pub struct VariantForm {
    sku: String,
    price: String,
    stock: String,
    option: Option<String>,
    value: Option<String>,
}

type Checked = (String, i64, i64, BTreeMap<String, String>);
type CheckedIn = (String, i64, i64, BTreeMap<String, String>, String);

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

/// The variant form checked against the store's currency, or the message to show.
async fn variant_input(
    page: &Page,
    actor: &caravan_market::accounts::Actor,
    f: &VariantForm,
) -> Result<CheckedIn, String> {
    let store = page.state.market.my_merchant(actor).await;
    let currency = store.map_err(|e| e.message)?.settlement_currency;
    check_variant(f, &currency, &page.tr())
        .map(|(sku, price, stock, options)| (sku, price, stock, options, currency))
}

/// `POST /seller/products/{id}/variants`.
pub async fn add_variant(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<VariantForm>,
) -> Response {
    let back = format!("/seller/products/{id}");
    let (sku, price_minor, stock, options, currency) = match variant_input(&page, &actor, &f).await
    {
        Ok(c) => c,
        Err(text) => return page.message(&text, &back).await,
    };
    let v = NewVariant {
        sku,
        options,
        price_minor,
        currency: Some(currency),
        stock,
    };
    match page.state.market.add_variant(&actor, &id, v).await {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) => page.message(&e.message, &back).await,
    }
}

/// `POST /seller/variants/{id}`.
pub async fn update_variant(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<VariantForm>,
) -> Response {
    let (sku, price_minor, stock, _, _) = match variant_input(&page, &actor, &f).await {
        Ok(c) => c,
        Err(text) => return page.message(&text, "/seller").await,
    };
    let patch = VariantPatch {
        sku: Some(sku),
        price_minor: Some(price_minor),
        stock: Some(stock),
        ..VariantPatch::default()
    };
    match page.state.market.update_variant(&actor, &id, patch).await {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) => page.message(&e.message, "/seller").await,
    }
}

/// The upload form's fields: its CSRF token and the file.
pub(crate) async fn upload_fields(
    form: &mut Multipart,
) -> Result<(String, Option<axum::body::Bytes>), String> {
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => file = Some(field.bytes().await.map_err(|e| e.body_text())?),
            _ => {}
        }
    }
    Ok((csrf, file))
}

/// `POST /seller/products/{id}/images` (multipart): a photo added to the product's gallery.
pub async fn upload(
    page: Page,
    Seller(actor): Seller,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let back = format!("/seller/products/{id}");
    let (csrf, file) = match upload_fields(&mut form).await {
        Ok(fields) => fields,
        Err(text) => return page.message(&text, &back).await,
    };
    if let Some(r) = check_csrf(&page.prefs, &csrf) {
        return r;
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return page.message(&page.tr().t("upload-choose"), &back).await;
    };
    match page
        .state
        .market
        .attach_image(&actor, &id, file.to_vec())
        .await
    {
        Ok(p) => see_other(&format!("/seller/products/{}?saved=1", p.id), &[]),
        Err(e) if e.code == Code::InvalidImages => {
            page.message(&page.tr().t("upload-gallery-full"), &back)
                .await
        }
        Err(e) => page.message(&e.message, &back).await,
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
