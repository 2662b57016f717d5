-- Risk assessments: every time selectivity assesses a declaration (at acceptance, again after an
-- amendment), with the score, the lane, whether it was a random selection, the reasons and the
-- versions of the profiles and model that produced it.
CREATE TABLE risk_assessments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  declaration_id bigint NOT NULL,
  assessed_at timestamptz NOT NULL DEFAULT now(),
  -- the office and day whose control capacity the lane was counted against
  office text NOT NULL,
  day date NOT NULL,
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  -- P(critical fraud) from the learned model, when one was active
  critical double precision CHECK (critical >= 0 AND critical <= 1),
  lane text NOT NULL CHECK (lane IN ('red', 'yellow', 'blue', 'green')),
  random boolean NOT NULL,
  reasons jsonb NOT NULL,
  versions jsonb NOT NULL,
  model_id bigint
);
-- serves: a declaration's assessments, newest last
CREATE INDEX risk_assessments_declaration ON risk_assessments (declaration_id, id);
-- serves: performance per period
CREATE INDEX risk_assessments_day ON risk_assessments (day);

-- The current lane and score of each declaration (those of its latest assessment).
ALTER TABLE declarations ADD COLUMN lane text CHECK (lane IN ('red', 'yellow', 'blue', 'green'));
ALTER TABLE declarations ADD COLUMN risk_score double precision;
-- serves: worklists per office and lane, highest risk first
CREATE INDEX declarations_worklist ON declarations (office, lane, risk_score DESC, id DESC) WHERE lane IS NOT NULL;
-- serves: finding the accepted declarations still to assess (after an import)
CREATE INDEX declarations_unassessed ON declarations (id) WHERE lane IS NULL;

-- Control places taken per office, day and lane, against the configured capacity.
CREATE TABLE control_capacity_use (
  office text NOT NULL,
  day date NOT NULL,
  lane text NOT NULL CHECK (lane IN ('red', 'yellow')),
  used integer NOT NULL CHECK (used >= 0),
  PRIMARY KEY (office, day, lane)
);

-- What risk assessment has learned of each trader, kept as it assesses so that indicators are one
-- indexed lookup: its control record, and the HS6 codes and origins it has declared, each with the
-- first declaration that used it (a "first use" is one with no earlier declaration).
CREATE TABLE trader_history (
  trader_id text PRIMARY KEY,
  controls integer NOT NULL DEFAULT 0,
  positives integer NOT NULL DEFAULT 0
);
CREATE TABLE trader_goods (
  trader_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('hs6', 'origin')),
  value text NOT NULL,
  first_declaration_id bigint NOT NULL,
  PRIMARY KEY (trader_id, kind, value)
);
