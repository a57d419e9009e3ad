-- Operators can suspend an account: it cannot log in and its tokens are revoked.

ALTER TABLE users ADD COLUMN suspended_at BIGINT;
