-- Public trade statistics (ADR 0031): releases prepared, approved by a second person and published
-- as immutable, versioned snapshots; their cells with the suppression pattern; the published files.
CREATE TABLE open_releases (
  id bigserial PRIMARY KEY,
  -- the release's name (e.g. trade-2026-10); versions of one name correct each other
  name text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  period_from text NOT NULL,
  period_to text NOT NULL,
  currency text NOT NULL,
  parameters jsonb NOT NULL,
  summary jsonb NOT NULL,
  corrects integer,
  correction_note text,
  status text NOT NULL CHECK (status IN ('prepared', 'approved', 'rejected', 'published')),
  prepared_by text NOT NULL,
  prepared_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  published_by text,
  published_at timestamptz,
  -- the signed manifest (JSON text), its Ed25519 signature (base64) and the key that made it
  manifest text,
  signature text,
  key_id text,
  public_key text,
  UNIQUE (name, version)
);
-- serves: the public list of published releases, newest first
CREATE INDEX open_releases_published ON open_releases (published_at DESC) WHERE status = 'published';

CREATE TABLE open_release_cells (
  release_id bigint NOT NULL REFERENCES open_releases (id),
  table_name text NOT NULL,
  -- TOTAL or an HS chapter, heading or subheading; TOTAL or a partner country
  hs text NOT NULL,
  partner text NOT NULL,
  -- cents, grams, thousandths of the supplementary unit
  value bigint NOT NULL,
  net_mass bigint NOT NULL,
  supplementary bigint,
  declarations bigint NOT NULL,
  traders integer NOT NULL,
  status text NOT NULL CHECK (status IN ('published', 'primary', 'secondary')),
  reason text,
  PRIMARY KEY (release_id, table_name, hs, partner)
);

CREATE TABLE open_release_files (
  release_id bigint NOT NULL REFERENCES open_releases (id),
  name text NOT NULL,
  media_type text NOT NULL,
  content bytea NOT NULL,
  sha256 text NOT NULL,
  PRIMARY KEY (release_id, name)
);

-- A published release, its cells and its files never change: corrections are new versions.
-- (no line inside a function ends with a semicolon: migrations are split at such lines)
CREATE FUNCTION open_release_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF OLD.status = 'published' THEN RAISE EXCEPTION 'a published release is immutable'; END IF
  ; RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END $$;
CREATE FUNCTION open_release_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF EXISTS (SELECT 1 FROM open_releases WHERE id = OLD.release_id AND status = 'published') THEN
    RAISE EXCEPTION 'a published release is immutable'; END IF
  ; RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END $$;
CREATE TRIGGER open_releases_frozen BEFORE UPDATE OR DELETE ON open_releases
  FOR EACH ROW EXECUTE FUNCTION open_release_frozen();
CREATE TRIGGER open_release_cells_frozen BEFORE UPDATE OR DELETE ON open_release_cells
  FOR EACH ROW EXECUTE FUNCTION open_release_part_frozen();
CREATE TRIGGER open_release_files_frozen BEFORE UPDATE OR DELETE ON open_release_files
  FOR EACH ROW EXECUTE FUNCTION open_release_part_frozen();
