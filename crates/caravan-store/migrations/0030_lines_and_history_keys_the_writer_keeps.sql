-- Three more foreign keys the order writer keeps itself (ADR 0019, as in migration 0027).
-- An order's lines and its first history row are inserted with the order, by the same
-- function in the same transaction, and orders and variants are never deleted. On PostgreSQL
-- each key was a trigger per row: a lookup of the parent and a share lock on it. The variant's
-- was the worst: every line of a hot SKU locked the same variant row, so a midnight burst piled
-- lockers onto one row the stock update also takes. The money-model test checks that no line
-- or history row lacks its order and no line its variant (`Store::orphans`).
--
-- Neither engine drops a foreign key in place the same way, so both tables are rebuilt: the
-- same columns in the same order, the same checks and primary keys, without the references.

CREATE TABLE order_lines_next (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    variant_id TEXT NOT NULL,
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
    discount_minor BIGINT NOT NULL DEFAULT 0,
    deal_id TEXT,
    commission_bps BIGINT NOT NULL DEFAULT 0,
    commission_minor BIGINT NOT NULL DEFAULT 0,
    pledge_minor BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, position)
);
INSERT INTO order_lines_next (
    order_id, position, variant_id, product_id, sku, title, quantity, unit_price_minor,
    total_minor, currency, presentment_total_minor, presentment_currency, fx_rate_e9, fee_bps,
    fee_minor, discount_minor, deal_id, commission_bps, commission_minor, pledge_minor
)
    SELECT order_id, position, variant_id, product_id, sku, title, quantity, unit_price_minor,
        total_minor, currency, presentment_total_minor, presentment_currency, fx_rate_e9,
        fee_bps, fee_minor, discount_minor, deal_id, commission_bps, commission_minor,
        pledge_minor
    FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_next RENAME TO order_lines;

CREATE TABLE order_history_next (
    order_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (order_id, seq)
);
INSERT INTO order_history_next (order_id, seq, status, note, at)
    SELECT order_id, seq, status, note, at FROM order_history;
DROP TABLE order_history;
ALTER TABLE order_history_next RENAME TO order_history;
