-- Accounts for people (API keys stay for machines). Every key starts with studio_id, so the tables can be
-- distributed by studio later (Citus) and every lookup names its studio.

-- Owners and coaches who sign in with an email and a password. An invited account has no password until its
-- invitation is accepted; a disabled one can no longer sign in (its sessions end when it is disabled).
CREATE TABLE staff_accounts (
    studio_id     text        NOT NULL REFERENCES studios (id),
    id            text        NOT NULL,
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    email         text        NOT NULL,
    name          text,
    role          text        NOT NULL CHECK (role IN ('owner', 'coach')),
    status        text        NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
    -- The PHC string of the password's Argon2id hash, its parameters included ($argon2id$v=19$m=...,t=...,p=...).
    password_hash text,
    created_at    timestamptz NOT NULL,
    activated_at  timestamptz,
    disabled_at   timestamptz,
    PRIMARY KEY (studio_id, id),
    CHECK ((status = 'active') <= (password_hash IS NOT NULL))
);
-- One account per address and studio, whatever its case.
CREATE UNIQUE INDEX staff_accounts_by_email ON staff_accounts (studio_id, lower(email));
CREATE INDEX staff_accounts_newest_first ON staff_accounts (studio_id, seq);

-- One-time tokens sent by email: invitations (to a staff account) and sign-in links (to a member). Only the
-- SHA-256 of a token is kept.
CREATE TABLE auth_tokens (
    studio_id  text        NOT NULL REFERENCES studios (id),
    token_hash bytea       NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('invitation', 'sign_in_link')),
    account_id text,
    member_id  text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (studio_id, token_hash),
    FOREIGN KEY (studio_id, account_id) REFERENCES staff_accounts (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    CHECK ((kind = 'invitation') = (account_id IS NOT NULL)),
    CHECK ((kind = 'sign_in_link') = (member_id IS NOT NULL))
);
CREATE INDEX auth_tokens_by_account ON auth_tokens (studio_id, account_id) WHERE account_id IS NOT NULL;

-- Signed-in browsers. The cookie carries the studio id and a secret; only the secret's SHA-256 is kept. A session
-- is a staff account's (owner, coach) or a member's (athlete).
CREATE TABLE sessions (
    studio_id    text        NOT NULL REFERENCES studios (id),
    token_hash   bytea       NOT NULL,
    id           text        NOT NULL,
    account_id   text,
    member_id    text,
    role         text        NOT NULL CHECK (role IN ('owner', 'coach', 'athlete')),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    PRIMARY KEY (studio_id, token_hash),
    UNIQUE (studio_id, id),
    FOREIGN KEY (studio_id, account_id) REFERENCES staff_accounts (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    CHECK ((role = 'athlete') = (member_id IS NOT NULL)),
    CHECK ((account_id IS NULL) <> (member_id IS NULL))
);
CREATE INDEX sessions_by_account ON sessions (studio_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX sessions_by_member ON sessions (studio_id, member_id) WHERE member_id IS NOT NULL;
