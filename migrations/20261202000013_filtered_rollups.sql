-- The two commonest filtered timelines counted from the rollups too, instead of event by
-- event: one kind drawn in authority or target lanes (families 'authority/<kind>' and
-- 'target/<kind>', named like their unfiltered ones), and one actor in any role ('actor':
-- lower-cased names, as the `actor` filter matches them, once per event however many
-- roles the actor has in it).
CREATE OR REPLACE FUNCTION event_lanes(kind text, authority_names text[], target_names text[])
RETURNS TABLE (lanes text, lane text) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT 'none', ''
    UNION ALL
    SELECT g.lanes, v.lane
    FROM (VALUES
            ('authority', COALESCE(NULLIF(authority_names, '{}'), ARRAY['(none)'])),
            ('target', COALESCE(NULLIF(target_names, '{}'), ARRAY['(none)'])),
            ('kind', ARRAY[kind]),
            ('authority/' || kind, COALESCE(NULLIF(authority_names, '{}'), ARRAY['(none)'])),
            ('target/' || kind, COALESCE(NULLIF(target_names, '{}'), ARRAY['(none)']))
         ) AS g(lanes, names),
         unnest(g.names) AS name,
         LATERAL (VALUES (name), ('')) AS v(lane)
    UNION ALL
    SELECT DISTINCT 'actor', k FROM unnest(lower_names(authority_names || target_names)) AS k
$$;

-- The new families for the events already published.
INSERT INTO event_day_counts (lanes, day, lane, n)
SELECT l.lanes, e.starts_on, l.lane, count(*)
FROM events e, event_lanes(e.kind, e.authority_names, e.target_names) AS l
WHERE e.status = 'published' AND (l.lanes LIKE '%/%' OR l.lanes = 'actor')
GROUP BY 1, 2, 3;

INSERT INTO event_month_counts (lanes, month, lane, n)
SELECT lanes, date_trunc('month', day::timestamp)::date, lane, sum(n)
FROM event_day_counts WHERE lanes LIKE '%/%' OR lanes = 'actor'
GROUP BY 1, 2, 3;

INSERT INTO event_lane_totals (lanes, lane, n)
SELECT lanes, lane, sum(n) FROM event_month_counts WHERE lanes LIKE '%/%' OR lanes = 'actor'
GROUP BY 1, 2;

-- A busy window's most prominent events of one kind, without walking past the more
-- prominent events of every other kind.
CREATE INDEX events_published_kind_prominence ON events (kind, prominence DESC, starts_on)
    WHERE status = 'published';
