-- Orders are found by cause only for a cause (`cause_id = $1`: the meter, remittances), and
-- most orders carry none; a NULL entry per order cost every checkout an index insert for
-- nothing. Both engines use a partial index for `cause_id = $1` (the equality implies
-- `IS NOT NULL`).

DROP INDEX orders_cause;
CREATE INDEX orders_cause ON orders (cause_id) WHERE cause_id IS NOT NULL;
