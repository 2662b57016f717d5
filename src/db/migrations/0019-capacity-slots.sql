-- Control places per office, day and lane, split into slots so that concurrent assessments at one
-- office and day claim places in different rows instead of queueing on one (risk/capacity.ts). The
-- configured limit is divided over the slots: `places` is a slot's share, `used` what it gave out,
-- `divided_for` the limit the shares were computed for (a slot never gives out more than its
-- share, and the shares add up to the limit, or to what was already used when that is more).
CREATE TABLE control_capacity_slots (
  office text NOT NULL,
  day date NOT NULL,
  lane text NOT NULL CHECK (lane IN ('red', 'yellow')),
  slot smallint NOT NULL CHECK (slot >= 0),
  places integer NOT NULL CHECK (places >= 0),
  used integer NOT NULL CHECK (used >= 0 AND used <= places),
  divided_for integer NOT NULL,
  PRIMARY KEY (office, day, lane, slot)
);

-- The counts so far, each in a first slot that is full; -1 is no limit, so the first claim divides
-- the configured limit again (keeping what was used) over every slot.
INSERT INTO control_capacity_slots (office, day, lane, slot, places, used, divided_for)
SELECT office, day, lane, 0, used, used, -1 FROM control_capacity_use;

DROP TABLE control_capacity_use;

-- The places taken per office, day and lane, and the places there are, summed over the slots.
CREATE VIEW control_capacity_use AS
SELECT office, day, lane, sum(used)::int4 AS used, sum(places)::int4 AS places
FROM control_capacity_slots GROUP BY office, day, lane;
