-- The page cache (server/src/page_cache.rs) serves readers' pages from memory until the
-- record changes. Whoever writes (any server, the command line, psql), every statement
-- that changes what a reader can see notifies `record_changed`; the servers listening
-- then render those pages anew. Each table's trigger is named `<table>_record_changed`.
CREATE FUNCTION notify_record_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('record_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sources', 'actors', 'events', 'event_actors', 'citations',
                           'event_relations']
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
         FOR EACH STATEMENT EXECUTE FUNCTION notify_record_changed()',
      t || '_record_changed', t);
  END LOOP;
END;
$$;
