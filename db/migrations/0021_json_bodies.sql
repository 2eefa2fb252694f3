-- A claim's form and a ledger record as received are stored and read whole, never searched inside:
-- json (the text, checked) instead of jsonb (a parsed, re-encoded tree). Building the jsonb was the
-- bulk import's largest single cost after the claims' indexes (docs/ingest.md, change 11).
ALTER TABLE "saved_claims" ALTER COLUMN "form_data" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "ingest_records" ALTER COLUMN "record" SET DATA TYPE json;
