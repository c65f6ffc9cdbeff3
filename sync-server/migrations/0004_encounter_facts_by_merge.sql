-- Feltlogg sync server, schema 4: the merge writes encounter fact rows.
--
-- Why: the triggers of migration 0002 re-parsed every encounter's JSON and
-- looked up each code in SQL; with thousands of encounters per batch they
-- were about a quarter of a merge's time. The merge now writes the fact
-- row itself, in the same transaction and with the same layout
-- (src/db/encounter_facts.rs), and these triggers go. Fact rows already
-- written stay valid. The other kinds keep their triggers: a batch has a
-- few of those.
DROP TRIGGER encounter_facts_insert;
DROP TRIGGER encounter_facts_update;
DROP TRIGGER encounter_facts_delete;
