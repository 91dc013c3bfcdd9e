-- Zoomed-out timelines without counting events one by one: published events per month
-- and lane, and per lane over the whole record, kept exact by statement-level triggers on
-- `events` (so every write path, from an editor's form to the bulk generator, keeps them
-- right in the same transaction).

-- `lanes` is how the timeline groups ('none', 'authority', 'target', 'kind'); `lane` is
-- the group's name, and '' is every lane together (for 'none' the only row). An event
-- with two targets counts once in each of their lanes, and twice in ''.
CREATE TABLE event_month_counts (
    lanes text NOT NULL,
    month date NOT NULL,
    lane  text NOT NULL,
    n     integer NOT NULL,
    PRIMARY KEY (lanes, month, lane) INCLUDE (n)
);
-- One lane's months, for the lanes a window draws by name.
CREATE INDEX event_month_counts_by_lane ON event_month_counts (lanes, lane, month) INCLUDE (n);

CREATE TABLE event_lane_totals (
    lanes text NOT NULL,
    lane  text NOT NULL,
    n     integer NOT NULL,
    PRIMARY KEY (lanes, lane)
);
CREATE INDEX event_lane_totals_busiest ON event_lane_totals (lanes, n DESC, lane);

-- The lanes one event counts in; the names follow the timeline's bucket query.
CREATE FUNCTION event_lanes(kind text, authority_names text[], target_names text[])
RETURNS TABLE (lanes text, lane text) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT 'none', ''
    UNION ALL
    SELECT g.lanes, v.lane
    FROM (VALUES
            ('authority', COALESCE(NULLIF(authority_names, '{}'), ARRAY['(none)'])),
            ('target', COALESCE(NULLIF(target_names, '{}'), ARRAY['(none)'])),
            ('kind', ARRAY[kind])) AS g(lanes, names),
         unnest(g.names) AS name,
         LATERAL (VALUES (name), ('')) AS v(lane)
$$;

CREATE FUNCTION events_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS d FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS d FROM old_rows'
        ELSE 'SELECT *, 1 AS d FROM new_rows UNION ALL SELECT *, -1 AS d FROM old_rows'
    END;
BEGIN
    -- An edit that moves nothing (a title, a summary) sums to zero and writes nothing.
    -- Keys are written in order so concurrent writers cannot deadlock on them.
    EXECUTE format($q$
        WITH changed AS (%s),
        summed AS (
            SELECT l.lanes, c.starts_month AS month, l.lane, sum(c.d)::integer AS n
            FROM changed c,
                 event_lanes(c.kind, c.authority_names, c.target_names) AS l
            WHERE c.status = 'published'
            GROUP BY 1, 2, 3
            HAVING sum(c.d) <> 0
        ),
        months AS (
            INSERT INTO event_month_counts AS t (lanes, month, lane, n)
            SELECT lanes, month, lane, n FROM summed ORDER BY 1, 2, 3
            ON CONFLICT (lanes, month, lane) DO UPDATE SET n = t.n + EXCLUDED.n
        )
        INSERT INTO event_lane_totals AS t (lanes, lane, n)
        SELECT lanes, lane, sum(n) FROM summed GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
        ON CONFLICT (lanes, lane) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger.
CREATE TRIGGER events_count_inserts AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_changes();
CREATE TRIGGER events_count_updates AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_changes();
CREATE TRIGGER events_count_deletes AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_changes();

INSERT INTO event_month_counts (lanes, month, lane, n)
SELECT l.lanes, e.starts_month, l.lane, count(*)
FROM events e, event_lanes(e.kind, e.authority_names, e.target_names) AS l
WHERE e.status = 'published'
GROUP BY 1, 2, 3;

INSERT INTO event_lane_totals (lanes, lane, n)
SELECT lanes, lane, sum(n) FROM event_month_counts GROUP BY 1, 2;
