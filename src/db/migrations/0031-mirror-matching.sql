-- Matching received exports to this administration's imports, and mirror analysis (ADR 0024).
-- What matching needs of a received export declaration, read from its DEC-DMS 2 message once, at
-- receipt: its keys (normalised: upper case, letters and digits only, for the parties), HS6 codes,
-- date, currency, value and principal HS chapter (that of its item of highest value).
ALTER TABLE exchange_inbox
  ADD COLUMN reference text,
  ADD COLUMN ucr text,
  ADD COLUMN transport_document text,
  ADD COLUMN exporter_keys text[] NOT NULL DEFAULT '{}',
  ADD COLUMN importer text,
  ADD COLUMN importer_key text,
  ADD COLUMN hs6 text[] NOT NULL DEFAULT '{}',
  ADD COLUMN export_date date,
  ADD COLUMN currency text,
  ADD COLUMN export_value float8,
  ADD COLUMN hs_chapter text;
-- an import being lodged looks for waiting exports of its UCR, of its transport document, then of its importer
-- (each leads with its key, in the order the queries read, so that a planner without statistics
-- prefers it to exchange_inbox_unmatched)
CREATE INDEX exchange_inbox_waiting_ucr ON exchange_inbox (ucr, sender, id)
  WHERE match_state = 'unmatched' AND type = 'export_declarations';
CREATE INDEX exchange_inbox_waiting_document ON exchange_inbox (transport_document, sender, id)
  WHERE match_state = 'unmatched' AND type = 'export_declarations';
CREATE INDEX exchange_inbox_waiting_importer ON exchange_inbox (importer_key, export_date DESC, sender, id)
  WHERE match_state = 'unmatched' AND type = 'export_declarations';
-- matching reads the waiting messages by their keys above, not in the order received
DROP INDEX exchange_inbox_unmatched;
-- mirror statistics: one partner's messages by export month (led by the sender, so that matching
-- by parties never reads it for the export dates)
CREATE INDEX exchange_inbox_statistics ON exchange_inbox (sender, export_date) WHERE type = 'export_declarations';

-- One row per matched export message: the import it was matched to, how, and the gaps found. The
-- primary key is what keeps a message from being matched twice (with the inbox's conditional
-- match_state update). No foreign keys, as for other child tables (ADR 0003): the message is the
-- inbox row of the same (sender, id); archival may remove a matched import.
CREATE TABLE exchange_matches (
  sender text NOT NULL,
  message_id uuid NOT NULL,
  declaration_id bigint NOT NULL,
  matched_by text NOT NULL CHECK (matched_by IN ('ucr', 'transport_document', 'parties')),
  matched_at timestamptz NOT NULL DEFAULT now(),
  gaps jsonb NOT NULL,
  beyond boolean NOT NULL,
  value_ratio float8,
  import_value float8 NOT NULL,
  export_value float8 NOT NULL,
  comparable boolean NOT NULL,
  PRIMARY KEY (sender, message_id)
);
-- a declaration's matches (its mirror, its assessment)
CREATE INDEX exchange_matches_declaration ON exchange_matches (declaration_id);
