-- Uploads that survive a crash of the server. Each server process holds a session-level advisory
-- lock on a random key of its own while it lives; an unfinished upload names the process running it
-- (`runner`), so that another process, or the next start, tells an interrupted job from a running
-- one by trying that lock, and claims it with a conditional UPDATE on `runner`.
ALTER TABLE imports ADD COLUMN runner integer;
-- the last declaration id handed out when importing started: the upload's declarations lie above it
ALTER TABLE imports ADD COLUMN after_declaration_id bigint;
-- how many times the import was started again after its server stopped
ALTER TABLE imports ADD COLUMN restarts integer NOT NULL DEFAULT 0;
-- the data rows whose quality counts are written (with them, in one transaction): an import run
-- again does not count them twice
ALTER TABLE imports ADD COLUMN quality_rows bigint NOT NULL DEFAULT 0;
