-- A batch's rate as a schedule (lib/batches/dispatch-schedule.ts): the time its next claim may start.
ALTER TABLE "batches" ADD COLUMN "next_start_at" timestamp with time zone;
--> statement-breakpoint
-- Search (db/queries/claims-search.ts): names compare without accents or case, so "Nunez-Test"
-- finds "Núñez-Test". unaccent() is only STABLE (its rules file could change), so an index cannot
-- use it directly; claim_search_text names the dictionary and is declared IMMUTABLE, the usual way
-- to index it. Changing the unaccent rules would mean rebuilding the indexes built on it.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION claim_search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "saved_claims_last_name_key_idx" ON saved_claims (claim_search_text(veteran_last_name));
--> statement-breakpoint
-- A full name ("Maria Núñez-Test"): first and last joined by one space, as one indexed value.
CREATE INDEX IF NOT EXISTS "saved_claims_full_name_key_idx" ON saved_claims (claim_search_text(veteran_first_name || ' ' || veteran_last_name));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "saved_claims_email_idx" ON saved_claims (lower(email));
--> statement-breakpoint
-- Sorting by attempts (claimsOrderBy): walked either way, like the form and triage-state indexes.
CREATE INDEX IF NOT EXISTS "saved_claims_attempts_idx" ON saved_claims (attempt_count, submitted_at DESC NULLS LAST, id DESC NULLS LAST);
