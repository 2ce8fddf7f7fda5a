-- Performance of appeal intake and search (docs/appeals.md, "Performance").

-- The audit trail as several hash chains (src/server/platform/audit.ts): concurrent
-- transactions append to different chains instead of queueing for one lock until commit.
-- Existing events are chain 0, unchanged and still verifiable.
ALTER TABLE audit_events ADD COLUMN chain smallint NOT NULL DEFAULT 0;
CREATE INDEX audit_events_chain_idx ON audit_events (chain, id);

-- Appeal search: the month an appeal was taken in (UTC+8, 'YYYY-MM') as an index token in
-- search_grams ('@2026-05', src/shared/appeals/search.ts), so that a search with many
-- matches reads the newest months first from the index instead of every match.
UPDATE appeals SET search_grams = search_grams || ('@' || to_char((created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM'))
  WHERE NOT search_grams @> ARRAY['@' || to_char((created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')];

-- Intake latency: with fastupdate the bigram index collects new entries in a pending list
-- that the insert which overflows it merges into the index — hundreds of milliseconds for
-- that one appeal (and the ones waiting behind it). Each insert updates the index itself.
ALTER INDEX appeals_grams_idx SET (fastupdate = off);
