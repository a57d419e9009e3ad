-- Leaner writes for attributed orders (Connect). Every attributed order inserts a pending
-- commission and a ledger entry for its creator, in the order writer's transaction; across
-- many creators those land on many different index pages.
--
-- The two indexes on commissions' confirmation time only ever serve confirmed rows (the hold's
-- release: state 'confirmed' confirmed before a time; tiers and the leaderboard: confirmed since
-- a time), so they become partial and a pending insert no longer touches them.
--
-- No query reads ledger entries by account: per-account questions are answered by the running
-- `balances` (kept in the same transaction), and the one query over entries (what remittances
-- took from a cause) finds its transactions by reference. The account index cost a random
-- B-tree insert per entry, so it goes.

DROP INDEX commissions_due;
CREATE INDEX commissions_due ON commissions (confirmed_at) WHERE state = 'confirmed';
DROP INDEX commissions_confirmed;
CREATE INDEX commissions_confirmed ON commissions (confirmed_at) WHERE confirmed_at IS NOT NULL;
DROP INDEX ledger_entries_account;
