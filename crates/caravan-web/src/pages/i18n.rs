//! UI text from Fluent resources (one file per locale, compiled in) and numbers from ICU4X.
//!
//! A key missing in a language falls back to English; a key missing everywhere renders as the
//! key itself (and the test in this module makes sure that never ships).

use caravan_domain::{Currency, Locale};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_calendar::Gregorian;
use icu_collator::{Collator, CollatorBorrowed};
use icu_datetime::fieldsets::YMDT;
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::TimePrecision;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The Fluent source of each locale, in `Locale::ALL` order.
pub const SOURCES: [(Locale, &str); 8] = [
    (Locale::En, include_str!("../../locales/en.ftl")),
    (Locale::Ru, include_str!("../../locales/ru.ftl")),
    (Locale::Fr, include_str!("../../locales/fr.ftl")),
    (Locale::Es, include_str!("../../locales/es.ftl")),
    (Locale::Pl, include_str!("../../locales/pl.ftl")),
    (Locale::It, include_str!("../../locales/it.ftl")),
    (Locale::Tr, include_str!("../../locales/tr.ftl")),
    (Locale::Zh, include_str!("../../locales/zh.ftl")),
];

struct Language {
    bundle: FluentBundle<FluentResource>,
}

thread_local! {
    /// ICU4X formatters are not `Sync`; each thread builds its own once (compiled-in data).
    static NUMBERS: Vec<Option<DecimalFormatter>> = Locale::ALL
        .iter()
        .map(|l| {
            l.code()
                .parse::<icu_locale_core::Locale>()
                .ok()
                .and_then(|l| DecimalFormatter::try_new(l.into(), Default::default()).ok())
        })
        .collect();

    /// Date and time to the minute, per language (ICU4X, Gregorian calendar).
    static DATES: Vec<Option<FixedCalendarDateTimeFormatter<Gregorian, YMDT>>> = Locale::ALL
        .iter()
        .map(|l| {
            l.code()
                .parse::<icu_locale_core::Locale>()
                .ok()
                .and_then(|l| {
                    FixedCalendarDateTimeFormatter::try_new(
                        l.into(),
                        YMDT::medium().with_time_precision(TimePrecision::Minute),
                    )
                    .ok()
                })
        })
        .collect();
}

thread_local! {
    /// Alphabetical order per language (CLDR collation; pinyin for Chinese).
    static COLLATORS: Vec<Option<CollatorBorrowed<'static>>> = Locale::ALL
        .iter()
        .map(|l| {
            l.code()
                .parse::<icu_locale_core::Locale>()
                .ok()
                .and_then(|l| Collator::try_new(l.into(), Default::default()).ok())
        })
        .collect();

    /// Country names per language (CLDR data through ICU4X).
    static REGIONS: Vec<Option<RegionDisplayNames>> = Locale::ALL
        .iter()
        .map(|l| {
            l.code()
                .parse::<icu_locale_core::Locale>()
                .ok()
                .and_then(|l| RegionDisplayNames::try_new(l.into(), Default::default()).ok())
        })
        .collect();
}

fn languages() -> &'static Vec<Language> {
    static ALL: OnceLock<Vec<Language>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(locale, source)| {
                let tag = locale.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                // Isolation marks would show up as stray characters in HTML attributes.
                bundle.set_use_isolating(false);
                match FluentResource::try_new((*source).to_owned()) {
                    Ok(resource) => {
                        if let Err(errors) = bundle.add_resource(resource) {
                            tracing::error!(
                                ?errors,
                                locale = locale.code(),
                                "duplicate Fluent keys"
                            );
                        }
                    }
                    Err((_, errors)) => {
                        tracing::error!(?errors, locale = locale.code(), "bad Fluent resource")
                    }
                }
                Language { bundle }
            })
            .collect()
    })
}

fn slot(locale: Locale) -> usize {
    Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)
}

/// Text and number formatting for one request's language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// The language.
    pub locale: Locale,
}

