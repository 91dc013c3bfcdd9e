-- A one-word search whose configurations stem it apart ("sanctions": 'sanctions' in
-- 'simple', 'sanction' in 'english') is counted from its most frequent form's rollup plus
-- the matches holding another form and not that one. For "sanctions" at 100,000 events
-- that second part walked two posting lists of 70,854 events each to find none (9 of the
-- search's 16 ms): an event holding the word as written, lower-cased ('sanctions' from
-- 'simple'), holds its stem too, as the same token stems to it. Only an event whose
-- 'sanctions' is nothing but a stem of another word (the Danish "sanctionsen") can hold
-- it without 'sanction'. So each event keeps the lexemes of its search document that only
-- stemming gave (in 'english' or 'danish' and not in 'simple'), and the published events
-- holding each such lexeme are counted per word: where a form is the query's own word and
-- no event holds it as a stem only, its matches need not be read.
ALTER TABLE events ADD COLUMN stem_only text[] NOT NULL DEFAULT '{}';

CREATE TABLE event_word_stem_only (
    word text PRIMARY KEY,
    n    integer NOT NULL
);

-- The search document as event_search_doc (migration timeline_at_scale) wrote it, and
-- the lexemes in it that only stemming gave: in a field's English or Danish vector and in no field's simple one. Each
-- field's vectors are made once for both, in PL/pgSQL's variables: a second set of
-- vectors, or a SQL function with a FROM (not inlined), cost 7 to 14 s more over 100,000
-- events than the search document alone (10 s); this costs 2.
CREATE FUNCTION event_search_parts(title text, summary text, quotes text,
                                   OUT search tsvector, OUT stem_only text[])
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql AS $$
DECLARE
    title_simple    tsvector := to_tsvector('simple', title);
    title_stemmed   tsvector := to_tsvector('english', title) || to_tsvector('danish', title);
    summary_simple  tsvector := to_tsvector('simple', summary);
    summary_stemmed tsvector := to_tsvector('english', summary)
                                || to_tsvector('danish', summary);
    quotes_simple   tsvector := to_tsvector('simple', quotes);
    quotes_stemmed  tsvector := to_tsvector('english', quotes) || to_tsvector('danish', quotes);
BEGIN
    -- simple || (english || danish) is simple || english || danish: the same positions.
    search := setweight(title_simple || title_stemmed, 'A')
        || setweight(summary_simple || summary_stemmed, 'B')
        || setweight(quotes_simple || quotes_stemmed, 'C');
    stem_only := tsvector_to_array(ts_delete(
        title_stemmed || summary_stemmed || quotes_stemmed,
        tsvector_to_array(title_simple || summary_simple || quotes_simple)));
END
$$;

