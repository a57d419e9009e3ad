-- Idempotency record ids become key, space, scope (were scope, U+001F, key). A key is visible
-- ASCII and never contains a space, so the id stays unambiguous. With the key first,
-- time-ordered keys (UUIDv7 and the like) append to the primary-key index instead of each
-- landing on a random page of it (docs/decisions/0004).

UPDATE idempotency_keys SET id = idem_key || ' ' || scope;
