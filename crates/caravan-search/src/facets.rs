//! Facet counts read from fast fields in one pass over the matching documents.
//!
//! Per segment, three string columns are counted by term ordinal in plain vectors: the category
//! path (`root/leaf`), the seller (`merchant|ship-from`, two facets in one lookup) and the
//! ships-to set (`DE,FR,PL`). When a segment is done, in its own thread, its ordinals map to
//! index-wide value numbers ([`crate::columns`]) and the seller splits into its two facets; the merge then adds a few
//! thousand numbers per segment into dense vectors, and strings are made once for the answer
//! (only for the most frequent merchants when the request says how many). The per-document cost
//! is a few array increments, and no dictionary is read at query time. Multi-valued facets
//! (category ancestors, ships-to countries) are split after counting: a multi-valued column
//! costs several times more per document.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::columns::{ColumnCache, Columns, FacetColumn, Named};

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
    /// At most this many merchants, the most frequent (all when `None`).
    pub merchants: Option<usize>,
}

/// One segment's counting state.
pub struct SegmentFacets {
    columns: Arc<Columns>,
    /// Per category ordinal, per seller ordinal and per ships-to set ordinal.
    counts: [Vec<u32>; 3],
    bounds: Vec<i64>,
    price_counts: Vec<u64>,
    total: u64,
    scratch: Vec<Option<u64>>,
    prices: Vec<Option<i64>>,
    pending: Vec<DocId>,
}

/// (value number, documents) for each value a segment saw.
type Sparse = Vec<(u32, u64)>;

/// One segment's counts.
pub struct SegmentCounts {
    total: u64,
    category: Sparse,
    /// Merchant and ship-from.
    seller: [Sparse; 2],
    ships_to: Sparse,
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
        let counts = [
            vec![0u32; columns.category.as_ref().map_or(0, |c| c.numbers.len())],
            vec![0u32; columns.seller.as_ref().map_or(0, |c| c.numbers.len())],
            vec![0u32; columns.destinations.as_ref().map_or(0, |c| c.numbers.len())],
        ];
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
        let mut parts = [
            vec![0u64; numbered.merchant.names.len()],
            vec![0u64; numbered.ship_from.names.len()],
            vec![0u64; numbered.ships_to.names.len()],
        ];
        let mut price = vec![0; self.bounds.len()];
        let mut total = 0;
        for f in fruits {
            total += f.total;
            add(&mut category, &f.category);
            for (dense, sparse) in parts
                .iter_mut()
                .zip([&f.seller[0], &f.seller[1], &f.ships_to])
            {
                add(dense, sparse);
            }
            for (a, b) in price.iter_mut().zip(f.price) {
                *a += b;
            }
        }
        let [merchant, ship_from, ships_to] = parts;
        Ok(Facets {
            total,
            category: split(listed(&numbered.category, &category), '/'),
            merchant: most(&numbered.merchant, &merchant, self.merchants),
            ship_from: listed(&numbered.ship_from, &ship_from),
            ships_to: split(listed(&numbered.ships_to, &ships_to), ','),
            price,
        })
    }
}

/// Adds one segment's counts into the index-wide vector.
fn add(dense: &mut [u64], sparse: &[(u32, u64)]) {
    for (number, n) in sparse {
        if let Some(d) = dense.get_mut(*number as usize) {
            *d += n;
        }
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

/// The `limit` most frequent values (ties by name), in name order; all when `None`. A broad
/// query meets thousands of merchants and a page shows a few: naming only those saves
/// thousands of strings per query.
fn most(named: &Named, dense: &[u64], limit: Option<usize>) -> Counts {
    let Some(limit) = limit else {
        return listed(named, dense);
    };
    let name = |v: u32| named.names.get(v as usize).map_or("", |n| n.as_ref());
    let mut seen: Vec<(u32, u64)> = (0u32..)
        .zip(dense)
        .filter(|(_, n)| **n > 0)
        .map(|(v, n)| (v, *n))
        .collect();
    if seen.len() > limit {
        // By count alone first (no string compared), then the values tied at the cut by name.
        let cut = match limit.checked_sub(1) {
            Some(last) => seen.select_nth_unstable_by(last, |a, b| b.1.cmp(&a.1)).1 .1,
            None => u64::MAX,
        };
        let (mut kept, mut tied): (Vec<_>, Vec<_>) = seen
            .into_iter()
            .filter(|(_, n)| *n >= cut)
            .partition(|(_, n)| *n > cut);
        let room = limit.saturating_sub(kept.len());
        if tied.len() > room && room > 0 {
            tied.select_nth_unstable_by(room - 1, |a, b| name(a.0).cmp(name(b.0)));
        }
        tied.truncate(room);
        kept.append(&mut tied);
        seen = kept;
    }
    let mut out: Counts = seen
        .into_iter()
        .map(|(v, n)| (name(v).to_string(), n))
        .collect();
    out.sort_unstable();
    out
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
        let [category, seller, destinations] = &self.counts;
        // The seller splits into its two facets here, in the segment's own thread, so the
        // merge adds a few thousand merchants rather than every seller value.
        let mut dense = self.columns.seller_widths.map(|w| vec![0u64; w]);
        if let Some(c) = &self.columns.seller {
            for (parts, n) in c.numbers.iter().zip(seller) {
                if *n == 0 {
                    continue;
                }
                for (d, number) in dense.iter_mut().zip(parts) {
                    if let Some(d) = d.get_mut(*number as usize) {
                        *d += u64::from(*n);
                    }
                }
            }
        }
        SegmentCounts {
            total: self.total,
            category: sparse(self.columns.category.as_ref(), category),
            seller: dense.map(|d| (0u32..).zip(d).filter(|(_, n)| *n > 0).collect()),
            ships_to: sparse(self.columns.destinations.as_ref(), destinations),
            price: self.price_counts,
        }
    }
}

/// A segment's counts per ordinal as (index-wide number, documents), for the values seen.
fn sparse(column: Option<&FacetColumn<u32>>, counts: &[u32]) -> Sparse {
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
        let columns = [
            self.columns.category.as_ref().map(|c| &c.ords),
            self.columns.seller.as_ref().map(|c| &c.ords),
            self.columns.destinations.as_ref().map(|c| &c.ords),
        ];
        for (column, counts) in columns.into_iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            self.scratch.clear();
            self.scratch.resize(docs.len(), None);
            column.first_vals(docs, &mut self.scratch);
            for ord in self.scratch.iter().flatten() {
                if let Some(n) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
                    *n += 1;
                }
            }
        }
        self.count_prices(docs);
    }

    fn count_prices(&mut self, docs: &[DocId]) {
        if self.bounds.is_empty() {
            return;
        }
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
