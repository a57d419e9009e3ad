//! The catalogue's glossary: terms (nouns such as "scarf", modifiers such as "silk") with their
//! forms in each of the eight languages. Search finds the terms a product's text contains and
//! indexes every language's forms of them; the built-in translation provider replaces each term
//! by its form in the target language, word for word, and puts a modifier on the side of its
//! noun that the target language uses.

use crate::Locale;
use std::collections::BTreeMap;

/// What a term is, for word order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A thing: scarf, bag, tea.
    Noun,
    /// What qualifies it: silk, leather, green.
    Modifier,
}

impl TermKind {
    /// Parses `noun` or `modifier`.
    pub fn parse(s: &str) -> Option<TermKind> {
        match s {
            "noun" => Some(TermKind::Noun),
            "modifier" => Some(TermKind::Modifier),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Noun => "noun",
            TermKind::Modifier => "modifier",
        }
    }
}

/// One term: its forms per locale, the first of each the one a translation writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Noun or modifier.
    pub kind: TermKind,
    /// Locale → forms (at least one for each locale given).
    pub words: BTreeMap<Locale, Vec<String>>,
}

/// Most forms a locale may list for one term, and the longest form.
pub const MAX_FORMS: usize = 8;
/// Longest form, in characters.
pub const MAX_FORM_CHARS: usize = 60;

/// Whether a modifier goes before its noun: English, Turkish and Chinese put it first.
pub fn modifier_first(l: Locale) -> bool {
    matches!(l, Locale::En | Locale::Tr | Locale::Zh)
}

/// A set of terms, ready to match and translate.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<Term>,
    /// Per locale, every lower-cased form with its term, longest first.
    forms: BTreeMap<Locale, Vec<(Vec<char>, usize)>>,
}

/// A piece of a scanned text: a term (by index) or a word the glossary does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Term(usize),
    /// A form several terms share ("olive oil": a pantry noun, a soap's modifier).
    Either(Vec<usize>),
    Word(String),
}

/// A letter lower-cased one for one (Turkish `İ` → `i`), so a text and its folded copy line up.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

impl Glossary {
    /// A glossary of `terms`.
    pub fn new(terms: Vec<Term>) -> Self {
        let mut forms: BTreeMap<Locale, Vec<(Vec<char>, usize)>> = BTreeMap::new();
        for (i, t) in terms.iter().enumerate() {
            for (l, fs) in &t.words {
                let list = forms.entry(*l).or_default();
                list.extend(
                    fs.iter()
                        .map(|f| (f.chars().map(fold).collect::<Vec<_>>(), i))
                        .filter(|(f, _)| !f.is_empty()),
                );
            }
        }
        for list in forms.values_mut() {
            list.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        }
        Self { terms, forms }
    }

    /// The terms.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Splits `text` (in `from`) into terms and unknown words, longest form first. A form
    /// matches at a word boundary, or anywhere next to Chinese characters, case-insensitively.
    fn scan(&self, text: &str, from: Locale) -> Vec<Piece> {
        let forms = self.forms.get(&from).map(Vec::as_slice).unwrap_or_default();
        let orig: Vec<char> = text.chars().collect();
        let lower: Vec<char> = orig.iter().copied().map(fold).collect();
        scan_chars(&lower, &orig, forms)
    }

    /// The indexes of the terms `text` (in any locale) contains.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = Locale::ALL
            .iter()
            .flat_map(|&l| self.scan(text, l))
            .flat_map(|p| match p {
                Piece::Term(t) => vec![t],
                Piece::Either(all) => all,
                Piece::Word(_) => Vec::new(),
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// `text` from `from` into `to`: known terms replaced, unknown words kept, a modifier moved
    /// to the side of its noun that `to` uses.
    pub fn translate(&self, text: &str, from: Locale, to: Locale) -> String {
        let mut pieces = self.scan(text, from);
        self.resolve(&mut pieces);
        if modifier_first(from) != modifier_first(to) {
            self.reorder(&mut pieces, modifier_first(from));
        }
        let words: Vec<String> = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Term(t) => self.terms[t]
                    .words
                    .get(&to)
                    .and_then(|f| f.first())
                    .cloned()
                    .unwrap_or_default(),
                Piece::Word(w) => w,
                Piece::Either(_) => String::new(),
            })
            .filter(|w| !w.is_empty())
            .collect();
        join(&words)
    }

    /// Settles each shared form: a modifier when a noun comes next or before, else a noun.
    fn resolve(&self, pieces: &mut [Piece]) {
        let kind = |p: &Piece| match p {
            Piece::Term(t) => Some(self.terms[*t].kind),
            _ => None,
        };
        for i in 0..pieces.len() {
            let Piece::Either(all) = &pieces[i] else {
                continue;
            };
            let beside_noun = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| pieces.get(j))
                .any(|p| kind(p) == Some(TermKind::Noun));
            let want = if beside_noun {
                TermKind::Modifier
            } else {
                TermKind::Noun
            };
            let pick = all
                .iter()
                .find(|t| self.terms[**t].kind == want)
                .or(all.first())
                .copied();
            if let Some(t) = pick {
                pieces[i] = Piece::Term(t);
            }
        }
    }

    /// Swaps each adjacent modifier–noun pair (or noun–modifier, when the source puts the
    /// noun first).
    fn reorder(&self, pieces: &mut [Piece], source_modifier_first: bool) {
        let kind = |p: &Piece| match p {
            Piece::Term(t) => Some(self.terms[*t].kind),
            _ => None,
        };
        let (first, second) = if source_modifier_first {
            (TermKind::Modifier, TermKind::Noun)
        } else {
            (TermKind::Noun, TermKind::Modifier)
        };
        let mut i = 0;
        while i + 1 < pieces.len() {
            if kind(&pieces[i]) == Some(first) && kind(&pieces[i + 1]) == Some(second) {
                pieces.swap(i, i + 1);
                i += 2;
            } else {
                i += 1;
            }
        }
    }
}

