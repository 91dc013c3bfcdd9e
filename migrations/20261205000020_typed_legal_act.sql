-- An event may name its legal act by a typed official identifier (a Federal Register
-- document, a CFR part, a CELEX number, ...): its kind and the identifier as
-- `domain::legal_act` writes it, checked by that kind's format before it is stored. The
-- free-text legal instrument stays beside it.
ALTER TABLE events
    ADD COLUMN legal_act_kind text CHECK (legal_act_kind IN
        ('federal_register', 'cfr', 'celex', 'eli', 'uk_si', 'unsc', 'ofac', 'url')),
    ADD COLUMN legal_act_id text CHECK (length(legal_act_id) BETWEEN 1 AND 500),
    ADD CONSTRAINT events_legal_act_whole CHECK ((legal_act_kind IS NULL) = (legal_act_id IS NULL));
