-- Every buyer reads every product in their own language.
--
-- A product text is the merchant's own (machine = 0) or a machine translation (machine = 1) of
-- the merchant's text in `source_locale`, whose title and description hashed to `source_hash`
-- when it was translated. A merchant's text is never replaced by a machine one; writing a locale
-- makes it the merchant's.
ALTER TABLE product_texts ADD COLUMN machine BIGINT NOT NULL DEFAULT 0;
ALTER TABLE product_texts ADD COLUMN source_locale TEXT;
ALTER TABLE product_texts ADD COLUMN source_hash TEXT;

-- The translation outbox: one row per product and missing locale, written in the transaction
-- that saved the product; a worker translates what is due and retries a failure with backoff.
CREATE TABLE translation_jobs (
    product_id TEXT NOT NULL REFERENCES products (id),
    locale TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, locale)
);
CREATE INDEX translation_jobs_due ON translation_jobs (due_at);

-- The catalogue's glossary: one term (a noun or a modifier such as a material or a colour) in
-- each of the eight languages, with its forms (`words`: JSON locale → [forms], the first the one
-- a translation uses), for every category or one category and those below it. Search indexes a
-- product with every language's forms of the terms its text, attributes and options contain;
-- the built-in translation provider translates with it.
CREATE TABLE glossary_terms (
    id TEXT PRIMARY KEY,
    category_id TEXT REFERENCES categories (id),
    kind TEXT NOT NULL CHECK (kind IN ('noun', 'modifier')),
    words TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
