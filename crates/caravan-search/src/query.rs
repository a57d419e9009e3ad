//! From a buyer's request to a tantivy query.
//!
//! Each query word must match (in some language's title or description); which languages are
//! tried depends on the word's script: CJK → Chinese, Cyrillic → Russian, Latin → every language
//! (brand and model names appear in Russian and Chinese titles too). The buyer's locale boosts its titles. Typo tolerance is a second pass: only when
//! the exact query finds nothing are words widened to fuzzy matches whose edit distance grows
//! with length (1 from 4 letters, 2 from 8), so typos never push exact hits down.

use std::ops::Bound;

use caravan_domain::Locale;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::analysis::{first_term, raw_analyser, terms};
use crate::schema::Fields;

/// Longest query text considered; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words of one query that take part in matching.
pub const MAX_QUERY_WORDS: usize = 8;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best text match first (newest first for an empty query).
    #[default]
    Relevance,
    /// Cheapest first.
    PriceAsc,
    /// Dearest first.
    PriceDesc,
    /// Newest first.
    Newest,
    /// Most units sold first.
    BestSelling,
}

/// Filters; all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Category id (matches the category and its descendants).
    pub category: Option<String>,
    /// Merchant id.
    pub merchant: Option<String>,
    /// Ship-from country.
    pub ship_from: Option<String>,
    /// Destination country: products that ship there or worldwide.
    pub ships_to: Option<String>,
    /// Lowest reference price, inclusive.
    pub price_min: Option<i64>,
    /// Highest reference price, inclusive.
    pub price_max: Option<i64>,
    /// Also return products that are out of stock.
    pub include_out_of_stock: bool,
}

/// One search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// What the buyer typed; may be empty (browse).
    pub text: String,
    /// The buyer's locale (boosts its titles).
    pub locale: Locale,
    /// Filters.
    pub filters: Filters,
    /// Order.
    pub sort: Sort,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return (at least 1).
    pub limit: usize,
    /// Price-bucket lower bounds for the price facet; empty → no facets at all.
    pub price_bounds: Vec<i64>,
    /// Whether to count facets.
    pub facets: bool,
    /// At most this many merchants in the merchant facet, the most frequent (all when `None`).
    pub max_merchants: Option<usize>,
}

/// Words of the query, lowercased, without punctuation or control characters.
pub fn words(text: &str) -> Vec<String> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut words = terms(&mut raw_analyser(), &text);
    words.truncate(MAX_QUERY_WORDS);
    words
}

/// The connecting words of product titles in the seven alphabetic languages (articles,
/// prepositions, conjunctions): "aceite de oliva", "sac à dos", "кроссовки из кожи". Every title
/// in a language has them, so requiring one narrows nothing and costs a walk over most of the
/// index.
#[rustfmt::skip]
const CONNECTING_WORDS: &[&str] = &[
    // English
    "a", "an", "and", "by", "for", "in", "of", "on", "the", "with",
    // French
    "au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "un",
    "une", "à",
    // Spanish
    "con", "del", "el", "las", "los", "para", "una", "y",
    // Italian
    "da", "dei", "della", "delle", "di", "e", "il", "lo", "per",
    // Polish
    "dla", "do", "i", "na", "od", "w", "we", "z", "ze",
    // Russian
    "в", "во", "для", "и", "из", "на", "от", "с", "со",
    // Turkish
    "bir", "ile", "için", "ve",
];

