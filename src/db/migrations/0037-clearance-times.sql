-- Time Release Study (ADR 0026): the moments of each released declaration's stages, read from its
-- events once, when it is released, so the study reads one narrow row per declaration instead of
-- grouping all its events at every request. Derived data: kept by the triggers below, never written
-- by the application. Named to sort before declaration_events, so a restore (backup/, tables in name
-- order) copies these rows before the events whose trigger would make them again (and then does nothing).
CREATE TABLE clearance_times (
  declaration_id bigint PRIMARY KEY,
  released timestamptz NOT NULL,
  -- the group keys and the scope, as the declaration has them at release (release is final): the study
  -- reads this table alone, never declarations nor items
  office text NOT NULL,
  lane text,
  transport_mode text,
  -- the HS chapter (two digits) of the principal item: the one of highest value, the first of equals
  -- (as mirror analysis has it); null without an item
  chapter text,
  trader_id text NOT NULL,
  -- minutes of each stage (null when a moment is missing), as clearance/times.ts names the stages
  arrival_to_lodging double precision,
  lodging_to_acceptance double precision,
  acceptance_to_assessment double precision,
  assessment_to_release double precision,
  total double precision,
  documents_requested_to_provided double precision,
  documents_provided_to_checked double precision,
  inspection_scheduled_to_started double precision,
  inspection_started_to_completed double precision,
  duties_assessed_to_paid double precision
);
-- serves: clearance/times.ts, the declarations released in a window
CREATE INDEX clearance_times_released ON clearance_times (released, declaration_id);

-- The first event of each kind; the arrival is the `arrived` event's data.arrivedAt when it reads as a
-- moment (a text that does not is no arrival, never a failed statement); minutes between them.
CREATE FUNCTION clearance_times_of(ids bigint[]) RETURNS SETOF clearance_times LANGUAGE sql STABLE AS $$
  SELECT m.id, m.released, d.office, d.lane, d.transport_mode,
    (SELECT left(i.hs_code, 2) FROM declaration_items i WHERE i.declaration_id = m.id
      ORDER BY i.value DESC, i.sequence LIMIT 1),
    d.trader_id,
    extract(epoch FROM lodged - arrived) / 60, extract(epoch FROM accepted - lodged) / 60,
    extract(epoch FROM assessed - accepted) / 60, extract(epoch FROM released - assessed) / 60,
    extract(epoch FROM released - coalesce(arrived, lodged)) / 60,
    extract(epoch FROM documents_provided - documents_requested) / 60,
    extract(epoch FROM documents_checked - documents_provided) / 60,
    extract(epoch FROM inspection_started - inspection_scheduled) / 60,
    extract(epoch FROM inspection_completed - inspection_started) / 60,
    extract(epoch FROM settled - duties_assessed) / 60
  FROM (
    SELECT e.declaration_id AS id,
      min(e.at) FILTER (WHERE e.kind = 'released') AS released,
      min(CASE WHEN e.kind = 'arrived'
        AND e.data->>'arrivedAt' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$'
        THEN (e.data->>'arrivedAt')::timestamptz END) AS arrived,
      min(e.at) FILTER (WHERE e.kind = 'lodged') AS lodged,
      min(e.at) FILTER (WHERE e.kind = 'accepted') AS accepted,
      min(e.at) FILTER (WHERE e.kind = 'assessed') AS assessed,
      min(e.at) FILTER (WHERE e.kind = 'documents_requested') AS documents_requested,
      min(e.at) FILTER (WHERE e.kind = 'documents_provided') AS documents_provided,
      min(e.at) FILTER (WHERE e.kind = 'documents_checked') AS documents_checked,
      min(e.at) FILTER (WHERE e.kind = 'inspection_scheduled') AS inspection_scheduled,
      min(e.at) FILTER (WHERE e.kind = 'inspection_started') AS inspection_started,
      min(e.at) FILTER (WHERE e.kind = 'inspection_completed') AS inspection_completed,
      min(e.at) FILTER (WHERE e.kind = 'duties_assessed') AS duties_assessed,
      min(e.at) FILTER (WHERE e.kind IN ('paid', 'guaranteed')) AS settled
    FROM declaration_events e
    WHERE e.declaration_id = ANY(ids)
    GROUP BY e.declaration_id
    HAVING bool_or(e.kind = 'released')
  ) m
  JOIN declarations d ON d.id = m.id
$$;

-- A declaration's times as they stand when it is released (release is final: nothing follows it).
-- (the migration is split at semicolons ending a line: none ends a line inside a body). JIT off: the
-- planner, without statistics on freshly written tables, judged the read costly enough to compile it
-- at every release (tens of milliseconds each, a bulk import of releases slowed many times over).
CREATE FUNCTION clearance_times_record() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$ BEGIN
  INSERT INTO clearance_times SELECT * FROM clearance_times_of(ARRAY[NEW.declaration_id])
  ON CONFLICT (declaration_id) DO NOTHING; RETURN NULL; END $$;
CREATE TRIGGER clearance_times_record AFTER INSERT ON declaration_events
  FOR EACH ROW WHEN (NEW.kind = 'released') EXECUTE FUNCTION clearance_times_record();

-- Gone with the declaration's events (retention's purge).
CREATE FUNCTION clearance_times_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  DELETE FROM clearance_times WHERE declaration_id = OLD.declaration_id; RETURN NULL; END $$;
CREATE TRIGGER clearance_times_forget AFTER DELETE ON declaration_events
  FOR EACH ROW WHEN (OLD.kind = 'released') EXECUTE FUNCTION clearance_times_forget();

-- declarations released before this migration
INSERT INTO clearance_times
SELECT * FROM clearance_times_of(array(SELECT declaration_id FROM declaration_events WHERE kind = 'released'));
