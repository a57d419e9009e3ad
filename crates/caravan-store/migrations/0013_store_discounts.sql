-- Store discounts: a merchant takes a percentage off everything in its store while a campaign
-- is live (from a minimum spend), the second step of the stacking order after the deal price.
-- Funded by the merchant; one per store and campaign; withdrawing one stops it at once.

CREATE TABLE store_discounts (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    percent_bps BIGINT NOT NULL CHECK (percent_bps >= 1 AND percent_bps <= 9000),
    min_spend_minor BIGINT NOT NULL CHECK (min_spend_minor >= 0),
    currency TEXT NOT NULL,
    withdrawn_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX store_discounts_merchant ON store_discounts (merchant_id, created_at);
