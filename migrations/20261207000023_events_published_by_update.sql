-- The Atom feed reads the published events that changed last: walked from the newest
-- change, it stops at its 50 entries instead of sorting the record.
CREATE INDEX events_published_by_update ON events (updated_at DESC, id DESC)
    WHERE status = 'published';
