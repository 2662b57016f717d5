-- Declaration files uploaded through the API (POST /api/imports): each upload is a job whose row
-- carries its progress and, once finished, its summary. The job row is updated once per batch, never
-- per row, and its updated_at is the heartbeat that tells a running job from an abandoned one.
CREATE TABLE imports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner text NOT NULL,
  -- the trader (trader role) or declarant (declarant role) the file was uploaded as
  party_id text NOT NULL,
  role text NOT NULL CHECK (role IN ('trader', 'declarant')),
  format text NOT NULL,
  file_name text,
  bytes bigint NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'receiving'
    CHECK (status IN ('receiving', 'importing', 'assessing', 'done', 'failed')),
  rows_read bigint NOT NULL DEFAULT 0,
  accepted bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  duplicates bigint NOT NULL DEFAULT 0,
  assessed bigint NOT NULL DEFAULT 0,
  -- the lanes the accepted declarations were given, e.g. {"red": 1, "green": 40}
  lanes jsonb,
  -- every finding of the rejected rows; the first ones are kept in import_rejects
  findings bigint NOT NULL DEFAULT 0,
  findings_kept integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  error text
);
-- serves: a user's imports newest first (keyset on id)
CREATE INDEX imports_owner ON imports (owner, id);
-- one unfinished import per user: a second upload is refused while the first runs; also serves
-- finding the abandoned ones
CREATE UNIQUE INDEX imports_running ON imports (owner) WHERE status IN ('receiving', 'importing', 'assessing');

-- The findings of an import's rejected rows, the first 1,000 of each import.
CREATE TABLE import_rejects (
  import_id bigint NOT NULL,
  seq integer NOT NULL,
  line integer NOT NULL,
  functional_reference text,
  path text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  -- serves: an import's rejects in file order, a page at a time (keyset on line, seq)
  PRIMARY KEY (import_id, line, seq)
);
