-- The list's newest-first order is (submitted_at desc nulls last, id desc nulls last), as every
-- (…, submitted_at, id) index of migration 0000 has it. saved_claims_list_covering2_idx (0004) was
-- (submitted_at desc, id desc), which is NULLS FIRST: once 0020 dropped saved_claims_submitted_idx
-- as its twin, nothing served that order and the list's first page sorted every claim (130-400 ms
-- at a million claims). The same index with the list's NULLS order; batch creation, which reads
-- claims from it without an order, is unaffected.
DROP INDEX IF EXISTS "saved_claims_list_covering2_idx";
--> statement-breakpoint
CREATE INDEX "saved_claims_list_covering2_idx" ON "saved_claims" ("submitted_at" DESC NULLS LAST, "id" DESC NULLS LAST)
  INCLUDE ("form_type", "triage_state", "black_hole", "latest_batch_id", "failure_reason", "created_at", "main_claim_id");
