-- Connect, commission on the ledger: a checkout attributed to a creator (a typed code, else the
-- last click inside the window) records the creator and each line's commission on the orders;
-- one `commissions` row per attributed order follows it (pending at sale, confirmed at
-- completion, available after the hold) and adds up what refunds reversed. Self-referrals earn
-- nothing and are flagged for operators. Creators choose a checkout code and the currency they
-- are paid in; creator payouts record the rates they were converted at.

ALTER TABLE orders ADD COLUMN creator_id TEXT;
ALTER TABLE orders ADD COLUMN commission_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN commission_minor BIGINT NOT NULL DEFAULT 0;

CREATE TABLE commissions (
    order_id TEXT PRIMARY KEY REFERENCES orders (id),
    creator_id TEXT NOT NULL REFERENCES creators (id),
    merchant_id TEXT NOT NULL,
    buyer_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    reversed_minor BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'available', 'reversed')),
    source TEXT NOT NULL CHECK (source IN ('link', 'post', 'code')),
    reference TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    available_at BIGINT,
    CHECK (reversed_minor >= 0 AND reversed_minor <= amount_minor)
);
CREATE INDEX commissions_creator ON commissions (creator_id, created_at);
CREATE INDEX commissions_due ON commissions (state, confirmed_at);

CREATE TABLE referral_flags (
    group_id TEXT NOT NULL,
    creator_id TEXT NOT NULL REFERENCES creators (id),
    buyer_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('same_account', 'same_email', 'same_address')),
    source TEXT NOT NULL,
    reference TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, creator_id)
);
CREATE INDEX referral_flags_time ON referral_flags (created_at);

ALTER TABLE creators ADD COLUMN code TEXT;
ALTER TABLE creators ADD COLUMN payout_currency TEXT NOT NULL DEFAULT 'EUR';
ALTER TABLE creators ADD COLUMN bonus_bps BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX creators_code ON creators (code);

CREATE TABLE creator_payouts (
    id TEXT PRIMARY KEY,
    creator_id TEXT NOT NULL REFERENCES creators (id),
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    parts TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX creator_payouts_creator ON creator_payouts (creator_id, created_at);
