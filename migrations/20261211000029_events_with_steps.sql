-- Lanes by lifecycle step under a text search: which events have had steps, kept on the
-- event, so a search finds its matching events with steps from their own index (at 100,000
-- generated events "huawei" matches 7,904 events, 1,305 of them with steps) instead of
-- reading every match's row only to join it with all the steps (about 10 ms of the 15 that
-- counted the whole record's steps).
--
-- Set by the first step written and never cleared: an event whose steps were all removed
-- costs a lookup that finds none, while a flag cleared by one transaction as another
-- writes a step (each sees only its own change) would hide that step from every search.
ALTER TABLE events ADD COLUMN had_steps boolean NOT NULL DEFAULT false;

UPDATE events SET had_steps = true WHERE id IN (SELECT event_id FROM event_steps);

CREATE INDEX events_published_search_with_steps ON events USING gin (search)
    WHERE status = 'published' AND had_steps;

-- Set from the steps written, so no writer of steps can forget it.
CREATE FUNCTION event_steps_mark_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only events not yet marked are written, in id order, so concurrent writers cannot
    -- deadlock on them.
    UPDATE events e SET had_steps = true
    FROM (SELECT u.id FROM events u
          WHERE u.id IN (SELECT event_id FROM new_rows) AND NOT u.had_steps
          ORDER BY u.id
          FOR NO KEY UPDATE OF u) m
    WHERE e.id = m.id AND NOT e.had_steps;
    RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger.
CREATE TRIGGER event_steps_mark_inserts AFTER INSERT ON event_steps
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_steps_mark_events();
CREATE TRIGGER event_steps_mark_updates AFTER UPDATE ON event_steps
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION event_steps_mark_events();
