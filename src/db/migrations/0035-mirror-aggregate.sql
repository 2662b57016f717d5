-- Mirror analysis over the aggregate of an import's matches (ADR 0024). Each match now records the
-- version of the import its gaps were computed against (an amendment computes them again), and
-- import_value holds the import's share of its customs value (in proportion to this export's
-- value among the import's matched exports), so that summing import_value over the matches counts
-- each import once.
ALTER TABLE exchange_matches ADD COLUMN import_version integer;
-- matching at receipt finds an import's trader by its party key (upper case, letters and digits
-- only), as matching.ts's partyKey computes it; not partial on the imports, or a planner without
-- statistics (PGlite) would scan it for every query on imports instead of their UCR's index
CREATE INDEX declarations_trader_key ON declarations ((regexp_replace(upper(trader_id), '[^A-Z0-9]', '', 'g')), date);
