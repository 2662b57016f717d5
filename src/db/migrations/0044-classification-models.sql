-- The registry of HS classification models (src/classification/): each version with the texts it
-- learned from and its measured accuracy; a risk analyst activates one at a time, as for the risk
-- model. The model is the classifier's compact serialisation, read whole and never queried.
CREATE TABLE classification_models (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  -- 'reference' (the nomenclature and tariff texts alone) or 'database' (with the declarations' descriptions)
  source text NOT NULL,
  -- how many labelled texts of each kind it learned from: {"reference": n, "declarations": n}
  texts jsonb NOT NULL,
  codes integer NOT NULL,
  metrics jsonb,
  -- per country of origin, the share of its declared goods items in each HS heading (the most
  -- declared headings): {"CN": {"8517": 0.12, ...}}; the aid ranks those headings a little higher
  origins jsonb NOT NULL DEFAULT '{}',
  size integer NOT NULL,
  model bytea NOT NULL,
  active boolean NOT NULL DEFAULT false,
  activated_by text,
  activated_at timestamptz
);
-- serves: at most one active model, found at once
CREATE UNIQUE INDEX classification_models_active ON classification_models (active) WHERE active;
