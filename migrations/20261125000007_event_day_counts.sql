-- Day-level counts beside the month rollup: windows of up to a few years (day and week
-- buckets) and the part months at the edges of longer ones read the lanes they draw
-- from here instead of unnesting every event in the window.
CREATE TABLE event_day_counts (
    lanes text NOT NULL,
    day   date NOT NULL,
    lane  text NOT NULL,
    n     integer NOT NULL,
    PRIMARY KEY (lanes, day, lane) INCLUDE (n)
);
CREATE INDEX event_day_counts_by_lane ON event_day_counts (lanes, lane, day) INCLUDE (n);

CREATE OR REPLACE FUNCTION events_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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
            SELECT l.lanes, c.starts_on AS day, l.lane, sum(c.d)::integer AS n
            FROM changed c,
                 event_lanes(c.kind, c.authority_names, c.target_names) AS l
            WHERE c.status = 'published'
            GROUP BY 1, 2, 3
            HAVING sum(c.d) <> 0
        ),
        days AS (
            INSERT INTO event_day_counts AS t (lanes, day, lane, n)
            SELECT lanes, day, lane, n FROM summed ORDER BY 1, 2, 3
            ON CONFLICT (lanes, day, lane) DO UPDATE SET n = t.n + EXCLUDED.n
        ),
        months AS (
            INSERT INTO event_month_counts AS t (lanes, month, lane, n)
            SELECT lanes, date_trunc('month', day::timestamp)::date, lane, sum(n)
            FROM summed GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (lanes, month, lane) DO UPDATE SET n = t.n + EXCLUDED.n
        )
        INSERT INTO event_lane_totals AS t (lanes, lane, n)
        SELECT lanes, lane, sum(n) FROM summed GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
        ON CONFLICT (lanes, lane) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

INSERT INTO event_day_counts (lanes, day, lane, n)
SELECT l.lanes, e.starts_on, l.lane, count(*)
FROM events e, event_lanes(e.kind, e.authority_names, e.target_names) AS l
WHERE e.status = 'published'
GROUP BY 1, 2, 3;
