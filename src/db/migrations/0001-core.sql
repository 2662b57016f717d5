-- Users, sessions and API tokens.
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('trader', 'declarant', 'officer', 'supervisor', 'risk_analyst',
    'partner_agency', 'auditor', 'administrator')),
  -- the trader (importer/exporter) a trader user acts for, or the declarant (broker) code of a declarant user
  party_id text,
  -- the customs office an officer or supervisor works at
  office text,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role NOT IN ('trader', 'declarant') OR party_id IS NOT NULL)
);

-- Which traders a declarant (customs broker) may lodge for and read.
CREATE TABLE representations (
  declarant_id text NOT NULL,
  trader_id text NOT NULL,
  PRIMARY KEY (declarant_id, trader_id)
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
-- serves: purging expired sessions
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz
);

-- Code lists with validity periods (HS editions, countries, currencies, units, package types).
CREATE TABLE code_lists (
  list text NOT NULL,
  edition text NOT NULL DEFAULT '',
  code text NOT NULL,
  description text NOT NULL,
  parent text,
  valid_from date,
  valid_to date,
  PRIMARY KEY (list, edition, code)
);

CREATE SEQUENCE declaration_id_seq;

CREATE TABLE declarations (
  id bigint PRIMARY KEY DEFAULT nextval('declaration_id_seq'),
  type text NOT NULL CHECK (type IN ('IM', 'EX')),
  functional_reference text NOT NULL,
  trader_id text NOT NULL,
  declarant_id text NOT NULL,
  date date NOT NULL,
  office text NOT NULL,
  seller text,
  buyer text,
  courier text,
  transport_mode text,
  dispatch_country text,
  origin_country text,
  currency text NOT NULL,
  invoice_total numeric(18, 2),
  procedure text,
  additional_procedure text,
  payment_method text,
  processing_mode text,
  status text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  content_hash text NOT NULL,
  findings jsonb NOT NULL DEFAULT '[]',
  source text NOT NULL,
  lodged_by text NOT NULL,
  lodged_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- a functional reference identifies one declaration of a trader: resubmissions find the original
  UNIQUE (trader_id, functional_reference)
);
-- serves: listing a trader's declarations newest first (keyset on id)
CREATE INDEX declarations_trader_id ON declarations (trader_id, id);
-- serves: listing by office and date (worklists, release-time statistics)
CREATE INDEX declarations_office_date ON declarations (office, date);
-- serves: date-range listings and analytics
CREATE INDEX declarations_date ON declarations (date);

CREATE TABLE declaration_items (
  declaration_id bigint NOT NULL,
  sequence integer NOT NULL,
  hs_code text NOT NULL,
  description text,
  origin_country text,
  net_mass numeric(18, 3),
  gross_mass numeric(18, 3),
  supplementary_quantity numeric(18, 3),
  supplementary_unit text,
  value numeric(18, 2) NOT NULL,
  duty_tax_type text,
  duty_rate numeric(9, 4),
  package_type text,
  package_count integer,
  origin_indicator text,
  PRIMARY KEY (declaration_id, sequence)
);

-- The append-only history of each declaration; its status is derived from these.
CREATE TABLE declaration_events (
  declaration_id bigint NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  data jsonb,
  PRIMARY KEY (declaration_id, seq)
);

-- Results of controls: recorded by officers, or historical results imported with the declarations.
CREATE TABLE control_results (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  declaration_id bigint NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('compliant', 'non_compliant')),
  irregularity text,
  -- 0 none, 1 irregularity, 2 critical (the KCS "Critical Fraud" scale)
  severity smallint NOT NULL DEFAULT 0,
  revenue_recovered numeric(18, 2),
  notes text,
  source text NOT NULL CHECK (source IN ('officer', 'historical')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
-- serves: a declaration's control results, training sets joined on declarations
CREATE INDEX control_results_declaration ON control_results (declaration_id);

-- Responses remembered per user and Idempotency-Key, so a retried request returns the first answer.
CREATE TABLE idempotency_keys (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Settings the system keeps about itself (e.g. whether the demo data was seeded).
CREATE TABLE system_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
