//! One analyser per language, registered under fixed names in every index.
//!
//! Latin and Cyrillic text: split on non-alphanumerics, lowercase, Snowball stemming (the current
//! Snowball release via `frostem`, which includes the Polish stemmer that tantivy's own list lacks;
//! see docs/decisions/0005), then fold diacritics so `ksiazka` meets `książka`. Chinese: jieba in
//! search mode. `raw` keeps whole lowercased words for suggestions.

use std::borrow::Cow;
use std::mem;

use caravan_domain::Locale;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name of the analyser that keeps whole lowercased words (suggestions).
pub const RAW: &str = "caravan_raw";

/// Name of the analyser registered for a locale's text fields.
pub fn analyser_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "caravan_en",
        Locale::Ru => "caravan_ru",
        Locale::Fr => "caravan_fr",
        Locale::Es => "caravan_es",
        Locale::Pl => "caravan_pl",
        Locale::It => "caravan_it",
        Locale::Tr => "caravan_tr",
        Locale::Zh => "caravan_zh",
    }
}

fn algorithm(locale: Locale) -> Option<frostem::Algorithm> {
    Some(match locale {
        Locale::En => frostem::Algorithm::English,
        Locale::Ru => frostem::Algorithm::Russian,
        Locale::Fr => frostem::Algorithm::French,
        Locale::Es => frostem::Algorithm::Spanish,
        Locale::Pl => frostem::Algorithm::Polish,
        Locale::It => frostem::Algorithm::Italian,
        Locale::Tr => frostem::Algorithm::Turkish,
        Locale::Zh => return None,
    })
}

/// Builds the analyser of one locale.
pub fn analyser(locale: Locale) -> TextAnalyzer {
    match algorithm(locale) {
        Some(algorithm) => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stem(algorithm))
            .filter(AsciiFoldingFilter)
            .build(),
        None => TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
            .filter(RemoveLongFilter::limit(40))
            .filter(DropStray)
            .filter(LowerCaser)
            .build(),
    }
}

/// Builds the whole-word analyser used for suggestions.
pub fn raw_analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Registers every analyser in an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for locale in Locale::ALL {
        manager.register(analyser_name(locale), analyser(locale));
    }
    manager.register(RAW, raw_analyser());
}

/// The terms a text yields under an analyser, in order.
pub fn terms(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

thread_local! {
    /// Query-time analysers, built once per thread rather than per query word.
    static ANALYSERS: std::cell::RefCell<Vec<TextAnalyzer>> =
        std::cell::RefCell::new(Locale::ALL.iter().map(|l| analyser(*l)).collect());
}

/// The first term a word yields in a locale's analyser (query time).
pub fn first_term(locale: Locale, word: &str) -> Option<String> {
    let slot = Locale::ALL.iter().position(|l| *l == locale)?;
    ANALYSERS.with(|a| {
        let mut a = a.borrow_mut();
        let analyser = a.get_mut(slot)?;
        let mut stream = analyser.token_stream(word);
        stream.advance().then(|| stream.token().text.clone())
    })
}

/// Snowball stemming as a tantivy token filter; tokens must already be lowercase.
#[derive(Clone, Copy)]
struct Stem(frostem::Algorithm);

impl TokenFilter for Stem {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemTokenizer<T> {
        StemTokenizer {
            algorithm: self.0,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
struct StemTokenizer<T> {
    algorithm: frostem::Algorithm,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(self.algorithm),
            buffer: String::new(),
        }
    }
}

struct StemStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
    buffer: String,
}

impl<T: TokenStream> TokenStream for StemStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stemmer.stem(&token.text) {
            Cow::Owned(stemmed) => token.text = stemmed,
            Cow::Borrowed(stemmed) => {
                self.buffer.clear();
                self.buffer.push_str(stemmed);
                mem::swap(&mut token.text, &mut self.buffer);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Drops the one-letter pieces jieba cuts out of Latin words with accents (`Jaén` → `ja`, `é`,
/// `n`): a lone `é` would match every text with an accented Latin word. Chinese characters,
/// digits and longer tokens pass.
#[derive(Clone, Copy)]
struct DropStray;

impl TokenFilter for DropStray {
    type Tokenizer<T: Tokenizer> = DropStrayTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DropStrayTokenizer<T> {
        DropStrayTokenizer(tokenizer)
    }
}

#[derive(Clone)]
struct DropStrayTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for DropStrayTokenizer<T> {
    type TokenStream<'a> = DropStrayStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DropStrayStream(self.0.token_stream(text))
    }
}

struct DropStrayStream<T>(T);

fn stray(text: &str) -> bool {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => !c.is_ascii_digit() && !matches!(c as u32, 0x3400..=0x9FFF),
        _ => false,
    }
}

impl<T: TokenStream> TokenStream for DropStrayStream<T> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if !stray(&self.0.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(locale: Locale, text: &str) -> Vec<String> {
        terms(&mut analyser(locale), text)
    }

    #[test]
    fn chinese_drops_stray_latin_letters() {
        assert!(!stems(Locale::Zh, "制作方： Olivar de Jaén").contains(&"é".to_owned()));
        assert!(stems(Locale::Zh, "écharpe")
            .iter()
            .all(|t| t.chars().count() > 1));
        assert!(stems(Locale::Zh, "真丝围巾").contains(&"围巾".to_owned()));
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let same = |locale, a: &str, b: &str| {
            assert_eq!(stems(locale, a), stems(locale, b), "{locale:?}: {a} / {b}");
        };
        same(Locale::Ru, "шарф", "шарфы");
        same(Locale::Ru, "сумка", "сумку");
        same(Locale::Ru, "сумки", "сумкой");
        same(Locale::Pl, "szalik", "szaliki");
        same(Locale::Pl, "torebka", "torebki");
        same(Locale::En, "bags", "bag");
        same(Locale::En, "dresses", "dress");
        same(Locale::Ru, "платье", "платья");
        same(Locale::Pl, "sukienka", "sukienki");
        same(Locale::Pl, "sukienkę", "sukienka");
        same(Locale::Pl, "torebką", "torebka");
        same(Locale::Pl, "herbata", "herbaty");
        same(Locale::Fr, "écharpes", "écharpe");
        same(Locale::Es, "bufandas", "bufanda");
        same(Locale::It, "sciarpe", "sciarpa");
        same(Locale::Tr, "atkılar", "atkı");
    }

    #[test]
    fn folded_diacritics_meet() {
        assert_eq!(stems(Locale::Pl, "ksiazka"), stems(Locale::Pl, "książka"));
    }

    #[test]
    fn chinese_is_segmented_into_words() {
        let words = stems(Locale::Zh, "真丝围巾");
        assert!(words.contains(&"围巾".to_string()), "{words:?}");
    }
}
