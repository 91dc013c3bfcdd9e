-- Deleting an event is archiving it: its permalink answers 410 Gone and says so, instead
-- of vanishing from the links that cite it.
ALTER TABLE events DROP CONSTRAINT events_status_check;
ALTER TABLE events ADD CONSTRAINT events_status_check
    CHECK (status IN ('draft', 'published', 'archived'));
