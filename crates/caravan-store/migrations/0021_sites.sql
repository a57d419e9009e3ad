-- Campaign sites: a slug, a theme from the fixed palette, a schedule, texts per language and
-- the page's blocks (a checked JSON document rewritten whole, guarded by its version); polls
-- and predictions with one vote per account; quizzes with one attempt per account (a passing
-- one collects the quiz's coupon once); cheers per team, limited per account and day.

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    theme TEXT NOT NULL,
    logo TEXT,
    hero TEXT,
    campaign_id TEXT,
    cause_id TEXT,
    visible_from BIGINT NOT NULL,
    live_from BIGINT NOT NULL,
    live_until BIGINT NOT NULL,
    archived_after BIGINT NOT NULL,
    texts TEXT NOT NULL,
    blocks TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE polls (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    kind TEXT NOT NULL CHECK (kind IN ('poll', 'prediction')),
    texts TEXT NOT NULL,
    options TEXT NOT NULL,
    closes_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE poll_votes (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    user_id TEXT NOT NULL,
    option_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);

CREATE TABLE quizzes (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    texts TEXT NOT NULL,
    questions TEXT NOT NULL,
    pass_score BIGINT NOT NULL,
    coupon_code TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE quiz_attempts (
    quiz_id TEXT NOT NULL REFERENCES quizzes (id),
    user_id TEXT NOT NULL,
    score BIGINT NOT NULL,
    coupon_code TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (quiz_id, user_id)
);

CREATE TABLE cheers (
    site_id TEXT NOT NULL REFERENCES sites (id),
    team TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (site_id, team)
);

CREATE TABLE cheer_quota (
    site_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    count BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, user_id)
);
