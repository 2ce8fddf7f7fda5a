-- Work that must happen once per period across every process of a deployment: the first
-- process to claim a (name, slot) runs it; the others see the row and skip.
CREATE TABLE periodic_runs (
  name       text NOT NULL,
  slot       bigint NOT NULL,
  claimed_by text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, slot)
);

-- Request counters shared by every API process (fixed windows), for the rate limits.
CREATE UNLOGGED TABLE rate_limit_hits (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
