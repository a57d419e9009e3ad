-- Pop-up promotions: operators schedule a banner or a dismissible notice inside a campaign,
-- shown in its own window to buyers of the targeted countries and languages. Texts are a JSON
-- object (locale → text); an empty JSON array of countries or locales targets everyone.

CREATE TABLE promotions (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    kind TEXT NOT NULL CHECK (kind IN ('banner', 'notice')),
    shows_from BIGINT NOT NULL,
    shows_to BIGINT NOT NULL,
    countries TEXT NOT NULL,
    locales TEXT NOT NULL,
    texts TEXT NOT NULL,
    link TEXT,
    withdrawn_at BIGINT,
    created_at BIGINT NOT NULL,
    CHECK (shows_from < shows_to)
);
CREATE INDEX promotions_campaign ON promotions (campaign_id, shows_from);
