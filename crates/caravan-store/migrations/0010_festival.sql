-- The festival: campaigns with texts per language and a window; merchants' deals (a price, the
-- committed units, a per-buyer limit, an optional flash slot) with the units claimed so far and
-- per buyer, both decided in the order writer's transaction; each variant's price history for
-- the EU Omnibus reference price; and on every order line its discounts and who funds them.

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    enrol_from BIGINT NOT NULL,
    warmup_at BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    min_discount_bps BIGINT NOT NULL CHECK (min_discount_bps >= 0 AND min_discount_bps <= 9000),
    min_units BIGINT NOT NULL CHECK (min_units >= 1),
    categories TEXT NOT NULL,
    ship_from TEXT NOT NULL,
    banner TEXT,
    created_at BIGINT NOT NULL,
    CHECK (enrol_from <= warmup_at AND warmup_at <= starts_at AND starts_at < ends_at)
);

CREATE TABLE campaign_texts (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (campaign_id, locale)
);

CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    variant_id TEXT NOT NULL REFERENCES variants (id),
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    currency TEXT NOT NULL,
    reference_minor BIGINT NOT NULL CHECK (reference_minor > price_minor),
    cap BIGINT NOT NULL CHECK (cap >= 1),
    claimed BIGINT NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= cap),
    per_buyer BIGINT NOT NULL CHECK (per_buyer >= 1),
    slot_from BIGINT,
    slot_to BIGINT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (campaign_id, variant_id)
);
CREATE INDEX deals_merchant ON deals (merchant_id, created_at);

CREATE TABLE deal_claims (
    deal_id TEXT NOT NULL REFERENCES deals (id),
    buyer_id TEXT NOT NULL REFERENCES users (id),
    units BIGINT NOT NULL CHECK (units >= 0),
    PRIMARY KEY (deal_id, buyer_id)
);

CREATE TABLE price_history (
    variant_id TEXT NOT NULL REFERENCES variants (id),
    at BIGINT NOT NULL,
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    PRIMARY KEY (variant_id, at)
);
-- What is known of the prices before this migration: each variant's price since its creation.
INSERT INTO price_history (variant_id, at, price_minor) SELECT id, created_at, price_minor FROM variants;

ALTER TABLE order_lines ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN deal_id TEXT;

CREATE TABLE order_line_discounts (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    stage TEXT NOT NULL,
    funder TEXT NOT NULL CHECK (funder IN ('merchant', 'platform')),
    source TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (order_id, position, seq)
);
