-- Charity programmes: a cause (texts per language, partner, target, collecting window), the
-- stores' pledges to it, and what each order line pledged at sale. The money itself lives in
-- the ledger (`charity:<cause>:pending` until the order completes, then `charity:<cause>`);
-- remittances to the partner record the rates they were converted at.

CREATE TABLE causes (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    partner TEXT NOT NULL,
    partner_url TEXT NOT NULL DEFAULT '',
    target_minor BIGINT NOT NULL CHECK (target_minor > 0),
    currency TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    image TEXT,
    created_at BIGINT NOT NULL,
    CHECK (starts_at < ends_at)
);

CREATE TABLE cause_texts (
    cause_id TEXT NOT NULL REFERENCES causes (id),
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (cause_id, locale)
);

CREATE TABLE pledges (
    cause_id TEXT NOT NULL REFERENCES causes (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    kind TEXT NOT NULL CHECK (kind IN ('percent', 'per_unit')),
    value BIGINT NOT NULL CHECK (value > 0),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (cause_id, merchant_id)
);
CREATE INDEX pledges_merchant ON pledges (merchant_id);

ALTER TABLE orders ADD COLUMN cause_id TEXT;
ALTER TABLE orders ADD COLUMN pledge_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN pledge_minor BIGINT NOT NULL DEFAULT 0;
CREATE INDEX orders_cause ON orders (cause_id);

CREATE TABLE charity_remittances (
    id TEXT PRIMARY KEY,
    cause_id TEXT NOT NULL REFERENCES causes (id),
    reference TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    parts TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX charity_remittances_cause ON charity_remittances (cause_id, created_at);
CREATE UNIQUE INDEX charity_remittances_reference ON charity_remittances (cause_id, reference);
