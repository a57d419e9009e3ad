//! Facet counts read from fast fields in one pass over the matching documents.
//!
//! Per segment, two string columns are counted by term ordinal in plain vectors: the category
//! path (`root/leaf`) and the seller (`merchant|ship-from|DE,FR,PL`, three facets in one lookup).
//! A segment's ordinals map to index-wide value numbers ([`crate::columns`]), segments add up in
//! dense vectors, the seller splits into its three facets by number, and strings are made once
//! for the answer: the per-document cost is a few array increments, and no dictionary is read
//! at query time. Multi-valued facets (category ancestors, ships-to countries) are split after
//! counting: a multi-valued column costs several times more per document.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::columns::{ColumnCache, Columns, Named};

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

/// Collects [`Facets`]; `bounds` are ascending price-bucket lower bounds.
pub struct FacetCollector {
    /// Ascending lower bounds of the price buckets, in reference minor units.
    pub bounds: Vec<i64>,
    /// The segments' columns and the facet values' numbers.
    pub cache: Arc<ColumnCache>,
}

/// One segment's counting state.
pub struct SegmentFacets {
    columns: Arc<Columns>,
    counts: Vec<Vec<u32>>,
    bounds: Vec<i64>,
    price_counts: Vec<u64>,
    total: u64,
    scratch: Vec<Option<u64>>,
    prices: Vec<Option<i64>>,
    pending: Vec<DocId>,
}

/// One segment's counts: per string facet, (value number, documents) for each value seen.
pub struct SegmentCounts {
    total: u64,
    values: Vec<Vec<(u32, u64)>>,
    price: Vec<u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let columns = self
            .cache
            .columns(segment)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let counts = columns
            .facets
            .iter()
            .map(|f| vec![0u32; f.as_ref().map_or(0, |f| f.numbers.len())])
            .collect();
        Ok(SegmentFacets {
            columns,
            counts,
            bounds: self.bounds.clone(),
            price_counts: vec![0; self.bounds.len()],
            total: 0,
            scratch: Vec::new(),
            prices: Vec::new(),
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<Facets> {
        let numbered = self.cache.snapshot();
        let mut category = vec![0u64; numbered.category.names.len()];
        let mut seller = vec![0u64; numbered.sellers.len()];
        let mut price = vec![0; self.bounds.len()];
        let mut total = 0;
        for f in fruits {
            total += f.total;
            for (values, dense) in f.values.iter().zip([&mut category, &mut seller]) {
                for (number, n) in values {
                    if let Some(d) = dense.get_mut(*number as usize) {
                        *d += n;
                    }
                }
            }
            for (a, b) in price.iter_mut().zip(f.price) {
                *a += b;
            }
        }
        let mut parts = [
            vec![0u64; numbered.merchant.names.len()],
            vec![0u64; numbered.ship_from.names.len()],
            vec![0u64; numbered.ships_to.names.len()],
        ];
        for (n, numbers) in seller.iter().zip(numbered.sellers.iter()) {
            if *n == 0 {
                continue;
            }
            for (dense, number) in parts.iter_mut().zip(numbers) {
                if let Some(d) = dense.get_mut(*number as usize) {
                    *d += n;
                }
            }
        }
        let [merchant, ship_from, ships_to] = parts;
        Ok(Facets {
            total,
            category: split(listed(&numbered.category, &category), '/'),
            merchant: listed(&numbered.merchant, &merchant),
            ship_from: listed(&numbered.ship_from, &ship_from),
            ships_to: split(listed(&numbered.ships_to, &ships_to), ','),
            price,
        })
    }
}

/// The values counted at least once, with their counts, in name order.
fn listed(named: &Named, dense: &[u64]) -> Counts {
    named
        .sorted
        .iter()
        .filter_map(|v| {
            let n = *dense.get(*v as usize)?;
            let name = named.names.get(*v as usize)?;
            (n > 0).then(|| (name.to_string(), n))
        })
        .collect()
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        // A scored search hands documents one at a time; they are counted a block at a time,
        // which decodes each column once per block instead of once per document.
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.count_block(docs);
    }

    fn harvest(mut self) -> SegmentCounts {
        self.flush();
        let values = self
            .columns
            .facets
            .iter()
            .zip(&self.counts)
            .map(|(column, counts)| {
                let Some(column) = column else {
                    return Vec::new();
                };
                column
                    .numbers
                    .iter()
                    .zip(counts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(number, n)| (*number, u64::from(*n)))
                    .collect()
            })
            .collect();
        SegmentCounts {
            total: self.total,
            values,
            price: self.price_counts,
        }
    }
}

/// Documents buffered by [`SegmentFacets`] before they are counted together.
const BLOCK: usize = 256;

impl SegmentFacets {
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.count_block(&pending);
        self.pending = pending;
        self.pending.clear();
    }

    fn count_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        // Block lookups decode each column once per block instead of once per document.
        for (column, counts) in self.columns.facets.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            self.scratch.clear();
            self.scratch.resize(docs.len(), None);
            column.ords.first_vals(docs, &mut self.scratch);
            for ord in self.scratch.iter().flatten() {
                if let Some(n) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
                    *n += 1;
                }
            }
        }
        if !self.bounds.is_empty() {
            self.prices.clear();
            self.prices.resize(docs.len(), None);
            self.columns.price.first_vals(docs, &mut self.prices);
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
