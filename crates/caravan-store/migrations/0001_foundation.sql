-- Foundation schema: accounts, tokens, merchants, categories, products, variants.
-- One portable dialect for SQLite and PostgreSQL: TEXT ids, BIGINT numbers and UTC milliseconds.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    country TEXT,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('buyer', 'merchant', 'creator', 'operator')),
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    email TEXT PRIMARY KEY,
    failures BIGINT NOT NULL CHECK (failures >= 0),
    window_start BIGINT NOT NULL
);

CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    store_name TEXT NOT NULL,
    country TEXT NOT NULL,
    settlement_currency TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    status_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX merchants_status ON merchants (status, created_at);

CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES categories (id),
    slug TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE category_names (
    category_id TEXT NOT NULL REFERENCES categories (id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (category_id, locale)
);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    category_id TEXT NOT NULL REFERENCES categories (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    default_locale TEXT NOT NULL,
    hs_code TEXT,
    origin_country TEXT NOT NULL,
    ship_from_country TEXT NOT NULL,
    weight_grams BIGINT NOT NULL CHECK (weight_grams > 0),
    attributes TEXT NOT NULL,
    images TEXT NOT NULL,
    price_currency TEXT NOT NULL,
    -- The cheapest variant's price, kept by the store on every variant write (for filters and sorts).
    min_price_minor BIGINT NOT NULL CHECK (min_price_minor > 0),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX products_merchant ON products (merchant_id, created_at);
CREATE INDEX products_listing ON products (status, created_at, id);
CREATE INDEX products_category ON products (category_id, created_at);
CREATE INDEX products_price ON products (price_currency, min_price_minor, id);

CREATE TABLE product_texts (
    product_id TEXT NOT NULL REFERENCES products (id),
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (product_id, locale)
);

CREATE TABLE variants (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    sku TEXT NOT NULL,
    options TEXT NOT NULL,
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    price_currency TEXT NOT NULL,
    stock BIGINT NOT NULL CHECK (stock >= 0),
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, sku)
);
CREATE INDEX variants_product ON variants (product_id, position);
