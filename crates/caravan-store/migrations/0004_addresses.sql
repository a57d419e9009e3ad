-- A buyer's address book: saved delivery addresses, offered at checkout.

CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    phone TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id, created_at);
