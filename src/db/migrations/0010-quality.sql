-- Data quality counters: what validation found, per declaration day, trader and field.
-- The row with field '' counts the declarations validated (each is checked for every field of the
-- data dictionary); a field's row counts the declarations that failed it, per dimension.
-- trader_id '' holds validations that cannot be attributed to a trader the lodger may act for.
CREATE TABLE quality_counts (
  day date NOT NULL,
  trader_id text NOT NULL,
  field text NOT NULL,
  checked bigint NOT NULL DEFAULT 0,
  missing bigint NOT NULL DEFAULT 0,
  invalid bigint NOT NULL DEFAULT 0,
  inconsistent bigint NOT NULL DEFAULT 0,
  -- the upsert of the counters, and the scores of a window (day range, then trader or field)
  PRIMARY KEY (day, trader_id, field)
);

-- a trader's scorecard: one trader over a window
CREATE INDEX quality_counts_trader ON quality_counts (trader_id, day);
