-- The few events not published (drafts, archived), by id: a window's steps are counted
-- without joining every event, less the steps of these.
CREATE INDEX events_unpublished ON events (id) WHERE status <> 'published';
