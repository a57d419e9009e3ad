//! The demo's glossary: every leaf category's nouns and materials from the word lists, a few
//! more forms buyers type (шёлковый, torebka), and the phrases of the demo's descriptions, so
//! the built-in provider translates every demo title into all eight languages and search
//! matches across them.

use super::words::{Leaf, Words};
use crate::accounts::Actor;
use crate::translation::glossary::GlossaryTermInput;
use crate::{Market, MarketError};
use caravan_domain::Locale;
use std::collections::{BTreeMap, HashMap};

/// More forms of a term, by its English word: (English, locale, forms).
const EXTRA_FORMS: &[(&str, Locale, &[&str])] = &[
    (
        "Silk",
        Locale::Ru,
        &["шёлк", "шёлковый", "шелковый", "шелк"],
    ),
    ("Silk", Locale::Fr, &["soie"]),
    ("Silk", Locale::Es, &["seda"]),
    ("Silk", Locale::Pl, &["jedwab", "jedwabny"]),
    ("Silk", Locale::It, &["seta"]),
    ("Silk", Locale::Tr, &["ipek"]),
    ("Silk", Locale::Zh, &["丝绸"]),
    ("Leather", Locale::Ru, &["кожаный", "кожа"]),
    ("Leather", Locale::Pl, &["skórzany", "skóra"]),
    ("bag", Locale::Pl, &["torebka"]),
    ("bag", Locale::Ru, &["сумочка"]),
];

/// The descriptions' phrases, for every category.
const PHRASES: &[Words] = &[
    [
        "Made by",
        "Производитель:",
        "Fabriqué par",
        "Fabricado por",
        "Wyprodukowane przez",
        "Prodotto da",
        "Üretici:",
        "制作方：",
    ],
    [
        "Shipped worldwide with tracking.",
        "Доставка по всему миру с отслеживанием.",
        "Livraison dans le monde entier avec suivi.",
        "Envío a todo el mundo con seguimiento.",
        "Wysyłka na cały świat ze śledzeniem.",
        "Spedizione in tutto il mondo con tracciamento.",
        "Takipli dünya çapında gönderim.",
        "全球配送，可追踪。",
    ],
];

fn term(category: Option<&str>, kind: &str, w: &Words) -> GlossaryTermInput {
    let mut words: BTreeMap<String, Vec<String>> = Locale::ALL
        .iter()
        .zip(w)
        .map(|(l, f)| (l.code().to_owned(), vec![(*f).to_owned()]))
        .collect();
    for (en, l, forms) in EXTRA_FORMS {
        if *en == w[0] {
            if let Some(list) = words.get_mut(l.code()) {
                list.extend(forms.iter().map(|f| (*f).to_owned()));
            }
        }
    }
    GlossaryTermInput {
        category_id: category.map(str::to_owned),
        kind: kind.to_owned(),
        words,
    }
}

impl Market {
    /// Seeds the glossary: each leaf's nouns and materials (for that leaf), and the phrases.
    pub(super) async fn seed_glossary(
        &self,
        operator: &Actor,
        leaves: &HashMap<&str, (String, &Leaf)>,
    ) -> Result<(), MarketError> {
        let mut terms: Vec<GlossaryTermInput> =
            PHRASES.iter().map(|p| term(None, "noun", p)).collect();
        let mut slugs: Vec<&&str> = leaves.keys().collect();
        slugs.sort();
        for slug in slugs {
            let Some((id, leaf)) = leaves.get(*slug) else {
                continue;
            };
            terms.extend(leaf.nouns.iter().map(|n| term(Some(id), "noun", n)));
            terms.extend(leaf.materials.iter().map(|m| term(Some(id), "modifier", m)));
        }
        self.add_glossary_terms(operator, terms).await?;
        Ok(())
    }
}
