//! A deterministic synthetic catalogue of any size for the search benchmark, built from the
//! demo's multilingual word lists plus generated brand names so the vocabulary is not tiny.

use caravan_domain::Locale;
use caravan_search::ProductDoc;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::title;
use super::words::{Leaf, Root, MODELS, ROOTS};

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ve", "to", "san", "dor", "el", "fi", "gu", "ha", "jo", "ku", "li",
    "mo", "nu", "pe", "qui", "ro", "su", "ta", "vo", "za", "ber", "cor", "dan", "fen", "gal",
];
const SHIP_FROM: &[&str] = &["CN", "IT", "ES", "TR", "RU", "PL", "FR", "DE", "US", "GB"];
const DESTINATIONS: &[&str] = &[
    "PL", "DE", "FR", "ES", "IT", "RU", "TR", "CN", "US", "GB", "NL", "SE", "BR", "JP",
];
/// Synthetic merchants; each has a home locale and country.
pub const SYNTHETIC_MERCHANTS: usize = 5_000;
const BRANDS: usize = 20_000;

/// A brand-like word, deterministic from its number.
pub fn brand(n: usize) -> String {
    let mut s = String::new();
    let mut k = n + 1;
    while k > 0 {
        s.push_str(SYLLABLES[k % SYLLABLES.len()]);
        k /= SYLLABLES.len();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

fn leaves() -> Vec<(&'static Root, &'static Leaf)> {
    ROOTS
        .iter()
        .flat_map(|r| r.leaves.iter().map(move |l| (r, l)))
        .collect()
}

/// `n` products, the same for the same `seed`: English and the merchant's language, a leaf
/// category under its root, Zipf-ish popular nouns, prices in euro cents. The vocabulary holds
/// the category path's names and, with `glossary`, the noun's and material's words in all eight
/// languages (what the indexer adds from the glossary).
pub fn synthetic_catalogue(
    n: usize,
    seed: u64,
    glossary: bool,
) -> impl Iterator<Item = ProductDoc> {
    let leaves = leaves();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(move |i| {
        let (root, leaf) = leaves[skewed(&mut rng, leaves.len())];
        let merchant = rng.gen_range(0..SYNTHETIC_MERCHANTS);
        let local = 1 + merchant % 7;
        let noun = rng.gen_range(0..leaf.nouns.len());
        let material = rng.gen_range(0..leaf.materials.len());
        let model = format!(
            "{} {}",
            brand(skewed(&mut rng, BRANDS)),
            MODELS[rng.gen_range(0..MODELS.len())]
        );
        let texts = [0, local]
            .into_iter()
            .map(|li| {
                (
                    Locale::ALL[li],
                    title(leaf, noun, material, &model, li),
                    String::new(),
                )
            })
            .collect();
        let first = rng.gen_range(0..DESTINATIONS.len());
        let ships_to = if merchant % 3 == 0 {
            vec!["*".to_string()]
        } else {
            (0..4)
                .map(|k| DESTINATIONS[(first + k) % DESTINATIONS.len()].to_string())
                .collect()
        };
        ProductDoc {
            id: format!("prd_{i:044x}"),
            merchant: format!("mer_{merchant:044x}"),
            categories: vec![root.slug.to_string(), leaf.slug.to_string()],
            texts,
            vocabulary: Locale::ALL
                .iter()
                .enumerate()
                .map(|(li, &l)| {
                    let names = format!("{} {}", root.names[li], leaf.names[li]);
                    let words = if glossary {
                        format!(
                            "{names} {} {}",
                            leaf.nouns[noun][li], leaf.materials[material][li]
                        )
                    } else {
                        names
                    };
                    (l, words)
                })
                .collect(),
            price: rng.gen_range(leaf.price_eur.0..=leaf.price_eur.1),
            ship_from: SHIP_FROM[merchant % SHIP_FROM.len()].to_string(),
            ships_to,
            created_ms: 1_700_000_000_000 + i as i64 * 1_000,
            sold: rng.gen_range(0..500),
            in_stock: rng.gen_bool(0.95),
        }
    })
}

/// A rank in `0..len` where low ranks are much more likely (roughly Zipf).
fn skewed(rng: &mut ChaCha8Rng, len: usize) -> usize {
    let u: f64 = rng.gen_range(0.0..1.0);
    ((len as f64).powf(u) - 1.0)
        .floor()
        .clamp(0.0, len as f64 - 1.0) as usize
}

/// One query of the benchmark's mix.
#[derive(Debug, Clone)]
pub enum BenchQuery {
    /// Free text in a locale, optionally within a category.
    Search {
        /// Locale of the buyer.
        locale: Locale,
        /// Text typed.
        text: String,
        /// Category filter.
        category: Option<String>,
        /// Which part of the mix: `one_word`, `two_words`, `typo` or `category`.
        kind: &'static str,
    },
    /// A prefix typed so far.
    Suggest(String),
}

/// The realistic mix: one term, two terms, a typo, a facet filter, suggest — in equal parts,
/// in the languages of the catalogue.
pub fn bench_queries(count: usize, seed: u64) -> Vec<BenchQuery> {
    let leaves = leaves();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let (root, leaf) = leaves[rng.gen_range(0..leaves.len())];
            let li = rng.gen_range(0..Locale::ALL.len());
            let locale = Locale::ALL[li];
            let noun = leaf.nouns[rng.gen_range(0..leaf.nouns.len())][li].to_lowercase();
            let material =
                leaf.materials[rng.gen_range(0..leaf.materials.len())][li].to_lowercase();
            let (text, kind) = match i % 5 {
                0 => (noun, "one_word"),
                1 => (format!("{material} {noun}"), "two_words"),
                2 => (typo(&noun, &mut rng), "typo"),
                3 => {
                    return BenchQuery::Search {
                        locale,
                        text: noun,
                        category: Some(root.slug.to_string()),
                        kind: "category",
                    }
                }
                _ => {
                    let word = if rng.gen_bool(0.5) {
                        noun
                    } else {
                        brand(rng.gen_range(0..BRANDS)).to_lowercase()
                    };
                    let cut = rng.gen_range(1..=word.chars().count().clamp(1, 4));
                    return BenchQuery::Suggest(word.chars().take(cut).collect());
                }
            };
            BenchQuery::Search {
                locale,
                text,
                category: None,
                kind,
            }
        })
        .collect()
}

/// Swaps two neighbouring letters, or doubles one in short words.
fn typo(word: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() >= 4 {
        let at = rng.gen_range(1..chars.len() - 1);
        chars.swap(at, at + 1);
    } else if let Some(c) = chars.last().copied() {
        chars.push(c);
    }
    chars.into_iter().collect()
}
