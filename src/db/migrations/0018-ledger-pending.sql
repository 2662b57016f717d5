-- Ledger entries recorded in the transactions that make the changes, not yet chained (ADR 0013):
-- a change inserts its entry here without touching ledger_head, so changes no longer wait for each
-- other; the sealer moves entries into `ledger` in id order, chaining and hashing them under the
-- head row's lock, shortly after they commit. `at` and `data` are final here (the canonical JSON
-- that will be hashed); seq, prev_hash and hash are given when sealed.
CREATE TABLE ledger_pending (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject_kind text NOT NULL,
  subject_id text,
  data text NOT NULL
);
