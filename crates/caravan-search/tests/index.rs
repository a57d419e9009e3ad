//! The index through its public API: languages, typos, filters, facets, sorts, suggestions.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first broken expectation"
)]

use caravan_domain::Locale;
use caravan_search::facets::count;
use caravan_search::{Filters, ProductDoc, SearchIndex, SearchRequest, Sort};

fn doc(
    id: &str,
    merchant: &str,
    cats: &[&str],
    texts: &[(Locale, &str)],
    price: i64,
) -> ProductDoc {
    ProductDoc {
        id: id.to_string(),
        merchant: merchant.to_string(),
        categories: cats.iter().map(|c| c.to_string()).collect(),
        texts: texts
            .iter()
            .map(|(l, t)| (*l, t.to_string(), String::new()))
            .collect(),
        vocabulary: Vec::new(),
        price,
        ship_from: "PL".to_string(),
        ships_to: vec!["PL".to_string(), "DE".to_string()],
        created_ms: price,
        sold: 0,
        in_stock: true,
    }
}

fn corpus() -> Vec<ProductDoc> {
    vec![
        doc(
            "p1",
            "m1",
            &["fashion", "scarves"],
            &[
                (Locale::En, "Silk scarf Aurora"),
                (Locale::Ru, "Шарф из шёлка Aurora"),
            ],
            2500,
        ),
        doc(
            "p2",
            "m2",
            &["fashion", "bags"],
            &[
                (Locale::En, "Leather handbag Luna"),
                (Locale::Pl, "Torebka ze skóry Luna"),
            ],
            8900,
        ),
        doc(
            "p3",
            "m2",
            &["fashion", "bags"],
            &[
                (Locale::En, "Canvas bag Nova"),
                (Locale::Ru, "Сумка из холста Nova"),
            ],
            1900,
        ),
        doc(
            "p4",
            "m3",
            &["tea"],
            &[
                (Locale::En, "Green tea Sole"),
                (Locale::Zh, "绿茶 Sole"),
                (Locale::Pl, "Zielona herbata Sole"),
            ],
            1200,
        ),
        doc(
            "p5",
            "m3",
            &["home"],
            &[
                (Locale::En, "Ceramic teapot Terra"),
                (Locale::Tr, "Seramik çaydanlık Terra"),
            ],
            3400,
        ),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.apply(&corpus(), &[], 1).unwrap();
    index
}

fn find(index: &SearchIndex, text: &str, locale: Locale) -> Vec<String> {
    let req = SearchRequest {
        text: text.to_string(),
        locale,
        limit: 10,
        ..SearchRequest::default()
    };
    let mut ids = index.search(&req).unwrap().ids;
    ids.sort();
    ids
}

#[test]
fn inflected_queries_find_base_forms_and_back() {
    let index = index();
    // Russian: accusative and plural queries find the nominative titles.
    assert_eq!(find(&index, "сумку", Locale::Ru), ["p3"]);
    assert_eq!(find(&index, "шарфы", Locale::Ru), ["p1"]);
    // Polish: plural and instrumental find "Torebka"; genitive finds "herbata".
    assert_eq!(find(&index, "torebki", Locale::Pl), ["p2"]);
    assert_eq!(find(&index, "torebką", Locale::Pl), ["p2"]);
    assert_eq!(find(&index, "herbaty", Locale::Pl), ["p4"]);
    // English plural.
    assert_eq!(find(&index, "bags", Locale::En), ["p3"]);
    // Chinese is segmented: a word inside the title matches.
    assert_eq!(find(&index, "绿茶", Locale::Zh), ["p4"]);
    // Diacritics may be left out.
    assert_eq!(find(&index, "skory", Locale::Pl), ["p2"]);
    // Every word must match.
    assert_eq!(find(&index, "silk bag", Locale::En), Vec::<String>::new());
}

#[test]
fn connecting_words_are_not_required() {
    let index = index();
    let exact = |text: &str, locale| {
        let req = SearchRequest {
            text: text.to_string(),
            locale,
            limit: 10,
            ..SearchRequest::default()
        };
        let res = index.search(&req).unwrap();
        assert!(!res.typo_tolerant, "{text}: matched only with typos");
        res.ids
    };
    // No title says "with", "for", "de" or "из"; the words that matter still match exactly.
    assert_eq!(exact("scarf with silk", Locale::En), ["p1"]);
    assert_eq!(exact("bag for the canvas", Locale::En), ["p3"]);
    assert_eq!(exact("сумка из холста для", Locale::Ru), ["p3"]);
    assert_eq!(exact("tea de", Locale::Es), ["p4"]);
    // A query of connecting words alone still asks for them.
    let mut only = exact("из", Locale::Ru);
    only.sort();
    assert_eq!(only, ["p1", "p3"]);
}

#[test]
fn typos_are_forgiven_only_when_nothing_matches_exactly() {
    let index = index();
    let req = SearchRequest {
        text: "handbga".to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    let res = index.search(&req).unwrap();
    assert_eq!(res.ids, ["p2"]);
    assert!(res.typo_tolerant);
    let exact = index
        .search(&SearchRequest {
            text: "handbag".to_string(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(!exact.typo_tolerant);
    // Only the unknown word widens; the known one stays exact.
    assert_eq!(find(&index, "silk scraf", Locale::En), ["p1"]);
    assert_eq!(find(&index, "сумкаа", Locale::Ru), ["p3"]);
    // Short words get no tolerance: "bak" is not "bag".
    assert!(find(&index, "bak", Locale::En).is_empty());
}

#[test]
fn the_buyers_locale_ranks_its_titles_first() {
    let index = index();
    index
        .apply(
            &[
                doc("p6", "m1", &["tea"], &[(Locale::Ru, "Nova")], 10),
                doc("p7", "m1", &["tea"], &[(Locale::En, "Nova")], 10),
            ],
            &[],
            2,
        )
        .unwrap();
    let first = |locale| {
        index
            .search(&SearchRequest {
                text: "nova".to_string(),
                locale,
                limit: 10,
                ..SearchRequest::default()
            })
            .unwrap()
            .ids[0]
            .clone()
    };
    assert_eq!(first(Locale::Ru), "p6");
    assert_eq!(first(Locale::En), "p7");
}

#[test]
fn filters_facets_and_sorts() {
    let index = index();
    let req = SearchRequest {
        filters: Filters {
            category: Some("fashion".to_string()),
            ..Filters::default()
        },
        sort: Sort::PriceAsc,
        limit: 10,
        facets: true,
        price_bounds: vec![0, 2000, 5000],
        ..SearchRequest::default()
    };
    let res = index.search(&req).unwrap();
    assert_eq!(res.ids, ["p3", "p1", "p2"]);
    let f = res.facets.unwrap();
    assert_eq!(f.total, 3);
    assert_eq!(count(&f.category, "fashion"), 3);
    assert_eq!(count(&f.category, "bags"), 2);
    assert_eq!(count(&f.merchant, "m2"), 2);
    assert_eq!(f.price, [1, 1, 1]);
    let dear = index
        .search(&SearchRequest {
            filters: Filters {
                price_min: Some(3000),
                ships_to: Some("DE".to_string()),
                ..Filters::default()
            },
            sort: Sort::PriceDesc,
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(dear.ids, ["p2", "p5"]);
    let nowhere = index
        .search(&SearchRequest {
            filters: Filters {
                ships_to: Some("BR".to_string()),
                ..Filters::default()
            },
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(nowhere.total, 0);
}

#[test]
fn removed_and_out_of_stock_products_leave_results() {
    let index = index();
    let mut gone = corpus()[1].clone();
    gone.in_stock = false;
    index.apply(&[gone], &["p3".to_string()], 2).unwrap();
    assert!(find(&index, "bag", Locale::En).is_empty());
    let with_sold_out = index
        .search(&SearchRequest {
            text: "handbag".to_string(),
            filters: Filters {
                include_out_of_stock: true,
                ..Filters::default()
            },
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(with_sold_out.ids, ["p2"]);
}

#[test]
fn absurd_input_is_harmless() {
    let index = index();
    for text in [
        "\"unbalanced",
        "((((",
        "\u{0}\u{7}\u{1b}[31m",
        "AND OR NOT",
        "*",
        ":::",
    ] {
        let res = index
            .search(&SearchRequest {
                text: text.to_string(),
                limit: 10,
                ..SearchRequest::default()
            })
            .unwrap();
        assert!(res.total <= 5, "{text}");
    }
    let long = "scarf ".repeat(2000);
    assert!(index
        .search(&SearchRequest {
            text: long,
            limit: 10,
            ..SearchRequest::default()
        })
        .is_ok());
    let beyond = index
        .search(&SearchRequest {
            offset: 1000,
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(beyond.ids.is_empty());
    assert_eq!(beyond.total, 5);
}

#[test]
fn suggestions_complete_the_last_word() {
    let index = index();
    let s = index.suggest("gree", 10).unwrap();
    assert_eq!(s, ["green"]);
    let s = index.suggest("silk sca", 10).unwrap();
    assert_eq!(s, ["silk scarf"]);
    let s = index.suggest("с", 10).unwrap();
    assert!(s.contains(&"сумка".to_string()), "{s:?}");
    assert!(index.suggest("", 10).unwrap().is_empty());
    assert!(index.suggest("zzzz", 10).unwrap().is_empty());
    assert!(index.suggest("t", 1).unwrap().len() == 1);
}

#[test]
fn an_index_on_disk_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert!(index.is_fresh());
        assert_eq!(index.position().unwrap(), None);
        assert_eq!(index.rebuild(corpus().into_iter(), 41).unwrap(), 5);
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(!index.is_fresh());
    assert_eq!(index.position().unwrap(), Some(41));
    assert_eq!(index.len(), 5);
    assert_eq!(find(&index, "сумки", Locale::Ru), ["p3"]);
}

#[test]
fn the_catalogues_words_find_products_across_languages_below_their_own_text() {
    let index = SearchIndex::in_memory().unwrap();
    // An Italian merchant's scarf, its category named in every language; a Russian title.
    let mut italian = doc(
        "it1",
        "m1",
        &["c"],
        &[(Locale::It, "Sciarpa di seta Como")],
        5000,
    );
    italian.vocabulary = vec![
        (Locale::En, "Accessories Scarves".into()),
        (Locale::Ru, "Аксессуары Шарфы".into()),
        (Locale::Pl, "Akcesoria Szaliki".into()),
        (Locale::Zh, "配饰 围巾".into()),
    ];
    let russian = doc("ru1", "m2", &["c"], &[(Locale::Ru, "Шарф пуховый")], 3000);
    index.apply(&[italian, russian], &[], 1).unwrap();
    // Russian buyers find the Italian scarf by the category's Russian name, inflected, below
    // the product whose own Russian title matches.
    let req = SearchRequest {
        text: "шарфы".into(),
        locale: Locale::Ru,
        limit: 10,
        ..SearchRequest::default()
    };
    assert_eq!(index.search(&req).unwrap().ids, ["ru1", "it1"]);
    assert_eq!(find(&index, "szalik", Locale::Pl), ["it1"]);
    assert_eq!(find(&index, "围巾", Locale::Zh), ["it1"]);
    assert_eq!(find(&index, "scarves", Locale::En), ["it1"]);
}

#[test]
fn facets_add_up_across_segments_and_follow_changes() {
    let index = SearchIndex::in_memory().unwrap();
    // Three commits, three segments; the later ones bring values the first never saw.
    let mut italian = doc("p6", "m4", &["fashion", "scarves"], &[], 3000);
    italian.ship_from = "IT".to_string();
    italian.ships_to = vec!["*".to_string()];
    index.apply(&corpus()[..2], &[], 1).unwrap();
    index.apply(&corpus()[2..], &[], 2).unwrap();
    index.apply(&[italian.clone()], &[], 3).unwrap();
    assert!(index.segments() >= 2, "{} segments", index.segments());
    let everything = SearchRequest {
        limit: 10,
        facets: true,
        price_bounds: vec![0],
        ..SearchRequest::default()
    };
    let f = index.search(&everything).unwrap().facets.unwrap();
    assert_eq!(f.total, 6);
    assert_eq!(count(&f.merchant, "m2"), 2);
    assert_eq!(count(&f.merchant, "m4"), 1);
    assert_eq!(count(&f.ship_from, "PL"), 5);
    assert_eq!(count(&f.ship_from, "IT"), 1);
    assert_eq!(count(&f.ships_to, "DE"), 5);
    assert_eq!(count(&f.ships_to, "*"), 1);
    assert_eq!(count(&f.category, "fashion"), 4);
    assert_eq!(count(&f.category, "scarves"), 2);
    assert_eq!(f.price, [6]);
    // Sorted by value, so lists from segments merge and binary searches hold.
    assert!(f.merchant.windows(2).all(|w| w[0].0 < w[1].0));
    // A page asks for the most frequent stores only: m2 and m3 have two products each, m1
    // and m4 one, and the tie goes to the first by name; still in name order.
    let top = |n| {
        let req = SearchRequest {
            max_merchants: Some(n),
            ..everything.clone()
        };
        index.search(&req).unwrap().facets.unwrap()
    };
    let named = |v: &[(&str, u64)]| {
        v.iter()
            .map(|(m, n)| (m.to_string(), *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(top(3).merchant, named(&[("m1", 1), ("m2", 2), ("m3", 2)]));
    assert_eq!(top(1).merchant, named(&[("m2", 2)]));
    assert!(top(0).merchant.is_empty());
    assert_eq!(top(3).ship_from, f.ship_from, "other facets are whole");
    // The Italian store moves to Spain and ships to France only: the counts follow.
    italian.ship_from = "ES".to_string();
    italian.ships_to = vec!["FR".to_string()];
    index.apply(&[italian], &[], 4).unwrap();
    let f = index.search(&everything).unwrap().facets.unwrap();
    assert_eq!(f.total, 6);
    assert_eq!(count(&f.ship_from, "IT"), 0);
    assert_eq!(count(&f.ship_from, "ES"), 1);
    assert_eq!(count(&f.ships_to, "*"), 0);
    assert_eq!(count(&f.ships_to, "FR"), 1);
    assert_eq!(count(&f.merchant, "m4"), 1);
}
