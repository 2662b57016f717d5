-- The registry of learned risk models: each version with its training window, features and
-- metrics; a risk analyst activates one at a time.
CREATE TABLE risk_models (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  source text NOT NULL,
  window_from date,
  window_to date,
  rows integer NOT NULL,
  positives integer NOT NULL,
  features jsonb NOT NULL,
  metrics jsonb,
  -- the saved model (src/risk/risk-model.ts), kept as text: it is read whole, never queried
  model text NOT NULL,
  active boolean NOT NULL DEFAULT false,
  activated_by text,
  activated_at timestamptz
);
-- serves: at most one active model, found at once
CREATE UNIQUE INDEX risk_models_active ON risk_models (active) WHERE active;
