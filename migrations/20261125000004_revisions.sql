-- History: every change an editor makes to an event or a source is kept as a revision
-- (who, when, with what comment, and the whole record as it then stood).

ALTER TABLE sources ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE sources ADD COLUMN created_by bigint REFERENCES users (id);

CREATE TABLE revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     text NOT NULL CHECK (entity IN ('event', 'source')),
    entity_id  bigint NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    author_id  bigint REFERENCES users (id),
    comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    snapshot   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (entity, entity_id, version)
);
