-- Connect, first part: creators apply and operators decide (like merchants); approved creators
-- make tracking links (`/r/{code}`) to products and campaigns. Clicks are counted in memory on
-- each node and added here in batches, never one write per click.

CREATE TABLE creators (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    handle TEXT NOT NULL UNIQUE,
    languages TEXT NOT NULL,
    countries TEXT NOT NULL,
    links TEXT NOT NULL,
    pitch TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    status_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX creators_status ON creators (status, created_at);

CREATE TABLE creator_links (
    code TEXT PRIMARY KEY,
    creator_id TEXT NOT NULL REFERENCES creators (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('product', 'campaign')),
    target_id TEXT NOT NULL,
    clicks BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX creator_links_creator ON creator_links (creator_id, created_at);
