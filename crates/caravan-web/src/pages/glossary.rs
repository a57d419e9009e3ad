//! The operator console's glossary: the terms search matches across the eight languages and
//! the built-in provider translates with; add one (forms per language, comma-separated) or
//! delete one.

use super::chrome::{Chrome, LANGUAGES};
use super::extract::{CsrfForm, NoFields, Operator, Page};
use super::i18n::Tr;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use caravan_market::translation::glossary::{GlossaryTermInput, GlossaryTermView};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A term's row: id, kind, category name, forms per language.
struct TermRow {
    id: String,
    kind: String,
    category: String,
    words: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage {
    tr: Tr,
    chrome: Chrome,
    rows: Vec<TermRow>,
    categories: Vec<(String, String)>,
    languages: [(&'static str, &'static str); 8],
}

fn row(t: &GlossaryTermView, names: &BTreeMap<String, String>, tr: Tr) -> TermRow {
    TermRow {
        id: t.id.clone(),
        kind: tr.t(&format!("glossary-kind-{}", t.kind)),
        category: t
            .category_id
            .as_ref()
            .and_then(|c| names.get(c).cloned())
            .unwrap_or_else(|| tr.t("glossary-every-category")),
        words: LANGUAGES
            .iter()
            .map(|(code, _)| {
                let forms = t.words.get(*code).map(|f| f.join(", ")).unwrap_or_default();
                (*code, forms)
            })
            .collect(),
    }
}

/// `GET /admin/glossary`.
pub async fn page(page: Page, Operator(actor): Operator) -> Response {
    let tr = page.tr();
    let m = &page.state.market;
    let (terms, cats) = match (
        m.glossary_terms(&actor).await,
        m.categories(page.prefs.locale).await,
    ) {
        (Ok(t), Ok(c)) => (t, c),
        (Err(e), _) | (_, Err(e)) => return page.failed(e, "/admin").await,
    };
    let names: BTreeMap<String, String> = cats
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let body = GlossaryPage {
        rows: terms.iter().rev().map(|t| row(t, &names, tr)).collect(),
        categories: cats
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
        languages: LANGUAGES,
        chrome: page.chrome("/admin/glossary").await,
        tr,
    };
    page.html(body.render())
}

/// The new-term form: kind, category, and each language's forms, comma-separated.
#[derive(Debug, Deserialize)]
pub struct TermForm {
    kind: String,
    category_id: Option<String>,
    #[serde(flatten)]
    words: BTreeMap<String, String>,
}

/// `POST /admin/glossary`.
pub async fn add(
    page: Page,
    Operator(actor): Operator,
    CsrfForm(f): CsrfForm<TermForm>,
) -> Response {
    let words: BTreeMap<String, Vec<String>> = f
        .words
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("words_")?.to_owned(), v)))
        .map(|(l, v)| {
            let forms = v.split(',').map(str::trim).filter(|s| !s.is_empty());
            (l, forms.map(str::to_owned).collect::<Vec<_>>())
        })
        .filter(|(_, forms)| !forms.is_empty())
        .collect();
    let term = GlossaryTermInput {
        category_id: f.category_id.filter(|c| !c.is_empty()),
        kind: f.kind,
        words,
    };
    let r = page
        .state
        .market
        .add_glossary_terms(&actor, vec![term])
        .await;
    page.done(r.map(|_| ()), "/admin/glossary", "/admin/glossary")
        .await
}

/// `POST /admin/glossary/{id}/delete`.
pub async fn delete(
    page: Page,
    Operator(actor): Operator,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let r = page.state.market.delete_glossary_term(&actor, &id).await;
    page.done(r, "/admin/glossary", "/admin/glossary").await
}
