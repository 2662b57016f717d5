-- Rule profiles (selectivity criteria), versioned; a version becomes active only when a second
-- risk analyst approves it (four eyes).
CREATE TABLE risk_profiles (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL,
  version integer NOT NULL,
  definition jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'pending', 'active', 'retired', 'rejected')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  UNIQUE (code, version),
  CHECK (status IN ('draft', 'pending') OR decided_by IS NOT NULL),
  CHECK (decided_by IS NULL OR decided_by <> created_by)
);
-- serves: the one active version of each profile
CREATE UNIQUE INDEX risk_profiles_active ON risk_profiles (code) WHERE status = 'active';

-- Which declarations each profile version selected; with control results they give hit rates.
CREATE TABLE profile_hits (
  profile_id bigint NOT NULL,
  declaration_id bigint NOT NULL,
  selected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, declaration_id)
);
-- serves: the profiles that selected a declaration
CREATE INDEX profile_hits_declaration ON profile_hits (declaration_id);
