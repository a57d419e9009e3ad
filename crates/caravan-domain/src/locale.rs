//! The languages Caravan speaks to buyers.

use crate::error::{Code, DomainError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A supported locale. Text shown to buyers is stored per locale.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English, the final fallback.
    #[default]
    En,
    /// Russian.
    Ru,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Polish.
    Pl,
    /// Italian.
    It,
    /// Turkish.
    Tr,
    /// Chinese (simplified).
    Zh,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 8] = [
        Locale::En,
        Locale::Ru,
        Locale::Fr,
        Locale::Es,
        Locale::Pl,
        Locale::It,
        Locale::Tr,
        Locale::Zh,
    ];

    /// Parses a code such as `ru`, `fr-CA` or `zh_Hans` (the language part decides).
    pub fn parse(tag: &str) -> Result<Self, DomainError> {
        let lang = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|l| l.code() == lang)
            .ok_or_else(|| {
                DomainError::new(
                    Code::InvalidLocale,
                    format!("{tag:?} is not a supported locale (en, ru, fr, es, pl, it, tr, zh)"),
                )
            })
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
            Locale::Fr => "fr",
            Locale::Es => "es",
            Locale::Pl => "pl",
            Locale::It => "it",
            Locale::Tr => "tr",
            Locale::Zh => "zh",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Picks the text for `wanted` from per-locale `texts`: the wanted locale, else the
/// `fallback` (the merchant's default), else English, else the first there is.
pub fn pick<T>(texts: &[(Locale, T)], wanted: Locale, fallback: Locale) -> Option<&T> {
    [wanted, fallback, Locale::En]
        .iter()
        .find_map(|l| texts.iter().find(|(tl, _)| tl == l).map(|(_, t)| t))
        .or_else(|| texts.first().map(|(_, t)| t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags() {
        assert_eq!(Locale::parse("ru").expect("ru"), Locale::Ru);
        assert_eq!(Locale::parse("fr-CA").expect("fr"), Locale::Fr);
        assert_eq!(Locale::parse("ZH_Hans").expect("zh"), Locale::Zh);
        assert!(Locale::parse("de").is_err());
        assert!(Locale::parse("").is_err());
    }

    #[test]
    fn pick_falls_back_to_the_default_then_english() {
        let texts = [(Locale::It, "Borsa"), (Locale::En, "Bag")];
        assert_eq!(pick(&texts, Locale::It, Locale::It), Some(&"Borsa"));
        assert_eq!(pick(&texts, Locale::Ru, Locale::It), Some(&"Borsa"));
        assert_eq!(pick(&texts, Locale::Ru, Locale::Pl), Some(&"Bag"));
        let none: [(Locale, &str); 0] = [];
        assert_eq!(pick(&none, Locale::Ru, Locale::Pl), None);
    }
}
