-- Token logins share the `logins` table with sessions.
-- A JWT family keeps only its current generation: the refresh token carries
-- the family id and its generation, so no row per refresh token is stored.
ALTER TABLE logins ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
-- When the family last rotated; the grace period for racing tabs counts from here.
ALTER TABLE logins ADD COLUMN rotated_at BIGINT NOT NULL DEFAULT 0;
-- API tokens: the owner's label and the granted scopes ("read" or "read write").
ALTER TABLE logins ADD COLUMN name TEXT;
ALTER TABLE logins ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read write';

-- Logins revoked recently enough that access tokens minted from them may still
-- be unexpired. Loaded into memory at start; rows past `until` are deleted.
CREATE TABLE revocations (
    login_id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    until BIGINT NOT NULL
);
CREATE INDEX revocations_until ON revocations (until);

-- Django REST framework's contract: one token per user.
CREATE UNIQUE INDEX logins_one_drf_token ON logins (user_id) WHERE method = 'drf_token';
