-- Unit-value statistics (value per kg) from accepted declarations, per HS subheading, origin and
-- currency; origin '' holds the statistics over every origin, the fallback.
CREATE TABLE price_reference (
  hs6 text NOT NULL,
  origin text NOT NULL,
  currency text NOT NULL,
  n integer NOT NULL,
  -- median and median absolute deviation of ln(unit value)
  log_median double precision NOT NULL,
  log_mad double precision NOT NULL,
  p05 double precision NOT NULL,
  p25 double precision NOT NULL,
  p50 double precision NOT NULL,
  p75 double precision NOT NULL,
  p95 double precision NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hs6, origin, currency)
);

-- Bounds a risk analyst sets by hand; they take precedence over the computed band.
CREATE TABLE price_overrides (
  hs6 text NOT NULL,
  origin text NOT NULL,
  currency text NOT NULL,
  min_unit_value double precision,
  max_unit_value double precision,
  reason text NOT NULL,
  set_by text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hs6, origin, currency),
  CHECK (min_unit_value IS NULL OR max_unit_value IS NULL OR min_unit_value <= max_unit_value)
);
