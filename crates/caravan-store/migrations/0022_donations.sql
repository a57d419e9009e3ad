-- Buyers' donations at checkout: a round-up of what they pay, or a fixed amount, in their own
-- currency, to a collecting cause. Their own money, not a store's: it reaches the cause's ledger
-- account when the payment is captured (pending until then, cancelled if the payment fails), and
-- refunds of the orders do not touch it.

CREATE TABLE donations (
    group_id TEXT PRIMARY KEY,
    cause_id TEXT NOT NULL REFERENCES causes (id),
    buyer_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('round_up', 'fixed')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'cancelled')),
    created_at BIGINT NOT NULL
);
CREATE INDEX donations_cause ON donations (cause_id, state);
