-- Events known only to their month or year, counted apart: a histogram finer than their
-- period draws them as a band over the whole period ("sometime in May 2019") instead of
-- as a spike on its first day. The day and month rollups keep counting them (a month-
-- precision event fits its month's bucket); a window subtracts these counts where its
-- buckets are finer than the period.
CREATE TABLE event_period_counts (
    lanes     text NOT NULL,
    precision text NOT NULL CHECK (precision IN ('month', 'year')),
    -- First day of the period, as events.starts_on stores it.
    period    date NOT NULL,
    lane      text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (lanes, precision, period, lane) INCLUDE (n)
);

-- As in migration event_day_counts, with the precision kept apart for the new table.
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
            SELECT l.lanes, c.starts_on AS day, c.precision, l.lane, sum(c.d)::integer AS n
            FROM changed c,
                 event_lanes(c.kind, c.authority_names, c.target_names) AS l
            WHERE c.status = 'published'
            GROUP BY 1, 2, 3, 4
            HAVING sum(c.d) <> 0
        ),
        periods AS (
            INSERT INTO event_period_counts AS t (lanes, precision, period, lane, n)
            SELECT lanes, precision, day, lane, n FROM summed
            WHERE precision <> 'day' ORDER BY 1, 2, 3, 4
            ON CONFLICT (lanes, precision, period, lane) DO UPDATE SET n = t.n + EXCLUDED.n
        ),
        days AS (
            INSERT INTO event_day_counts AS t (lanes, day, lane, n)
            SELECT lanes, day, lane, sum(n) FROM summed
            GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
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

INSERT INTO event_period_counts (lanes, precision, period, lane, n)
SELECT l.lanes, e.precision, e.starts_on, l.lane, count(*)
FROM events e, event_lanes(e.kind, e.authority_names, e.target_names) AS l
WHERE e.status = 'published' AND e.precision <> 'day'
GROUP BY 1, 2, 3, 4;
