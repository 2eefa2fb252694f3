CREATE TABLE "alert_episodes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"summary" text NOT NULL,
	"link" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"email_sent_at" timestamp with time zone,
	"webhook_sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "failure_groups" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner_user_id" bigint,
	"notes" text,
	"ticket_url" text,
	"ignore_until_at" timestamp with time zone,
	"ignore_until_count" integer,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reopened_at" timestamp with time zone,
	"reopened_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "failure_groups_status_check" CHECK ("failure_groups"."status" in ('open', 'investigating', 'resolved', 'ignored'))
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner_user_id" bigint NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"query" text NOT NULL,
	"columns" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "failure_groups" ADD CONSTRAINT "failure_groups_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_episodes_open_uq" ON "alert_episodes" USING btree ("rule","subject") WHERE cleared_at is null;--> statement-breakpoint
CREATE INDEX "alert_episodes_started_idx" ON "alert_episodes" USING btree ("started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_uq" ON "saved_views" USING btree ("owner_user_id","name");--> statement-breakpoint
CREATE INDEX "saved_views_shared_idx" ON "saved_views" USING btree ("shared");--> statement-breakpoint
-- Hand-added: failures arriving in a group since a time (the reopen rule and the "group grew" alert,
-- lib/failure-groups/lifecycle.ts) walk this instead of every claim of the group.
CREATE INDEX IF NOT EXISTS "saved_claims_reason_created_idx" ON "saved_claims" USING btree ("failure_reason","created_at") WHERE failure_reason is not null;
