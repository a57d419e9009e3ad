-- Coupons: a store's (funded by the merchant) or the platform's (funded by the platform), a
-- fixed amount or a percentage, a minimum spend, a validity window, a budget in uses and/or
-- money, a per-buyer limit, and optionally "collect before use". What is used of a budget is
-- decided in the order writer's transaction; each order keeps what it used, to give it back if
-- the order is cancelled. Orders record the platform-funded part of their discounts.

CREATE TABLE coupons (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    campaign_id TEXT REFERENCES campaigns (id),
    merchant_id TEXT REFERENCES merchants (id),
    kind TEXT NOT NULL CHECK (kind IN ('fixed', 'percent')),
    value BIGINT NOT NULL CHECK (value > 0),
    currency TEXT NOT NULL,
    min_spend_minor BIGINT NOT NULL CHECK (min_spend_minor >= 0),
    valid_from BIGINT NOT NULL,
    valid_to BIGINT NOT NULL,
    budget_uses BIGINT,
    used_uses BIGINT NOT NULL DEFAULT 0,
    budget_minor BIGINT,
    used_minor BIGINT NOT NULL DEFAULT 0,
    per_buyer BIGINT NOT NULL CHECK (per_buyer >= 1),
    collect BIGINT NOT NULL CHECK (collect IN (0, 1)),
    created_at BIGINT NOT NULL,
    CHECK (valid_from < valid_to),
    CHECK (used_uses >= 0 AND (budget_uses IS NULL OR used_uses <= budget_uses)),
    CHECK (used_minor >= 0 AND (budget_minor IS NULL OR used_minor <= budget_minor))
);
CREATE INDEX coupons_merchant ON coupons (merchant_id);

CREATE TABLE coupon_holders (
    coupon_id TEXT NOT NULL REFERENCES coupons (id),
    buyer_id TEXT NOT NULL REFERENCES users (id),
    collected_at BIGINT,
    used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (coupon_id, buyer_id)
);

CREATE TABLE order_coupons (
    order_id TEXT NOT NULL REFERENCES orders (id),
    coupon_id TEXT NOT NULL REFERENCES coupons (id),
    group_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (order_id, coupon_id)
);

ALTER TABLE orders ADD COLUMN platform_discount_minor BIGINT NOT NULL DEFAULT 0;
