//! Caravan's product index: tantivy with an analyser per language, filters, facet counts and
//! suggestions.
//!
//! It indexes what it is given ([`ProductDoc`]) and answers with product ids; which products are
//! visible, prices in the reference currency, and turning ids back into products are the caller's
//! business (`caravan-market`). It knows nothing of SQL or HTTP.

pub mod analysis;
pub mod columns;
pub mod facets;
pub mod index;
pub mod query;
pub mod schema;

pub use facets::Facets;
pub use index::{SearchIndex, SearchResults};
pub use query::{Filters, SearchRequest, Sort};
pub use schema::ProductDoc;

/// What can go wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory could not be read or written.
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// The index directory could not be inspected.
    #[error("search index directory: {0}")]
    OpenRead(#[from] tantivy::directory::error::OpenReadError),
    /// A writer thread panicked earlier.
    #[error("search index writer is unavailable after an earlier failure")]
    Poisoned,
    /// The index lacks something every index has.
    #[error("search index is damaged: {0}")]
    Corrupt(&'static str),
}
