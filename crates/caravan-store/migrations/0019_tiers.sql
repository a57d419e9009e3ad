-- Creator tiers: the operator's ladder (name, threshold in euro cents of commission confirmed
-- over 90 days, bonus on every rate), and each creator's tier as last computed.

CREATE TABLE creator_tiers (
    position BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    min_eur_minor BIGINT NOT NULL,
    bonus_bps BIGINT NOT NULL
);
INSERT INTO creator_tiers (position, name, min_eur_minor, bonus_bps) VALUES
    (0, 'Starter', 0, 0),
    (1, 'Rising', 50000, 50),
    (2, 'Star', 500000, 100),
    (3, 'Icon', 5000000, 200);

ALTER TABLE creators ADD COLUMN tier TEXT NOT NULL DEFAULT 'Starter';
ALTER TABLE creators ADD COLUMN earned_90d_eur_minor BIGINT NOT NULL DEFAULT 0;
CREATE INDEX commissions_confirmed ON commissions (confirmed_at);
