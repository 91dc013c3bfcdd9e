-- Review: an editor's save to a published event, or to a source published events cite,
-- waits here as a pending change until an admin approves it (it then goes live through
-- the normal save, as a new revision) or rejects it (kept, with the reason).

CREATE TABLE pending_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity         text NOT NULL CHECK (entity IN ('event', 'source')),
    entity_id      bigint NOT NULL,
    -- The version the editor's form was made on: approval saves at exactly this version.
    base_version   integer NOT NULL CHECK (base_version >= 1),
    author         bigint NOT NULL REFERENCES users (id),
    comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    -- The submitted form as typed (EventForm or SourceForm, removals included).
    form           jsonb NOT NULL,
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'approved', 'rejected')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_by     bigint REFERENCES users (id),
    decided_at     timestamptz,
    reason         text CHECK (length(reason) <= 2000),
    became_version integer,
    CHECK ((state = 'pending') = (decided_at IS NULL)),
    CHECK ((state = 'approved') = (became_version IS NOT NULL))
);

CREATE INDEX pending_changes_queue ON pending_changes (state, created_at);
CREATE INDEX pending_changes_of_entity ON pending_changes (entity, entity_id);
