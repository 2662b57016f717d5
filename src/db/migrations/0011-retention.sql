-- Retention and lifecycle (ADR 0011): how long each class of data is kept, the legal holds that
-- keep a declaration whatever its age, and the archival runs that moved expired data to archive
-- files and purged it.

-- One row per data class (governance/retention/policies.ts names them and their clocks); `keep`
-- is a period such as '10y', '6m', '30d', or 'forever'.
CREATE TABLE retention_policies (
  data_class text PRIMARY KEY,
  keep text NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO retention_policies (data_class, keep, updated_by) VALUES
  ('declarations', '10y', 'system'),
  ('control-notes', '5y', 'system'),
  ('imports', '1y', 'system'),
  ('sessions', '30d', 'system'),
  ('ledger', 'forever', 'system');

-- A hold stands until released; released holds stay as the record of who held what and why.
CREATE TABLE legal_holds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  declaration_id bigint NOT NULL,
  reason text NOT NULL,
  placed_by text NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now(),
  released_by text,
  released_at timestamptz,
  release_reason text
);
-- serves: is this declaration held (at most one standing hold each), and the archival's exclusion
CREATE UNIQUE INDEX legal_holds_standing ON legal_holds (declaration_id) WHERE released_at IS NULL;

-- Archival runs that committed: an archive folder whose run is not here was abandoned part-way
-- (its data is still in the database) and the next run removes it.
CREATE TABLE archive_runs (
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  folder text NOT NULL,
  -- the ledger entry recording the purge, with the SHA-256 of every archive file
  ledger_seq bigint NOT NULL,
  counts jsonb NOT NULL,
  held integer NOT NULL
);

-- serves: control notes past their period (the notes class's clock is when they were recorded)
CREATE INDEX control_results_recorded_at ON control_results (recorded_at) WHERE notes IS NOT NULL;
