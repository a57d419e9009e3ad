-- A creator's commissions are listed apart from the order writer's path (ADR 0014). The index
-- of commissions by creator took one B-tree page per creator in every batch the writer
-- committed (on SQLite a whole page into the WAL for each): with fifty creators selling at
-- once that was most of what attribution cost a checkout. The writer now inserts the
-- commission row alone (its key is the time-ordered order id: the rightmost page); the
-- Connect flusher lists the commissions of the orders the outbox has placed since its
-- cursor under their creators, about once a second and thousands at a time. A creator's
-- reads take the listed rows and the few placed after the cursor, so nothing shows late.

DROP INDEX commissions_creator;
CREATE TABLE creator_commissions (
    creator_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (creator_id, created_at, order_id)
);
INSERT INTO creator_commissions (creator_id, created_at, order_id)
    SELECT creator_id, created_at, order_id FROM commissions;
-- The outbox position up to which placed orders' commissions are listed.
INSERT INTO sequences (name, value)
    SELECT 'creator_commissions', COALESCE(MAX(seq), 0) FROM events;
