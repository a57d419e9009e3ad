-- Two foreign keys the order writer keeps itself. A ledger entry is inserted with its
-- transaction, and a line's discount with its order, by the same function in the same
-- transaction; neither parent is ever deleted. On PostgreSQL each such key cost a lookup of
-- the parent and a row lock on it per child row, run as a trigger: about six per festival
-- order, a quarter of the database's CPU during the midnight burst. The money-model test
-- checks that no entry lacks its transaction and no discount its order (ADR 0019).
--
-- Neither engine drops a foreign key in place the same way, so both tables are rebuilt: the
-- same columns, checks and primary keys, without the reference.

CREATE TABLE ledger_entries_next (
    tx_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    account TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (tx_id, position)
);
INSERT INTO ledger_entries_next (tx_id, position, account, currency, amount_minor)
    SELECT tx_id, position, account, currency, amount_minor FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_next RENAME TO ledger_entries;

CREATE TABLE order_line_discounts_next (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    stage TEXT NOT NULL,
    funder TEXT NOT NULL CHECK (funder IN ('merchant', 'platform')),
    source TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (order_id, position, seq)
);
INSERT INTO order_line_discounts_next (order_id, position, seq, stage, funder, source, amount_minor)
    SELECT order_id, position, seq, stage, funder, source, amount_minor FROM order_line_discounts;
DROP TABLE order_line_discounts;
ALTER TABLE order_line_discounts_next RENAME TO order_line_discounts;
