-- Data sharing with partner agencies (ADR 0032): agencies, the agreements that say what each may
-- receive, and every delivery made under them. A partner agency user belongs to the agency whose
-- code is its users.party_id.
CREATE TABLE agencies (
  -- e.g. AGRI, HEALTH, STATS: what users.party_id holds for the agency's users
  code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,19}$'),
  name text NOT NULL,
  contact text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sharing_agreements (
  id bigserial PRIMARY KEY,
  agency text NOT NULL REFERENCES agencies (code),
  purpose text NOT NULL,
  legal_basis text NOT NULL,
  -- the data dictionary's field paths granted (declarations/catalog.ts), e.g. items[].hsCode
  fields text[] NOT NULL,
  -- the declarations it covers; an empty list is no restriction on that dimension
  hs_prefixes text[] NOT NULL DEFAULT '{}',
  procedures text[] NOT NULL DEFAULT '{}',
  offices text[] NOT NULL DEFAULT '{}',
  declaration_types text[] NOT NULL DEFAULT '{}',
  level text NOT NULL CHECK (level IN ('identified', 'pseudonymised', 'aggregated')),
  delivery text NOT NULL CHECK (delivery IN ('feed', 'webhook', 'both')),
  webhook_url text,
  -- declarations dated within these days, inclusive, fall under it; it is in force between them
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'active', 'rejected', 'suspended', 'revoked')),
  drafted_by text NOT NULL,
  drafted_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  -- the last suspension, resumption, revocation or rejection, and why
  changed_by text,
  changed_at timestamptz,
  reason text,
  CHECK (valid_from <= valid_to),
  CHECK (delivery = 'feed' OR webhook_url IS NOT NULL)
);
-- serves: an agency's agreements in force
CREATE INDEX sharing_agreements_agency ON sharing_agreements (agency, status);

-- Every delivery (a feed page read or a webhook message sent): who received which declarations
-- with which fields under which agreement, and when.
CREATE TABLE sharing_deliveries (
  id bigserial PRIMARY KEY,
  agreement_id bigint NOT NULL REFERENCES sharing_agreements (id),
  agency text NOT NULL REFERENCES agencies (code),
  channel text NOT NULL CHECK (channel IN ('feed', 'webhook')),
  fields text[] NOT NULL,
  declarations integer NOT NULL,
  actor text NOT NULL,
  delivered_at timestamptz NOT NULL DEFAULT now()
);
-- serves: an agency's access log, newest first
CREATE INDEX sharing_deliveries_agency ON sharing_deliveries (agency, id DESC);

CREATE TABLE sharing_delivery_declarations (
  delivery_id bigint NOT NULL REFERENCES sharing_deliveries (id),
  declaration_id bigint NOT NULL,
  PRIMARY KEY (delivery_id, declaration_id)
);
-- serves: which agencies received a declaration (a trader's transparency page)
CREATE INDEX sharing_delivery_declarations_declaration ON sharing_delivery_declarations (declaration_id);
