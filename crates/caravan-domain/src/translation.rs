//! Which of a product's texts machine translation should (re)write.
//!
//! A merchant's own text in a locale always wins. The other locales get a machine translation
//! of one source text: the merchant's text in the store's own language (what a buyer's "show
//! original" shows), else their English, else the first. A machine text
//! records the hash of its source, so a source edit redoes exactly the translations made from
//! the old source.

use crate::Locale;

/// What is known of one stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextState {
    /// Its locale.
    pub locale: Locale,
    /// A machine translation (else the merchant's own).
    pub machine: bool,
    /// For a machine text, the hash of the source it was made from.
    pub source_hash: Option<String>,
}

/// The text to translate from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its locale.
    pub locale: Locale,
    /// [`source_hash`] of its title and description.
    pub hash: String,
}

/// A stable fingerprint of a title and description (FNV-1a, 64 bits, hex).
pub fn source_hash(title: &str, description: &str) -> String {
    let h = title
        .bytes()
        .chain([0u8])
        .chain(description.bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    format!("{h:016x}")
}

/// The source locale among the merchant's own texts, if any.
pub fn source_locale(texts: &[TextState], default: Locale) -> Option<Locale> {
    let own = |l: Locale| texts.iter().any(|t| t.locale == l && !t.machine);
    [default, Locale::En]
        .into_iter()
        .find(|&l| own(l))
        .or_else(|| texts.iter().find(|t| !t.machine).map(|t| t.locale))
}

/// The locales to translate into from `source`: every locale without the merchant's own
/// text whose machine text is missing or was made from another source.
pub fn to_translate(texts: &[TextState], source: &Source) -> Vec<Locale> {
    Locale::ALL
        .iter()
        .copied()
        .filter(|&l| l != source.locale)
        .filter(|&l| match texts.iter().find(|t| t.locale == l) {
            None => true,
            Some(t) => t.machine && t.source_hash.as_deref() != Some(source.hash.as_str()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(l: Locale) -> TextState {
        TextState {
            locale: l,
            machine: false,
            source_hash: None,
        }
    }

    fn machine(l: Locale, hash: &str) -> TextState {
        TextState {
            locale: l,
            machine: true,
            source_hash: Some(hash.to_owned()),
        }
    }

    #[test]
    fn the_stores_language_is_the_source_then_english() {
        let texts = [own(Locale::It), own(Locale::En)];
        assert_eq!(source_locale(&texts, Locale::It), Some(Locale::It));
        assert_eq!(source_locale(&texts, Locale::Tr), Some(Locale::En));
        assert_eq!(
            source_locale(&[own(Locale::It)], Locale::Tr),
            Some(Locale::It)
        );
        assert_eq!(source_locale(&[machine(Locale::En, "x")], Locale::It), None);
    }

    #[test]
    fn only_missing_and_outdated_machine_texts_are_redone() {
        let source = Source {
            locale: Locale::En,
            hash: source_hash("Silk scarf", ""),
        };
        let texts = [
            own(Locale::En),
            own(Locale::It),
            machine(Locale::Ru, &source.hash),
            machine(Locale::Fr, "old"),
        ];
        assert_eq!(
            to_translate(&texts, &source),
            vec![Locale::Fr, Locale::Es, Locale::Pl, Locale::Tr, Locale::Zh]
        );
    }

    #[test]
    fn the_hash_tells_title_from_description() {
        assert_ne!(source_hash("ab", "c"), source_hash("a", "bc"));
        assert_eq!(source_hash("a", "b"), source_hash("a", "b"));
        assert_eq!(source_hash("a", "b").len(), 16);
    }
}
