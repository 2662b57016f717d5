-- Pushed deliveries to partner agencies (ADR 0033): each agreement delivered by webhook has a
-- signing secret (Standard Webhooks, whsec_ and base64) and a floor below which every declaration
-- has been considered; the declarations queued for it; and the messages of its outbox.
CREATE TABLE sharing_webhooks (
  agreement_id bigint PRIMARY KEY REFERENCES sharing_agreements (id),
  secret text NOT NULL,
  -- every declaration with an id at or below it has been considered for this agreement
  floor_declaration bigint NOT NULL DEFAULT 0,
  rotated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sharing_webhook_queued (
  agreement_id bigint NOT NULL REFERENCES sharing_agreements (id),
  declaration_id bigint NOT NULL,
  PRIMARY KEY (agreement_id, declaration_id)
);

CREATE TABLE sharing_webhook_messages (
  -- the webhook-id header: msg_ and 26 base32 characters
  id text PRIMARY KEY,
  agreement_id bigint NOT NULL REFERENCES sharing_agreements (id),
  agency text NOT NULL REFERENCES agencies (code),
  declaration_ids bigint[] NOT NULL,
  fields text[] NOT NULL,
  -- the exact JSON body signed and sent
  body text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer,
  last_error text,
  replays integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
-- serves: the sender's due messages
CREATE INDEX sharing_webhook_messages_due ON sharing_webhook_messages (next_attempt_at)
  WHERE state IN ('pending', 'sending');
-- serves: an agency's messages, newest first
CREATE INDEX sharing_webhook_messages_agency ON sharing_webhook_messages (agency, created_at DESC, id DESC);
