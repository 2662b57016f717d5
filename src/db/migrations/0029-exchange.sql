-- Exchange with partner customs administrations (ADR 0023).
-- A partner in force: registered by one administrator and confirmed by another (four-eyes).
CREATE TABLE exchange_partners (
  code text PRIMARY KEY,
  name text NOT NULL,
  endpoint text NOT NULL,
  public_key text NOT NULL,
  message_types text[] NOT NULL,
  agreement_ref text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  proposed_by text NOT NULL,
  confirmed_by text NOT NULL,
  confirmed_at timestamptz NOT NULL
);

-- A registration or change waiting for a second administrator; at most one per partner.
CREATE TABLE exchange_partner_proposals (
  code text PRIMARY KEY,
  data jsonb NOT NULL,
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now()
);

-- The transactional outbox: written in the transaction that accepts the declaration, delivered by
-- the sender. A message is signed at each attempt (its timestamp is the attempt's time).
CREATE TABLE exchange_outbox (
  id uuid PRIMARY KEY,
  receiver text NOT NULL,
  type text NOT NULL,
  declaration_id bigint,
  content_type text NOT NULL,
  payload bytea NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'acknowledged')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sent_at timestamptz,
  acknowledged_at timestamptz,
  acknowledgement jsonb
);
-- the sender's claim: messages not yet acknowledged whose next attempt is due
CREATE INDEX exchange_outbox_due ON exchange_outbox (next_attempt_at) WHERE state <> 'acknowledged';

-- Messages received from partners, once per (sender, id). `match_state` is where matching exports
-- to this administration's imports picks them up (unmatched until then).
CREATE TABLE exchange_inbox (
  sender text NOT NULL,
  id uuid NOT NULL,
  type text NOT NULL,
  sent_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  content_type text NOT NULL,
  payload bytea NOT NULL,
  payload_sha256 text NOT NULL,
  signature text NOT NULL,
  match_state text NOT NULL DEFAULT 'unmatched',
  acknowledgement jsonb NOT NULL,
  PRIMARY KEY (sender, id)
);
-- the matcher's queue: messages of a type not yet matched
CREATE INDEX exchange_inbox_unmatched ON exchange_inbox (type, received_at) WHERE match_state = 'unmatched';