-- As in migration event_lifecycle, and the stem-only lexemes beside the search document,
-- both from the citations' quotes read once.
CREATE OR REPLACE FUNCTION refresh_event_derived(ids bigint[]) RETURNS void LANGUAGE sql AS $$
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
                   JOIN events other ON other.id = CASE WHEN r.from_event_id = e.id
                                                        THEN r.to_event_id
                                                        ELSE r.from_event_id END
                   WHERE (r.from_event_id = e.id OR r.to_event_id = e.id)
                     AND other.status = 'published')
            + CASE WHEN e.ends_on IS NULL THEN 0 ELSE 1 END,
        (search, stem_only) = (SELECT p.search, p.stem_only
                               FROM event_search_parts(e.title, e.summary, f.quotes) p),
        in_force_from = f.from_day,
        in_force_certain = f.certain_day,
        out_of_force_from = f.out_from,
        out_of_force_certain = f.out_certain
    FROM (
        SELECT m.id,
               CASE WHEN m.is_measure THEN COALESCE(eff.starts_on, m.starts_on) END AS from_day,
               CASE WHEN m.is_measure
                    THEN COALESCE(eff.covers_until, period_last_day(m.starts_on, m.precision))
               END AS certain_day,
               CASE WHEN m.is_measure THEN ends.out_from END AS out_from,
               CASE WHEN m.is_measure THEN ends.out_certain END AS out_certain,
               COALESCE((SELECT string_agg(c.exact, ' ' ORDER BY c.position)
                         FROM citations c WHERE c.event_id = m.id), '') AS quotes
        FROM (
            SELECT x.id, x.starts_on, x.precision, x.ends_on, x.end_precision,
                   x.kind IN ('imposed', 'eased', 'extended', 'retaliated') AS is_measure
            FROM events x
            -- One set of ids, not an OR of two tests: an OR scans every event.
            WHERE x.id IN (SELECT unnest(ids)
                           UNION
                           SELECT to_event_id FROM event_relations
                           WHERE kind = 'reverses' AND from_event_id = ANY(ids))
        ) m
        LEFT JOIN event_steps eff ON eff.event_id = m.id AND eff.step = 'effective'
        LEFT JOIN LATERAL (
            SELECT min(o.out_from) AS out_from, min(o.out_certain) AS out_certain
            FROM (
                SELECT s.starts_on AS out_from, s.covers_until AS out_certain
                FROM event_steps s WHERE s.event_id = m.id AND s.step = 'lifted'
                UNION ALL
                SELECT s.starts_on + 1, s.covers_until + 1
                FROM event_steps s WHERE s.event_id = m.id AND s.step = 'expires'
                UNION ALL
                SELECT m.ends_on + 1, period_last_day(m.ends_on, m.end_precision) + 1
                WHERE m.ends_on IS NOT NULL
                UNION ALL
                SELECT COALESCE(rs.starts_on, r.starts_on),
                       COALESCE(rs.covers_until, period_last_day(r.starts_on, r.precision))
                FROM event_relations rel
                JOIN events r ON r.id = rel.from_event_id AND r.status = 'published'
                LEFT JOIN event_steps rs ON rs.event_id = r.id AND rs.step = 'effective'
                WHERE rel.to_event_id = m.id AND rel.kind = 'reverses'
            ) o
        ) ends ON true
    ) f
    WHERE e.id = f.id
$$;

-- As in migration event_word_weeks, and the stem-only lexemes counted.
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
            FROM (%1$s) c, unnest(c.search) AS w
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
        ),
        stemmed_only AS (
            INSERT INTO event_word_stem_only AS t (word, n)
            SELECT w, sum(c.d)
            FROM (%1$s) c, unnest(c.stem_only) AS w
            WHERE c.status = 'published'
            GROUP BY 1 HAVING sum(c.d) <> 0 ORDER BY 1
            ON CONFLICT (word) DO UPDATE SET n = t.n + EXCLUDED.n
        )
        INSERT INTO event_word_prominence AS t (word, prominence, n)
        SELECT lexeme, prominence, sum(d)
        FROM changed GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
        ON CONFLICT (word, prominence) DO UPDATE SET n = t.n + EXCLUDED.n
    $q$, changed);
    RETURN NULL;
END
$$;

-- The document is made here now, beside what only stemming gave.
DROP FUNCTION event_search_doc(text, text, text);

-- Every event's stem-only lexemes, without the other triggers on events: no other column
-- moves, and each would unnest every event's words twice to sum them to nothing.
ALTER TABLE events DISABLE TRIGGER USER;
UPDATE events e SET stem_only = (event_search_parts(e.title, e.summary, COALESCE((
    SELECT string_agg(c.exact, ' ' ORDER BY c.position) FROM citations c
    WHERE c.event_id = e.id), ''))).stem_only;
ALTER TABLE events ENABLE TRIGGER USER;

INSERT INTO event_word_stem_only (word, n)
SELECT w, count(*)
FROM events e, unnest(e.stem_only) AS w
WHERE e.status = 'published'
GROUP BY 1;
