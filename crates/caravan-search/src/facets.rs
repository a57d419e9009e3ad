//! Facet counts read from fast fields in one pass over the matching documents.
//!
//! Per segment, string facets are counted by term ordinal in a plain vector and turned into
//! strings once at the end, so the per-document cost is a few array increments.

use std::collections::HashMap;

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
    pub category: HashMap<String, u64>,
    /// Merchant id → documents.
    pub merchant: HashMap<String, u64>,
    /// Ship-from country → documents.
    pub ship_from: HashMap<String, u64>,
    /// Ships-to country (or `*`) → documents.
    pub ships_to: HashMap<String, u64>,
    /// Documents per price bucket: `price[i]` counts prices in `[bounds[i], bounds[i+1])`,
    /// the last bucket is open-ended; prices below `bounds[0]` are not counted.
    pub price: Vec<u64>,
}

/// Collects [`Facets`]; `bounds` are ascending price-bucket lower bounds.
pub struct FacetCollector {
    /// Ascending lower bounds of the price buckets, in reference minor units.
    pub bounds: Vec<i64>,
}

const STRING_FACETS: [&str; 4] = [
    names::CATEGORY,
    names::MERCHANT,
    names::SHIP_FROM,
    names::SHIPS_TO,
];

/// One segment's counting state.
pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    price: Column<i64>,
    bounds: Vec<i64>,
    price_counts: Vec<u64>,
    total: u64,
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
            columns,
            counts,
            price: fast.i64(names::PRICE)?,
            bounds: self.bounds.clone(),
            price_counts: vec![0; self.bounds.len()],
            total: 0,
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
            for (into, from) in [
                (&mut out.category, f.category),
                (&mut out.merchant, f.merchant),
                (&mut out.ship_from, f.ship_from),
                (&mut out.ships_to, f.ships_to),
            ] {
                for (k, v) in from {
                    *into.entry(k).or_default() += v;
                }
            }
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
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(n) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                        *n += 1;
                    }
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

    fn harvest(self) -> Facets {
        let mut maps: Vec<HashMap<String, u64>> = Vec::with_capacity(4);
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut map = HashMap::new();
            if let Some(column) = column {
                let mut text = String::new();
                for (ord, n) in counts.into_iter().enumerate() {
                    if n > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        map.insert(text.clone(), u64::from(n));
                    }
                }
            }
            maps.push(map);
        }
        let mut maps = maps.into_iter();
        Facets {
            total: self.total,
            category: maps.next().unwrap_or_default(),
            merchant: maps.next().unwrap_or_default(),
            ship_from: maps.next().unwrap_or_default(),
            ships_to: maps.next().unwrap_or_default(),
            price: self.price_counts,
        }
    }
}
