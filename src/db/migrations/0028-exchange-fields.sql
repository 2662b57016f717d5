-- What exchange between customs administrations needs of a declaration, after the WCO Data Model:
-- the Unique Consignment Reference (WCO 016), the transport document (D018, type D019), the
-- exporter (R032), the country of destination (465) and the Incoterm (090). All optional: stored
-- declarations keep NULL.
ALTER TABLE declarations
  ADD COLUMN IF NOT EXISTS ucr text,
  ADD COLUMN IF NOT EXISTS transport_document text,
  ADD COLUMN IF NOT EXISTS transport_document_type text,
  ADD COLUMN IF NOT EXISTS exporter text,
  ADD COLUMN IF NOT EXISTS destination_country text,
  ADD COLUMN IF NOT EXISTS incoterm text;
-- Matching an incoming export to import declarations by UCR, then by transport document.
CREATE INDEX IF NOT EXISTS declarations_ucr ON declarations (ucr) WHERE ucr IS NOT NULL;
CREATE INDEX IF NOT EXISTS declarations_transport_document
  ON declarations (transport_document) WHERE transport_document IS NOT NULL;
