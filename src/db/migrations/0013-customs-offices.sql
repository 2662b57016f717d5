-- Customs offices: reference data with validity periods, loaded from data/reference/offices at first
-- start and maintained by administrators; the reference layer of validation checks a declaration's
-- office against the offices in force on its date.
CREATE TABLE customs_offices (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,17}$'),
  name text NOT NULL CHECK (name <> ''),
  -- ISO 3166-1 alpha-2
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  valid_from date,
  valid_to date,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);

-- The offices an officer or supervisor works at (several possible); they act on the work of these
-- offices only. Replaces the single users.office.
CREATE TABLE user_offices (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  office text NOT NULL,
  PRIMARY KEY (user_id, office)
);
-- serves: the officers of an office (a supervisor assigning work)
CREATE INDEX user_offices_office ON user_offices (office);

INSERT INTO user_offices (user_id, office)
SELECT id, office FROM users WHERE office IS NOT NULL AND office <> '' AND role IN ('officer', 'supervisor');

ALTER TABLE users DROP COLUMN office;
