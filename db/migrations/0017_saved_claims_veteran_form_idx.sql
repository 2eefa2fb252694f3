DROP INDEX "saved_claims_file_number_idx";--> statement-breakpoint
CREATE INDEX "saved_claims_veteran_form_idx" ON "saved_claims" USING btree ("file_number",lower("veteran_last_name"),"form_type");