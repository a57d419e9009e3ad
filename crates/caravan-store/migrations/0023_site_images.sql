-- Pictures operators upload for campaign sites (logos, hero images), kept in the database and
-- served from `/media/{id}` like stores' and creators' images.

CREATE TABLE site_images (
    id TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX site_images_operator ON site_images (operator_id, created_at);
