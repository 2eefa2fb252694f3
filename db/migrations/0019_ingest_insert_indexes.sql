DROP INDEX "ingest_records_parent_idx";--> statement-breakpoint
DROP INDEX "saved_claims_batch_idx";--> statement-breakpoint
DROP INDEX "saved_claims_duplicate_idx";--> statement-breakpoint
CREATE INDEX "saved_claims_batch_idx" ON "saved_claims" USING btree ("latest_batch_id") WHERE latest_batch_id is not null;--> statement-breakpoint
CREATE INDEX "saved_claims_duplicate_idx" ON "saved_claims" USING btree ("duplicate_of") WHERE duplicate_of is not null;