-- The record as of a past day (`?as_recorded=`) starts from the events saved since that
-- day: found by when their revisions were written, not by reading every revision.
CREATE INDEX revisions_by_time ON revisions (entity, created_at) INCLUDE (entity_id);
