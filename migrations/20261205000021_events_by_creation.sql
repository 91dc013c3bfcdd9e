-- The record as recorded on a past day reads only the events added before that day ended:
-- found by when they were added. Without it, a day before most events were added walked
-- all of them to find none (120 ms at 100,000 events; with it, about 1 ms).
CREATE INDEX events_published_by_creation ON events (created_at) WHERE status = 'published';
