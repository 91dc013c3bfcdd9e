-- A reader's one-word search over a wide window without reading every match. Counting
-- the buckets of the whole record's "huawei" read the rows of all 7,900 matches (6,000
-- pages at 100,000 events: 11 to 15 ms); the GIN index only says which rows match. So the
-- published events are also counted per word of their search document (each lexeme of
-- `events.search`), month, date precision and kind, and per word and prominence (the
-- highest prominence a word's events reach: where a walk down the most prominent events
-- can start). A query that is one lexeme (most names: 'huawei', 'zte') reads its counts
-- here; phrases and several words still count their matches one by one.
CREATE TABLE event_word_months (
    word      text NOT NULL,
    month     date NOT NULL,
    precision text NOT NULL,
    kind      text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (word, month, precision, kind) INCLUDE (n)
);

CREATE TABLE event_word_prominence (
    word       text NOT NULL,
    prominence integer NOT NULL,
    n          integer NOT NULL,
    PRIMARY KEY (word, prominence) INCLUDE (n)
);

-- The one lexeme a search query is, or NULL when it is several, none, or anything but a
-- plain lexeme. The lexeme is read off the query's text form and kept only if it matches
-- the query (a single plain lexeme matches exactly a document holding it), so a quoting
-- this reads wrongly falls back to counting matches instead of counting another word.
CREATE FUNCTION search_word(q tsquery) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT w FROM (
        SELECT replace(substring(querytree(q) FROM '^''(.*)''$'), '''''', '''') AS w
    ) x
    WHERE numnode(q) = 1 AND w IS NOT NULL AND w <> '' AND array_to_tsvector(ARRAY[w]) @@ q
$$;

CREATE FUNCTION events_count_word_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS d FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS d FROM old_rows'
        ELSE 'SELECT *, 1 AS d FROM new_rows UNION ALL SELECT *, -1 AS d FROM old_rows'
    END;
BEGIN
    -- An edit that moves no word (a source's publisher, a step) sums to zero and writes
    -- nothing. Keys are written in order so concurrent writers cannot deadlock on them.
    EXECUTE format($q$
        WITH changed AS (
            SELECT c.starts_month, c.precision, c.kind, c.prominence, c.d, w.lexeme
            FROM (%s) c, unnest(c.search) AS w
            WHERE c.status = 'published'
        ),
        months AS (
            INSERT INTO event_word_months AS t (word, month, precision, kind, n)
            SELECT lexeme, starts_month, precision, kind, sum(d)
            FROM changed GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (word, month, precision, kind) DO UPDATE SET n = t.n + EXCLUDED.n
        )
        INSERT INTO event_word_prominence AS t (word, prominence, n)
        SELECT lexeme, prominence, sum(d)
        FROM changed GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (word, prominence) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER events_count_word_inserts AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_word_changes();
CREATE TRIGGER events_count_word_updates AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_word_changes();
CREATE TRIGGER events_count_word_deletes AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_count_word_changes();

INSERT INTO event_word_months (word, month, precision, kind, n)
SELECT w.lexeme, e.starts_month, e.precision, e.kind, count(*)
FROM events e, unnest(e.search) AS w
WHERE e.status = 'published'
GROUP BY 1, 2, 3, 4;

INSERT INTO event_word_prominence (word, prominence, n)
SELECT w.lexeme, e.prominence, count(*)
FROM events e, unnest(e.search) AS w
WHERE e.status = 'published'
GROUP BY 1, 2;
