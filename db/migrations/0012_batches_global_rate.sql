CREATE TABLE "dispatch_budgets" (
	"name" text PRIMARY KEY NOT NULL,
	"next_start_at" timestamp with time zone
);
