-- Times are Unix seconds (BIGINT) on both back ends, so one SQL text serves both.
-- Flags are INTEGER 0/1 here (sqlx's Any driver cannot read SQLite's BOOLEAN)
-- and BOOLEAN on PostgreSQL; `db::flag` reads either.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    password TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    is_active INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
    is_staff INTEGER NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1)),
    is_superuser INTEGER NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1)),
    date_joined BIGINT NOT NULL,
    last_login BIGINT
);
-- The e-mail is the login and is unique whatever its case.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- One row per sign-in on one device, whatever its method. Only the hash of
-- the bearer secret is kept: a copy of this table opens no session.
CREATE TABLE logins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    user_agent TEXT,
    ip TEXT
);
CREATE INDEX logins_user ON logins (user_id);

-- E-mail verification and password reset links, stored hashed, single use.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 200),
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_on BIGINT NOT NULL,
    modified_on BIGINT NOT NULL,
    image TEXT
);
CREATE INDEX posts_author ON posts (created_by);

-- The primary key is what keeps two simultaneous likes from making two rows.
CREATE TABLE likes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX likes_post ON likes (post_id);
