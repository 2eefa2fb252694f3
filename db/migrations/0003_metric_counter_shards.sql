ALTER TABLE "metric_counters" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_counters" DROP CONSTRAINT "metric_counters_name_labels_pk";--> statement-breakpoint
ALTER TABLE "metric_counters" ADD CONSTRAINT "metric_counters_name_labels_shard_pk" PRIMARY KEY("name","labels","shard");
