-- Who works on an open declaration: the officer who took it, or whom a supervisor assigned it to.
ALTER TABLE declarations ADD COLUMN assigned_to text;
ALTER TABLE declarations ADD COLUMN assigned_at timestamptz;
-- serves: an officer's own work, and each officer's load for a supervisor assigning work
CREATE INDEX declarations_assigned ON declarations (assigned_to) WHERE assigned_to IS NOT NULL;
