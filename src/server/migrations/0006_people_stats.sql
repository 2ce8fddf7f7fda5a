-- Membership statistics kept up to date as memberships change: one row per organization, role
-- and live status with the counts the statistics show. Statement-level triggers with
-- transition tables add and subtract whole statements at once (an import batch of 2,000 rows
-- costs one small upsert), so statistics over millions of memberships read ~100,000 rows.
-- Age bands are relative to member_stats_meta.as_of; the service recomputes the table when the
-- business date moves on (people age).
CREATE TABLE member_stats (
  org_id    bigint NOT NULL,
  role      text NOT NULL,
  status    text NOT NULL,
  n         integer NOT NULL DEFAULT 0,
  women     integer NOT NULL DEFAULT 0,
  frontline integer NOT NULL DEFAULT 0,
  under28   integer NOT NULL DEFAULT 0,
  under35   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, role, status)
);

CREATE TABLE member_stats_meta (
  id    integer PRIMARY KEY CHECK (id = 1),
  as_of date NOT NULL,
  cut28 date NOT NULL,
  cut35 date NOT NULL
);
-- never computed yet: the first statistic computes it
INSERT INTO member_stats_meta VALUES (1, DATE '1970-01-01', DATE '1942-01-01', DATE '1935-01-01');

CREATE FUNCTION member_stats_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c28 date;
  c35 date;
BEGIN
  SELECT cut28, cut35 INTO c28, c35 FROM member_stats_meta WHERE id = 1;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO member_stats AS s (org_id, role, status, n, women, frontline, under28, under35)
    SELECT org_id, role, status, -count(*), -count(*) FILTER (WHERE gender = 'F'), -count(*) FILTER (WHERE frontline),
      -count(*) FILTER (WHERE birth_date > c28), -count(*) FILTER (WHERE birth_date > c35)
    FROM old_rows WHERE status IN ('active', 'pending') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (org_id, role, status) DO UPDATE SET n = s.n + EXCLUDED.n, women = s.women + EXCLUDED.women,
      frontline = s.frontline + EXCLUDED.frontline, under28 = s.under28 + EXCLUDED.under28,
      under35 = s.under35 + EXCLUDED.under35;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO member_stats AS s (org_id, role, status, n, women, frontline, under28, under35)
    SELECT org_id, role, status, count(*), count(*) FILTER (WHERE gender = 'F'), count(*) FILTER (WHERE frontline),
      count(*) FILTER (WHERE birth_date > c28), count(*) FILTER (WHERE birth_date > c35)
    FROM new_rows WHERE status IN ('active', 'pending') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (org_id, role, status) DO UPDATE SET n = s.n + EXCLUDED.n, women = s.women + EXCLUDED.women,
      frontline = s.frontline + EXCLUDED.frontline, under28 = s.under28 + EXCLUDED.under28,
      under35 = s.under35 + EXCLUDED.under35;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER member_stats_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_stats_delta();
CREATE TRIGGER member_stats_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_stats_delta();
CREATE TRIGGER member_stats_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_stats_delta();
