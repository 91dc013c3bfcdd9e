-- The event filter, written once: every query that selects events by a reader's filter
-- (the list, the timeline's window, its buckets, its most prominent events, its facets and
-- its extent) calls event_matches. It is a plain SQL expression, so the planner inlines
-- it: a filter field left NULL folds away and the indexes serve as if the conditions were
-- written out in each query.

-- Actor names in any role, lower-cased: `actor` matches a name in any case without a join
-- (names are unique case-insensitively), and a GIN index finds the events of one actor.
CREATE FUNCTION lower_names(names text[]) RETURNS text[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT COALESCE(array_agg(lower(n)), '{}') FROM unnest(names) n
$$;

ALTER TABLE events ADD COLUMN actor_keys text[] NOT NULL
    GENERATED ALWAYS AS (lower_names(authority_names || target_names)) STORED;

CREATE INDEX events_published_actor_keys ON events USING gin (actor_keys)
    WHERE status = 'published';

-- A filter field that is NULL selects everything. `from_day`/`to_day` keep events that
-- overlap the period: a range that started before `from_day` and still runs is in it.
CREATE FUNCTION event_matches(
    e events,
    q text,
    kind text,
    actor text,
    authority text,
    target text,
    from_day date,
    to_day date
) RETURNS boolean IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT (q IS NULL OR e.search @@ event_search_query(q))
       AND (kind IS NULL OR e.kind = kind)
       AND (actor IS NULL OR e.actor_keys @> ARRAY[lower(actor)])
       AND (authority IS NULL OR authority = ANY(e.authority_names))
       AND (target IS NULL OR target = ANY(e.target_names))
       AND (from_day IS NULL OR e.covers_until >= from_day)
       AND (to_day IS NULL OR e.starts_on <= to_day)
$$;
