-- The catalogue version: bumped in the same transaction as every write that changes what
-- checkout prices with (products, variants, stores, shipping rules, rates, category fees), so
-- each node's read caches can keep entries until it moves instead of rereading them every
-- second (docs/decisions/0004).
INSERT INTO sequences (name, value) VALUES ('catalogue', 0);
