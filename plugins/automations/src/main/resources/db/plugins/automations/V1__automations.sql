-- A studio's automations, and every time one fired: a run per automation and fire key (a due time, an event, a
-- lot, a manual run), claimed by the node that inserts it, so that it fires once however many nodes see it; and the
-- members it ran for, so that a run cut off halfway resumes where it stopped.
CREATE TABLE automations (
    studio_id    text        NOT NULL,
    id           text        NOT NULL,
    name         text        NOT NULL,
    trigger_type text        NOT NULL,
    trigger      jsonb       NOT NULL,
    action_type  text        NOT NULL,
    action       jsonb       NOT NULL,
    paused       boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    -- the studio's time of the last look for expiring lots (lot_expiring triggers)
    scanned_at   timestamptz,
    PRIMARY KEY (studio_id, id)
);

CREATE TABLE runs (
    studio_id     text        NOT NULL,
    automation_id text        NOT NULL,
    fire_key      text        NOT NULL,
    reason        text        NOT NULL,
    -- whom the run is for: {"memberIds":[...]} or {"tag":...} (null tag: every active member)
    audience      jsonb       NOT NULL,
    -- the member an event fired it for (null for schedules and runs on demand)
    member_id     text,
    -- the studio's time it fired for; database time below, comparable across nodes
    at            timestamptz NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    -- the worker running it, new at every takeover: only the owner claims members, beats and finishes it
    owner         uuid        NOT NULL,
    finished_at   timestamptz,
    members       integer     NOT NULL DEFAULT 0,
    failures      integer     NOT NULL DEFAULT 0,
    summary       text,
    PRIMARY KEY (studio_id, automation_id, fire_key),
    FOREIGN KEY (studio_id, automation_id) REFERENCES automations (studio_id, id)
);
CREATE INDEX runs_newest ON runs (studio_id, automation_id, started_at DESC, fire_key DESC);
CREATE INDEX runs_unfinished ON runs (studio_id, heartbeat_at) WHERE finished_at IS NULL;
CREATE INDEX runs_of_member ON runs (studio_id, automation_id, member_id, started_at) WHERE member_id IS NOT NULL;

CREATE TABLE run_members (
    studio_id     text NOT NULL,
    automation_id text NOT NULL,
    fire_key      text NOT NULL,
    member_id     text NOT NULL,
    -- what the action did, or why it failed; null while it runs or waits to be retried
    result        text,
    failed        boolean NOT NULL DEFAULT false,
    -- failed attempts that may succeed when retried (the database or a plugin was down)
    attempts      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (studio_id, automation_id, fire_key, member_id),
    FOREIGN KEY (studio_id, automation_id, fire_key) REFERENCES runs (studio_id, automation_id, fire_key)
);
