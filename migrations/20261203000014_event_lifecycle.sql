-- An event's lifecycle: the dated steps of the measure it records (announced, signed or
-- adopted, published in the official journal, in force, expires, lifted), each at its
-- precision, at most one of each. A citation may say which step its passage states.
CREATE TABLE event_steps (
    event_id     bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    step         text NOT NULL CHECK (step IN ('announced', 'adopted', 'published',
                                               'effective', 'expires', 'lifted')),
    -- First day of the period the date names, as events.starts_on.
    starts_on    date NOT NULL,
    precision    text NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    -- Last day of that period: "in force in May 2019" is certain only after 31 May.
    covers_until date NOT NULL,
    PRIMARY KEY (event_id, step),
    CHECK (covers_until >= starts_on)
);

CREATE INDEX event_steps_by_step ON event_steps (step, starts_on);

ALTER TABLE citations ADD COLUMN states text
    CHECK (states IN ('announced', 'adopted', 'published', 'effective', 'expires', 'lifted'));

CREATE TRIGGER event_steps_record_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON event_steps FOR EACH STATEMENT EXECUTE FUNCTION notify_record_changed();

-- When a measure is in force, derived from its dates and the events that reverse it, so
-- "in force on D" is a range test on one row. A measure (imposed, eased, extended,
-- retaliated) may be in force from in_force_from and certainly is from in_force_certain
-- ("effective in May 2019": from 1 May, certainly from 31 May); it may be out of force
-- from out_of_force_from and certainly is from out_of_force_certain (NULL: it runs on).
-- Its end is the earliest of its lifting, the day after it expires or ends, and the start
-- of a published event that reverses it. Other kinds are never in force (all NULL).
ALTER TABLE events
    ADD COLUMN in_force_from date,
    ADD COLUMN in_force_certain date,
    ADD COLUMN out_of_force_from date,
    ADD COLUMN out_of_force_certain date;

-- Walked backwards from D for the latest measures; the included columns let a count by
-- kind, authority or target read the index alone (a busy target: 9 ms, not 60).
CREATE INDEX events_published_in_force ON events (in_force_from)
    INCLUDE (out_of_force_certain, kind, authority_names, target_names)
    WHERE status = 'published' AND in_force_from IS NOT NULL;

-- The last day of the period a date names at its precision.
CREATE FUNCTION period_last_day(d date, prec text) RETURNS date
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT CASE prec
        WHEN 'day' THEN d
        WHEN 'month' THEN (date_trunc('month', d) + interval '1 month' - interval '1 day')::date
        ELSE (date_trunc('year', d) + interval '1 year' - interval '1 day')::date
    END
$$;

-- As before (migration safe_in_public), plus the in-force range; the events these ids
-- reverse are refreshed too, since their end is the start of the event reversing them.
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
        search = event_search_doc(e.title, e.summary, COALESCE((
            SELECT string_agg(c.exact, ' ' ORDER BY c.position) FROM citations c
            WHERE c.event_id = e.id), '')),
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
               CASE WHEN m.is_measure THEN ends.out_certain END AS out_certain
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

SELECT refresh_event_derived(array_agg(id)) FROM events;
