-- The overview's heavy figures (a scan of every claim or every attempt), kept as materialized
-- views that the status poll refreshes (concurrently: readers never wait), so the page reads a
-- few hundred rows instead of a million.
CREATE MATERIALIZED VIEW "overview_claim_outcomes" AS
  SELECT c.form_type, c.triage_state, count(*)::int AS claims, count(u.claim_id)::int AS resubmitted
  FROM saved_claims c
  LEFT JOIN (
    SELECT DISTINCT claim_id FROM backup_attempts WHERE status IN ('submitted', 'success', 'vbms', 'error', 'expired')
  ) u ON u.claim_id = c.main_claim_id
  GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX "overview_claim_outcomes_uq" ON "overview_claim_outcomes" (form_type, triage_state);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "overview_attempts_per_day" AS
  SELECT (started_at AT TIME ZONE 'UTC')::date AS day, status, count(*)::int AS attempts
  FROM backup_attempts
  GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX "overview_attempts_per_day_uq" ON "overview_attempts_per_day" (day, status);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "overview_failure_reasons" AS
  SELECT coalesce(failure_reason, '') AS reason, count(*)::int AS claims
  FROM saved_claims
  WHERE triage_state IN ('never_tried', 'failed')
  GROUP BY 1;
--> statement-breakpoint
CREATE UNIQUE INDEX "overview_failure_reasons_uq" ON "overview_failure_reasons" (reason);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "overview_vbms_hours" AS
  SELECT width_bucket(extract(epoch FROM end_state_at - submitted_at) / 3600.0, '{6,12,24,48,72,96,120,168}'::numeric[]) AS bucket, count(*)::int AS uploads
  FROM backup_attempts
  WHERE status = 'vbms' AND end_state_at IS NOT NULL AND submitted_at IS NOT NULL
  GROUP BY 1;
--> statement-breakpoint
CREATE UNIQUE INDEX "overview_vbms_hours_uq" ON "overview_vbms_hours" (bucket);
