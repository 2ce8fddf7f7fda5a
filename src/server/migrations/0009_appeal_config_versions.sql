-- Optimistic locking of the appeal configuration (docs/appeals.md, "Known limits and decisions"):
-- a save carries the version it was based on; a stale one answers 409 and changes nothing,
-- instead of silently overwriting another administrator's change.

-- categories are saved one at a time: a version per category
ALTER TABLE appeal_categories ADD COLUMN version integer NOT NULL DEFAULT 1;

-- routing rules, time limits and the working-day overrides are saved as whole lists: one
-- version per list, taken (row lock, +1) by every save of that list
CREATE TABLE appeal_config_versions (
  list    text PRIMARY KEY CHECK (list IN ('routing', 'sla', 'calendar')),
  version integer NOT NULL DEFAULT 1
);
INSERT INTO appeal_config_versions (list) VALUES ('routing'), ('sla'), ('calendar');