impl Tr {
    /// For `locale`.
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let all = languages();
        for lang in [&all[slot(self.locale)], &all[0]] {
            if let Some(pattern) = lang.bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = lang.bundle.format_pattern(pattern, args, &mut errors);
                return text.into_owned();
            }
        }
        key.to_owned()
    }

    /// The name of the country with ISO 3166-1 alpha-2 `code` in this language (CLDR), else
    /// its English name, else the code itself.
    pub fn country(&self, code: &str) -> String {
        let local = icu_locale_core::subtags::Region::try_from_str(code)
            .ok()
            .and_then(|r| {
                REGIONS.with(|all| {
                    all.get(slot(self.locale))
                        .and_then(Option::as_ref)
                        .and_then(|names| names.of(r))
                        .map(str::to_owned)
                })
            });
        local.unwrap_or_else(|| {
            caravan_domain::Country::parse(code)
                .map(|c| c.name().to_owned())
                .unwrap_or_else(|_| code.to_owned())
        })
    }

    /// Sorts `(code, name)` pairs by name in this language's alphabetical order.
    pub fn sort_by_name(&self, items: &mut [(String, String)]) {
        COLLATORS.with(
            |all| match all.get(slot(self.locale)).and_then(Option::as_ref) {
                Some(c) => items.sort_by(|a, b| c.compare(&a.1, &b.1)),
                None => items.sort_by(|a, b| a.1.cmp(&b.1)),
            },
        );
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one string argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(
            name.to_owned(),
            FluentValue::String(Cow::Owned(value.to_owned())),
        );
        self.format(key, Some(&args))
    }

    /// The message `key` with a number argument `count` (plural rules apply).
    pub fn count(&self, key: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        self.format(key, Some(&args))
    }

    /// The message `key` with two string arguments.
    pub fn t2(&self, key: &str, a: (&str, &str), b: (&str, &str)) -> String {
        let mut args = FluentArgs::new();
        args.set(
            a.0.to_owned(),
            FluentValue::String(Cow::Owned(a.1.to_owned())),
        );
        args.set(
            b.0.to_owned(),
            FluentValue::String(Cow::Owned(b.1.to_owned())),
        );
        self.format(key, Some(&args))
    }

    /// The message `key` with string arguments.
    pub fn tn(&self, key: &str, named: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in named {
            args.set(
                (*name).to_owned(),
                FluentValue::String(Cow::Owned((*value).to_owned())),
            );
        }
        self.format(key, Some(&args))
    }

    /// A decimal number `minor × 10^-scale`, with this language's separators (ICU4X).
    pub fn number(&self, minor: i64, scale: u32) -> String {
        let mut d = Decimal::from(minor);
        d.multiply_pow10(-(scale as i16));
        NUMBERS.with(
            |n| match n.get(slot(self.locale)).and_then(Option::as_ref) {
                Some(f) => f.format(&d).to_string(),
                None => d.to_string(),
            },
        )
    }

    /// A moment (milliseconds since the epoch) as this language writes a date and time, in UTC
    /// (ICU4X); the caller labels the time zone.
    pub fn datetime(&self, ms: i64) -> String {
        let Ok(t) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
            return String::new();
        };
        let date = Date::try_new_gregorian(t.year(), u8::from(t.month()), t.day());
        let clock = Time::try_new(t.hour(), t.minute(), t.second(), 0);
        let (Ok(date), Ok(time)) = (date, clock) else {
            return String::new();
        };
        let value = DateTime { date, time };
        DATES.with(
            |d| match d.get(slot(self.locale)).and_then(Option::as_ref) {
                Some(f) => f.format(&value).to_string(),
                None => t.to_string(),
            },
        )
    }

    /// An amount of money: the number by ICU4X, the currency's symbol placed as the language
    /// places it.
    pub fn money(&self, minor: i64, currency: &str) -> String {
        let Ok(c) = Currency::parse(currency) else {
            return format!("{minor} {currency}");
        };
        let number = self.number(minor, c.exponent());
        let symbol = symbol(c.code());
        match self.locale {
            Locale::En | Locale::Zh => format!("{symbol}{number}"),
            Locale::Tr => format!("{symbol}{number}"),
            _ => format!("{number}\u{a0}{symbol}"),
        }
    }
}

/// The everyday symbol of a currency, or its code.
fn symbol(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "RUB" => "₽",
        "PLN" => "zł",
        "TRY" => "₺",
        "CNY" => "¥",
        "JPY" => "¥",
        "CHF" => "CHF\u{a0}",
        other => other,
    }
}

