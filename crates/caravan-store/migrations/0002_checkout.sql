-- Checkout and money: exchange rates, shipping rules, carts, orders, payments, idempotency,
-- the double-entry ledger, payouts, disputes and the events outbox.
-- Placed orders, order lines, ledger rows and history are never updated in place or deleted;
-- an order's current state lives in its own columns, changed only by guarded transitions that
-- append to order_history.

ALTER TABLE categories ADD COLUMN fee_bps BIGINT NOT NULL DEFAULT 500;

CREATE TABLE fx_rates (
    currency TEXT PRIMARY KEY,
    per_eur_e9 BIGINT NOT NULL CHECK (per_eur_e9 > 0),
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE shipping_rules (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    destination TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('economy', 'standard', 'express')),
    bands TEXT NOT NULL,
    free_over_minor BIGINT,
    min_days BIGINT NOT NULL CHECK (min_days >= 1),
    max_days BIGINT NOT NULL CHECK (max_days >= min_days),
    UNIQUE (merchant_id, destination, method)
);

CREATE TABLE carts (
    id TEXT PRIMARY KEY,
    user_id TEXT REFERENCES users (id),
    token_hash TEXT UNIQUE,
    country TEXT NOT NULL,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX carts_user ON carts (user_id);

CREATE TABLE cart_lines (
    cart_id TEXT NOT NULL REFERENCES carts (id),
    variant_id TEXT NOT NULL REFERENCES variants (id),
    quantity BIGINT NOT NULL CHECK (quantity >= 1 AND quantity <= 99),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (cart_id, variant_id)
);

CREATE TABLE order_groups (
    id TEXT PRIMARY KEY,
    buyer_id TEXT NOT NULL REFERENCES users (id),
    cart_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor BIGINT NOT NULL CHECK (total_minor >= 0),
    address TEXT NOT NULL,
    country TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    placed_at BIGINT NOT NULL
);
CREATE INDEX order_groups_buyer ON order_groups (buyer_id, placed_at);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES order_groups (id),
    buyer_id TEXT NOT NULL REFERENCES users (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    goods_minor BIGINT NOT NULL CHECK (goods_minor >= 0),
    shipping_minor BIGINT NOT NULL CHECK (shipping_minor >= 0),
    total_minor BIGINT NOT NULL CHECK (total_minor >= 0),
    fee_minor BIGINT NOT NULL CHECK (fee_minor >= 0),
    presentment_currency TEXT NOT NULL,
    presentment_total_minor BIGINT NOT NULL CHECK (presentment_total_minor >= 0),
    fx_rate_e9 BIGINT NOT NULL CHECK (fx_rate_e9 > 0),
    shipping_method TEXT NOT NULL,
    min_days BIGINT NOT NULL,
    max_days BIGINT NOT NULL,
    refunded_minor BIGINT NOT NULL DEFAULT 0,
    carrier TEXT,
    tracking_number TEXT,
    placed_at BIGINT NOT NULL,
    paid_at BIGINT,
    shipped_at BIGINT,
    delivered_at BIGINT,
    completed_at BIGINT,
    cancelled_at BIGINT,
    version BIGINT NOT NULL DEFAULT 0,
    CHECK (refunded_minor >= 0 AND refunded_minor <= total_minor)
);
CREATE INDEX orders_group ON orders (group_id);
CREATE INDEX orders_buyer ON orders (buyer_id, placed_at);
CREATE INDEX orders_merchant ON orders (merchant_id, placed_at);
CREATE INDEX orders_status ON orders (status, placed_at);

CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    variant_id TEXT NOT NULL REFERENCES variants (id),
    product_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    title TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 1),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor > 0),
    total_minor BIGINT NOT NULL CHECK (total_minor > 0),
    currency TEXT NOT NULL,
    presentment_total_minor BIGINT NOT NULL CHECK (presentment_total_minor >= 0),
    presentment_currency TEXT NOT NULL,
    fx_rate_e9 BIGINT NOT NULL CHECK (fx_rate_e9 > 0),
    fee_bps BIGINT NOT NULL,
    fee_minor BIGINT NOT NULL CHECK (fee_minor >= 0),
    PRIMARY KEY (order_id, position)
);
CREATE INDEX order_lines_variant ON order_lines (variant_id);

CREATE TABLE order_history (
    order_id TEXT NOT NULL REFERENCES orders (id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (order_id, seq)
);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'failed', 'voided')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- `id` is scope, U+001F, key: one indexed column, so a batch looks all its keys up with one IN.
CREATE TABLE idempotency_keys (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT NOT NULL,
    response TEXT NOT NULL,
        created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_created ON idempotency_keys (created_at);

CREATE TABLE ledger_transactions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_transactions_reference ON ledger_transactions (reference);

CREATE TABLE ledger_entries (
    tx_id TEXT NOT NULL REFERENCES ledger_transactions (id),
    position BIGINT NOT NULL,
    account TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (tx_id, position)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account, currency);

-- Running balances kept in the same transaction as the entries; payouts debit them guarded.
CREATE TABLE balances (
    account TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance_minor BIGINT NOT NULL,
    PRIMARY KEY (account, currency)
);

CREATE TABLE payouts (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX payouts_merchant ON payouts (merchant_id, created_at);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE REFERENCES orders (id),
    buyer_id TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'resolved')),
    merchant_answer TEXT,
    resolution TEXT,
    refund_minor BIGINT,
    opened_at BIGINT NOT NULL,
    answered_at BIGINT,
    resolved_at BIGINT
);

-- The outbox. `seq` comes from the sequences row, taken inside the writing transaction, so it
-- is gap-free and in commit order on both engines.
CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO sequences (name, value) VALUES ('events', 0);

CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
