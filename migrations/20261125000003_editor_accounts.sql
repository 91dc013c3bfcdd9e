-- Editors: accounts (Argon2id password hashes), sessions kept in Postgres, and the failed
-- sign-ins that slow down guessing.

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role          text NOT NULL CHECK (role IN ('editor', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's random token: a copy of this table opens no session.
    token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Every form of the session carries this; a cross-site request cannot know it.
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    -- 'account:<email>' or 'address:<ip>'
    key text NOT NULL,
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
