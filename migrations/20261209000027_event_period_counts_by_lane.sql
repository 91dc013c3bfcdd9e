-- A window's bands of events known only to their month or year are read for a few named
-- lanes (`lane = ANY(...)`) over a range of periods. The primary key puts the period
-- before the lane, so that read walked every lane's periods in the range (the whole
-- record by target at 100,000 events: 5.5 ms); lane first, as the day and month rollups
-- have it, it reads only the named lanes' (0.8 ms).
CREATE INDEX event_period_counts_by_lane ON event_period_counts (lanes, lane, precision, period)
    INCLUDE (n);
