-- A one-word search over two and a half years or less (the timeline's buckets of weeks)
-- without reading every match. The word rollup of migration 30 counts by month, so such a
-- window counted its matches one by one: two years' "sanctions", 8,700 matches at 100,000
-- events, read their rows (8,300 pages, 18 to 25 ms). So the published events are also
-- counted per word, week, date precision and kind: an event known to its day by the
-- Monday of its week (the timeline's week), one known only to its month or year by the
-- first day of that period, as the timeline counts it over its period and not in a week.
-- About 824,000 rows at 100,000 events (516,000 by month).
CREATE TABLE event_word_weeks (
    word      text NOT NULL,
    bucket    date NOT NULL,
    precision text NOT NULL,
    kind      text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (word, bucket, precision, kind) INCLUDE (n)
);

-- Date arithmetic, not date_trunc: date_trunc on a date goes through a timestamp with
-- time zone, which is not immutable.
CREATE FUNCTION word_week_bucket(starts_on date, known_to text) RETURNS date
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT CASE WHEN known_to = 'day'
                THEN starts_on - (extract(isodow FROM starts_on)::int - 1)
                ELSE starts_on END
$$;

-- As in migration 30, with the weeks beside the months: one statement, the tables in a
-- fixed order and each table's keys in order, so concurrent writers cannot deadlock.
CREATE OR REPLACE FUNCTION events_count_word_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS d FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS d FROM old_rows'
        ELSE 'SELECT *, 1 AS d FROM new_rows UNION ALL SELECT *, -1 AS d FROM old_rows'
    END;
BEGIN
    -- An edit that moves no word (a source's publisher, a step) sums to zero and writes
    -- nothing.
    EXECUTE format($q$
        WITH changed AS (
            SELECT c.starts_on, c.starts_month, c.precision, c.kind, c.prominence, c.d,
                   w.lexeme
            FROM (%s) c, unnest(c.search) AS w
            WHERE c.status = 'published'
        ),
        months AS (
            INSERT INTO event_word_months AS t (word, month, precision, kind, n)
            SELECT lexeme, starts_month, precision, kind, sum(d)
            FROM changed GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (word, month, precision, kind) DO UPDATE SET n = t.n + EXCLUDED.n
        ),
        weeks AS (
            INSERT INTO event_word_weeks AS t (word, bucket, precision, kind, n)
            SELECT lexeme, word_week_bucket(starts_on, precision), precision, kind, sum(d)
            FROM changed GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (word, bucket, precision, kind) DO UPDATE SET n = t.n + EXCLUDED.n
        )
        INSERT INTO event_word_prominence AS t (word, prominence, n)
        SELECT lexeme, prominence, sum(d)
        FROM changed GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (word, prominence) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

INSERT INTO event_word_weeks (word, bucket, precision, kind, n)
SELECT w.lexeme, word_week_bucket(e.starts_on, e.precision), e.precision, e.kind, count(*)
FROM events e, unnest(e.search) AS w
WHERE e.status = 'published'
GROUP BY 1, 2, 3, 4;
