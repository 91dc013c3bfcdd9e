-- Where a source can still be read when its publisher's page is gone: an archived copy
-- (a Wayback Machine snapshot, archive.today, a library's copy). Optional; http(s) only,
-- as the source's own address.
ALTER TABLE sources ADD COLUMN archive_url text
  CHECK (archive_url IS NULL OR (archive_url ~ '^https?://' AND length(archive_url) <= 2000));
