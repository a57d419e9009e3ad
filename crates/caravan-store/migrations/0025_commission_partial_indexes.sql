-- Commissions are inserted pending (no confirmation time) with every attributed order, in the
-- order writer's transaction. The two indexes on the confirmation time only ever serve rows
-- that were confirmed (the hold's release: state 'confirmed' and confirmed before a time; the
-- tiers and leaderboard: confirmed since a time), so they become partial and a pending insert
-- no longer touches them: three B-trees per insert instead of five.

DROP INDEX commissions_due;
CREATE INDEX commissions_due ON commissions (confirmed_at) WHERE state = 'confirmed';
DROP INDEX commissions_confirmed;
CREATE INDEX commissions_confirmed ON commissions (confirmed_at) WHERE confirmed_at IS NOT NULL;
