-- The lane thresholds an assessment was made with ({"red": .., "yellow": .., "blue": ..}), so that
-- it is shown beside the policy that chose its lane, not the one in force later. Assessments stored
-- before have none (null): which thresholds applied to them is not known.
ALTER TABLE risk_assessments ADD COLUMN thresholds jsonb;
