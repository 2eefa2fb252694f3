ALTER TABLE "batch_items" DROP CONSTRAINT "batch_items_batch_id_batches_id_fk";
--> statement-breakpoint
ALTER TABLE "batch_items" DROP CONSTRAINT "batch_items_claim_id_saved_claims_id_fk";
--> statement-breakpoint
-- The list's covering index also carries main_claim_id, so a batch made from "all matching" a filter
-- reads its claims from the index alone (no table rows) as the list pages do.
CREATE INDEX IF NOT EXISTS "saved_claims_list_covering2_idx" ON saved_claims (submitted_at DESC, id DESC) INCLUDE (form_type, triage_state, black_hole, latest_batch_id, failure_reason, created_at, main_claim_id);
--> statement-breakpoint
DROP INDEX IF EXISTS "saved_claims_list_covering_idx";
