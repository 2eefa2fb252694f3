ALTER TYPE "public"."triage_state" ADD VALUE 'resolved_elsewhere';--> statement-breakpoint
CREATE TABLE "ingest_reconciliations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" bigint NOT NULL,
	"source_system" text NOT NULL,
	"source_id" text NOT NULL,
	"outcome" text NOT NULL,
	"rule" text NOT NULL,
	"facts" jsonb NOT NULL,
	"state_before" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "ingest_reconciliations_outcome_check" CHECK ("ingest_reconciliations"."outcome" in ('resolved_elsewhere', 'conflict', 'noted'))
);
--> statement-breakpoint
CREATE TABLE "ingest_refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_system" text,
	"source_id" text,
	"way" text NOT NULL,
	"problems" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_remediation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"txid" bigint DEFAULT (pg_current_xact_id()::text::bigint) NOT NULL,
	"attempt_id" bigint NOT NULL,
	"claim_id" bigint NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ingest_reconciliations" ADD CONSTRAINT "ingest_reconciliations_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingest_reconciliations_claim_idx" ON "ingest_reconciliations" USING btree ("claim_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ingest_reconciliations_open_conflicts_idx" ON "ingest_reconciliations" USING btree ("created_at" DESC NULLS LAST) WHERE outcome = 'conflict' and settled_at is null;--> statement-breakpoint
CREATE INDEX "ingest_refusals_received_idx" ON "ingest_refusals" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ingest_remediation_events_cursor_idx" ON "ingest_remediation_events" USING btree ("txid","id");--> statement-breakpoint
-- The remediation feed (db/schema/ingest.ts): every status an attempt of an ingested claim reaches,
-- written by statement triggers (one insert per statement, however many attempts it touched; a
-- claim that did not come through ingest has no source to tell and adds nothing).
CREATE FUNCTION "ingest_remediation_events_from_attempts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ingest_remediation_events" ("attempt_id", "claim_id", "status")
    SELECT n."id", n."claim_id", n."status"::text FROM "new_rows" n
    WHERE n."status" <> 'pending' AND EXISTS (SELECT 1 FROM "ingest_records" r WHERE r."claim_id" = n."claim_id")
    ORDER BY n."id";
  ELSE
    INSERT INTO "ingest_remediation_events" ("attempt_id", "claim_id", "status")
    SELECT n."id", n."claim_id", n."status"::text FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
    WHERE n."status" IS DISTINCT FROM o."status" AND n."status" <> 'pending'
      AND EXISTS (SELECT 1 FROM "ingest_records" r WHERE r."claim_id" = n."claim_id")
    ORDER BY n."id";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "backup_attempts_remediation_insert" AFTER INSERT ON "backup_attempts"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "ingest_remediation_events_from_attempts"();--> statement-breakpoint
CREATE TRIGGER "backup_attempts_remediation_update" AFTER UPDATE ON "backup_attempts"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "ingest_remediation_events_from_attempts"();
