-- Commercial documents attached to a declaration by its trader or declarant of record (invoices,
-- packing lists, certificates of origin, transport documents; docs/documents.md, ADR 0035).
--
-- The bytes are stored once per content, by their SHA-256: the same invoice attached to two
-- declarations, or twice, is one row of document_contents.
CREATE TABLE document_contents (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
  size integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
  content bytea NOT NULL,
  CHECK (octet_length(content) = size)
);

-- One attachment of a content to a declaration. Like the declaration's other rows it carries
-- declaration_id without a foreign key (ADR 0003): it is written only while its declaration is
-- locked, and archived and purged with it (governance/retention/archive.ts), which also deletes a
-- content no attachment refers to any more in the same transaction.
CREATE TABLE declaration_documents (
  id bigserial PRIMARY KEY,
  declaration_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('invoice', 'packing_list', 'certificate_of_origin',
    'transport_document', 'other')),
  filename text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
  sha256 text NOT NULL REFERENCES document_contents (sha256),
  size integer NOT NULL,
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  -- what reading the document found (its text's fields) and its review against the declaration,
  -- when it was read, or why it could not be read (documents/store.ts recordReading)
  extraction jsonb,
  review jsonb,
  read_at timestamptz,
  read_error text,
  -- until when a server reading the document holds it (documents/reader.ts): a claim a stopped
  -- server left is taken again once it has passed
  read_claimed_until timestamptz,
  -- how many times a reader claimed it: a document whose readings never finish (a crash, a file that
  -- exhausts the reader) is given up after a few, with why
  read_attempts integer NOT NULL DEFAULT 0
);
-- serves: a declaration's documents in the order attached (its page, the limit per declaration, archival)
CREATE INDEX declaration_documents_declaration ON declaration_documents (declaration_id, id);
-- serves: whether a content is still attached anywhere once attachments are purged
CREATE INDEX declaration_documents_sha256 ON declaration_documents (sha256);
-- serves: the reader's next unread document, oldest first (documents/reader.ts claimNext)
CREATE INDEX declaration_documents_unread ON declaration_documents (id) WHERE read_at IS NULL;
