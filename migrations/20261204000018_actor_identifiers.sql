-- Actors may name themselves in other databases: a Wikidata item (any actor) and an
-- OpenSanctions entity (a target), each checked by its format as the application checks
-- it (app::domain::actor_identifier). One actor per Wikidata item: two actors with the
-- same item are one actor recorded twice.
ALTER TABLE actors
    ADD COLUMN wikidata_qid text CHECK (wikidata_qid ~ '^Q[1-9][0-9]{0,11}$'),
    ADD COLUMN opensanctions_id text
        CHECK (opensanctions_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');

CREATE UNIQUE INDEX actors_wikidata_qid_key ON actors (wikidata_qid)
    WHERE wikidata_qid IS NOT NULL;
