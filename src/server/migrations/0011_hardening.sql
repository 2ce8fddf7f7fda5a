-- Hardening (issue 12): attempt counters kept in the database, phone verification of public
-- appeals, an append-only audit trail, import jobs that survive a crash.

-- Counters of attempts per key over a window (platform/throttle.ts): shared by every process.
CREATE TABLE throttle (
  key        text PRIMARY KEY,
  window_end timestamptz NOT NULL,
  hits       integer NOT NULL
);
CREATE INDEX throttle_end_idx ON throttle (window_end);

-- Public appeals per phone (by keyed hash) and how long a phone stays verified by SMS code.
CREATE TABLE phone_quota (
  phone_hash     text PRIMARY KEY,
  window_end     timestamptz NOT NULL,
  sent           integer NOT NULL,
  verified_until timestamptz
);
-- The SMS verification code last sent to a phone (its keyed hash only), with wrong attempts.
CREATE TABLE phone_codes (
  phone_hash text PRIMARY KEY,
  code_hash  text NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts   integer NOT NULL DEFAULT 0
);

-- Admits a public appeal of a phone, after the duplicate check and under the same submitter
-- lock (taken by appeal_duplicate): NULL = a new appeal, admitted and counted; an id = the
-- appeal it repeats (not counted); -1 = refused, the phone must be verified first; -2 =
-- refused, a verified phone's allowance is used up. Within
-- p_window_end's window a phone gets p_free appeals, and p_verified_max once verified.
CREATE FUNCTION appeal_admit(p_phone_hash text, p_idempotency_key text, p_dedupe_hash text,
    p_since timestamptz, p_quota boolean, p_now timestamptz, p_window_end timestamptz,
    p_free integer, p_verified_max integer) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  dup bigint;
  q phone_quota%ROWTYPE;
BEGIN
  dup := appeal_duplicate(p_phone_hash, p_idempotency_key, p_dedupe_hash, p_since);
  IF dup IS NOT NULL OR NOT p_quota THEN
    RETURN dup;
  END IF;
  SELECT * INTO q FROM phone_quota WHERE phone_hash = p_phone_hash FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO phone_quota (phone_hash, window_end, sent) VALUES (p_phone_hash, p_window_end, 1)
      ON CONFLICT (phone_hash) DO UPDATE SET sent = phone_quota.sent + 1;
    RETURN NULL;
  END IF;
  IF q.window_end <= p_now THEN
    q.sent := 0;
    q.window_end := p_window_end;
  END IF;
  IF q.verified_until > p_now AND q.sent >= p_verified_max THEN
    RETURN -2;
  END IF;
  IF NOT COALESCE(q.verified_until > p_now, false) AND q.sent >= p_free THEN
    RETURN -1;
  END IF;
  UPDATE phone_quota SET sent = q.sent + 1, window_end = q.window_end WHERE phone_hash = p_phone_hash;
  RETURN NULL;
END $$;

-- The audit trail is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks (in
-- PostgreSQL the application role should also lack those privileges: docs/operations.md).
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = '42501';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Import jobs hold a lease while a worker runs them; a job whose lease expired (the worker
-- died) is taken up again and resumes (people/import/job.ts).
ALTER TABLE import_jobs ADD COLUMN lease_until timestamptz;
ALTER TABLE import_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0;
CREATE INDEX import_jobs_running_idx ON import_jobs (lease_until) WHERE status IN ('checking', 'importing');
