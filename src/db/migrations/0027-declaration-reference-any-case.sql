-- Searching declarations by reference ignores case: references are free text, stored as typed, and
-- a search for kr5862148557 finds KR5862148557. The search compares lower(functional_reference)
-- (= for an exact reference, LIKE 'prefix%' for its start); text_pattern_ops serves both whatever
-- the database's collation. It replaces the index of 0024 on the reference as typed, which no
-- query uses any more (lodging and import find a trader's reference through the unique
-- constraint on (trader_id, functional_reference)).
-- Building the index blocks writes to declarations while it runs; IF NOT EXISTS lets an operator
-- build it beforehand with CREATE INDEX CONCURRENTLY (README, "Upgrading").
CREATE INDEX IF NOT EXISTS declarations_reference_lower
  ON declarations (lower(functional_reference) text_pattern_ops);
DROP INDEX IF EXISTS declarations_reference;
