-- Failed logins per account (`email:…`) and per address (`ip:…`), in fixed
-- windows; kept in the database so every process counts the same attempts.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL
);
