CREATE TABLE "ingest_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"byte_size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_groups" (
	"source_system" text NOT NULL,
	"parent_source_id" text NOT NULL,
	"group_id" bigint NOT NULL,
	CONSTRAINT "ingest_groups_source_system_parent_source_id_pk" PRIMARY KEY("source_system","parent_source_id"),
	CONSTRAINT "ingest_groups_group_id_unique" UNIQUE("group_id")
);
--> statement-breakpoint
CREATE TABLE "ingest_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_system" text NOT NULL,
	"source_table" text NOT NULL,
	"source_id" text NOT NULL,
	"schema_version" smallint NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	"content_sha256" text NOT NULL,
	"record" jsonb NOT NULL,
	"parent_source_id" text NOT NULL,
	"claim_id" bigint NOT NULL,
	"category" text NOT NULL,
	"rule" text NOT NULL,
	"rule_version" smallint NOT NULL,
	"facts" jsonb NOT NULL,
	"reevaluate_at" timestamp with time zone,
	"parked_reason" text,
	"versions" integer DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_records_claim_id_unique" UNIQUE("claim_id")
);
--> statement-breakpoint
ALTER TABLE "saved_claims" ADD COLUMN "waiting_for" text;--> statement-breakpoint
ALTER TABLE "saved_claims" ADD COLUMN "classification_rule" text;--> statement-breakpoint
ALTER TABLE "saved_claims" ADD COLUMN "classification_version" smallint;--> statement-breakpoint
ALTER TABLE "ingest_groups" ADD CONSTRAINT "ingest_groups_group_id_claim_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."claim_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_records" ADD CONSTRAINT "ingest_records_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_records_source_uq" ON "ingest_records" USING btree ("source_system","source_id");--> statement-breakpoint
CREATE INDEX "ingest_records_parent_idx" ON "ingest_records" USING btree ("source_system","parent_source_id");--> statement-breakpoint
CREATE INDEX "ingest_records_reevaluate_idx" ON "ingest_records" USING btree ("reevaluate_at") WHERE reevaluate_at is not null;--> statement-breakpoint
CREATE INDEX "ingest_records_updated_idx" ON "ingest_records" USING btree ("source_system","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "persistent_attachments_storage_key_idx" ON "persistent_attachments" USING btree ("storage_key");--> statement-breakpoint
ALTER TABLE "saved_claims" ADD CONSTRAINT "saved_claims_waiting_for_check" CHECK ("saved_claims"."waiting_for" in ('evidence', 'parent_claim'));