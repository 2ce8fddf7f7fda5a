-- Intake in one statement, without BEGIN/COMMIT round trips (docs/appeals.md, "Performance").
-- Two reads must see what a concurrent transaction committed while this one waited for its
-- lock, which a single statement's snapshot (taken before the wait) does not: each of these
-- functions takes the lock and then reads with a fresh snapshot (a VOLATILE function's
-- statements do, under READ COMMITTED). The locks are held until the caller's transaction ends.

-- The last hash of an audit chain, read after taking the chain's lock (src/server/platform/audit.ts).
CREATE FUNCTION audit_chain_tail(p_chain integer) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  tail text;
BEGIN
  PERFORM pg_advisory_xact_lock(7001, p_chain);
  SELECT hash INTO tail FROM audit_events WHERE chain = p_chain ORDER BY id DESC LIMIT 1;
  RETURN COALESCE(tail, repeat('0', 64));
END $$;

-- The appeal a new submission repeats, read after taking the submitter's lock, so that
-- concurrent double submits create one appeal: the same idempotency key of the same phone,
-- or (without a key) the same phone and text since p_since.
CREATE FUNCTION appeal_duplicate(p_phone_hash text, p_idempotency_key text, p_dedupe_hash text,
    p_since timestamptz) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  dup bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7002, hashtext(p_phone_hash));
  IF p_idempotency_key IS NOT NULL THEN
    SELECT id INTO dup FROM appeals WHERE phone_hash = p_phone_hash AND idempotency_key = p_idempotency_key;
  ELSE
    SELECT id INTO dup FROM appeals WHERE dedupe_hash = p_dedupe_hash AND created_at > p_since
      ORDER BY id LIMIT 1;
  END IF;
  RETURN dup;
END $$;
