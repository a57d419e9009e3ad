-- Connect, collaborations: a merchant's brief asking creators to feature some of its products,
-- paid per sale (a rate for accepted creators on those products, frozen on order lines like any
-- rate) or by a fixed fee (held from the store's balance at acceptance in `collab:<id>`, paid to
-- the creator on delivery of a post, back to the store if they did not deliver by the end).
-- `accepted` counts places taken: a guarded increment never passes `places`.

CREATE TABLE collaborations (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    title TEXT NOT NULL,
    brief TEXT NOT NULL,
    locale TEXT NOT NULL,
    products TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('per_sale', 'fixed_fee')),
    value BIGINT NOT NULL CHECK (value > 0),
    currency TEXT NOT NULL,
    places BIGINT NOT NULL CHECK (places BETWEEN 1 AND 100),
    accepted BIGINT NOT NULL DEFAULT 0,
    ends_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (accepted >= 0 AND accepted <= places)
);
CREATE INDEX collaborations_merchant ON collaborations (merchant_id, created_at);
CREATE INDEX collaborations_ends ON collaborations (ends_at);

CREATE TABLE collaboration_applications (
    collaboration_id TEXT NOT NULL REFERENCES collaborations (id),
    creator_id TEXT NOT NULL REFERENCES creators (id),
    pitch TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'accepted', 'rejected', 'delivered', 'lapsed')),
    post_id TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    PRIMARY KEY (collaboration_id, creator_id)
);
CREATE INDEX collaboration_applications_creator ON collaboration_applications (creator_id, created_at);
