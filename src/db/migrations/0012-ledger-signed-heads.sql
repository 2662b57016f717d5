-- The ledger against someone who can write to the database (ADR 0012): checkpoints chained to one
-- another, and the head signed often, both with the key held outside the database.

-- SHA-256 (hex) of the previous checkpoint's signed message, signed with this one (64 zeros for the
-- first). Checkpoints signed before this column existed keep NULL and their version 1 message.
ALTER TABLE ledger_checkpoints ADD COLUMN prev_checkpoint text;

-- Signed heads: the chain's seq and hash with the latest checkpoint at the time, signed by the
-- server every minute while entries are added, at each checkpoint and when a command that changed
-- data ends. Entries up to a signed head cannot be removed or rewritten without the key. Heads
-- covered by a later checkpoint are deleted when it is made; the latest one always stays.
CREATE TABLE ledger_signed_heads (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  -- the checkpoint whose range ends at checkpoint_seq (0 and 64 zeros before the first one)
  checkpoint_seq bigint NOT NULL,
  checkpoint_hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
