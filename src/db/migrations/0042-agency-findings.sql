-- What partner agencies find on the declarations they received and give back to customs (the
-- single window seen from customs, docs/sharing-findings.md). A finding is archived and purged with
-- its declaration (governance/retention/archive.ts), as the declaration's other rows are.
CREATE TABLE agency_findings (
  id bigserial PRIMARY KEY,
  declaration_id bigint NOT NULL,
  -- the declaration's trader, so that a trader's findings are counted without reading its declarations
  trader_id text NOT NULL,
  agency text NOT NULL REFERENCES agencies (code),
  kind text NOT NULL CHECK (kind IN ('sanitary_hold', 'phytosanitary_hold', 'licence_missing',
    'licence_invalid', 'standards_nonconformity', 'tax_discrepancy', 'other')),
  severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- serves: a declaration's findings (its page, its history, indicator.agencyFindings, archival)
CREATE INDEX agency_findings_declaration ON agency_findings (declaration_id, id);
-- serves: an agency's own findings, newest first (keyset on id)
CREATE INDEX agency_findings_agency ON agency_findings (agency, id DESC);
-- serves: a trader's findings of the last 365 days (indicator.traderAgencyFindings)
CREATE INDEX agency_findings_trader ON agency_findings (trader_id, created_at);
