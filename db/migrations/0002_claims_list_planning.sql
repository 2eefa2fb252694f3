-- The claims list at a million claims. The filters are correlated (most black-hole claims are
-- never tried, dependents forms cluster), which the planner cannot see column by column: extended
-- statistics give it the joint distribution, so it stops choosing plans off by 3-4x.
CREATE STATISTICS IF NOT EXISTS "saved_claims_triage_stats" (dependencies, mcv) ON black_hole, triage_state, form_type FROM saved_claims;
--> statement-breakpoint
-- Newest-first pages under any filter: the sort walks this index and checks the filter columns in
-- the index itself (an index-only scan), so skipping to a deep page reads no table rows.
CREATE INDEX IF NOT EXISTS "saved_claims_list_covering_idx" ON saved_claims (submitted_at DESC, id DESC) INCLUDE (form_type, triage_state, black_hole, latest_batch_id, failure_reason, created_at);
