-- The working day (工作台): live notices and notices that close themselves.
--
-- Every insert of a notice and every change of its read mark takes the next `rev`, so a
-- process can follow the changes of the users it streams to (`platform/live.ts`) with one
-- indexed query, whichever process (or engine) wrote them.
CREATE SEQUENCE notifications_rev_seq;
ALTER TABLE notifications ADD COLUMN rev bigint;
UPDATE notifications SET rev = nextval('notifications_rev_seq');
ALTER TABLE notifications ALTER COLUMN rev SET DEFAULT nextval('notifications_rev_seq');
ALTER TABLE notifications ALTER COLUMN rev SET NOT NULL;
CREATE INDEX notifications_rev_idx ON notifications (rev);

CREATE FUNCTION notifications_next_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.rev := nextval('notifications_rev_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER notifications_rev BEFORE UPDATE ON notifications
  FOR EACH ROW WHEN (OLD.read_at IS DISTINCT FROM NEW.read_at) EXECUTE FUNCTION notifications_next_rev();

-- the unread notices about one item (their link), closed when its work is done
CREATE INDEX notifications_open_link_idx ON notifications (link) WHERE read_at IS NULL;