/// The words that take part in matching: connecting words are left out unless the query has
/// nothing else.
fn meaningful(words: Vec<String>) -> Vec<String> {
    let kept: Vec<String> = words
        .iter()
        .filter(|w| !CONNECTING_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() {
        words
    } else {
        kept
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

fn term_clause(field: Field, text: &str, boost: f32, fuzzy: bool) -> Box<dyn Query> {
    let term = Term::from_field_text(field, text);
    let len = text.chars().count();
    let q: Box<dyn Query> = if fuzzy && len >= 4 {
        let distance = if len >= 8 { 2 } else { 1 };
        Box::new(FuzzyTermQuery::new(term, distance, true))
    } else {
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    };
    Box::new(BoostQuery::new(q, boost))
}

/// The weight of a match in the catalogue's words (category names in every language): it finds
/// a product in a language its merchant did not write, ranked below a match in its own text.
const VOCAB_BOOST: f32 = 0.2;

/// A run of Chinese, segmented into words: each must match a Chinese title, description or the
/// catalogue's Chinese words.
fn chinese(
    fields: &Fields,
    analyser: &mut TextAnalyzer,
    word: &str,
) -> Vec<(Occur, Box<dyn Query>)> {
    terms(analyser, word)
        .into_iter()
        .map(|t| {
            let zh = Locale::Zh;
            let alternatives = vec![
                (
                    Occur::Should,
                    term_clause(fields.title_of(zh), &t, 2.0, false),
                ),
                (
                    Occur::Should,
                    term_clause(fields.body_of(zh), &t, 0.5, false),
                ),
                (
                    Occur::Should,
                    term_clause(fields.vocab_of(zh), &t, VOCAB_BOOST, false),
                ),
            ];
            let all: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));
            (Occur::Must, all)
        })
        .collect()
}

/// Builds the text part; `None` when the query has no words.
pub fn text_query(
    fields: &Fields,
    text: &str,
    locale: Locale,
    fuzzy: bool,
    known: &dyn Fn(Field, &str) -> bool,
) -> Option<Box<dyn Query>> {
    let words = meaningful(words(text));
    if words.is_empty() {
        return None;
    }
    let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut zh: Option<TextAnalyzer> = None;
    for word in &words {
        if word.chars().any(is_cjk) {
            let analyser = zh.get_or_insert_with(|| {
                TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::with_search_mode(false))
                    .build()
            });
            groups.extend(chinese(fields, analyser, word));
            continue;
        }
        let candidates: &[Locale] = if word.chars().any(is_cyrillic) {
            &[Locale::Ru]
        } else {
            // Latin words (brands, models) also appear in Russian and Chinese titles.
            &Locale::ALL
        };
        let stems: Vec<(Locale, String)> = candidates
            .iter()
            .filter_map(|&l| Some((l, first_term(l, word)?)))
            .collect();
        // In the typo pass a word the index knows stays exact; only unknown words widen, and
        // only in the titles of the languages written in the word's script.
        let widen = fuzzy
            && !stems
                .iter()
                .any(|(l, t)| known(fields.title_of(*l), t) || known(fields.body_of(*l), t));
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (l, stem) in &stems {
            let title_boost = if *l == locale { 2.0 } else { 1.0 };
            if widen {
                if matches!(l, Locale::Zh) || (*l == Locale::Ru) != word.chars().any(is_cyrillic) {
                    continue;
                }
                alternatives.push((
                    Occur::Should,
                    term_clause(fields.title_of(*l), stem, title_boost * 0.5, true),
                ));
                continue;
            }
            alternatives.push((
                Occur::Should,
                term_clause(fields.title_of(*l), stem, title_boost, false),
            ));
            alternatives.push((
                Occur::Should,
                term_clause(fields.body_of(*l), stem, 0.3, false),
            ));
            alternatives.push((
                Occur::Should,
                term_clause(fields.vocab_of(*l), stem, VOCAB_BOOST, false),
            ));
        }
        if !alternatives.is_empty() {
            groups.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
    }
    if groups.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(groups)))
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Builds the whole query: text (if any) and every filter.
///
/// `fuzzy` selects the typo pass; `known` tells whether a term occurs in a field.
pub fn build(
    fields: &Fields,
    req: &SearchRequest,
    fuzzy: bool,
    known: &dyn Fn(Field, &str) -> bool,
) -> (Box<dyn Query>, bool) {
    let text = text_query(fields, &req.text, req.locale, fuzzy, known);
    let has_text = text.is_some();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(t) = text {
        clauses.push((Occur::Must, t));
    } else if !req.text.trim().is_empty() {
        // Text that yields no word (only punctuation, say) matches nothing rather than all.
        return (Box::new(tantivy::query::EmptyQuery), true);
    }
    let f = &req.filters;
    if let Some(c) = &f.category {
        clauses.push(filter(exact(fields.category, c)));
    }
    if let Some(m) = &f.merchant {
        clauses.push(filter(exact(fields.merchant, m)));
    }
    if let Some(c) = &f.ship_from {
        clauses.push(filter(exact(fields.ship_from, c)));
    }
    if let Some(c) = &f.ships_to {
        let either = BooleanQuery::new(vec![
            (Occur::Should, exact(fields.ships_to, c)),
            (Occur::Should, exact(fields.ships_to, "*")),
        ]);
        clauses.push(filter(Box::new(either)));
    }
    if f.price_min.is_some() || f.price_max.is_some() {
        let lower = f.price_min.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_i64(fields.price, v))
        });
        let upper = f.price_max.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_i64(fields.price, v))
        });
        clauses.push(filter(Box::new(RangeQuery::new(lower, upper))));
    }
    if !f.include_out_of_stock {
        // Excluding the few sold-out products is much cheaper than intersecting with the many
        // in-stock ones.
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_u64(fields.in_stock, 0),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    (Box::new(BooleanQuery::new(clauses)), has_text)
}
