-- Connect: merchants offer creators a commission per store, category or product (3-50%); the
-- rate in force is frozen on each order line at sale (0: none offered).

CREATE TABLE commission_rates (
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    scope TEXT NOT NULL CHECK (scope IN ('store', 'category', 'product')),
    target_id TEXT NOT NULL,
    rate_bps BIGINT NOT NULL CHECK (rate_bps >= 300 AND rate_bps <= 5000),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, scope, target_id)
);

ALTER TABLE order_lines ADD COLUMN commission_bps BIGINT NOT NULL DEFAULT 0;
