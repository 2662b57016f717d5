-- Exchange hardening (ADR 0023): a message the sender gives up on is `failed` (a permanent refusal
-- or too many attempts), and only `pending` and `sending` messages are claimed.
ALTER TABLE exchange_outbox DROP CONSTRAINT exchange_outbox_state_check;
ALTER TABLE exchange_outbox ADD CONSTRAINT exchange_outbox_state_check
  CHECK (state IN ('pending', 'sending', 'acknowledged', 'failed'));
DROP INDEX exchange_outbox_due;
CREATE INDEX exchange_outbox_due ON exchange_outbox (next_attempt_at) WHERE state IN ('pending', 'sending');

-- The schema findings of a received DEC-DMS 2 message (stored with it; empty when it is sound).
ALTER TABLE exchange_inbox ADD COLUMN findings jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Who created each user, for four-eyes rules that refuse a second administrator the first one
-- made: set when a user is created, filled here from the ledger's user.created entries (sealed or
-- still pending); NULL where the ledger does not say.
ALTER TABLE users ADD COLUMN created_by text;
UPDATE users u SET created_by = c.actor
FROM (
  SELECT DISTINCT ON (subject_id) subject_id, actor
  FROM (
    SELECT subject_id, actor, at, 0 AS pending, seq AS n FROM ledger WHERE action = 'user.created'
    UNION ALL
    SELECT subject_id, actor, at, 1 AS pending, id AS n FROM ledger_pending WHERE action = 'user.created'
  ) entries
  ORDER BY subject_id, pending DESC, n DESC
) c
WHERE c.subject_id = u.username;
