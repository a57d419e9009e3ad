//! Each segment's fast columns, opened once and kept while the segment lives, and the facet
//! values of every segment numbered once for the whole index.
//!
//! Opening a column decodes its block metadata, and turning ordinals into strings walks the
//! segment's dictionary; both used to happen on every query (a fifth of a search's time at a
//! million products). A segment never changes once written, so its columns and the map from its
//! ordinals to index-wide value numbers are made when a query first meets it. Counting then adds
//! into plain vectors indexed by value number, and strings are made only for the final answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::SegmentReader;

use crate::schema::names;
use crate::SearchError;

/// One string facet of one segment: its ordinals and what each ordinal's value is numbered.
pub struct FacetColumn<T> {
    /// The segment ordinal of each document's value.
    pub ords: Column<u64>,
    /// Segment ordinal → index-wide value number(s).
    pub numbers: Vec<T>,
}

/// The seller column: each ordinal's merchant and ship-from numbers.
pub type SellerColumn = FacetColumn<[u32; 2]>;

impl SellerColumn {
    /// One more than the highest number of each part in this segment: the length of the
    /// vectors the segment's counts are added into.
    pub fn widths(&self) -> [usize; 2] {
        let mut widths = [0usize; 2];
        for parts in &self.numbers {
            for (w, n) in widths.iter_mut().zip(parts) {
                *w = (*w).max(*n as usize + 1);
            }
        }
        widths
    }
}

/// A segment's columns.
pub struct Columns {
    /// Product ids.
    pub id: Option<StrColumn>,
    /// The category path (`root/leaf`).
    pub category: Option<FacetColumn<u32>>,
    /// The seller: merchant and ship-from in one value, so one lookup per document counts
    /// two facets.
    pub seller: Option<SellerColumn>,
    /// [`SellerColumn::widths`], computed once.
    pub seller_widths: [usize; 2],
    /// The ships-to set (`DE,FR,PL`).
    pub destinations: Option<FacetColumn<u32>>,
    /// Reference prices.
    pub price: Column<i64>,
}

/// One facet's values, numbered in the order they were first met.
#[derive(Default)]
struct Values {
    numbers: HashMap<Arc<str>, u32>,
    /// Shared with the answers being made; copied only when a new value comes.
    names: Arc<Vec<Arc<str>>>,
    /// Value numbers ordered by name; `None` after new values came.
    sorted: Option<Arc<Vec<u32>>>,
}

impl Values {
    fn number(&mut self, name: &str) -> u32 {
        if let Some(n) = self.numbers.get(name) {
            return *n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(name);
        self.numbers.insert(name.clone(), n);
        Arc::make_mut(&mut self.names).push(name);
        self.sorted = None;
        n
    }

    fn snapshot(&mut self) -> Named {
        let names = self.names.clone();
        let sorted = match &self.sorted {
            Some(s) => s.clone(),
            None => {
                let mut order: Vec<u32> = (0u32..).take(names.len()).collect();
                order.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
                let order = Arc::new(order);
                self.sorted = Some(order.clone());
                order
            }
        };
        Named { names, sorted }
    }
}

/// A facet's value names at one moment, and their numbers in name order.
pub struct Named {
    /// Value number → name.
    pub names: Arc<Vec<Arc<str>>>,
    /// Value numbers ordered by name.
    pub sorted: Arc<Vec<u32>>,
}

/// The numbered values of every facet at one moment.
pub struct Snapshot {
    /// Category paths (`root/leaf`).
    pub category: Named,
    /// Merchant ids.
    pub merchant: Named,
    /// Ship-from countries.
    pub ship_from: Named,
    /// Ships-to sets (`DE,FR,PL`).
    pub ships_to: Named,
}

#[derive(Default)]
struct Numbering {
    category: Values,
    merchant: Values,
    ship_from: Values,
    ships_to: Values,
}

impl Numbering {
    /// Numbers a seller value's two parts.
    fn seller(&mut self, name: &str) -> [u32; 2] {
        let mut parts = name.splitn(2, names::SELLER_SEP);
        [
            self.merchant.number(parts.next().unwrap_or_default()),
            self.ship_from.number(parts.next().unwrap_or_default()),
        ]
    }

    fn snapshot(&mut self) -> Snapshot {
        Snapshot {
            category: self.category.snapshot(),
            merchant: self.merchant.snapshot(),
            ship_from: self.ship_from.snapshot(),
            ships_to: self.ships_to.snapshot(),
        }
    }
}

#[derive(Default)]
struct State {
    segments: HashMap<SegmentId, Arc<Columns>>,
    numbering: Numbering,
}

/// The cache of every live segment's columns.
#[derive(Default)]
pub struct ColumnCache {
    state: Mutex<State>,
}

/// Segments' columns kept beyond the live ones before the dead are dropped.
const SPARE_SEGMENTS: usize = 16;

impl ColumnCache {
    /// The columns of `segment`, opened and numbered on first use.
    pub fn columns(&self, segment: &SegmentReader) -> Result<Arc<Columns>, SearchError> {
        let id = segment.segment_id();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = state.segments.get(&id) {
            return Ok(c.clone());
        }
        let columns = Arc::new(open(segment, &mut state.numbering)?);
        state.segments.insert(id, columns.clone());
        Ok(columns)
    }

    /// Forgets dead segments' columns once there are many (merges replace segments).
    pub fn retain(&self, live: &[SegmentId]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.segments.len() > live.len() + SPARE_SEGMENTS {
            state.segments.retain(|id, _| live.contains(id));
        }
    }

    /// The names of every facet value numbered so far.
    pub fn snapshot(&self) -> Snapshot {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.numbering.snapshot()
    }
}

fn open(segment: &SegmentReader, numbering: &mut Numbering) -> Result<Columns, SearchError> {
    let fast = segment.fast_fields();
    let category = match fast.str(names::CATEGORY_PATH)? {
        Some(column) => Some(number(&column, |v| numbering.category.number(v))?),
        None => None,
    };
    let seller = match fast.str(names::SELLER)? {
        Some(column) => Some(number(&column, |v| numbering.seller(v))?),
        None => None,
    };
    let destinations = match fast.str(names::DESTINATIONS)? {
        Some(column) => Some(number(&column, |v| numbering.ships_to.number(v))?),
        None => None,
    };
    Ok(Columns {
        id: fast.str(names::ID)?,
        category,
        destinations,
        seller_widths: seller.as_ref().map_or([0; 2], SellerColumn::widths),
        seller,
        price: fast.i64(names::PRICE)?,
    })
}

/// Numbers every value of a segment's dictionary, in one sequential walk.
fn number<T>(
    column: &StrColumn,
    mut number: impl FnMut(&str) -> T,
) -> Result<FacetColumn<T>, SearchError> {
    let mut numbers = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        let name = std::str::from_utf8(stream.key())
            .map_err(|_| SearchError::Corrupt("facet value is not UTF-8"))?;
        numbers.push(number(name));
    }
    Ok(FacetColumn {
        ords: column.ords().clone(),
        numbers,
    })
}
