-- The tamper-evident ledger (ADR 0009): every change and every official read of sensitive data,
-- each entry chained to the one before it by its hash.
CREATE TABLE ledger (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject_kind text NOT NULL,
  subject_id text,
  -- canonical JSON (keys sorted), exactly the text that was hashed; cast to jsonb to query it
  data text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

-- The last entry: appends update this one row conditionally, which serialises them on PostgreSQL
-- (the row stays locked until the appending transaction ends) and lets verification notice a
-- removed tail.
CREATE TABLE ledger_head (
  id int PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Signed Merkle roots over consecutive ranges of entries, for publishing to partners.
CREATE TABLE ledger_checkpoints (
  id bigserial PRIMARY KEY,
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  last_hash text NOT NULL,
  merkle_root text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
-- serves: the next checkpoint starts after the last one, and verification walks them in order
CREATE UNIQUE INDEX ledger_checkpoints_to ON ledger_checkpoints (to_seq);
