-- Predictive trade monitoring (ADR 0028): runs, the forecasts each run made, and alerts.
CREATE TABLE monitoring_runs (
  id bigserial PRIMARY KEY,
  period text NOT NULL CHECK (period IN ('week', 'month')),
  -- the first day of the latest complete period, the last the run observed
  latest_period date NOT NULL,
  history_from date NOT NULL,
  currency text,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'analyst', 'cli')),
  started_by text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  series integer NOT NULL,
  new_alerts integer NOT NULL
);
-- the latest run of a period (series, forecasts); whether today's scheduled run is done
CREATE INDEX monitoring_runs_latest ON monitoring_runs (period, id DESC);

CREATE TABLE monitoring_forecasts (
  run_id bigint NOT NULL REFERENCES monitoring_runs (id) ON DELETE CASCADE,
  series_key text NOT NULL,
  measure text NOT NULL CHECK (measure IN ('declarations', 'value', 'duty')),
  method text NOT NULL,
  -- the history forecast from: one value per period from history_from to the run's latest period
  history_from date NOT NULL,
  history jsonb NOT NULL,
  -- [{period, mean, lower80, upper80, lower95, upper95}], the periods after the latest one
  points jsonb NOT NULL,
  -- the latest period forecast from the history before it: {mean, lower80, upper80, lower95, upper95}
  backtest jsonb,
  PRIMARY KEY (run_id, series_key, measure)
);

CREATE TABLE monitoring_alerts (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('outside_interval', 'origin_surge', 'unit_value_drop')),
  period text NOT NULL CHECK (period IN ('week', 'month')),
  period_start date NOT NULL,
  series_key text NOT NULL,
  measure text NOT NULL,
  currency text,
  -- the value at stake, in the currency: how alerts rank
  size numeric NOT NULL,
  explanation text NOT NULL,
  facts jsonb NOT NULL,
  run_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'dismissed')),
  decided_by text,
  decided_at timestamptz,
  reason text,
  profile_id bigint,
  -- a run finding the same thing again adds nothing, whatever became of the first alert
  UNIQUE (kind, period, series_key, measure, period_start)
);
-- the alert list: by state, largest first
CREATE INDEX monitoring_alerts_ranked ON monitoring_alerts (state, size DESC, id);
