-- The timeline in lanes by lifecycle step reads a window's steps by date, whatever the
-- step (event_steps_by_step leads with the step).
CREATE INDEX event_steps_by_day ON event_steps (starts_on, covers_until);
