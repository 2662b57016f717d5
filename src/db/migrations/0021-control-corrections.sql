-- A declaration has one final control result; a supervisor's correction supersedes it and both
-- stay (ADR 0014). The result in force is the one not superseded.
ALTER TABLE control_results ADD COLUMN seizure boolean NOT NULL DEFAULT false;
-- the currency of revenue_recovered (ISO 4217): the declaration's unless the officer names another
ALTER TABLE control_results ADD COLUMN revenue_currency text;
UPDATE control_results c SET revenue_currency = d.currency FROM declarations d
WHERE d.id = c.declaration_id AND c.revenue_recovered IS NOT NULL;
ALTER TABLE control_results ADD COLUMN superseded_at timestamptz;
ALTER TABLE control_results ADD COLUMN corrects bigint;
ALTER TABLE control_results ADD COLUMN correction_reason text;
UPDATE control_results SET seizure = true WHERE notes LIKE 'goods seized%';
-- results recorded a second time before corrections existed: the latest stayed in force, as every
-- figure read it; the earlier ones are kept as superseded
UPDATE control_results r SET superseded_at = (
    SELECT min(n.recorded_at) FROM control_results n
    WHERE n.declaration_id = r.declaration_id AND n.source = 'officer' AND (n.recorded_at, n.id) > (r.recorded_at, r.id))
WHERE r.source = 'officer' AND EXISTS (
    SELECT 1 FROM control_results n
    WHERE n.declaration_id = r.declaration_id AND n.source = 'officer' AND (n.recorded_at, n.id) > (r.recorded_at, r.id));
-- serves: refusing a second result; the one result in force of a declaration
CREATE UNIQUE INDEX control_results_in_force ON control_results (declaration_id)
  WHERE superseded_at IS NULL AND source = 'officer';
