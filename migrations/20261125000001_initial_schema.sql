-- The record: sources (articles), actors, events, the citations that tie events to exact
-- passages of sources, and relations between events.

CREATE TABLE sources (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url          text NOT NULL UNIQUE CHECK (url ~ '^https?://[^\s/]+'),
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    publisher    text NOT NULL CHECK (length(publisher) BETWEEN 1 AND 200),
    authors      text[] NOT NULL DEFAULT '{}',
    published_on date NOT NULL,
    -- BCP 47 tag, canonical case (da, en-GB, zh-Hans).
    language     text NOT NULL CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000000),
    -- Hex SHA-256 of the UTF-8 body: proves which text a citation's offsets refer to.
    body_sha256  text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE actors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- One actor everywhere: "Huawei" and "huawei" are the same.
CREATE UNIQUE INDEX actors_name_key ON actors (lower(name));

CREATE TABLE events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- First day of the period the date names; precision says which period.
    starts_on        date NOT NULL,
    precision        text NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    ends_on          date,
    end_precision    text CHECK (end_precision IN ('day', 'month', 'year')),
    -- The source's own words for a relative date ("lørdag", "seks uger efter").
    date_phrase      text,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    summary          text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    kind             text NOT NULL CHECK (kind IN ('imposed', 'eased', 'lifted', 'extended',
                                                   'threatened', 'retaliated', 'clarified')),
    legal_instrument text,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    version          integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Last day the event covers at its precision (ends_on or starts_on, widened to its
    -- month or year): what date-window queries compare against.
    covers_until     date NOT NULL,
    search           tsvector GENERATED ALWAYS AS (
                         to_tsvector('simple', title || ' ' || summary)) STORED,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((ends_on IS NULL) = (end_precision IS NULL)),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK (covers_until >= starts_on)
);
CREATE UNIQUE INDEX events_slug_key ON events (slug);
CREATE INDEX events_published_by_date ON events (starts_on, id) WHERE status = 'published';
CREATE INDEX events_search ON events USING gin (search);

CREATE TABLE event_actors (
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id bigint NOT NULL REFERENCES actors (id),
    role     text NOT NULL CHECK (role IN ('authority', 'target')),
    position smallint NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, role, actor_id)
);
CREATE INDEX event_actors_by_actor ON event_actors (actor_id, role);

CREATE TABLE citations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    source_id  bigint NOT NULL REFERENCES sources (id),
    -- W3C Web Annotation TextQuoteSelector ...
    exact      text NOT NULL CHECK (length(exact) >= 1),
    prefix     text NOT NULL DEFAULT '',
    suffix     text NOT NULL DEFAULT '',
    -- ... and TextPositionSelector, in characters (Unicode scalar values) of sources.body.
    start_char integer NOT NULL CHECK (start_char >= 0),
    end_char   integer NOT NULL,
    position   smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (end_char > start_char)
);
CREATE INDEX citations_by_event ON citations (event_id, position);
CREATE INDEX citations_by_source ON citations (source_id, start_char);

-- The database refuses a citation whose offsets do not hold its quote, whoever writes it.
-- substr counts characters in a UTF-8 database, as the offsets do.
CREATE FUNCTION citations_check_offsets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found text;
BEGIN
    SELECT substr(s.body, NEW.start_char + 1, NEW.end_char - NEW.start_char)
      INTO found FROM sources s WHERE s.id = NEW.source_id;
    IF found IS DISTINCT FROM NEW.exact THEN
        RAISE EXCEPTION 'citation offsets % to % do not hold the quoted text',
            NEW.start_char, NEW.end_char
            USING ERRCODE = 'check_violation', CONSTRAINT = 'citations_offsets_match_quote';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER citations_offsets_match_quote
    BEFORE INSERT OR UPDATE OF exact, start_char, end_char, source_id ON citations
    FOR EACH ROW EXECUTE FUNCTION citations_check_offsets();

CREATE TABLE event_relations (
    from_event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    to_event_id   bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('modifies', 'extends', 'reverses', 'clarifies',
                                                'responds_to')),
    PRIMARY KEY (from_event_id, to_event_id, kind),
    CHECK (from_event_id <> to_event_id)
);
CREATE INDEX event_relations_to ON event_relations (to_event_id);