/// Every message key of a Fluent source.
pub fn keys(source: &str) -> Vec<String> {
    match FluentResource::try_new(source.to_owned()) {
        Ok(r) | Err((r, _)) => r
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language_and_parses() {
        let english = keys(SOURCES[0].1);
        assert!(english.len() > 40);
        for (locale, source) in SOURCES {
            assert!(
                FluentResource::try_new(source.to_owned()).is_ok(),
                "{locale:?} does not parse"
            );
            let own = keys(source);
            let unique: std::collections::BTreeSet<&String> = own.iter().collect();
            assert_eq!(unique.len(), own.len(), "{locale:?} defines a key twice");
            for k in &english {
                assert!(own.contains(k), "{locale:?} lacks {k}");
            }
            for k in &own {
                assert!(
                    english.contains(k),
                    "{locale:?} has {k}, which English lacks"
                );
            }
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let ru = Tr::new(Locale::Ru);
        assert_eq!(ru.count("search-results", 1), "1 товар");
        assert_eq!(ru.count("search-results", 3), "3 товара");
        assert_eq!(ru.count("search-results", 5), "5 товаров");
        assert_eq!(ru.count("search-results", 21), "21 товар");
        let pl = Tr::new(Locale::Pl);
        assert_eq!(pl.count("search-results", 1), "1 produkt");
        assert_eq!(pl.count("search-results", 4), "4 produkty");
        assert_eq!(pl.count("search-results", 5), "5 produktów");
        assert_eq!(pl.count("search-results", 22), "22 produkty");
        assert_eq!(Tr::new(Locale::En).count("search-results", 1), "1 product");
        assert_eq!(Tr::new(Locale::En).count("search-results", 2), "2 products");
    }

    #[test]
    fn numbers_and_money_follow_each_language() {
        assert_eq!(Tr::new(Locale::En).money(123456, "EUR"), "€1,234.56");
        assert_eq!(
            Tr::new(Locale::Fr).money(123456, "EUR"),
            "1\u{202f}234,56\u{a0}€"
        );
        assert_eq!(
            Tr::new(Locale::Ru).money(9999900, "RUB"),
            "99\u{a0}999,00\u{a0}₽"
        );
        assert_eq!(Tr::new(Locale::Es).number(123456, 2), "1234,56");
        assert_eq!(Tr::new(Locale::Zh).money(500, "JPY"), "¥500");
    }

    #[test]
    fn countries_are_named_in_each_language() {
        assert_eq!(Tr::new(Locale::Ru).country("RU"), "Россия");
        assert_eq!(Tr::new(Locale::Zh).country("GB"), "英国");
        assert_eq!(Tr::new(Locale::Pl).country("DE"), "Niemcy");
        assert_eq!(Tr::new(Locale::Tr).country("TR"), "Türkiye");
        assert_eq!(Tr::new(Locale::En).country("US"), "United States");
        assert_eq!(Tr::new(Locale::Fr).country("ES"), "Espagne");
        // Every country a select offers has a name in every language, not its code.
        for l in Locale::ALL {
            for c in caravan_domain::Country::all() {
                let name = Tr::new(l).country(c.code());
                assert!(!name.is_empty() && name != c.code(), "{l:?} {}", c.code());
            }
        }
        assert_eq!(Tr::new(Locale::Ru).country("XX"), "XX");
    }

    #[test]
    fn names_sort_in_each_languages_order() {
        let sorted = |l: Locale, names: &[&str]| {
            let mut v: Vec<(String, String)> = names
                .iter()
                .map(|n| (String::new(), (*n).to_owned()))
                .collect();
            Tr::new(l).sort_by_name(&mut v);
            v.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
        };
        // Accents sort with their letter, not after "z".
        assert_eq!(
            sorted(Locale::Fr, &["Zambie", "Égypte", "Espagne", "Allemagne"]),
            ["Allemagne", "Égypte", "Espagne", "Zambie"]
        );
        // Polish Ł comes after L; Turkish Ç after C.
        assert_eq!(
            sorted(Locale::Pl, &["Łotwa", "Malta", "Litwa"]),
            ["Litwa", "Łotwa", "Malta"]
        );
        assert_eq!(
            sorted(Locale::Tr, &["Çin", "Danimarka", "Cezayir"]),
            ["Cezayir", "Çin", "Danimarka"]
        );
        // Chinese in pinyin order: 德国 (Déguó) before 法国 (Fǎguó) before 美国 (Měiguó).
        assert_eq!(
            sorted(Locale::Zh, &["美国", "法国", "德国"]),
            ["德国", "法国", "美国"]
        );
    }

    #[test]
    fn dates_follow_each_language() {
        // 2026-11-11 00:05:00 UTC.
        let ms = 1_794_355_500_000;
        let en = Tr::new(Locale::En).datetime(ms);
        let ru = Tr::new(Locale::Ru).datetime(ms);
        let zh = Tr::new(Locale::Zh).datetime(ms);
        assert!(en.contains("Nov") && en.contains("2026"), "{en}");
        assert!(ru.contains("нояб") && ru.contains("00:05"), "{ru}");
        assert!(zh.contains("2026年11月11日"), "{zh}");
        assert_ne!(Tr::new(Locale::Fr).datetime(ms), en);
    }

    #[test]
    fn a_missing_key_falls_back_to_english_then_the_key() {
        assert_eq!(Tr::new(Locale::Ru).t("no-such-key"), "no-such-key");
    }
}
