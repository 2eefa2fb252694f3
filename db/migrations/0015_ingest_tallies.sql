CREATE TABLE "ingest_tallies" (
	"source_system" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"result" text NOT NULL,
	"way" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "ingest_tallies_source_system_hour_result_way_pk" PRIMARY KEY("source_system","hour","result","way")
);
--> statement-breakpoint
CREATE INDEX "saved_claims_waiting_idx" ON "saved_claims" USING btree ("waiting_for") WHERE waiting_for is not null;