-- Time Release Study (ADR 0026): per closed calendar month (UTC) of release, the distribution of each
-- stage's minutes per group key of a single dimension, so that a window's whole months add up from a
-- few hundred thousand rows instead of unnesting every declaration's stage minutes. Derived data:
-- written only by clearance/times-summary.ts when a study reads a closed month (ended an hour ago and
-- more) that is not summarised; never by the release. Named to sort after clearance_times, so a
-- restore (backup/, tables in name order) copies them after the rows they sum up, as backed up.

-- A month whose summary is complete: present exactly while clearance_times_summary holds the month's
-- distribution of clearance_times as it stands (a release or a purge in the month deletes it).
CREATE TABLE clearance_times_periods (
  month date PRIMARY KEY
);

-- Per month, dimension, key, stage and whole minute: what the study's distribution holds (times.ts).
-- dimension: '' (every declaration, key ''), 'office', 'lane', 'mode', 'chapter' (HS chapter of the
-- principal item; the section is the chapter's, joined at query time) or 'week' (the key is the
-- Monday of the release's week, so that weeks across two months add up). Stage 0 holds, at minute 0,
-- the number of declarations of the key (all stages null included), by which the top groups rank.
CREATE TABLE clearance_times_summary (
  dimension text NOT NULL,
  month date NOT NULL,
  key text NOT NULL,
  stage smallint NOT NULL,
  -- the minutes rounded to a whole minute (round(), as the study rounds them)
  minute double precision NOT NULL,
  -- how many, how many below `minute` (rounded up), how many at or below it, and the exact minutes
  -- added up, negatives as 0 in `positive`
  n bigint NOT NULL,
  below bigint NOT NULL,
  at_or_below bigint NOT NULL,
  minutes double precision NOT NULL,
  positive double precision NOT NULL,
  -- serves: clearance/times.ts, a dimension's declarations per key (stage 0) and distributions
  -- (stages 1 and on) in the window's summarised months
  PRIMARY KEY (dimension, month, stage, key, minute)
);

-- A release (or a purge's removal) in a summarised month makes its summary stale: the marker goes, in
-- the same transaction as the change. The shared advisory lock (class 26, key year * 12 + month - 1)
-- stops a summariser, which holds it exclusively while it reads the month and writes its summary,
-- from summarising without this row and marking the month complete after it: it waits until this
-- transaction ends (and then reads the row), or this waits until the summary is written (and then
-- deletes its marker). Shared locks do not wait for one another, so releases never wait for each
-- other; for the current month, never summarised, the delete finds nothing and locks no row.
CREATE FUNCTION clearance_times_stale() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE
  m date := date_trunc('month', (CASE WHEN TG_OP = 'DELETE' THEN OLD.released ELSE NEW.released END)
    AT TIME ZONE 'UTC')::date; BEGIN PERFORM pg_advisory_xact_lock_shared(26,
    (extract(year FROM m) * 12 + extract(month FROM m) - 1)::int); DELETE FROM clearance_times_periods
  WHERE month = m; RETURN NULL; END $$;
CREATE TRIGGER clearance_times_stale AFTER INSERT OR DELETE ON clearance_times
  FOR EACH ROW EXECUTE FUNCTION clearance_times_stale();
