//! Facet counts read from fast fields in one pass over the matching documents.
//!
//! Per segment, string facets are counted by term ordinal in a plain vector and turned into
//! strings once at the end, so the per-document cost is a few array increments. Multi-valued
//! facets (category ancestors, ships-to countries) are stored as one joined value per document
//! and split after counting: a multi-valued column costs several times more per document.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::names;

/// Counts per facet value over the documents that matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// Matching documents.
    pub total: u64,
    /// Category id → documents (a product counts for its category and every ancestor).
    pub category: Counts,
    /// Merchant id → documents.
    pub merchant: Counts,
    /// Ship-from country → documents.
    pub ship_from: Counts,
    /// Ships-to country (or `*`) → documents.
    pub ships_to: Counts,
    /// Documents per price bucket: `price[i]` counts prices in `[bounds[i], bounds[i+1])`,
    /// the last bucket is open-ended; prices below `bounds[0]` are not counted.
    pub price: Vec<u64>,
}

/// Value → count, sorted by value (so segments merge without hashing).
pub type Counts = Vec<(String, u64)>;

/// The count of one value (0 when absent).
pub fn count(counts: &[(String, u64)], value: &str) -> u64 {
    counts
        .binary_search_by(|(k, _)| k.as_str().cmp(value))
        .map_or(0, |i| counts[i].1)
}

/// Merges two sorted count lists.
fn merge(a: Counts, b: Counts) -> Counts {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    let (k, n) = a.next().unwrap_or_default();
                    let m = b.next().map_or(0, |(_, m)| m);
                    Some((k, n + m))
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

/// Collects [`Facets`]; `bounds` are ascending price-bucket lower bounds.
pub struct FacetCollector {
    /// Ascending lower bounds of the price buckets, in reference minor units.
    pub bounds: Vec<i64>,
}

const STRING_FACETS: [&str; 4] = [
    names::CATEGORY_PATH,
    names::MERCHANT,
    names::SHIP_FROM,
    names::SHIPS_TO_SET,
];

/// One segment's counting state.
pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    ords: Vec<Option<Column<u64>>>,
    counts: Vec<Vec<u32>>,
    price: Column<i64>,
    bounds: Vec<i64>,
    price_counts: Vec<u64>,
    total: u64,
    scratch: Vec<Option<u64>>,
    prices: Vec<Option<i64>>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(STRING_FACETS.len());
        let mut counts = Vec::with_capacity(STRING_FACETS.len());
        for name in STRING_FACETS {
            let column = fast.str(name)?;
            counts.push(vec![0u32; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        Ok(SegmentFacets {
            ords: columns
                .iter()
                .map(|c| c.as_ref().map(|c| c.ords().clone()))
                .collect(),
            columns,
            counts,
            price: fast.i64(names::PRICE)?,
            bounds: self.bounds.clone(),
            price_counts: vec![0; self.bounds.len()],
            total: 0,
            scratch: Vec::new(),
            prices: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out = Facets {
            price: vec![0; self.bounds.len()],
            ..Facets::default()
        };
        for f in fruits {
            out.total += f.total;
            out.category = merge(std::mem::take(&mut out.category), f.category);
            out.merchant = merge(std::mem::take(&mut out.merchant), f.merchant);
            out.ship_from = merge(std::mem::take(&mut out.ship_from), f.ship_from);
            out.ships_to = merge(std::mem::take(&mut out.ships_to), f.ships_to);
            for (a, b) in out.price.iter_mut().zip(f.price) {
                *a += b;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        // Every facet column holds one value per document: one lookup each.
        for (ords, counts) in self.ords.iter().zip(self.counts.iter_mut()) {
            if let Some(ord) = ords.as_ref().and_then(|c| c.first(doc)) {
                if let Some(n) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *n += 1;
                }
            }
        }
        if !self.bounds.is_empty() {
            if let Some(p) = self.price.first(doc) {
                let bucket = self.bounds.partition_point(|b| *b <= p);
                if let Some(n) = bucket
                    .checked_sub(1)
                    .and_then(|b| self.price_counts.get_mut(b))
                {
                    *n += 1;
                }
            }
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        // Block lookups decode each column once per block instead of once per document.
        for (ords, counts) in self.ords.iter().zip(self.counts.iter_mut()) {
            let Some(ords) = ords else { continue };
            self.scratch.clear();
            self.scratch.resize(docs.len(), None);
            ords.first_vals(docs, &mut self.scratch);
            for ord in self.scratch.iter().flatten() {
                if let Some(n) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
                    *n += 1;
                }
            }
        }
        if !self.bounds.is_empty() {
            self.prices.clear();
            self.prices.resize(docs.len(), None);
            self.price.first_vals(docs, &mut self.prices);
            for p in self.prices.iter().flatten() {
                let bucket = self.bounds.partition_point(|b| b <= p);
                if let Some(n) = bucket
                    .checked_sub(1)
                    .and_then(|b| self.price_counts.get_mut(b))
                {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Facets {
        let mut maps: Vec<Counts> = Vec::with_capacity(4);
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut map = Vec::new();
            if let Some(column) = column {
                // One sequential walk of the dictionary, not a seek per ordinal.
                let ords: Vec<u64> = (0u64..)
                    .zip(&counts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(o, _)| o)
                    .collect();
                let mut hits = ords.iter().map(|o| counts[*o as usize]);
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |term| {
                    if let (Ok(text), Some(n)) = (std::str::from_utf8(term), hits.next()) {
                        map.push((text.to_string(), u64::from(n)));
                    }
                });
            }
            maps.push(map);
        }
        let mut maps = maps.into_iter();
        Facets {
            total: self.total,
            category: split(maps.next().unwrap_or_default(), '/'),
            merchant: maps.next().unwrap_or_default(),
            ship_from: maps.next().unwrap_or_default(),
            ships_to: split(maps.next().unwrap_or_default(), ','),
            price: self.price_counts,
        }
    }
}

/// Turns counts per joined value (`fashion/scarves`) into counts per part.
fn split(joined: Counts, sep: char) -> Counts {
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for (key, n) in joined {
        for part in key.split(sep).filter(|p| !p.is_empty()) {
            *out.entry(part.to_string()).or_default() += n;
        }
    }
    out.into_iter().collect()
}
