//! The index on disk (or in memory for tests): open, write, search, suggest.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};

use crate::analysis;
use crate::columns::ColumnCache;
use crate::facets::{FacetCollector, Facets};
use crate::query::{self, SearchRequest, Sort};
use crate::schema::{self, names, Fields, ProductDoc};
use crate::SearchError;

/// Memory for the live writer: small, it sees a few changes at a time.
const LIVE_WRITER_BYTES: usize = 50_000_000;
/// Memory per thread for a full rebuild.
const BULK_WRITER_BYTES_PER_THREAD: usize = 200_000_000;
/// Dictionary terms scanned at most for one suggestion request.
const SUGGEST_SCAN: usize = 50_000;

/// The product index.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    fresh: bool,
    columns: Arc<ColumnCache>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Matching documents in all.
    pub total: u64,
    /// Product ids of the requested page, in order.
    pub ids: Vec<String>,
    /// Facet counts, when asked for.
    pub facets: Option<Facets>,
    /// True when nothing matched exactly and typo-tolerant matching was used.
    pub typo_tolerant: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index written with another schema
    /// (an older Caravan) is wiped and recreated empty; [`SearchIndex::is_fresh`] then says so.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        std::fs::create_dir_all(dir)?;
        let existing = Index::exists(&MmapDirectory::open(dir)?)?;
        let mut fresh = !existing;
        let index = if existing {
            let index = Index::open_in_dir(dir)?;
            if index.schema() == schema {
                index
            } else {
                tracing::warn!(dir = %dir.display(), "search index has another schema; recreating it");
                drop(index);
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                fresh = true;
                Index::create_in_dir(dir, schema)?
            }
        } else {
            Index::create_in_dir(dir, schema)?
        };
        Self::with_index(index, fields, fresh)
    }

    /// An index in memory (tests, benchmarks of the query path).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields): (Schema, Fields) = schema::build();
        Self::with_index(Index::create_in_ram(schema), fields, true)
    }

    fn with_index(mut index: Index, fields: Fields, fresh: bool) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        // Segments are searched in parallel: a quiet server answers one big query with every
        // core; a busy one is no worse off than with one thread per query.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        index.set_multithread_executor(threads)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, LIVE_WRITER_BYTES)?;
        Ok(Self {
            index,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            fresh,
            columns: Arc::default(),
        })
    }

    /// True when the index was created by this open (empty, needs a full build).
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Documents visible to searches.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Segments searched per query (fewer is faster).
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// True when no document is visible.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    /// The outbox position recorded by the last commit (`None` for an index never written).
    pub fn position(&self) -> Result<Option<i64>, SearchError> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok()))
    }

    /// Replaces the given products (deleting any older version) and removes `gone`, recording
    /// `position` (the outbox sequence these changes reach) in the same commit; visible to
    /// searches when this returns.
    pub fn apply(
        &self,
        upserts: &[ProductDoc],
        gone: &[String],
        position: i64,
    ) -> Result<(), SearchError> {
        let mut guard = self.lock()?;
        let writer = guard.as_mut().ok_or(SearchError::Poisoned)?;
        for id in gone.iter().chain(upserts.iter().map(|p| &p.id)) {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for p in upserts {
            writer.add_document(self.fields.document(p))?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&position.to_string());
        commit.commit()?;
        drop(guard);
        self.reload()?;
        Ok(())
    }

    /// Throws everything away and indexes `docs` with every core, recording `position`;
    /// returns the number indexed.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = ProductDoc>,
        position: i64,
    ) -> Result<u64, SearchError> {
        let mut guard = self.lock()?;
        if let Some(live) = guard.take() {
            live.wait_merging_threads()?;
        }
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        let mut bulk = self
            .index
            .writer_with_num_threads(threads, threads * BULK_WRITER_BYTES_PER_THREAD)?;
        bulk.delete_all_documents()?;
        let mut n = 0u64;
        for p in docs {
            bulk.add_document(self.fields.document(&p))?;
            n += 1;
        }
        let mut commit = bulk.prepare_commit()?;
        commit.set_payload(&position.to_string());
        commit.commit()?;
        bulk.wait_merging_threads()?;
        *guard = Some(self.index.writer_with_num_threads(1, LIVE_WRITER_BYTES)?);
        drop(guard);
        self.reload()?;
        Ok(n)
    }

    /// Shows searches what was committed and forgets the columns of merged-away segments.
    fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        let live: Vec<_> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.columns.retain(&live);
        Ok(())
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let known = |field, text: &str| {
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .map_or(true, |n| n > 0)
        };
        let (q, has_text) = query::build(&self.fields, req, false, &known);
        let mut results = self.run(&searcher, q.as_ref(), req, has_text)?;
        if has_text && results.total == 0 {
            let (fuzzy, _) = query::build(&self.fields, req, true, &known);
            results = self.run(&searcher, fuzzy.as_ref(), req, true)?;
            results.typo_tolerant = true;
        }
        Ok(results)
    }

    fn run(
        &self,
        searcher: &Searcher,
        q: &dyn tantivy::query::Query,
        req: &SearchRequest,
        has_text: bool,
    ) -> Result<SearchResults, SearchError> {
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let sort = match req.sort {
            Sort::Relevance if !has_text => Sort::Newest,
            s => s,
        };
        let facets = req.facets.then(|| FacetCollector {
            bounds: req.price_bounds.clone(),
            cache: self.columns.clone(),
            merchants: req.max_merchants,
        });
        // One pass collects the page and the facets together: the query always carries an
        // exclusion or a nested disjunction, so tantivy's block-max pruning never applies and
        // the page's pass visits every match anyway.
        let (addresses, counted) = match sort {
            Sort::Relevance => {
                let (page, counted) = searcher.search(q, &(top.order_by_score(), facets))?;
                (
                    page.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
                    counted,
                )
            }
            Sort::PriceAsc | Sort::PriceDesc | Sort::Newest | Sort::BestSelling => {
                let (field, order) = match sort {
                    Sort::PriceAsc => (names::PRICE, Order::Asc),
                    Sort::PriceDesc => (names::PRICE, Order::Desc),
                    Sort::BestSelling => (names::SOLD, Order::Desc),
                    _ => (names::CREATED, Order::Desc),
                };
                let by_field = top.order_by_fast_field::<i64>(field, order);
                let (page, counted) = searcher.search(q, &(by_field, facets))?;
                (page.into_iter().map(|(_, a)| a).collect(), counted)
            }
        };
        let total = match &counted {
            Some(f) => f.total,
            None => searcher.search(q, &Count)? as u64,
        };
        Ok(SearchResults {
            total,
            ids: self.ids(searcher, &addresses)?,
            facets: counted,
            typo_tolerant: false,
        })
    }

    fn ids(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<String>, SearchError> {
        let mut out = Vec::with_capacity(addresses.len());
        for a in addresses {
            let columns = self
                .columns
                .columns(searcher.segment_reader(a.segment_ord))?;
            let column = columns
                .id
                .as_ref()
                .ok_or(SearchError::Corrupt("id column missing"))?;
            let mut id = String::new();
            if let Some(ord) = column.term_ords(a.doc_id).next() {
                column.ord_to_str(ord, &mut id)?;
            }
            out.push(id);
        }
        Ok(out)
    }

    /// Up to `limit` completions of what the buyer is typing: the last word is completed from
    /// the words of all titles, most frequent first, after the words already typed.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let words = query::words(text);
        let ends_word = text.chars().last().is_none_or(|c| !c.is_alphanumeric());
        let Some((last, before)) = words.split_last() else {
            return Ok(Vec::new());
        };
        if ends_word {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut freq: HashMap<Vec<u8>, u64> = HashMap::new();
        let mut scanned = 0usize;
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.raw)?;
            let mut stream = inverted.terms().range().ge(last.as_bytes()).into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(last.as_bytes()) || scanned >= SUGGEST_SCAN {
                    break;
                }
                scanned += 1;
                *freq.entry(key.to_vec()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let mut ranked: Vec<(Vec<u8>, u64)> = freq.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| a.0.len().cmp(&b.0.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let head = before.join(" ");
        Ok(ranked
            .into_iter()
            .filter_map(|(k, _)| String::from_utf8(k).ok())
            .take(limit)
            .map(|w| {
                if head.is_empty() {
                    w
                } else {
                    format!("{head} {w}")
                }
            })
            .collect())
    }
}
