-- Connect's posts: a creator's text (per language), photos and 1-12 tagged products. The feed
-- reads `post_feed`, one row per post and language with what it filters and sorts on (the
-- countries the tagged products' stores ship to, as `,FR,DE,` or `,*,`; the orders attributed
-- through the post, added in batches like clicks), so a page is one index range.

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    creator_id TEXT NOT NULL REFERENCES creators (id),
    texts TEXT NOT NULL,
    images TEXT NOT NULL,
    products TEXT NOT NULL,
    ships_to TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('published', 'hidden')),
    hidden_reason TEXT,
    orders BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX posts_creator ON posts (creator_id, created_at);

CREATE TABLE post_feed (
    post_id TEXT NOT NULL REFERENCES posts (id),
    locale TEXT NOT NULL,
    status TEXT NOT NULL,
    ships_to TEXT NOT NULL,
    orders BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, locale)
);
CREATE INDEX post_feed_newest ON post_feed (locale, status, created_at, post_id);
CREATE INDEX post_feed_bought ON post_feed (locale, status, orders, created_at, post_id);

CREATE TABLE post_products (
    product_id TEXT NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, post_id)
);

-- Creators' photos, served from /media/{id} like stores' images.
CREATE TABLE creator_images (
    id TEXT PRIMARY KEY,
    creator_id TEXT NOT NULL REFERENCES creators (id),
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX creator_images_creator ON creator_images (creator_id, created_at);
