-- Editing a source's text re-anchors its citations; one whose quote can no longer be
-- placed with certainty keeps its quote and context and is flagged for an editor instead
-- of being moved or dropped. Its offsets then no longer describe the text, so the
-- offsets check applies only to citations that are not flagged.
ALTER TABLE citations ADD COLUMN needs_review boolean NOT NULL DEFAULT false;
CREATE INDEX citations_needing_review ON citations (source_id) WHERE needs_review;

CREATE OR REPLACE FUNCTION citations_check_offsets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found text;
BEGIN
    IF NEW.needs_review THEN
        RETURN NEW;
    END IF;
    SELECT substr(s.body, NEW.start_char + 1, NEW.end_char - NEW.start_char)
      INTO found FROM sources s WHERE s.id = NEW.source_id;
    IF found IS DISTINCT FROM NEW.exact THEN
        RAISE EXCEPTION 'citation offsets % to % do not hold the quoted text',
            NEW.start_char, NEW.end_char
            USING ERRCODE = 'check_violation', CONSTRAINT = 'citations_offsets_match_quote';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER citations_offsets_match_quote ON citations;
CREATE TRIGGER citations_offsets_match_quote
    BEFORE INSERT OR UPDATE OF exact, start_char, end_char, source_id, needs_review ON citations
    FOR EACH ROW EXECUTE FUNCTION citations_check_offsets();
