//! The catalogue's glossary, which operators extend (silk → шёлк → soie → seda → jedwab → seta
//! → ipek → 丝绸), and the built-in translation provider made from it.

use super::{TranslateError, TranslateFuture, Translator};
use crate::accounts::Actor;
use crate::{Code, Market, MarketError};
use caravan_domain::account::Role;
use caravan_domain::glossary::{Glossary, Term, TermKind, MAX_FORMS, MAX_FORM_CHARS};
use caravan_domain::id::{GlossaryTermId, TypedId};
use caravan_domain::{rfc3339, Locale};
use caravan_store::translations::GlossaryTermRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A new glossary term.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTermInput {
    /// `cat_…`: the term applies to this category and those below it (none: to every one).
    pub category_id: Option<String>,
    /// `noun` (scarf, bag) or `modifier` (silk, leather, green).
    pub kind: String,
    /// Locale → forms, the first the one a translation writes (e.g. `"ru": ["шёлк", "шёлковый"]`).
    pub words: BTreeMap<String, Vec<String>>,
}

/// A glossary term.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GlossaryTermView {
    /// `gls_…`.
    pub id: String,
    /// `cat_…`, or none for every category.
    pub category_id: Option<String>,
    /// noun | modifier.
    pub kind: String,
    /// Locale → forms.
    pub words: BTreeMap<String, Vec<String>>,
    /// RFC 3339.
    pub created_at: String,
}

/// The built-in provider: translates word for word with the glossary (what the demo and the
/// tests use; a LibreTranslate server does whole sentences).
pub struct GlossaryTranslator {
    glossary: Glossary,
}

impl GlossaryTranslator {
    /// A provider over `glossary`.
    pub fn new(glossary: Glossary) -> Self {
        Self { glossary }
    }
}

impl Translator for GlossaryTranslator {
    fn name(&self) -> &'static str {
        "glossary"
    }

    fn translate<'a>(
        &'a self,
        texts: &'a [String],
        from: Locale,
        to: Locale,
    ) -> TranslateFuture<'a> {
        let out = texts
            .iter()
            .map(|t| self.glossary.translate(t, from, to))
            .collect();
        Box::pin(async move { Ok::<_, TranslateError>(out) })
    }
}

fn bad(message: &str) -> MarketError {
    MarketError::new(Code::InvalidGlossaryTerm, message)
}

/// The checked forms: known locales, 1 to 8 non-blank forms of at most 60 characters each, in
/// at least two languages (a term translates from one into another).
fn checked_words(
    words: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Vec<String>>, MarketError> {
    let mut out = BTreeMap::new();
    for (l, forms) in words {
        let l = Locale::parse(l)?;
        let forms: Vec<String> = forms.iter().map(|f| f.trim().to_owned()).collect();
        if forms.is_empty()
            || forms.len() > MAX_FORMS
            || forms
                .iter()
                .any(|f| f.is_empty() || f.chars().count() > MAX_FORM_CHARS)
        {
            return Err(bad("each language has 1 to 8 forms of 1 to 60 characters"));
        }
        out.insert(l.code().to_owned(), forms);
    }
    if out.len() < 2 {
        return Err(bad("a term has forms in at least two languages"));
    }
    Ok(out)
}

fn view(r: &GlossaryTermRecord) -> GlossaryTermView {
    GlossaryTermView {
        id: r.id.clone(),
        category_id: r.category_id.clone(),
        kind: r.kind.clone(),
        words: serde_json::from_str(&r.words).unwrap_or_default(),
        created_at: rfc3339(r.created_at),
    }
}

/// A stored term as the domain's, with its category; none if its record is unreadable.
pub(crate) fn term_of(r: &GlossaryTermRecord) -> Option<(Term, Option<String>)> {
    let words: BTreeMap<String, Vec<String>> = serde_json::from_str(&r.words).ok()?;
    let words = words
        .into_iter()
        .filter_map(|(l, f)| Some((Locale::parse(&l).ok()?, f)))
        .collect();
    let kind = TermKind::parse(&r.kind)?;
    Some((Term { kind, words }, r.category_id.clone()))
}

impl Market {
    /// An operator adds terms (all or none).
    pub async fn add_glossary_terms(
        &self,
        actor: &Actor,
        terms: Vec<GlossaryTermInput>,
    ) -> Result<Vec<GlossaryTermView>, MarketError> {
        actor.require(Role::Operator)?;
        if terms.is_empty() || terms.len() > 500 {
            return Err(bad("send 1 to 500 terms"));
        }
        let tree = self.tree().await?;
        let now = self.now();
        let mut records = Vec::with_capacity(terms.len());
        for t in &terms {
            let kind = TermKind::parse(&t.kind).ok_or_else(|| bad("kind is noun or modifier"))?;
            if let Some(c) = &t.category_id {
                if !tree.contains(c) {
                    return Err(MarketError::new(Code::UnknownCategory, "no such category"));
                }
            }
            let words = checked_words(&t.words)?;
            records.push(GlossaryTermRecord {
                id: GlossaryTermId::generate().to_string(),
                category_id: t.category_id.clone(),
                kind: kind.as_str().to_owned(),
                words: serde_json::to_string(&words).map_err(|e| bad(&e.to_string()))?,
                created_at: now,
            });
        }
        self.store.insert_glossary_terms(&records, now).await?;
        self.inner.cache.invalidate();
        Ok(records.iter().map(view).collect())
    }

    /// Every glossary term (operators).
    pub async fn glossary_terms(
        &self,
        actor: &Actor,
    ) -> Result<Vec<GlossaryTermView>, MarketError> {
        actor.require(Role::Operator)?;
        Ok(self
            .store
            .glossary_terms()
            .await?
            .iter()
            .map(view)
            .collect())
    }

    /// An operator deletes a term.
    pub async fn delete_glossary_term(&self, actor: &Actor, id: &str) -> Result<(), MarketError> {
        actor.require(Role::Operator)?;
        if self.store.delete_glossary_term(id, self.now()).await? {
            self.inner.cache.invalidate();
            Ok(())
        } else {
            Err(MarketError::not_found("glossary term"))
        }
    }

    /// The whole glossary, for translating.
    pub(crate) async fn glossary(&self) -> Result<Glossary, MarketError> {
        Ok(Glossary::new(
            self.glossary_with_categories()
                .await?
                .into_iter()
                .map(|(t, _)| t)
                .collect(),
        ))
    }

    /// Every readable term with the category it is limited to.
    pub(crate) async fn glossary_with_categories(
        &self,
    ) -> Result<Vec<(Term, Option<String>)>, MarketError> {
        Ok(self
            .store
            .glossary_terms()
            .await?
            .iter()
            .filter_map(term_of)
            .collect())
    }
}