fn scan_chars(lower: &[char], orig: &[char], forms: &[(Vec<char>, usize)]) -> Vec<Piece> {
    let boundary = |i: usize| -> bool {
        i == 0
            || i >= lower.len()
            || !lower[i - 1].is_alphanumeric()
            || !lower[i].is_alphanumeric()
            || is_cjk(lower[i - 1])
            || is_cjk(lower[i])
    };
    let mut pieces = Vec::new();
    let mut word = String::new();
    let mut i = 0;
    while i < lower.len() {
        let found = boundary(i)
            .then(|| {
                forms.iter().find(|(f, _)| {
                    let n = f.len();
                    i + n <= lower.len() && f[..] == lower[i..i + n] && boundary(i + n)
                })
            })
            .flatten();
        if let Some((f, t)) = found {
            flush(&mut word, &mut pieces);
            let all: Vec<usize> = forms
                .iter()
                .filter(|(g, _)| g == f)
                .map(|(_, u)| *u)
                .collect();
            pieces.push(if all.len() > 1 {
                Piece::Either(all)
            } else {
                Piece::Term(*t)
            });
            i += f.len();
        } else if orig[i].is_whitespace() {
            flush(&mut word, &mut pieces);
            i += 1;
        } else {
            word.push(orig[i]);
            i += 1;
        }
    }
    flush(&mut word, &mut pieces);
    pieces
}

fn flush(word: &mut String, pieces: &mut Vec<Piece>) {
    if !word.is_empty() {
        pieces.push(Piece::Word(std::mem::take(word)));
    }
}

/// Joins words with spaces, except between two Chinese characters; the first letter upper-case.
fn join(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        let glue = match (out.chars().last(), w.chars().next()) {
            (Some(a), Some(b)) => {
                let punctuation = matches!(b, '.' | ',' | ';' | ':' | '!' | '?' | '。' | '，');
                let both_cjk = is_cjk(a) && is_cjk(b);
                !punctuation && !both_cjk
            }
            _ => false,
        };
        if glue {
            out.push(' ');
        }
        out.push_str(w);
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind, words: &[(Locale, &[&str])]) -> Term {
        Term {
            kind,
            words: words
                .iter()
                .map(|(l, f)| (*l, f.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        }
    }

    fn glossary() -> Glossary {
        Glossary::new(vec![
            term(
                TermKind::Noun,
                &[
                    (Locale::En, &["scarf"]),
                    (Locale::Ru, &["шарф"]),
                    (Locale::It, &["sciarpa"]),
                    (Locale::Zh, &["围巾"]),
                ],
            ),
            term(
                TermKind::Modifier,
                &[
                    (Locale::En, &["silk"]),
                    (Locale::Ru, &["из шёлка", "шёлковый"]),
                    (Locale::It, &["di seta"]),
                    (Locale::Zh, &["真丝"]),
                ],
            ),
        ])
    }

    #[test]
    fn translates_word_for_word_in_the_target_order() {
        let g = glossary();
        assert_eq!(
            g.translate("Silk scarf Luna", Locale::En, Locale::Ru),
            "Шарф из шёлка Luna"
        );
        assert_eq!(
            g.translate("Sciarpa di seta Luna", Locale::It, Locale::En),
            "Silk scarf Luna"
        );
        assert_eq!(
            g.translate("Sciarpa di seta Luna", Locale::It, Locale::Zh),
            "真丝围巾 Luna"
        );
        assert_eq!(
            g.translate("真丝围巾 Luna", Locale::Zh, Locale::It),
            "Sciarpa di seta Luna"
        );
        assert_eq!(
            g.translate("Silk scarf, blue.", Locale::En, Locale::It),
            "Sciarpa di seta, blue."
        );
        // Unknown words stay; a form inside a longer word is not a match.
        assert_eq!(
            g.translate("Silky scarves", Locale::En, Locale::Ru),
            "Silky scarves"
        );
    }

    #[test]
    fn a_shared_form_is_a_modifier_beside_a_noun() {
        let g = Glossary::new(vec![
            term(
                TermKind::Noun,
                &[
                    (Locale::En, &["olive oil"]),
                    (Locale::Fr, &["huile d'olive"]),
                ],
            ),
            term(
                TermKind::Noun,
                &[(Locale::En, &["soap"]), (Locale::Fr, &["savon"])],
            ),
            term(
                TermKind::Modifier,
                &[
                    (Locale::En, &["olive oil"]),
                    (Locale::Fr, &["à l'huile d'olive"]),
                ],
            ),
        ]);
        assert_eq!(
            g.translate("Olive oil soap Orsa", Locale::En, Locale::Fr),
            "Savon à l'huile d'olive Orsa"
        );
        assert_eq!(
            g.translate("Olive oil Orsa", Locale::En, Locale::Fr),
            "Huile d'olive Orsa"
        );
        assert_eq!(g.matches("olive oil"), vec![0, 2]);
    }

    #[test]
    fn finds_terms_in_any_language() {
        let g = glossary();
        assert_eq!(g.matches("шёлковый платок"), vec![1]);
        assert_eq!(g.matches("SCIARPA di seta"), vec![0, 1]);
        assert_eq!(g.matches("真丝围巾"), vec![0, 1]);
        let tr = Glossary::new(vec![term(
            TermKind::Modifier,
            &[(Locale::Tr, &["İpek"]), (Locale::En, &["silk"])],
        )]);
        assert_eq!(tr.translate("İPEK", Locale::Tr, Locale::En), "Silk");
        assert!(g.matches("leather bag").is_empty());
    }
}
