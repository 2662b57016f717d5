-- How many declarations each trader has stored, kept where declarations are stored and purged
-- (declarations/trader-counts.ts), so that the count of a trader's earlier declarations that risk
-- indicators read is one row instead of a count over its whole history.
ALTER TABLE trader_history ADD COLUMN declarations bigint NOT NULL DEFAULT 0;
INSERT INTO trader_history AS h (trader_id, declarations)
SELECT trader_id, count(*) FROM declarations GROUP BY trader_id
ON CONFLICT (trader_id) DO UPDATE SET declarations = EXCLUDED.declarations;
