-- The timeline at 100,000 events: what window queries read without joins (actor names,
-- a prominence score), full-text search over titles, summaries and quoted text that works
-- for Danish and English, and the indexes the window and bucket queries use.

ALTER TABLE events
    ADD COLUMN authority_names text[] NOT NULL DEFAULT '{}',
    ADD COLUMN target_names    text[] NOT NULL DEFAULT '{}',
    -- Citations + 2 × relations + 1 for a range: which events to show when zoomed out.
    ADD COLUMN prominence      integer NOT NULL DEFAULT 0,
    -- Zoomed-out buckets group by month; quarters and years are folded from months.
    ADD COLUMN starts_month    date GENERATED ALWAYS AS
                                   (date_trunc('month', starts_on::timestamp)::date) STORED;

-- Search now covers quoted text too, so it can no longer be a generated column.
DROP INDEX events_search;
ALTER TABLE events DROP COLUMN search;
ALTER TABLE events ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;

-- Each text under three configurations: 'simple' keeps every word as written (names,
-- "Huawei"), 'english' and 'danish' add stemmed forms (sanctions/sanction,
-- sanktioner/sanktion).
CREATE FUNCTION event_search_doc(title text, summary text, quotes text)
RETURNS tsvector IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT setweight(to_tsvector('simple', title) || to_tsvector('english', title)
                     || to_tsvector('danish', title), 'A')
        || setweight(to_tsvector('simple', summary) || to_tsvector('english', summary)
                     || to_tsvector('danish', summary), 'B')
        || setweight(to_tsvector('simple', quotes) || to_tsvector('english', quotes)
                     || to_tsvector('danish', quotes), 'C')
$$;

-- A reader's query in the same three configurations; a document matches if any does.
CREATE FUNCTION event_search_query(q text)
RETURNS tsquery IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT websearch_to_tsquery('simple', q) || websearch_to_tsquery('english', q)
        || websearch_to_tsquery('danish', q)
$$;

-- Recomputes the derived columns of these events from their actors, citations and
-- relations. The db layer calls it in the same transaction as every such write.
CREATE FUNCTION refresh_event_derived(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE events e SET
        authority_names = COALESCE((
            SELECT array_agg(a.name ORDER BY ea.position, a.name)
            FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
            WHERE ea.event_id = e.id AND ea.role = 'authority'), '{}'),
        target_names = COALESCE((
            SELECT array_agg(a.name ORDER BY ea.position, a.name)
            FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
            WHERE ea.event_id = e.id AND ea.role = 'target'), '{}'),
        prominence = (SELECT count(*) FROM citations c WHERE c.event_id = e.id)
            + 2 * (SELECT count(*) FROM event_relations r
                   WHERE r.from_event_id = e.id OR r.to_event_id = e.id)
            + CASE WHEN e.ends_on IS NULL THEN 0 ELSE 1 END,
        search = event_search_doc(e.title, e.summary, COALESCE((
            SELECT string_agg(c.exact, ' ' ORDER BY c.position) FROM citations c
            WHERE c.event_id = e.id), ''))
    WHERE e.id = ANY(ids)
$$;

SELECT refresh_event_derived(array_agg(id)) FROM events;

CREATE INDEX events_search ON events USING gin (search);
-- Ranges still running at a window's start (events starting inside it use
-- events_published_by_date).
CREATE INDEX events_published_span ON events
    USING gist (daterange(starts_on, covers_until, '[]')) WHERE status = 'published';
-- Bucket and facet counts read only this index (an index-only scan), never the wide rows.
CREATE INDEX events_published_buckets ON events (starts_on)
    INCLUDE (starts_month, covers_until, kind, authority_names, target_names)
    WHERE status = 'published';
-- The most prominent events of a large window, when the timeline shows buckets.
CREATE INDEX events_published_prominence ON events (prominence DESC, starts_on)
    WHERE status = 'published';
CREATE INDEX event_relations_from ON event_relations (from_event_id);
