-- Lanes by lifecycle step under a one-word search, zoomed out, without joining every match
-- to its steps. The whole record's "huawei" at 100,000 events joined its 1,305 matching
-- events with steps to their steps twice (once to count the buckets, once for the most
-- prominent steps): 23 ms p50, 33 p99. So the steps of published events are also counted
-- per word of their event's search document, month, precision and step, as
-- `event_word_months` counts the events themselves.
CREATE TABLE event_word_step_months (
    word      text NOT NULL,
    -- First day of the month the step's date (its period's first day) falls in.
    month     date NOT NULL,
    precision text NOT NULL,
    step      text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (word, month, precision, step) INCLUDE (n)
);

-- A step counts under the words its event holds at the time, so steps and events both
-- keep it. A step written reads its event's words with the event's row locked: an editor
-- changing the event's words at once either finishes first (and the step reads the new
-- words) or waits for the step's transaction and then moves that step to the new words
-- too. The lock is the one `event_steps_mark_events` takes next (a share lock would let
-- two first steps of one event each wait for the other's there).
CREATE FUNCTION event_steps_count_word_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT event_id, starts_on, precision, step, 1 AS d FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT event_id, starts_on, precision, step, -1 AS d FROM old_rows'
        ELSE 'SELECT event_id, starts_on, precision, step, 1 AS d FROM new_rows
              UNION ALL SELECT event_id, starts_on, precision, step, -1 AS d FROM old_rows'
    END;
BEGIN
    -- Keys written in order so concurrent writers cannot deadlock on them.
    EXECUTE format($q$
        WITH c AS (SELECT * FROM (%s) c),
        published AS MATERIALIZED (
            SELECT e.id, e.search FROM events e
            WHERE e.id IN (SELECT event_id FROM c) AND e.status = 'published'
            ORDER BY e.id
            FOR NO KEY UPDATE OF e
        )
        INSERT INTO event_word_step_months AS t (word, month, precision, step, n)
        SELECT w.lexeme, date_trunc('month', c.starts_on::timestamp)::date, c.precision,
               c.step, sum(c.d)
        FROM c JOIN published p ON p.id = c.event_id, unnest(p.search) AS w
        GROUP BY 1, 2, 3, 4 HAVING sum(c.d) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (word, month, precision, step) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER event_steps_count_word_inserts AFTER INSERT ON event_steps
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_steps_count_word_changes();
CREATE TRIGGER event_steps_count_word_updates AFTER UPDATE ON event_steps
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_steps_count_word_changes();
CREATE TRIGGER event_steps_count_word_deletes AFTER DELETE ON event_steps
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_steps_count_word_changes();

-- An event whose words or status change moves its steps from the old words to the new.
-- Only changed events are read: the generator's refresh of every event rewrites each
-- search with the same words.
CREATE FUNCTION events_count_word_step_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changed AS (
        SELECT n.id, n.search, 1 AS d
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.status = 'published'
          AND (o.status <> 'published' OR o.search IS DISTINCT FROM n.search)
        UNION ALL
        SELECT o.id, o.search, -1 AS d
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.status = 'published'
          AND (n.status <> 'published' OR o.search IS DISTINCT FROM n.search)
    )
    INSERT INTO event_word_step_months AS t (word, month, precision, step, n)
    SELECT w.lexeme, date_trunc('month', s.starts_on::timestamp)::date, s.precision, s.step,
           sum(c.d)
    FROM changed c JOIN event_steps s ON s.event_id = c.id, unnest(c.search) AS w
    GROUP BY 1, 2, 3, 4 HAVING sum(c.d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (word, month, precision, step) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_count_word_step_updates AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_word_step_changes();

-- A deleted event's steps go with it (ON DELETE CASCADE), but by then the event is gone
-- and its steps' delete can no longer read its words, so they are taken away here, before.
CREATE FUNCTION events_uncount_word_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'published' THEN
        INSERT INTO event_word_step_months AS t (word, month, precision, step, n)
        SELECT w.lexeme, date_trunc('month', s.starts_on::timestamp)::date, s.precision,
               s.step, -count(*)
        FROM event_steps s, unnest(OLD.search) AS w
        WHERE s.event_id = OLD.id
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (word, month, precision, step) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER events_uncount_word_steps BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_uncount_word_steps();

INSERT INTO event_word_step_months (word, month, precision, step, n)
SELECT w.lexeme, date_trunc('month', s.starts_on::timestamp)::date, s.precision, s.step,
       count(*)
FROM events e JOIN event_steps s ON s.event_id = e.id, unnest(e.search) AS w
WHERE e.status = 'published'
GROUP BY 1, 2, 3, 4;

-- A search's most prominent steps are tried among the most prominent events that have
-- steps: one in six events at 100,000, so the 2,000 tried hold six times the matches
-- with steps that the 2,000 most prominent of all events would.
CREATE INDEX events_published_prominence_with_steps ON events (prominence DESC, starts_on, id)
    WHERE status = 'published' AND had_steps;
