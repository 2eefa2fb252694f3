CREATE TYPE "public"."attempt_status" AS ENUM('pending', 'submitted', 'success', 'failure', 'vbms', 'error', 'expired');--> statement-breakpoint
CREATE TYPE "public"."attempt_trigger" AS ENUM('user', 'batch', 'retry', 'import');--> statement-breakpoint
CREATE TYPE "public"."batch_item_state" AS ENUM('pending', 'in_progress', 'submitted', 'confirmed', 'failed', 'skipped', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."batch_source" AS ENUM('selection', 'filter', 'import');--> statement-breakpoint
CREATE TYPE "public"."batch_state" AS ENUM('draft', 'queued', 'running', 'paused', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."claim_group_status" AS ENUM('pending', 'processing', 'success', 'failure');--> statement-breakpoint
CREATE TYPE "public"."document_role" AS ENUM('main', 'attachment');--> statement-breakpoint
CREATE TYPE "public"."form_type" AS ENUM('21-526EZ', '21-686C', '21-674');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('queued', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."notification_template" AS ENUM('backup_in_progress', 'backup_failed');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('viewer', 'triager', 'admin');--> statement-breakpoint
CREATE TYPE "public"."triage_state" AS ENUM('never_tried', 'in_progress', 'submitted', 'confirmed', 'failed', 'excluded', 'duplicate');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" bigint,
	"user_email" text NOT NULL,
	"action" text NOT NULL,
	"claim_count" integer DEFAULT 0 NOT NULL,
	"claim_ids" bigint[],
	"batch_id" bigint,
	"reason" text,
	"details" jsonb,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "backup_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"submission_id" bigint NOT NULL,
	"claim_id" bigint NOT NULL,
	"attempt_number" integer NOT NULL,
	"retry_number" integer DEFAULT 0 NOT NULL,
	"status" "attempt_status" DEFAULT 'pending' NOT NULL,
	"benefits_intake_uuid" uuid,
	"upload_location" text,
	"location_issued_at" timestamp with time zone,
	"upload_started_at" timestamp with time zone,
	"error_class" text,
	"error_code" text,
	"error_message" text,
	"http_status" integer,
	"transient" boolean,
	"metadata" jsonb,
	"trigger" "attempt_trigger" NOT NULL,
	"triggered_by_user_id" bigint,
	"batch_id" bigint,
	"forced" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"end_state_at" timestamp with time zone,
	"last_polled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backup_submissions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" bigint NOT NULL,
	"form_type" "form_type" NOT NULL,
	"latest_status" "attempt_status",
	"in_flight_since" timestamp with time zone,
	"in_flight_batch_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_submissions_claim_id_unique" UNIQUE("claim_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"attempt_id" bigint NOT NULL,
	"claim_id" bigint NOT NULL,
	"role" "document_role" NOT NULL,
	"position" integer NOT NULL,
	"form_type" text NOT NULL,
	"file_name" text NOT NULL,
	"byte_size" integer NOT NULL,
	"page_count" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"batch_id" bigint NOT NULL,
	"claim_id" bigint NOT NULL,
	"state" "batch_item_state" DEFAULT 'pending' NOT NULL,
	"note" text,
	"message" text,
	"attempt_id" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" "batch_source" NOT NULL,
	"reason" text NOT NULL,
	"filter" jsonb,
	"state" "batch_state" DEFAULT 'draft' NOT NULL,
	"rate_per_minute" integer NOT NULL,
	"force" integer DEFAULT 0 NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"created_by_user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"historical" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_groups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"parent_claim_id" bigint,
	"status" "claim_group_status" DEFAULT 'failure' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persistent_attachments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" bigint NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"byte_size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "primary_submissions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" bigint NOT NULL,
	"status" text NOT NULL,
	"error_class" text,
	"error_message" text,
	"failed_at" timestamp with time zone,
	"shown_as_success" boolean DEFAULT false NOT NULL,
	"failure_notice_sent" boolean DEFAULT false NOT NULL,
	CONSTRAINT "primary_submissions_claim_id_unique" UNIQUE("claim_id")
);
--> statement-breakpoint
CREATE TABLE "saved_claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"guid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"form_type" "form_type" NOT NULL,
	"form_data" jsonb NOT NULL,
	"veteran_first_name" text NOT NULL,
	"veteran_last_name" text NOT NULL,
	"file_number" text NOT NULL,
	"file_last4" char(4) NOT NULL,
	"zip_code" text,
	"email" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"group_id" bigint NOT NULL,
	"main_claim_id" bigint,
	"duplicate_of" bigint,
	"triage_state" "triage_state" DEFAULT 'never_tried' NOT NULL,
	"black_hole" boolean DEFAULT false NOT NULL,
	"failure_notified" boolean DEFAULT false NOT NULL,
	"failure_reason" text,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"latest_attempt_status" text,
	"latest_batch_id" bigint,
	"excluded_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_claims_guid_unique" UNIQUE("guid")
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_counters" (
	"name" text NOT NULL,
	"labels" text DEFAULT '' NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "metric_counters_name_labels_pk" PRIMARY KEY("name","labels")
);
--> statement-breakpoint
CREATE TABLE "outstanding_daily" (
	"day" date PRIMARY KEY NOT NULL,
	"outstanding" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" bigint NOT NULL,
	"attempt_id" bigint NOT NULL,
	"template" "notification_template" NOT NULL,
	"recipient" text NOT NULL,
	"personalisation" jsonb NOT NULL,
	"status" "notification_status" DEFAULT 'queued' NOT NULL,
	"provider_id" text,
	"tries" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" DEFAULT 'viewer' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_attempts" ADD CONSTRAINT "backup_attempts_submission_id_backup_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."backup_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_attempts" ADD CONSTRAINT "backup_attempts_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_attempts" ADD CONSTRAINT "backup_attempts_triggered_by_user_id_users_id_fk" FOREIGN KEY ("triggered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_submissions" ADD CONSTRAINT "backup_submissions_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_attempt_id_backup_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."backup_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_attempt_id_backup_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."backup_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persistent_attachments" ADD CONSTRAINT "persistent_attachments_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "primary_submissions" ADD CONSTRAINT "primary_submissions_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_claims" ADD CONSTRAINT "saved_claims_group_id_claim_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."claim_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_claims" ADD CONSTRAINT "saved_claims_main_claim_id_saved_claims_id_fk" FOREIGN KEY ("main_claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_claims" ADD CONSTRAINT "saved_claims_duplicate_of_saved_claims_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_claim_id_saved_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."saved_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_attempt_id_backup_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."backup_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_user_idx" ON "audit_events" USING btree ("user_email","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "backup_attempts_claim_idx" ON "backup_attempts" USING btree ("claim_id","attempt_number" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "backup_attempts_claim_number_uq" ON "backup_attempts" USING btree ("claim_id","attempt_number");--> statement-breakpoint
CREATE UNIQUE INDEX "backup_attempts_one_pending_uq" ON "backup_attempts" USING btree ("claim_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "backup_attempts_submitted_poll_idx" ON "backup_attempts" USING btree ("last_polled_at") WHERE status in ('submitted', 'success');--> statement-breakpoint
CREATE INDEX "backup_attempts_uuid_idx" ON "backup_attempts" USING btree ("benefits_intake_uuid");--> statement-breakpoint
CREATE INDEX "backup_attempts_started_idx" ON "backup_attempts" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "backup_attempts_batch_idx" ON "backup_attempts" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "documents_attempt_idx" ON "documents" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "documents_claim_idx" ON "documents" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_attempt_position_uq" ON "documents" USING btree ("attempt_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "batch_items_batch_claim_uq" ON "batch_items" USING btree ("batch_id","claim_id");--> statement-breakpoint
CREATE INDEX "batch_items_batch_state_idx" ON "batch_items" USING btree ("batch_id","state","id");--> statement-breakpoint
CREATE INDEX "batch_items_claim_idx" ON "batch_items" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "persistent_attachments_claim_idx" ON "persistent_attachments" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "saved_claims_submitted_idx" ON "saved_claims" USING btree ("submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "saved_claims_form_submitted_idx" ON "saved_claims" USING btree ("form_type","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "saved_claims_triage_submitted_idx" ON "saved_claims" USING btree ("triage_state","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "saved_claims_reason_submitted_idx" ON "saved_claims" USING btree ("failure_reason","submitted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "saved_claims_black_hole_idx" ON "saved_claims" USING btree ("black_hole","triage_state");--> statement-breakpoint
CREATE INDEX "saved_claims_silent_idx" ON "saved_claims" USING btree ("triage_state") WHERE not failure_notified and triage_state in ('never_tried', 'failed');--> statement-breakpoint
CREATE INDEX "saved_claims_batch_idx" ON "saved_claims" USING btree ("latest_batch_id");--> statement-breakpoint
CREATE INDEX "saved_claims_group_idx" ON "saved_claims" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "saved_claims_main_idx" ON "saved_claims" USING btree ("main_claim_id");--> statement-breakpoint
CREATE INDEX "saved_claims_last_name_idx" ON "saved_claims" USING btree (lower("veteran_last_name"));--> statement-breakpoint
CREATE INDEX "saved_claims_last4_idx" ON "saved_claims" USING btree ("file_last4");--> statement-breakpoint
CREATE INDEX "saved_claims_file_number_idx" ON "saved_claims" USING btree ("file_number");--> statement-breakpoint
CREATE INDEX "saved_claims_duplicate_idx" ON "saved_claims" USING btree ("duplicate_of");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_claim_template_attempt_uq" ON "notifications" USING btree ("claim_id","template","attempt_id");--> statement-breakpoint
CREATE INDEX "notifications_claim_idx" ON "notifications" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "notifications_queued_idx" ON "notifications" USING btree ("created_at") WHERE status = 'queued';