-- Safe in public: sessions end after a spell of idleness; sign-in attempts are counted
-- before the password is checked (so parallel guesses cannot all pass the throttle) and
-- removed again when they succeed; an event's public prominence counts only relations to
-- published events.

ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Keys are now 'pair:<email>|<address>' and 'address:<address>'.
ALTER TABLE sign_in_failures ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);

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
            WHERE c.event_id = e.id), ''))
    WHERE e.id = ANY(ids)
$$;

SELECT refresh_event_derived(array_agg(id)) FROM events
WHERE id IN (SELECT from_event_id FROM event_relations UNION SELECT to_event_id FROM event_relations);
