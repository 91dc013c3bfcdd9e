-- The reader's filter gains "in force on a day" (`in_force`), so the timeline's window, its
-- buckets and facets, the list and the extent can show only the measures in force then,
-- by the same test as the in-force list (migration event_lifecycle): may already be in
-- force (`in_force_from`) and not certainly out of force yet (`out_of_force_certain`).
DROP FUNCTION event_matches(events, text, text, text, text, text, date, date);

CREATE FUNCTION event_matches(
    e events,
    q text,
    kind text,
    actor text,
    authority text,
    target text,
    from_day date,
    to_day date,
    in_force date
) RETURNS boolean IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT (q IS NULL OR e.search @@ event_search_query(q))
       AND (kind IS NULL OR e.kind = kind)
       AND (actor IS NULL OR e.actor_keys @> ARRAY[lower(actor)])
       AND (authority IS NULL OR authority = ANY(e.authority_names))
       AND (target IS NULL OR target = ANY(e.target_names))
       AND (from_day IS NULL OR e.covers_until >= from_day)
       AND (to_day IS NULL OR e.starts_on <= to_day)
       AND (in_force IS NULL OR (e.in_force_from <= in_force
            AND (e.out_of_force_certain IS NULL OR e.out_of_force_certain > in_force)))
$$;
