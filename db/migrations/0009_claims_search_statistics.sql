-- Name search estimates (migration 0007's expression indexes). With the default statistics a full
-- name that is rare or absent looks as common as the average name, so the planner walks the
-- newest-first index checking every claim (seconds at a million claims for "Maria Sampleton" when
-- no such veteran exists) instead of looking the name up. A larger sample and MCV list on the two
-- name expressions make a rare name read as rare; the search is then an index lookup (~5 ms).
ALTER INDEX "saved_claims_full_name_key_idx" ALTER COLUMN 1 SET STATISTICS 1000;
--> statement-breakpoint
ALTER INDEX "saved_claims_last_name_key_idx" ALTER COLUMN 1 SET STATISTICS 1000;
--> statement-breakpoint
ANALYZE saved_claims;
