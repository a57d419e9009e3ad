//! The index's fields and how a product becomes a document.

use caravan_domain::Locale;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::TantivyDocument;

use crate::analysis::{analyser_name, RAW};

/// One product as the index sees it; the caller decides visibility and converts the price.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDoc {
    /// Public product id (`prd_…`).
    pub id: String,
    /// Public merchant id.
    pub merchant: String,
    /// The product's category path, root first, leaf last.
    pub categories: Vec<String>,
    /// Title and description per locale.
    pub texts: Vec<(Locale, String, String)>,
    /// The catalogue's own words for the product in every language (its category path's names):
    /// what a buyer finds it by in a language its merchant did not write.
    pub vocabulary: Vec<(Locale, String)>,
    /// Lowest variant price in the reference currency's minor units (EUR cents).
    pub price: i64,
    /// ISO country the product ships from.
    pub ship_from: String,
    /// ISO countries the product ships to; `*` for the rest of the world.
    pub ships_to: Vec<String>,
    /// Creation time, UTC milliseconds.
    pub created_ms: i64,
    /// Units sold so far.
    pub sold: i64,
    /// Whether any variant has stock.
    pub in_stock: bool,
}

/// Handles of every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Product id: exact term and fast column.
    pub id: Field,
    /// Title per locale, in `Locale::ALL` order.
    pub title: [Field; 8],
    /// Description per locale, in `Locale::ALL` order.
    pub body: [Field; 8],
    /// The catalogue's words for the product per locale (category names), in `Locale::ALL` order.
    pub vocab: [Field; 8],
    /// Whole title words of every language, for suggestions.
    pub raw: Field,
    /// Category ids (with ancestors).
    pub category: Field,
    /// Merchant id.
    pub merchant: Field,
    /// Ship-from country.
    pub ship_from: Field,
    /// Ships-to countries.
    pub ships_to: Field,
    /// The category path (`root/…/leaf`), one value, for facet counting.
    pub category_path: Field,
    /// Who sells it from where (`merchant|ship-from`), one value, for facet counting: two
    /// facets in one lookup per document.
    pub seller: Field,
    /// Where it ships (`DE,FR,PL` or `*`), one value, for facet counting.
    pub destinations: Field,
    /// Reference price.
    pub price: Field,
    /// Creation time.
    pub created: Field,
    /// Units sold.
    pub sold: Field,
    /// 1 when in stock, 0 otherwise.
    pub in_stock: Field,
}

/// Field names, shared with the collectors that read fast fields by name.
pub mod names {
    /// Product id field (a fast column read for each page of hits).
    pub const ID: &str = "id";
    /// Category path fast field (single-valued; counted, then split into its ancestors).
    pub const CATEGORY_PATH: &str = "category_path";
    /// Seller fast field: merchant and ship-from joined by [`SELLER_SEP`] (single-valued;
    /// counted, then split into the two facets).
    pub const SELLER: &str = "seller";
    /// Ships-to set fast field: the countries joined by commas (single-valued; counted, then
    /// split into countries). Kept apart from the seller: joined, the two made tens of
    /// thousands of values to count and walk per segment.
    pub const DESTINATIONS: &str = "destinations";
    /// Separates the parts of a seller value (ids and country codes never hold it).
    pub const SELLER_SEP: char = '|';
    /// Price fast field.
    pub const PRICE: &str = "price";
    /// Created fast field.
    pub const CREATED: &str = "created";
    /// Sold fast field.
    pub const SOLD: &str = "sold";
}

fn text(analyser: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyser)
            .set_index_option(record),
    )
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field(names::ID, STRING | FAST);
    let title = Locale::ALL.map(|l| {
        b.add_text_field(
            &format!("title_{}", l.code()),
            text(analyser_name(l), IndexRecordOption::WithFreqs),
        )
    });
    let body = Locale::ALL.map(|l| {
        b.add_text_field(
            &format!("body_{}", l.code()),
            text(analyser_name(l), IndexRecordOption::WithFreqs),
        )
    });
    let vocab = Locale::ALL.map(|l| {
        b.add_text_field(
            &format!("vocab_{}", l.code()),
            text(analyser_name(l), IndexRecordOption::Basic),
        )
    });
    let raw = b.add_text_field("raw", text(RAW, IndexRecordOption::Basic));
    let category = b.add_text_field("category", STRING);
    let merchant = b.add_text_field("merchant", STRING);
    let ship_from = b.add_text_field("ship_from", STRING);
    let ships_to = b.add_text_field("ships_to", STRING);
    let category_path = b.add_text_field(names::CATEGORY_PATH, FAST);
    let seller = b.add_text_field(names::SELLER, FAST);
    let destinations = b.add_text_field(names::DESTINATIONS, FAST);
    let price = b.add_i64_field(names::PRICE, FAST | INDEXED);
    let created = b.add_i64_field(names::CREATED, FAST);
    let sold = b.add_i64_field(names::SOLD, FAST);
    let in_stock = b.add_u64_field("in_stock", INDEXED);
    let fields = Fields {
        id,
        title,
        body,
        vocab,
        raw,
        category,
        merchant,
        ship_from,
        ships_to,
        category_path,
        seller,
        destinations,
        price,
        created,
        sold,
        in_stock,
    };
    (b.build(), fields)
}

fn slot(locale: Locale) -> usize {
    Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)
}

impl Fields {
    /// The title field of a locale.
    pub fn title_of(&self, locale: Locale) -> Field {
        self.title[slot(locale)]
    }

    /// The description field of a locale.
    pub fn body_of(&self, locale: Locale) -> Field {
        self.body[slot(locale)]
    }

    /// The vocabulary field of a locale.
    pub fn vocab_of(&self, locale: Locale) -> Field {
        self.vocab[slot(locale)]
    }

    /// Turns a product into a document.
    pub fn document(&self, p: &ProductDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &p.id);
        for (locale, title, body) in &p.texts {
            d.add_text(self.title_of(*locale), title);
            if !body.is_empty() {
                d.add_text(self.body_of(*locale), body);
            }
            d.add_text(self.raw, title);
        }
        for (locale, words) in &p.vocabulary {
            d.add_text(self.vocab_of(*locale), words);
        }
        for c in &p.categories {
            d.add_text(self.category, c);
        }
        d.add_text(self.merchant, &p.merchant);
        d.add_text(self.ship_from, &p.ship_from);
        for c in &p.ships_to {
            d.add_text(self.ships_to, c);
        }
        d.add_text(self.category_path, p.categories.join("/"));
        let sep = names::SELLER_SEP;
        d.add_text(self.seller, format!("{}{sep}{}", p.merchant, p.ship_from));
        d.add_text(self.destinations, p.ships_to.join(","));
        d.add_i64(self.price, p.price);
        d.add_i64(self.created, p.created_ms);
        d.add_i64(self.sold, p.sold);
        d.add_u64(self.in_stock, u64::from(p.in_stock));
        d
    }
}
